package filter

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Walks up the process tree for matchPIDs followForks and matchBinaries
// followChildren (and matchParentBinaries followChildren, parent.go). Each is a bpf_loop whose callback, generated for the
// test, checks one process of the chain (the current process first, then
// its ancestors) and stops when a value matches or the chain ends. The
// walk's state is on the caller's stack:
//
//	prog.StWalk      the process to check next: a task (PIDs) or a tgid (binaries)
//	prog.StWalk - 8  1 when a value matched
//	prog.StWalk - 16 PIDs in namespaces: the pid namespace the chain stays in
const (
	// ancestorLoops bounds a walk; it ends at the first process without a
	// parent long before.
	ancestorLoops = 1 << 16
)

// callWalk runs callback over the chain and jumps to fail unless the test
// passes: In passes when some process matched, NotIn when none did.
func (p *Gen) callWalk(callback string, negated bool, fail string) {
	p.Emit(
		asm.Mov.Imm(asm.R1, ancestorLoops),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference(callback),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, prog.StWalk),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		asm.LoadMem(asm.R1, asm.RFP, prog.StWalk-8, asm.DWord),
	)
	if negated {
		p.Emit(asm.JNE.Imm(asm.R1, 0, fail))
	} else {
		p.Emit(asm.JEq.Imm(asm.R1, 0, fail))
	}
}

// pidWalk: matchPIDs with followForks, over the task's real_parent chain.
// With isNamespacePID the chain stops at the first process in another pid
// namespace than the current one.
func (p *Gen) pidWalk(t *ir.Test, fail string) {
	name := p.FuncName("pids")
	p.CurrentTask(asm.R7)
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StWalk, asm.R7, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StWalk-8, 0, asm.DWord),
	)
	if t.NamespacePID {
		pidNamespace(&p.B, asm.R1, asm.R7, prog.StTmp)
		p.Emit(asm.StoreMem(asm.RFP, prog.StWalk-16, asm.R1, asm.DWord))
	}
	p.callWalk(name, t.Op == ir.OpNotIn, fail)

	// The callback: R2 points to the state in the caller's frame.
	sub := p.subprogram()
	b := &sub.B
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R2),
		asm.LoadMem(asm.R7, asm.R6, 0, asm.DWord),
		asm.JEq.Imm(asm.R7, 0, "stop"),
	)
	if t.NamespacePID {
		pidNamespace(b, asm.R1, asm.R7, prog.StTmp)
		b.Emit(
			asm.LoadMem(asm.R2, asm.R6, -16, asm.DWord),
			asm.JNE.Reg(asm.R1, asm.R2, "stop"),
		)
		kern.NamespacePid(b, asm.R4, asm.R7, prog.StTmp)
	} else {
		kern.ReadKernel(b, asm.R4, asm.R7, kern.Task, "tgid", asm.Word, prog.StTmp)
	}
	// pid 0 is the idle task, above init: not a process.
	b.Emit(
		asm.JEq.Imm(asm.R4, 0, "stop"),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R4, asm.DWord),
	)
	sub.intValues(asm.R4, t.Values, ir.TypeUint32, false, "found")
	if t.Map != nil {
		sub.intSetLookup(t, valueKey{base: asm.RFP, off: prog.StVal}, "found")
	}
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "real_parent", asm.DWord, prog.StTmp)
	b.Emit(
		asm.JEq.Reg(asm.R1, asm.R7, "stop"),
		asm.StoreMem(asm.R6, 0, asm.R1, asm.DWord),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	)
	b.Label("found")
	b.Emit(emit.StoreImm(asm.R6, -8, 1, asm.DWord))
	b.Label("stop")
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	p.AddFunc(name, sub.Ctx)
}

