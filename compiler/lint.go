package compiler

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/ir"
)

// lintPolicy gives advice that needs the whole policy.
func (c *checker) lintPolicy() {
	s := &c.pol.Spec
	if len(c.hooks) == 0 && !s.Loader {
		c.warnf(fieldOr(s.At, "kprobes"), "no-hooks", "add kprobes, tracepoints, uprobes or lsmhooks",
			"the policy hooks nothing")
	}
	var follow, unfollow *Action
	for _, h := range c.hooks {
		for _, sel := range h.hook.Selectors {
			for _, a := range sel.MatchActions {
				switch strings.ToLower(a.Action) {
				case actFollowFD:
					if follow == nil {
						follow = a
					}
				case actUnfollowFD:
					unfollow = a
				}
			}
		}
	}
	if follow != nil && unfollow == nil {
		c.lintf(fieldOr(follow.At, "action"), "followfd-without-unfollowfd",
			"add a sys_close hook with UnfollowFD, or the fd table keeps stale names when descriptors are reused",
			"FollowFD without an UnfollowFD anywhere in the policy")
	}
	for _, l := range s.Lists {
		if !c.usedLists[l.Name] {
			c.lintf(fieldOr(l.At, "name"), "unused-list", "reference it with call: \"list:"+l.Name+"\" or remove it",
				"list %q is never used", l.Name)
		}
	}
}

// checkK8sSelectors checks spec.podSelector, containerSelector,
// hostSelector and nodeSelector, and the kind TracingPolicyNamespaced.
// Those that restrict the policy to some processes (podScope) need
// Kubernetes pod metadata: polrun has none and refuses to load the bundle
// (never ignoring them, which would apply the policy to every process);
// validate warns. Where together they select every process, as Tetragon
// reads them, the policy applies to every process and loads (a note says
// so). nodeSelector is applied by polrun to the node's labels
// (--node-labels).
func (c *checker) checkK8sSelectors() {
	s := &c.pol.Spec
	namespaced := c.pol.Kind == kindNamespaced
	if h := s.HostSelector; h != nil {
		switch {
		case len(h.MatchLabels)+len(h.MatchExpressions) > 0:
			c.errorf(fieldOr(s.At, "hostSelector"), "bad-value", "write hostSelector: {} for every host process, or leave it out",
				"hostSelector takes no labels: Tetragon accepts only {} (every host process) or none")
		case namespaced:
			c.errorf(fieldOr(s.At, "hostSelector"), "bad-option", "remove hostSelector, or make the policy a TracingPolicy",
				"a TracingPolicyNamespaced cannot select host processes: Tetragon refuses hostSelector on it")
		}
	}
	if namespaced {
		c.warnf(fieldOr(c.pol.At, "kind"), "k8s-selector", "make it a TracingPolicy (without metadata.namespace) where it should apply to every process",
			"a TracingPolicyNamespaced applies only to the pods of namespace %q, which needs Kubernetes pod metadata: polrun refuses to load it", c.pol.Metadata.Namespace)
	}
	scoped := len(podScope(c.pol)) > 0
	for _, ks := range []struct {
		key string
		sel *LabelSelector
	}{{"podSelector", s.PodSelector}, {"containerSelector", s.ContainerSelector}, {"hostSelector", s.HostSelector}, {"nodeSelector", s.NodeSelector}} {
		key, sel := ks.key, ks.sel
		if sel == nil {
			continue
		}
		c.checkLabelSelector(sel)
		switch {
		case key == "nodeSelector", len(sel.MatchLabels)+len(sel.MatchExpressions) > 0 && key == "hostSelector":
		case scoped && key == "hostSelector" && (s.PodSelector != nil || s.ContainerSelector != nil):
			// Some pods and the host: the pod selectors' warnings say it.
		case scoped && !namespaced && key == "hostSelector":
			c.warnf(fieldOr(s.At, key), "k8s-selector", "polrun has no Kubernetes pod metadata: write podSelector: {} and containerSelector: {} too where it should apply to every process",
				"hostSelector: {} without podSelector: {} applies the policy to host processes only, which telling from pods needs Kubernetes pod metadata: polrun refuses to load it")
		case scoped && !namespaced:
			c.warnf(fieldOr(s.At, key), "k8s-selector", "polrun has no Kubernetes pod metadata: load the policy without it where it should apply to every process",
				"%s restricts the policy to pods, which needs Kubernetes pod metadata: polrun refuses to load it", key)
		case !scoped:
			c.report(Note, fieldOr(s.At, key), "k8s-selector", "",
				"%s: {} with the other selectors also {} selects every process, host and pods, as in Tetragon: the policy applies to every process", key)
		}
	}
}

