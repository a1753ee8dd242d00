package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/loader/testbundle"
)

// hostileCase is one bundle polrun load must refuse with a clear error,
// leaving nothing attached or pinned.
type hostileCase struct {
	name string
	// bundle writes the bundle (or any file) to load; its programs are
	// named hst_<n> by the helpers, so that leftovers can be found.
	bundle func(t *testing.T, e *env, prog string) string
	// before, when set, runs first (a policy already loaded).
	before func(t *testing.T, e *env, prog string)
	want   []string // substrings of polrun's error
	// dont are substrings the error must not have (misleading advice).
	dont []string
}

// TestHostileBundles: truncated, tampered, foreign-arch and hand-edited
// bundles, bundles needing what this kernel lacks, a name collision and
// huge manifests are each refused with a clear error (exit 1), and the
// pin root, the kernel's programs and links are as they were: nothing of
// the refused bundle stays attached or pinned.
func TestHostileBundles(t *testing.T) {
	good := func(t *testing.T, prog string, edit func(*testbundle.Spec)) []byte {
		s := testbundle.Syscalls("hostile", prog, 1)
		if edit != nil {
			edit(s)
		}
		data, err := s.Write()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	file := func(e *env, data []byte) string { return e.write("hostile.bpf.o", data) }
	cases := []hostileCase{
		{name: "empty", bundle: func(t *testing.T, e *env, _ string) string { return file(e, nil) },
			want: []string{"read ELF"}},
		{name: "truncated-header", bundle: func(t *testing.T, e *env, p string) string { return file(e, good(t, p, nil)[:40]) },
			want: []string{"read ELF", "a truncated bundle"}},
		{name: "truncated-half", bundle: func(t *testing.T, e *env, p string) string {
			d := good(t, p, nil)
			return file(e, d[:len(d)/2])
		}, want: []string{"hostile.bpf.o", "a truncated bundle"}},
		{name: "truncated-last-byte", bundle: func(t *testing.T, e *env, p string) string {
			d := good(t, p, nil)
			return file(e, d[:len(d)-1])
		}, want: []string{"hostile.bpf.o", "a truncated bundle"}},
		{name: "tampered-code", bundle: func(t *testing.T, e *env, p string) string {
			d := good(t, p, nil)
			i := bytes.Index(d, []byte{0xbf, 0x16}) // mov r6, r1: the first instruction
			if i < 0 {
				t.Fatal("test bundle layout changed")
			}
			d[i+1] = 0x26
			return file(e, d)
		}, want: []string{"modified after it was built"}},
		{name: "tampered-manifest", bundle: func(t *testing.T, e *env, p string) string {
			d := good(t, p, nil)
			i := bytes.Index(d, []byte(`"policy": "hostile"`))
			if i < 0 {
				t.Fatal("test bundle manifest changed")
			}
			copy(d[i:], `"policy": "hostila"`)
			return file(e, d)
		}, want: []string{"modified after it was built"}},
		{name: "not-a-bundle", bundle: func(t *testing.T, e *env, _ string) string {
			exe, err := os.ReadFile("/bin/true")
			if err != nil {
				t.Fatal(err)
			}
			return file(e, exe)
		}, want: []string{"not a polc bundle"}},
		{name: "foreign-arch", bundle: func(t *testing.T, e *env, _ string) string {
			other := arch.ARM64
			if arch.Host() == arch.ARM64 {
				other = arch.X86_64
			}
			return file(e, buildIR(t, other, &ir.Hook{Kind: ir.HookTracepoint, Target: "raw_syscalls/sys_enter", Call: "sys_enter"}))
		}, want: []string{"built for", "this host is " + string(arch.Host())}},
		{name: "program-missing", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) { s.Hooks[0].Programs[0].Name = "nosuchprog" }))
		}, want: []string{"program nosuchprog is not in the object"}},
		{name: "unknown-attach-kind", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) { s.Hooks[0].Programs[0].Attach = "teleport" }))
		}, want: []string{`cannot attach "teleport" programs`}},
		{name: "path-in-policy-name", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) { s.Name = "../../etc" }))
		}, want: []string{"not a DNS subdomain name"}},
		{name: "tracepoint-field-moved", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) { s.Hooks[0].TracepointFields[0].Offset += 8 }))
		}, want: []string{`field "id" is offset 8`, "the bundle reads offset 16"}},
		{name: "tracepoint-field-unknown", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) { s.Hooks[0].TracepointFields[0].Name = "nosuchfield" }))
		}, want: []string{`field "nosuchfield" not in its format`}},
		{name: "tracepoint-missing", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) { s.Hooks[0].Target = "raw_syscalls/nosuchevent" }))
		}, want: []string{"tracepoint raw_syscalls/nosuchevent"}},
		{name: "manifest-format", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, editManifest(t, good(t, p, nil), `"format": 1,`, `"format": 9,`))
		}, want: []string{"unsupported format: manifest format 9, this polrun reads 1"}},
		{name: "unknown-feature", bundle: func(t *testing.T, e *env, p string) string {
			d := good(t, p, nil)
			return file(e, editManifest(t, d, `"ringbuf"`, `"telepor"`))
		}, want: []string{`kernel feature "telepor" missing`}},
		{name: "huge-manifest-hooks", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) {
				for i := range 20_000 { // about 13 MB of manifest, under the limit
					h := s.Hooks[0]
					h.Programs = []bpf.Program{{Name: fmt.Sprintf("p%d", i), Section: "tracepoint/raw_syscalls/sys_enter", Attach: "tracepoint"}}
					s.Hooks = append(s.Hooks, h)
				}
			}))
		}, want: []string{"program p0 is not in the object"}},
		{name: "huge-manifest-message", bundle: func(t *testing.T, e *env, p string) string {
			return file(e, good(t, p, func(s *testbundle.Spec) { s.Hooks[0].Message = strings.Repeat("m", 64<<20) }))
		}, want: []string{"more than the 16777216 this polrun reads"}},
		{name: "huge-map-init", bundle: func(t *testing.T, e *env, p string) string {
			targets := make([]uint32, 100_000) // the targets map holds 64
			for i := range targets {
				targets[i] = uint32(i + 1)
			}
			s := testbundle.Syscalls("hostile", p, targets...)
			d, err := s.Write()
			if err != nil {
				t.Fatal(err)
			}
			return file(e, d)
		}, want: []string{"manifest fills map targets with 100000 entries; it holds 64"}},
		{name: "too-large", bundle: func(t *testing.T, e *env, _ string) string {
			path := file(e, nil)
			if err := os.Truncate(path, 256<<20+1); err != nil {
				t.Fatal(err)
			}
			return path
		}, want: []string{"hostile.bpf.o: file too large: 268435457 bytes, at most 268435456 are read"}},
		{name: "dev-zero", bundle: func(t *testing.T, e *env, _ string) string {
			path := filepath.Join(e.dir, "zero.bpf.o")
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
			return path
		}, want: []string{"zero.bpf.o: not a regular file (a character device)"}},
		{name: "fifo", bundle: func(t *testing.T, e *env, _ string) string {
			path := filepath.Join(e.dir, "fifo.bpf.o")
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}, want: []string{"fifo.bpf.o: not a regular file (a FIFO)"}},
		{name: "name-collision", before: func(t *testing.T, e *env, p string) {
			path := e.write("first.bpf.o", good(t, p+"k", nil))
			if _, errOut, code := e.polrun("load", "--base", e.base(t), path); code != exitOK {
				t.Fatalf("first load: exit %d: %s", code, errOut)
			}
		}, bundle: func(t *testing.T, e *env, p string) string { return file(e, good(t, p, nil)) },
			want: []string{"policy already loaded: hostile", "--replace"}},
		{name: "kprobe", bundle: func(t *testing.T, e *env, _ string) string {
			return file(e, buildIR(t, arch.Host(), &ir.Hook{Kind: ir.HookKprobe, Target: "vfs_read", Call: "vfs_read"}))
		}, want: []string{`kernel feature "kprobe" missing`}},
		{name: "lsm", bundle: func(t *testing.T, e *env, _ string) string {
			return file(e, buildIR(t, arch.Host(), &ir.Hook{Kind: ir.HookLSM, Target: "file_open", Call: "file_open"}))
		}, want: []string{`kernel feature "lsm" missing`}, dont: []string{"MEMLOCK"}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			prog := fmt.Sprintf("hst_%d", i)
			switch tc.name {
			case "kprobe":
				if testenv.Kprobes.Check() == nil {
					t.Log("this kernel has kprobes: the bundle must load")
					tc.want = nil
				}
			case "lsm":
				if testenv.LSM.Check() == nil {
					t.Log("this kernel has BPF LSM: the bundle must load")
					tc.want = nil
				}
			}
			if tc.before != nil {
				tc.before(t, e, prog)
			}
			path := tc.bundle(t, e, prog)
			pins := e.pins()
			progs := kernelPrograms(t)
			_, errOut, code := e.polrun("load", "--base", e.base(t), path)
			if tc.want == nil {
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				return
			}
			t.Logf("%s", strings.TrimSpace(errOut))
			if code != exitFail {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error %q does not say %q", errOut, w)
				}
			}
			for _, w := range tc.dont {
				if strings.Contains(errOut, w) {
					t.Errorf("error %q says %q", errOut, w)
				}
			}
			if got := e.pins(); !slices.Equal(got, pins) {
				t.Errorf("pins changed:\n got %q\nwant %q", got, pins)
			}
			waitProgramsAsBefore(t, progs, prog, baseProg)
		})
	}
}

