package compiler

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

func (c *checker) checkSelector(h *hookView, s *Selector, idx int) {
	if s.Field("matchWorkloads") != nil {
		c.errorf(fieldOr(s.At, "matchWorkloads"), "unsupported", "remove matchWorkloads to apply the selector to every process; matchNamespaces or matchBinaries can tell processes apart",
			"matchWorkloads restricts the selector to pods or containers, which needs Kubernetes pod metadata that polrun does not have")
	}
	if len(s.MatchArgs)+len(s.MatchData)+len(s.MatchReturnArgs)+len(s.MatchPIDs)+len(s.MatchBinaries)+len(s.MatchParentBinaries)+len(s.MatchCmdArgs)+
		len(s.MatchNamespaces)+len(s.MatchCapabilities)+len(s.MatchNamespaceChanges)+
		len(s.MatchCapabilityChanges)+len(s.MatchActions)+len(s.MatchReturnActions)+len(s.MatchWorkloads) == 0 {
		c.lintf(s.Node, "empty-selector", "a selector without filters matches every call; remove it or add filters",
			"selector %d is empty", idx)
	}
	for _, f := range s.MatchArgs {
		c.checkArgFilter(h, f, false)
	}
	for _, f := range s.MatchData {
		c.checkDataFilter(h, f) // check_data.go
	}
	if len(s.MatchReturnArgs) > 0 || len(s.MatchReturnActions) > 0 {
		key := "matchReturnArgs"
		if len(s.MatchReturnArgs) == 0 {
			key = "matchReturnActions"
		}
		if !h.hasReturn || h.ret == nil {
			c.errorf(fieldOr(s.At, key), "needs-return", "set return: true and a returnArg on the hook",
				"%s needs the hook to report its return value", key)
		} else {
			for _, f := range s.MatchReturnArgs {
				c.checkArgFilter(h, f, true)
			}
		}
	}
	for _, f := range s.MatchPIDs {
		c.checkInNotIn(f.At, f.Operator, "matchPIDs")
		c.requireValues(f.At, len(f.Values), "matchPIDs", f.Operator)
		for i, v := range f.Values {
			if _, err := ir.ParsePID(v); err != nil {
				c.errorf(valueNode(f.At, "values", i), "bad-value", "", "%v", err)
			}
		}
		c.lintDuplicateValues(f.At, f.Values)
	}
	for _, f := range s.MatchBinaries {
		c.checkBinaryFilter(f, "matchBinaries")
	}
	for _, f := range s.MatchParentBinaries {
		c.checkBinaryFilter(f, "matchParentBinaries")
	}
	for _, f := range s.MatchCmdArgs {
		c.checkCmdArgFilter(f)
	}
	for _, f := range s.MatchNamespaces {
		if _, ok := ir.ParseNamespace(f.Namespace); !ok && f.Namespace != "" {
			c.errorf(fieldOr(f.At, "namespace"), "bad-namespace", closestHint(f.Namespace, ir.NamespaceNames()),
				"%q is not a namespace kind", f.Namespace)
		}
		c.checkInNotIn(f.At, f.Operator, "matchNamespaces")
		c.requireValues(f.At, len(f.Values), "matchNamespaces", f.Operator)
		for i, v := range f.Values {
			if _, _, err := ir.ParseNamespaceValue(v); err != nil {
				c.errorf(valueNode(f.At, "values", i), "bad-value", `run lsns to find namespace inodes, or write "host_ns"`, "%v", err)
			}
		}
	}
	for _, f := range s.MatchCapabilities {
		c.checkCapFilter(f, "matchCapabilities")
	}
	for _, f := range s.MatchCapabilityChanges {
		c.checkCapFilter(f, "matchCapabilityChanges")
	}
	for _, f := range s.MatchNamespaceChanges {
		c.checkInNotIn(f.At, f.Operator, "matchNamespaceChanges")
		c.requireValues(f.At, len(f.Values), "matchNamespaceChanges", f.Operator)
		for i, v := range f.Values {
			if _, ok := ir.ParseNamespace(v); !ok {
				c.errorf(valueNode(f.At, "values", i), "bad-namespace", closestHint(v, ir.NamespaceNames()),
					"%q is not a namespace kind", v)
			}
		}
	}
	c.checkActions(h, s, s.MatchActions, "matchActions", false)
	c.checkActions(h, s, s.MatchReturnActions, "matchReturnActions", true)
	c.compatSelector(h, s)
}

