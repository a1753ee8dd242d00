package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/base"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader"
)

// BenchmarkExec measures the cost of the base events per exec: one fork,
// exec and wait of /bin/true, with nothing of polc loaded, and with the
// base loaded and a reader decoding every record (as polrun events does,
// JSON encoding included) without and with process_exec and process_exit
// events (--process-events). With POLC_BENCH_OLD_BASE set to a base object
// (e.g. `git show main~1:bpf/base.bpf.o`), the base is measured against
// that one too, read by a reader without process events.
//
//	go test ./bench -run '^$' -bench BenchmarkExec -count 6
func BenchmarkExec(b *testing.B) {
	testenv.Require(b, testenv.Root, testenv.BPFFS, testenv.Tracefs)
	if _, err := os.Stat("/bin/true"); err != nil {
		b.Skip(err)
	}
	b.Run("nothing", func(b *testing.B) { execLoop(b) })
	withBase := func(name string, base []byte, events bool) {
		b.Run(name, func(b *testing.B) {
			o := loadEmpty(b, base)
			s, err := loader.OpenStream(&loader.StreamOptions{PinRoot: o.PinRoot, ProcessEvents: events})
			if err != nil {
				b.Fatal(err)
			}
			stop := readAll(s)
			stats, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME))
			if err != nil {
				b.Fatal(err)
			}
			before := progRunTime(b, o)
			execLoop(b)
			after := progRunTime(b, o)
			stats.Close()
			stop()
			if n := after.count - before.count; n > 0 {
				// Every exec on the machine runs it, not only the loop's.
				b.ReportMetric(float64(after.ns-before.ns)/float64(n), "exec-prog-ns/run")
			}
			st := s.Stats()
			s.Close()
			if st.Dropped > 0 {
				b.Errorf("%d records lost to a full ring buffer", st.Dropped)
			}
			b.ReportMetric(float64(st.Events)/float64(b.N), "events/exec")
		})
	}
	if path := os.Getenv("POLC_BENCH_OLD_BASE"); path != "" {
		old, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		withBase("old-base", old, false)
	}
	withBase("base", nil, false)
	withBase("base+process-events", nil, true)
}

type runTime struct{ ns, count uint64 }

// progRunTime is the base exec program's run time and count so far, from
// the kernel's BPF statistics (counted while enabled).
func progRunTime(b *testing.B, o *loader.Options) runTime {
	b.Helper()
	l, err := link.LoadPinnedLink(filepath.Join(bpf.BasePinDir(o.PinRoot), bpf.LinksDir, bpf.PinName(base.ProgExec)), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	li, err := l.Info()
	if err != nil {
		b.Fatal(err)
	}
	prog, err := ebpf.NewProgramFromID(li.Program)
	if err != nil {
		b.Fatal(err)
	}
	defer prog.Close()
	st, err := prog.Stats()
	if err != nil {
		b.Fatal(err)
	}
	return runTime{uint64(st.Runtime), st.RunCount}
}

// execLoop runs /bin/true b.N times, and reports the CPU time this
// process took per exec (the loop's fork and wait, and the reader's
// decoding and encoding of the records).
func execLoop(b *testing.B) {
	var before, after unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &before)
	b.ResetTimer()
	for range b.N {
		if err := exec.Command("/bin/true").Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	unix.Getrusage(unix.RUSAGE_SELF, &after)
	cpu := func(r *unix.Rusage) int64 { return r.Utime.Nano() + r.Stime.Nano() }
	b.ReportMetric(float64(cpu(&after)-cpu(&before))/float64(b.N), "cpu-ns/exec")
}

// loadEmpty loads a policy without hooks under a pin root of the
// benchmark's own, which loads the base (base, or the built-in one when
// nil); the pin root is emptied at the end.
func loadEmpty(b *testing.B, base []byte) *loader.Options {
	b.Helper()
	bundle, err := buildSource(compiler.NewSource("empty.yaml",
		[]byte("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: \"empty\"\n")))
	if err != nil {
		b.Fatal(err)
	}
	lb, err := loader.ReadBundle(bundle.Object)
	if err != nil {
		b.Fatal(err)
	}
	o := &loader.Options{PinRoot: testenv.PinDir(b, "polc-bench-exec", true), Base: base}
	b.Cleanup(func() {
		if err := loader.UnloadAll(o); err != nil {
			b.Errorf("cleanup: %v", err)
		}
	})
	if _, err := loader.Load([]*loader.Bundle{lb}, o); err != nil {
		b.Fatal(err)
	}
	return o
}

// readAll reads and encodes the stream's events until stop is called.
func readAll(s *loader.Stream) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var buf []byte
		for {
			ev, err := s.Next(ctx)
			if err != nil {
				return
			}
			buf = ev.AppendJSON(buf[:0])
			s.Release(ev)
		}
	}()
	return func() { cancel(); wg.Wait() }
}
