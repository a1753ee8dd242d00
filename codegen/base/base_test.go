package base

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"github.com/cilium/ebpf/rlimit"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/internal/testenv"
)

// childEnv makes the test binary sleep for the given duration instead of
// running tests: TestTracksProcesses runs a copy of itself as the child.
const childEnv = "POLC_BASE_TEST_SLEEP"

func TestMain(m *testing.M) {
	if d, err := time.ParseDuration(os.Getenv(childEnv)); err == nil {
		time.Sleep(d)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestCommittedObject fails when bpf/base.bpf.o is not what Object builds:
// run `go generate ./bpf` after changing the base programs.
func TestCommittedObject(t *testing.T) {
	data, err := Object()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, bpf.BaseObject) {
		t.Fatalf("bpf/base.bpf.o is stale (%d bytes, Object builds %d): run go generate ./bpf", len(bpf.BaseObject), len(data))
	}
	again, err := Object()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("Object is not deterministic")
	}
	m, err := bpf.ReadManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Policy != Name || len(m.Hooks) != 3 {
		t.Errorf("manifest: %+v", m)
	}
}

// loadBase loads the base object with its shared maps pinned in a fresh
// bpffs directory and attaches its programs: those with bpf_loop, or with
// fallback their fallbacks without it (as polrun does on kernels without
// bpf_loop).
func loadBase(t *testing.T, fallback bool) *ebpf.Collection {
	t.Helper()
	// Kernels before 5.11 charge maps to RLIMIT_MEMLOCK.
	if err := rlimit.RemoveMemlock(); err != nil {
		t.Fatal(err)
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(bpf.BaseObject))
	if err != nil {
		t.Fatal(err)
	}
	m, err := bpf.ReadManifest(bpf.BaseObject)
	if err != nil {
		t.Fatal(err)
	}
	fallbacks := 0
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if p.Fallback == "" {
				continue
			}
			fallbacks++
			if fb := spec.Programs[p.Fallback]; fallback {
				fb.Name, fb.SectionName = spec.Programs[p.Name].Name, spec.Programs[p.Name].SectionName
				spec.Programs[p.Name] = fb
			}
			delete(spec.Programs, p.Fallback)
		}
	}
	if fallbacks == 0 {
		t.Fatal("the base has no fallback for kernels without bpf_loop")
	}
	pin := testenv.PinDir(t, "polc-base-test", false)
	if err := os.MkdirAll(pin, 0o700); err != nil {
		t.Fatal(err)
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{Maps: ebpf.MapOptions{PinPath: pin}})
	if err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) {
			t.Fatalf("%+v", verr)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { coll.Close() })
	for name, event := range map[string]string{ProgExec: "sched_process_exec", ProgFork: "sched_process_fork", ProgExit: "sched_process_exit"} {
		l, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: event, Program: coll.Programs[name]})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		if info, err := coll.Programs[name].Info(); err == nil {
			if n, ok := info.VerifiedInstructions(); ok {
				t.Logf("%s: %d verified instructions", name, n)
			}
		}
	}
	return coll
}

// TestTracksProcesses runs a child from a copy of the test binary on a
// tmpfs (so the path walk crosses a mount) and checks its table entry while it runs, the
// fork, exec and exit records, and that the entry is gone after it exits.
func TestTracksProcesses(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	if features.HaveProgramHelper(ebpf.TracePoint, asm.FnLoop) == nil {
		t.Run("bpf_loop", func(t *testing.T) { tracksProcesses(t, false) })
	} else {
		t.Log("the kernel has no bpf_loop: only the fallback programs are tested")
	}
	t.Run("fallback", func(t *testing.T) { tracksProcesses(t, true) })
}

