package action

import (
	"fmt"
	"strconv"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// override emits the Override action a.
func (p *Gen) override(a *ir.Action) {
	if p.Ret {
		p.Errorf(a.Pos, "Override in matchReturnActions: the function has already returned")
		return
	}
	switch prog.OverrideOf(p.Hook) {
	case prog.OverrideHelper:
		p.Need(bpf.FeatureOverride)
		p.Emit(
			asm.Mov.Reg(asm.R1, prog.RCtx),
			asm.Mov.Imm(asm.R2, a.Error),
			asm.FnOverrideReturn.Call(),
		)
	case prog.OverrideFmodRet, prog.OverrideLSM:
		// Kept through a register so that the verifier knows the constant
		// (LSM hooks check the range of what programs return).
		p.Emit(asm.Mov.Imm(asm.R1, a.Error), asm.StoreMem(asm.RFP, prog.StRet, asm.R1, asm.DWord))
	case prog.OverrideUprobeRegs:
		p.Need(bpf.FeatureUprobeWriteCtx)
		if a.Jump != nil {
			p.uprobeJump(a)
			return
		}
		for i, r := range a.Regs {
			p.regAssign(a.Pos, r, i)
		}
	default:
		p.Errorf(a.Pos, "Override cannot change what a %s returns", p.Hook.Kind)
	}
}

// uprobeJump emits an Override that makes the call run other code of the
// binary (ir.Action.Jump): it adds to the task's instruction pointer the
// distance from the probed instruction to that code, a load-time variable
// of the hook (bpf.VarUprobeJumpPrefix) the loader reads from the binary
// it attaches to. ASLR moves the whole binary, so the distance holds in
// every process. The other registers are left alone: the other function
// gets the call's arguments and returns to the caller.
func (p *Gen) uprobeJump(a *ir.Action) {
	cc := p.CallConv()
	name := bpf.VarUprobeJumpPrefix + strconv.Itoa(p.Hook.ID)
	p.Var(name, 8)
	ip := int16(cc.InstructionPointer.Offset)
	p.Emit(
		asm.LoadMapValue(asm.R1, 0, 0).WithReference(name),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord),
		asm.LoadMem(asm.R2, prog.RCtx, ip, asm.DWord),
		asm.Add.Reg(asm.R2, asm.R1),
		asm.StoreMem(prog.RCtx, ip, asm.R2, asm.DWord),
	)
}

// ctxSizes are the store sizes of a register's low 1, 2, 4 or 8 bytes.
var ctxSizes = map[int]asm.Size{1: asm.Byte, 2: asm.Half, 4: asm.Word, 8: asm.DWord}

// regAssign emits one register assignment of Override on a uprobe: it
// writes the low DstSize bytes of the register at r.Dst in the context
// (struct pt_regs), from registers read as the assignments before left
// them. A source register reads as its low SrcSize bytes; RegLoad reads 8
// bytes of user memory and leaves the register alone when they cannot be
// read. The context is written with register stores: the verifier refuses
// immediate stores into it.
func (p *Gen) regAssign(pos ir.Pos, r ir.RegAssign, i int) {
	src := func(dst asm.Register) {
		p.Emit(asm.LoadMem(dst, prog.RCtx, int16(r.Src), asm.DWord))
		if shift := int32(64 - 8*r.SrcSize); shift > 0 {
			p.Emit(asm.LSh.Imm(dst, shift), asm.RSh.Imm(dst, shift))
		}
		if r.Kind != ir.RegCopy && r.Off != 0 {
			p.Emit(asm.LoadImm(asm.R4, int64(r.Off), asm.DWord), asm.Add.Reg(dst, asm.R4))
		}
	}
	switch r.Kind {
	case ir.RegConst:
		p.Emit(asm.LoadImm(asm.R2, int64(r.Off), asm.DWord))
	case ir.RegCopy, ir.RegAddOff:
		src(asm.R2)
	case ir.RegLoad:
		skip := p.B.Fresh(fmt.Sprintf("reg%d_unread", i))
		src(asm.R3)
		p.Emit(
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, prog.StVal),
			asm.Mov.Imm(asm.R2, 8),
			asm.FnProbeReadUser.Call(),
			asm.JNE.Imm(asm.R0, 0, skip),
			asm.LoadMem(asm.R2, asm.RFP, prog.StVal, asm.DWord),
			asm.StoreMem(prog.RCtx, int16(r.Dst), asm.R2, ctxSizes[r.DstSize]),
		)
		p.B.Label(skip)
		return
	default:
		p.Errorf(pos, "register assignment %q of kind %d", r.Text, r.Kind)
		return
	}
	p.Emit(asm.StoreMem(prog.RCtx, int16(r.Dst), asm.R2, ctxSizes[r.DstSize]))
}
