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
)

// fdInstallPolicy is the fd_install example of the specification
// (tracing-policy.md).
const fdInstallPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "fd-install"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/etc/passwd"
        - "/etc/shadow"
`

// buildSource checks, lowers and builds a policy given as text.
func buildSource(t testing.TB, name, text string) *Bundle {
	t.Helper()
	src := compiler.NewSource(name, []byte(text))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("%s: %v", name, res.Diagnostics)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{})
	if p == nil {
		t.Fatalf("%s: %v", name, diags)
	}
	b, err := Build(p, Options{Source: name, SourceData: src.Data, SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ensureFile creates path with some content unless it exists (the vmtest
// guest has no /etc/passwd).
func ensureFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("root:x:0:0::/root:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFdInstall runs the specification's fd_install example: a kprobe with
// a file argument whose path is walked and compared. Opening /etc/passwd
// posts a record with that path and the fd; opening another file does not.
// It logs the verifier's figures.
func TestFdInstall(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	ensureFile(t, "/etc/passwd")
	b := buildSource(t, "fd_install.yaml", fdInstallPolicy)
	l := loadBundle(t, b)
	for name, st := range l.stats {
		t.Logf("VERIFIER fd_install %s: %d verified instructions, loaded in %v", name, st.Verified, st.Load)
	}
	prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
	kp, err := link.Kprobe("fd_install", prog, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer kp.Close()

	bin := childBinary(t, "opener")
	other := filepath.Join(filepath.Dir(bin), "other")
	if err := os.WriteFile(other, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(path string) int {
		cmd := child(bin, "open:"+path)
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		return cmd.Process.Pid
	}
	passwdPid := run("/etc/passwd")
	otherPid := run(other)
	kp.Close()

	found := false
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		path, flags, _ := bytesArg(r.Args[1])
		if p := string(path); p != "/etc/passwd" && p != "/etc/shadow" {
			t.Errorf("record for %q (flags %#x) from %d", p, flags, r.Tgid)
		}
		if r.Tgid == uint32(otherPid) {
			t.Errorf("record from the process that opened %s: %q", other, path)
		}
		if r.Tgid == uint32(passwdPid) && string(path) == "/etc/passwd" {
			if fd := intArg(r.Args[0]); fd < 0 || fd > 1024 {
				t.Errorf("fd %d", fd)
			}
			found = true
		}
	}
	if !found {
		t.Errorf("no record of process %d opening /etc/passwd", passwdPid)
	}
}
