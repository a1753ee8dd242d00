package compiler

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"
	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

type hookKind string

const (
	hookKprobe     hookKind = "kprobe"
	hookTracepoint hookKind = "tracepoint"
	hookUprobe     hookKind = "uprobe"
	hookLSM        hookKind = "LSM hook"
	hookUSDT       hookKind = "USDT probe"
)

// hookView is what the checks need of any hook kind.
type hookView struct {
	kind      hookKind
	at        At
	name      string // for messages: the call, subsystem/event, path:symbol
	key       string // identity for duplicate detection
	hook      *Hook
	ret       *Arg // returnArg, or nil
	hasReturn bool // return: true
	kprobe    *KProbe
	tp        *Tracepoint
	uprobe    *UProbe
	usdt      *USDT
	maxIndex  int // highest argument index the hook can read; -1: no bound known offline

	data []*Arg // data: entries (kprobes, uprobes, LSM hooks)

	// filled by checkArgs
	args  map[int]*Arg // by declared index
	types map[*Arg]ir.ArgType

	celExprs int // CelExpr filters seen, for the compat limit
	jumps    int // uprobe Overrides with argNewSymbol, argNewAddr or argNewOffset seen
}

func (c *checker) collectHooks() {
	s := &c.pol.Spec
	for _, k := range append(slices.Clip(s.KProbes), s.Fentries...) {
		h := &hookView{kind: hookKprobe, at: k.At, name: k.Call, hook: &k.Hook, ret: k.ReturnArg,
			hasReturn: k.Return, kprobe: k, maxIndex: tetragonKprobeMaxIndex, data: k.Data}
		h.key = fmt.Sprintf("kprobe %s syscall=%v", k.Call, k.Syscall)
		if k.Fentry {
			h.key = fmt.Sprintf("fentry %s syscall=%v", k.Call, k.Syscall)
		}
		if c.tableKprobeArgsChecked(k) {
			h.maxIndex = -1 // checked against the syscall's prototype (check_syscalls.go)
		}
		c.hooks = append(c.hooks, h)
	}
	for _, t := range s.Tracepoints {
		h := &hookView{kind: hookTracepoint, at: t.At, name: t.Subsystem + "/" + t.Event, hook: &t.Hook, tp: t, maxIndex: -1}
		h.key = fmt.Sprintf("tracepoint %s/%s raw=%v", t.Subsystem, t.Event, t.Raw)
		if t.Raw {
			h.maxIndex = tetragonRawTracepointMaxIndex
		} else if n, ok := knownTracepointFields(t.Subsystem, t.Event); ok {
			h.maxIndex = n - 1
		}
		if c.targetHasEvent(t) {
			h.maxIndex = -1 // checked against the event's fields (check_target.go)
		} else if ev, ok := c.syscallEventOf(t); ok && ev.fields != nil {
			h.maxIndex = -1 // checked against the syscall's prototype (check_syscalls.go)
		}
		c.hooks = append(c.hooks, h)
	}
	for _, u := range s.UProbes {
		syms := u.Symbols
		if u.Symbol != "" {
			syms = append([]string{u.Symbol}, syms...)
		}
		h := &hookView{kind: hookUprobe, at: u.At, name: u.Path + ":" + strings.Join(syms, ","), hook: &u.Hook,
			ret: u.ReturnArg, hasReturn: u.Return, uprobe: u, maxIndex: 5, data: u.Data}
		h.key = "uprobe " + h.name
		c.hooks = append(c.hooks, h)
	}
	for _, l := range s.LSMHooks {
		h := &hookView{kind: hookLSM, at: l.At, name: l.Name, hook: &l.Hook, maxIndex: 11, data: l.Data}
		h.key = "lsm " + l.Name
		c.hooks = append(c.hooks, h)
	}
	for _, u := range s.USDTs {
		h := &hookView{kind: hookUSDT, at: u.At, name: u.Path + ":" + u.Provider + ":" + u.Name, hook: &u.Hook, usdt: u, maxIndex: 11}
		h.key = "usdt " + h.name
		c.hooks = append(c.hooks, h)
	}
}

