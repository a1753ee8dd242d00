package bench

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader"
)

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{5, 1, math.NaN(), 3, 2, 4})
	want := Summary{N: 5, Median: 3, Q1: 2, Q3: 4, Min: 1, Max: 5}
	if s != want {
		t.Errorf("Summarize = %+v, want %+v", s, want)
	}
	if got := Summarize(nil); got.N != 0 || got.Format("%.1f") != "–" {
		t.Errorf("empty summary %+v formats as %q", got, got.Format("%.1f"))
	}
	if got := s.Format("%.1f"); got != "3.0 (2.0–4.0)" {
		t.Errorf("Format = %q", got)
	}
}

// buildBench builds one of bench/policies.
func buildBench(t testing.TB, file string) Built {
	t.Helper()
	built, err := BuildFile("bench", filepath.Join("policies", file))
	if err != nil {
		t.Fatal(err)
	}
	if len(built) != 1 || built[0].Bundle == nil {
		t.Fatalf("%s: %d policies, refused: %+v", file, len(built), built)
	}
	return built[0]
}

// TestBenchPolicies: every policy the benchmarks use builds, and the
// inputs list finds them.
func TestBenchPolicies(t *testing.T) {
	for _, f := range []string{"syscall-reject.yaml", "syscall-emit.yaml", "rawtp-reject.yaml", "rawtp-emit.yaml", KprobePolicy, SpecPolicy} {
		buildBench(t, f)
	}
	sets, err := Inputs("..", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(sets["spec"]) != 1 || len(sets["bench"]) != 5 || len(sets["examples"]) == 0 {
		t.Errorf("inputs: %v", sets)
	}
}

// TestWithWakeupFlags: the variants of the emitting policy that wake the
// reader for each record, or never, differ from it only in the constants
// that choose bpf_ringbuf_output's flags: the one for "enough waits"
// (BPF_RB_FORCE_WAKEUP) and the one below it (BPF_RB_NO_WAKEUP).
func TestWithWakeupFlags(t *testing.T) {
	b, err := loader.ReadBundle(buildBench(t, "syscall-emit.yaml").Bundle.Object)
	if err != nil {
		t.Fatal(err)
	}
	for _, flags := range []int32{0, rbNoWakeup} {
		q, err := withWakeupFlags(b, flags)
		if err != nil {
			t.Fatal(err)
		}
		for name, p := range b.Spec.Programs {
			qp := q.Spec.Programs[name]
			var was []int64
			for i, ins := range p.Instructions {
				if qi := qp.Instructions[i]; qi.Constant != ins.Constant {
					was = append(was, ins.Constant)
					if qi.Dst != asm.R4 || qi.Constant != int64(flags) {
						t.Errorf("flags %d: %s: instruction %d changed to %v", flags, name, i, qi)
					}
				}
			}
			// Where a constant already was flags, it stays.
			if want := map[int32][]int64{0: {bpf.RingbufNoWakeup, bpf.RingbufForceWakeup}, rbNoWakeup: {bpf.RingbufForceWakeup}}[flags]; !slices.Equal(was, want) {
				t.Errorf("flags %d: %s: changed constants %v, want %v", flags, name, was, want)
			}
		}
	}
}

// TestMeasureBundle loads the rejecting benchmark policy and checks the
// figures against what the bundle and the kernel say.
func TestMeasureBundle(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF)
	b := buildBench(t, "syscall-reject.yaml")
	pin := testenv.PinDir(t, "polc-bench-test", false)
	if err := os.MkdirAll(pin, 0o700); err != nil {
		t.Fatal(err)
	}
	f, err := MeasureBundle(b.Bundle.Object, pin)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Programs) != 1 {
		t.Fatalf("%d programs", len(f.Programs))
	}
	p := f.Programs[0]
	if p.Err != "" || p.Skipped != "" {
		t.Fatalf("program not measured: %+v", p)
	}
	if want := len(b.Bundle.Programs[0].Insns); p.Insns < want || p.Verified < uint32(p.Insns)/2 || p.JIT == 0 || p.Xlated < 8*p.Insns {
		t.Errorf("figures %+v for a program of %d instructions", p, want)
	}
	var rec *MapFigures
	for i := range f.Maps {
		if f.Maps[i].Name == "polc_rec" {
			rec = &f.Maps[i]
		}
	}
	if rec == nil || rec.Shared || rec.Bytes != uint64(rec.KeySize+rec.ValueSize)*uint64(possibleCPUs()) {
		t.Errorf("polc_rec figures %+v", rec)
	}
}

