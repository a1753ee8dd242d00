package compiler

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// TestLowerPolicyMode: spec.options policy-mode sets the IR policy's mode
// (the last entry counts, as in Tetragon), and only monitor is printed.
func TestLowerPolicyMode(t *testing.T) {
	const head = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "mode"
spec:
`
	const hooks = `  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    selectors:
    - matchActions:
      - action: Sigkill
`
	for _, tc := range []struct {
		name    string
		options string
		want    ir.Mode
	}{
		{"none", "", ir.ModeEnforce},
		{"monitor", "  options:\n  - name: policy-mode\n    value: monitor\n", ir.ModeMonitor},
		{"enforce", "  options:\n  - name: policy-mode\n    value: enforce\n", ir.ModeEnforce},
		{"last-counts", "  options:\n  - name: policy-mode\n    value: enforce\n  - name: policy-mode\n    value: monitor\n", ir.ModeMonitor},
		{"other-options", "  options:\n  - name: disable-kprobe-multi\n    value: \"1\"\n", ir.ModeEnforce},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := lowerOne(t, head+tc.options+hooks)
			if p.Mode != tc.want {
				t.Fatalf("mode %s, want %s", p.Mode, tc.want)
			}
			if got := strings.Contains(p.String(), "mode=monitor"); got != (tc.want == ir.ModeMonitor) {
				t.Errorf("printed IR says mode=monitor: %v, want %v:\n%s", got, tc.want == ir.ModeMonitor, p)
			}
			if !p.HasEnforcement() {
				t.Error("HasEnforcement is false for a Sigkill policy")
			}
		})
	}
}

// TestOptionsTable: every option has a parser, and Tetragon's spellings
// are the table's.
func TestOptionsTable(t *testing.T) {
	want := []string{"policy-mode", "disable-kprobe-multi", "disable-uprobe-multi", "override-method", "uprobe-heap-size"}
	if got := optionNames(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("options %v, want %v", got, want)
	}
	for _, o := range specOptions {
		if o.parse == nil || o.values == "" {
			t.Errorf("option %s lacks a parser or a description of its values", o.name)
		}
	}
	for v, ok := range map[string]bool{"monitor": true, "enforce": true, "Monitor": false, "ENFORCE": false, "": false, "monitor_only": false} {
		if err := lookupOption("policy-mode").parse(v); (err == nil) != ok {
			t.Errorf("policy-mode %q: accepted %v, want %v", v, err == nil, ok)
		}
	}
}