// knownTracepointFields gives the number of format fields (including the
// four common_* fields) of tracepoints whose layout is fixed by the kernel's
// syscall ABI, so that their indexes can be checked offline.
func knownTracepointFields(subsys, event string) (int, bool) {
	switch {
	case subsys == "raw_syscalls" && (event == "sys_enter" || event == "sys_exit"):
		return 6, true // common x4, id, args[6] / ret
	case subsys == "syscalls" && strings.HasPrefix(event, "sys_exit_"):
		return 6, true // common x4, __syscall_nr, ret
	case subsys == "syscalls" && strings.HasPrefix(event, "sys_enter_"):
		return 11, true // common x4, __syscall_nr, up to six arguments
	}
	return 0, false
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// hookNames are the fields that name each kind of hook: they must not be
// empty when given.
var hookNames = map[hookKind][]string{
	hookKprobe: {"call"}, hookTracepoint: {"subsystem", "event"}, hookUprobe: {"path"},
	hookLSM: {"hook"}, hookUSDT: {"path", "provider", "name"},
}

func (c *checker) checkHook(h *hookView) {
	for _, f := range hookNames[h.kind] {
		if n := h.at.Field(f); n != nil && n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "" {
			c.errorf(n, "missing-field", fmt.Sprintf("give the %s of the %s", f, h.kind), "%s is empty", f)
		}
	}
	switch h.kind {
	case hookKprobe:
		c.checkKprobe(h)
	case hookTracepoint:
		t := h.tp
		if strings.TrimSpace(t.Subsystem) != "" && !identifier.MatchString(t.Subsystem) {
			c.errorf(fieldOr(t.At, "subsystem"), "bad-tracepoint", "subsystems are directory names under /sys/kernel/tracing/events",
				"%q is not a tracepoint subsystem name", t.Subsystem)
		}
		if strings.TrimSpace(t.Event) != "" && !identifier.MatchString(t.Event) {
			c.errorf(fieldOr(t.At, "event"), "bad-tracepoint", "events are directory names under /sys/kernel/tracing/events/SUBSYSTEM",
				"%q is not a tracepoint event name", t.Event)
		}
		if t.Raw && t.Subsystem == "syscalls" {
			c.errorf(fieldOr(t.At, "raw"), "bad-tracepoint", "attach to raw_syscalls/sys_enter or sys_exit as a raw tracepoint, or drop raw: true",
				"the per-syscall tracepoints (syscalls/*) cannot be attached as raw tracepoints")
		}
	case hookUprobe:
		c.checkUprobe(h.uprobe)
	case hookLSM:
		if strings.HasPrefix(h.name, "security_") {
			c.errorf(fieldOr(h.at, "hook"), "bad-lsm-hook", fmt.Sprintf("write hook: %q", strings.TrimPrefix(h.name, "security_")),
				"LSM hooks are named without the security_ prefix")
		} else if strings.TrimSpace(h.name) != "" && !identifier.MatchString(h.name) {
			c.errorf(fieldOr(h.at, "hook"), "bad-lsm-hook", "", "%q is not an LSM hook name", h.name)
		}
	}
	c.checkArgs(h)
	c.checkData(h)       // check_data.go
	c.resolveAutoArgs(h) // autotype.go
	c.checkReturn(h)
	c.checkMessageTags(h) // check_tetragon_limits.go
	for i, s := range h.hook.Selectors {
		c.checkSelector(h, s, i)
	}
	c.compatHook(h)
}

func (c *checker) checkKprobe(h *hookView) {
	k := h.kprobe
	callNode := fieldOr(k.At, "call")
	if name, ok := strings.CutPrefix(k.Call, "list:"); ok {
		l, found := c.listRef(name, callNode)
		if found {
			isSys := l.Type == listSyscalls || l.Type == listGeneratedSyscalls
			if n := k.Field("syscall"); n != nil && k.Syscall != isSys {
				if isSys {
					c.errorf(n, "syscall-flag", "remove syscall: false; list members are syscalls",
						"list %q holds syscalls but the kprobe says syscall: false", name)
				} else {
					c.errorf(n, "syscall-flag", `set type: "syscalls" on the list if its members are syscalls`,
						"list %q holds kernel functions but the kprobe says syscall: true", name)
				}
			}
			if l.Type == listSyscalls {
				// The list's checks report names that are no syscall; a
				// syscall without a kernel function is fine for syscall64
				// values but cannot be hooked.
				for i, v := range l.Values {
					if _, _, err := arch.SyscallSymbol(c.opts.Arch, v); errors.Is(err, arch.ErrNoEntryPoint) {
						c.checkSyscallName(h, v, valueNode(l.At, "values", i), fmt.Sprintf("list %q, hooked at line %d: ", name, callNode.Line))
					}
				}
			}
		}
		return
	}
	if strings.TrimSpace(k.Call) == "" {
		return // the schema reports a missing call
	}
	if !identifier.MatchString(k.Call) { // kallsyms names, including compiler suffixes such as foo.isra.0
		c.errorf(callNode, "bad-call", "call names a kernel function, as listed in /proc/kallsyms, or list:NAME",
			"%q is not a kernel function name", k.Call)
		return
	}
	if k.Syscall {
		c.checkSyscallName(h, k.Call, callNode, "")
		return
	}
	if arch.IsSyscall(c.opts.Arch, k.Call) && looksLikeSyscallSymbol(k.Call) {
		c.warnf(callNode, "syscall-flag-missing",
			"add syscall: true so that the arch prefix is added and arguments are read with the syscall ABI",
			"%q is a syscall but syscall is false", k.Call)
	}
}

// checkSyscallName reports a syscall hook's function that is no syscall of
// the target arch, or one the kernel does not implement there: build could
// not resolve it to a kernel function. Tetragon refuses a name that is no
// function of the kernel's BTF, prefixed or not (sys_fake); a kernel
// function that is not a syscall (vfs_llseek) it loads with a warning, and
// then reads the arguments from a struct pt_regs that the function does
// not take. polc refuses both. polc's tables know every syscall of the
// kernels up to the newest x/sys release (arch/zsyscalls.go), so a real
// syscall is not refused. prefix starts messages about a list entry.
func (c *checker) checkSyscallName(h *hookView, name string, at *yaml.Node, prefix string) {
	_, _, err := arch.SyscallSymbol(c.opts.Arch, name)
	if err == nil {
		return
	}
	if errors.Is(err, arch.ErrNoEntryPoint) {
		c.errorf(at, "not-a-syscall", "no kernel function runs it there: hook another syscall, or trace raw_syscalls/sys_enter and match its number",
			"%s%q is a syscall that %s kernels do not implement", prefix, name, c.opts.Arch)
		return
	}
	hint := "syscall: true hooks a syscall's entry point and reads its arguments with the syscall ABI; for a plain kernel function set syscall: false"
	switch {
	case errors.Is(err, arch.ErrWrongArch):
		hint = fmt.Sprintf("%v; write sys_NAME and polc adds the prefix of the target arch", err)
	case !strings.Contains(name, "sys_") && arch.IsSyscall(c.opts.Arch, "sys_"+name):
		hint = fmt.Sprintf("write %q: polc adds the arch's prefix", "sys_"+name)
	case errors.Is(err, arch.ErrNotSyscallFunction):
		if i := strings.Index(name, "sys_"); i > 0 && arch.IsSyscall(c.opts.Arch, name[i:]) {
			hint = fmt.Sprintf("hook the syscall as %q: %s is a helper of its wrapper", name[i:], name)
		}
	case h != nil && h.kprobe != nil && h.kprobe.Ignore != nil && h.kprobe.Ignore.CallNotFound:
		hint = "no kernel polc knows has this syscall, so ignore.callNotFound would drop the hook everywhere: remove it, or fix the name"
	}
	c.errorf(at, "not-a-syscall", hint, "%s%q is not a syscall of %s", prefix, name, c.opts.Arch)
}

// looksLikeSyscallSymbol is true for sys_X and __ARCH_sys_X names, the forms
// that name a syscall entry point (ksys_write is a plain function).
func looksLikeSyscallSymbol(s string) bool {
	return strings.HasPrefix(s, "sys_") || strings.HasPrefix(s, "__x64_sys_") ||
		strings.HasPrefix(s, "__ia32_sys_") || strings.HasPrefix(s, "__arm64_sys_")
}

func (c *checker) checkUprobe(u *UProbe) {
	c.checkDigests(u)
	if u.BTFPath != "" && !slices.ContainsFunc(u.Args, func(a *Arg) bool { return a.BTFType != "" || a.Resolve != "" }) {
		c.warnf(fieldOr(u.At, "btfPath"), "ignored-field", "remove btfPath",
			"btfPath is read only for arguments with btfType or resolve; it has no effect here")
	}
	if u.Symbol != "" && len(u.Symbols) > 0 {
		c.errorf(fieldOr(u.At, "symbol"), "symbol-and-symbols", "list every symbol under symbols",
			"uprobe has both symbol and symbols")
	} else if u.Symbol != "" {
		// The spec documents the single form; Tetragon's CRD has only
		// symbols, and its strict decoder refuses symbol.
		c.compatf(fieldOr(u.At, "symbol"), "compat-symbol", "Tetragon refuses symbol, an unknown field to its CRD: write symbols: [%q]", u.Symbol)
	}
	// Tetragon attaches a uprobe by exactly one of its symbols, offsets
	// (from the start of the file) or addrs (virtual addresses), and
	// refuses the others (pkg/sensors/tracing validateUprobeSpec).
	var given []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"symbols", u.Symbol != "" || len(u.Symbols) > 0}, {"offsets", len(u.Offsets) > 0}, {"addrs", len(u.Addrs) > 0}} {
		if f.set {
			given = append(given, f.name)
		}
	}
	switch {
	case len(given) == 0:
		c.errorf(u.Node, "missing-symbol", `add symbols: ["function_name"]`, "uprobe on %q names no symbol", u.Path)
	case len(given) > 1:
		n := fieldOr(u.At, given[1])
		if given[0] == "symbols" && u.Symbol != "" && len(u.Symbols) == 0 {
			given[0] = "symbol"
		}
		c.errorf(n, "uprobe-targets", "a uprobe attaches by symbols, by offsets from the start of the file, or by addrs; write one uprobe for each",
			"uprobe on %q has both %s and %s; Tetragon takes exactly one of symbols, offsets and addrs", u.Path, given[0], strings.Join(given[1:], " and "))
	}
	for i, a := range u.Addrs {
		if a == 0 {
			c.errorf(valueNode(u.At, "addrs", i), "bad-value", "give the function's address as nm shows it",
				"uprobe address 0 is no code of the binary")
		}
	}
	if n := max(len(u.Symbols), len(u.Offsets), len(u.Addrs)); len(u.RefCtrOffsets) > 0 && n > 0 && len(u.RefCtrOffsets) != n {
		what := "symbols"
		switch {
		case len(u.Offsets) > 0:
			what = "offsets"
		case len(u.Addrs) > 0:
			what = "addrs"
		}
		c.errorf(fieldOr(u.At, "refCtrOffsets"), "offsets-count", "give one reference counter offset per symbol or offset",
			"%d refCtrOffsets for %d %s", len(u.RefCtrOffsets), n, what)
	}
	if u.Path != "" && !strings.HasPrefix(u.Path, "/") {
		c.errorf(fieldOr(u.At, "path"), "relative-path", "uprobes attach to a file; give its absolute path",
			"uprobe path %q is not absolute", u.Path)
	}
	seen := map[string]bool{}
	for i, s := range u.Symbols {
		if seen[s] {
			c.errorf(valueNode(u.At, "symbols", i), "duplicate-hook", "", "symbol %q is listed twice", s)
		}
		seen[s] = true
		if _, _, err := splitSymbolOffset(s); err != nil {
			c.errorf(valueNode(u.At, "symbols", i), "bad-value", `write SYMBOL or SYMBOL+OFFSET, e.g. "main+0x10"`, "%v", err)
		}
	}
	if _, _, err := splitSymbolOffset(u.Symbol); err != nil {
		c.errorf(fieldOr(u.At, "symbol"), "bad-value", `write SYMBOL or SYMBOL+OFFSET, e.g. "main+0x10"`, "%v", err)
	}
}