// pidNamespace emits dst = the active pid namespace (a pointer) of task:
// thread_pid->numbers[thread_pid->level].ns.
func pidNamespace(b *emit.Builder, dst, task asm.Register, tmp int16) {
	kern.ReadKernel(b, asm.R4, task, kern.Task, "thread_pid", asm.DWord, tmp)
	b.Emit(asm.StoreMem(asm.RFP, tmp-8, asm.R4, asm.DWord))
	kern.ReadKernel(b, asm.R0, asm.R4, kern.Pid, "level", asm.Word, tmp)
	b.Emit(
		kern.Size(asm.Mul.Imm(asm.R0, 0), kern.Upid),
		asm.LoadMem(asm.R4, asm.RFP, tmp-8, asm.DWord),
		asm.Add.Reg(asm.R4, asm.R0),
	)
	kern.ReadKernel(b, dst, asm.R4, kern.Pid, "numbers.0.ns", asm.DWord, tmp)
}

// binaryWalk: matchBinaries with followChildren: the current process's
// binary (from the copy of its entry, empty when the table does not know
// it), then its ancestors' up the process table's parent chain.
func (p *Gen) binaryWalk(t *ir.Test, fail string) {
	// Any process of the chain matching the operator is a hit.
	positive := positiveOp(t)
	found, notFound, walk := p.B.Fresh("bin_found"), p.B.Fresh("bin_not_found"), p.B.Fresh("bin_walk")
	procOff := p.Lay.ProcOff()
	self := bytesAt{base: prog.RRec, lenOff: int16(procOff + bpf.ProcBinaryLenOff), dataOff: int16(procOff + bpf.ProcBinaryOff), max: bpf.BinaryMax - 1}
	p.bytesTest(&positive, self, walk)
	p.Emit(asm.Ja.Label(found))
	p.B.Label(walk)
	name := p.FuncName("binaries")
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(procOff+bpf.ProcPpidOff), asm.Word),
		asm.JEq.Imm(asm.R1, 0, notFound),
		asm.StoreMem(asm.RFP, prog.StWalk, asm.R1, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StWalk-8, 0, asm.DWord),
	)
	p.callWalk(name, false, notFound)
	p.B.Label(found)
	if t.Op.Negated() {
		p.Emit(asm.Ja.Label(fail))
	} else {
		p.Emit(asm.Ja.Label(notFound + "_pass"))
	}
	p.B.Label(notFound)
	if !t.Op.Negated() {
		p.Emit(asm.Ja.Label(fail))
	} else {
		p.Emit(asm.Ja.Label(notFound + "_pass"))
	}
	p.B.Label(notFound + "_pass")
	p.Emit(asm.Mov.Imm(asm.R0, 0))

	p.binaryWalkStep(name, &positive, false)
}

// binaryWalkStep adds the bpf_loop callback of a binary walk up the process
// table's parent links: one process per step, from its table entry, whose
// binary the positive test checks. The state (R2) holds the next tgid at 0
// and, at -8, 1 once a binary matched; with markFound also, at -16, 1 once
// any entry was found (matchParentBinaries: an unknown parent fails).
func (p *Gen) binaryWalkStep(name string, positive *ir.Test, markFound bool) {
	sub := p.subprogram()
	b := &sub.B
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R2),
		asm.LoadMem(asm.R1, asm.R6, 0, asm.DWord),
		asm.JEq.Imm(asm.R1, 0, "stop"),
		asm.StoreMem(asm.RFP, prog.StKey, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ProcsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "stop"),
		asm.Mov.Reg(asm.R9, asm.R0),
	)
	if markFound {
		b.Emit(emit.StoreImm(asm.R6, -16, 1, asm.DWord))
	}
	b.Emit(
		// Next: the parent, unless the chain loops.
		asm.LoadMem(asm.R1, asm.R9, bpf.ProcPpidOff, asm.Word),
		asm.LoadMem(asm.R2, asm.R6, 0, asm.DWord),
		asm.JNE.Reg(asm.R1, asm.R2, "has_parent"),
		asm.Mov.Imm(asm.R1, 0),
	)
	b.Label("has_parent")
	b.Emit(asm.StoreMem(asm.R6, 0, asm.R1, asm.DWord))
	bin := bytesAt{base: asm.R9, lenOff: bpf.ProcBinaryLenOff, dataOff: bpf.ProcBinaryOff, max: bpf.BinaryMax - 1}
	sub.bytesTest(positive, bin, "next")
	b.Emit(emit.StoreImm(asm.R6, -8, 1, asm.DWord))
	b.Label("stop")
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	b.Label("next")
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	p.AddFunc(name, sub.Ctx)
}
