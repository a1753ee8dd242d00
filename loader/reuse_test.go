package loader

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
)

// reuseStream is a Stream without a kernel: one policy (id 7) with a
// tracepoint hook of one syscall64 argument and a kprobe hook of an int
// argument and an int return value, and processes 1 and 4242 (its child)
// known from exec records.
func reuseStream(t testing.TB) *Stream {
	t.Helper()
	m := &bpf.Manifest{Format: bpf.ManifestFormat, Policy: "reuse", Arch: string(arch.X86_64), Hooks: []bpf.Hook{
		{ID: 0, Kind: "tracepoint", Target: "raw_syscalls/sys_enter", Call: "sys_enter",
			Args: []bpf.Arg{{Index: 4, Slot: 0, Type: "syscall64", Label: "id", Encoding: bpf.EncInt}}},
		{ID: 1, Kind: "kprobe", Target: "fd_install", Call: "fd_install",
			Args:   []bpf.Arg{{Index: 0, Slot: 0, Type: "int", Encoding: bpf.EncInt}},
			Return: &bpf.Arg{Index: -1, Type: "int", Encoding: bpf.EncInt}},
	}}
	s := &Stream{arch: arch.X86_64, o: StreamOptions{NodeName: "reuse"},
		policies: map[uint32]*policyEntry{7: {name: m.Policy, manifest: m}}, pendingIDs: map[uint32]int{},
		lastScan: time.Now().Add(time.Hour), bootWall: time.Unix(1_700_000_000, 0), bootWallK: 1 << 62}
	s.cache = newProcCache("reuse", t.TempDir(), s.toWall, nil)
	s.makeQueues()
	for _, p := range []struct {
		pid, ppid uint32
		bin       string
	}{{1, 0, "/sbin/init"}, {4242, 1, "/usr/bin/cat"}} {
		var pe bpf.ProcEvent
		pe.Proc.Tgid, pe.Proc.Ppid = p.pid, p.ppid
		copy(pe.Proc.Binary[:], p.bin)
		r := newRecord(0, 0)
		r.h.Kind, r.h.Tgid, r.h.Pid = bpf.EventExec, p.pid, p.pid
		r.fixed(pe)
		if ev, err := s.decode(r.raw()); err != nil || ev != nil {
			t.Fatalf("exec record of %d: %v, %v", p.pid, ev, err)
		}
	}
	return s
}

func sysEnterRecord() []byte { return newRecord(0, 0).int(110).raw() }

func fdInstallRecord(ret int64) []byte {
	r := newRecord(1, bpf.FlagReturn).int(3)
	r.h.Ret = ret
	return r.raw()
}

// TestDecodeSteadyStateAllocs: a Stream whose events are given back
// (Release) decodes a record, and the event is printed as JSON and in the
// compact format, without allocating: what lets polrun events keep up
// with the ring buffer. (An integer argument is an Arg.Value, an
// interface: Go boxes integers from 256 up, one small allocation each;
// the records here hold small ones, like the benchmark's syscall id.)
func TestDecodeSteadyStateAllocs(t *testing.T) {
	s := reuseStream(t)
	for name, raw := range map[string][]byte{"tracepoint": sysEnterRecord(), "kprobe with return": fdInstallRecord(2)} {
		var buf []byte
		run := func() {
			ev, err := s.decode(raw)
			if err != nil || ev == nil {
				t.Fatalf("decode: %v, %v", ev, err)
			}
			buf = ev.AppendJSON(buf[:0])
			buf = ev.AppendCompact(buf[:0])
			s.Release(ev)
		}
		// The process encodings are made for the first event, and the
		// first batches of events are new.
		for range 4 * batchLen {
			run()
		}
		if n := testing.AllocsPerRun(1000, run); n != 0 {
			t.Errorf("%s: %v allocations per event, want 0", name, n)
		}
	}
}

// TestReleasedEventReuse: an event decoded into a released one prints as
// the same record decoded into a new event, whatever the released event
// held (a return value, a parent, other arguments).
func TestReleasedEventReuse(t *testing.T) {
	records := [][]byte{sysEnterRecord(), fdInstallRecord(-2)}
	fresh := reuseStream(t)
	var want [][]byte
	for _, raw := range records {
		ev, err := fresh.decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, append(ev.AppendJSON(nil), ev.AppendCompact([]byte{'\n'})...))
	}
	s := reuseStream(t)
	for _, order := range [][]int{{0, 1, 0}, {1, 0, 1}, {1, 1, 0, 0}} {
		for _, i := range order {
			ev, err := s.decode(records[i])
			if err != nil {
				t.Fatal(err)
			}
			got := append(ev.AppendJSON(nil), ev.AppendCompact([]byte{'\n'})...)
			if string(got) != string(want[i]) {
				t.Errorf("record %d decoded into a released event:\n%s\nwant:\n%s", i, got, want[i])
			}
			if i == 0 && (ev.Return != nil || len(ev.Args) != 1) {
				t.Errorf("record %d: return %v, %d arguments left from the released event", i, ev.Return, len(ev.Args))
			}
			s.Release(ev)
		}
	}
}

// BenchmarkDecodePrint: what polrun events does for each record of the
// benchmark's syscall policy (bench/policies/syscall-emit.yaml: a
// raw_syscalls/sys_enter event of one syscall id), without a kernel:
// decode into a released event, print it as JSON or in the compact
// format into a reused buffer, give it back. -benchmem's allocs/op are
// per event; bench/throughput.go measures the whole reader against the
// ring buffer.
func BenchmarkDecodePrint(b *testing.B) {
	for _, format := range []string{"json", "compact"} {
		b.Run(format, func(b *testing.B) {
			s := reuseStream(b)
			raw := sysEnterRecord()
			var buf []byte
			run := func() {
				ev, err := s.decode(raw)
				if err != nil || ev == nil {
					b.Fatalf("decode: %v, %v", ev, err)
				}
				if format == "json" {
					buf = ev.AppendJSON(buf[:0])
				} else {
					buf = ev.AppendCompact(buf[:0])
				}
				s.Release(ev)
			}
			for range 4 * batchLen {
				run()
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPUTime(b)
			for range b.N {
				run()
			}
			// CPU time, not only wall time: on a shared machine the
			// process's own CPU time per event varies less.
			b.ReportMetric(float64(processCPUTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
			b.SetBytes(int64(len(buf)))
		})
	}
}

// processCPUTime is the CPU time the process used so far (user and
// system, every thread: the garbage collector's too).
func processCPUTime(tb testing.TB) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