// splitSymbolOffset splits a uprobe symbol SYMBOL+OFFSET, as Tetragon
// reads it: the uprobe attaches OFFSET bytes (decimal, 0x hex or 0 octal)
// into the function.
func splitSymbolOffset(s string) (string, uint64, error) {
	sym, off, ok := strings.Cut(s, "+")
	if !ok {
		return s, 0, nil
	}
	if strings.Contains(off, "+") {
		return sym, 0, fmt.Errorf("symbol %q has more than one +OFFSET", s)
	}
	n, err := strconv.ParseUint(off, 0, 64)
	if err != nil {
		return sym, 0, fmt.Errorf("symbol %q: offset %q is not a number", s, off)
	}
	return sym, n, nil
}

// checkArgs checks the declared arguments: indexes in range and unique,
// known types, and the buffer options.
func (c *checker) checkArgs(h *hookView) {
	h.args = map[int]*Arg{}
	h.types = map[*Arg]ir.ArgType{}
	labels := map[string]*Arg{}
	for _, a := range h.hook.Args {
		t := c.argType(h, a)
		h.types[a] = t
		idx := fieldOr(a.At, "index")
		if h.maxIndex >= 0 && a.Index > h.maxIndex {
			c.errorf(idx, "arg-index", indexRangeHint(h),
				"argument index %d is out of range for this %s (0 to %d)", a.Index, h.kind, h.maxIndex)
		}
		// The same index may be declared again, to read it another way
		// (another resolve path or btfType, another type): each entry is
		// read and reported, as in Tetragon, whose matchArgs index names
		// the first entry of the index (args: [N] names any entry).
		if _, dup := h.args[a.Index]; !dup {
			h.args[a.Index] = a
		}
		for _, prev := range h.hook.Args {
			if prev == a {
				break
			}
			if prev.Index == a.Index && prev.Type == a.Type && prev.Resolve == a.Resolve && prev.BTFType == a.BTFType {
				c.warnf(idx, "duplicate-arg", "remove one, or read it another way (resolve, btfType)",
					"argument index %d is declared the same way at line %d: it is read and reported twice", a.Index, prev.Node.Line)
				break
			}
		}
		if a.Label != "" {
			if prev, dup := labels[a.Label]; dup {
				c.warnf(fieldOr(a.At, "label"), "duplicate-label", "labels name arguments in events; make them unique",
					"label %q is already used at line %d", a.Label, prev.Node.Line)
			}
			labels[a.Label] = a
		}
	}
	for _, a := range h.hook.Args {
		if a.BTFTypeModule != "" {
			c.errorf(fieldOr(a.At, "btfTypeModule"), "unsupported", "remove btfTypeModule; btfType is looked up in the kernel's BTF (vmlinux)",
				"btfTypeModule (btfType from a kernel module's BTF) is not yet supported by polc")
		}
		if h.kind == hookUSDT && (a.BTFType != "" || a.Resolve != "") {
			c.errorf(fieldOr(a.At, "btfType"), "unsupported", "read the argument without btfType and resolve",
				"btfType and resolve on %s arguments (types from the binary's BTF, btfPath) are not yet supported by polc", h.kind)
		}
		if h.kind == hookUprobe && (a.BTFType != "" || a.Resolve != "") {
			c.checkUprobeResolve(h, a)
		}
		c.checkBufferOptions(h, a)
		if a.Resolve != "" && !resolvePath.MatchString(a.Resolve) {
			c.errorf(fieldOr(a.At, "resolve"), "bad-resolve", `write a path of struct members, such as "mm.owner.real_parent.comm"`,
				"resolve %q is not a member path", a.Resolve)
		}
	}
}

