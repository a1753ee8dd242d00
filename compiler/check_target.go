package compiler

import (
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// checkTarget checks the policy against the target kernel (Options.Target):
// the functions, tracepoints and LSM hooks it names exist there, the
// declared arguments fit their C types, and the kernel supports the hooks
// and actions. With Options.Sysroot it also checks uprobe symbols. Each
// check runs only as far as the profile knows: a profile of BTF alone
// checks functions and prototypes, not features.
//
// Certain mismatches are errors (a struct pointer type on an integer, a
// function the kernel lacks); likely ones are warnings (an int read from a
// long); a difference of signedness alone is advice for lint.
func (c *checker) checkTarget() {
	t := c.opts.Target
	for _, h := range c.hooks {
		if h.kind == hookUprobe {
			c.targetUprobe(h.uprobe)
		}
		if h.kind == hookUSDT {
			c.targetUSDT(h)
		}
		if t == nil {
			continue
		}
		switch h.kind {
		case hookKprobe:
			c.targetKprobe(h)
		case hookTracepoint:
			c.targetTracepoint(h)
		case hookLSM:
			c.targetLSM(h)
		}
		c.targetFeatures(h)
	}
	if t != nil {
		c.targetEnforcers()
	}
}

// targetKprobe checks the function of a kprobe, or every entry of the list
// it names. Generated lists are made from the target, so their entries
// exist; their arguments are not checked, as one declaration cannot fit
// every syscall or function.
func (c *checker) targetKprobe(h *hookView) {
	k := h.kprobe
	name, isList := strings.CutPrefix(k.Call, "list:")
	if !isList {
		if identifier.MatchString(k.Call) {
			c.targetFunction(h, k.Call, k.Syscall, fieldOr(k.At, "call"), "")
		}
		return
	}
	l := c.lists[name]
	if l == nil || l.Type == listGeneratedSyscalls || l.Type == listGeneratedFtrace {
		return
	}
	for i, v := range l.Values {
		c.targetFunction(h, v, l.Type == listSyscalls, valueNode(l.At, "values", i), fmt.Sprintf("list %q: ", l.Name))
	}
}

// targetFunction checks one function a kprobe attaches to: that it
// exists, and that the hook's arguments fit its prototype. at is where the
// name is written; prefix starts messages about a list entry.
func (c *checker) targetFunction(h *hookView, name string, syscall bool, at *yaml.Node, prefix string) {
	t := c.opts.Target
	sym, what := name, fmt.Sprintf("function %q", name)
	if syscall {
		s, _, err := arch.SyscallSymbol(c.opts.Arch, name)
		if err != nil {
			return // not a syscall of the arch: reported without a target
		}
		sym = s
		if s != name {
			what = fmt.Sprintf("syscall %s (function %s)", name, s)
		}
	}
	if t.HasFunction(sym) == target.No {
		sev, hint := Error, c.missingFunctionHint(sym, syscall)
		if h.kprobe.Ignore != nil && h.kprobe.Ignore.CallNotFound {
			sev, hint = Warning, "ignore.callNotFound is set: polrun skips this hook where the function is missing"
		}
		c.report(sev, at, "unknown-function", hint, "%s%s has no %s", prefix, t.Kernel(), what)
		return
	}
	var proto *target.Proto
	var err error
	if syscall {
		proto, err = t.SyscallProto(sym)
	} else {
		proto, err = t.FuncProto(sym)
	}
	if err != nil {
		return // no prototype known (a static function the BTF leaves out)
	}
	c.kprobeTypesWarnOnly(h, func() { c.targetArgs(h, proto, prefix, true) })
}

// missingFunctionHint suggests what the kernel has instead of sym.
func (c *checker) missingFunctionHint(sym string, syscall bool) string {
	names := c.opts.Target.FunctionNames()
	// GCC's copies of a function: foo.isra.0, foo.constprop.0, foo.cold.
	var copies []string
	i, _ := slices.BinarySearch(names, sym+".")
	for ; i < len(names) && strings.HasPrefix(names[i], sym+".") && len(copies) < 4; i++ {
		copies = append(copies, names[i])
	}
	if len(copies) > 0 {
		return fmt.Sprintf("the kernel has only compiler-made copies of it (%s): hook one of those, or a function that calls it", strings.Join(copies, ", "))
	}
	if !syscall && looksLikeSyscallSymbol(sym) {
		return "it names a syscall: set syscall: true, so that the arch's wrapper (such as __x64_sys_...) is hooked"
	}
	if s := closestName(sym, names); s != "" {
		return fmt.Sprintf("did you mean %q? If the function is in a module, load it before capturing the profile, or set ignore.callNotFound: true", s)
	}
	return "check the name in /proc/kallsyms of that kernel; if the function is in a module, load it before capturing the profile, or set ignore.callNotFound: true"
}

// closestName is closest over many names, comparing only those of
// similar length.
func closestName(s string, names []string) string {
	var near []string
	for _, n := range names {
		if d := len(n) - len(s); d >= -2 && d <= 2 {
			near = append(near, n)
		}
	}
	return closest(s, near)
}

// targetArgs checks the hook's declared arguments and return value
// against proto. widths is false where every value is stored as 64 bits
// whatever its C type (tracepoint records).
func (c *checker) targetArgs(h *hookView, proto *target.Proto, prefix string, widths bool) {
	for _, a := range h.hook.Args {
		t := h.types[a]
		if t == ir.TypeInvalid || (h.maxIndex >= 0 && a.Index > h.maxIndex) {
			continue // reported (checkArgs)
		}
		if a.Index >= len(proto.Params) {
			if proto.Variadic {
				continue
			}
			c.errorf(fieldOr(a.At, "index"), "arg-index", "argument indexes count the function's parameters from 0",
				"%s%s: there is no argument %d; the function has %s", prefix, proto, a.Index, plural(len(proto.Params), "parameter"))
			continue
		}
		if h.kind == hookKprobe && a.Index > tetragonKprobeMaxIndex {
			// A syscall kprobe checked against its prototype: Tetragon's
			// bound applies as well.
			c.errorf(fieldOr(a.At, "index"), "arg-index", indexRangeHint(h),
				"argument index %d is out of range for a kprobe (0 to %d)", a.Index, tetragonKprobeMaxIndex)
			continue
		}
		ct, what := proto.Params[a.Index].Type, fmt.Sprintf("%s%s: argument %d", prefix, proto, a.Index)
		if big := structBefore(proto, a.Index); big != "" {
			c.warnf(fieldOr(a.At, "index"), "arg-index", "arguments are read from registers by index; a struct over 8 bytes takes two of them",
				"%s: %s before it is a struct passed by value in two registers, so index %d reads the wrong register", what, big, a.Index)
		}
		if a.BTFType != "" {
			continue // cast to another type: its check is the loader's
		}
		if a.Resolve != "" {
			if !resolvePath.MatchString(a.Resolve) {
				continue
			}
			r, err := c.opts.Target.Resolve(ct, a.Resolve)
			if errors.Is(err, target.ErrNotFound) {
				c.errorf(fieldOr(a.At, "resolve"), "bad-resolve", "resolve follows struct members of the kernel's BTF, through pointers",
					"%s: %v", what, err)
				continue
			}
			if err != nil {
				continue
			}
			ct, what = r, fmt.Sprintf("%s, resolved through %s,", what, a.Resolve)
		}
		c.fitArg(fieldOr(a.At, "type"), t, ct, widths, what)
	}
	if h.ret != nil && h.hasReturn {
		if t, ok := ir.ParseType(h.ret.Type); ok && t != ir.TypeAuto {
			if proto.Return.Kind == target.KindVoid {
				c.warnf(fieldOr(h.ret.At, "type"), "arg-type-suspect", "drop return and returnArg",
					"%s%s returns void: there is no return value to read", prefix, proto)
			} else {
				c.fitArg(fieldOr(h.ret.At, "type"), t, proto.Return, widths,
					fmt.Sprintf("%s%s: the return value", prefix, proto))
			}
		}
	}
}

// structBefore names the first parameter before index i that is a struct
// or union of more than 8 bytes passed by value (bpfptr_t, sockptr_t),
// which shifts the registers of the parameters after it.
func structBefore(proto *target.Proto, i int) string {
	for _, p := range proto.Params[:i] {
		if (p.Type.Kind == target.KindStruct || p.Type.Kind == target.KindUnion) && p.Type.Size > 8 {
			return fmt.Sprintf("%q", p.Type.C+" "+p.Name)
		}
	}
	return ""
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// structTypes are the argument types read through a pointer to a kernel
// struct (or union), and the structs each can read.
var structTypes = map[ir.ArgType][]string{
	ir.TypeFile: {"file"}, ir.TypePath: {"path"}, ir.TypeDentry: {"dentry"},
	ir.TypeLinuxBinprm: {"linux_binprm"}, ir.TypeSock: {"sock"}, ir.TypeSkb: {"sk_buff"},
	ir.TypeSockaddr: {"sockaddr", "sockaddr_storage", "sockaddr_in", "sockaddr_in6", "sockaddr_un"},
	ir.TypeSocket:   {"socket"}, ir.TypeNetDevice: {"net_device"}, ir.TypeCred: {"cred"},
	ir.TypeModule: {"module"}, ir.TypeUserNamespace: {"user_namespace"}, ir.TypeBpfAttr: {"bpf_attr"},
	ir.TypePerfEvent: {"perf_event"}, ir.TypeBpfMap: {"bpf_map"}, ir.TypeKiocb: {"kiocb"},
	ir.TypeIovIter: {"iov_iter"}, ir.TypeLoadInfo: {"load_info"}, ir.TypeBpfProg: {"bpf_prog"},
	ir.TypeFilename: {"filename"}, ir.TypeCharIovec: {"iovec"},
	ir.TypeSockaddrUn: {"sockaddr", "sockaddr_storage", "sockaddr_un"},
	ir.TypeDNS:        {"msghdr"},
}

// fitArg reports where declared type t cannot (error) or may not
// (warning) read a value of C type ct. what names the value in messages.
func (c *checker) fitArg(n *yaml.Node, t ir.ArgType, ct target.CType, widths bool, what string) {
	if ct.Kind == target.KindUnknown {
		return
	}
	is := fmt.Sprintf("%s is %q", what, ct.C)
	switch {
	case structTypes[t] != nil:
		c.fitStructPointer(n, t, ct, is)
	case t.IsInteger() || t == ir.TypeFd:
		c.fitInteger(n, t, ct, widths, is)
	case t == ir.TypeString || t == ir.TypeCharBuf || t == ir.TypeDataLoc:
		c.fitString(n, t, ct, is)
	}
}

func (c *checker) fitStructPointer(n *yaml.Node, t ir.ArgType, ct target.CType, is string) {
	want := structTypes[t]
	wantC := "struct " + want[0] + " *"
	if t == ir.TypeBpfAttr {
		wantC = "union bpf_attr *"
	}
	hint := fmt.Sprintf("%s reads a %s", t, wantC)
	switch ct.Kind {
	case target.KindPointer:
		e := ct.Elem
		switch {
		case e == nil || e.Kind == target.KindUnknown:
		case (e.Kind == target.KindStruct || e.Kind == target.KindUnion) && slices.Contains(want, e.Name):
		case e.Kind == target.KindVoid:
			c.warnf(n, "arg-type-suspect", fmt.Sprintf("%s reads a %s: make sure the pointer is one", t, wantC),
				"%s, not %s", is, wantC)
		default:
			c.errorf(n, "arg-type-mismatch", hint+suggestType(ct), "%s, not %s", is, t)
		}
	case target.KindInt, target.KindStruct, target.KindUnion, target.KindFloat, target.KindArray, target.KindDataLoc:
		c.errorf(n, "arg-type-mismatch", hint+suggestType(ct), "%s, not %s", is, t)
	}
}

func (c *checker) fitInteger(n *yaml.Node, t ir.ArgType, ct target.CType, widths bool, is string) {
	size := t.Size()
	if t == ir.TypeFd {
		size = 4
	}
	switch ct.Kind {
	case target.KindInt:
		switch {
		case !widths || ct.Size == 0:
		case size < ct.Size:
			c.warnf(n, "arg-type-suspect", "declare an integer type of the parameter's width"+suggestType(ct),
				"%s (%s), not %s (%s): its upper bytes are dropped", is, plural(ct.Size, "byte"), t, plural(size, "byte"))
		case size > ct.Size:
			c.warnf(n, "arg-type-suspect", "declare an integer type of the parameter's width"+suggestType(ct),
				"%s (%s), not %s (%s): the bytes above it are undefined", is, plural(ct.Size, "byte"), t, plural(size, "byte"))
		case t.Signed() != ct.Signed && t != ir.TypeFd:
			sign := map[bool]string{true: "signed", false: "unsigned"}
			c.lintf(n, "arg-type-suspect", "declare an integer type of the parameter's signedness"+suggestType(ct),
				"%s (%s), not %s (%s): values compare differently", is, sign[ct.Signed], t, sign[t.Signed()])
		}
	case target.KindPointer:
		switch {
		case t == ir.TypeFd:
			c.errorf(n, "arg-type-mismatch", "fd reads a file descriptor number"+suggestType(ct), "%s, not fd", is)
		case widths && size < 8:
			c.warnf(n, "arg-type-suspect", "a pointer is 8 bytes: read it as uint64, or declare the type it points to"+suggestType(ct),
				"%s, not %s", is, t)
		}
	case target.KindStruct, target.KindUnion, target.KindFloat:
		c.errorf(n, "arg-type-mismatch", fmt.Sprintf("%s reads an integer", t)+suggestType(ct), "%s, not %s", is, t)
	case target.KindArray:
		if widths {
			c.warnf(n, "arg-type-suspect", fmt.Sprintf("%s reads an integer", t), "%s, an array, not %s", is, t)
		}
	}
}

func (c *checker) fitString(n *yaml.Node, t ir.ArgType, ct target.CType, is string) {
	switch ct.Kind {
	case target.KindArray:
		if e := ct.Elem; e != nil && !(e.Kind == target.KindInt && e.Size == 1) && e.Kind != target.KindUnknown {
			c.warnf(n, "arg-type-suspect", "", "%s, not an array of characters", is)
		}
	case target.KindPointer:
		e := ct.Elem
		switch {
		case e == nil || e.Kind == target.KindUnknown || e.Kind == target.KindVoid:
		case e.Kind == target.KindInt && e.Size == 1:
		case e.Kind == target.KindInt:
			c.warnf(n, "arg-type-suspect", "", "%s, not a pointer to characters", is)
		default:
			c.errorf(n, "arg-type-mismatch", fmt.Sprintf("%s reads bytes from a char pointer", t)+suggestType(ct), "%s, not %s", is, t)
		}
	case target.KindInt:
		if ct.Size == 8 {
			c.warnf(n, "arg-type-suspect", fmt.Sprintf("%s reads bytes from a pointer: make sure the integer holds one", t),
				"%s, an integer, not a pointer to characters", is)
		} else {
			c.errorf(n, "arg-type-mismatch", fmt.Sprintf("%s reads bytes from a char pointer", t)+suggestType(ct), "%s, not %s", is, t)
		}
	case target.KindStruct, target.KindUnion, target.KindFloat:
		c.errorf(n, "arg-type-mismatch", fmt.Sprintf("%s reads bytes from a char pointer", t)+suggestType(ct), "%s, not %s", is, t)
	}
}

// suggestType is `; for "C type", declare X` with the declared type X that
// reads ct, or "".
func suggestType(ct target.CType) string {
	var s string
	switch ct.Kind {
	case target.KindInt:
		s = intTypeFor(ct.Size, ct.Signed).String()
	case target.KindPointer:
		if e := ct.Elem; e != nil {
			for t, names := range structTypes {
				if (e.Kind == target.KindStruct || e.Kind == target.KindUnion) && names[0] == e.Name {
					s = t.String()
				}
			}
			if e.Kind == target.KindInt && e.Size == 1 {
				s = "string"
			}
		}
	}
	if s == "" {
		return ""
	}
	return fmt.Sprintf("; for %q, declare %s", ct.C, s)
}

// intTypeFor is the declared type of an integer of that width.
func intTypeFor(size int, signed bool) ir.ArgType {
	types := map[int][2]ir.ArgType{1: {ir.TypeUint8, ir.TypeInt8}, 2: {ir.TypeUint16, ir.TypeInt16},
		4: {ir.TypeUint32, ir.TypeInt}, 8: {ir.TypeUint64, ir.TypeInt64}}
	pair, ok := types[size]
	if !ok {
		return ir.TypeInvalid
	}
	if signed {
		return pair[1]
	}
	return pair[0]
}

// targetTracepoint checks that the tracepoint exists, that each declared
// index names a field of its format, and that the declared types fit the
// fields. Raw tracepoints take their TP_PROTO's arguments, which the
// format does not list: only their existence is checked.
func (c *checker) targetTracepoint(h *hookView) {
	t, tp := c.opts.Target, h.tp
	if !identifier.MatchString(tp.Subsystem) || !identifier.MatchString(tp.Event) {
		return
	}
	ev, err := t.Event(tp.Subsystem, tp.Event)
	if errors.Is(err, target.ErrNotFound) {
		hint := fmt.Sprintf("see %s/events of that kernel", "/sys/kernel/tracing")
		if s := closest(tp.Subsystem+"/"+tp.Event, t.EventNames(tp.Subsystem)); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		} else if len(t.EventNames(tp.Subsystem)) == 0 {
			hint = fmt.Sprintf("the kernel has no tracepoint subsystem %q", tp.Subsystem)
		}
		c.errorf(fieldOr(tp.At, "event"), "unknown-tracepoint", hint, "%s has no tracepoint %s/%s", t.Kernel(), tp.Subsystem, tp.Event)
		return
	}
	if errors.Is(err, target.ErrUnknown) {
		ev, err = c.btfEvent(h)
	}
	if err != nil || ev == nil || tp.Raw {
		return
	}
	btfSpec, _ := t.Spec()
	for _, a := range h.hook.Args {
		typ := h.types[a]
		if typ == ir.TypeInvalid {
			continue
		}
		if a.Index >= len(ev.Fields) {
			c.errorf(fieldOr(a.At, "index"), "arg-index", "tracepoint indexes count the fields of its format from 0, the common_* fields included",
				"tracepoint %s has no field %d; its fields are %s", ev.Name(), a.Index, fieldList(ev))
			continue
		}
		f := ev.Fields[a.Index]
		ct := target.ParseCType(f.Type, btfSpec)
		c.fitArg(fieldOr(a.At, "type"), typ, ct, false, fmt.Sprintf("field %d of tracepoint %s (%s)", a.Index, ev.Name(), f.Name))
	}
}

// targetHasEvent reports whether the target profile knows tracepoint t, so
// that its indexes are checked against its fields: from its formats, or
// from its BTF when it has no formats.
func (c *checker) targetHasEvent(t *Tracepoint) bool {
	if c.opts.Target == nil || t.Raw {
		return false
	}
	_, err := c.opts.Target.Event(t.Subsystem, t.Event)
	if errors.Is(err, target.ErrUnknown) && btfKnowsSubsystem(t.Subsystem) {
		_, ev := c.opts.Target.EventFromBTF(t.Subsystem, t.Event)
		return ev != nil
	}
	return err == nil
}

// btfKnowsSubsystem is false for the tracepoints the kernel's BTF has no
// btf_trace_EVENT for: the syscalls ones (check_syscalls.go), ftrace's
// own, and the dynamic events users create.
func btfKnowsSubsystem(subsys string) bool {
	switch subsys {
	case "syscalls", "ftrace", "kprobes", "uprobes", "synthetic", "eprobes", "fprobes", "tracepoints":
		return false
	}
	return true
}

// btfEvent is tracepoint h's event as the target's BTF describes it, for a
// profile without formats: nil without fields (the tracepoint of a
// DEFINE_EVENT, one BTF cannot tell). A tracepoint vmlinux does not have is
// a warning: a module may define it, and vmlinux's BTF does not tell.
func (c *checker) btfEvent(h *hookView) (*target.Event, error) {
	tp := h.tp
	if !btfKnowsSubsystem(tp.Subsystem) {
		return nil, nil
	}
	has, ev := c.opts.Target.EventFromBTF(tp.Subsystem, tp.Event)
	if has == target.No {
		c.warnf(fieldOr(tp.At, "event"), "unknown-tracepoint",
			fmt.Sprintf("unless a module defines it, the kernel lacks it: check %s/events of that kernel, or capture its profile with polrun profile", "/sys/kernel/tracing"),
			"%s has no tracepoint %s in its BTF (no btf_trace_%s)", c.opts.Target.Kernel(), tp.Event, tp.Event)
	}
	return ev, nil
}

// fieldList is "0 common_type, 1 common_flags, …".
func fieldList(ev *target.Event) string {
	var parts []string
	for i, f := range ev.Fields {
		parts = append(parts, fmt.Sprintf("%d %s", i, f.Name))
	}
	return strings.Join(parts, ", ")
}

// targetLSM checks that the kernel has the LSM hook and that the declared
// arguments fit it.
func (c *checker) targetLSM(h *hookView) {
	t := c.opts.Target
	if !identifier.MatchString(h.name) || strings.HasPrefix(h.name, "security_") {
		return
	}
	switch t.HasLSMHook(h.name) {
	case target.No:
		hint := "LSM hooks are the functions of include/linux/lsm_hook_defs.h, without the security_ prefix"
		var hooks []string
		for _, n := range t.FunctionNames() {
			if s, ok := strings.CutPrefix(n, "bpf_lsm_"); ok {
				hooks = append(hooks, s)
			}
		}
		if s := closest(h.name, hooks); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		c.errorf(fieldOr(h.at, "hook"), "unknown-lsm-hook", hint, "%s has no LSM hook %q (no bpf_lsm_%s in its BTF)", t.Kernel(), h.name, h.name)
		return
	case target.Unknown:
		return
	}
	proto, err := t.FuncProto("bpf_lsm_" + h.name)
	if err != nil {
		return
	}
	proto.Name = h.name
	c.targetArgs(h, proto, "LSM hook ", true)
}

// targetUprobe checks that the binary has each symbol of the uprobe, when
// the binary can be read: under Options.Sysroot, or at its path here.
func (c *checker) targetUprobe(u *UProbe) {
	if u == nil || !strings.HasPrefix(u.Path, "/") {
		return
	}
	syms := u.Symbols
	nodes := func(i int) *yaml.Node { return valueNode(u.At, "symbols", i) }
	if u.Symbol != "" {
		syms = []string{u.Symbol}
		nodes = func(int) *yaml.Node { return fieldOr(u.At, "symbol") }
	}
	if len(syms) == 0 {
		return
	}
	file := u.Path
	if c.opts.Sysroot != "" {
		file = filepath.Join(c.opts.Sysroot, u.Path)
	}
	have, err := elfSymbols(file)
	if err != nil {
		hint := "give the directory holding the target's files with --sysroot"
		if c.opts.Sysroot != "" {
			hint = ""
		}
		c.report(Note, fieldOr(u.At, "path"), "unchecked-symbol", hint, "symbols of %s cannot be checked: %v", u.Path, err)
		return
	}
	for i, s := range syms {
		if s, _, _ = splitSymbolOffset(s); have[s] {
			continue
		}
		hint := "uprobes attach to the functions an ELF file defines in its symbol tables (nm -D, nm)"
		var names []string
		for n := range have {
			names = append(names, n)
		}
		slices.Sort(names)
		if near := closestName(s, names); near != "" {
			hint = fmt.Sprintf("did you mean %q?", near)
		}
		c.errorf(nodes(i), "unknown-symbol", hint, "%s has no symbol %q", file, s)
	}
}

// elfSymbols returns the names of the functions an ELF file defines in its
// symbol tables.
func elfSymbols(file string) (map[string]bool, error) {
	f, err := elf.Open(file)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && errors.Is(err, os.ErrNotExist) {
			return nil, errors.New("the file is not here")
		}
		return nil, err
	}
	defer f.Close()
	names := map[string]bool{}
	for _, read := range []func() ([]elf.Symbol, error){f.Symbols, f.DynamicSymbols} {
		syms, err := read()
		if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
			return nil, err
		}
		for _, s := range syms {
			// Functions the file defines: not the ones it imports
			// (undefined), nor data.
			switch elf.ST_TYPE(s.Info) {
			case elf.STT_FUNC, elf.STT_GNU_IFUNC, elf.STT_NOTYPE:
				if s.Name != "" && s.Section != elf.SHN_UNDEF {
					names[s.Name] = true
				}
			}
		}
	}
	return names, nil
}

