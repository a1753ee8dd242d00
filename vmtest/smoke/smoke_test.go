package smoke

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/internal/testenv"
)

// Every smoke test triggers its hook this many times once targeted.
const events = 3

// expectFires proves p fires for this process only: trigger (which returns
// the value p should report) runs first with no target, which must count
// nothing, then events times with this process targeted.
func expectFires(t *testing.T, p *probe, trigger func(t *testing.T) uint64) {
	t.Helper()
	trigger(t)
	if hits := p.get(t, slotHits); hits != 0 {
		t.Fatalf("%d events counted before the test targeted its process", hits)
	}

	p.set(t, slotTarget, uint64(os.Getpid()))
	var want uint64
	for range events {
		want = trigger(t)
	}
	p.set(t, slotTarget, 0)

	if hits := p.get(t, slotHits); hits < events {
		t.Fatalf("program fired %d times, want at least %d", hits, events)
	}
	if got := p.get(t, slotValue); got != want {
		t.Fatalf("program read %#x at its last event, want %#x", got, want)
	}
}

// openAt opens a file relative to a directory fd and returns that fd, which
// is the first argument of do_sys_openat2.
func openAt(t *testing.T) func(t *testing.T) uint64 {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dirfd, err := unix.Open(dir, unix.O_DIRECTORY|unix.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(dirfd) })
	return func(t *testing.T) uint64 {
		fd, err := unix.Openat(dirfd, "file", unix.O_RDONLY, 0)
		if err != nil {
			t.Fatalf("openat: %v", err)
		}
		unix.Close(fd)
		return uint64(dirfd)
	}
}

// deniedOpen expects opening a file to fail with EPERM while this process is
// targeted, and to work otherwise.
func deniedOpen(t *testing.T, p *probe) func(t *testing.T) uint64 {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T) uint64 {
		targeted := p.get(t, slotTarget) != 0
		fd, err := unix.Open(path, unix.O_RDONLY, 0)
		if err == nil {
			unix.Close(fd)
		}
		switch {
		case targeted && !errors.Is(err, unix.EPERM):
			t.Fatalf("open while denied: got %v, want EPERM", err)
		case !targeted && err != nil:
			t.Fatalf("open while allowed: %v", err)
		}
		return 0
	}
}

// getpid returns the pid the getpid syscall returned.
func getpid(t *testing.T) uint64 { return uint64(unix.Getpid()) }

func TestKprobe(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Kprobes)
	p := newProbe(t, ebpf.ProgramSpec{Type: ebpf.Kprobe}, readCtxInt(ptRegsArg0), 0)
	trigger := openAt(t)
	l, err := link.Kprobe("do_sys_openat2", p.prog, nil)
	attached(t, l, err)
	expectFires(t, p, trigger)
}

func TestKretprobe(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Kretprobes)
	p := newProbe(t, ebpf.ProgramSpec{Type: ebpf.Kprobe}, readCtx(ptRegsRet, asm.DWord), 0)
	l, err := link.Kretprobe(getpidEntry, p.prog, nil)
	attached(t, l, err)
	expectFires(t, p, getpid)
}

func TestFentry(t *testing.T) {
	skipWithoutTrampoline(t)
	testenv.Require(t, testenv.Root, testenv.KernelBTF, testenv.Fentry)
	p := newProbe(t, ebpf.ProgramSpec{
		Type: ebpf.Tracing, AttachType: ebpf.AttachTraceFEntry, AttachTo: "do_sys_openat2",
	}, readCtxInt(0), 0)
	trigger := openAt(t)
	l, err := link.AttachTracing(link.TracingOptions{Program: p.prog, AttachType: ebpf.AttachTraceFEntry})
	attached(t, l, err)
	expectFires(t, p, trigger)
}

// -EPERM, what the deny programs return.
const errPerm = -int32(unix.EPERM)

func TestFmodRet(t *testing.T) {
	skipWithoutTrampoline(t)
	testenv.Require(t, testenv.Root, testenv.KernelBTF, testenv.FmodRet)
	p := newProbe(t, ebpf.ProgramSpec{
		Type: ebpf.Tracing, AttachType: ebpf.AttachModifyReturn, AttachTo: "security_file_open",
	}, readNothing, errPerm)
	l, err := link.AttachTracing(link.TracingOptions{Program: p.prog, AttachType: ebpf.AttachModifyReturn})
	attached(t, l, err)
	expectFires(t, p, deniedOpen(t, p))
}