// podScope names what restricts the policy to some processes by
// Kubernetes pod metadata, as Tetragon's policy filter reads it: the kind
// TracingPolicyNamespaced (the pods of its namespace), and podSelector,
// containerSelector and hostSelector unless together they select every
// process. A podSelector without containerSelector selects every
// container of its pods, and the reverse; all three {} select every
// process, as do all three absent; anything else selects some pods, or
// pods without the host, or the host without pods. nil: every process.
func podScope(pol *Policy) []string {
	s := &pol.Spec
	var out []string
	if pol.Kind == kindNamespaced {
		out = append(out, kindNamespaced)
	}
	pod, ctr, host := s.PodSelector, s.ContainerSelector, s.HostSelector
	empty := func(l *LabelSelector) bool { return l != nil && len(l.MatchLabels)+len(l.MatchExpressions) == 0 }
	// A podSelector alone means every container of its pods, a
	// containerSelector alone those containers in every pod.
	podAll, ctrAll := empty(pod) || (pod == nil && ctr != nil), empty(ctr) || (ctr == nil && pod != nil)
	if pol.Kind != kindNamespaced && (pod == nil && ctr == nil && host == nil || podAll && ctrAll && empty(host)) {
		return out
	}
	for _, f := range []struct {
		key string
		sel *LabelSelector
	}{{"podSelector", pod}, {"containerSelector", ctr}, {"hostSelector", host}} {
		if f.sel != nil {
			out = append(out, f.key)
		}
	}
	return out
}

// checkLabelSelector checks the matchExpressions of a label selector as
// Kubernetes does: In and NotIn need values, Exists and DoesNotExist take
// none.
func (c *checker) checkLabelSelector(sel *LabelSelector) {
	for _, e := range sel.MatchExpressions {
		switch e.Operator {
		case "In", "NotIn":
			if len(e.Values) == 0 {
				c.errorf(fieldOr(e.At, "values"), "missing-values", "list the label values", "%s needs values", e.Operator)
			}
		case "Exists", "DoesNotExist":
			if len(e.Values) > 0 {
				c.errorf(fieldOr(e.At, "values"), "ignored-values", "remove the values", "%s takes no values", e.Operator)
			}
		}
		if e.Key == "" {
			c.errorf(fieldOr(e.At, "key"), "missing-field", "name the label", "matchExpressions key is empty")
		}
	}
}

// lintNeverMatches reports selectors whose filters contradict each other.
func (c *checker) lintNeverMatches(h *hookView, s *Selector) {
	type argSet struct {
		equal    map[string]bool
		notEqual map[string]bool
	}
	byArg := map[*Arg]*argSet{}
	for _, f := range s.MatchArgs {
		a, ok := h.args[derefOr(f.Index, 0)]
		if !ok {
			continue
		}
		op, _ := ir.ParseOp(f.Operator)
		set := byArg[a]
		if set == nil {
			set = &argSet{}
			byArg[a] = set
		}
		vals := map[string]bool{}
		for _, v := range f.Values {
			vals[v] = true
		}
		switch op {
		case ir.OpEqual:
			if set.equal != nil && disjoint(set.equal, vals) {
				c.lintf(fieldOr(f.At, "operator"), "never-matches", "values of one Equal are ORed; filters are ANDed, so put all values in one filter",
					"this selector can never match: argument %d cannot equal two disjoint sets of values", a.Index)
			}
			set.equal = vals
		case ir.OpNotEqual:
			set.notEqual = vals
		}
		if set.equal != nil && set.notEqual != nil && subset(set.equal, set.notEqual) {
			c.lintf(fieldOr(f.At, "operator"), "never-matches", "", "this selector can never match: every value argument %d may equal is excluded by NotEqual", a.Index)
		}
	}
	var in, notIn map[string]bool
	for _, f := range s.MatchPIDs {
		vals := map[string]bool{}
		for _, v := range f.Values {
			vals[strings.TrimSpace(v)] = true
		}
		op, _ := ir.ParseOp(f.Operator)
		if op == ir.OpIn {
			in = vals
		} else if op == ir.OpNotIn {
			notIn = vals
		}
		if in != nil && notIn != nil && subset(in, notIn) && !f.FollowForks {
			c.lintf(fieldOr(f.At, "operator"), "never-matches", "", "this selector can never match: every PID of In is excluded by NotIn")
		}
	}
}