var resolvePath = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?)*$`)

func indexRangeHint(h *hookView) string {
	switch h.kind {
	case hookKprobe:
		return "indexes count function arguments from 0; Tetragon reads the first five (indexes 0 to 4)"
	case hookUprobe:
		return "indexes count function arguments from 0; the first six are in registers"
	case hookTracepoint:
		if h.tp != nil && h.tp.Raw {
			return "a raw tracepoint's arguments are those of its TP_PROTO, from 0; Tetragon reads the first five (indexes 0 to 4)"
		}
		return "tracepoint indexes count the fields of its format, the four common_* fields included"
	}
	return ""
}

// checkBufferOptions checks sizeArgIndex, returnCopy and maxData.
func (c *checker) checkBufferOptions(h *hookView, a *Arg) {
	t := h.types[a]
	if _, refused := unsupportedArgTypes[a.Type]; refused {
		return // the type is refused; its options are Tetragon's for it
	}
	buffer := t.IsBuffer() || a.Type == "iov_iter"
	if a.ReturnCopy {
		n := fieldOr(a.At, "returnCopy")
		switch {
		case !t.IsBuffer() && t != ir.TypeInt32Arr:
			c.errorf(n, "bad-option", "returnCopy applies to char_buf, char_iovec and int32_arr", "returnCopy on argument %d of type %s", a.Index, a.Type)
		case h.kind != hookKprobe && h.kind != hookUprobe:
			c.errorf(n, "bad-option", "returnCopy reads the buffer when the function returns; only kprobes and uprobes return",
				"returnCopy on this %s", h.kind)
		}
	}
	if a.MaxData {
		n := fieldOr(a.At, "maxData")
		switch {
		case t == ir.TypeCharIovec:
			// Tetragon warns and reads the vector as without it; so does
			// the lowering (lowerArg), which drops the flag.
			c.warnf(n, "ignored-field", "remove maxData: it applies to char_buf and iov_iter",
				"maxData is ignored on char_iovec arguments, as in Tetragon")
		case !buffer:
			c.errorf(n, "bad-option", "maxData applies to char_buf and iov_iter", "maxData on argument %d of type %s", a.Index, a.Type)
		case a.ReturnCopy:
			c.errorf(n, "bad-option", "drop one: maxData reads at entry, returnCopy at return",
				"maxData and returnCopy cannot be combined")
		}
	}
	if a.SizeArgIndex != 0 {
		c.checkSizeArgIndex(h, a, t)
	} else if t == ir.TypeCharIovec && (a.ReturnCopy || h.kind == hookTracepoint) {
		// Its entry count is read from the size argument, at entry or at
		// return alike: there is no other way to know it.
		c.errorf(fieldOr(a.At, "type"), "missing-size", "set sizeArgIndex to the 1-based number of the argument holding the entry count (index + 1)",
			"char_iovec argument %d needs its entry count (sizeArgIndex)", a.Index)
	} else if t.IsBuffer() && !a.ReturnCopy && rawSizeArgs(h) {
		// Tetragon's length is then 0 (get_arg_meta of no index): the
		// argument is always empty, and so it is in polc.
		c.warnf(fieldOr(a.At, "type"), "empty-buffer", "set sizeArgIndex to the 1-based number of the argument holding the length (index + 1)",
			"%s argument %d has no sizeArgIndex: its length is 0, as in Tetragon, so it is always empty", a.Type, a.Index)
	}
}

func (c *checker) checkSizeArgIndex(h *hookView, a *Arg, t ir.ArgType) {
	n := fieldOr(a.At, "sizeArgIndex")
	if !t.IsBuffer() {
		c.errorf(n, "bad-option", "sizeArgIndex applies to char_buf and char_iovec", "sizeArgIndex on argument %d of type %s", a.Index, a.Type)
		return
	}
	target := a.SizeArgIndex - 1 // 1-based: the spec's documented quirk
	sz, ok := h.args[target]
	if ok && (h.types[sz].IsInteger() || h.types[sz] == ir.TypeInvalid || h.types[sz] == ir.TypeAuto) {
		return // an integer, or a type already reported
	}
	// Does it look 0-based? Then the argument one further is the integer.
	zeroBased := ""
	if next, ok := h.args[a.SizeArgIndex]; ok && h.types[next].IsInteger() {
		zeroBased = fmt.Sprintf("sizeArgIndex is 1-based (index + 1): the size argument at index %d is written sizeArgIndex: %d",
			a.SizeArgIndex, a.SizeArgIndex+1)
	}
	if rawSizeArgs(h) {
		// Tetragon takes the length from the hook's raw argument
		// (e->a0..a4), declared or not, whatever its declared type; so
		// does polc (ir.Arg.SizeRaw). It keeps only the first five.
		switch {
		case a.SizeArgIndex > ir.MaxSizeRaw:
			c.errorf(n, "bad-size-arg", fmt.Sprintf("declare the size argument (index %d) as an integer, or fix sizeArgIndex; it is 1-based (index + 1)", target),
				"sizeArgIndex %d refers to argument index %d, which is not a declared integer: Tetragon takes an undeclared length only from the first five arguments (sizeArgIndex 1 to 5) and reads none of the buffer otherwise",
				a.SizeArgIndex, target)
		case ok:
			hint := zeroBased
			if hint == "" {
				hint = "point sizeArgIndex at the argument holding the length (index + 1)"
			}
			c.lintf(n, "raw-size-arg", hint,
				"sizeArgIndex %d refers to argument index %d, %s %s: its raw value (for a %s, a pointer, not a length) is taken as the length, as in Tetragon, so the read is cut at the buffer limit",
				a.SizeArgIndex, target, article(sz.Type), sz.Type, sz.Type)
		case zeroBased != "":
			c.lintf(n, "raw-size-arg", zeroBased,
				"sizeArgIndex %d refers to argument index %d, which is not declared: its raw value is the length, as in Tetragon; the declared integer is at index %d",
				a.SizeArgIndex, target, a.SizeArgIndex)
		}
		return
	}
	switch {
	case !ok:
		hint := zeroBased
		if hint == "" {
			hint = fmt.Sprintf("declare the size argument (index %d), or fix sizeArgIndex; it is 1-based (index + 1)", target)
		}
		c.errorf(n, "bad-size-arg", hint, "sizeArgIndex %d refers to argument index %d, which is not declared", a.SizeArgIndex, target)
	default:
		hint := zeroBased
		if hint == "" {
			hint = "the size argument must be an integer type such as size_t or int"
		}
		c.errorf(n, "bad-size-arg", hint, "sizeArgIndex %d refers to argument index %d, %s %s, not an integer",
			a.SizeArgIndex, target, article(sz.Type), sz.Type)
	}
}

// rawSizeArgs tells whether the hook's buffer lengths may come from its raw
// arguments (registers, a raw tracepoint's or an LSM hook's arguments, USDT
// operands): every hook but a tracepoint read from its format, whose
// sizeArgIndex names a field that must be declared.
func rawSizeArgs(h *hookView) bool {
	return h.kind != hookTracepoint || h.tp != nil && h.tp.Raw
}

// checkReturn checks return, returnArg and returnArgAction.
func (c *checker) checkReturn(h *hookView) {
	k := h.kprobe
	switch {
	case h.hasReturn && h.ret == nil:
		c.errorf(fieldOr(h.at, "return"), "missing-return-arg", `add returnArg: {index: 0, type: "int"} to say how to read the return value`,
			"return: true needs a returnArg")
	case !h.hasReturn && h.ret != nil:
		c.warnf(fieldOr(h.at, "returnArg"), "ignored-return-arg", "add return: true to report the return value",
			"returnArg is ignored without return: true")
	}
	var rt ir.ArgType
	if h.ret != nil {
		rt = c.argType(h, h.ret)
		if h.ret.Index != 0 {
			c.lintf(fieldOr(h.ret.At, "index"), "return-index", "the return value has no index; write index: 0 or leave it out",
				"returnArg index %d is ignored", h.ret.Index)
		}
		if h.ret.SizeArgIndex != 0 || h.ret.ReturnCopy || h.ret.MaxData {
			c.errorf(h.ret.Node, "bad-option", "", "sizeArgIndex, returnCopy and maxData do not apply to a return value")
		}
	}
	if k == nil || k.ReturnArgAction == "" {
		return
	}
	n := fieldOr(k.At, "returnArgAction")
	if !h.hasReturn {
		// Tetragon reads returnArgAction only for a return probe: without
		// return: true it loads the policy and the action does nothing.
		switch strings.ToLower(k.ReturnArgAction) {
		case "post", "tracksock", "untracksock":
			c.warnf(n, "ignored-return-action", "add return: true (and a returnArg) for it to apply, or remove it",
				"returnArgAction %s is ignored without return: true", k.ReturnArgAction)
		default:
			c.errorf(n, "bad-return-action", "returnArgAction takes TrackSock or UntrackSock",
				"%q is not a return argument action", k.ReturnArgAction)
		}
		return
	}
	switch strings.ToLower(k.ReturnArgAction) {
	case "tracksock", "untracksock":
		if rt != ir.TypeSock {
			c.errorf(n, "bad-return-action", `it needs return: true and returnArg: {type: "sock"}, as on sk_alloc`,
				"%s applies to a returned sock", k.ReturnArgAction)
		}
	case "post":
		// Tetragon's addKprobe takes only the socket actions here and
		// refuses Post ("not supported for retprobes").
		c.errorf(n, "bad-return-action", "remove returnArgAction: events are posted by default",
			"returnArgAction Post is not supported: Tetragon refuses it, as on return only TrackSock and UntrackSock apply")
	default:
		c.errorf(n, "bad-return-action", "returnArgAction takes TrackSock or UntrackSock",
			"%q is not a return argument action", k.ReturnArgAction)
	}
}

// checkDuplicateHooks points out (lint) a hook declared twice in one policy.
func (c *checker) checkDuplicateHooks() {
	seen := map[string]*hookView{}
	for _, h := range c.hooks {
		if h.name == "" || h.name == "/" {
			continue
		}
		if prev, dup := seen[h.key]; dup {
			// As in Tetragon, each entry is its own attachment, with its
			// own arguments and selectors: a call both match is reported
			// by each.
			c.lintf(hookNameNode(h), "duplicate-hook", "merge the two into one hook if one event per call is meant: selectors are ORed",
				"%s %q is also hooked at line %d: each entry attaches on its own, and a call both match is reported twice", h.kind, h.name, prev.at.Node.Line)
			continue
		}
		seen[h.key] = h
	}
}

func hookNameNode(h *hookView) *yaml.Node {
	for _, k := range []string{"call", "event", "hook", "path", "name"} {
		if n := h.at.Field(k); n != nil {
			return n
		}
	}
	return h.at.Node
}

// checkUprobeResolve checks btfType and resolve on a uprobe argument: the
// argument points to user memory laid out as a type of the probed binary,
// which Tetragon and polrun look up in the uprobe's btfPath when they load
// the policy (validate checks it when the file is here too), and resolve
// follows members from it.
func (c *checker) checkUprobeResolve(h *hookView, a *Arg) {
	u := h.uprobe
	switch {
	case u == nil || u.BTFPath == "":
		c.errorf(fieldOr(a.At, "btfType"), "unsupported", "give the uprobe's btfPath, a BTF file of the probed binary",
			"btfType and resolve on a uprobe argument read the binary's types, from the uprobe's btfPath, which is not given")
	case a.BTFType == "":
		c.errorf(fieldOr(a.At, "resolve"), "unsupported", "give btfType, the type in btfPath the argument points to",
			"resolve on a uprobe argument needs btfType: polc reads no prototype from the binary")
	case a.Resolve == "":
		c.errorf(fieldOr(a.At, "btfType"), "unsupported", "give resolve, the member path to read",
			"btfType without resolve on a uprobe argument is not supported by polc")
	default:
		if !resolvePath.MatchString(a.Resolve) {
			return // reported (bad-resolve)
		}
		spec, err := btf.LoadSpec(u.BTFPath)
		if err != nil {
			// polrun reads the file on the host when it loads the
			// policy, as Tetragon does; only the check waits until then.
			c.report(Note, fieldOr(u.At, "btfPath"), "needs-btf-file", "validate where the probed binary's BTF file is to check resolve now",
				"btfType %q on argument %d is looked up in btfPath when polrun loads the policy; not readable here, so resolve is checked then: %v", a.BTFType, a.Index, err)
			return
		}
		if _, err := target.UserResolve(spec, a.BTFType, strings.Split(a.Resolve, ".")); err != nil {
			c.errorf(fieldOr(a.At, "resolve"), "bad-resolve", "resolve follows members of btfType in the binary's BTF (btfPath), through pointers",
				"resolve %q on argument %d: %s: %v", a.Resolve, a.Index, u.BTFPath, err)
		}
	}
}

// checkDigests checks a uprobe's binaryDigests, which polrun compares with
// the binary's when it loads the policy (loader/digest.go), and ignore.
func (c *checker) checkDigests(u *UProbe) {
	for i, d := range u.BinaryDigests {
		if _, _, err := bpf.ParseDigest(d); err != nil {
			c.errorf(valueNode(u.At, "binaryDigests", i), "bad-digest",
				"write ALGO:HEX, ALGO one of sha1, sha256, sha384, sha512 (of the whole file) or build-id (its GNU build ID note)", "%v", err)
		}
	}
	if u.Ignore != nil && u.Ignore.DigestVerificationFailure && len(u.BinaryDigests) == 0 {
		c.warnf(fieldOr(u.At, "ignore"), "ignored-field", "remove it, or add binaryDigests",
			"ignore.digestVerificationFailure has no effect without binaryDigests")
	}
}