// argForFilter finds the argument a matchArgs filter refers to. For
// tracepoints, Tetragon accepts the field index or, failing that, the
// position in args; everywhere else the index is the declared one.
//
// With args (a list of positions in the hook's args, Tetragon's
// ArgSelector.Args), the first entry names the argument and index is not
// read: Tetragon takes the argument at that position of the declared list,
// whatever its index.
func (c *checker) argForFilter(h *hookView, f *ArgFilter) (*Arg, bool) {
	if len(f.Args) > 0 {
		pos := f.Args[0]
		if pos < 0 || pos >= len(h.hook.Args) {
			c.errorf(valueNode(f.At, "args", 0), "unknown-arg", argsPositionHint(h),
				"args entry %d is not a position in the hook's args (it declares %d)", pos, len(h.hook.Args))
			return nil, false
		}
		if f.Index != nil && *f.Index != h.hook.Args[pos].Index {
			c.warnf(fieldOr(f.At, "index"), "ignored-field", "remove index, or args",
				"index is not read when args is given: args names the argument by its position, as in Tetragon")
		}
		return h.hook.Args[pos], true
	}
	idx := 0
	if f.Index != nil {
		idx = *f.Index
	}
	if a, ok := h.args[idx]; ok {
		return a, true
	}
	if h.kind == hookTracepoint && idx >= 0 && idx < len(h.hook.Args) {
		return h.hook.Args[idx], true
	}
	var declared []string
	for _, a := range h.hook.Args {
		declared = append(declared, strconv.Itoa(a.Index))
	}
	hint := "declare the argument under args first"
	if len(declared) > 0 {
		hint = "matchArgs index is the declared argument's index; declared: " + strings.Join(declared, ", ")
	}
	c.errorf(fieldOr(f.At, "index"), "unknown-arg", hint, "matchArgs index %d refers to no declared argument", idx)
	return nil, false
}

func (c *checker) checkArgFilter(h *hookView, f *ArgFilter, ret bool) {
	what := "matchArgs"
	var a *Arg
	if ret {
		what = "matchReturnArgs"
		a = h.ret
		if f.Index != nil && *f.Index != h.ret.Index && len(f.Args) == 0 {
			c.lintf(fieldOr(f.At, "index"), "return-index", "matchReturnArgs always tests the return value",
				"index %d is ignored", *f.Index)
		}
		if len(f.Args) > 0 && f.Args[0] != 0 {
			c.errorf(valueNode(f.At, "args", 0), "unknown-arg", "in matchReturnArgs, position 0 is the return value, the only one",
				"args entry %d is not a position of the return value", f.Args[0])
			return
		}
	} else {
		var ok bool
		if a, ok = c.argForFilter(h, f); !ok {
			return
		}
	}
	t := h.types[a]
	if ret {
		t, _ = ir.ParseType(a.Type)
	}
	c.checkFilterOn(h, f, a, t, what)
}

// checkFilterOn checks a matchArgs, matchReturnArgs or matchData filter
// (what) on a, of type t: its operator and values.
func (c *checker) checkFilterOn(h *hookView, f *ArgFilter, a *Arg, t ir.ArgType, what string) {
	opNode := fieldOr(f.At, "operator")
	op, ok := ir.ParseOp(f.Operator)
	if !ok {
		if reason, known := unsupportedArgOps[f.Operator]; known {
			c.errorf(opNode, "unsupported", reason,
				"operator %s is not yet supported by polc", f.Operator)
		}
		return // the schema reports other unknown operators, with a hint
	}
	if op == ir.OpCelExpr {
		c.checkCelExpr(h, f, what) // check_cel.go
		return
	}
	if t == ir.TypeAuto && !(h.tp != nil && c.targetHasEvent(h.tp)) {
		c.errorf(opNode, "unsupported", `declare the field's type, e.g. type: "int", or build with --target, whose format gives it`,
			"filtering a tracepoint field needs its type: without a target kernel's format, polc does not know the field's")
		return
	}
	if t == ir.TypeInvalid || t == ir.TypeAuto {
		return // the type is already reported, or only known from the target's format
	}
	if err := ir.CheckArgOp(op, t); err != nil {
		c.errorf(opNode, "bad-operator", argOpHint(t), "%s on argument %d: %v", what, a.Index, err)
		return
	}
	if what == "matchReturnArgs" && readsInodeAtEntry(op) {
		// codegen reads the inode from the hook's arguments again; a
		// return program has only the returned value's record.
		c.errorf(opNode, "unsupported", "test the file when it is an argument, in matchArgs",
			"%s on a returned file is not yet supported by polc: it reads the file's inode, which polc reads from the arguments at entry", op)
		return
	}
	if op == ir.OpCapabilitiesGained {
		if len(f.Args) != 2 {
			c.errorf(opNode, "bad-operator", "list the new and the old capability set arguments: args: [NEW, OLD]",
				"CapabilitiesGained compares two capability arguments")
		}
		return
	}
	if len(f.Args) > 1 {
		c.warnf(valueNode(f.At, "args", 1), "ignored-field", "list one position: "+op.String()+" tests one argument",
			"%s tests only the first argument of args, as in Tetragon; the others are ignored", op)
	}
	if !op.TakesValues() {
		if len(f.Values) > 0 {
			c.warnf(fieldOr(f.At, "values"), "ignored-values", "", "%s takes no values; they are ignored", op)
		}
		return
	}
	c.requireValues(f.At, len(f.Values), what, f.Operator)
	for i, v := range f.Values {
		val, err := ir.ParseArgValue(op, t, v)
		vn := valueNode(f.At, "values", i)
		if err != nil {
			c.errorf(vn, "bad-value", valueHint(op, t), "%v", err)
			continue
		}
		c.checkValue(h, a, t, op, val, vn)
	}
	c.lintDuplicateValues(f.At, f.Values)
	if t.Class() == ir.ClassPath && (op == ir.OpEqual || op == ir.OpPrefix) {
		for i, v := range f.Values {
			if !strings.HasPrefix(v, "/") {
				c.lintf(valueNode(f.At, "values", i), "relative-path", "paths are reported in full, from /",
					"%q is not an absolute path, so %s never matches it", v, op)
			}
		}
	}
	if t == ir.TypeDNS && op != ir.OpSubStringIgnCase {
		c.checkDNSValues(f, op)
	}
}