func derefOr(p *int, d int) int {
	if p == nil {
		return d
	}
	return *p
}

func disjoint(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return false
		}
	}
	return true
}

func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return len(a) > 0
}

// Limits Tetragon documents or enforces (pkg/selectors, the spec's
// "Limitations"); polc has none of them.
const (
	tetragonMaxSelectors    = 5
	tetragonMaxMatchArgs    = 5
	tetragonMaxValues       = 4
	tetragonMaxActions      = 3
	tetragonMaxArgs         = 5
	tetragonMaxPrefix       = 256
	tetragonMaxPostfix      = 127
	tetragonMaxNsFilters    = 10
	tetragonMaxBinaryFilter = 1
	// tetragonFollowDepth: matchPIDs followForks looks at the process and
	// nine ancestors (pfilter.h, FIND_PIDSET10), and the tenth's PID as
	// the ninth's parent.
	tetragonFollowDepth = 10
)

// compatDifff warns, under --compat tetragon, of a policy that Tetragon
// would load but read differently (docs/tetragon-differences.md).
func (c *checker) compatDifff(n *yaml.Node, code, format string, args ...any) {
	if c.opts.Compat == CompatTetragon {
		c.report(Warning, n, code, "polc keeps its documented meaning; see docs/tetragon-differences.md", format, args...)
	}
}

// compatIntCompare warns of integer compares Tetragon's programs get
// wrong (bpf/process/types/basic.h, filter_{8,16,64}ty_selector_val and
// filter_{8,16}ty_range): int8 and int16 are not among its signed types,
// so they compare unsigned, and its GreaterThan on 8-, 16- and 64-bit
// unsigned values tests less-than.
func (c *checker) compatIntCompare(f *ArgFilter, t ir.ArgType) {
	op, ok := ir.ParseOp(f.Operator)
	if !ok {
		return
	}
	switch {
	case (t == ir.TypeInt8 || t == ir.TypeInt16) && (op == ir.OpGT || op == ir.OpLT || op == ir.OpInRange || op == ir.OpNotInRange):
		c.compatDifff(fieldOr(f.At, "operator"), "compat-signed-compare",
			"Tetragon compares %s arguments as unsigned with %s: negative arguments and bounds behave differently", t, f.Operator)
		if op == ir.OpGT {
			c.compatDifff(fieldOr(f.At, "operator"), "compat-greater-than",
				"Tetragon's GreaterThan on a %s argument tests less-than", t)
		}
	case op == ir.OpGT && (t == ir.TypeUint8 || t == ir.TypeUint16 || t == ir.TypeUint64 || t == ir.TypeSizeT):
		c.compatDifff(fieldOr(f.At, "operator"), "compat-greater-than",
			"Tetragon's GreaterThan on a %s argument tests less-than", t)
	}
}

func (c *checker) compatHook(h *hookView) {
	if c.opts.Compat == CompatTetragon && len(h.hook.Selectors) > 1 {
		for _, sel := range h.hook.Selectors {
			if len(sel.MatchReturnArgs) > 0 || len(sel.MatchReturnActions) > 0 {
				key := "matchReturnArgs"
				if len(sel.MatchReturnArgs) == 0 {
					key = "matchReturnActions"
				}
				c.compatDifff(fieldOr(sel.At, key), "compat-return-selectors",
					"at return Tetragon tries the matchReturnArgs of every selector and runs the return actions of the first that passes; polc only those of the selector that matched at entry")
				break
			}
		}
	}
	if n := len(h.hook.Selectors); n > tetragonMaxSelectors {
		c.compatf(fieldOr(h.at, "selectors"), "compat-selectors", "Tetragon allows %d selectors per hook; this one has %d", tetragonMaxSelectors, n)
	}
	if n := len(h.hook.Args); n > tetragonMaxArgs {
		c.compatf(fieldOr(h.at, "args"), "compat-args", "Tetragon reads at most %d arguments per hook; this one declares %d", tetragonMaxArgs, n)
	}
}

