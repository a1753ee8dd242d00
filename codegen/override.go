package codegen

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// overrideMode is how the Override actions of a hook change what the
// hooked function returns.
type overrideMode uint8

const (
	overrideNone overrideMode = iota
	// overrideHelper: the kprobe calls bpf_override_return. The kernel
	// needs CONFIG_BPF_KPROBE_OVERRIDE and the function must be
	// error-injectable (every syscall is).
	overrideHelper
	// overrideFmodRet: the hook is compiled to an fmod_ret program, which
	// the kernel allows on security_* functions; it returns argError to
	// make the function return that without running, 0 to let it run.
	overrideFmodRet
	// overrideLSM: the BPF LSM program returns argError.
	overrideLSM
	// overrideUprobeRegs: the uprobe program writes the user task's
	// registers (ir.Action.Regs); the kernel resumes the task with them.
	overrideUprobeRegs
)

// Values of bpf.Hook.Override.
var overrideManifest = map[overrideMode]string{
	overrideHelper: bpf.OverrideReturn, overrideFmodRet: bpf.OverrideFmodRet, overrideLSM: bpf.OverrideLSM,
	overrideUprobeRegs: bpf.OverrideUprobeRegs,
}

// hasOverride says whether a selector of h overrides at entry.
func hasOverride(h *ir.Hook) bool {
	for _, s := range h.Selectors {
		for _, a := range s.Actions {
			if a.Kind == ir.ActOverride {
				return true
			}
		}
	}
	return false
}

// overrideOf decides how h's Override actions take effect. Without a
// target to ask: security_* functions through fmod_ret (they cannot be
// error-injected by kprobe, and fmod_ret needs no special kernel option);
// syscalls and other functions through bpf_override_return, which the
// loader checks for and refuses with a hint naming a security_* function
// or LSM hook where it is missing.
func overrideOf(h *ir.Hook) overrideMode {
	if !hasOverride(h) {
		return overrideNone
	}
	switch h.Kind {
	case ir.HookLSM:
		return overrideLSM
	case ir.HookUprobe:
		return overrideUprobeRegs
	case ir.HookKprobe:
		if !h.Syscall && strings.HasPrefix(h.Target, "security_") {
			return overrideFmodRet
		}
		return overrideHelper
	}
	return overrideNone
}

// fmodRet says whether this is the fmod_ret program of a hook, whose
// arguments are the u64 array of its BTF context.
func (p *progGen) fmodRet() bool { return !p.Ret && overrideOf(p.Hook) == overrideFmodRet }

// returnsOverride says whether the program's return value carries the
// Override: then it is kept in prog.StRet.
func (p *progGen) returnsOverride() bool {
	if p.Ret {
		return false
	}
	m := overrideOf(p.Hook)
	return m == overrideFmodRet || m == overrideLSM
}

// initReturnValue is the first code of an entry program: the value it
// returns unless an Override says otherwise.
func (p *progGen) initReturnValue() {
	if p.returnsOverride() {
		p.Emit(asm.Mov.Imm(asm.R0, 0), asm.StoreMem(asm.RFP, prog.StRet, asm.R0, asm.DWord))
	}
}

// exitValue sets R0 to the program's return value at its exit.
func (p *progGen) exitValue() {
	if p.returnsOverride() {
		p.Emit(asm.LoadMem(asm.R0, asm.RFP, prog.StRet, asm.DWord))
		return
	}
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// override emits the Override action a.
func (p *progGen) override(a *ir.Action) {
	if p.Ret {
		p.Errorf(a.Pos, "Override in matchReturnActions: the function has already returned")
		return
	}
	switch overrideOf(p.Hook) {
	case overrideHelper:
		p.Need(bpf.FeatureOverride)
		p.Emit(
			asm.Mov.Reg(asm.R1, prog.RCtx),
			asm.Mov.Imm(asm.R2, a.Error),
			asm.FnOverrideReturn.Call(),
		)
	case overrideFmodRet, overrideLSM:
		// Kept through a register so that the verifier knows the constant
		// (LSM hooks check the range of what programs return).
		p.Emit(asm.Mov.Imm(asm.R1, a.Error), asm.StoreMem(asm.RFP, prog.StRet, asm.R1, asm.DWord))
	case overrideUprobeRegs:
		p.Need(bpf.FeatureUprobeWriteCtx)
		for i, r := range a.Regs {
			p.regAssign(a.Pos, r, i)
		}
	default:
		p.Errorf(a.Pos, "Override cannot change what a %s returns", p.Hook.Kind)
	}
}

// overrideHint names a hook where Override works without what h's
// Override needs: for bpf_override_return, the security_* function or LSM
// hook of the syscall; for fmod_ret, the LSM hook of the function.
func overrideHint(h *ir.Hook) string {
	call := h.Call
	if call == "" {
		call = h.Target
	}
	switch overrideOf(h) {
	case overrideUprobeRegs:
		return "Override on a uprobe writes the task's registers, which the verifier of Linux 6.18 and earlier refuses (7.x allows it); Sigkill or Signal stop the process on any kernel"
	case overrideFmodRet:
		return fmt.Sprintf("the BPF LSM hook %s (lsmhooks) sees the same operation, where Override is the LSM program's return value", ir.LSMHookOf(h.Target))
	case overrideLSM:
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

// ctxSizes are the store sizes of a register's low 1, 2, 4 or 8 bytes.
var ctxSizes = map[int]asm.Size{1: asm.Byte, 2: asm.Half, 4: asm.Word, 8: asm.DWord}

// regAssign emits one register assignment of Override on a uprobe: it
// writes the low DstSize bytes of the register at r.Dst in the context
// (struct pt_regs), from registers read as the assignments before left
// them. A source register reads as its low SrcSize bytes; RegLoad reads 8
// bytes of user memory and leaves the register alone when they cannot be
// read. The context is written with register stores: the verifier refuses
// immediate stores into it.
func (p *progGen) regAssign(pos ir.Pos, r ir.RegAssign, i int) {
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
