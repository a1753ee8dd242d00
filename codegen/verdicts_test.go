package codegen

import (
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

func init() {
	// pinexec:PATH: on one CPU, getppid three times, then exec PATH as
	// the child "pinpgid", which calls getpgid three times on that CPU:
	// the same process on the same CPU, before and after an exec.
	childVerbs["pinexec"] = func(path string) int {
		if pinCPU() != nil {
			return 5
		}
		for range 3 {
			unix.Getppid()
		}
		// syscall.Exec passes duplicates on, and the first one wins.
		env := []string{childEnv + "=pinpgid"}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, childEnv+"=") {
				env = append(env, kv)
			}
		}
		syscall.Exec(path, []string{path}, env)
		return 4
	}
	childVerbs["pinpgid"] = func(string) int {
		if pinCPU() != nil {
			return 5
		}
		for range 3 {
			unix.Getpgid(0)
		}
		return 0
	}
}

// pinCPU locks the goroutine to its thread and the thread to the first
// CPU it may run on.
func pinCPU() error {
	runtime.LockOSThread()
	var allowed unix.CPUSet
	if err := unix.SchedGetaffinity(0, &allowed); err != nil {
		return err
	}
	for cpu := range 1024 {
		if allowed.IsSet(cpu) {
			var set unix.CPUSet
			set.Set(cpu)
			return unix.SchedSetaffinity(0, &set)
		}
	}
	return nil
}

// TestVerdictCacheExec: a process whose binary changes by exec, on one
// CPU, gets the verdict of its new binary, in both directions (rejected
// before the exec and wanted after, and the reverse), with the real base
// maintaining the table. Other tasks on that CPU may evict the cached
// verdict in between, so this is the real workload's check;
// TestVerdictCacheGeneration tests the invalidation itself, and the base's
// TestTracksProcesses that exec, fork and exit move the generation.
func TestVerdictCacheExec(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.RingBuf, testenv.KernelBTF)
	before := childBinary(t, "before")
	after := childBinary(t, "after")

	for _, c := range []struct {
		want             string
		wantPpid, wantPg bool
	}{
		{after, false, true},
		{before, true, false},
	} {
		pol := rawSyscallsPolicy(0)
		pol.Hooks[0].Selectors[0].Tests = []*ir.Test{{Kind: ir.TestBinary, Op: ir.OpIn,
			Values: []ir.Value{{Kind: ir.ValString, Str: c.want}}, Pos: pol.Pos}}
		b, err := Build(pol, Options{Source: "raw.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		pin := pinDir(t)
		loadBaseIn(t, pin)
		spec, _ := loadableSpec(t, b)
		if spec.Maps[verdictsMap] == nil {
			t.Fatalf("the bundle has no %s: the hook does not cache its verdicts", verdictsMap)
		}
		l := loadSpecIn(t, b, spec, pin)
		tp, err := link.Tracepoint("raw_syscalls", "sys_enter", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		cmd := child(before, "pinexec:"+after)
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		tp.Close()
		pid := uint32(cmd.Process.Pid)

		calls := map[int64]int{}
		for _, r := range readRecords(t, l, b, time.Second, nil) {
			if r.Kind == bpf.EventPolicy && r.Tgid == pid {
				calls[intArg(r.Args[0])]++
			}
		}
		if got := calls[unix.SYS_GETPPID] >= 3; got != c.wantPpid {
			t.Errorf("policy for %s: %d getppid records before the exec, want them: %v", c.want, calls[unix.SYS_GETPPID], c.wantPpid)
		}
		if got := calls[unix.SYS_GETPGID] >= 3; got != c.wantPg {
			t.Errorf("policy for %s: %d getpgid records after the exec, want them: %v", c.want, calls[unix.SYS_GETPGID], c.wantPg)
		}
		if c.wantPg && calls[unix.SYS_GETPPID] > 0 || c.wantPpid && calls[unix.SYS_GETPGID] > 0 {
			t.Errorf("policy for %s: records of the other binary's calls: %v", c.want, calls)
		}
	}
}

// TestVerdictCacheGeneration runs a hook with a cached matchBinaries
// filter by BPF_PROG_TEST_RUN on one CPU, changing the process table
// from here: a changed entry is not seen while the generation stays (the
// verdict comes from the cache), and is once the generation moves, in
// both directions.
func TestVerdictCacheGeneration(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	h := &ir.Hook{Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
		Args: []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize}},
		Selectors: []*ir.Selector{{Index: 0, Tests: []*ir.Test{{Kind: ir.TestBinary, Op: ir.OpIn,
			Values: []ir.Value{{Kind: ir.ValString, Str: "/usr/bin/wanted"}}}}}}}
	pol := &ir.Policy{Name: "verdicts", Arch: "x86_64", Hooks: []*ir.Hook{h}}
	b, err := Build(pol, Options{})
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := loadableSpec(t, b)
	if spec.Maps[verdictsMap] == nil {
		t.Fatalf("the bundle has no %s", verdictsMap)
	}
	l := loadSpecIn(t, b, spec, pinDir(t))
	rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
	tgid := uint32(os.Getpid())
	setBinary := func(path string) {
		p := bpf.Proc{Tgid: tgid, BinaryLen: uint32(len(path))}
		copy(p.Binary[:], path)
		if err := l.coll.Maps[bpf.ProcsMap].Put(tgid, &p); err != nil {
			t.Fatal(err)
		}
	}
	setGeneration := func(g uint64) {
		if err := l.coll.Maps[bpf.ProcsGenMap].Put(uint32(0), g); err != nil {
			t.Fatal(err)
		}
	}
	// This thread, on one CPU, so that every run meets the same cache
	// entry and is this process (BPF_F_TEST_RUN_ON_CPU would run the
	// program in whatever task that CPU interrupts). The thread is never
	// unlocked: it ends with the test, its affinity with it.
	if err := pinCPU(); err != nil {
		t.Fatal(err)
	}
	posted := func() bool {
		t.Helper()
		if _, err := prog.Run(&ebpf.RunOptions{Context: []uint64{1}}); err != nil {
			t.Fatal(err)
		}
		rd.SetDeadline(time.Now())
		_, err := rd.Read()
		return err == nil
	}
	for i, step := range []struct {
		binary     string
		generation uint64
		want       bool
		why        string
	}{
		{"/usr/bin/other", 0, false, "another binary"},
		{"/usr/bin/wanted", 0, false, "the table changed, the generation did not: the cached verdict"},
		{"/usr/bin/wanted", 1, true, "the generation moved"},
		{"/usr/bin/other", 1, true, "the table changed, the generation did not: the cached verdict"},
		{"/usr/bin/other", 2, false, "the generation moved"},
	} {
		setBinary(step.binary)
		setGeneration(step.generation)
		if got := posted(); got != step.want {
			t.Errorf("step %d (%s, generation %d): posted %v, want %v: %s", i, step.binary, step.generation, got, step.want, step.why)
		}
	}
}