// baseProg names the program of the base the hostile tests load, so that
// a base left behind is found.
const baseProg = "hst_base"

// base writes a base object whose program is baseProg.
func (e *env) base(t *testing.T) string {
	path := filepath.Join(e.dir, "base.bpf.o")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	data, err := testbundle.Base(baseProg, true)
	if err != nil {
		t.Fatal(err)
	}
	return e.write("base.bpf.o", data)
}

// buildIR builds a policy of one hook without arguments for arch a.
func buildIR(t *testing.T, a arch.Arch, h *ir.Hook) []byte {
	b, err := codegen.Build(&ir.Policy{Name: "hostile", Arch: string(a), Hooks: []*ir.Hook{h}}, codegen.Options{Arch: a, Compiler: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return b.Object
}

// editManifest replaces old by new (of the same length) in the manifest
// and seals the bundle again, as a hand edit with a fresh digest would.
func editManifest(t *testing.T, data []byte, old, new string) []byte {
	if len(old) != len(new) || bytes.Count(data, []byte(old)) != 1 {
		t.Fatalf("cannot replace %s by %s", old, new)
	}
	d := bytes.Replace(data, []byte(old), []byte(new), 1)
	i := bytes.Index(d, []byte(`"objectSha256": "`)) + len(`"objectSha256": "`)
	copy(d[i:], bpf.DigestPlaceholder)
	sealed, _, err := bpf.Seal(d)
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

// kernelPrograms is the kernel's program IDs and names, as bpftool prog
// list shows them.
func kernelPrograms(t *testing.T) map[ebpf.ProgramID]string {
	out := map[ebpf.ProgramID]string{}
	var id ebpf.ProgramID
	for {
		next, err := ebpf.ProgramGetNextID(id)
		if err != nil {
			return out
		}
		id = next
		p, err := ebpf.NewProgramFromID(id)
		if err != nil {
			continue
		}
		if info, err := p.Info(); err == nil {
			out[id] = info.Name
		}
		p.Close()
	}
}

// waitProgramsAsBefore waits until no program named like names (the
// refused bundle's, the base's) is loaded beyond those of before: the
// kernel frees programs after their last reference goes, asynchronously.
// Links need their program, so no program means no link either.
func waitProgramsAsBefore(t *testing.T, before map[ebpf.ProgramID]string, names ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var left []string
		for id, name := range kernelPrograms(t) {
			if _, ok := before[id]; !ok && slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(name, n) }) {
				left = append(left, fmt.Sprintf("%s (id %d)", name, id))
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("programs left loaded: %s", strings.Join(left, ", "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBPFFSNotMounted: in a mount namespace where /sys/fs/bpf is not
// mounted, polrun mounts bpffs and loads; a pin root on another file system
// is refused, saying why.
func TestBPFFSNotMounted(t *testing.T) {
	e := newEnv(t)
	testenv.Require(t, testenv.Tool("unshare"), testenv.Tool("umount"))
	data, err := testbundle.Syscalls("hostile-mount", "hst_mount", 1).Write()
	if err != nil {
		t.Fatal(err)
	}
	path := e.write("mount.bpf.o", data)
	// A private mount namespace: the unmount and polrun's mount stay in
	// it, and its bpffs, with everything pinned there, goes with it.
	script := fmt.Sprintf(`set -e
umount /sys/fs/bpf
grep -q ' /sys/fs/bpf ' /proc/self/mounts && { echo still mounted; exit 1; }
%[1]s load --base %[2]s --pin-root /sys/fs/bpf/polrun-hostile %[3]s
grep ' /sys/fs/bpf bpf ' /proc/self/mounts
%[1]s list --verbose --pin-root /sys/fs/bpf/polrun-hostile
`, polrunBin, e.base(t), path)
	progs := kernelPrograms(t)
	out, err := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c", script).CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("polrun in a namespace without bpffs: %v", err)
	}
	if !strings.Contains(string(out), "loaded hostile-mount") || !strings.Contains(string(out), "\n  hst_mount ") {
		t.Errorf("polrun did not load and list the policy")
	}
	// The namespace is gone, and its bpffs with it.
	waitProgramsAsBefore(t, progs, "hst_mount", baseProg)

	tmp := t.TempDir()
	_, errOut, code := e.polrun("load", "--pin-root", filepath.Join(tmp, "root"), path)
	if code != exitFail || !strings.Contains(errOut, "is not on a bpf filesystem") {
		t.Errorf("pin root on %s: exit %d: %s", tmp, code, errOut)
	}
}

// TestNotRoot: polrun load without the privileges loading takes says so,
// instead of reporting the first feature probe's EPERM as a kernel that
// lacks the feature, and creates nothing.
func TestNotRoot(t *testing.T) {
	e := newEnv(t)
	// A copy nobody can run, and a bundle nobody can read.
	dir, err := os.MkdirTemp("", "polrun-nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin, err := os.ReadFile(polrunBin)
	if err != nil {
		t.Fatal(err)
	}
	data, err := testbundle.Syscalls("hostile-nobody", "hst_nobody", 1).Write()
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"polrun": bin, "b.bpf.o": data} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(dir, "polrun"), "load", "--pin-root", e.root, filepath.Join(dir, "b.bpf.o"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != exitFail || !strings.Contains(string(out), "loading needs root") {
		t.Errorf("as uid 65534: exit %d: %s", code, out)
	}
	if _, err := os.Stat(e.root); err == nil {
		t.Errorf("the pin root %s was created", e.root)
	}
}
