package compiler

import (
	"regexp"
	"slices"
	"strings"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// expandLists replaces every use of a list by its entries: a kprobe on
// "list:NAME" becomes one hook per entry, each with its own copy of the
// arguments and selectors; enforcer calls likewise; InMap "list:NAME"
// values become syscall numbers.
func expandLists(l *lowering) {
	var hooks []*ir.Hook
	for _, h := range l.p.Hooks {
		name, ok := strings.CutPrefix(h.Call, "list:")
		if !ok || h.Kind != ir.HookKprobe {
			hooks = append(hooks, h)
			continue
		}
		entries, syscall := l.listEntries(name, l.nodeOf(h))
		for _, e := range entries {
			c := l.cloneHook(h)
			c.Call, c.Target, c.List, c.Syscall = e, e, name, syscall
			hooks = append(hooks, c)
		}
	}
	l.p.Hooks = hooks
	for i, h := range hooks {
		h.ID = i
	}
	var enfs []*ir.Enforcer
	for _, e := range l.p.Enforcers {
		name, ok := strings.CutPrefix(e.Call, "list:")
		if !ok {
			enfs = append(enfs, e)
			continue
		}
		entries, syscall := l.listEntries(name, l.nodeOf(e))
		for _, call := range entries {
			c := &ir.Enforcer{Target: call, Call: call, List: name, Syscall: syscall, Pos: e.Pos}
			l.nodes[c] = l.nodeOf(e)
			enfs = append(enfs, c)
		}
	}
	l.p.Enforcers = enfs
	l.forEachTest(func(h *ir.Hook, _ *ir.Selector, t *ir.Test) {
		if slices.ContainsFunc(t.Values, func(v ir.Value) bool { return v.Kind == ir.ValList }) {
			t.Values = l.expandValues(t)
		}
	})
}

// listEntries returns the functions of list name and whether they are
// syscalls. Generated lists come from the target kernel when there is one:
// generated_syscalls keeps the syscalls whose function that kernel has
// (all of the arch's table without a target); generated_ftrace matches its
// pattern against the kernel's available_filter_functions, which only a
// target description gives.
func (l *lowering) listEntries(name string, at any) ([]string, bool) {
	ls, ok := l.listOf(name, at)
	if !ok {
		return nil, false
	}
	switch ls.Type {
	case listSyscalls:
		return ls.Values, true
	case listGeneratedSyscalls:
		return l.generatedSyscalls(), true
	case listGeneratedFtrace:
		return l.generatedFtrace(ls), false
	}
	return ls.Values, false
}

// generatedSyscalls is every syscall of the arch's table, without those
// whose function the target kernel lacks.
func (l *lowering) generatedSyscalls() []string {
	all := arch.Syscalls(l.opts.Arch)
	t := l.opts.Target
	if t == nil {
		return all
	}
	var out []string
	for _, name := range all {
		sym, _, err := arch.SyscallSymbol(l.opts.Arch, name)
		if err != nil || t.HasFunction(sym) == target.No {
			continue
		}
		out = append(out, name)
	}
	return out
}

// generatedFtrace is the target kernel's traceable functions that match
// the list's pattern, sorted; nil (with an error) without them.
func (l *lowering) generatedFtrace(ls *List) []string {
	pattern := ""
	if ls.Pattern != nil {
		pattern = *ls.Pattern
	}
	at := fieldOr(ls.At, "pattern")
	if l.opts.Target == nil {
		l.errorf(at, "needs-target",
			"a generated_ftrace list is expanded from the kernel's available_filter_functions; give a target description of that kernel (--target), or list the functions",
			"list %q (pattern %q) needs a target kernel to expand", ls.Name, pattern)
		return nil
	}
	funcs, err := l.opts.Target.TraceableFunctions()
	if err != nil {
		l.errorf(at, "needs-target",
			"capture the profile with polrun profile as root on a host whose tracefs shows available_filter_functions, or list the functions",
			"list %q (pattern %q) cannot be expanded: the profile of %s has no traceable functions (%v)", ls.Name, pattern, l.opts.Target.Kernel(), err)
		return nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil // reported by the checks
	}
	var out []string
	for _, f := range funcs {
		if re.MatchString(f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		l.errorf(at, "empty-list", "the pattern is a Go (RE2) regular expression matched anywhere in the name, as Tetragon does",
			"pattern %q of list %q matches none of the %d traceable functions of %s", pattern, ls.Name, len(funcs), l.opts.Target.Kernel())
	}
	return out
}

// expandValues returns t's values with list references replaced by the
// numbers of the list's syscalls: syscall64 values (the ABI in bit 31) for a
// syscall64 argument, plain table numbers otherwise.
func (l *lowering) expandValues(t *ir.Test) []ir.Value {
	var out []ir.Value
	for _, v := range t.Values {
		if v.Kind != ir.ValList {
			out = append(out, v)
			continue
		}
		ls, ok := l.listOf(v.List, t)
		if !ok {
			continue
		}
		if ls.Type != listSyscalls && ls.Type != listGeneratedSyscalls {
			l.errorf(t, "bad-list", `InMap takes lists of type "syscalls" or "generated_syscalls"`,
				"list %q holds kernel functions, not syscalls", v.List)
			continue
		}
		entries, _ := l.listEntries(v.List, t)
		for _, e := range entries {
			sc, err := arch.Lookup(l.opts.Arch, e)
			if err != nil {
				l.errorf(t, "not-a-syscall", "", "list %q: %v", v.List, err)
				continue
			}
			n := int64(sc.Nr)
			if t.Type == ir.TypeSyscall64 {
				n = int64(arch.EncodeSyscall64(sc.ABI, sc.Nr))
			}
			if ir.FitInt(t.Type, n) != n {
				l.errorf(t, "bad-value", "declare the argument as syscall64, int64 or uint64",
					"syscall %s (%d) of list %q does not fit in %s", e, n, v.List, t.Type)
				continue
			}
			out = append(out, ir.Value{Kind: ir.ValInt, Int: n})
		}
	}
	return out
}

// cloneHook deep-copies h, so that the hooks a list expands to can be
// changed apart. The copies point at the same YAML.
func (l *lowering) cloneHook(h *ir.Hook) *ir.Hook {
	c := *h
	l.nodes[&c] = l.nodeOf(h)
	c.Tags = slices.Clone(h.Tags)
	c.Args = make([]*ir.Arg, len(h.Args))
	for i, a := range h.Args {
		c.Args[i] = l.cloneArg(a)
	}
	if h.Ret != nil {
		c.Ret = l.cloneArg(h.Ret)
	}
	c.Selectors = make([]*ir.Selector, len(h.Selectors))
	for i, s := range h.Selectors {
		cs := *s
		l.nodes[&cs] = l.nodeOf(s)
		cs.Tests = l.cloneTests(s.Tests)
		cs.ReturnTests = l.cloneTests(s.ReturnTests)
		cs.Actions = l.cloneActions(s.Actions)
		cs.ReturnActions = l.cloneActions(s.ReturnActions)
		c.Selectors[i] = &cs
	}
	return &c
}

func (l *lowering) cloneArg(a *ir.Arg) *ir.Arg {
	c := *a
	c.Resolve = slices.Clone(a.Resolve)
	if a.Reg != nil {
		r := *a.Reg
		c.Reg = &r
	}
	l.nodes[&c] = l.nodeOf(a)
	return &c
}

func (l *lowering) cloneTests(ts []*ir.Test) []*ir.Test {
	var out []*ir.Test
	for _, t := range ts {
		c := *t
		c.Values = slices.Clone(t.Values)
		c.Cel = t.Cel.Clone()
		l.nodes[&c] = l.nodeOf(t)
		out = append(out, &c)
	}
	return out
}

func (l *lowering) cloneActions(as []*ir.Action) []*ir.Action {
	var out []*ir.Action
	for _, a := range as {
		c := *a
		l.nodes[&c] = l.nodeOf(a)
		out = append(out, &c)
	}
	return out
}

// resolveSyscalls turns the syscall names of syscall hooks and enforcers
// into the kernel symbols of the target arch, and records their ABI:
// sys_write becomes __x64_sys_write (or __arm64_sys_write); names that
// already carry an ABI prefix (__ia32_sys_dup) are kept.
func resolveSyscalls(l *lowering) {
	resolve := func(name string, at any) (string, string, bool) {
		sym, abi, err := arch.SyscallSymbol(l.opts.Arch, name)
		if err != nil {
			l.errorf(at, "not-a-syscall", "syscall hooks need a syscall of the target, such as sys_write or __ia32_sys_dup",
				"cannot hook syscall %q on %s: %v", name, l.opts.Arch, err)
			return "", "", false
		}
		return sym, string(abi), true
	}
	for _, h := range l.p.Hooks {
		if !h.Syscall {
			continue
		}
		if sym, abi, ok := resolve(h.Target, h); ok {
			h.Target, h.ABI = sym, abi
		}
	}
	for _, e := range l.p.Enforcers {
		if !e.Syscall {
			continue
		}
		if sym, abi, ok := resolve(e.Target, e); ok {
			e.Target, e.ABI = sym, abi
		}
	}
}
