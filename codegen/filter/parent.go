package filter

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// matchParentBinaries: the parent is the process table's entry for the Ppid
// of the current process's entry (the copy in the record). When the table
// knows no parent (no entry of its own, Ppid 0, or no entry for the Ppid)
// the test fails whatever its operator, as ir.Eval says.

// rParent holds the parent's table entry during the test. R7 and R8 are
// free in the process filters (pidWalk and stringSetLookup use them as
// scratch); stringSetLookup saves its base on the stack before it
// overwrites them.
const rParent = asm.R8

// parentBinaryTest emits a matchParentBinaries test.
func (p *Gen) parentBinaryTest(t *ir.Test, fail string) {
	if t.FollowChildren {
		p.parentBinaryWalk(t, fail)
		return
	}
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(p.Lay.ProcOff()+bpf.ProcPpidOff), asm.Word),
		asm.JEq.Imm(asm.R1, 0, fail),
		asm.StoreMem(asm.RFP, prog.StKey, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ProcsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, fail),
		asm.Mov.Reg(rParent, asm.R0),
	)
	bin := bytesAt{base: rParent, lenOff: bpf.ProcBinaryLenOff, dataOff: bpf.ProcBinaryOff, max: bpf.BinaryMax - 1}
	p.bytesTest(t, bin, fail)
}

// parentBinaryWalk: matchParentBinaries with followChildren, a walk up the
// table's parent links from the parent (binaryWalk's, without the current
// process). Its state adds, at prog.StWalk-16, 1 once the parent's entry was
// found: without it the test fails.
func (p *Gen) parentBinaryWalk(t *ir.Test, fail string) {
	positive := positiveOp(t)
	name := p.FuncName("parent_binaries")
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(p.Lay.ProcOff()+bpf.ProcPpidOff), asm.Word),
		asm.JEq.Imm(asm.R1, 0, fail),
		asm.StoreMem(asm.RFP, prog.StWalk, asm.R1, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StWalk-8, 0, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StWalk-16, 0, asm.DWord),
	)
	// callWalk's loop, then: unknown parent fails, else as the operator
	// says of a hit anywhere up the chain.
	p.Emit(
		asm.Mov.Imm(asm.R1, ancestorLoops),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference(name),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, prog.StWalk),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		asm.LoadMem(asm.R1, asm.RFP, prog.StWalk-16, asm.DWord),
		asm.JEq.Imm(asm.R1, 0, fail),
		asm.LoadMem(asm.R1, asm.RFP, prog.StWalk-8, asm.DWord),
	)
	if t.Op.Negated() {
		p.Emit(asm.JNE.Imm(asm.R1, 0, fail))
	} else {
		p.Emit(asm.JEq.Imm(asm.R1, 0, fail))
	}

	p.binaryWalkStep(name, &positive, true)
}

// positiveOp returns t with its operator's positive form: a walk looks for
// a hit, and a negated test passes when there is none.
func positiveOp(t *ir.Test) ir.Test {
	positive := *t
	switch t.Op {
	case ir.OpNotIn:
		positive.Op = ir.OpIn
	case ir.OpNotPrefix:
		positive.Op = ir.OpPrefix
	case ir.OpNotPostfix:
		positive.Op = ir.OpPostfix
	}
	return positive
}
