package loader

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
)

func TestValidRingBufferSize(t *testing.T) {
	page := uint64(os.Getpagesize())
	for _, n := range []uint64{page, 64 << 10, 8 << 20, MaxRingBufferSize} {
		if err := ValidRingBufferSize(n); err != nil {
			t.Errorf("%d: %v", n, err)
		}
	}
	for _, n := range []uint64{0, 1, page / 2, 3 * page, 12 << 20, 2 * MaxRingBufferSize, 1 << 40} {
		if err := ValidRingBufferSize(n); !errors.Is(err, ErrRingBufferSize) {
			t.Errorf("%d: %v, want ErrRingBufferSize", n, err)
		}
	}
}

func TestProcsTableEntries(t *testing.T) {
	for _, c := range []struct {
		pidMax, threadsMax string // "" for a missing file
		want               uint32
	}{
		{"32768", "192724", 32768},
		{"4194304", "192724", 192724},
		{"4194304", "", 4194304},
		{"", "", 4194304},
		{"100", "50", 1024},
		{"garbage", "70000", 70000},
		{"99999999", "99999999", 4194304},
	} {
		procfs := t.TempDir()
		dir := filepath.Join(procfs, "sys", "kernel")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, v := range map[string]string{"pid_max": c.pidMax, "threads-max": c.threadsMax} {
			if v != "" {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := ProcsTableEntries(procfs); got != c.want {
			t.Errorf("pid_max %q threads-max %q: %d entries, want %d", c.pidMax, c.threadsMax, got, c.want)
		}
	}
}

// baseMapInfo reads the kernel's description of a map of the loaded base.
func baseMapInfo(t *testing.T, o *Options, name string) *ebpf.MapInfo {
	t.Helper()
	m, err := ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(o.PinRoot), name), &ebpf.LoadPinOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	info, err := m.Info()
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// TestMapSizesAtLoad: the base's ring buffer has the size Options ask
// for and the process table the host's size, without preallocation, as
// the kernel reports them; policies load against them and post events; a
// different explicit size for a loaded base, or an invalid one, fails
// the load and leaves nothing.
func TestMapSizesAtLoad(t *testing.T) {
	o := testOptions(t)
	o.RingBufferSize = 4 << 20
	if _, err := Load([]*Bundle{syscallBundle("ldrtest-size1", uint32(os.Getpid())).bundle(t)}, o); err != nil {
		t.Fatal(err)
	}
	if info := baseMapInfo(t, o, bpf.EventsMap); info.MaxEntries != 4<<20 {
		t.Errorf("ring buffer of %d bytes, want %d", info.MaxEntries, 4<<20)
	}
	procs := baseMapInfo(t, o, bpf.ProcsMap)
	// Preallocated where tracing programs may not allocate (before 6.1).
	if want := ProcsTableEntries("/proc"); procs.MaxEntries != want || (procs.Flags&unix.BPF_F_NO_PREALLOC != 0) != runtimeAllocSafe() {
		t.Errorf("process table: %d entries, flags %#x; want %d, BPF_F_NO_PREALLOC if the kernel has bpf_mem_alloc (%v)", procs.MaxEntries, procs.Flags, want, runtimeAllocSafe())
	}

	for _, size := range []uint64{512 << 10, 3 << 20} {
		o2 := *o
		o2.RingBufferSize = size
		if _, err := Load([]*Bundle{syscallBundle("ldrtest-size2", uint32(os.Getpid())).bundle(t)}, &o2); !errors.Is(err, ErrRingBufferSize) {
			t.Errorf("load with a %d-byte ring buffer against a 4 MiB one: %v, want ErrRingBufferSize", size, err)
		}
	}
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Policies) != 1 {
		t.Fatalf("after refused loads: %d policies, want 1", len(st.Policies))
	}
	// The kernel memory List reports: the ring buffer at least its size,
	// the process table less than preallocated entries would take where
	// the kernel reports what a map uses (map_mem_usage, 6.4); before, its
	// memlock figure is the full table's estimate, allocated or not.
	bm, pm := st.Base.Memory, st.Policies[0].Memory
	if bm.RingBuffer < 4<<20 || bm.ProcessTable == 0 ||
		bm.Maps < bm.RingBuffer+bm.ProcessTable || bm.Programs == 0 || bm.Total() != bm.Maps+bm.Programs {
		t.Errorf("base memory %+v", bm)
	}
	if reportsMapUsage(t) && bm.ProcessTable >= uint64(procs.MaxEntries)*bpf.ProcSize {
		t.Errorf("process table of %d bytes: not less than %d entries preallocated", bm.ProcessTable, procs.MaxEntries)
	}
	if pm.Maps == 0 || pm.Programs == 0 || pm.RingBuffer != 0 || pm.ProcessTable != 0 {
		t.Errorf("policy memory %+v", pm)
	}
	t.Logf("kernel memory: base %+v, policy %+v", bm, pm)
	o3 := *o
	o3.RingBufferSize = 0 // the loaded base's, whatever it is
	if _, err := Load([]*Bundle{syscallBundle("ldrtest-size3", uint32(os.Getpid())).bundle(t)}, &o3); err != nil {
		t.Fatalf("load of a second policy against the resized base: %v", err)
	}

	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	syscall.Getppid()
	seen := map[string]bool{}
	for len(seen) < 2 {
		ev := nextEvent(t, s, func(e *Event) bool { return syscallID(e) == syscall.SYS_GETPPID })
		seen[ev.Policy] = true
	}
	if !seen["ldrtest-size1"] || !seen["ldrtest-size3"] {
		t.Errorf("getppid events of %v, want ldrtest-size1 and ldrtest-size3", seen)
	}
}

// TestStreamReadsEveryEvent: bursts of events, each read before the next
// is posted as the throughput benchmark does, all come out of Next, in
// order, with nothing dropped or undecodable; every burst comes out in
// full although the reader hands events over in batches (the last,
// partial batch of a burst too).
func TestStreamReadsEveryEvent(t *testing.T) {
	o := testOptions(t)
	// Only getppid makes records: the reader's own system calls would make
	// a stream of records that, in a slow emulated guest, delays the
	// bursts' beyond the deadline (seen in the 6.1 guest under load).
	every := syscallBundleOf("ldrtest-every", syscall.SYS_GETPPID, uint32(os.Getpid()))
	if _, err := Load([]*Bundle{every.bundle(t)}, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const bursts, burst = 20, 5001 // not a multiple of the batch
	var buf []byte
	var lastTime time.Time
	for i := range bursts {
		for range burst {
			syscall.Getppid()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		for n := 0; n < burst; {
			ev, err := s.Next(ctx)
			if err != nil {
				cancel()
				t.Fatalf("burst %d: %d of %d events: %v (stats %+v)", i, n, burst, err, s.Stats())
			}
			if ev.Policy != "ldrtest-every" || syscallID(ev) != syscall.SYS_GETPPID {
				s.Release(ev)
				continue // another syscall of this process
			}
			if ev.Time.Before(lastTime) {
				t.Errorf("burst %d: event %d at %v, before the one before (%v)", i, n, ev.Time, lastTime)
			}
			lastTime = ev.Time
			buf = ev.AppendJSON(buf[:0])
			s.Release(ev)
			n++
		}
		cancel()
	}
	if st := s.Stats(); st.Dropped != 0 || st.Undecodable != 0 || st.ReadErrors != 0 || st.Desyncs != 0 || st.Events != bursts*burst {
		t.Errorf("stats: %+v, want %d events", st, bursts*burst)
	}
}

// reportsMapUsage says whether the running kernel reports the memory a map
// uses rather than its full size (map_mem_usage, Linux 6.4).
func reportsMapUsage(t *testing.T) bool {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		t.Fatal(err)
	}
	var major, minor int
	fmt.Sscanf(unix.ByteSliceToString(uts.Release[:]), "%d.%d", &major, &minor)
	return major > 6 || major == 6 && minor >= 4
}
