package compiler

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// checker runs the semantic checks of one policy document. Each check
// reports at the most precise node it can: the value that is wrong, not the
// mapping around it.
type checker struct {
	doc   *Document
	pol   *Policy
	opts  Options
	diags []Diagnostic

	lists     map[string]*List
	usedLists map[string]bool
	hooks     []*hookView
}

func (c *checker) report(sev Severity, n *yaml.Node, code, hint, format string, args ...any) {
	if n == nil {
		n = c.doc.Root
	}
	start, end := c.doc.Span(n)
	c.diags = append(c.diags, Diagnostic{
		Code: code, Severity: sev, Pos: start, End: end, Path: string(c.doc.Path(n)),
		Msg: fmt.Sprintf(format, args...), Hint: hint,
	})
}

func (c *checker) errorf(n *yaml.Node, code, hint, format string, args ...any) {
	c.report(Error, n, code, hint, format, args...)
}

func (c *checker) warnf(n *yaml.Node, code, hint, format string, args ...any) {
	c.report(Warning, n, code, hint, format, args...)
}

// lintf reports advice, shown only by polc lint.
func (c *checker) lintf(n *yaml.Node, code, hint, format string, args ...any) {
	if c.opts.Lint {
		c.report(Warning, n, code, hint, format, args...)
	}
}

// compatf reports where a policy exceeds a limit Tetragon documents.
func (c *checker) compatf(n *yaml.Node, code, format string, args ...any) {
	if c.opts.Compat == CompatTetragon {
		c.report(Warning, n, code, "polc has no such limit; this only matters if Tetragon must load the policy too", format, args...)
	}
}

// fieldOr returns the node of key in at, or at's own node. A block mapping
// or sequence starts on the line after its key, so for those the key itself
// is the better place to point at.
func fieldOr(at At, key string) *yaml.Node {
	v, k := child(at.Node, key)
	switch {
	case v == nil:
		return at.Node
	case (v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode) && v.Style&yaml.FlowStyle == 0 && k != nil:
		return k
	}
	return v
}

// valueNode returns the node of the i-th entry of at's key sequence.
func valueNode(at At, key string, i int) *yaml.Node {
	if n := item(at.Field(key), i); n != nil {
		return n
	}
	return fieldOr(at, key)
}

func (c *checker) checkPolicy() {
	c.checkMetadata()
	c.checkLists()
	c.collectHooks()
	for _, h := range c.hooks {
		c.checkHook(h)
	}
	c.checkDuplicateHooks()
	c.refuseUnimplementedFields() // check_refused_fields.go
	c.compatSections()            // check_tetragon_limits.go
	c.checkEnforcers()
	c.checkOptions()      // options.go
	c.checkK8sSelectors() // lint.go
	c.lintPolicy()
	if c.opts.Target != nil || c.opts.Sysroot != "" {
		c.checkTarget()
	}
	c.checkSyscallPrototypes()
	c.checkTracepointFields() // check_buildable.go
	c.checkNeedsTarget()
}

// k8sName is a DNS subdomain name (RFC 1123), which Kubernetes requires of
// metadata.name.
var k8sName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

func (c *checker) checkMetadata() {
	md := c.pol.Metadata
	name := md.Name
	n := fieldOr(md.At, "name")
	switch {
	case name == "":
		if md.Field("name") != nil {
			c.errorf(n, "bad-name", "Kubernetes names are lower case: letters, digits, '-' and '.'", "metadata.name is empty")
		}
	case len(name) > bpf.MaxPolicyNameLen:
		c.errorf(n, "name-too-long", fmt.Sprintf("the bundle is written to NAME%s%s and polrun pins the policy under its name; file names are at most %d bytes: shorten the name to %d characters or fewer",
			bpf.BundleExt, bpf.SignatureExt, bpf.NameMax, bpf.MaxPolicyNameLen),
			"metadata.name is %d characters long; polc and polrun accept at most %d", len(name), bpf.MaxPolicyNameLen)
	case !k8sName.MatchString(name):
		hint := "Kubernetes names are lower case letters, digits, '-' and '.', starting and ending with a letter or digit"
		if fixed := suggestK8sName(name); fixed != "" && fixed != name {
			hint = fmt.Sprintf("use %q: %s", fixed, hint)
		}
		c.errorf(n, "bad-name", hint, "metadata.name %q is not a valid Kubernetes name", name)
	}
	if md.Namespace != "" && c.pol.Kind == "TracingPolicy" {
		c.errorf(fieldOr(md.At, "namespace"), "namespace-on-cluster-policy",
			"use kind: TracingPolicyNamespaced for a policy that applies to one namespace",
			"a TracingPolicy is cluster-wide and cannot have metadata.namespace")
	}
	if md.Namespace != "" && !k8sLabel.MatchString(md.Namespace) {
		c.errorf(fieldOr(md.At, "namespace"), "bad-name", "namespaces are lower case letters, digits and '-'",
			"metadata.namespace %q is not a valid Kubernetes namespace name", md.Namespace)
	}
}

