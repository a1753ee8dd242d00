package compiler

import (
	"slices"

	"github.com/polc-dev/polc/ir"
)

// normalize puts every value list in canonical form: an InMap range of one
// number becomes that number, and values are sorted (as the argument's
// type is signed or not) without duplicates. A test keeps its operator and
// its values otherwise as written: Equal with one value stays Equal. The
// tests of a selector, ANDed, are sorted canonically (ir.CompareTests), so
// that the order of filters in the YAML does not show in the IR.
func normalize(l *lowering) {
	l.forEachTest(func(_ *ir.Hook, _ *ir.Selector, t *ir.Test) {
		if t.Op == ir.OpInMap || t.Op == ir.OpNotInMap {
			for i, v := range t.Values {
				if v.Kind == ir.ValRange && v.Int == v.Hi {
					t.Values[i] = ir.Value{Kind: ir.ValInt, Int: v.Int}
				}
			}
		}
		t.Values = ir.SortValues(t.Values, t.Type.Signed())
	})
	for _, h := range l.p.Hooks {
		for _, s := range h.Selectors {
			slices.SortStableFunc(s.Tests, ir.CompareTests)
			slices.SortStableFunc(s.ReturnTests, ir.CompareTests)
		}
	}
}