// targetFeatures reports what the hook and its actions need that the
// kernel lacks, when the profile has probed it.
func (c *checker) targetFeatures(h *hookView) {
	need := func(feature string, n *yaml.Node, what, hint string) {
		f, known := c.opts.Target.Feature(feature)
		if !known || f.Supported {
			return
		}
		why := ""
		if f.Reason != "" {
			why = ": " + f.Reason
		}
		c.errorf(n, "unsupported-by-target", hint, "%s cannot %s (%s%s)", c.opts.Target.Kernel(), what, feature, why)
	}
	at := hookNameNode(h)
	switch h.kind {
	case hookKprobe:
		need(bpf.FeatureKprobe, at, "attach kprobes", "hook a tracepoint instead, if one is near the function")
		if h.hasReturn {
			need(bpf.FeatureKretprobe, fieldOr(h.at, "return"), "attach kretprobes", "")
		}
	case hookTracepoint:
		if h.tp.Raw {
			need(bpf.FeatureRawTracepoint, at, "attach raw tracepoints", "drop raw: true")
		} else {
			need(bpf.FeatureTracepoint, at, "attach tracepoints", "")
		}
	case hookUprobe, hookUSDT:
		need(bpf.FeatureUprobe, at, "attach uprobes", "")
	case hookLSM:
		need(bpf.FeatureLSM, at, "attach BPF LSM programs", `boot it with "bpf" in lsm=, or hook the security_ function with a kprobe`)
	}
	for _, s := range h.hook.Selectors {
		for _, a := range slices.Concat(s.MatchActions, s.MatchReturnActions) {
			an := fieldOr(a.At, "action")
			switch strings.ToLower(a.Action) {
			case actSigkill, actSignal:
				need(bpf.FeatureSendSignal, an, "send signals from BPF", "")
			case actOverride:
				if h.kind == hookUprobe {
					need(bpf.FeatureUprobeWriteCtx, an, "let uprobe programs write the task's registers", "use Sigkill or Signal to stop the process")
				}
				if h.kind != hookKprobe {
					continue
				}
				if c.overridesThroughFmodRet(h) {
					need(bpf.FeatureFmodRet, an, "override security_* functions with fmod_ret", "use an LSM hook")
				} else {
					hint := "it needs CONFIG_BPF_KPROBE_OVERRIDE; hook a security_* function instead (security_file_open for open, security_bprm_check for exec), which polc overrides with fmod_ret, or use an LSM hook"
					if fn, lsm, ok := ir.OverrideAlternative(h.kprobe.Call); ok && h.kprobe.Syscall {
						hint = fmt.Sprintf("it needs CONFIG_BPF_KPROBE_OVERRIDE; hook %s instead of %s (polc overrides security_* functions with fmod_ret), or the LSM hook %s", fn, h.kprobe.Call, lsm)
					}
					need(bpf.FeatureOverride, an, "override a function's return value with bpf_override_return", hint)
				}
			}
		}
	}
}

