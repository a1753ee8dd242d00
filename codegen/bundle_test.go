package codegen

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestBundleFormat: a bundle is the same bytes every build, its manifest
// reads back with a valid digest, and cilium/ebpf reads every program,
// map and variable the manifest names.
func TestBundleFormat(t *testing.T) {
	requireCorpus(t)
	for _, f := range []string{"fd_install_ns.yaml", "filename_monitoring.yaml", "list-syscalls.yaml", "raw_syscalls.yaml"} {
		first := compileFile(t, filepath.Join(corpusDir, f))[0]
		again := compileFile(t, filepath.Join(corpusDir, f))[0]
		if first.Err != nil || again.Err != nil {
			t.Fatalf("%s: %v", f, first.Err)
		}
		b := first.Bundle
		if !bytes.Equal(b.Object, again.Bundle.Object) {
			t.Errorf("%s: two builds differ", f)
		}
		m, err := bpf.ReadManifest(b.Object)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Object))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range m.Hooks {
			for _, p := range h.Programs {
				ps := spec.Programs[p.Name]
				if ps == nil || ps.SectionName != p.Section {
					t.Errorf("%s: program %s (%s) not in the object as the manifest says", f, p.Name, p.Section)
				}
			}
		}
		for _, name := range []string{bpf.EventsMap, bpf.ProcsMap, bpf.DropsMap} {
			if ms := spec.Maps[name]; ms == nil || ms.Pinning != ebpf.PinByName {
				t.Errorf("%s: shared map %s missing or not pinned by name", f, name)
			}
		}
		for _, v := range m.Vars {
			if spec.Variables[v] == nil {
				t.Errorf("%s: variable %s missing", f, v)
			}
		}
		// Any byte changed, anywhere — code, headers, padding, the
		// manifest — is refused. The check reads no kernel: a vmtest
		// guest would only repeat the host's run, at emulation speed
		// (it took 437 s of the codegen package's 20 minutes there).
		if testenv.InVM() {
			continue
		}
		bad := append([]byte(nil), b.Object...)
		for i := range bad {
			bad[i] ^= 0x20
			if _, err := bpf.ReadManifest(bad); err == nil {
				t.Errorf("%s: a bundle with byte %d of %d changed passed the integrity check", f, i, len(bad))
				break
			}
			bad[i] ^= 0x20
		}
	}
}

func tool(name string) testenv.Requirement {
	return testenv.Requirement{Name: name, OnCIHost: true, Check: func() error {
		_, err := exec.LookPath(name)
		return err
	}}
}

// TestBundleTools reads a bundle with independent tools: llvm-objdump
// disassembles it, and bpftool loads its tracepoint program.
func TestBundleTools(t *testing.T) {
	if testenv.InVM() {
		t.Log("the vmtest guest has no llvm-objdump or bpftool; this runs on the host")
		return
	}
	testenv.Require(t, tool("llvm-objdump"), tool("bpftool"), tool("unshare"), testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF)
	requireCorpus(t)
	b := compileFile(t, filepath.Join(corpusDir, "raw_syscalls.yaml"))[0].Bundle
	obj := filepath.Join(t.TempDir(), b.FileName())
	if err := os.WriteFile(obj, b.Object, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("llvm-objdump", "-d", obj).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "tracepoint/raw_syscalls/sys_enter") || !strings.Contains(string(out), "call") {
		t.Fatalf("llvm-objdump -d: %v\n%s", err, out)
	}
	// libbpf pins the shared maps by name at the bpffs root: bpftool runs in
	// a mount namespace of its own with a bpffs of its own, so that nothing
	// it pins reaches the host's (it goes with the namespace).
	name := b.Manifest.Hooks[0].Programs[0].Name
	script := fmt.Sprintf(`set -e
mount -t bpf bpf /sys/fs/bpf
bpftool prog loadall %[1]s /sys/fs/bpf/prog
bpftool prog show pinned /sys/fs/bpf/prog/%[2]s
`, obj, name)
	out, err = exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c", script).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "tracepoint") {
		t.Fatalf("bpftool prog loadall and show, in a namespace with its own bpffs: %v\n%s", err, out)
	}
}