var k8sLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func suggestK8sName(s string) string {
	s = strings.ToLower(s)
	s = regexp.MustCompile(`[^a-z0-9.-]+`).ReplaceAllString(s, "-")
	return strings.Trim(s, "-.")
}

// List types.
const (
	listFunctions         = ""
	listSyscalls          = "syscalls"
	listGeneratedSyscalls = "generated_syscalls"
	listGeneratedFtrace   = "generated_ftrace"
)

func (c *checker) checkLists() {
	c.lists = map[string]*List{}
	c.usedLists = map[string]bool{}
	for _, l := range c.pol.Spec.Lists {
		if prev, dup := c.lists[l.Name]; dup && l.Name != "" {
			c.errorf(fieldOr(l.At, "name"), "duplicate-list", "give each list its own name",
				"list %q is already defined at line %d", l.Name, prev.Node.Line)
			continue
		}
		c.lists[l.Name] = l
		switch l.Type {
		case listGeneratedSyscalls, listGeneratedFtrace:
			if len(l.Values) > 0 {
				c.errorf(fieldOr(l.At, "values"), "generated-list-values",
					"remove values, or change the type to \"syscalls\" to list them yourself",
					"a %s list is generated; it cannot also have values", l.Type)
			}
			if l.Type == listGeneratedFtrace {
				c.checkFtracePattern(l)
			} else if l.Pattern != nil {
				c.warnf(fieldOr(l.At, "pattern"), "ignored-field", "pattern applies to generated_ftrace lists",
					"pattern is ignored for a %s list", l.Type)
			}
		case listSyscalls:
			if len(l.Values) == 0 {
				c.errorf(fieldOr(l.At, "values"), "empty-list", "", "list %q has no values", l.Name)
			}
			for i, v := range l.Values {
				if !arch.IsSyscall(c.opts.Arch, v) {
					c.errorf(valueNode(l.At, "values", i), "not-a-syscall",
						"a syscalls list holds syscall names such as sys_dup or __ia32_sys_dup; put kernel functions in a list without type",
						"%q is not a syscall of %s", v, c.opts.Arch)
				}
			}
			if l.Pattern != nil {
				c.warnf(fieldOr(l.At, "pattern"), "ignored-field", "pattern applies to generated_ftrace lists",
					"pattern is ignored for a syscalls list")
			}
		case listFunctions:
			if len(l.Values) == 0 {
				c.errorf(fieldOr(l.At, "values"), "empty-list", "", "list %q has no values", l.Name)
			}
			for i, v := range l.Values {
				if arch.IsSyscall(c.opts.Arch, v) && strings.Contains(v, "sys_") {
					c.errorf(valueNode(l.At, "values", i), "syscall-in-function-list",
						`add type: "syscalls" to the list: syscalls use a different calling convention than kernel functions, and a list cannot mix them`,
						"%q is a syscall in a list of kernel functions", v)
				}
			}
		}
		seen := map[string]int{}
		for i, v := range l.Values {
			if j, dup := seen[v]; dup {
				c.warnf(valueNode(l.At, "values", i), "duplicate-value", "", "%q is already listed (entry %d)", v, j+1)
			}
			seen[v] = i
		}
	}
}

func (c *checker) checkFtracePattern(l *List) {
	if l.Pattern == nil || *l.Pattern == "" {
		c.errorf(l.Node, "missing-pattern", `add pattern: a regular expression over kernel function names, such as "^ksys_"`,
			"a generated_ftrace list needs a pattern")
		return
	}
	if _, err := regexp.Compile(*l.Pattern); err != nil {
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		c.errorf(fieldOr(l.At, "pattern"), "bad-pattern", "patterns use Go (RE2) regular expression syntax",
			"pattern %q does not compile: %s", *l.Pattern, msg)
	}
}

// listRef resolves "list:NAME" in n; ok is false (and an error reported) if
// the list does not exist.
func (c *checker) listRef(name string, n *yaml.Node) (*List, bool) {
	l, ok := c.lists[name]
	if !ok {
		hint := "define it under spec.lists"
		if names := c.listNames(); len(names) > 0 {
			hint = "defined lists: " + strings.Join(names, ", ")
			if s := closest(name, names); s != "" {
				hint = fmt.Sprintf("did you mean %q? %s", s, hint)
			}
		}
		c.errorf(n, "unknown-list", hint, "list %q is not defined", name)
		return nil, false
	}
	c.usedLists[name] = true
	return l, true
}

