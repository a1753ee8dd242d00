package prog

import (
	"strings"

	"github.com/polc-dev/polc/ir"
)

// Override is how the Override actions of a hook change what the hooked
// function returns. The attachment and manifest (package codegen), the
// reads of the context (codegen/fetch: an fmod_ret program's arguments)
// and the action itself (codegen/action) all follow it.
type Override uint8

const (
	OverrideNone Override = iota
	// OverrideHelper: the kprobe calls bpf_override_return. The kernel
	// needs CONFIG_BPF_KPROBE_OVERRIDE and the function must be
	// error-injectable (every syscall is).
	OverrideHelper
	// OverrideFmodRet: the hook is compiled to an fmod_ret program, which
	// the kernel allows on security_* functions; it returns argError to
	// make the function return that without running, 0 to let it run.
	OverrideFmodRet
	// OverrideLSM: the BPF LSM program returns argError.
	OverrideLSM
	// OverrideUprobeRegs: the uprobe program writes the user task's
	// registers (ir.Action.Regs); the kernel resumes the task with them.
	OverrideUprobeRegs
)

// HasOverride says whether a selector of h overrides at entry.
func HasOverride(h *ir.Hook) bool {
	for _, s := range h.Selectors {
		for _, a := range s.Actions {
			if a.Kind == ir.ActOverride {
				return true
			}
		}
	}
	return false
}

// OverrideOf decides how h's Override actions take effect. Without a
// target to ask: security_* functions through fmod_ret (they cannot be
// error-injected by kprobe, and fmod_ret needs no special kernel option);
// syscalls and other functions through bpf_override_return, which the
// loader checks for and refuses with a hint naming a security_* function
// or LSM hook where it is missing.
func OverrideOf(h *ir.Hook) Override {
	if !HasOverride(h) {
		return OverrideNone
	}
	switch h.Kind {
	case ir.HookLSM:
		return OverrideLSM
	case ir.HookUprobe:
		return OverrideUprobeRegs
	case ir.HookKprobe:
		if !h.Syscall && strings.HasPrefix(h.Target, "security_") {
			return OverrideFmodRet
		}
		return OverrideHelper
	}
	return OverrideNone
}

// FmodRet says whether this is the fmod_ret program of a hook, whose
// arguments are the u64 array of its BTF context.
func (c *Ctx) FmodRet() bool { return !c.Ret && OverrideOf(c.Hook) == OverrideFmodRet }

// ReturnsOverride says whether the program's return value carries the
// Override: then it is kept in StRet.
func (c *Ctx) ReturnsOverride() bool {
	if c.Ret {
		return false
	}
	m := OverrideOf(c.Hook)
	return m == OverrideFmodRet || m == OverrideLSM
}
