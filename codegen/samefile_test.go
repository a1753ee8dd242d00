package codegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestSameFileExec runs SameFile and NotSameFile on this kernel: a raw
// tracepoint sched_process_exec policy reads the executed file from the
// linux_binprm (as a file, and as the path of its f_path), and its
// selectors compare the file's identity with that of a file named by a
// symbolic link, looked up when the bundle is loaded as polrun looks it up
// (loader.FileIDEntries). The binary executed under its own path, under a
// hard link and under a bind mount of it is the same file (selector 0);
// a copy of it at a path that differs only by its last character is not
// (selector 1, NotSameFile).
func TestSameFileExec(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.RingBuf, testenv.KernelBTF)
	exe := childBinary(t, "polc-samefile")
	dir := filepath.Dir(exe)
	link1 := filepath.Join(dir, "polc-samefile-link")
	if err := os.Link(exe, link1); err != nil {
		t.Fatal(err)
	}
	sym := filepath.Join(dir, "polc-samefile-sym")
	if err := os.Symlink(exe, sym); err != nil {
		t.Fatal(err)
	}
	bound := filepath.Join(dir, "polc-samefile-bind")
	if err := os.WriteFile(bound, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mount(exe, bound, "", unix.MS_BIND, ""); err != nil {
		t.Fatalf("bind mount %s on %s: %v", exe, bound, err)
	}
	t.Cleanup(func() { unix.Unmount(bound, unix.MNT_DETACH) })
	other := childBinary(t, "polc-samefilx") // another inode, another directory
	runs := []struct {
		path string
		sel  int // the selector that posts (0-based)
	}{{exe, 0}, {link1, 0}, {bound, 0}, {other, 1}}

	for _, arg := range []struct{ typ, resolve string }{{"file", "file"}, {"path", "file.f_path"}} {
		t.Run(arg.typ, func(t *testing.T) {
			policy := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: samefile-exec
spec:
  tracepoints:
  - subsystem: sched
    event: sched_process_exec
    raw: true
    args:
    - {index: 2, type: %s, resolve: %q}
    selectors:
    - matchArgs:
      - {index: 2, operator: SameFile, values: [%q]}
    - matchArgs:
      - {index: 2, operator: NotSameFile, values: [%q, "/"]}
`, arg.typ, arg.resolve, sym, sym)
			b := buildSource(t, "samefile-exec.yaml", policy)
			if len(b.Manifest.FileIDs) != 2 || len(b.Manifest.FileIDs[0].Uses) != 1 || b.Manifest.FileIDs[0].Uses[0].Selector != 0 {
				t.Fatalf("manifest fileIds %+v, want two maps, the first read by selector 0", b.Manifest.FileIDs)
			}
			l := loadBundle(t, b)
			h := b.Manifest.Hooks[0]
			rt, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sched_process_exec", Program: l.coll.Programs[h.Programs[0].Name]})
			if err != nil {
				t.Fatal(err)
			}
			defer rt.Close()
			for _, r := range runs {
				if err := child(r.path, "exit:0").Run(); err != nil {
					t.Fatalf("run %s: %v", r.path, err)
				}
			}
			got := map[string][]int{}
			for _, rec := range readRecords(t, l, b, time.Second, nil) {
				if rec.Kind != bpf.EventPolicy {
					continue
				}
				path, _, _ := bytesArg(rec.Args[0])
				if strings.HasPrefix(string(path), dir+"/") || strings.HasPrefix(string(path), filepath.Dir(other)+"/") {
					got[string(path)] = append(got[string(path)], int(rec.Selector)-1)
				}
			}
			for _, r := range runs {
				if s := got[r.path]; len(s) != 1 || s[0] != r.sel {
					t.Errorf("exec of %s posted by selectors %v, want [%d]", r.path, s, r.sel)
				}
			}
			if len(got) != len(runs) {
				t.Errorf("records of %d paths, want %d: %v", len(got), len(runs), got)
			}
		})
	}
}
