package policytest

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/polc-dev/polc/ir"
)

// Coverage says which parts of a policy no case exercised: selectors no
// case matched, and values of filters no case's event matched.
type Coverage struct {
	Policy    string
	Selectors int // selectors of the lowered policy
	Covered   int // of them, matched by some case
	Values    int // values of filters (each capability or namespace kind a filter lists counts as one)
	ValuesHit int
	// Missed lists what no case exercised, in policy order.
	Missed []Miss
}

// Miss is one selector or value no case exercised.
type Miss struct {
	Hook     string
	Selector int
	Value    string // "" for a whole selector; else the filter and the value
	Pos      ir.Pos // in the policy
}

func (m Miss) String() string {
	if m.Value == "" {
		return fmt.Sprintf("%s: hook %s selector %d: no case matches it", m.Pos, m.Hook, m.Selector)
	}
	return fmt.Sprintf("%s: hook %s selector %d: %s: no case exercises it", m.Pos, m.Hook, m.Selector, m.Value)
}

// Percent is the share of selectors covered (100 for a policy without).
func (c *Coverage) Percent() float64 {
	if c.Selectors == 0 {
		return 100
	}
	return 100 * float64(c.Covered) / float64(c.Selectors)
}

// CoverageOf computes the coverage of pol by the bound cases.
//
// A selector is covered when Eval chooses it for some case. A value of a
// filter is exercised when some case at the hook has an event that value
// matches (for a negated filter: the value it excludes), whether or not
// the selector's other filters pass: the filter is exercised on it. A
// filter without values (SPortPriv, CapabilitiesGained, changes since
// exec) counts as one value, exercised when some case passes it.
func CoverageOf(pol *ir.Policy, cases []*Bound) *Coverage {
	cov := &Coverage{Policy: pol.Name}
	for _, h := range pol.Hooks {
		var evs []*ir.Event
		for _, b := range cases {
			if b.Hook == h {
				evs = append(evs, b.Event)
			}
		}
		chosen := map[int]bool{}
		for _, ev := range evs {
			if r, err := ir.Eval(h, ev); err == nil && r.Selector != nil {
				chosen[r.Selector.Index] = true
			}
		}
		for _, s := range h.Selectors {
			cov.Selectors++
			if chosen[s.Index] {
				cov.Covered++
			} else {
				cov.Missed = append(cov.Missed, Miss{Hook: hookName(h), Selector: s.Index, Pos: s.Pos})
			}
			for _, t := range slices.Concat(s.Tests, s.ReturnTests) {
				for _, u := range testUnits(t) {
					cov.Values++
					if slices.ContainsFunc(evs, func(ev *ir.Event) bool { return u.hit(h, ev) }) {
						cov.ValuesHit++
						continue
					}
					cov.Missed = append(cov.Missed, Miss{Hook: hookName(h), Selector: s.Index,
						Value: filterName(h, t) + " " + t.Op.String() + " " + u.name, Pos: t.Pos})
				}
			}
		}
	}
	// In policy order: lowering may have reordered a selector's filters.
	slices.SortStableFunc(cov.Missed, func(a, b Miss) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	return cov
}

// filterName names what a filter looks at: "argument 2", "return", "binary".
func filterName(h *ir.Hook, t *ir.Test) string {
	if t.Kind == ir.TestArg && t.Slot >= 0 && t.Slot < len(h.Args) {
		return "argument " + argKey(h.Args[t.Slot])
	}
	return t.Kind.String()
}

// unit is one value of a filter, for coverage.
type unit struct {
	name string
	hit  func(h *ir.Hook, ev *ir.Event) bool
}

// testUnits splits a filter into the values coverage counts.
func testUnits(t *ir.Test) []unit {
	// single is t with only value v: it passes (for a negated filter:
	// fails) exactly when v matches.
	single := func(mut func(*ir.Test)) func(h *ir.Hook, ev *ir.Event) bool {
		one := *t
		one.Values, one.Map, one.HostNS = nil, nil, false
		mut(&one)
		return func(h *ir.Hook, ev *ir.Event) bool {
			pass, err := ir.EvalTest(h, &one, ev)
			return err == nil && pass != t.Op.Negated()
		}
	}
	var units []unit
	switch t.Kind {
	case ir.TestCaps:
		for c := 0; c < 64; c++ {
			if t.Mask&(1<<c) != 0 {
				units = append(units, unit{ir.CapabilityName(c), single(func(o *ir.Test) { o.Mask = 1 << c })})
			}
		}
		return units
	case ir.TestNSChange, ir.TestCapChange:
		return []unit{{"(the filter passes)", func(h *ir.Hook, ev *ir.Event) bool {
			pass, err := ir.EvalTest(h, t, ev)
			return err == nil && pass
		}}}
	}
	var vals []ir.Value
	vals = append(vals, t.Values...)
	if t.Map != nil {
		vals = append(vals, t.Map.Values...)
	}
	for _, v := range vals {
		units = append(units, unit{ir.FormatValue(v, t.Type), single(func(o *ir.Test) { o.Values = []ir.Value{v} })})
	}
	if t.HostNS {
		units = append(units, unit{ir.HostNS, single(func(o *ir.Test) { o.HostNS = true })})
	}
	if len(units) == 0 {
		units = append(units, unit{"(the filter passes)", func(h *ir.Hook, ev *ir.Event) bool {
			pass, err := ir.EvalTest(h, t, ev)
			return err == nil && pass
		}})
	}
	return units
}
