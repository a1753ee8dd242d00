package loader

import (
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// OverrideError is a hook whose Override actions need what this kernel
// lacks: bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE) for a kprobe on
// a syscall, fmod_ret for a security_* function, BPF LSM for an LSM hook.
// Hint names a hook where Override would work. It matches
// ErrMissingFeature.
type OverrideError struct {
	Hook    string  // kind and target, e.g. "kprobe __x64_sys_symlinkat"
	Call    string  // as the policy wrote it
	Pos     bpf.Pos // the hook in the policy's YAML
	Needs   string  // what Override takes there
	Feature string  // the feature probe that failed
	Reason  string
	Hint    string
	// Enforcer: the hook is an enforcer of spec.enforcers.
	Enforcer bool
}

var overrideNeeds = map[string]struct{ feature, what string }{
	bpf.OverrideReturn:     {bpf.FeatureOverride, "bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE)"},
	bpf.OverrideFmodRet:    {bpf.FeatureFmodRet, "an fmod_ret program"},
	bpf.OverrideLSM:        {bpf.FeatureLSM, "BPF LSM"},
	bpf.OverrideUprobeRegs: {bpf.FeatureUprobeWriteCtx, "a uprobe program that writes the task's registers"},
}

func (e *OverrideError) Error() string {
	what := "Override on"
	if e.Enforcer {
		what = "the enforcer (NotifyEnforcer with argError) on"
	}
	msg := fmt.Sprintf("%s: %s %s (%s) needs %s, which this kernel lacks (%s: %s)",
		e.Pos, what, e.Hook, e.Call, e.Needs, e.Feature, e.Reason)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func (e *OverrideError) Is(target error) bool { return target == ErrMissingFeature }

// checkOverrides re-checks at load what the compiler decided for each
// hook's Override: the kernel must have what it takes.
func checkOverrides(m *bpf.Manifest) error {
	for _, h := range m.Hooks {
		need, ok := overrideNeeds[h.Override]
		if !ok {
			continue
		}
		if err := checkFeature(need.feature); err != nil {
			return &OverrideError{Hook: hookLabel(h), Call: h.Call, Pos: h.Pos, Needs: need.what, Feature: need.feature,
				Reason: reason(err), Hint: h.OverrideHint, Enforcer: h.Enforcer}
		}
	}
	return nil
}

// setAttachTargets makes the BTF target of fmod_ret, fentry, fexit and LSM programs the
// one the manifest names: their ELF section may carry a suffix that keeps
// two hooks on one function apart.
func setAttachTargets(spec *ebpf.CollectionSpec, m *bpf.Manifest) {
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if ps := spec.Programs[p.Name]; ps != nil && p.Target != "" && btfTargeted(p.Attach) {
				ps.AttachTo = p.Target
			}
		}
	}
}

// btfTargeted reports whether programs attached as attach name their
// target by its BTF function: they cannot load without it.
func btfTargeted(attach string) bool {
	switch attach {
	case "fmod_ret", "lsm", "fentry", "fexit":
		return true
	}
	return false
}
