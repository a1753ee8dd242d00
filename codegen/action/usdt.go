package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// usdtSet writes a Set action's value into its argument, when the
// argument is in memory.
func (p *Gen) usdtSet(a *ir.Action) {
	if p.Hook.Kind != ir.HookUSDT {
		p.Errorf(a.Pos, "Set writes USDT probe arguments; %s is a %s", p.Hook.Call, p.Hook.Kind)
		return
	}
	if a.SetIndex < 0 || a.SetIndex >= len(p.Hook.Args) {
		p.Errorf(a.Pos, "Set: argIndex refers to no argument of %s", p.Hook.Call)
		return
	}
	arg := p.Hook.Args[a.SetIndex]
	if !p.Reads.USDTArg(arg) {
		return
	}
	p.Need(bpf.FeatureProbeWriteUser)
	base := int16(arg.Index * bpf.USDTArgSize)
	skip := p.B.Fresh("set_skip")
	p.Reads.USDTAddress(arg, asm.R7, skip)
	p.Emit(
		// As many bytes as the argument has: (64 - shift) / 8.
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R3, asm.R5, base+2, asm.Byte),
		asm.Mov.Imm(asm.R1, 64),
		asm.Sub.Reg(asm.R1, asm.R3),
		asm.RSh.Imm(asm.R1, 3),
		asm.Mov.Reg(asm.R3, asm.R1),
		// JLT, not JEQ 0: Linux 6.1's verifier learns no lower bound from
		// the latter, and bpf_probe_write_user refuses a size of 0.
		asm.JLT.Imm(asm.R3, 1, skip),
		asm.JGT.Imm(asm.R3, 8, skip),
		asm.LoadImm(asm.R2, a.SetValue, asm.DWord),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R2, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R7),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StVal),
		asm.FnProbeWriteUser.Call(),
	)
	p.B.Label(skip)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}
