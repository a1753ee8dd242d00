package compiler

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/target"
)

// TestReferenceTypes: without a target, resolve paths and btfType are
// typed against the reference kernel's types, with a note naming it and
// how to pin the types; what the reference cannot type is a needs-target
// warning (build refuses it); with a target, the reference is not used;
// arm64 uses the same reference.
func TestReferenceTypes(t *testing.T) {
	const policy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: ref
spec:
  kprobes:
  - call: "security_bprm_check"
    syscall: false
    args:
    - {index: 0, type: "string", resolve: "mm.owner.real_parent.comm"}
    - {index: 0, type: "int", resolve: "mm.polc_no_such_member"}
    - {index: 0, type: "file", btfType: "file"}
    - {index: 0, type: "int", btfType: "polc_no_such_type", resolve: "x"}
  - call: "polc_no_such_function"
    syscall: false
    args:
    - {index: 0, type: "int", resolve: "pid"}
  lsmhooks:
  - hook: "bprm_check_security"
    args:
    - {index: 0, type: "string", resolve: "mm.owner.comm"}
    data:
    - {index: 0, source: "current_task", type: "int", resolve: "real_parent.tgid"}
    - {index: 1, source: "current_task", type: "int", resolve: "polc_no_such_member"}
`
	type want struct {
		sev  Severity
		code string
		text string
	}
	wants := []want{
		{Note, "reference-types", `resolve "mm.owner.real_parent.comm" on argument 0 is typed against the reference kernel ` + target.ReferenceRelease},
		{Warning, "needs-target", "struct mm_struct has no member polc_no_such_member"},
		{Note, "reference-types", `btfType "file" on argument 0 is typed against the reference kernel`},
		{Warning, "needs-target", "has no type polc_no_such_type"},
		{Warning, "needs-target", "has no function polc_no_such_function"},
		{Note, "reference-types", `resolve "mm.owner.comm" on argument 0 is typed`},
		{Note, "reference-types", `resolve "real_parent.tgid" on the current task is typed`},
		{Warning, "needs-target", "current task: resolve polc_no_such_member: struct task_struct has no member polc_no_such_member"},
	}
	for _, a := range []arch.Arch{arch.X86_64, arch.ARM64} {
		res := Check([]*Source{NewSource("ref.yaml", []byte(policy))}, Options{Arch: a})
		if res.Errors() > 0 {
			t.Fatalf("%s: %v", a, res.Diagnostics)
		}
		var got []Diagnostic
		for _, d := range res.Diagnostics {
			if d.Code == "reference-types" || d.Code == "needs-target" {
				got = append(got, d)
			}
		}
		if len(got) != len(wants) {
			t.Errorf("%s: %d diagnostics, want %d: %v", a, len(got), len(wants), got)
		}
	next:
		for _, w := range wants {
			for _, d := range got {
				if d.Severity == w.sev && d.Code == w.code && strings.Contains(d.Msg, w.text) {
					if w.code == "reference-types" && !strings.Contains(d.Hint, "--target-btf") {
						t.Errorf("%s: note without how to pin the types: %v", a, d)
					}
					continue next
				}
			}
			t.Errorf("%s: no %v %s %q in %v", a, w.sev, w.code, w.text, got)
		}
	}
	// With a target, its types: no note.
	prof, err := target.Reference(arch.X86_64)
	if err != nil {
		t.Fatal(err)
	}
	res := Check([]*Source{NewSource("ref.yaml", []byte(policy))}, Options{Target: &target.Profile{Arch: arch.X86_64, BTF: prof.BTF}})
	for _, d := range res.Diagnostics {
		if d.Code == "reference-types" {
			t.Errorf("with a target: %v", d)
		}
	}
}
