package filter

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Where cmdArgTest works in the TmpMap value (its room for keys): a copy
// of the arguments, NUL-terminated, then the argument found, its length
// first.
const (
	cmdArgsCopy    = kern.KeyOff                           // bpf.CmdArgsMax bytes and a NUL
	cmdArgLenOff   = cmdArgsCopy + (bpf.CmdArgsMax+1+7)&^7 // u32: bytes of the argument
	cmdArgDataOff  = cmdArgLenOff + 8                      // the argument, NUL-terminated
	cmdArgRoomUsed = cmdArgDataOff + bpf.CmdArgsMax + 1 - kern.KeyOff
)

// cmdArgTest: matchCmdArgs, on the process's arguments as the base keeps
// them (bpf.CmdArgsMap, by tgid). The entry's Len bytes are copied to the
// TmpMap with a NUL after them, so that every string there ends; then the
// strings are walked with bpf_probe_read_kernel_str, one call per string
// up to the index (unrolled: no loop for the verifier to follow, on any
// kernel), the last one read into place, and compared like a binary's
// path. The test fails without an entry, or when the arguments end before
// the index: as ir.Eval says, whatever the operator.
func (p *Gen) cmdArgTest(t *ir.Test, fail string) {
	var kind matchKind
	switch t.Op {
	case ir.OpEqual:
		kind = matchEqual
	case ir.OpPrefix:
		kind = matchPrefix
	case ir.OpPostfix:
		kind = matchPostfix
	default:
		p.Errorf(t.Pos, "matchCmdArgs operator %s is not supported", t.Op)
		return
	}
	if t.CmdArg < 0 || t.CmdArg >= bpf.CmdArgsIndexMax {
		p.Errorf(t.Pos, "matchCmdArgs index %d is out of range", t.CmdArg)
		return
	}
	if cmdArgRoomUsed > kern.KeyMax {
		p.Errorf(t.Pos, "matchCmdArgs needs %d bytes of the scratch map's %d", cmdArgRoomUsed, kern.KeyMax)
		return
	}
	args := p.DeclareMap(prog.CmdArgsMap())
	p.g.Lib.UseTmp()
	p.Emit(
		// R8: the process's entry.
		asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R1, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(args),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StVal),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, fail),
		asm.Mov.Reg(asm.R8, asm.R0),
		// R7: the scratch value.
		emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(kern.TmpMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, fail),
		asm.Mov.Reg(asm.R7, asm.R0),
		// The Len bytes of the arguments, and a NUL after them.
		asm.LoadMem(asm.R2, asm.R8, bpf.CmdArgsLenOff, asm.Word),
		asm.JEq.Imm(asm.R2, 0, fail),
		asm.JGT.Imm(asm.R2, bpf.CmdArgsMax, fail),
		asm.StoreMem(asm.RFP, prog.StVal2, asm.R2, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R7),
		asm.Add.Imm(asm.R1, cmdArgsCopy),
		asm.Mov.Reg(asm.R3, asm.R8),
		asm.Add.Imm(asm.R3, bpf.CmdArgsArgsOff),
		asm.FnProbeReadKernel.Call(),
		asm.JNE.Imm(asm.R0, 0, fail),
		asm.LoadMem(asm.R2, asm.RFP, prog.StVal2, asm.DWord),
		asm.JGT.Imm(asm.R2, bpf.CmdArgsMax, fail), // for the verifier: it was
		asm.Add.Reg(asm.R2, asm.R7),
		emit.StoreImm(asm.R2, cmdArgsCopy, 0, asm.Byte),
		// R8 from here: the offset of the next string in the copy.
		asm.Mov.Imm(asm.R8, 0),
	)
	for j := 0; j <= t.CmdArg; j++ {
		p.Emit(
			// No string j when the arguments end before it.
			asm.LoadMem(asm.R2, asm.RFP, prog.StVal2, asm.DWord),
			asm.JGE.Reg(asm.R8, asm.R2, fail),
			asm.JGT.Imm(asm.R8, bpf.CmdArgsMax, fail), // for the verifier: it is below Len
			asm.Mov.Reg(asm.R1, asm.R7),
			asm.Add.Imm(asm.R1, cmdArgDataOff),
			asm.Mov.Imm(asm.R2, bpf.CmdArgsMax+1),
			asm.Mov.Reg(asm.R3, asm.R7),
			asm.Add.Reg(asm.R3, asm.R8),
			asm.Add.Imm(asm.R3, cmdArgsCopy),
			asm.FnProbeReadKernelStr.Call(),
			asm.JSLE.Imm(asm.R0, 0, fail),
			asm.JGT.Imm(asm.R0, bpf.CmdArgsMax+1, fail), // never: the read's room
			asm.Add.Reg(asm.R8, asm.R0),
		)
	}
	// The argument's length: the last read less its NUL.
	p.Emit(
		asm.Sub.Imm(asm.R0, 1),
		asm.StoreMem(asm.R7, cmdArgLenOff, asm.R0, asm.Word),
	)
	arg := bytesAt{base: asm.R7, lenOff: cmdArgLenOff, dataOff: cmdArgDataOff, max: bpf.CmdArgsMax}
	p.anyOf(false, fail, func(hit string) { p.jumpIfAnyString(arg, kind, t.Values, hit) })
}