func tracksProcesses(t *testing.T, fallback bool) {
	coll := loadBase(t, fallback)
	rd, err := ringbuf.NewReader(coll.Maps[bpf.EventsMap])
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()

	// The test binary itself, copied to a tmpfs, is the child: it sleeps.
	root := "/dev/shm"
	if testenv.InVM() {
		root = "/tmp"
	}
	dir, err := os.MkdirTemp(root, "polc-base-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sleep := filepath.Join(dir, "sleeper")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, self, sleep)

	generation := func() uint64 {
		var g uint64
		if err := coll.Maps[bpf.ProcsGenMap].Lookup(uint32(0), &g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	genBefore := generation()
	// The child's own generation (bpf.ProcGensMap), by its tgid's bucket:
	// read for every bucket, since the pid is not known before the fork.
	var ownBefore []uint64
	for k := uint32(0); k < bpf.ProcGenBuckets; k++ {
		var g uint64
		if err := coll.Maps[bpf.ProcGensMap].Lookup(k, &g); err != nil {
			t.Fatal(err)
		}
		ownBefore = append(ownBefore, g)
	}
	// Arguments and a working directory for the exec record to carry.
	cwd := filepath.Join(dir, "work dir")
	if err := os.Mkdir(cwd, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sleep, "-test.run=^$", "an argument")
	cmd.Dir = cwd
	cmd.Env = append(os.Environ(), childEnv+"=500ms")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := uint32(cmd.Process.Pid)
	var proc bpf.Proc
	deadline := time.Now().Add(300 * time.Millisecond)
	for {
		err := coll.Maps[bpf.ProcsMap].Lookup(pid, &proc)
		if err == nil && proc.Flags&bpf.ProcExeced != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no exec'd entry for pid %d: %v", pid, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	checkProc(t, &proc, pid, sleep)
	live := proc
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := coll.Maps[bpf.ProcsMap].Lookup(pid, &proc); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Errorf("entry of exited process %d still there (%v)", pid, err)
	}
	// The child's fork, exec and exit each changed the table, and each
	// change bumps the generation the policies' verdict caches check
	// (other processes may have bumped it too).
	if genAfter := generation(); genAfter < genBefore+3 {
		t.Errorf("the table's generation went from %d to %d over a fork, an exec and an exit, want at least +3", genBefore, genAfter)
	}
	var own uint64
	if err := coll.Maps[bpf.ProcGensMap].Lookup(pid%bpf.ProcGenBuckets, &own); err != nil {
		t.Fatal(err)
	}
	if before := ownBefore[pid%bpf.ProcGenBuckets]; own < before+3 {
		t.Errorf("the child's own generation went from %d to %d over its fork, exec and exit, want at least +3", before, own)
	}

	// The base counts what it posted: the child's three records at least.
	var per []bpf.Counters
	if err := coll.Maps[bpf.CountersMap].Lookup(uint32(0), &per); err != nil {
		t.Fatal(err)
	}
	var sum bpf.Counters
	for _, c := range per {
		sum.Add(c)
	}
	if sum.Posted < 3 || sum.Enforced != 0 {
		t.Errorf("counters %+v, want 3 posted at least", sum)
	}

	seen := map[bpf.EventKind]bool{}
	rd.SetDeadline(time.Now().Add(time.Second))
	for len(seen) < 3 {
		raw, err := rd.Read()
		if err != nil {
			t.Fatalf("records of %d: saw %v: %v", pid, seen, err)
		}
		var rec struct {
			bpf.Header
			bpf.ProcEvent
		}
		if len(raw.RawSample) < bpf.HeaderSize+bpf.ProcEventSize {
			t.Fatalf("record of %d bytes", len(raw.RawSample))
		}
		if err := binary.Read(bytes.NewReader(raw.RawSample), binary.LittleEndian, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Tgid != pid {
			continue
		}
		wantSize := bpf.HeaderSize + bpf.ProcEventSize
		if rec.Kind == bpf.EventExec {
			wantSize = len(raw.RawSample) // checked by checkExecData
		}
		if int(rec.Size) != wantSize || len(raw.RawSample) != wantSize || rec.Version != bpf.EventVersion || rec.Proc.Tgid != pid {
			t.Errorf("record %+v of %d bytes", rec.Header, len(raw.RawSample))
		}
		switch rec.Kind {
		case bpf.EventFork:
			if rec.Proc.Ppid != uint32(os.Getpid()) {
				t.Errorf("fork record: parent %d, want %d", rec.Proc.Ppid, os.Getpid())
			}
		case bpf.EventExec:
			if rec.Proc != live {
				t.Errorf("exec record %+v, table had %+v", rec.Proc, live)
			}
			checkExecData(t, raw.RawSample, cwd, []string{sleep, "-test.run=^$", "an argument"})
		case bpf.EventExit:
			if rec.ExitCode != 0 {
				t.Errorf("exit code %d", rec.ExitCode)
			}
		}
		seen[rec.Kind] = true
	}
}

// checkExecData checks the ExecData of an exec record: the working
// directory and the argument area, whole.
func checkExecData(t *testing.T, raw []byte, cwd string, argv []string) {
	t.Helper()
	off := bpf.HeaderSize + bpf.ProcEventSize
	var ed bpf.ExecData
	if _, err := binary.Decode(raw[off:], binary.LittleEndian, &ed); err != nil {
		t.Fatalf("exec data: %v", err)
	}
	str := raw[off+bpf.ExecDataSize:]
	if len(raw) != off+bpf.ExecDataSize+int(ed.Cwd.Len)+int(ed.Args.Len) {
		t.Fatalf("exec record of %d bytes, exec data %+v", len(raw), ed)
	}
	if got := string(str[:ed.Cwd.Len]); got != cwd || ed.Cwd.Flags != 0 {
		t.Errorf("cwd %q (flags %d), want %q", got, ed.Cwd.Flags, cwd)
	}
	want := strings.Join(argv, "\x00") + "\x00"
	if got := string(str[ed.Cwd.Len:][:ed.Args.Len]); got != want || ed.Args.Flags != 0 || ed.Args.Total != uint64(len(want)) {
		t.Errorf("arguments %q (flags %d, total %d), want %q", got, ed.Args.Flags, ed.Args.Total, want)
	}
}

// checkProc compares an entry with what /proc says of the process.
func checkProc(t *testing.T, p *bpf.Proc, pid uint32, binary string) {
	t.Helper()
	if got := string(p.Binary[:p.BinaryLen]); got != binary || p.Binary[p.BinaryLen] != 0 {
		t.Errorf("binary %q (len %d), want %q", got, p.BinaryLen, binary)
	}
	if p.Tgid != pid || p.Ppid != uint32(os.Getpid()) || p.UID != uint32(os.Getuid()) || p.StartKtime == 0 {
		t.Errorf("entry %+v", *p)
	}
	for i, name := range []string{"uts", "ipc", "mnt", "pid", "pid_for_children", "net", "time", "time_for_children", "cgroup", "user"} {
		fi, err := os.Stat(fmt.Sprintf("/proc/%d/ns/%s", pid, name))
		if err != nil {
			t.Fatal(err)
		}
		if ino := uint32(fi.Sys().(*syscall.Stat_t).Ino); p.Ns[i] != ino {
			t.Errorf("namespace %s: %d, want %d", name, p.Ns[i], ino)
		}
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		for idx, key := range map[int]string{bpf.CapPermitted: "CapPrm:", bpf.CapEffective: "CapEff:", bpf.CapInheritable: "CapInh:"} {
			if v, ok := strings.CutPrefix(line, key); ok {
				want, _ := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
				if p.Caps[idx] != want {
					t.Errorf("%s %#x, want %#x", key, p.Caps[idx], want)
				}
			}
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestDeepPath: a binary deeper than the fallback's path walk bound
// (kern.PathStepsNoLoop components) keeps its last components, is flagged
// truncated, and the stop is counted in bpf.LoopBoundsMap; with bpf_loop
// the whole path is walked (both kept up to the process table's room).
func TestDeepPath(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	root := "/dev/shm"
	if testenv.InVM() {
		root = "/tmp"
	}
	dir, err := os.MkdirTemp(root, "polc-deep-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	deep := dir + strings.Repeat("/d", kern.PathStepsNoLoop+8)
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sleep := filepath.Join(deep, "sleeper")
	copyFile(t, self, sleep)

	run := func(t *testing.T, fallback bool) {
		coll := loadBase(t, fallback)
		cmd := exec.Command(sleep)
		cmd.Env = append(os.Environ(), childEnv+"=300ms")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Wait()
		pid := uint32(cmd.Process.Pid)
		var proc bpf.Proc
		for deadline := time.Now().Add(300 * time.Millisecond); ; time.Sleep(5 * time.Millisecond) {
			err := coll.Maps[bpf.ProcsMap].Lookup(pid, &proc)
			if err == nil && proc.Flags&bpf.ProcExeced != 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no exec'd entry for pid %d: %v", pid, err)
			}
		}
		got := string(proc.Binary[:proc.BinaryLen])
		truncated := proc.Flags&bpf.ProcTruncated != 0
		var counts []uint64
		if err := coll.Maps[bpf.LoopBoundsMap].Lookup(uint32(0), &counts); err != nil {
			t.Fatal(err)
		}
		var stops uint64
		for _, c := range counts {
			stops += c
		}
		t.Logf("binary %q truncated=%v, walks stopped at the bound: %d", got, truncated, stops)
		// The process table keeps the start of a binary's path, at most
		// bpf.BinaryMax-1 bytes (the last components of a deep one are
		// longer).
		start := func(s string) string { return s[:min(len(s), bpf.BinaryMax-1)] }
		if !fallback {
			if got != start(sleep) || truncated != (len(sleep) >= bpf.BinaryMax) || stops != 0 {
				t.Errorf("binary %q (truncated %v, %d stops counted), want the start of %q", got, truncated, stops, sleep)
			}
			return
		}
		want := start(strings.Repeat("/d", kern.PathStepsNoLoop-1) + "/sleeper")
		if got != want || !truncated || stops == 0 {
			t.Errorf("binary %q (truncated %v, %d stops counted), want the start of its last %d components %q, truncated and counted",
				got, truncated, stops, kern.PathStepsNoLoop, want)
		}
	}
	if features.HaveProgramHelper(ebpf.TracePoint, asm.FnLoop) == nil {
		t.Run("bpf_loop", func(t *testing.T) { run(t, false) })
	}
	t.Run("fallback", func(t *testing.T) { run(t, true) })
}
