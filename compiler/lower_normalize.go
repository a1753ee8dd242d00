package compiler

import "github.com/polc-dev/polc/ir"

// normalize puts every value list in canonical form: an InMap range of one
// number becomes that number, and values are sorted (as the argument's
// type is signed or not) without duplicates. A test keeps its operator and
// its values otherwise as written: Equal with one value stays Equal.
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
}
