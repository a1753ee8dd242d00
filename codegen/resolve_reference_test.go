package codegen

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// TestResolveReference builds resolve paths WITHOUT a target: they are
// typed against the reference kernel (Debian 6.12, target.Reference),
// whose task_struct, mm_struct and file lay their members out elsewhere
// than this kernel's, and the bundle reads the right values here because
// every member is read through a CO-RE relocation. Checks, diagnostics
// included, are those of polc build without a target.
func TestResolveReference(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.RingBuf, testenv.KernelBTF)
	const policy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: resolve-reference
spec:
  tracepoints:
  - subsystem: sched
    event: sched_process_exec
    raw: true
    args:
    - {index: 0, type: string, resolve: "mm.owner.real_parent.real_parent.comm"}
    - {index: 2, type: path, resolve: "file.f_path"}
    - {index: 0, type: int32, resolve: "real_parent.tgid"}
    selectors:
    - matchArgs:
      - {index: 2, operator: Postfix, values: ["/polc-resolve-ref"]}
`
	// The reference lays task_struct out otherwise than this kernel: the
	// values below are right only if the reads are relocated.
	ref, err := target.Reference("")
	if err != nil {
		t.Fatal(err)
	}
	refSpec, err := ref.Spec()
	if err != nil {
		t.Fatal(err)
	}
	kernel, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	refOff, hostOff := memberOffset(t, refSpec, "task_struct", "real_parent"), memberOffset(t, kernel, "task_struct", "real_parent")
	// On a kernel laid out as the reference (Debian's own 6.12 in the
	// vmtest guest) relocation is the identity: the values are still
	// checked, but only a kernel of another layout (the 6.18 host) shows
	// that the reads move with the members.
	if refOff == hostOff {
		t.Logf("task_struct.real_parent is at %d in %s and on this kernel: relocation is the identity here; the values are checked all the same", refOff, target.ReferenceRelease)
	} else {
		t.Logf("task_struct.real_parent: offset %d in %s, %d here", refOff, target.ReferenceRelease, hostOff)
	}
	src := compiler.NewSource("resolve-reference.yaml", []byte(policy))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{})
	if res.Errors() > 0 {
		t.Fatalf("does not check: %v", res.Diagnostics)
	}
	notes := 0
	for _, d := range res.Diagnostics {
		if d.Code == "reference-types" && d.Severity == compiler.Note && strings.Contains(d.Msg, target.ReferenceRelease) {
			notes++
		}
	}
	if notes != 3 {
		t.Errorf("%d reference-types notes naming %s, want 3: %v", notes, target.ReferenceRelease, res.Diagnostics)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{})
	if compiler.Count(diags, compiler.Error) > 0 {
		t.Fatalf("does not lower: %v", diags)
	}
	b, err := Build(p, Options{Source: "resolve-reference.yaml", SourceData: []byte(policy),
		SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	h := b.Manifest.Hooks[0]
	rt, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sched_process_exec", Program: l.coll.Programs[h.Programs[0].Name]})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	exe := childBinary(t, "polc-resolve-ref")
	cmd := child(exe, "exit:0")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	grandparent := procComm(t, os.Getppid())
	var execs int
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		execs++
		comm, _, _ := bytesArg(r.Args[0])
		path, _, _ := bytesArg(r.Args[1])
		if string(comm) != grandparent || string(path) != exe || intArg(r.Args[2]) != int64(os.Getpid()) {
			t.Errorf("exec: grandparent %q, file %q, parent %d; want %q, %q, %d", comm, path, intArg(r.Args[2]), grandparent, exe, os.Getpid())
		}
	}
	if execs != 1 {
		t.Errorf("%d exec records, want 1", execs)
	}
}

// memberOffset is the byte offset of member name of struct typ in spec.
func memberOffset(t *testing.T, spec *btf.Spec, typ, name string) uint32 {
	t.Helper()
	var st *btf.Struct
	if err := spec.TypeByName(typ, &st); err != nil {
		t.Fatal(err)
	}
	for _, m := range st.Members {
		if m.Name == name {
			return m.Offset.Bytes()
		}
	}
	t.Fatalf("%s has no member %s", typ, name)
	return 0
}