// checkDNSValues warns of values a dns argument's query name never holds:
// it is read lowercased, and has at most 255 characters.
func (c *checker) checkDNSValues(f *ArgFilter, op ir.Op) {
	outcome := "never matches it"
	if op.Negated() {
		outcome = "always passes"
	}
	for i, v := range f.Values {
		why := ""
		switch {
		case strings.ToLower(v) != v:
			why = fmt.Sprintf("%q has capitals and the query name is read lowercased", v)
		case len(v) > ir.DNSNameMax:
			why = fmt.Sprintf("%q is longer than the %d characters of a query name", v, ir.DNSNameMax)
		default:
			continue
		}
		c.warnf(valueNode(f.At, "values", i), "dns-name", "write the name in lower case, as the argument reads it (or use SubStringIgnCase)",
			"%s, so %s %s", why, op, outcome)
	}
}

// readsInodeAtEntry: the operators that read a file argument's inode
// (its mode, its identity), which codegen reads from the arguments at
// entry, not from a record.
func readsInodeAtEntry(op ir.Op) bool {
	switch op {
	case ir.OpFileType, ir.OpNotFileType, ir.OpSameFile, ir.OpNotSameFile:
		return true
	}
	return false
}

// checkValue checks what depends on the policy, not only on the value.
func (c *checker) checkValue(h *hookView, a *Arg, t ir.ArgType, op ir.Op, v ir.Value, n *yaml.Node) {
	if v.Kind == ir.ValList {
		l, ok := c.listRef(v.List, n)
		if !ok {
			return
		}
		if l.Type != listSyscalls && l.Type != listGeneratedSyscalls {
			c.errorf(n, "bad-list", `InMap takes lists of type "syscalls" or "generated_syscalls", whose values are syscall numbers`,
				"list %q holds kernel functions, not syscalls", v.List)
		} else if t != ir.TypeSyscall64 {
			c.warnf(n, "list-needs-syscall64",
				`declare the argument as type: "syscall64" so that 32-bit (__ia32_) syscalls in the list match too`,
				"the list is compared as 64-bit syscall numbers to an argument of type %s", t)
		}
	}
	if s := v.Str; v.Kind == ir.ValString && a.Type == "string" && strings.HasSuffix(s, "\\0") {
		c.lintf(n, "escaped-nul", `in YAML, "\0" is a NUL only inside double quotes`,
			"value %q ends with a backslash and 0, not a NUL byte", s)
	}
}

func argOpHint(t ir.ArgType) string {
	ops := ir.ArgOps(t)
	if len(ops) == 0 {
		return ""
	}
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = o.String()
	}
	return fmt.Sprintf("%s %s argument takes %s", article(t.String()), t, strings.Join(names, ", "))
}

// article returns "an" before a vowel sound, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func valueHint(op ir.Op, t ir.ArgType) string {
	switch {
	case op == ir.OpInRange || op == ir.OpNotInRange:
		return `ranges are written "min:max"`
	case op == ir.OpSAddr || op == ir.OpDAddr || op == ir.OpNotSAddr || op == ir.OpNotDAddr:
		return `addresses are written "10.0.0.1", "10.0.0.0/8" or "fd00::/8"`
	case t.IsInteger():
		return fmt.Sprintf("%s values are decimal, 0x hex or 0o octal integers", t)
	}
	return ""
}

// argsPositionHint lists the positions a matchArgs args entry can name.
func argsPositionHint(h *hookView) string {
	if len(h.hook.Args) == 0 {
		return "declare the argument under args first"
	}
	var pos []string
	for i, a := range h.hook.Args {
		pos = append(pos, fmt.Sprintf("%d (index %d)", i, a.Index))
	}
	return "args lists positions in the hook's args, from 0: " + strings.Join(pos, ", ")
}

func (c *checker) checkInNotIn(at At, operator, what string) {
	op, ok := ir.ParseOp(operator)
	if ok && op != ir.OpIn && op != ir.OpNotIn {
		c.errorf(fieldOr(at, "operator"), "bad-operator", "use In or NotIn", "%s does not take operator %s", what, operator)
	}
}

