package compiler

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/polc-dev/polc/ir"
)

// spec.options are name/value pairs Tetragon reads when it loads a policy
// (pkg/sensors/tracing options: getSpecOptions). specOptions is polc's one
// table of them: every name Tetragon knows, what polc does with it, and
// how its value is checked. Tetragon refuses a policy whose value does not
// parse, and skips names it does not know without a word; polc refuses the
// same values and warns about unknown names instead of skipping them
// silently. When a name is given twice, the last one counts, as in
// Tetragon.
type specOption struct {
	name string
	// values describes the accepted values, for messages.
	values string
	// parse checks a value as Tetragon does.
	parse func(v string) error
	// check, if set, reports what the option means for this policy
	// (implemented, or a note when it cannot change what it does).
	check func(c *checker, o *Option)
	// lower, if set, puts the option into the IR.
	lower func(l *lowering, o *Option)
}

var specOptions = []specOption{
	{
		name:   "policy-mode",
		values: `"enforce" or "monitor"`,
		parse:  func(v string) error { _, err := parsePolicyMode(v); return err },
		check: func(c *checker, o *Option) {
			if !c.hasEnforcementActions() {
				c.report(Note, fieldOr(o.At, "value"), "option-no-effect", "",
					"policy-mode %s changes nothing: the policy has no enforcement actions (Sigkill, Signal, Override, NotifyEnforcer), so it only monitors", o.Value)
			}
		},
		lower: func(l *lowering, o *Option) {
			l.p.Mode, _ = parsePolicyMode(o.Value)
		},
	},
	{
		name:   "disable-kprobe-multi",
		values: "a boolean (true, false, 1, 0, ...)",
		parse:  parseOptionBool,
		// polc builds, for kprobes whose programs differ only in the
		// hook they serve (list expansions, kprobes with the same
		// arguments and selectors), one kprobe.multi program besides the
		// single ones, and polrun attaches it with one kprobe_multi link
		// where the kernel has them (5.18+, CONFIG_FPROBE). True: no
		// kprobe.multi program, one link per kprobe on every kernel.
		check: func(c *checker, o *Option) {
			for _, h := range c.hooks {
				if h.kprobe != nil {
					return
				}
			}
			c.report(Note, fieldOr(o.At, "name"), "option-no-effect", "",
				"disable-kprobe-multi changes nothing: the policy has no kprobes")
		},
		lower: func(l *lowering, o *Option) {
			l.p.NoKprobeMulti, _ = strconv.ParseBool(o.Value)
		},
	},
	{
		name:   "disable-uprobe-multi",
		values: "a boolean (true, false, 1, 0, ...)",
		parse:  parseOptionBool,
		check: func(c *checker, o *Option) {
			c.report(Note, fieldOr(o.At, "name"), "option-no-effect", "",
				"disable-uprobe-multi changes nothing: polc attaches every uprobe with its own link, never with uprobe_multi")
		},
	},
	{
		name:   "override-method",
		values: `"fmod-ret" or "override-return"`,
		parse: func(v string) error {
			if v != overrideFmodRet && v != overrideReturn {
				return fmt.Errorf("invalid override method")
			}
			return nil
		},
		check: (*checker).checkOverrideMethod,
	},
	{
		// Tetragon sizes the heap maps its uprobe and USDT programs share
		// (process_call_heap, ratelimit_heap, the string maps' heaps,
		// buffer_heap_map) with it, instead of its --uprobe-heap-size flag.
		name:   "uprobe-heap-size",
		values: "a positive integer",
		parse: func(v string) error {
			if n, err := strconv.ParseUint(v, 10, 32); err != nil || n == 0 {
				return fmt.Errorf("not a positive integer")
			}
			return nil
		},
		check: func(c *checker, o *Option) {
			c.report(Note, fieldOr(o.At, "name"), "option-no-effect", "",
				"uprobe-heap-size changes nothing: polc's uprobe and USDT programs have no heap maps to size, each builds its record in a one-entry per-CPU map")
		},
	},
}

// Values of override-method.
const (
	overrideFmodRet = "fmod-ret"
	overrideReturn  = "override-return"
)

func parsePolicyMode(v string) (ir.Mode, error) {
	// Tetragon compares the exact, lower-case spelling.
	switch v {
	case "enforce":
		return ir.ModeEnforce, nil
	case "monitor":
		return ir.ModeMonitor, nil
	}
	return 0, fmt.Errorf("invalid mode")
}

// parseOptionBool accepts what Go's strconv.ParseBool does, as Tetragon.
func parseOptionBool(v string) error {
	_, err := strconv.ParseBool(v)
	return err
}

func optionNames() []string {
	var names []string
	for _, o := range specOptions {
		names = append(names, o.name)
	}
	return names
}

