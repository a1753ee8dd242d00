package compiler

import (
	"fmt"
	"math"
	"slices"

	"github.com/polc-dev/polc/ir"
)

// fold decides what needs no event to decide:
//
//   - a test that always passes (Prefix "", InRange over the whole type, a
//     port range 0:65535) is removed, with a note;
//   - a selector whose entry tests can never all pass (a test that never
//     passes, or tests that exclude each other: Equal 1 and Equal 2 on one
//     argument, PID In 5 and NotIn 5) is removed, with a warning. The
//     selectors that remain keep their Index, so that events still name
//     the selector as the policy numbers it;
//   - a selector without entry tests matches every call, so the selectors
//     after it can never be chosen: they are removed, with a warning;
//   - a hook all of whose selectors are removed can never fire: it is
//     dropped from the policy, with a warning. It is not kept with zero
//     selectors, which would mean "match every call".
//
// Return tests that can never pass only get a warning: the selector still
// matches at entry, and its entry actions still run.
func fold(l *lowering) {
	var hooks []*ir.Hook
	for _, h := range l.p.Hooks {
		if l.foldHook(h) {
			hooks = append(hooks, h)
		}
	}
	l.p.Hooks = hooks
	for i, h := range hooks {
		h.ID = i
	}
}

func (l *lowering) foldHook(h *ir.Hook) bool {
	if len(h.Selectors) == 0 {
		return true
	}
	var kept []*ir.Selector
	for i, s := range h.Selectors {
		s.Tests = l.dropAlwaysTrue(h, s.Tests)
		s.ReturnTests = l.dropAlwaysTrue(h, s.ReturnTests)
		if why := neverPasses(h, s.Tests); why != "" {
			l.warnf(s, "never-matches", "fix or remove the selector; filters of a selector are ANDed, the values of one filter ORed",
				"selector %d can never match (%s); it is removed", s.Index, why)
			continue
		}
		if why := neverPasses(h, s.ReturnTests); why != "" {
			l.warnf(s, "never-matches", "its entry actions still run when it matches, but no event is posted",
				"the return filters of selector %d can never pass (%s)", s.Index, why)
		}
		kept = append(kept, s)
		if len(s.Tests) == 0 {
			for _, r := range h.Selectors[i+1:] {
				l.warnf(r, "unreachable-selector", "selectors are tried in order and the first that matches wins; move this one up or add filters to the earlier one",
					"selector %d can never be chosen: selector %d before it matches every call; it is removed", r.Index, s.Index)
			}
			break
		}
	}
	h.Selectors = kept
	if len(kept) == 0 {
		l.warnf(h, "never-fires", "", "%s %s can never fire: none of its selectors can match; it is dropped", h.Kind, hookName(h))
		return false
	}
	return true
}

func hookName(h *ir.Hook) string {
	switch {
	case h.List != "":
		return "list:" + h.List
	case h.Symbol != "":
		return h.Target + ":" + h.Symbol
	}
	return h.Call
}

// Static truth of a test.
const (
	truthUnknown = iota
	truthAlways
	truthNever
)

func (l *lowering) dropAlwaysTrue(h *ir.Hook, tests []*ir.Test) []*ir.Test {
	var out []*ir.Test
	for _, t := range tests {
		if truth, why := staticTruth(h, t); truth == truthAlways {
			l.report(Note, t, "always-matches", "", "this %s filter always passes (%s); it is removed", t.Op, why)
			continue
		}
		out = append(out, t)
	}
	return out
}

