package filter

import (
	"testing"

	"github.com/polc-dev/polc/ir"
)

// TestArgRenders fails while a matchArgs operator of ir's table has no
// render here, or a render is kept for an operator that is not one.
func TestArgRenders(t *testing.T) {
	for o := ir.OpEqual; int(o) < ir.NumOps; o++ {
		_, ok := argRenders[o]
		switch {
		case o.IsArgOp() && !ok:
			t.Errorf("%s: a matchArgs operator without a render in argRenders", o)
		case !o.IsArgOp() && ok:
			t.Errorf("%s: a render for an operator that is not a matchArgs operator", o)
		}
	}
	for o, r := range argRenders {
		if r == nil {
			t.Errorf("%s: nil render", o)
		}
	}
}