// overridesThroughFmodRet is true for kprobes whose functions are all
// security_* ones, which Override changes with fmod_ret.
func (c *checker) overridesThroughFmodRet(h *hookView) bool {
	calls := []string{h.kprobe.Call}
	if name, ok := strings.CutPrefix(h.kprobe.Call, "list:"); ok {
		l := c.lists[name]
		if l == nil || l.Type != listFunctions {
			return false
		}
		calls = l.Values
	}
	for _, f := range calls {
		if !strings.HasPrefix(f, "security_") {
			return false
		}
	}
	return !h.kprobe.Syscall
}

// targetEnforcers: an enforcer overrides the syscalls it lists with
// bpf_override_return, when a NotifyEnforcer asks for an error (one that
// only asks for a signal needs a plain kprobe).
func (c *checker) targetEnforcers() {
	f, known := c.opts.Target.Feature(bpf.FeatureOverride)
	if !known || f.Supported || !c.enforcerErrors() {
		return
	}
	for _, e := range c.pol.Spec.Enforcers {
		for i, call := range e.Calls {
			if strings.HasPrefix(call, "security_") {
				continue
			}
			what := call
			if name, ok := strings.CutPrefix(call, "list:"); ok {
				what = fmt.Sprintf("the calls of list %q", name)
			}
			c.errorf(valueNode(e.At, "calls", i), "unsupported-by-target",
				"it needs CONFIG_BPF_KPROBE_OVERRIDE; use an LSM hook or Override on a security_* function instead",
				"%s cannot override %s with bpf_override_return (%s: %s)", c.opts.Target.Kernel(), what, bpf.FeatureOverride, f.Reason)
		}
	}
}

