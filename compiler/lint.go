package compiler

import (
	"slices"
	"strings"

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
	if s.PodSelector != nil || s.ContainerSelector != nil {
		key := "podSelector"
		if s.PodSelector == nil {
			key = "containerSelector"
		}
		c.lintf(fieldOr(s.At, key), "k8s-selector", "polrun runs without Kubernetes; the policy applies to every process on the host",
			"%s needs Kubernetes pod information", key)
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
)

func (c *checker) compatHook(h *hookView) {
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
	for _, f := range s.MatchPIDs {
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
	if n := len(s.MatchParentBinaries); n > tetragonMaxBinaryFilter {
		c.compatf(fieldOr(s.At, "matchParentBinaries"), "compat-binaries", "Tetragon allows one matchParentBinaries filter per selector; this one has %d", n)
	}
	if n := len(s.MatchActions); n > tetragonMaxActions {
		c.compatf(fieldOr(s.At, "matchActions"), "compat-actions", "Tetragon runs at most %d actions per selector; this one has %d", tetragonMaxActions, n)
	}
}
