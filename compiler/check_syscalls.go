package compiler

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// Syscall prototypes without a target.
//
// arch knows the parameters of every x86_64 syscall, with their C types
// (arch.SyscallParams). The arguments of syscall kprobes and the fields of
// syscalls/sys_enter_* and sys_exit_* tracepoints are checked against
// them with the rules of a target's prototypes (fitArg), wherever the
// target cannot: without one, and with one that has no prototype of the
// syscall (a profile of BTF alone has no tracepoint formats, and its BTF
// lacks the bodies of syscalls without parameters). A profile's BTF still
// resolves the types the table names (umode_t, cap_user_header_t) and
// tells which syscalls, so which syscall tracepoints, the kernel has.
//
// Tetragon reads the prototype of a syscall kprobe from its own table
// (pkg/syscallinfo) and only warns where a type does not fit
// (pkg/btf/validation.go), and does not check tracepoint types at all; a
// type that cannot read the parameter (a file from an fd number, a string
// from an integer) reads garbage there, so polc refuses it, as it does
// against a target.

// checkSyscallPrototypes checks the syscall hooks that the target, if
// any, has no prototype for.
func (c *checker) checkSyscallPrototypes() {
	for _, h := range c.hooks {
		switch h.kind {
		case hookKprobe:
			if h.kprobe.Syscall {
				c.tableKprobe(h)
			}
		case hookTracepoint:
			c.tableSyscallTracepoint(h)
		}
	}
}

// tableKprobe checks a syscall kprobe's call, or each entry of the
// syscalls list it names.
func (c *checker) tableKprobe(h *hookView) {
	k := h.kprobe
	name, isList := strings.CutPrefix(k.Call, "list:")
	if !isList {
		c.tableSyscallArgs(h, k.Call, "")
		return
	}
	l := c.lists[name]
	if l == nil || l.Type != listSyscalls {
		return // generated lists: one declaration cannot fit every syscall
	}
	for _, v := range l.Values {
		c.tableSyscallArgs(h, v, fmt.Sprintf("list %q: ", l.Name))
	}
}

// tableSyscallArgs checks the hook's arguments against the table's
// prototype of syscall name, unless the target has the function and a
// prototype of it (checked by targetFunction) or lacks the function
// (reported there).
func (c *checker) tableSyscallArgs(h *hookView, name, prefix string) {
	sym, abi, err := arch.SyscallSymbol(c.opts.Arch, name)
	if err != nil || abi != c.opts.Arch.NativeABI() {
		return // not a syscall (reported), or a compat one: the table is of native syscalls
	}
	if t := c.opts.Target; t != nil {
		if t.HasFunction(sym) == target.No {
			return
		}
		if _, err := t.SyscallProto(sym); err == nil {
			return
		}
	}
	body, ok := strings.CutPrefix(strings.TrimPrefix(sym, abi.SymbolPrefix()), "sys_")
	if !ok {
		return
	}
	proto, ok := c.tableProto(body)
	if !ok {
		return
	}
	c.kprobeTypesWarnOnly(h, func() { c.certainOnly(func() { c.targetArgs(h, proto, prefix, true) }) })
}

// certainOnly runs check and, without a target, keeps only the errors it
// reports: a type that cannot read the parameter. Without a target the
// prototype is polc's, not the kernel's the policy will run on, and
// Tetragon itself reads an int from a long or a size_t without a word;
// against a target, its warnings (width, signedness) are kept, as
// targetFunction reports them.
func (c *checker) certainOnly(check func()) {
	n := len(c.diags)
	check()
	if c.opts.Target != nil {
		return
	}
	kept := c.diags[:n]
	for _, d := range c.diags[n:] {
		if d.Severity == Error {
			kept = append(kept, d)
		}
	}
	c.diags = kept
}

// tableKprobeArgsChecked reports whether the arguments of kprobe k, a
// syscall hook on one syscall, are checked against the table's prototype
// (so not against the fixed bound of six registers).
func (c *checker) tableKprobeArgsChecked(k *KProbe) bool {
	if !k.Syscall || strings.HasPrefix(k.Call, "list:") || c.opts.Target != nil {
		return false
	}
	sym, abi, err := arch.SyscallSymbol(c.opts.Arch, k.Call)
	if err != nil || abi != c.opts.Arch.NativeABI() {
		return false
	}
	body, ok := strings.CutPrefix(strings.TrimPrefix(sym, abi.SymbolPrefix()), "sys_")
	if !ok {
		return false
	}
	_, ok = c.tableProto(body)
	return ok
}

