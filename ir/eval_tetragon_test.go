package ir_test

import (
	"testing"

	"github.com/polc-dev/polc/ir"
)

// The cases where polc's reading of a policy and Tetragon's programs
// differ (docs/tetragon-differences.md). Each test pins polc's meaning on
// an input where Tetragon decides otherwise, saying in a comment what
// Tetragon does; polc lint --compat tetragon warns of each
// (testdata/validate/compat-differences.yaml).

// TestTetragonDiffSmallSigned: int8 and int16 compare signed at their
// width. Tetragon's is_signed_type leaves them out, so it compares their
// bits unsigned, and tests GreaterThan as less-than.
func TestTetragonDiffSmallSigned(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  ir.ArgType
		op   ir.Op
		vals []ir.Value
		arg  int64
		want bool // Tetragon: the opposite
	}{
		// Tetragon: 0xfffe < 0 unsigned is false.
		{"int16 -2 LessThan 0", ir.TypeInt16, ir.OpLT, iv(0), -2, true},
		// Tetragon: the range starts at 0xfffffffb unsigned: nothing is in it.
		{"int8 3 InRange -5:5", ir.TypeInt8, ir.OpInRange, []ir.Value{{Kind: ir.ValRange, Int: -5, Hi: 5}}, 3, true},
		// Tetragon: its GreaterThan tests 5 < 3.
		{"int8 5 GreaterThan 3", ir.TypeInt8, ir.OpGT, iv(3), 5, true},
		// Tetragon: GreaterThan on a u64 tests 8192 < 4096.
		{"uint64 8192 GreaterThan 4096", ir.TypeUint64, ir.OpGT, iv(4096), 8192, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &ir.Hook{Args: []*ir.Arg{{Type: tc.typ}}}
			test := &ir.Test{Kind: ir.TestArg, Op: tc.op, Type: tc.typ, Values: tc.vals}
			got, err := ir.EvalTest(h, test, &ir.Event{Args: []ir.ArgValue{num(tc.arg)}})
			if err != nil || got != tc.want {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// TestTetragonDiffNamespacePIDFollow: "NotIn 0, 1, followForks,
// isNamespacePID", the spec's example for catching kubectl exec, passes
// for a process whose parent is outside the container. Tetragon compares
// each ancestor's PID in its own namespace, also above the container: the
// host's init is 1 there too, so it fails (within ten levels).
func TestTetragonDiffNamespacePIDFollow(t *testing.T) {
	test := &ir.Test{Kind: ir.TestPID, Op: ir.OpNotIn, FollowForks: true, NamespacePID: true, Values: iv(0, 1)}
	for _, tc := range []struct {
		name string
		proc ir.Process
		want bool
	}{
		{"kubectl exec", kubectlExec(), true},                // Tetragon: false
		{"child of the container's init", ctrChild(), false}, // Tetragon: false
	} {
		got, err := ir.EvalTest(&ir.Hook{}, test, &ir.Event{Process: tc.proc})
		if err != nil || got != tc.want {
			t.Errorf("%s: got %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

// TestTetragonDiffFollowDepth: followForks follows every ancestor.
// Tetragon looks ten levels up and no further.
func TestTetragonDiffFollowDepth(t *testing.T) {
	p := ir.Process{PID: 1000}
	for i := range 15 {
		p.Ancestors = append(p.Ancestors, ir.Ancestor{PID: uint32(999 - i)})
	}
	test := &ir.Test{Kind: ir.TestPID, Op: ir.OpIn, FollowForks: true, Values: iv(986)} // the 13th ancestor
	if got, err := ir.EvalTest(&ir.Hook{}, test, &ir.Event{Process: p}); err != nil || !got {
		t.Errorf("got %v, %v; want true (Tetragon: false)", got, err)
	}
}

// TestTetragonDiffReturnSelectors: at return only the selector chosen at
// entry tests its matchReturnArgs and runs its return actions. Tetragon's
// return probe tries every selector's matchReturnArgs and takes the first
// that passes, whether or not its entry filters did.
func TestTetragonDiffReturnSelectors(t *testing.T) {
	h := &ir.Hook{Return: true,
		Args: []*ir.Arg{{Type: ir.TypeString}},
		Ret:  &ir.Arg{Type: ir.TypeInt},
		Selectors: []*ir.Selector{
			{Index: 0, Tests: []*ir.Test{{Kind: ir.TestArg, Op: ir.OpPrefix, Type: ir.TypeString, Values: sv("/etc/")}},
				ReturnTests:   []*ir.Test{{Kind: ir.TestReturn, Op: ir.OpLT, Type: ir.TypeInt, Values: iv(0)}},
				ReturnActions: []*ir.Action{{Kind: ir.ActSigkill}}},
			{Index: 1, Tests: []*ir.Test{{Kind: ir.TestArg, Op: ir.OpPrefix, Type: ir.TypeString, Values: sv("/tmp/")}}},
		}}
	// /tmp/x fails: selector 1 at entry, and none of selector 0's return
	// actions. Tetragon: selector 0's return test passes, Sigkill.
	res, err := ir.Eval(h, &ir.Event{Args: []ir.ArgValue{str("/tmp/x")}, Return: num(-1)})
	if err != nil || res.Selector == nil || res.Selector.Index != 1 || len(res.ReturnActions) != 0 || !res.Posted {
		t.Errorf("/tmp/x failing: %+v, %v; want selector 1, posted, no return actions", res, err)
	}
	// /etc/x succeeds: selector 0 at entry, whose return test fails: no
	// event. Tetragon: selector 1 has no return test, so it passes and
	// the event is posted.
	res, err = ir.Eval(h, &ir.Event{Args: []ir.ArgValue{str("/etc/x")}, Return: num(0)})
	if err != nil || res.Selector == nil || res.Selector.Index != 0 || res.ReturnPassed || res.Posted {
		t.Errorf("/etc/x succeeding: %+v, %v; want selector 0, return tests failed, not posted", res, err)
	}
}