// staticTruth decides a test that does not depend on the event, with the
// reason.
func staticTruth(h *ir.Hook, t *ir.Test) (int, string) {
	if t.Kind == ir.TestParentBinary {
		// As a binary test, except that it fails when the parent is
		// unknown: it may never pass, but never always does.
		b := *t
		b.Kind = ir.TestBinary
		if truth, why := staticTruth(h, &b); truth == truthNever {
			return truth, why
		}
		return truthUnknown, ""
	}
	vals := t.Values
	if t.Map != nil {
		vals = append(slices.Clone(vals), t.Map.Values...)
	}
	neg := t.Op.Negated()
	decided := func(always bool, why string) (int, string) {
		if always != neg {
			return truthAlways, why
		}
		return truthNever, why
	}
	switch t.Kind {
	case ir.TestArg, ir.TestReturn, ir.TestBinary:
		if t.Op.TakesValues() && len(vals) == 0 {
			return decided(false, "no values")
		}
		switch t.Op {
		case ir.OpPrefix, ir.OpNotPrefix, ir.OpPostfix, ir.OpNotPostfix:
			if slices.ContainsFunc(vals, func(v ir.Value) bool { return v.Kind == ir.ValString && v.Str == "" }) {
				return decided(true, `every string starts and ends with ""`)
			}
		case ir.OpMask:
			if !slices.ContainsFunc(vals, func(v ir.Value) bool { return v.Int != 0 }) {
				return truthNever, "a mask of 0 has no bits to test"
			}
		case ir.OpGT, ir.OpLT:
			lo, hi := typeRange(t.Type)
			signed := t.Type.Signed()
			least, most := vals[0].Int, vals[0].Int
			for _, v := range vals {
				if ir.CompareInts(v.Int, least, signed) < 0 {
					least = v.Int
				}
				if ir.CompareInts(v.Int, most, signed) > 0 {
					most = v.Int
				}
			}
			if t.Op == ir.OpGT && least == hi {
				return truthNever, fmt.Sprintf("no %s is above %s", t.Type, ir.FormatValue(ir.Value{Int: hi}, t.Type))
			}
			if t.Op == ir.OpLT && most == lo {
				return truthNever, fmt.Sprintf("no %s is below %s", t.Type, ir.FormatValue(ir.Value{Int: lo}, t.Type))
			}
		case ir.OpInRange, ir.OpNotInRange, ir.OpInMap, ir.OpNotInMap:
			lo, hi := typeRange(t.Type)
			if t.Type.IsInteger() && slices.ContainsFunc(vals, func(v ir.Value) bool { return v.Kind == ir.ValRange && v.Int == lo && v.Hi == hi }) {
				return decided(true, fmt.Sprintf("the range covers every %s", t.Type))
			}
		case ir.OpSPort, ir.OpNotSPort, ir.OpDPort, ir.OpNotDPort:
			if slices.ContainsFunc(vals, func(v ir.Value) bool { return v.Kind == ir.ValRange && v.Int == 0 && v.Hi == 65535 }) {
				return decided(true, "the range covers every port")
			}
		}
	case ir.TestPID, ir.TestNamespace:
		if len(vals) == 0 && !t.HostNS {
			return decided(false, "no values")
		}
	case ir.TestCaps, ir.TestCapChange:
		if t.Mask == 0 {
			return decided(false, "no capabilities")
		}
	}
	switch t.Kind {
	case ir.TestNSChange:
		if t.Mask == 0 {
			return truthNever, "no namespace kinds" // NotIn of none is In of every kind (lowering)
		}
		if t.Op == ir.OpNotIn && t.Mask == 1<<ir.NumNamespaces-1 {
			return truthNever, "every namespace kind is listed, so none is left to change"
		}
	}
	return truthUnknown, ""
}

// typeRange returns the smallest and largest values of integer type t, as
// the bits Value.Int holds.
func typeRange(t ir.ArgType) (lo, hi int64) {
	size := t.Size()
	if size == 0 || size > 8 {
		size = 8
	}
	bits := uint(size * 8)
	if t.Signed() {
		if bits == 64 {
			return math.MinInt64, math.MaxInt64
		}
		return -(1 << (bits - 1)), 1<<(bits-1) - 1
	}
	if bits == 64 {
		return 0, -1 // all ones
	}
	return 0, 1<<bits - 1
}

