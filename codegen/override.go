package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Values of bpf.Hook.Override.
var overrideManifest = map[prog.Override]string{
	prog.OverrideHelper: bpf.OverrideReturn, prog.OverrideFmodRet: bpf.OverrideFmodRet, prog.OverrideLSM: bpf.OverrideLSM,
	prog.OverrideUprobeRegs: bpf.OverrideUprobeRegs,
}

// initReturnValue is the first code of an entry program: the value it
// returns unless an Override says otherwise.
func (p *progGen) initReturnValue() {
	if p.ReturnsOverride() {
		p.Emit(asm.Mov.Imm(asm.R0, 0), asm.StoreMem(asm.RFP, prog.StRet, asm.R0, asm.DWord))
	}
}

// exitValue sets R0 to the program's return value at its exit.
func (p *progGen) exitValue() {
	if p.ReturnsOverride() {
		p.Emit(asm.LoadMem(asm.R0, asm.RFP, prog.StRet, asm.DWord))
		return
	}
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// overrideHint names a hook where Override works without what h's
// Override needs: for bpf_override_return, the security_* function or LSM
// hook of the syscall; for fmod_ret, the LSM hook of the function.
func overrideHint(h *ir.Hook) string {
	call := h.Call
	if call == "" {
		call = h.Target
	}
	switch prog.OverrideOf(h) {
	case prog.OverrideUprobeRegs:
		return "Override on a uprobe writes the task's registers, which the verifier of Linux 6.18 and earlier refuses (7.x allows it); Sigkill or Signal stop the process on any kernel"
	case prog.OverrideFmodRet:
		return fmt.Sprintf("the BPF LSM hook %s (lsmhooks) sees the same operation, where Override is the LSM program's return value", ir.LSMHookOf(h.Target))
	case prog.OverrideLSM:
		return ""
	}
	if !h.Syscall {
		return fmt.Sprintf("Override on %s needs bpf_override_return; if a security_* function or an LSM hook sees the same operation, hook that instead", call)
	}
	fn, lsm, ok := ir.OverrideAlternative(call)
	if !ok {
		return fmt.Sprintf("hook the security_* function %s passes through instead (polc overrides those with fmod_ret), or a BPF LSM hook", call)
	}
	return fmt.Sprintf("hook %s instead of %s (polc overrides security_* functions with fmod_ret), or the BPF LSM hook %s", fn, call, lsm)
}
