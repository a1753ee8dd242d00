package codegen

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/compiler"
)

// haveBpfLoop says whether the running kernel has bpf_loop (5.17+): the
// programs that use it are tested only there, their fallbacks everywhere.
func haveBpfLoop() bool { return features.HaveProgramHelper(ebpf.TracePoint, asm.FnLoop) == nil }

// programAndFallback lists p and its fallback without bpf_loop, if any;
// with a fallback, p only where the kernel has bpf_loop.
func programAndFallback(p bpf.Program) []string {
	if p.Fallback == "" {
		return []string{p.Name}
	}
	if !haveBpfLoop() {
		return []string{p.Fallback}
	}
	return []string{p.Name, p.Fallback}
}

// TestFallbacks: a policy whose walks use bpf_loop (a path, the pids of
// followForks, the binaries of followChildren) has, for each program, a
// fallback without bpf_loop or callback addresses, named in the manifest
// with the bounds of its walks, and does not require bpf_loop; the 6.1+
// programs are those of the bundle without fallbacks.
func TestFallbacks(t *testing.T) {
	const yaml = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: walks
spec:
  kprobes:
  - call: fd_install
    syscall: false
    args:
    - index: 1
      type: file
    selectors:
    - matchPIDs:
      - operator: In
        followForks: true
        values: [1]
      matchBinaries:
      - operator: In
        followChildren: true
        values: ["/usr/bin/bash"]
`
	src := compiler.NewSource("walks.yaml", []byte(yaml))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.X86_64})
	if res.Errors() > 0 {
		t.Fatal(res.Diagnostics)
	}
	pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.X86_64})
	if pol == nil {
		t.Fatal(diags)
	}
	b, err := Build(pol, Options{Arch: arch.X86_64})
	if err != nil {
		t.Fatal(err)
	}
	m := b.Manifest
	if slices.Contains(m.Features, bpf.FeatureBpfLoop) {
		t.Errorf("features %v: bpf_loop is required, though every program has a fallback", m.Features)
	}
	want := map[string]int{"path": kern.PathStepsNoLoop, "ancestors": ancestorStepsNoLoop}
	if !maps.Equal(m.LoopBounds, want) {
		t.Errorf("loop bounds %v, want %v", m.LoopBounds, want)
	}
	fb := b.Fallbacks
	if fb == nil || len(fb.Programs) != 1 || len(fb.Maps) != 1 || fb.Maps[0].Name != bpf.LoopBoundsMap {
		t.Fatalf("fallbacks %+v", fb)
	}
	p := m.Hooks[0].Programs[0]
	if p.Fallback != fb.Programs[0].Name || fb.Programs[0].Section != b.Programs[0].Section+"/noloop" {
		t.Errorf("program %+v, fallback %s in %s", p, fb.Programs[0].Name, fb.Programs[0].Section)
	}
	code := append(asm.Instructions{}, fb.Programs[0].Insns...)
	for _, f := range fb.Funcs {
		code = append(code, f.Insns...)
	}
	for _, ins := range code {
		if isLoopCall(ins) || isFuncAddr(ins) {
			t.Errorf("fallback code has %v", ins)
		}
	}
	// The 6.1+ code does not change: the main program still calls
	// bpf_loop, and the dump without fallbacks is the golden files' kind.
	loops := 0
	for _, ins := range b.Programs[0].Insns {
		if isLoopCall(ins) {
			loops++
		}
	}
	if loops < 2 {
		t.Errorf("the main program has %d bpf_loop calls, want the pid and binary walks'", loops)
	}
	if asm := b.Asm(AsmOptions{NoFallbacks: true}); strings.Contains(asm, noLoopSuffix) {
		t.Errorf("the dump without fallbacks shows them")
	}
	if asm := b.Asm(AsmOptions{}); !strings.Contains(asm, "program "+p.Fallback) {
		t.Errorf("the dump does not show the fallback")
	}
}