func TestLSM(t *testing.T) {
	skipWithoutTrampoline(t)
	testenv.Require(t, testenv.Root, testenv.KernelBTF, testenv.LSM)
	p := newProbe(t, ebpf.ProgramSpec{
		Type: ebpf.LSM, AttachType: ebpf.AttachLSMMac, AttachTo: "file_open",
	}, readNothing, errPerm)
	l, err := link.AttachLSM(link.LSMOptions{Program: p.prog})
	attached(t, l, err)
	expectFires(t, p, deniedOpen(t, p))
}

func TestTracepoint(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Tracepoints)
	off := fieldOffset(t, "syscalls", "sys_enter_getpid", "__syscall_nr")
	p := newProbe(t, ebpf.ProgramSpec{Type: ebpf.TracePoint}, readCtx(off, asm.Word), 0)
	l, err := link.Tracepoint("syscalls", "sys_enter_getpid", p.prog, nil)
	attached(t, l, err)
	expectFires(t, p, func(t *testing.T) uint64 {
		unix.Getpid()
		return unix.SYS_GETPID
	})
}

// fieldOffset reads a field's offset from the tracepoint's format file.
func fieldOffset(t *testing.T, group, name, field string) int16 {
	t.Helper()
	path := filepath.Join("/sys/kernel/tracing/events", group, name, "format")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;"
		decl, rest, ok := strings.Cut(sc.Text(), ";\toffset:")
		if !ok || !strings.HasSuffix(decl, " "+field) {
			continue
		}
		num, _, _ := strings.Cut(rest, ";")
		off, err := strconv.ParseInt(num, 10, 16)
		if err != nil {
			t.Fatalf("%s: field %s: %v", path, field, err)
		}
		return int16(off)
	}
	t.Fatalf("%s: no field %s (%v)", path, field, sc.Err())
	return 0
}

// fileOffset maps an address of this process's executable code to its
// offset in the executable file, from the mapping in /proc/self/maps.
func fileOffset(t *testing.T, addr uintptr) uint64 {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(maps), "\n") {
		// "00400000-00600000 r-xp 00000000 fd:01 123 /path/smoke.test"
		var start, end, off uint64
		var perms string
		if _, err := fmt.Sscanf(line, "%x-%x %s %x", &start, &end, &perms, &off); err != nil {
			continue
		}
		if uint64(addr) >= start && uint64(addr) < end {
			return uint64(addr) - start + off
		}
	}
	t.Fatalf("address %#x is in no mapping of /proc/self/maps", addr)
	return 0
}

// uprobeTarget is the function TestUprobe attaches to; Go's register ABI
// passes x in AX (amd64) or R0 (arm64), where its result also goes.
//
//go:noinline
func uprobeTarget(x uint64) uint64 { return x ^ 0xff }

func TestUprobe(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Uprobes)
	p := newProbe(t, ebpf.ProgramSpec{Type: ebpf.Kprobe}, readCtx(ptRegsGoArg0, asm.DWord), 0)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := link.OpenExecutable(self)
	if err != nil {
		t.Fatal(err)
	}
	// `go test` strips the symbol table, so the probe goes by file offset.
	pc := reflect.ValueOf(uprobeTarget).Pointer()
	symbol := runtime.FuncForPC(pc).Name()
	l, err := ex.Uprobe(symbol, p.prog, &link.UprobeOptions{Address: fileOffset(t, pc)})
	attached(t, l, err)
	arg := uint64(0x5eed0000)
	expectFires(t, p, func(t *testing.T) uint64 {
		arg++
		if got := uprobeTarget(arg); got != arg^0xff {
			panic(fmt.Sprintf("uprobeTarget(%#x) = %#x", arg, got))
		}
		return arg
	})
}

// skipWithoutTrampoline skips the tests of hooks that need the BPF
// trampoline (fentry, fmod_ret, BPF LSM) on arm64 kernels before 6.0,
// which have none (the arm64 JIT gained it in 6.0): there these hooks are
// missing by design, as polrun's feature probes report, not broken.
func skipWithoutTrampoline(t *testing.T) {
	t.Helper()
	if runtime.GOARCH != "arm64" {
		return
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	release := unix.ByteSliceToString(u.Release[:])
	var major, minor int
	if _, err := fmt.Sscanf(release, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("kernel release %q: %v", release, err)
	}
	if major < 6 {
		t.Skipf("arm64 kernel %s has no BPF trampoline (arm64 has it since 6.0): no fentry, fmod_ret or BPF LSM", release)
	}
}
