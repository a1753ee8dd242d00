package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Stack traces: the StackIDs slot of the record and bpf.StackMap are the
// layout's (codegen/stack.go); a Post that asks for stacks fills the slot
// with bpf_get_stackid.

// stacks records the stacks Post action a asks for.
func (p *Gen) stacks(a *ir.Action) {
	s := p.Lay.Stack
	if s == nil {
		return // reported by the layout (codegen.addStackSlot)
	}
	take := func(off int, flags int32) {
		p.Emit(
			asm.Mov.Reg(asm.R1, prog.RCtx),
			asm.LoadMapPtr(asm.R2, 0).WithReference(bpf.StackMap),
			asm.Mov.Imm(asm.R3, flags),
			asm.FnGetStackid.Call(),
			asm.StoreMem(prog.RRec, int16(s.Off+off), asm.R0, asm.Word),
		)
	}
	if a.KernelStack {
		take(0, 0)
	}
	if a.UserStack {
		take(4, bpf.StackUser)
	}
}
