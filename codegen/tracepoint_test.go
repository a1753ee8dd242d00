package codegen

import (
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// rawSyscallsPolicy hooks raw_syscalls/sys_enter, reads the syscall id as
// syscall64 and keeps only calls of process pid.
func rawSyscallsPolicy(pid int) *ir.Policy {
	pos := ir.Pos{File: "raw.yaml", Line: 1, Col: 1}
	return &ir.Policy{Name: "raw-syscalls", Arch: string(arch.Host()), Pos: pos, Hooks: []*ir.Hook{{
		ID: 0, Kind: ir.HookTracepoint, Target: "raw_syscalls/sys_enter", Call: "raw_syscalls/sys_enter", Pos: pos,
		Args: []*ir.Arg{{Slot: 0, Index: 4, Type: ir.TypeSyscall64, SizeSlot: ir.NoSize, Pos: pos}},
		Selectors: []*ir.Selector{{Index: 0, Pos: pos, Tests: []*ir.Test{
			{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(pid)}}, Pos: pos},
		}}},
	}}}
}

// TestTracepointSyscalls loads a raw_syscalls/sys_enter bundle, attaches
// it and checks that the records of this process name the syscalls it
// makes, and that no other process's calls pass the matchPIDs filter.
func TestTracepointSyscalls(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.RingBuf, testenv.KernelBTF)
	pid := os.Getpid()
	b, err := Build(rawSyscallsPolicy(pid), Options{Source: "raw.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	tp, err := link.Tracepoint("raw_syscalls", "sys_enter", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()

	runtime.LockOSThread()
	tid := unix.Gettid()
	for i := 0; i < 3; i++ {
		unix.Getppid()
	}
	runtime.UnlockOSThread()
	tp.Close()

	recs := readRecords(t, l, b, time.Second, nil)
	getppid := 0
	for _, r := range recs {
		if r.Tgid != uint32(pid) {
			t.Errorf("record of process %d passed a filter on %d", r.Tgid, pid)
		}
		if r.PolicyID != 7 || r.HookID != 0 || r.Selector != 1 || r.Action != 1 {
			t.Errorf("header %+v", r.Header)
		}
		if id := intArg(r.Args[0]); id == unix.SYS_GETPPID && r.Pid == uint32(tid) {
			getppid++
		}
	}
	if getppid != 3 {
		t.Errorf("saw %d getppid calls of thread %d in %d records, want 3", getppid, tid, len(recs))
	}
	t.Logf("%d records; verifier: %+v", len(recs), l.stats)
}

// TestMatchBinaries loads the base and a raw_syscalls/sys_enter policy
// filtering on a binary copied to a tmpfs, runs that binary and another
// one, and checks that the records are exactly those of the first, with
// its syscalls.
func TestMatchBinaries(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.RingBuf, testenv.KernelBTF)
	target := childBinary(t, "target")
	other := childBinary(t, "other")

	pol := rawSyscallsPolicy(0)
	pos := pol.Pos
	pol.Hooks[0].Selectors[0].Tests = []*ir.Test{{Kind: ir.TestBinary, Op: ir.OpIn,
		Values: []ir.Value{{Kind: ir.ValString, Str: target}}, Pos: pos}}
	b, err := Build(pol, Options{Source: "raw.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	pin := pinDir(t)
	loadBaseIn(t, pin)
	spec, _ := loadableSpec(t, b)
	l := loadSpecIn(t, b, spec, pin)
	tp, err := link.Tracepoint("raw_syscalls", "sys_enter", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()

	run := func(path string) int {
		cmd := child(path, "exit:0")
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		return cmd.Process.Pid
	}
	otherPid := run(other)
	targetPid := run(target)
	tp.Close()

	recs := readRecords(t, l, b, time.Second, nil)
	ids := map[int64]bool{}
	for _, r := range recs {
		if r.Kind != bpf.EventPolicy {
			continue // the base's records share the ring buffer
		}
		if r.Tgid != uint32(targetPid) {
			t.Errorf("record of process %d (target %d, other %d)", r.Tgid, targetPid, otherPid)
			continue
		}
		ids[intArg(r.Args[0])] = true
	}
	// true's last call is exit_group; the exec'd image runs at least that.
	if !ids[unix.SYS_EXIT_GROUP] {
		t.Errorf("no exit_group among the target's %d records: %v", len(recs), ids)
	}
}
