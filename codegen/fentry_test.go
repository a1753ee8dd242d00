package codegen

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestFentries runs spec.fentries, kprobe hooks attached with fentry and
// fexit programs, whose context is the function's arguments as u64s: a
// function's arguments (fd_install's fd and file, the file's path walked
// and compared) and a syscall's (openat through the pt_regs its wrapper
// receives, the first u64 of the context), with a return value that fexit
// reads with bpf_get_func_ret and matchReturnArgs tests.
func TestFentries(t *testing.T) {
	// fexit reads the return value with bpf_get_func_ret (5.17).
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Fentry, testenv.KernelAtLeast(5, 17))
	ensureFile(t, "/etc/passwd")
	bin := childBinary(t, "opener")
	dir := filepath.Dir(bin)
	exists := filepath.Join(dir, "exists")
	if err := os.WriteFile(exists, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSource(t, "fentries.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: fentries
spec:
  fentries:
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
  - call: "sys_openat"
    syscall: true
    return: true
    args:
    - index: 0
      type: int
    - index: 1
      type: string
    returnArg:
      index: 0
      type: int
    selectors:
    - matchArgs:
      - index: 1
        operator: Prefix
        values: ["`+dir+`/"]
      matchReturnArgs:
      - operator: GT
        values: ["-1"]
`)
	if !slices.Contains(b.Manifest.Features, bpf.FeatureFentry) {
		t.Errorf("features %v, want %s", b.Manifest.Features, bpf.FeatureFentry)
	}
	l := loadBundle(t, b)
	for name, st := range l.stats {
		t.Logf("VERIFIER fentries %s: %d verified instructions in %v", name, st.Verified, st.Load)
	}
	var links []link.Link
	for _, h := range b.Manifest.Hooks {
		for _, p := range h.Programs {
			at := map[string]ebpf.AttachType{"fentry": ebpf.AttachTraceFEntry, "fexit": ebpf.AttachTraceFExit}[p.Attach]
			if at == 0 || p.Target != h.Target {
				t.Fatalf("hook %s: program %+v, want fentry or fexit on %s", h.Target, p, h.Target)
			}
			lk, err := link.AttachTracing(link.TracingOptions{Program: l.coll.Programs[p.Name], AttachType: at})
			if err != nil {
				t.Fatalf("attach %s: %v", p.Name, err)
			}
			links = append(links, lk)
		}
	}
	var pids []int
	for _, path := range []string{"/etc/passwd", exists, filepath.Join(dir, "missing")} {
		cmd := child(bin, "open:"+path)
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		pids = append(pids, cmd.Process.Pid)
	}
	for _, lk := range links {
		lk.Close()
	}
	var passwd, openat int
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		switch b.Manifest.Hooks[r.HookID].Call {
		case "fd_install":
			path, _, _ := bytesArg(r.Args[1])
			if string(path) != "/etc/passwd" {
				t.Errorf("fd_install record for %q", path)
			}
			if r.Tgid == uint32(pids[0]) {
				if fd := intArg(r.Args[0]); fd < 0 || fd > 1024 {
					t.Errorf("fd %d", fd)
				}
				passwd++
			}
		case "sys_openat":
			path, _, _ := bytesArg(r.Args[1])
			if string(path) != exists || r.Tgid != uint32(pids[1]) {
				t.Errorf("openat record for %q from %d (return %d)", path, r.Tgid, r.Ret)
				continue
			}
			if r.Flags&bpf.FlagReturn == 0 || r.Ret < 0 || uint32(intArg(r.Args[0])) != uint32(0xffffff9c) /* AT_FDCWD */ {
				t.Errorf("openat record %+v, dirfd %d", r.Header, intArg(r.Args[0]))
			}
			openat++
		}
	}
	if passwd != 1 || openat != 1 {
		t.Errorf("%d fd_install records of /etc/passwd from %d, %d openat records of %s: want 1 and 1", passwd, pids[0], openat, exists)
	}
}