// neverPasses says why tests (ANDed) can never all pass, or "" if they may.
func neverPasses(h *ir.Hook, tests []*ir.Test) string {
	for _, t := range tests {
		if truth, why := staticTruth(h, t); truth == truthNever {
			return fmt.Sprintf("its %s filter never passes: %s", t.Op, why)
		}
	}
	// Tests of one thing that exclude each other: take the values one test
	// allows (Equal, In, InMap of numbers) and keep those that pass every
	// other test of the same thing. None left: the tests contradict.
	type group struct {
		what  string
		tests []*ir.Test
		event func(ir.Value) *ir.Event
	}
	groups := map[string]*group{}
	var order []string
	add := func(key, what string, t *ir.Test, event func(ir.Value) *ir.Event) {
		g, ok := groups[key]
		if !ok {
			g = &group{what: what, event: event}
			groups[key] = g
			order = append(order, key)
		}
		g.tests = append(g.tests, t)
	}
	for _, t := range tests {
		switch t.Kind {
		case ir.TestArg:
			c := t.Type.Class()
			// Family tests a field of its own (a sockaddr_un's, beside the
			// path the other tests read), which values do not decide.
			if t.Op.Info().Aside || t.Op == ir.OpFamily || c == ir.ClassNet || c == ir.ClassNone || t.Slot >= len(h.Args) {
				continue
			}
			slot, typ := t.Slot, t.Type
			add(fmt.Sprintf("arg%d", slot), fmt.Sprintf("argument %d", h.Args[slot].Index), t, func(v ir.Value) *ir.Event {
				ev := &ir.Event{Args: make([]ir.ArgValue, len(h.Args))}
				ev.Args[slot] = argValueOf(v, typ)
				return ev
			})
		case ir.TestReturn:
			c := t.Type.Class()
			if t.Op == ir.OpFamily || c == ir.ClassNet || c == ir.ClassNone {
				continue
			}
			typ := t.Type
			add("ret", "the return value", t, func(v ir.Value) *ir.Event {
				return &ir.Event{Return: argValueOf(v, typ)}
			})
		case ir.TestPID:
			if t.FollowForks {
				continue
			}
			ns := t.NamespacePID
			add(fmt.Sprintf("pid%v", ns), "the PID", t, func(v ir.Value) *ir.Event {
				ev := &ir.Event{}
				if ns {
					ev.Process.NsPID = uint32(v.Int)
				} else {
					ev.Process.PID = uint32(v.Int)
				}
				return ev
			})
		case ir.TestBinary:
			if t.FollowChildren {
				continue
			}
			add("bin", "the binary", t, func(v ir.Value) *ir.Event {
				return &ir.Event{Process: ir.Process{Binary: v.Str}}
			})
		case ir.TestParentBinary:
			if t.FollowChildren {
				continue
			}
			add("parentbin", "the parent's binary", t, func(v ir.Value) *ir.Event {
				return &ir.Event{Process: ir.Process{Ancestors: []ir.Ancestor{{Binary: v.Str}}}}
			})
		case ir.TestNamespace:
			if t.HostNS {
				continue
			}
			kind := t.Namespace
			add(fmt.Sprintf("ns%d", kind), "the "+kind.String()+" namespace", t, func(v ir.Value) *ir.Event {
				ev := &ir.Event{}
				if kind < ir.NumNamespaces {
					ev.Process.NS[kind] = uint32(v.Int)
				}
				return ev
			})
		}
	}
	for _, key := range order {
		g := groups[key]
		cands, ok := candidates(g.tests)
		if !ok {
			continue
		}
		alive := slices.ContainsFunc(cands, func(v ir.Value) bool {
			ev := g.event(v)
			for _, t := range g.tests {
				if pass, err := ir.EvalTest(h, t, ev); err != nil || !pass {
					return false
				}
			}
			return true
		})
		if !alive {
			return fmt.Sprintf("no value of %s passes all its filters", g.what)
		}
	}
	// Capabilities: In needs one of its capabilities held, NotIn none of
	// its own; an In whose capabilities NotIn all forbid cannot pass.
	type capKey struct {
		set ir.CapSet
		ns  bool
	}
	notIn := map[capKey]uint64{}
	for _, t := range tests {
		if t.Kind == ir.TestCaps && t.Op == ir.OpNotIn {
			notIn[capKey{t.CapSet, t.NamespaceCap}] |= t.Mask
		}
	}
	for _, t := range tests {
		if t.Kind == ir.TestCaps && t.Op == ir.OpIn && t.Mask&^notIn[capKey{t.CapSet, t.NamespaceCap}] == 0 {
			return fmt.Sprintf("every capability In lists, NotIn forbids in the %s set", t.CapSet)
		}
	}
	return ""
}

// candidates returns the only values the tests allow, if one of them lists
// them exactly (Equal, In, or InMap of plain numbers); ok is false if none
// does.
func candidates(tests []*ir.Test) ([]ir.Value, bool) {
	var cands []ir.Value
	found := false
	for _, t := range tests {
		switch t.Op {
		case ir.OpEqual, ir.OpIn, ir.OpInMap:
		default:
			continue
		}
		if t.Map != nil || slices.ContainsFunc(t.Values, func(v ir.Value) bool { return v.Kind != ir.ValInt && v.Kind != ir.ValString }) {
			continue
		}
		if !found {
			cands, found = slices.Clone(t.Values), true
			continue
		}
		cands = slices.DeleteFunc(cands, func(v ir.Value) bool { return !slices.Contains(t.Values, v) })
	}
	return cands, found
}

// argValueOf is the argument value a test value stands for.
func argValueOf(v ir.Value, t ir.ArgType) ir.ArgValue {
	if c := t.Class(); c == ir.ClassString || c == ir.ClassPath {
		return ir.ArgValue{Bytes: []byte(v.Str)}
	}
	return ir.ArgValue{Int: v.Int}
}
