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
	"github.com/polc-dev/polc/codegen/filter"
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
		if spec.Maps[filter.VerdictsMap] == nil {
			t.Fatalf("the bundle has no %s: the hook does not cache its verdicts", filter.VerdictsMap)
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

// moveGenerations adds 1 to the process table's generation and to the
// generations of tgids (their buckets), as the base does after it changes
// their entries.
func moveGenerations(t testing.TB, coll *ebpf.Collection, tgids ...uint32) {
	t.Helper()
	add := func(m *ebpf.Map, key uint32) {
		var g uint64
		if err := m.Lookup(key, &g); err != nil {
			t.Fatal(err)
		}
		if err := m.Put(key, g+1); err != nil {
			t.Fatal(err)
		}
	}
	add(coll.Maps[bpf.ProcsGenMap], 0)
	moved := map[uint32]bool{}
	for _, tgid := range tgids {
		if b := tgid % bpf.ProcGenBuckets; !moved[b] {
			moved[b] = true
			add(coll.Maps[bpf.ProcGensMap], b)
		}
	}
}

// ownGeneration returns tgid's generation.
func ownGeneration(t testing.TB, coll *ebpf.Collection, tgid uint32) uint64 {
	t.Helper()
	var g uint64
	if err := coll.Maps[bpf.ProcGensMap].Lookup(tgid%bpf.ProcGenBuckets, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// unrelatedTgid returns a tgid whose generation is none of tgids'.
func unrelatedTgid(tgids ...uint32) uint32 {
	for u := uint32(100); ; u++ {
		shared := false
		for _, tgid := range tgids {
			shared = shared || u%bpf.ProcGenBuckets == tgid%bpf.ProcGenBuckets
		}
		if !shared {
			return u
		}
	}
}

// runPosted runs prog by BPF_PROG_TEST_RUN in this thread and says whether
// it posted a policy's record (a base sharing the ring buffer posts
// process events to it: those are skipped).
func runPosted(t *testing.T, prog *ebpf.Program, rd *ringbuf.Reader) bool {
	t.Helper()
	drain := func() (posted bool) {
		rd.SetDeadline(time.Now())
		for {
			r, err := rd.Read()
			if err != nil {
				return posted
			}
			posted = posted || len(r.RawSample) > bpf.HeaderKindOff && bpf.EventKind(r.RawSample[bpf.HeaderKindOff]) == bpf.EventPolicy
		}
	}
	drain()
	if _, err := prog.Run(&ebpf.RunOptions{Context: []uint64{1}}); err != nil {
		t.Fatal(err)
	}
	return drain()
}

// binaryHook is a raw tracepoint hook whose one selector is matchBinaries
// In path.
func binaryHook(path string) *ir.Policy {
	h := &ir.Hook{Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
		Args: []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize}},
		Selectors: []*ir.Selector{{Index: 0, Tests: []*ir.Test{{Kind: ir.TestBinary, Op: ir.OpIn,
			Values: []ir.Value{{Kind: ir.ValString, Str: path}}}}}}}
	return &ir.Policy{Name: "verdicts", Arch: "x86_64", Hooks: []*ir.Hook{h}}
}

// TestVerdictCacheGeneration runs a hook with a cached matchBinaries
// filter by BPF_PROG_TEST_RUN on one CPU, changing the process table
// from here: a changed entry is not seen while its process's generation
// stays (the verdict comes from the cache), also when another process's
// entry changes (the table's generation moves), and is once its own
// generation moves, in both directions. Built with
// GlobalVerdictGeneration, as before per-process generations, another
// process's change drops the verdict too.
func TestVerdictCacheGeneration(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	// This thread, on one CPU, so that every run meets the same cache
	// entry and is this process (BPF_F_TEST_RUN_ON_CPU would run the
	// program in whatever task that CPU interrupts). The thread is never
	// unlocked: it ends with the test, its affinity with it.
	if err := pinCPU(); err != nil {
		t.Fatal(err)
	}
	tgid := uint32(os.Getpid())
	other := unrelatedTgid(tgid)
	type step struct {
		binary string
		moved  uint32 // whose entry changed: its generation moves; 0 none
		want   bool
		why    string
	}
	for _, c := range []struct {
		global bool
		steps  []step
	}{
		{false, []step{
			{"/usr/bin/other", 0, false, "another binary"},
			{"/usr/bin/wanted", other, false, "another process changed: the cached verdict"},
			{"/usr/bin/wanted", tgid, true, "its own generation moved"},
			{"/usr/bin/other", other, true, "another process changed: the cached verdict"},
			{"/usr/bin/other", tgid, false, "its own generation moved"},
		}},
		{true, []step{
			{"/usr/bin/other", 0, false, "another binary"},
			{"/usr/bin/wanted", 0, false, "no generation moved: the cached verdict"},
			{"/usr/bin/wanted", other, true, "another process changed: the table's generation moved"},
			{"/usr/bin/other", 0, true, "no generation moved: the cached verdict"},
			{"/usr/bin/other", other, false, "another process changed: the table's generation moved"},
		}},
	} {
		pol := binaryHook("/usr/bin/wanted")
		b, err := Build(pol, Options{GlobalVerdictGeneration: c.global})
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := loadableSpec(t, b)
		if spec.Maps[filter.VerdictsMap] == nil {
			t.Fatalf("the bundle has no %s", filter.VerdictsMap)
		}
		l := loadSpecIn(t, b, spec, pinDir(t))
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
		for i, st := range c.steps {
			p := bpf.Proc{Tgid: tgid, BinaryLen: uint32(len(st.binary))}
			copy(p.Binary[:], st.binary)
			if err := l.coll.Maps[bpf.ProcsMap].Put(tgid, &p); err != nil {
				t.Fatal(err)
			}
			if st.moved != 0 {
				moveGenerations(t, l.coll, st.moved)
			}
			if got := runPosted(t, prog, rd); got != st.want {
				t.Errorf("global=%v step %d (%s, moved %d): posted %v, want %v: %s", c.global, i, st.binary, st.moved, got, st.want, st.why)
			}
		}
		l.coll.Maps[bpf.ProcsMap].Delete(tgid)
		rd.Close()
	}
}

// TestVerdictCacheParent: a cached matchParentBinaries verdict depends on
// the parent's table entry, not only the tgid's own. Changing the parent's
// entry (its binary, or the entry itself gone) while the tgid's stays the
// same is seen once the parent's generation (or the tgid's own) moves, and
// not before nor when another process's does (the cache answers), in both
// directions. With followChildren the grandparent's entry counts, and the
// verdict depends on the table's generation: any change drops it.
func TestVerdictCacheParent(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	if err := pinCPU(); err != nil {
		t.Fatal(err)
	}
	tgid := uint32(os.Getpid())
	other := unrelatedTgid(tgid, fakeParent, fakeGrandparent)
	type step struct {
		binary string // "": no entry
		moved  uint32 // whose entry changed: its generation moves; 0 none
		want   bool
		why    string
	}
	for _, c := range []struct {
		follow bool
		steps  []step
	}{
		{false, []step{
			{"/usr/bin/other", 0, false, "another binary"},
			{"/usr/bin/wanted", other, false, "another process changed: the cached verdict"},
			{"/usr/bin/wanted", fakeParent, true, "the parent's generation moved"},
			{"/usr/bin/other", other, true, "another process changed: the cached verdict"},
			{"/usr/bin/other", tgid, false, "the process's own generation moved"},
			{"/usr/bin/wanted", fakeParent, true, "the parent's generation moved"},
			{"", other, true, "the parent's entry went, its generation did not move: the cached verdict"},
			{"", fakeParent, false, "the parent's generation moved: the parent is unknown"},
		}},
		{true, []step{
			{"/usr/bin/other", 0, false, "another binary"},
			{"/usr/bin/wanted", 0, false, "no generation moved: the cached verdict"},
			{"/usr/bin/wanted", other, true, "another process changed: the table's generation moved"},
			{"/usr/bin/other", 0, true, "no generation moved: the cached verdict"},
			{"/usr/bin/other", fakeGrandparent, false, "the table's generation moved"},
			{"/usr/bin/wanted", fakeGrandparent, true, "the table's generation moved"},
			{"", 0, true, "the ancestor's entry went, no generation moved: the cached verdict"},
			{"", fakeGrandparent, false, "the table's generation moved: the ancestor is unknown"},
		}},
	} {
		follow := c.follow
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
		if spec.Maps[filter.VerdictsMap] == nil {
			t.Fatalf("followChildren=%v: the bundle has no %s", follow, filter.VerdictsMap)
		}
		l := loadSpecIn(t, b, spec, pinDir(t))
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
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
		for i, st := range c.steps {
			var es []tableEntry
			for _, e := range entries {
				if e.tgid == tested {
					if st.binary == "" {
						continue // gone
					}
					e.binary = st.binary
				}
				es = append(es, e)
			}
			setTable(t, l.coll.Maps[bpf.ProcsMap], es, tgid)
			if st.moved != 0 {
				moveGenerations(t, l.coll, st.moved)
			}
			if got := runPosted(t, prog, rd); got != st.want {
				t.Errorf("followChildren=%v step %d (%q, moved %d): posted %v, want %v: %s", follow, i, st.binary, st.moved, got, st.want, st.why)
			}
		}
		setTable(t, l.coll.Maps[bpf.ProcsMap], nil, tgid)
		rd.Close()
	}
}

// TestVerdictCacheChurn: with the real base keeping the table, a fork,
// exec and exit of another process leave this process's cached verdict
// in place (its own generation did not move), while the same churn drops
// it in a bundle built with GlobalVerdictGeneration, as before
// per-process generations. This process's entry is changed from here
// without moving a generation, so the verdict seen says which one
// answered: the cache (the old binary) or the table (the new one).
func TestVerdictCacheChurn(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	if err := pinCPU(); err != nil {
		t.Fatal(err)
	}
	pin := pinDir(t)
	base := loadBaseIn(t, pin)
	tgid := uint32(os.Getpid())
	setBinary := func(path string) {
		p := bpf.Proc{Tgid: tgid, BinaryLen: uint32(len(path))}
		copy(p.Binary[:], path)
		if err := base.Maps[bpf.ProcsMap].Put(tgid, &p); err != nil {
			t.Fatal(err)
		}
	}
	defer base.Maps[bpf.ProcsMap].Delete(tgid)
	generation := func() uint64 {
		var g uint64
		if err := base.Maps[bpf.ProcsGenMap].Lookup(uint32(0), &g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	// churn runs children (the test binary, exiting at once) until one
	// whose generation is not this process's has forked, exec'd and
	// exited.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	churn := func() {
		t.Helper()
		for range 10 {
			before := generation()
			cmd := child(self, "exit:0")
			if err := cmd.Run(); err != nil {
				t.Fatal(err)
			}
			if uint32(cmd.Process.Pid)%bpf.ProcGenBuckets == tgid%bpf.ProcGenBuckets {
				continue
			}
			if after := generation(); after < before+3 {
				t.Fatalf("the base moved the table's generation from %d to %d over a fork, an exec and an exit", before, after)
			}
			return
		}
		t.Fatal("every child shared this process's generation")
	}
	for _, global := range []bool{false, true} {
		b, err := Build(binaryHook("/usr/bin/wanted"), Options{GlobalVerdictGeneration: global})
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := loadableSpec(t, b)
		l := loadSpecIn(t, b, spec, pin)
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]

		// A process of the host whose tgid shares this one's generation
		// may move it meanwhile: then the round says nothing, and is run
		// again.
		for try := 0; ; try++ {
			if try == 5 {
				t.Fatalf("global=%v: this process's generation moved in every round", global)
			}
			setBinary("/usr/bin/other")
			moveGenerations(t, base, tgid)
			own := ownGeneration(t, base, tgid)
			if runPosted(t, prog, rd) {
				t.Fatalf("global=%v: posted for another binary", global)
			}
			setBinary("/usr/bin/wanted")
			churn()
			got := runPosted(t, prog, rd)
			if ownGeneration(t, base, tgid) != own {
				continue
			}
			if want := global; got != want {
				t.Errorf("global=%v: after another process's fork, exec and exit, posted %v, want %v (true: the table answered, false: the cache)", global, got, want)
			}
			break
		}
		moveGenerations(t, base, tgid)
		if !runPosted(t, prog, rd) {
			t.Errorf("global=%v: its own generation moved, and the cached verdict still answered", global)
		}
		rd.Close()
	}
}
