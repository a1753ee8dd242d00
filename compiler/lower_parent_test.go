package compiler

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// TestLowerParentBinaries: matchParentBinaries lowers to a parent-binary
// test beside the selector's other filters (it once lowered to nothing,
// so the selector matched every call), keeps followChildren, and takes a
// map for many values like matchBinaries.
func TestLowerParentBinaries(t *testing.T) {
	src := `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: parents
spec:
  kprobes:
  - call: sys_execve
    syscall: true
    args:
    - index: 0
      type: string
    selectors:
    - matchBinaries:
      - operator: In
        values: ["/usr/bin/curl"]
      matchParentBinaries:
      - operator: NotIn
        followChildren: true
        values: ["/usr/sbin/sshd"]
      matchActions:
      - action: Sigkill
    - matchParentBinaries:
      - operator: Prefix
        values: ["/a/", "/b/", "/c/", "/d/", "/e/", "/f/"]
`
	pol, _ := lowerOne(t, src)
	text := pol.String()
	h := pol.Hooks[0]
	if len(h.Selectors) != 2 {
		t.Fatalf("%d selectors, want 2\n%s", len(h.Selectors), text)
	}
	var parent *ir.Test
	for _, x := range h.Selectors[0].Tests {
		if x.Kind == ir.TestParentBinary {
			parent = x
		}
	}
	if parent == nil || parent.Op != ir.OpNotIn || !parent.FollowChildren || len(parent.Values) != 1 || parent.Values[0].Str != "/usr/sbin/sshd" {
		t.Fatalf("selector 0 has no parent-binary NotIn followChildren \"/usr/sbin/sshd\" test:\n%s", text)
	}
	if parent.Pos.Line != 17 {
		t.Errorf("the parent test is at line %d, want 17 (its filter)", parent.Pos.Line)
	}
	if !strings.Contains(text, "parent-binary Prefix") || h.Selectors[1].Tests[0].Map == nil {
		t.Errorf("selector 1: want a parent-binary Prefix test with its values in a map:\n%s", text)
	}
}