func lookupOption(name string) *specOption {
	for i := range specOptions {
		if specOptions[i].name == name {
			return &specOptions[i]
		}
	}
	return nil
}

// lastOptions returns the options that count: the last one of each name.
func lastOptions(opts []*Option) []*Option {
	var out []*Option
	for i, o := range opts {
		if !slices.ContainsFunc(opts[i+1:], func(x *Option) bool { return x.Name == o.Name }) {
			out = append(out, o)
		}
	}
	return out
}

// checkOptions checks spec.options against the table.
func (c *checker) checkOptions() {
	opts := c.pol.Spec.Options
	for i, o := range opts {
		def := lookupOption(o.Name)
		if def == nil {
			c.warnf(fieldOr(o.At, "name"), "unknown-option", closestHint(o.Name, optionNames()),
				"unknown option %q: Tetragon skips it, and so does polc", o.Name)
			continue
		}
		if slices.ContainsFunc(opts[i+1:], func(x *Option) bool { return x.Name == o.Name }) {
			c.warnf(fieldOr(o.At, "name"), "duplicate-option", "remove all but one",
				"option %q is given again below; the last one counts", o.Name)
			// Its value is still checked: Tetragon refuses a bad one anywhere.
		}
		if err := def.parse(o.Value); err != nil {
			hint := fmt.Sprintf("%s takes %s", o.Name, def.values)
			if c := closest(o.Value, strings.FieldsFunc(def.values, func(r rune) bool { return r == '"' || r == ' ' })); c != "" && c != "or" {
				hint = fmt.Sprintf("did you mean %q? %s", c, hint)
			}
			c.errorf(fieldOr(o.At, "value"), "bad-option-value", hint, "option %s: %q is not %s", o.Name, o.Value, def.values)
		}
	}
	for _, o := range lastOptions(opts) {
		if def := lookupOption(o.Name); def != nil && def.check != nil && def.parse(o.Value) == nil {
			def.check(c, o)
		}
	}
}

// hasEnforcementActions says whether a selector of the policy has an
// action that policy-mode turns off (ir.ActionKind.Enforces).
func (c *checker) hasEnforcementActions() bool {
	for _, h := range c.hooks {
		for _, s := range h.hook.Selectors {
			for _, a := range slices.Concat(s.MatchActions, s.MatchReturnActions) {
				if k, ok := ir.ParseAction(a.Action); ok && k.Enforces() {
					return true
				}
			}
		}
	}
	return false
}

// checkOverrideMethod compares override-method with how polc overrides
// each kprobe with an Override action (codegen's overrideOf): fmod_ret on
// security_* functions, bpf_override_return elsewhere. Where they agree
// the option is a note; where they differ polc refuses it rather than
// override another way than the policy asks.
func (c *checker) checkOverrideMethod(o *Option) {
	for _, h := range c.hooks {
		if h.kprobe == nil || !hookOverrides(h.hook) {
			continue
		}
		for _, fn := range c.kprobeFunctions(h.kprobe) {
			polc := overrideReturn
			if !h.kprobe.Syscall && strings.HasPrefix(fn, "security_") {
				polc = overrideFmodRet
			}
			if polc != o.Value {
				c.errorf(fieldOr(o.At, "value"), "unsupported", "remove the option: polc picks the method per function",
					"override-method %s is not supported for %s: polc overrides it with %s", o.Value, fn, overrideMethodName(polc))
				return
			}
		}
	}
	c.report(Note, fieldOr(o.At, "name"), "option-no-effect", "",
		"override-method %s is how polc overrides this policy's functions anyway", o.Value)
}

func overrideMethodName(m string) string {
	if m == overrideFmodRet {
		return "an fmod_ret program"
	}
	return "bpf_override_return"
}

// hookOverrides says whether a selector of the hook has an Override
// action.
func hookOverrides(h *Hook) bool {
	for _, s := range h.Selectors {
		for _, a := range s.MatchActions {
			if k, ok := ir.ParseAction(a.Action); ok && k == ir.ActOverride {
				return true
			}
		}
	}
	return false
}

// kprobeFunctions returns the functions a kprobe hooks: its call, or the
// values of the list it names (none for a generated list).
func (c *checker) kprobeFunctions(k *KProbe) []string {
	name, ok := strings.CutPrefix(k.Call, "list:")
	if !ok {
		return []string{k.Call}
	}
	for _, l := range c.pol.Spec.Lists {
		if l.Name == name {
			return l.Values
		}
	}
	return nil
}

// lowerOptions puts the options polc implements into the IR.
func (l *lowering) lowerOptions() {
	for _, o := range lastOptions(l.ast.Spec.Options) {
		if def := lookupOption(o.Name); def != nil && def.lower != nil && def.parse(o.Value) == nil {
			def.lower(l, o)
		}
	}
}