// enforcerErrors says whether a NotifyEnforcer of the policy has an
// argError.
func (c *checker) enforcerErrors() bool {
	for _, h := range c.hooks {
		if h.hook == nil {
			continue
		}
		for _, s := range h.hook.Selectors {
			for _, a := range slices.Concat(s.MatchActions, s.MatchReturnActions) {
				if strings.ToLower(a.Action) == actNotifyEnforcer && a.ArgError != nil && *a.ArgError != 0 {
					return true
				}
			}
		}
	}
	return false
}

// CheckFeatures reports each of the kernel features a built bundle requires
// (its manifest's) that the target kernel lacks, at the policy's position
// pos. The checks find what hooks and actions need; this finds the rest,
// such as bpf_loop for followForks.
func CheckFeatures(required []string, t *target.Profile, pos Pos) []Diagnostic {
	if t == nil {
		return nil
	}
	var out []Diagnostic
	for _, name := range required {
		f, known := t.Feature(name)
		if !known || f.Supported {
			continue
		}
		why := ""
		if f.Reason != "" {
			why = ": " + f.Reason
		}
		out = append(out, Diagnostic{Code: "unsupported-by-target", Severity: Error, Pos: pos,
			Msg:  fmt.Sprintf("the bundle needs the %s feature, which %s lacks%s", name, t.Kernel(), why),
			Hint: "polrun would refuse to load it there; bpf_loop comes from followForks and followChildren"})
	}
	return out
}