// TestLadder: every rung of both ladders loads on both hooks.
func TestLadder(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.KernelBTF)
	b, err := loader.ReadBundle(buildBench(t, "syscall-reject.yaml").Bundle.Object)
	if err != nil {
		t.Fatal(err)
	}
	maps, err := newLadderMaps(b)
	if err != nil {
		t.Fatal(err)
	}
	defer maps.close()
	for _, typ := range []ebpf.ProgramType{ebpf.TracePoint, ebpf.RawTracepoint} {
		for i, step := range Ladder {
			p, err := ladderProgram(i, typ, maps)
			if err != nil {
				t.Errorf("%v %s: %v", typ, step.Name, err)
				continue
			}
			p.Close()
		}
		ring, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.RingBuf, MaxEntries: 4096})
		if err != nil {
			t.Fatal(err)
		}
		counters, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1})
		if err != nil {
			t.Fatal(err)
		}
		for i, step := range EmitLadder {
			p, err := emitLadderProgram(i, typ, maps, ring, counters)
			if err != nil {
				t.Errorf("%v emitted %s: %v", typ, step.Name, err)
				continue
			}
			p.Close()
		}
		ring.Close()
		counters.Close()
	}
}

// BenchmarkBuildCorpus compiles every policy of the corpus as polc build
// does (check, lower, generate code, write the bundle in memory).
func BenchmarkBuildCorpus(b *testing.B) {
	dir := CorpusDir("..")
	if dir == "" {
		b.Skip("corpus not present (set POLC_CORPUS)")
	}
	files, err := yamlFiles(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		for _, f := range files {
			if _, err := BuildFile("corpus", f); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
pkg: github.com/polc-dev/polc/bench
BenchmarkBuildCorpus-2   	       7	 150000000 ns/op
BenchmarkBuildCorpus-2   	       7	 170000000 ns/op
BenchmarkBuildCorpus-2   	       7	 160000000 ns/op
PASS
pkg: github.com/polc-dev/polc/compiler
BenchmarkValidateCorpus-2   	      50	  23000000 ns/op
`
	got, err := ParseGoBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "BenchmarkBuildCorpus" || got[0].NsPerOp.N != 3 || got[0].NsPerOp.Median != 160e6 ||
		got[1].Package != "github.com/polc-dev/polc/compiler" || got[1].NsPerOp.Median != 23e6 {
		t.Errorf("ParseGoBench = %+v", got)
	}
}

// TestReportVerdict: the report says whether the rejected event's cost
// meets the goal, from the measured ratio.
func TestReportVerdict(t *testing.T) {
	for _, c := range []struct {
		ratio float64
		want  string
	}{{1.2, ": met."}, {2.5, ": **missed**."}} {
		host := &HostResults{Machine: Machine{Kernel: "6.18", CPUs: 2}, EventCost: []EventCost{{
			Hook:          "tracepoint raw_syscalls/sys_enter",
			RejectedRatio: Summary{N: 9, Median: c.ratio, Q1: c.ratio, Q3: c.ratio},
		}}}
		var b strings.Builder
		if err := WriteReport(&b, host, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("ratio %v: the report does not say %q", c.ratio, c.want)
		}
	}
}

// TestReportChurn: the report says whether the verdict cache's goal under
// churn is met, from the measured ratio; and the "before" bundle differs
// from the one polc builds.
func TestReportChurn(t *testing.T) {
	for _, c := range []struct {
		q3   float64
		want string
	}{{0.8, ": met."}, {1.05, ": **not met**."}} {
		host := &HostResults{Machine: Machine{Kernel: "6.18", CPUs: 2}, Churn: &ChurnCost{
			Hook:                    "tracepoint raw_syscalls/sys_enter",
			ChangesRunAfterToBefore: Summary{N: 9, Median: 0.7, Q1: 0.6, Q3: c.q3},
		}}
		var b strings.Builder
		if err := WriteReport(&b, host, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("Q3 %v: the report does not say %q", c.q3, c.want)
		}
	}
	before, err := BuildGlobalVerdicts(filepath.Join("policies", "syscall-reject.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(before) == string(buildBench(t, "syscall-reject.yaml").Bundle.Object) {
		t.Error("the bundle built with GlobalVerdictGeneration is the one polc builds")
	}
}

func TestKernelSeries(t *testing.T) {
	for release, want := range map[string]string{
		"6.18.9-build7": "6.18", "6.1.0-56-amd64": "6.1", "7.3.4+deb13-amd64": "7.3", "5.10": "5.10", "6.12rc1": "6.12", "weird": "weird",
	} {
		if got := KernelSeries(release); got != want {
			t.Errorf("KernelSeries(%q) = %q, want %q", release, got, want)
		}
	}
}
