package fetch

import (
	"fmt"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Data entries (ir.Arg with a Source) are read as Tetragon reads them
// (bpf/process generic_read_arg): a current_task entry starts from the
// current task_struct and follows its resolve path (resolve.go); a pt_regs
// entry is a register of the probed context, its low Reg.Size bytes
// sign-extended. Everything after the raw value (the slot's encoding, the
// filters) is as for an argument.

// loadSource emits dst = the raw value of data entry a, before any
// resolve path.
func (p *Gen) loadSource(dst asm.Register, a *ir.Arg) bool {
	switch a.Source {
	case ir.SourceCurrentTask:
		p.CurrentTask(dst)
		return true
	case ir.SourcePtRegs:
		return p.loadPtRegs(dst, a)
	}
	p.Errorf(a.Pos, "data entry with source %s", a.Source)
	return false
}

// loadPtRegs emits dst = register a.Reg: of the context for kprobes and
// uprobes, of the user registers the syscall wrapper received for syscall
// kprobes (as Tetragon's get_pt_regs_arg).
func (p *Gen) loadPtRegs(dst asm.Register, a *ir.Arg) bool {
	h, r := p.Hook, a.Reg
	if r == nil || r.Offset < 0 || r.Size < 1 || r.Size > 8 {
		p.Errorf(a.Pos, "pt_regs data entry without a register")
		return false
	}
	switch {
	case h.Kind != ir.HookKprobe && h.Kind != ir.HookUprobe:
		p.Errorf(a.Pos, "source pt_regs on %s hooks: their context holds no registers", h.Kind)
		return false
	case h.Fentry:
		p.Errorf(a.Pos, "source pt_regs on fentry %s: its context holds the function's arguments, not registers", h.Call)
		return false
	case p.FmodRet():
		p.Errorf(a.Pos, "source pt_regs on %s: with Override it runs as fmod_ret, whose context holds no registers", h.Call)
		return false
	case p.Ret:
		p.Errorf(a.Pos, "internal error: pt_regs data read in a return program")
		return false
	case h.Kind == ir.HookKprobe && h.Syscall:
		p.Emit(
			asm.LoadMem(asm.R3, asm.RFP, prog.StRegs, asm.DWord),
			asm.Add.Imm(asm.R3, int32(r.Offset)),
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, prog.StTmp),
			asm.Mov.Imm(asm.R2, 8),
			asm.FnProbeReadKernel.Call(),
			asm.LoadMem(dst, asm.RFP, prog.StTmp, asm.DWord),
		)
	default:
		p.Emit(asm.LoadMem(dst, prog.RCtx, int16(r.Offset), asm.DWord))
	}
	p.Emit(emit.ExtendReg(dst, r.Size, true)...)
	return true
}

// taskRoot is struct task_struct of spec, where current_task paths start.
func taskRoot(spec *btf.Spec) (btf.Type, error) {
	var task *btf.Struct
	if err := spec.TypeByName("task_struct", &task); err != nil {
		return nil, fmt.Errorf("the kernel has no struct task_struct: %w", err)
	}
	return task, nil
}