// tableProto is the prototype of the syscall whose body is sys_<body>
// ("read", "newstat"), from arch's table, its types resolved in the
// target's BTF if it has one; ok is false where the table does not apply.
func (c *checker) tableProto(body string) (*target.Proto, bool) {
	if c.opts.Arch != arch.X86_64 {
		return nil, false // the table is x86_64's; arm64 declares a few differently
	}
	params, ok := arch.SyscallParams(body)
	if !ok {
		return nil, false
	}
	spec := c.targetBTF()
	p := &target.Proto{Name: body, Return: target.ParseCType("long", nil)}
	for _, prm := range params {
		p.Params = append(p.Params, target.Param{Name: prm.Name, Type: target.ParseCType(prm.Type, spec)})
	}
	return p, true
}

// targetBTF is the target's BTF, or nil.
func (c *checker) targetBTF() *btf.Spec {
	if c.opts.Target == nil {
		return nil
	}
	spec, err := c.opts.Target.Spec()
	if err != nil {
		return nil
	}
	return spec
}

// syscallEvent is what polc knows of a syscalls/sys_enter_* or sys_exit_*
// tracepoint without the kernel's format.
type syscallEvent struct {
	name   string // the syscall body: "read", "newstat"
	enter  bool
	proto  *target.Proto // nil when unknown
	fields []target.Field
}

// commonFields are the fields every tracepoint record starts with.
var commonFields = []target.Field{
	{Name: "common_type", Type: "unsigned short", Offset: 0, Size: 2},
	{Name: "common_flags", Type: "unsigned char", Offset: 2, Size: 1},
	{Name: "common_preempt_count", Type: "unsigned char", Offset: 3, Size: 1},
	{Name: "common_pid", Type: "int", Offset: 4, Size: 4, Signed: true},
}

// syscallEventOf returns what polc knows of tracepoint t when it is a
// syscall tracepoint that the target's formats do not describe; ok is
// false otherwise. Its fields are nil when the syscall's parameters are
// unknown.
func (c *checker) syscallEventOf(t *Tracepoint) (ev *syscallEvent, ok bool) {
	if t.Raw || t.Subsystem != "syscalls" || (c.opts.Target != nil && c.opts.Target.Tracepoints != nil) {
		return nil, false
	}
	ev = &syscallEvent{}
	var found bool
	if ev.name, found = strings.CutPrefix(t.Event, "sys_enter_"); found {
		ev.enter = true
	} else if ev.name, found = strings.CutPrefix(t.Event, "sys_exit_"); !found {
		return nil, false
	}
	if ev.name == "" {
		return nil, false
	}
	ev.proto = c.syscallEventProto(ev.name)
	ev.fields = append(ev.fields, commonFields...)
	ev.fields = append(ev.fields, target.Field{Name: "__syscall_nr", Type: "int", Offset: 8, Size: 4, Signed: true})
	switch {
	case !ev.enter:
		ev.fields = append(ev.fields, target.Field{Name: "ret", Type: "long", Offset: 16, Size: 8, Signed: true})
	case ev.proto != nil:
		// Every parameter takes 8 bytes whatever its C type; the
		// format declares each with its type.
		for i, p := range ev.proto.Params {
			ev.fields = append(ev.fields, target.Field{Name: p.Name, Type: p.Type.C, Offset: 16 + 8*i, Size: 8})
		}
	default:
		ev.fields = nil // the syscall's parameters are unknown
	}
	return ev, true
}

// syscallEventProto is the prototype of the syscall body name: from the
// target's BTF (__do_sys_NAME) if it has it, else from arch's table.
func (c *checker) syscallEventProto(name string) *target.Proto {
	if t := c.opts.Target; t != nil {
		if p, err := t.SyscallProto(c.opts.Arch.NativeABI().SymbolPrefix() + "sys_" + name); err == nil {
			p.Name = name
			return p
		}
	}
	if p, ok := c.tableProto(name); ok {
		return p
	}
	return nil
}

