package compiler

import (
	"slices"
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// lowered checks and lowers src, failing on any error.
func lowered(t *testing.T, src string) *ir.Policy {
	t.Helper()
	pol := checked(t, src)
	p, diags := Lower(pol, LowerOptions{Verify: true})
	for _, d := range diags {
		if d.Severity == Error {
			t.Fatalf("lowering: %v", d)
		}
	}
	if p == nil {
		t.Fatal("no IR")
	}
	return p
}

// TestMatchArgsPositions: args names the argument by its position in the
// hook's args list, whatever its index, and only its first entry is tested
// (Tetragon's argIndexType); CapabilitiesGained reads both entries as
// positions.
func TestMatchArgsPositions(t *testing.T) {
	p := lowered(t, `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: positions
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    args:
    - index: 2
      type: "int"
    - index: 1
      type: "string"
    selectors:
    - matchArgs:
      - args: [1]
        operator: "Prefix"
        values: ["/etc"]
      - args: [0, 1]
        operator: "Equal"
        values: ["3"]
  - call: "commit_creds"
    syscall: false
    args:
    - index: 3
      type: "cap_effective"
    - index: 0
      type: "cap_permitted"
    selectors:
    - matchArgs:
      - operator: "CapabilitiesGained"
        args: [1, 0]
`)
	slots := map[ir.Op]int{}
	for _, tt := range p.Hooks[0].Selectors[0].Tests {
		slots[tt.Op] = tt.Slot
	}
	if len(slots) != 2 || slots[ir.OpPrefix] != 1 || slots[ir.OpEqual] != 0 {
		t.Fatalf("slots by operator %v: want Prefix on slot 1, Equal on slot 0", slots)
	}
	caps := p.Hooks[1].Selectors[0].Tests[0]
	if caps.Slot != 1 || caps.Slot2 != 0 || caps.Type != ir.TypeCapPermitted {
		t.Fatalf("CapabilitiesGained %+v: want slots 1 and 0", caps)
	}

	// The meaning, through ir.Eval: the Prefix filter reads slot 1 (the
	// path), the Equal filter slot 0 (index 2).
	for _, c := range []struct {
		fd   int64
		path string
		want bool
	}{{3, "/etc/passwd", true}, {3, "/tmp/x", false}, {4, "/etc/passwd", false}} {
		ev := &ir.Event{Args: []ir.ArgValue{{Int: c.fd}, {Bytes: []byte(c.path)}}}
		r, err := ir.Eval(p.Hooks[0], ev)
		if err != nil || r.Matched != c.want {
			t.Errorf("openat(%d, %s): matched %v (%v), want %v", c.fd, c.path, r.Matched, err, c.want)
		}
	}
}

// TestEmptyValues: filters without values mean what they mean to Tetragon
// (see checker.requireValues), through ir.Eval of the lowered policy.
func TestEmptyValues(t *testing.T) {
	p := lowered(t, `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: empty
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    args:
    - index: 1
      type: "string"
    selectors:
    - matchPIDs:
      - operator: "In"
        values: []
    - matchBinaries:
      - operator: "In"
        values: []
      matchPIDs:
      - operator: "NotIn"
        values: []
      matchArgs:
      - index: 1
        operator: "NotEqual"
        values: []
      matchNamespaceChanges:
      - operator: "NotIn"
        values: []
  - call: "sys_close"
    syscall: true
    selectors:
    - matchCapabilityChanges:
      - operator: "NotIn"
        values: []
`)
	if n := len(p.Hooks[0].Selectors); n != 1 {
		t.Fatalf("%d selectors: want the never-matching first one removed", n)
	}
	open := &ir.Event{Args: []ir.ArgValue{{Bytes: []byte("/etc/passwd")}}}
	open.Process = ir.Process{PID: 42, Binary: "/usr/bin/cat"}
	open.Process.NS[ir.NsMnt], open.Process.ExecNS[ir.NsMnt] = 7, 7
	if r, err := ir.Eval(p.Hooks[0], open); err != nil || r.Matched {
		t.Errorf("no namespace changed: matched %v (%v)", r.Matched, err)
	}
	open.Process.NS[ir.NsMnt] = 8 // any binary, any PID, a mount namespace change
	if r, err := ir.Eval(p.Hooks[0], open); err != nil || !r.Matched {
		t.Errorf("mount namespace changed: matched %v (%v)", r.Matched, err)
	}

	closeEv := &ir.Event{}
	closeEv.Process.Caps[ir.CapEffective], closeEv.Process.ExecCaps[ir.CapEffective] = 1<<21, 1<<21
	if r, err := ir.Eval(p.Hooks[1], closeEv); err != nil || r.Matched {
		t.Errorf("no capability changed: matched %v (%v)", r.Matched, err)
	}
	closeEv.Process.Caps[ir.CapEffective] = 1 << 12
	if r, err := ir.Eval(p.Hooks[1], closeEv); err != nil || !r.Matched {
		t.Errorf("effective set changed: matched %v (%v)", r.Matched, err)
	}
}

// TestDuplicateIndex: an index declared twice is read twice, into two
// slots; matchArgs index names the first entry, args: [N] any (Tetragon's
// argIndexType).
func TestDuplicateIndex(t *testing.T) {
	p := lowered(t, `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: dup
spec:
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "int64"
    - index: 4
      type: "uint32"
    selectors:
    - matchArgs:
      - index: 4
        operator: "Equal"
        values: ["-1"]
    - matchArgs:
      - args: [1]
        operator: "Equal"
        values: ["4294967295"]
`)
	h := p.Hooks[0]
	if len(h.Args) != 2 || h.Args[0].Index != 4 || h.Args[1].Index != 4 {
		t.Fatalf("args %+v", h.Args)
	}
	if s := h.Selectors[0].Tests[0]; s.Slot != 0 || s.Type != ir.TypeInt64 {
		t.Errorf("index 4: slot %d %s, want the first entry", s.Slot, s.Type)
	}
	if s := h.Selectors[1].Tests[0]; s.Slot != 1 || s.Type != ir.TypeUint32 {
		t.Errorf("args [1]: slot %d %s, want the second entry", s.Slot, s.Type)
	}
	// id -1 as read by both entries: int64 -1 matches selector 0;
	// 0xffffffff read as uint32 matches selector 1 only when selector 0
	// does not (an id of 0xffffffff).
	ev := &ir.Event{Args: []ir.ArgValue{{Int: 0xffffffff}, {Int: 0xffffffff}}}
	r, err := ir.Eval(h, ev)
	if err != nil || !r.Matched || r.Selector.Index != 1 {
		t.Errorf("id 0xffffffff: %+v %v, want selector 1", r, err)
	}
}

// TestOfflineAutoType: without a target, fields of raw_syscalls/* and
// syscalls/* events without a type take the type of their field in the
// format polc knows (the same as a target's format gives: the debian-6.12
// profile's, checked by hand), and filters on them test that type.
func TestOfflineAutoType(t *testing.T) {
	p := lowered(t, `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: auto
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    args:
    - index: 5
    - index: 7
      type: "auto"
    selectors:
    - matchArgs:
      - index: 7
        operator: "Mask"
        values: ["0x40"]
  - subsystem: "raw_syscalls"
    event: "sys_exit"
    args:
    - index: 4
    - index: 5
`)
	want := [][]ir.ArgType{{ir.TypeUint64, ir.TypeUint64}, {ir.TypeInt64, ir.TypeInt64}}
	for i, h := range p.Hooks {
		for j, a := range h.Args {
			if a.Type != want[i][j] {
				t.Errorf("hook %d arg %d: %s, want %s", i, j, a.Type, want[i][j])
			}
		}
	}
	for flags, match := range map[int64]bool{0x41: true, 0x2: false} {
		ev := &ir.Event{Args: []ir.ArgValue{{Int: 3}, {Int: flags}}}
		if r, err := ir.Eval(p.Hooks[0], ev); err != nil || r.Matched != match {
			t.Errorf("flags %#x: matched %v (%v), want %v", flags, r.Matched, err, match)
		}
	}
}

// TestPodScope: what the manifest records as restricting the policy to
// pods (polrun refuses it), as Tetragon's policy filter reads the kind and
// the selectors: nothing when they together select every process.
func TestPodScope(t *testing.T) {
	for _, c := range []struct {
		kind, spec string
		want       []string
	}{
		{"TracingPolicy", "", nil},
		{"TracingPolicy", "podSelector: {}\nhostSelector: {}\n", nil},
		{"TracingPolicy", "containerSelector: {}\nhostSelector: {}\n", nil},
		{"TracingPolicy", "podSelector: {}\ncontainerSelector: {}\nhostSelector: {}\n", nil},
		{"TracingPolicy", "podSelector: {}\n", []string{"podSelector"}},   // pods, not the host
		{"TracingPolicy", "hostSelector: {}\n", []string{"hostSelector"}}, // the host, not pods
		{"TracingPolicy", "podSelector: {matchLabels: {app: web}}\nhostSelector: {}\n", []string{"podSelector", "hostSelector"}},
		{"TracingPolicy", "containerSelector: {matchLabels: {name: x}}\n", []string{"containerSelector"}},
		{"TracingPolicyNamespaced", "", []string{"TracingPolicyNamespaced"}},
		{"TracingPolicyNamespaced", "podSelector: {}\ncontainerSelector: {}\n", []string{"TracingPolicyNamespaced", "podSelector", "containerSelector"}},
	} {
		ns := ""
		if c.kind == "TracingPolicyNamespaced" {
			ns = "\n  namespace: team-a"
		}
		spec := ""
		for _, line := range strings.SplitAfter(c.spec, "\n") {
			if line != "" {
				spec += "  " + line
			}
		}
		src := "apiVersion: cilium.io/v1alpha1\nkind: " + c.kind + "\nmetadata:\n  name: p" + ns + "\nspec:\n" + spec +
			"  tracepoints:\n  - subsystem: sched\n    event: sched_process_exec\n"
		p := lowered(t, src)
		if !slices.Equal(p.PodSelectors, c.want) {
			t.Errorf("%s %q: PodSelectors %q, want %q", c.kind, c.spec, p.PodSelectors, c.want)
		}
	}
	// A uprobe whose path is in the containers' roots is named too.
	p := lowered(t, "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n"+
		"  uprobes:\n  - path: /usr/bin/app\n    symbols: [main]\n    resolvePathInContainer: true\n")
	if want := []string{"podSelector", "resolvePathInContainer"}; !slices.Equal(p.PodSelectors, want) {
		t.Errorf("resolvePathInContainer: PodSelectors %q, want %q", p.PodSelectors, want)
	}
}
