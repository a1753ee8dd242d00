package ir_test

import (
	"fmt"

	"github.com/polc-dev/polc/ir"
)

// ExampleEval runs the reference semantics on a hook with one selector:
// its first argument must be 0 or 1000, and it kills the process.
func ExampleEval() {
	h := &ir.Hook{Kind: ir.HookKprobe, Target: "__x64_sys_setuid", Call: "sys_setuid",
		Args: []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt, SizeSlot: ir.NoSize}},
		Selectors: []*ir.Selector{{
			Tests: []*ir.Test{{Kind: ir.TestArg, Op: ir.OpEqual, Slot: 0, Type: ir.TypeInt,
				Values: []ir.Value{{Kind: ir.ValInt, Int: 0}, {Kind: ir.ValInt, Int: 1000}}}},
			Actions: []*ir.Action{{Kind: ir.ActSigkill}},
		}}}
	for _, uid := range []int64{1000, 7} {
		res, err := ir.Eval(h, &ir.Event{Args: []ir.ArgValue{{Int: uid}}})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("setuid(%d): matched %v", uid, res.Matched)
		for _, a := range res.Actions {
			fmt.Printf(", %s", a.Kind)
		}
		fmt.Println()
	}
	// Output:
	// setuid(1000): matched true, Sigkill
	// setuid(7): matched false
}
