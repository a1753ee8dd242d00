package ir_test

import (
	"testing"

	"github.com/polc-dev/polc/ir"
)

// TestEvalParentBinaries: matchParentBinaries reads the first ancestor
// (the parent) and, with followChildren, the ones above it, never the
// process itself; with no known parent it fails for every operator.
func TestEvalParentBinaries(t *testing.T) {
	child := ctrChild() // /bin/sh, parent /app/server, then containerd-shim, systemd
	orphan := child
	orphan.Ancestors = nil
	unknownBin := child
	unknownBin.Ancestors = []ir.Ancestor{{PID: 5000}, shim}
	pt := func(op ir.Op, follow bool, vals ...string) ir.Test {
		return ir.Test{Kind: ir.TestParentBinary, Op: op, FollowChildren: follow, Values: sv(vals...)}
	}
	for _, tc := range []struct {
		name string
		test ir.Test
		proc ir.Process
		want bool
	}{
		{"In the parent", pt(ir.OpIn, false, "/app/server"), child, true},
		{"In is not the process itself", pt(ir.OpIn, false, "/bin/sh"), child, false},
		{"In a grandparent without followChildren", pt(ir.OpIn, false, "/usr/bin/containerd-shim"), child, false},
		{"In a grandparent with followChildren", pt(ir.OpIn, true, "/usr/bin/containerd-shim"), child, true},
		{"In followChildren skips the process itself", pt(ir.OpIn, true, "/bin/sh"), child, false},
		{"NotIn the parent", pt(ir.OpNotIn, false, "/app/server"), child, false},
		{"NotIn another", pt(ir.OpNotIn, false, "/usr/bin/containerd-shim"), child, true},
		{"NotIn followChildren, an ancestor listed", pt(ir.OpNotIn, true, "/usr/lib/systemd/systemd"), child, false},
		{"NotIn followChildren, none listed", pt(ir.OpNotIn, true, "/bin/sh", "/sbin/init"), child, true},
		{"Prefix", pt(ir.OpPrefix, false, "/app/"), child, true},
		{"Prefix of the process, not the parent", pt(ir.OpPrefix, false, "/bin/"), child, false},
		{"NotPrefix", pt(ir.OpNotPrefix, false, "/app/"), child, false},
		{"NotPrefix other", pt(ir.OpNotPrefix, false, "/usr/"), child, true},
		{"Postfix", pt(ir.OpPostfix, false, "/server"), child, true},
		{"Postfix needs the end", pt(ir.OpPostfix, false, "/app"), child, false},
		{"NotPostfix", pt(ir.OpNotPostfix, false, "server"), child, false},
		{"NotPostfix other", pt(ir.OpNotPostfix, false, "/sh"), child, true},
		{"values in a map", ir.Test{Kind: ir.TestParentBinary, Op: ir.OpIn, Map: &ir.Map{Values: sv("/x", "/app/server")}}, child, true},
		{"unknown parent: In fails", pt(ir.OpIn, false, "/app/server"), orphan, false},
		{"unknown parent: NotIn fails too", pt(ir.OpNotIn, false, "/app/server"), orphan, false},
		{"unknown parent: NotPrefix fails too", pt(ir.OpNotPrefix, false, "/"), orphan, false},
		{"unknown parent: NotIn followChildren fails too", pt(ir.OpNotIn, true, "/app/server"), orphan, false},
		{"parent with an unknown binary: NotIn passes", pt(ir.OpNotIn, false, "/app/server"), unknownBin, true},
		{"parent with an unknown binary: In of an ancestor", pt(ir.OpIn, true, "/usr/bin/containerd-shim"), unknownBin, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ir.EvalTest(&ir.Hook{}, &tc.test, &ir.Event{Process: tc.proc})
			if err != nil || got != tc.want {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}
