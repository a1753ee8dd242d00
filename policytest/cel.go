package policytest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/polc-dev/polc/ir"
)

// celSearch bounds the argument combinations celCandidates tries.
const celSearch = 50000

// celCandidates are two mutations of a CelExpr test: arguments for which
// the expression holds, and arguments for which it does not, when a
// search over values derived from its literals finds them: 0, ±1, each
// literal give or take one, and the sums and differences of two literals
// (arg0 - 10 == arg1 + 5 holds for arg0 = 15, arg1 = 0).
func celCandidates(h *ir.Hook, t *ir.Test) []mutation {
	e := t.Cel
	if e == nil || e.Root == nil {
		return nil
	}
	for _, s := range e.Slots {
		if s < 0 || s >= len(h.Args) {
			return nil
		}
	}
	var lits []int64
	var walk func(n *ir.CelNode)
	walk = func(n *ir.CelNode) {
		if n.Kind == ir.CelConst && n.Type != ir.CelBool {
			lits = append(lits, n.Int)
		}
		for _, a := range n.Args {
			walk(a)
		}
	}
	walk(e.Root)
	vals := []int64{0, 1, -1}
	for _, c := range lits {
		vals = append(vals, c, c+1, c-1, -c)
		for _, d := range lits {
			vals = append(vals, c+d, c-d, -c-d)
		}
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	n := len(e.Slots)
	combo := make([]int64, n)
	var found [2][]int64 // by truth
	tries := 0
	var search func(i int) bool
	search = func(i int) bool {
		if i == n {
			tries++
			v, err := e.Root.Eval(combo)
			if err == nil && found[v&1] == nil {
				found[v&1] = slices.Clone(combo)
			}
			return found[0] != nil && found[1] != nil || tries >= celSearch
		}
		for _, v := range vals {
			combo[i] = v
			if search(i + 1) {
				return true
			}
		}
		return false
	}
	search(0)
	var out []mutation
	for truth, args := range []([]int64){found[1], found[0]} {
		if args == nil {
			continue
		}
		var words []string
		for i, s := range e.Slots {
			words = append(words, fmt.Sprintf("argument %s = %d", argKey(h.Args[s]), ir.FitInt(e.Types[i], args[i])))
		}
		what := "the CelExpr holds (" + strings.Join(words, ", ") + ")"
		if truth == 1 {
			what = "the CelExpr does not hold (" + strings.Join(words, ", ") + ")"
		}
		slots := slices.Clone(e.Slots)
		out = append(out, mutation{what, func(ev *ir.Event) {
			for i, s := range slots {
				ev.Args[s].Int = args[i]
			}
		}})
	}
	return out
}