// TestVerdictCacheParent: a cached matchParentBinaries verdict depends on
// the parent's table entry, not only the tgid's own. Changing the parent's
// entry (its binary, or the entry itself gone) while the tgid's stays the
// same is seen once the generation moves, and not before (the cache
// answers), in both directions; with followChildren the grandparent's
// entry counts the same way.
func TestVerdictCacheParent(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	for _, follow := range []bool{false, true} {
		h := &ir.Hook{Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
			Args: []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize}},
			Selectors: []*ir.Selector{{Index: 0, Tests: []*ir.Test{{Kind: ir.TestParentBinary, Op: ir.OpIn, FollowChildren: follow,
				Values: []ir.Value{{Kind: ir.ValString, Str: "/usr/bin/wanted"}}}}}}}
		pol := &ir.Policy{Name: "verdicts", Arch: "x86_64", Hooks: []*ir.Hook{h}}
		b, err := Build(pol, Options{})
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := loadableSpec(t, b)
		if spec.Maps[verdictsMap] == nil {
			t.Fatalf("followChildren=%v: the bundle has no %s", follow, verdictsMap)
		}
		l := loadSpecIn(t, b, spec, pinDir(t))
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
		tgid := uint32(os.Getpid())
		// The tested ancestor: the parent, or with followChildren the
		// grandparent (the parent's binary never matches then).
		tested := uint32(fakeParent)
		entries := []tableEntry{{tgid, fakeParent, "/usr/bin/self"}, {fakeParent, 0, ""}}
		if follow {
			tested = fakeGrandparent
			entries[1].ppid = fakeGrandparent
			entries[1].binary = "/usr/bin/other"
			entries = append(entries, tableEntry{fakeGrandparent, 0, ""})
		}
		setAncestor := func(path string) {
			var es []tableEntry
			for _, e := range entries {
				if e.tgid == tested {
					if path == "" {
						continue // gone
					}
					e.binary = path
				}
				es = append(es, e)
			}
			setTable(t, l.coll.Maps[bpf.ProcsMap], es, tgid)
		}
		setGeneration := func(g uint64) {
			if err := l.coll.Maps[bpf.ProcsGenMap].Put(uint32(0), g); err != nil {
				t.Fatal(err)
			}
		}
		if err := pinCPU(); err != nil {
			t.Fatal(err)
		}
		posted := func() bool {
			t.Helper()
			if _, err := prog.Run(&ebpf.RunOptions{Context: []uint64{1}}); err != nil {
				t.Fatal(err)
			}
			rd.SetDeadline(time.Now())
			_, err := rd.Read()
			return err == nil
		}
		for i, step := range []struct {
			binary     string // "": no entry
			generation uint64
			want       bool
			why        string
		}{
			{"/usr/bin/other", 10, false, "another binary"},
			{"/usr/bin/wanted", 10, false, "the ancestor changed, the generation did not: the cached verdict"},
			{"/usr/bin/wanted", 11, true, "the generation moved"},
			{"/usr/bin/other", 11, true, "the ancestor changed, the generation did not: the cached verdict"},
			{"/usr/bin/other", 12, false, "the generation moved"},
			{"/usr/bin/wanted", 13, true, "the generation moved"},
			{"", 13, true, "the ancestor's entry went, the generation did not: the cached verdict"},
			{"", 14, false, "the generation moved: the ancestor is unknown"},
		} {
			setAncestor(step.binary)
			setGeneration(step.generation)
			if got := posted(); got != step.want {
				t.Errorf("followChildren=%v step %d (%q, generation %d): posted %v, want %v: %s", follow, i, step.binary, step.generation, got, step.want, step.why)
			}
		}
		setTable(t, l.coll.Maps[bpf.ProcsMap], nil, tgid)
		rd.Close()
	}
}