// tableSyscallTracepoint checks a syscalls/* tracepoint that the target's
// formats do not describe: that it names a syscall (one the target kernel
// has, when its BTF tells), that each index names a field, and that the
// declared types fit the fields.
func (c *checker) tableSyscallTracepoint(h *hookView) {
	tp := h.tp
	ev, ok := c.syscallEventOf(tp)
	if !ok || !identifier.MatchString(tp.Event) {
		return
	}
	eventNode := fieldOr(tp.At, "event")
	if body, known := c.syscallBody(ev.name); body != ev.name {
		prefix := "sys_exit_"
		if ev.enter {
			prefix = "sys_enter_"
		}
		if known {
			c.errorf(eventNode, "unknown-tracepoint", fmt.Sprintf("write %q", prefix+body),
				"tracepoint syscalls/%s does not exist: the tracepoints of syscall %s are named after its kernel function, sys_%s", tp.Event, ev.name, body)
			return
		}
		hint := "the syscalls tracepoints are sys_enter_NAME and sys_exit_NAME, named after each syscall's kernel function (sys_enter_newstat for stat)"
		if near := closest(ev.name, c.syscallBodies()); near != "" {
			hint = fmt.Sprintf("did you mean %q?", prefix+near)
		}
		c.errorf(eventNode, "unknown-tracepoint", hint, "tracepoint syscalls/%s does not exist: %q is not a syscall of %s", tp.Event, ev.name, c.opts.Arch)
		return
	}
	if t := c.opts.Target; t != nil {
		sym := c.opts.Arch.NativeABI().SymbolPrefix() + "sys_" + ev.name
		if t.HasFunction(sym) == target.No {
			c.errorf(eventNode, "unknown-tracepoint", "the kernel builds the syscalls tracepoints of the syscalls it has",
				"%s has no tracepoint syscalls/%s: it has no syscall %s (no function %s)", t.Kernel(), tp.Event, ev.name, sym)
			return
		}
	}
	if ev.fields == nil {
		return
	}
	what := "tracepoint syscalls/" + tp.Event
	if ev.proto != nil {
		what = fmt.Sprintf("tracepoint syscalls/%s of %s", tp.Event, ev.proto)
	}
	spec := c.targetBTF()
	for _, a := range h.hook.Args {
		typ := h.types[a]
		if a.Index >= len(ev.fields) {
			c.errorf(fieldOr(a.At, "index"), "arg-index", "tracepoint indexes count the fields of its format from 0, the common_* fields included",
				"%s has no field %d; its fields are %s", what, a.Index, fieldList(&target.Event{Fields: ev.fields}))
			continue
		}
		if typ == ir.TypeInvalid || a.Resolve != "" || a.BTFType != "" {
			continue
		}
		f := ev.fields[a.Index]
		c.certainOnly(func() {
			c.fitArg(fieldOr(a.At, "type"), typ, target.ParseCType(f.Type, spec), false,
				fmt.Sprintf("field %d (%s) of %s", a.Index, f.Name, what))
		})
	}
}

// syscallBody returns the kernel function (without its ABI prefix and
// "sys_") that runs the native syscall sys_<name>, which names its
// tracepoints: name itself for "read" and "newstat", "newstat" for
// "stat"; known is false, and body "", for a name that is no syscall of
// the arch.
func (c *checker) syscallBody(name string) (body string, known bool) {
	sym, abi, err := arch.SyscallSymbol(c.opts.Arch, "sys_"+name)
	if err != nil || abi != c.opts.Arch.NativeABI() {
		return "", false
	}
	return strings.TrimPrefix(strings.TrimPrefix(sym, abi.SymbolPrefix()), "sys_"), true
}

// syscallBodies are the kernel functions of the arch's native syscalls
// without "sys_", for suggestions.
func (c *checker) syscallBodies() []string {
	prefix := c.opts.Arch.NativeABI().SymbolPrefix() + "sys_"
	var out []string
	for _, s := range arch.SyscallSymbols(c.opts.Arch) {
		out = append(out, strings.TrimPrefix(s, prefix))
	}
	return out
}