// requireValues handles a filter without values as Tetragon does (its
// selector_match loops over no values, pkg/selectors/kernel.go skips an
// empty matchBinaries): matchBinaries is ignored; a filter with a negated
// operator (NotIn, NotEqual, NotPrefix…) always passes and one with another
// operator never does, except matchNamespaceChanges and
// matchCapabilityChanges NotIn, which pass on a change of any kind or
// capability (the lowering reads them so). matchParentBinaries, whose
// empty form Tetragon's source does not settle, and matchReturnArgs, whose
// never-passing form the IR cannot hold, are refused.
func (c *checker) requireValues(at At, n int, what, operator string) {
	if n > 0 {
		return
	}
	node := fieldOr(at, "values")
	op, ok := ir.ParseOp(operator)
	switch {
	case !ok:
		return // the operator is reported
	case what == "matchParentBinaries" || what == "matchReturnArgs" && op.TakesValues():
		c.errorf(node, "missing-values", "list at least one value",
			"%s filter has no values", what)
	case what == "matchBinaries":
		c.warnf(node, "always-matches", "list the binaries, or remove the filter",
			"matchBinaries without values is ignored, as Tetragon ignores it: the selector does not test the binary")
	case op == ir.OpNotIn && (what == "matchNamespaceChanges" || what == "matchCapabilityChanges"):
		// A real test: any change.
	case op.Negated():
		c.warnf(node, "always-matches", "list values, or remove the filter",
			"%s %s without values always passes, as in Tetragon; the filter is removed", what, op)
	case op.TakesValues() || what != "matchArgs" && what != "matchReturnArgs":
		c.warnf(node, "never-matches", "list at least one value",
			"%s %s without values never matches, as in Tetragon; its selector is removed", what, op)
	}
}

// checkBinaryFilter checks a matchBinaries or matchParentBinaries filter
// (what): both compare an executable's path, the process's own or its
// parent's, with the same operators and limits.
func (c *checker) checkBinaryFilter(f *BinaryFilter, what string) {
	op, ok := ir.ParseOp(f.Operator)
	if ok {
		switch op {
		case ir.OpIn, ir.OpNotIn, ir.OpPrefix, ir.OpNotPrefix, ir.OpPostfix, ir.OpNotPostfix:
		default:
			c.errorf(fieldOr(f.At, "operator"), "bad-operator", "use In, NotIn, Prefix, NotPrefix, Postfix or NotPostfix",
				"%s does not take operator %s", what, f.Operator)
		}
	}
	c.requireValues(f.At, len(f.Values), what, f.Operator)
	if f.FollowChildren && ok && op != ir.OpIn && op != ir.OpNotIn {
		c.errorf(fieldOr(f.At, "followChildren"), "bad-option", "followChildren works with In and NotIn",
			"followChildren with operator %s", f.Operator)
	}
	for i, v := range f.Values {
		vn := valueNode(f.At, "values", i)
		// The process table keeps the first bpf.BinaryMax-1 bytes of a
		// path (Tetragon refuses longer values too): a longer value could
		// never match, and a Not filter would always pass.
		if len(v) > bpf.BinaryMax-1 {
			c.errorf(vn, "bad-value", fmt.Sprintf("the process table keeps %d bytes of an executable's path", bpf.BinaryMax-1),
				"binary path of %d bytes is longer than %s can compare", len(v), what)
		}
		if (op == ir.OpIn || op == ir.OpNotIn || op == ir.OpPrefix) && !strings.HasPrefix(v, "/") {
			c.lintf(vn, "relative-path", what+" compares the absolute path of the executed file",
				"%q is not an absolute path, so it never matches", v)
		}
	}
	c.lintDuplicateValues(f.At, f.Values)
}

// checkCmdArgFilter checks a matchCmdArgs filter: an index Tetragon's
// walk reaches (it looks at most ir.CmdArgsIndexMax arguments), a string
// operator polc knows Tetragon's meaning of, and values that fit in the
// ir.CmdArgsMax bytes of arguments kept at exec.
func (c *checker) checkCmdArgFilter(f *CmdArgFilter) {
	switch {
	case f.Index == nil:
		c.errorf(f.Node, "missing-field", "give the argument's index, 0 for the first after the binary",
			"matchCmdArgs filter has no index")
	case *f.Index < 0 || *f.Index >= ir.CmdArgsIndexMax:
		c.errorf(fieldOr(f.At, "index"), "cmdarg-index", fmt.Sprintf("Tetragon looks at the first %d arguments: give an index from 0 to %d", ir.CmdArgsIndexMax, ir.CmdArgsIndexMax-1),
			"matchCmdArgs index %d is out of range, so the filter never matches", *f.Index)
	}
	op, ok := ir.ParseOp(f.Operator)
	switch {
	case ok && (op == ir.OpEqual || op == ir.OpPrefix || op == ir.OpPostfix):
	case ok && (op == ir.OpNotEqual || op == ir.OpNotPrefix || op == ir.OpNotPostfix):
		c.errorf(fieldOr(f.At, "operator"), "unsupported", "use Equal, Prefix or Postfix",
			"matchCmdArgs operator %s is not supported by polc: what Tetragon does when the argument is missing could not be confirmed", f.Operator)
	default:
		c.errorf(fieldOr(f.At, "operator"), "bad-operator", "use Equal, Prefix or Postfix",
			"matchCmdArgs does not take operator %q", f.Operator)
	}
	if len(f.Values) == 0 {
		c.errorf(fieldOr(f.At, "values"), "missing-values", "list at least one value", "matchCmdArgs filter has no values")
	}
	for i, v := range f.Values {
		if len(v) > ir.CmdArgsMax {
			c.errorf(valueNode(f.At, "values", i), "bad-value", fmt.Sprintf("only the first %d bytes of a process's arguments are kept", ir.CmdArgsMax),
				"matchCmdArgs value of %d bytes could never match", len(v))
		}
		if strings.IndexByte(v, 0) >= 0 {
			c.errorf(valueNode(f.At, "values", i), "bad-value", "an argument ends at its first NUL",
				"matchCmdArgs value %q holds a NUL, so it could never match", v)
		}
	}
	c.lintDuplicateValues(f.At, f.Values)
}