func (c *checker) compatSelector(h *hookView, s *Selector) {
	c.lintNeverMatches(h, s)
	if c.opts.Compat != CompatTetragon {
		return
	}
	if n := len(s.MatchArgs); n > tetragonMaxMatchArgs {
		c.compatf(fieldOr(s.At, "matchArgs"), "compat-matchargs", "Tetragon allows %d matchArgs per selector; this one has %d", tetragonMaxMatchArgs, n)
	}
	for _, f := range s.MatchArgs {
		op, _ := ir.ParseOp(f.Operator)
		a, ok := h.args[derefOr(f.Index, 0)]
		if !ok {
			continue
		}
		t := h.types[a]
		c.compatIntCompare(f, t)
		intCompare := (op == ir.OpEqual || op == ir.OpNotEqual || op == ir.OpGT || op == ir.OpLT || op == ir.OpMask || op == ir.OpInRange || op == ir.OpNotInRange) &&
			t.Class() != ir.ClassString && t.Class() != ir.ClassPath
		if intCompare && len(f.Values) > tetragonMaxValues {
			c.compatf(fieldOr(f.At, "values"), "compat-values", "Tetragon compares at most %d values with %s; this filter has %d (Tetragon suggests InMap)", tetragonMaxValues, f.Operator, len(f.Values))
		}
		for i, v := range f.Values {
			if (op == ir.OpPrefix || op == ir.OpNotPrefix) && len(v) > tetragonMaxPrefix {
				c.compatf(valueNode(f.At, "values", i), "compat-prefix", "Tetragon matches prefixes of at most %d bytes", tetragonMaxPrefix)
			}
			if (op == ir.OpPostfix || op == ir.OpNotPostfix) && len(v) > tetragonMaxPostfix {
				c.compatf(valueNode(f.At, "values", i), "compat-postfix", "Tetragon matches postfixes of at most %d bytes", tetragonMaxPostfix)
			}
		}
	}
	for _, f := range s.MatchReturnArgs {
		if h.ret != nil {
			t, _ := ir.ParseType(h.ret.Type)
			c.compatIntCompare(f, t)
		}
	}
	for _, f := range s.MatchPIDs {
		if f.FollowForks && f.IsNamespacePID {
			c.compatDifff(fieldOr(f.At, "isNamespacePID"), "compat-nspid-follow",
				"with followForks Tetragon compares every ancestor's PID in that ancestor's own PID namespace, also above the container's; polc stops at the PID namespace's boundary")
		} else if f.FollowForks {
			c.compatDifff(fieldOr(f.At, "followForks"), "compat-follow-depth",
				"Tetragon follows a process's ancestors only %d levels up; polc follows them to the root", tetragonFollowDepth)
		}
		if len(f.Values) > tetragonMaxValues {
			c.compatf(fieldOr(f.At, "values"), "compat-values", "Tetragon compares at most %d PIDs per filter; this one has %d", tetragonMaxValues, len(f.Values))
		}
	}
	if n := len(s.MatchNamespaces); n > tetragonMaxNsFilters {
		c.compatf(fieldOr(s.At, "matchNamespaces"), "compat-namespaces", "Tetragon allows %d matchNamespaces filters; this selector has %d", tetragonMaxNsFilters, n)
	}
	for _, f := range s.MatchNamespaces {
		if len(f.Values) > tetragonMaxValues {
			c.compatf(fieldOr(f.At, "values"), "compat-values", "Tetragon compares at most %d namespace values per filter; this one has %d", tetragonMaxValues, len(f.Values))
		}
	}
	if n := len(s.MatchBinaries); n > tetragonMaxBinaryFilter {
		c.compatf(fieldOr(s.At, "matchBinaries"), "compat-binaries", "Tetragon allows one matchBinaries filter per selector; this one has %d", n)
	}
	for _, f := range slices.Concat(s.MatchBinaries, s.MatchParentBinaries) {
		if op, _ := ir.ParseOp(f.Operator); op != ir.OpPostfix && op != ir.OpNotPostfix {
			continue
		}
		for i, v := range f.Values {
			if len(v) > tetragonMaxPostfix {
				c.compatf(valueNode(f.At, "values", i), "compat-postfix", "Tetragon matches postfixes of at most %d bytes", tetragonMaxPostfix)
			}
		}
	}
	if len(s.MatchParentBinaries) > 0 {
		c.compatf(fieldOr(s.At, "matchParentBinaries"), "compat-parents-map", "Tetragon loads matchParentBinaries only when started with --parents-map-enabled")
	}
	if n := len(s.MatchParentBinaries); n > tetragonMaxBinaryFilter {
		c.compatf(fieldOr(s.At, "matchParentBinaries"), "compat-binaries", "Tetragon allows one matchParentBinaries filter per selector; this one has %d", n)
	}
	if n := len(s.MatchActions); n > tetragonMaxActions {
		c.compatf(fieldOr(s.At, "matchActions"), "compat-actions", "Tetragon runs at most %d actions per selector; this one has %d", tetragonMaxActions, n)
	}
}
