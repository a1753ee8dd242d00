package ir_test

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// TestEvalCmdArgs: matchCmdArgs compares the argument at its index (0 is
// the first after argv[0]) as the base keeps the arguments: the first
// ir.CmdArgsMax bytes, at most ir.CmdArgsIndexMax of them; a missing
// argument fails the test, and so do unknown arguments; the tests of a
// selector are ANDed.
func TestEvalCmdArgs(t *testing.T) {
	proc := func(args string) ir.Process { return ir.Process{PID: 10, Args: []byte(args)} }
	flags := proc("-flag1=value1\x00/my/path/x\x00\x00last\x00")
	cut := proc("a\x00" + strings.Repeat("y", 300) + "\x00after\x00")
	var many strings.Builder
	for range 40 {
		many.WriteString("m\x00")
	}
	ct := func(index int, op ir.Op, vals ...string) ir.Test {
		return ir.Test{Kind: ir.TestCmdArg, CmdArg: index, Op: op, Values: sv(vals...)}
	}
	for _, tc := range []struct {
		name string
		test ir.Test
		proc ir.Process
		want bool
	}{
		{"Equal index 0 is argv[1]", ct(0, ir.OpEqual, "-flag1=value1"), flags, true},
		{"Equal is whole", ct(0, ir.OpEqual, "-flag1"), flags, false},
		{"Prefix index 1", ct(1, ir.OpPrefix, "/my/path"), flags, true},
		{"Prefix of another index", ct(0, ir.OpPrefix, "/my/path"), flags, false},
		{"Postfix", ct(1, ir.OpPostfix, "/x"), flags, true},
		{"Postfix needs the end", ct(1, ir.OpPostfix, "/my"), flags, false},
		{"any value", ct(3, ir.OpEqual, "first", "last"), flags, true},
		{"an empty argument", ct(2, ir.OpEqual, ""), flags, true},
		{"an empty argument has no prefix but the empty one", ct(2, ir.OpPrefix, "l"), flags, false},
		{"Prefix of nothing on an empty argument", ct(2, ir.OpPrefix, ""), flags, true},
		{"beyond the last argument", ct(4, ir.OpPrefix, ""), flags, false},
		{"no arguments", ct(0, ir.OpPrefix, ""), proc(""), false},
		{"unknown arguments", ct(0, ir.OpPrefix, ""), ir.Process{PID: 10}, false},
		{"an argument cut at 256 bytes compares as cut", ct(1, ir.OpEqual, strings.Repeat("y", ir.CmdArgsMax-2)), cut, true},
		{"the whole cut argument is not seen", ct(1, ir.OpEqual, strings.Repeat("y", 300)), cut, false},
		{"arguments after the 256 bytes are not seen", ct(2, ir.OpEqual, "after"), cut, false},
		{"index 31 is walked", ct(31, ir.OpEqual, "m"), proc(many.String()), true},
		{"index 32 is not", ct(32, ir.OpEqual, "m"), proc(many.String()), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ir.EvalTest(&ir.Hook{}, &tc.test, &ir.Event{Process: tc.proc})
			if err != nil || got != tc.want {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	// Two entries of one selector: both must pass.
	h := &ir.Hook{Selectors: []*ir.Selector{{Tests: []*ir.Test{
		{Kind: ir.TestCmdArg, CmdArg: 0, Op: ir.OpEqual, Values: sv("-flag1=value1")},
		{Kind: ir.TestCmdArg, CmdArg: 1, Op: ir.OpPrefix, Values: sv("/my/path")},
	}, Actions: []*ir.Action{{Kind: ir.ActPost}}}}}
	for _, tc := range []struct {
		args string
		want bool
	}{
		{"-flag1=value1\x00/my/path/x\x00", true},
		{"-flag1=value1\x00/other\x00", false},
		{"-flag2\x00/my/path/x\x00", false},
		{"-flag1=value1\x00", false},
	} {
		res, err := ir.Eval(h, &ir.Event{Process: proc(tc.args)})
		if err != nil || res.Posted != tc.want {
			t.Errorf("%q: posted %v (%v), want %v", tc.args, res.Posted, err, tc.want)
		}
	}
}
