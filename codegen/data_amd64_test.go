package codegen

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target/capture"
)

// buildSourceTarget is buildSource against a profile of this kernel, for
// resolve paths.
func buildSourceTarget(t testing.TB, name, text string) *Bundle {
	t.Helper()
	prof, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	src := compiler.NewSource(name, []byte(text))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Target: prof})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("%s: %v", name, res.Diagnostics)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Target: prof})
	if p == nil {
		t.Fatalf("%s: %v", name, diags)
	}
	b, err := Build(p, Options{Source: name, SourceData: src.Data, Target: prof, SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLSMData: an LSM hook's current_task data (tgid, comm) is recorded
// after its argument and filtered by matchData: the child named opener is
// reported, with its tgid; the one named other, opening the same file, is
// not.
func TestLSMData(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF, testenv.RingBuf, testenv.LSM)
	bin := childBinary(t, "opener")
	other := childBinary(t, "other")
	watched := filepath.Join(filepath.Dir(bin), "watched")
	if err := os.WriteFile(watched, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSourceTarget(t, "lsm-data.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: lsm-data
spec:
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    data:
    - index: 0
      type: "int"
      source: "current_task"
      resolve: "tgid"
    - index: 1
      type: "string"
      source: "current_task"
      resolve: "comm"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["`+watched+`"]
      matchData:
      - args: [1]
        operator: "Equal"
        values: ["opener"]
`)
	l := loadBundle(t, b)
	lsm, err := link.AttachLSM(link.LSMOptions{Program: l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]})
	if err != nil {
		t.Fatal(err)
	}
	defer lsm.Close()
	cmd := child(bin, "open:"+watched)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if err := child(other, "open:"+watched).Run(); err != nil {
		t.Fatal(err)
	}
	lsm.Close()
	n := 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		path, _, _ := bytesArg(r.Args[0])
		comm, _, _ := bytesArg(r.Args[2])
		if string(path) != watched || r.Tgid != uint32(cmd.Process.Pid) || int32(intArg(r.Args[1])) != int32(cmd.Process.Pid) || string(comm) != "opener" {
			t.Errorf("record of %d for %q: data tgid %d comm %q", r.Tgid, path, int32(intArg(r.Args[1])), comm)
			continue
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}

// TestKprobePtRegsData: pt_regs data on a syscall kprobe reads the user
// registers (rdi: openat's dirfd, AT_FDCWD for os.Open), filtered by
// matchData; on a plain kprobe, the kernel function's registers (edi:
// fd_install's fd, the same value as its argument 0).
func TestKprobePtRegsData(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	bin := childBinary(t, "opener")
	dir := filepath.Dir(bin)
	exists := filepath.Join(dir, "exists")
	if err := os.WriteFile(exists, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSource(t, "ptregs.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: ptregs
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    args:
    - index: 1
      type: string
    data:
    - index: 0
      type: int
      source: pt_regs
      resolve: rdi
    selectors:
    - matchArgs:
      - index: 1
        operator: Prefix
        values: ["`+dir+`/"]
      matchData:
      - index: 0
        operator: Equal
        values: ["-100"]
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: int
    data:
    - index: 0
      type: int
      source: pt_regs
      resolve: edi
`)
	l := loadBundle(t, b)
	for i, h := range b.Manifest.Hooks {
		kp, err := link.Kprobe(h.Target, l.coll.Programs[h.Programs[0].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		defer kp.Close()
		_ = i
	}
	cmd := child(bin, "open:"+exists)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	opens, installs := 0, 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy || r.Tgid != uint32(cmd.Process.Pid) {
			continue
		}
		switch r.HookID {
		case 0:
			path, _, _ := bytesArg(r.Args[0])
			if string(path) != exists || int32(intArg(r.Args[1])) != -100 {
				t.Errorf("openat record for %q, dirfd %d", path, int32(intArg(r.Args[1])))
			}
			opens++
		case 1:
			if a, d := int32(intArg(r.Args[0])), int32(intArg(r.Args[1])); a != d {
				t.Errorf("fd_install: argument %d, edi %d", a, d)
			}
			installs++
		}
	}
	if opens != 1 || installs == 0 {
		t.Errorf("%d openat records (want 1), %d fd_install records", opens, installs)
	}
}
