package compiler

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// overrideHint names what Tetragon lets Override change. The kernel itself
// also lets fmod_ret and bpf_override_return change functions marked
// ALLOW_ERROR_INJECTION, but Tetragon's validateOverride takes only
// syscalls (bpf_override_return) and security_* functions (fmod_ret), and
// polc follows it: a policy it builds must load in Tetragon too.
const overrideHint = "Override applies to syscalls (syscall: true or a syscalls list) and security_* functions only; " +
	"hook the syscall or the security_ (LSM) function that guards it instead"

// checkOverrideFunction refuses Override on a kprobe whose function is
// neither a syscall nor a security_* function, as Tetragon's
// validateOverride does for each function a hook attaches to (a list's
// entries one by one).
func (c *checker) checkOverrideFunction(h *hookView, an *yaml.Node) {
	k := h.kprobe
	name, isList := strings.CutPrefix(k.Call, "list:")
	if !isList {
		if !k.Syscall && !strings.HasPrefix(k.Call, "security_") {
			c.errorf(an, "override-not-possible", overrideHint,
				"Override on %q, which is neither a syscall nor a security_* function", k.Call)
		}
		return
	}
	l := c.lists[name]
	if l == nil {
		return // an unknown list: reported where the hook names it
	}
	switch l.Type {
	case listSyscalls, listGeneratedSyscalls:
		return // Tetragon treats every entry as a syscall
	case listGeneratedFtrace:
		// The functions are known only on the host: Tetragon refuses the
		// policy there if one of them is not a security_* function.
		c.lintf(an, "override-needs-injection", overrideHint,
			"Override on the functions of list %q loads only if every function its pattern matches is a security_* function", l.Name)
		return
	}
	if k.Syscall {
		return
	}
	var bad []string
	for _, v := range l.Values {
		if !strings.HasPrefix(v, "security_") {
			bad = append(bad, fmt.Sprintf("%q", v))
		}
	}
	if len(bad) > 0 {
		c.errorf(an, "override-not-possible", overrideHint,
			"Override on list %q, whose functions %s are neither syscalls nor security_* functions", l.Name, strings.Join(bad, ", "))
	}
}