func (c *checker) listNames() []string {
	var names []string
	for n := range c.lists {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (c *checker) checkEnforcers() {
	for _, e := range c.pol.Spec.Enforcers {
		for i, call := range e.Calls {
			if name, ok := strings.CutPrefix(call, "list:"); ok {
				c.listRef(name, valueNode(e.At, "calls", i))
			}
		}
	}
}

// argType returns the type of a, reporting a type that is unknown, missing,
// or not usable on this kind of hook.
func (c *checker) argType(h *hookView, a *Arg) ir.ArgType {
	if reason, unsupported := unsupportedArgTypes[a.Type]; unsupported {
		c.errorf(fieldOr(a.At, "type"), "unsupported", reason, "argument type %s is not yet supported by polc", a.Type)
		return ir.TypeInvalid
	}
	t, ok := ir.ParseType(a.Type)
	if !ok {
		if a.Type == "" && a.Field("type") == nil {
			if h.kind == hookTracepoint {
				return ir.TypeAuto
			}
			c.errorf(a.Node, "missing-type", "declare the argument's type, e.g. type: \"int\" or type: \"file\"",
				"argument %d has no type", a.Index)
			return ir.TypeInvalid
		}
		c.errorf(fieldOr(a.At, "type"), "unknown-type", closestHint(a.Type, ir.TypeNames()), "unknown argument type %q", a.Type)
		return ir.TypeInvalid
	}
	switch {
	case t == ir.TypeAuto && h.kind != hookTracepoint:
		c.errorf(fieldOr(a.At, "type"), "auto-type", "declare the argument's type",
			"type auto is only known for tracepoint fields (from their format); a %s needs an explicit type", h.kind)
	case t == ir.TypeDNS && (h.kind == hookUprobe || h.kind == hookUSDT):
		c.errorf(fieldOr(a.At, "type"), "bad-type", "hook udp_sendmsg or udpv6_sendmsg with a kprobe and read its msghdr (index 1) as dns",
			"dns reads a kernel struct msghdr (the message of a UDP send); the arguments of a %s are user memory", hookKindOf(h))
	case t == ir.TypeConstBuf:
		c.errorf(fieldOr(a.At, "type"), "bad-type", "const_buf is inferred for array fields of tracepoints; declare nothing or use char_buf",
			"const_buf cannot be declared")
	case t == ir.TypeDataLoc && (h.kind != hookTracepoint || h.tp.Raw):
		c.errorf(fieldOr(a.At, "type"), "bad-type", "read the string the argument points to with type string",
			"data_loc reads a __data_loc field of a tracepoint's record; the arguments of a %s are values and pointers", hookKindOf(h))
	case t == ir.TypeInt32Arr && a == h.ret:
		c.errorf(fieldOr(a.At, "type"), "bad-type", "declare the array as an argument (with size, and returnCopy if the function fills it)",
			"int32_arr reads values through a pointer argument; Tetragon gives a return value no size, so it would always report no values")
	case t == ir.TypeInt32Arr && h.kind == hookTracepoint:
		c.errorf(fieldOr(a.At, "type"), "unsupported", "read the array on a kprobe, uprobe or LSM hook",
			"int32_arr on a %s is not supported by polc: Tetragon gives tracepoint arguments no size, so it would always report no values", hookKindOf(h))
	case t == ir.TypeInt32Arr && h.kind == hookUSDT:
		c.errorf(fieldOr(a.At, "type"), "unsupported", "read the array on a kprobe, uprobe or LSM hook",
			"int32_arr on a USDT probe is not yet supported by polc")
	case t == ir.TypeSyscall64 && h.kind != hookTracepoint:
		c.errorf(fieldOr(a.At, "type"), "bad-type", "use int64 or uint64",
			"syscall64 is the syscall id of a raw_syscalls or syscalls tracepoint, not an argument of a %s", h.kind)
	}
	return t
}

// hookKindOf names h's kind, a raw tracepoint as such.
func hookKindOf(h *hookView) string {
	if h.tp != nil && h.tp.Raw {
		return "raw tracepoint"
	}
	return string(h.kind)
}

// closest returns the candidate nearest to s, if near enough to be a typo.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		if d := levenshtein(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func closestHint(s string, candidates []string) string {
	if c := closest(s, candidates); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return "one of: " + strings.Join(candidates, ", ")
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