func (c *checker) checkCapFilter(f *CapFilter, what string) {
	if _, ok := ir.ParseCapSet(f.Type); !ok {
		c.errorf(fieldOr(f.At, "type"), "bad-cap-type", "use Effective, Inheritable or Permitted", "%q is not a capability set", f.Type)
	}
	c.checkInNotIn(f.At, f.Operator, what)
	c.requireValues(f.At, len(f.Values), what, f.Operator)
	names := make([]string, 0, len(ir.Capabilities))
	for n := range ir.Capabilities {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, v := range f.Values {
		if _, err := ir.ParseCapability(v); err != nil {
			c.errorf(valueNode(f.At, "values", i), "bad-value", closestHint(strings.ToUpper(v), names), "%v", err)
		}
	}
}

// lintDuplicateValues warns about a value listed twice in one filter.
func (c *checker) lintDuplicateValues(at At, values []string) {
	seen := map[string]bool{}
	for i, v := range values {
		if seen[v] {
			c.lintf(valueNode(at, "values", i), "duplicate-value", "", "value %q is listed twice", v)
		}
		seen[v] = true
	}
}

// Actions, lower-cased as Tetragon matches them.
const (
	actPost, actNoPost, actSigkill, actSignal, actOverride = "post", "nopost", "sigkill", "signal", "override"
	actFollowFD, actUnfollowFD, actCopyFD                  = "followfd", "unfollowfd", "copyfd"
	actGetURL, actDNSLookup                                = "geturl", "dnslookup"
	actTrackSock, actUntrackSock                           = "tracksock", "untracksock"
	actNotifyEnforcer, actSet                              = "notifyenforcer", "set"
	actCleanupEnforcer                                     = "cleanupenforcernotification"
)

var rateLimit = regexp.MustCompile(`^[0-9]+[smhSMH]?$`)

func (c *checker) checkActions(h *hookView, s *Selector, actions []*Action, key string, onReturn bool) {
	var post, noPost, override *Action
	for _, a := range actions {
		name := strings.ToLower(a.Action)
		an := fieldOr(a.At, "action")
		if name == actOverride && h.kind == hookUprobe {
			if override != nil {
				c.errorf(an, "conflicting-actions", "keep one Override: list every register it sets in its argRegs",
					"a second Override in a uprobe's selector (line %d): Tetragon allows one set of register assignments per selector", override.Node.Line)
			}
			override = a
		}
		switch name {
		case actPost:
			post = a
		case actNoPost:
			noPost = a
		}
		// Fields that only some actions read.
		if a.RateLimit != "" || a.RateLimitScope != "" || a.KernelStackTrace || a.UserStackTrace || a.ImaHash {
			if name != actPost {
				for _, f := range []string{"rateLimit", "rateLimitScope", "kernelStackTrace", "userStackTrace", "imaHash"} {
					if n := a.Field(f); n != nil {
						c.errorf(n, "bad-option", "rate limits, stack traces and IMA hashes apply to the Post action",
							"%s does not apply to %s", f, a.Action)
					}
				}
			}
		}
		if a.ImaHash && name == actPost && h.kind != hookLSM {
			c.errorf(fieldOr(a.At, "imaHash"), "unsupported", "hook the LSM hook (lsmhooks) that sees the file, such as file_open or bprm_check_security",
				"imaHash is reported on LSM hooks only, as Tetragon does: bpf_ima_file_hash needs a sleepable BPF LSM program, and a %s is not one", hookKindOf(h))
		}
		if a.RateLimit != "" && !rateLimit.MatchString(a.RateLimit) {
			c.errorf(fieldOr(a.At, "rateLimit"), "bad-value", `write a number of seconds, or a number followed by s, m or h: "30", "1m"`,
				"rateLimit %q is not a duration", a.RateLimit)
		}
		if a.RateLimitScope != "" {
			switch a.RateLimitScope {
			case "thread", "process", "global":
				if a.RateLimit == "" {
					c.errorf(fieldOr(a.At, "rateLimitScope"), "bad-option", "add rateLimit", "rateLimitScope without rateLimit")
				}
			default:
				c.errorf(fieldOr(a.At, "rateLimitScope"), "bad-value", "use thread, process or global",
					"%q is not a rate limit scope", a.RateLimitScope)
			}
		}
		if (a.KernelStackTrace || a.UserStackTrace) && name == actPost && h.kind != hookKprobe {
			c.errorf(fieldOr(a.At, "kernelStackTrace"), "unsupported", "report stacks from a kprobe",
				"kernelStackTrace and userStackTrace are reported on kprobes only (Tetragon's process_kprobe events carry them), not on a %s", hookKindOf(h))
		}
		if h.kprobe != nil && h.kprobe.Fentry && (name == actOverride || name == actNotifyEnforcer || name == actSet) {
			// Tetragon (createGenericFentrySensor) refuses these: its
			// fentry programs would not do them.
			c.errorf(an, "bad-action", "hook the function under kprobes to use it",
				"%s is not supported on fentries: Tetragon refuses it there", a.Action)
		}
		switch name {
		case actFollowFD:
			c.requireArgField(h, a, "argFd", a.ArgFd, fdTypes)
			c.requireArgField(h, a, "argName", a.ArgName, nameTypes)
		case actCopyFD:
			// argName is the new descriptor the old one's file is copied
			// to (dup2's newfd), not a name.
			c.requireArgField(h, a, "argFd", a.ArgFd, fdTypes)
			c.requireArgField(h, a, "argName", a.ArgName, fdTypes)
		case actUnfollowFD:
			c.requireArgField(h, a, "argFd", a.ArgFd, fdTypes)
		}
		switch name {
		case actFollowFD, actCopyFD, actUnfollowFD:
			// At return the raw argument is gone: an fd argument (its slot
			// holds the path) gives no number there.
			for _, f := range []struct {
				key string
				v   *int
			}{{"argFd", a.ArgFd}, {"argName", a.ArgName}} {
				if !onReturn || f.v == nil || (f.key == "argName" && name != actCopyFD) {
					continue
				}
				if arg, ok := h.args[*f.v]; ok && h.types[arg] == ir.TypeFd {
					c.errorf(fieldOr(a.At, f.key), "bad-arg-type", "declare the argument as int to use it in matchReturnActions",
						"%s in matchReturnActions cannot read argument %d of type fd (its descriptor number is not kept for the return)", a.Action, *f.v)
				}
			}
		case actSignal:
			if a.ArgSig == nil {
				c.errorf(an, "missing-field", "add argSig: the signal number, e.g. 9 for SIGKILL", "Signal needs argSig")
			} else if *a.ArgSig < 1 || *a.ArgSig > 64 {
				c.errorf(fieldOr(a.At, "argSig"), "bad-value", "signals are numbered 1 to 64", "argSig %d is not a signal", *a.ArgSig)
			}
		case actOverride:
			c.checkOverride(h, a, onReturn)
		case actGetURL:
			if a.ArgURL == "" {
				c.errorf(an, "missing-field", "add argUrl: the URL to GET, e.g. http://canary.example/token", "GetUrl needs argUrl")
			} else if u, err := url.Parse(a.ArgURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				c.errorf(fieldOr(a.At, "argUrl"), "bad-value", "write an absolute http:// or https:// URL", "argUrl %q is not an http(s) URL", a.ArgURL)
			}
		case actDNSLookup:
			if a.ArgFqdn == "" {
				c.errorf(an, "missing-field", "add argFqdn: the domain name to look up", "DnsLookup needs argFqdn")
			} else if !fqdn.MatchString(a.ArgFqdn) {
				c.errorf(fieldOr(a.At, "argFqdn"), "bad-value", "write a domain name such as canary.example.com", "argFqdn %q is not a domain name", a.ArgFqdn)
			}
		case actTrackSock, actUntrackSock:
			if onReturn {
				c.errorf(an, "bad-action", "use it in matchActions, or returnArgAction for a returned sock",
					"%s in matchReturnActions is not supported by polc", a.Action)
			}
			idx := 0
			if a.ArgSock != nil {
				idx = *a.ArgSock
			}
			arg, ok := h.args[idx]
			n := fieldOr(a.At, "argSock")
			switch {
			case !ok:
				c.errorf(n, "unknown-arg", "argSock is the index of a declared sock argument", "argSock %d refers to no declared argument", idx)
			case h.types[arg] != ir.TypeSock:
				c.errorf(n, "bad-arg-type", "argSock must refer to a sock argument", "argSock %d refers to an argument of type %s", idx, arg.Type)
			}
		case actNotifyEnforcer:
			if len(c.pol.Spec.Enforcers) == 0 {
				c.errorf(an, "missing-enforcer", "add spec.enforcers naming the calls where the enforcer acts",
					"NotifyEnforcer needs an enforcer in spec.enforcers")
			}
			if a.ArgError == nil && a.ArgSig == nil {
				c.errorf(an, "missing-field", "give argError (the error to return) and/or argSig (a signal to send)",
					"NotifyEnforcer needs argError or argSig")
			}
		case actSet:
			if h.kind != hookUSDT {
				c.errorf(an, "bad-action", "Set writes a USDT argument", "Set only applies to USDT probes")
			}
			if a.ArgIndex == nil {
				c.errorf(an, "missing-field", "add argIndex: the argument to set", "Set needs argIndex")
			}
			if a.ArgValue == nil {
				c.errorf(an, "missing-field", "add argValue: the value to write", "Set needs argValue")
			}
		}
		c.checkIgnoredActionFields(a, name, h.kind == hookUprobe)
	}
	if post != nil && noPost != nil {
		c.errorf(fieldOr(noPost.At, "action"), "conflicting-actions", "keep one: Post reports the event, NoPost suppresses it",
			"NoPost and Post in the same selector (line %d)", post.Node.Line)
	}
}

var fqdn = regexp.MustCompile(`^([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\.?$`)

// fdTypes can hold a file descriptor; nameTypes can name a file.
var (
	fdTypes   = []ir.ArgType{ir.TypeInt, ir.TypeInt32, ir.TypeUint32, ir.TypeInt64, ir.TypeUint64, ir.TypeLong, ir.TypeSizeT, ir.TypeFd}
	nameTypes = []ir.ArgType{ir.TypeFile, ir.TypePath, ir.TypeString, ir.TypeFilename, ir.TypeDentry, ir.TypeFd,
		ir.TypeInt, ir.TypeInt32, ir.TypeUint32, ir.TypeInt64, ir.TypeUint64, ir.TypeLong}
)

// requireArgField checks an action field that names a declared argument.
func (c *checker) requireArgField(h *hookView, a *Action, field string, v *int, allowed []ir.ArgType) {
	if v == nil {
		c.errorf(fieldOr(a.At, "action"), "missing-field", fmt.Sprintf("add %s: the index of the argument it uses", field),
			"%s needs %s", a.Action, field)
		return
	}
	n := fieldOr(a.At, field)
	arg, ok := h.args[*v]
	if !ok {
		c.errorf(n, "unknown-arg", fmt.Sprintf("%s is the index of a declared argument", field),
			"%s %d refers to no declared argument", field, *v)
		return
	}
	if t := h.types[arg]; t != ir.TypeInvalid && !slices.Contains(allowed, t) {
		names := make([]string, len(allowed))
		for i, t := range allowed {
			names[i] = t.String()
		}
		c.errorf(n, "bad-arg-type", fmt.Sprintf("%s of %s takes an argument of type %s", field, a.Action, strings.Join(names, ", ")),
			"%s %d refers to an argument of type %s", field, *v, arg.Type)
	}
}

// checkOverride: Override replaces a return value, so it needs a hook that
// runs before the function and can change it.
func (c *checker) checkOverride(h *hookView, a *Action, onReturn bool) {
	an := fieldOr(a.At, "action")
	if h.kind == hookUprobe {
		c.checkUprobeOverride(h, a, onReturn)
		return
	}
	if a.ArgError == nil {
		c.errorf(an, "missing-field", "add argError: the value to return, usually a negative errno such as -1 (EPERM)",
			"Override needs argError")
	} else if *a.ArgError < -(1<<31) || *a.ArgError > 1<<31-1 {
		c.errorf(fieldOr(a.At, "argError"), "bad-value", "", "argError %d does not fit in 32 bits", *a.ArgError)
	}
	switch {
	case onReturn:
		c.errorf(an, "override-on-return", "move Override to matchActions: it must run before the function does",
			"Override in matchReturnActions: the function has already returned")
	case h.kind == hookTracepoint:
		c.errorf(an, "override-not-possible", "override a kprobe on the syscall or a security_* function, or an LSM hook",
			"Override cannot change what a tracepoint's function returns")
	case h.kind == hookUSDT:
		c.errorf(an, "override-not-possible", "use Sigkill or Signal to stop the process",
			"Override on this %s is not supported", h.kind)
	case h.kind == hookKprobe && h.kprobe != nil:
		c.checkOverrideFunction(h, an)
	}
}

// checkUprobeOverride: Override on a uprobe writes the user task's
// registers (argRegs), returns argError at once from the function
// (arch.OverrideReturn), or makes the call run other code of the binary
// (argNewSymbol, argNewAddr, argNewOffset), as Tetragon does. It needs a
// kernel that lets uprobe programs write their context, which polrun
// checks at load.
func (c *checker) checkUprobeOverride(h *hookView, a *Action, onReturn bool) {
	an := fieldOr(a.At, "action")
	if onReturn {
		c.errorf(an, "override-on-return", "move Override to matchActions: it must run before the function does",
			"Override in matchReturnActions: the function has already returned")
		return
	}
	if n := a.Field("sopath"); n != nil {
		c.errorf(n, "unsupported", "run a function the binary has, with argNewSymbol alone",
			"sopath is not supported by polc: Tetragon makes the process load the shared object (calling its dlopen) before the jump, which polc's programs do not do")
		return
	}
	var redirect []string
	for _, f := range []string{"argNewSymbol", "argNewOffset", "argNewAddr"} {
		if a.Field(f) != nil {
			redirect = append(redirect, f)
		}
	}
	switch {
	case len(redirect) > 1:
		c.errorf(fieldOr(a.At, redirect[1]), "bad-option", "keep one of them",
			"Override on a uprobe takes one of argNewSymbol, argNewOffset and argNewAddr, not %s", strings.Join(redirect, " and "))
		return
	case len(redirect) == 1:
		c.checkUprobeJump(h, a, redirect[0])
		return
	}
	// An empty argRegs is no argRegs, as in Tetragon: argError's
	// assignments apply.
	if len(a.ArgRegs) == 0 && a.ArgError == nil {
		c.errorf(an, "missing-field", "add argError: the value the function returns at once, or argRegs: the registers to set",
			"Override on a uprobe needs argError or argRegs")
		return
	}
	if a.ArgError != nil && (*a.ArgError < -(1<<31) || *a.ArgError > 1<<31-1) {
		c.errorf(fieldOr(a.At, "argError"), "bad-value", "", "argError %d does not fit in 32 bits", *a.ArgError)
	}
	if len(a.ArgRegs) > 0 && a.ArgError != nil {
		c.warnf(fieldOr(a.At, "argError"), "ignored-field", "drop argError, or return it with the assignments it stands for",
			"argError is ignored when argRegs is given: the registers are set as argRegs says")
	}
	for i, v := range a.ArgRegs {
		n := valueNode(a.At, "argRegs", i)
		if _, val, ok := strings.Cut(v, "="); ok && strings.HasPrefix(strings.TrimSpace(val), "cel(") {
			c.errorf(n, "unsupported", "assign a number, %REG, N%REG or N(%REG)",
				"argRegs value %q is a CEL expression, which polc does not compile", strings.TrimSpace(val))
			continue
		}
		if _, err := c.opts.Arch.ParseAssignment(v); err != nil {
			c.errorf(n, "bad-value", regAssignHint(c.opts.Arch), "argRegs: %v", err)
		}
	}
}

// checkUprobeJump checks an Override that makes the call run other code
// of the binary: field (argNewSymbol, argNewAddr or argNewOffset) says
// where. polrun reads, from the binary it attaches the hook to, the
// distance from the probed instruction to that code; the program adds it
// to the task's instruction pointer. As in Tetragon, a hook takes one such
// Override, and the registers are left alone: the other function gets
// the call's arguments and returns to its caller.
func (c *checker) checkUprobeJump(h *hookView, a *Action, field string) {
	n := fieldOr(a.At, field)
	h.jumps++
	if h.jumps > 1 {
		c.errorf(n, "bad-option", "keep one Override with argNewSymbol, argNewAddr or argNewOffset per hook",
			"a uprobe hook takes one Override with argNewSymbol, argNewAddr or argNewOffset (Tetragon refuses more); this is the second")
		return
	}
	if u := h.uprobe; u != nil {
		n := len(u.Symbols) + len(u.Offsets) + len(u.Addrs)
		if u.Symbol != "" {
			n++
		}
		if n > 1 {
			c.compatDifff(fieldOr(a.At, field), "compat-jump-symbols",
				"Tetragon computes one jump distance, from the hook's first probe point, for all %d of them, so the calls of the others land beside the code; polc jumps from each one's own address", n)
		}
	}
	switch {
	case field == "argNewSymbol" && strings.TrimSpace(a.ArgNewSymbol) == "":
		c.errorf(n, "bad-value", "name a function of the binary", "argNewSymbol is empty")
	case field == "argNewAddr" && (a.ArgNewAddr == nil || *a.ArgNewAddr == 0),
		field == "argNewOffset" && (a.ArgNewOffset == nil || *a.ArgNewOffset == 0):
		c.errorf(n, "bad-value", "give the address (as nm shows it) or the file offset of the code to run",
			"%s 0 is no code of the binary (Tetragon reads 0 as absent)", field)
	case len(a.ArgRegs) > 0:
		c.errorf(fieldOr(a.At, "argRegs"), "bad-option", "give argRegs, or "+field+", not both",
			"argRegs with %s: polc does not know in which order Tetragon would apply them", field)
	case a.ArgError != nil:
		c.warnf(fieldOr(a.At, "argError"), "ignored-field", "drop argError",
			"argError is ignored with %s: the call runs the other code, which returns its own value", field)
	}
}

// regAssignHint shows the forms of an argRegs entry for the architecture.
func regAssignHint(a arch.Arch) string {
	if a == arch.ARM64 {
		return `write REG=VALUE with an arm64 register (x0..x30, w0..w30, sp, pc): "x0=1", "x0=%x1", "sp=16%sp", "x29=8(%sp)"`
	}
	return `write REG=VALUE with an x86_64 register (rax, eax, ax, al, ..., rip): "rax=1", "rax=%rdi", "rsp=8%rsp", "rip=(%rsp)"`
}

// checkIgnoredActionFields warns about fields the action does not read.
func (c *checker) checkIgnoredActionFields(a *Action, name string, uprobe bool) {
	uses := map[string][]string{
		actFollowFD: {"argFd", "argName"}, actCopyFD: {"argFd", "argName"}, actUnfollowFD: {"argFd", "argName"},
		actSignal: {"argSig"}, actOverride: {"argError"}, actGetURL: {"argUrl"}, actDNSLookup: {"argFqdn"},
		actTrackSock: {"argSock"}, actUntrackSock: {"argSock"}, actNotifyEnforcer: {"argError", "argSig"},
		actSet: {"argIndex", "argValue"},
	}
	if _, known := uses[name]; !known && name != actPost && name != actNoPost && name != actSigkill && name != actCleanupEnforcer {
		return
	}
	for _, f := range []string{"argFd", "argName", "argError", "argSig", "argUrl", "argFqdn", "argSock", "argIndex", "argValue"} {
		if n := a.Field(f); n != nil && !slices.Contains(uses[name], f) {
			c.warnf(n, "ignored-field", "", "%s is ignored by the %s action", f, a.Action)
		}
	}
	// Only Override on uprobes reads these; Tetragon ignores them
	// elsewhere.
	if name != actOverride || !uprobe {
		for _, f := range []string{"argRegs", "argNewSymbol", "argNewOffset", "argNewAddr", "sopath"} {
			if n := a.Field(f); n != nil {
				c.warnf(n, "ignored-field", "", "%s is read only by Override on uprobes; it is ignored here", f)
			}
		}
	}
}
