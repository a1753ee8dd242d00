package codegen

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

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
		t.Logf("VERIFIER fd_install %s: %d verified instructions in %v", name, st.Verified, st.Load)
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

// TestSyscallKprobe hooks openat with the syscall ABI (the arguments are
// read from the user pt_regs the wrapper receives), a string filter, and
// a return probe whose filter keeps only successful calls. Returns the
// verifier figures.
func TestSyscallKprobe(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes, testenv.Kretprobes)
	bin := childBinary(t, "opener")
	dir := filepath.Dir(bin)
	exists := filepath.Join(dir, "exists")
	if err := os.WriteFile(exists, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSource(t, "openat.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: openat
spec:
  kprobes:
  - call: "sys_openat"
    syscall: true
    return: true
    args:
    - index: 0
      type: int
    - index: 1
      type: string
    - index: 2
      type: int
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
	l := loadBundle(t, b)
	progs := b.Manifest.Hooks[0].Programs
	for name, st := range l.stats {
		t.Logf("VERIFIER openat %s: %d verified instructions in %v", name, st.Verified, st.Load)
	}
	kp, err := link.Kprobe(b.Manifest.Hooks[0].Target, l.coll.Programs[progs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer kp.Close()
	krp, err := link.Kretprobe(b.Manifest.Hooks[0].Target, l.coll.Programs[progs[1].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer krp.Close()
	for _, path := range []string{exists, filepath.Join(dir, "missing")} {
		if err := child(bin, "open:"+path).Run(); err != nil {
			t.Fatal(err)
		}
	}
	kp.Close()
	krp.Close()
	n := 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		path, _, _ := bytesArg(r.Args[1])
		if string(path) != exists {
			t.Errorf("record for %q (return %d)", path, r.Ret)
			continue
		}
		if r.Flags&bpf.FlagReturn == 0 || r.Ret < 0 || uint32(intArg(r.Args[0])) != uint32(0xffffff9c) /* AT_FDCWD */ {
			t.Errorf("record %+v args %v", r.Header, intArg(r.Args[0]))
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d records for %s, want 1", n, exists)
	}
}

// TestReturnCopy reads the buffer of read(2) when it returns, as long as
// the return value says, and a sock returned by sk_alloc.
func TestReturnCopy(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes, testenv.Kretprobes)
	bin := childBinary(t, "reader")
	file := filepath.Join(filepath.Dir(bin), "content")
	content := "polc returnCopy test content\n"
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSource(t, "read.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: read
spec:
  kprobes:
  - call: "sys_read"
    syscall: true
    return: true
    args:
    - index: 0
      type: int
    - index: 1
      type: char_buf
      returnCopy: true
      sizeArgIndex: 3
    - index: 2
      type: size_t
    returnArg:
      index: 0
      type: int
  - call: "sk_alloc"
    syscall: false
    return: true
    args:
    - index: 1
      type: int
    returnArg:
      index: 0
      type: sock
`)
	l := loadBundle(t, b)
	for name, st := range l.stats {
		t.Logf("VERIFIER read %s: %d verified instructions in %v", name, st.Verified, st.Load)
	}
	for _, h := range b.Manifest.Hooks {
		kp, err := link.Kprobe(h.Target, l.coll.Programs[h.Programs[0].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		defer kp.Close()
		krp, err := link.Kretprobe(h.Target, l.coll.Programs[h.Programs[1].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		defer krp.Close()
	}
	cmd := child(bin, "read:"+file)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	pid := uint32(cmd.Process.Pid)
	var sawRead, sawSock bool
	seen := map[string]int{}
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		detail := ""
		if r.Kind == bpf.EventPolicy && r.HookID == 0 && len(r.Args) > 1 {
			data, flags, total := bytesArg(r.Args[1])
			detail = fmt.Sprintf(" read %q flags %#x total %d", data, flags, total)
		} else if r.Kind == bpf.EventPolicy && len(r.Args) > 1 {
			detail = fmt.Sprintf(" sock %x arg %d", r.Args[1][:8], intArg(r.Args[0]))
		}
		seen[fmt.Sprintf("kind %d hook %d tgid %d (child %d) ret %d%s", r.Kind, r.HookID, r.Tgid, pid, r.Ret, detail)]++
		if r.Kind != bpf.EventPolicy || r.Tgid != pid {
			continue
		}
		switch r.HookID {
		case 0:
			data, _, total := bytesArg(r.Args[1])
			if string(data) == content {
				sawRead = true
				if total != uint64(len(content)) || r.Ret != int64(len(content)) {
					t.Errorf("read record: total %d, return %d", total, r.Ret)
				}
			}
		case 1:
			if len(r.Args) < 2 {
				t.Fatalf("sk_alloc record without its sock: %+v", r.Header)
			}
			sock := r.Args[1]
			// sk_alloc sets the family; the type and protocol come later.
			family := binary.LittleEndian.Uint16(sock[0:])
			if family == unix.AF_INET && intArg(r.Args[0]) == unix.AF_INET {
				sawSock = true
			}
		}
	}
	if !sawRead || !sawSock {
		t.Logf("records seen: %v", seen)
	}
	if !sawRead {
		t.Errorf("no read record with the file's content")
	}
	if !sawSock {
		t.Errorf("no sk_alloc record with an AF_INET sock")
	}
}

// TestLSM hooks the file_open LSM hook (BPF LSM): its file argument is
// typed by the kernel's BTF, walked into a path and filtered.
func TestLSM(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.LSM)
	bin := childBinary(t, "opener")
	target := filepath.Join(filepath.Dir(bin), "watched")
	if err := os.WriteFile(target, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSource(t, "lsm.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: lsm-file-open
spec:
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["`+target+`"]
`)
	l := loadBundle(t, b)
	for name, st := range l.stats {
		t.Logf("VERIFIER lsm %s: %d verified instructions in %v", name, st.Verified, st.Load)
	}
	lsm, err := link.AttachLSM(link.LSMOptions{Program: l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]})
	if err != nil {
		t.Fatal(err)
	}
	defer lsm.Close()
	cmd := child(bin, "open:"+target)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if err := child(bin, "open:"+bin).Run(); err != nil {
		t.Fatal(err)
	}
	lsm.Close()
	n := 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		path, _, _ := bytesArg(r.Args[0])
		if string(path) != target || r.Tgid != uint32(cmd.Process.Pid) {
			t.Errorf("record of %d for %q", r.Tgid, path)
			continue
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d records for %s, want 1", n, target)
	}
}

// TestIovIter reads the data of tty_write's iov_iter (ITER_UBUF for a
// write(2)) and the path of its kiocb's file, writing to the guest's
// serial console.
func TestIovIter(t *testing.T) {
	// tty_write takes a kiocb and an iov_iter since 5.11 (before: a user
	// buffer and its size).
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes, testenv.KernelAtLeast(5, 11))
	const tty = "/dev/ttyS0"
	if _, err := os.Stat(tty); err != nil {
		t.Fatalf("no %s to write to: %v", tty, err)
	}
	b := buildSource(t, "tty.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tty
spec:
  kprobes:
  - call: "tty_write"
    syscall: false
    args:
    - index: 0
      type: "kiocb"
    - index: 1
      type: "iov_iter"
`)
	l := loadBundle(t, b)
	for name, st := range l.stats {
		t.Logf("VERIFIER tty %s: %d verified instructions in %v", name, st.Verified, st.Load)
	}
	kp, err := link.Kprobe("tty_write", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer kp.Close()
	bin := childBinary(t, "writer")
	const msg = "polc iov_iter test\n"
	cmd := child(bin, "write:"+tty+":"+msg)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	kp.Close()
	found := false
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy || r.Tgid != uint32(cmd.Process.Pid) {
			continue
		}
		path, _, _ := bytesArg(r.Args[0])
		data, _, total := bytesArg(r.Args[1])
		if string(path) == tty && string(data) == msg && total == uint64(len(msg)) {
			found = true
		} else {
			t.Logf("record: %q %q (total %d)", path, data, total)
		}
	}
	if !found {
		t.Errorf("no tty_write record of %q to %s", msg, tty)
	}
}
