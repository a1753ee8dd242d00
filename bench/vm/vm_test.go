package vm

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/polc-dev/polc/bench"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/vmtest"
)

// bundlesDir is where `polbench bundles` wrote the bundles to measure.
const bundlesDir = "testdata/bundles"

// repoRoot is the repository, seen from this package's directory.
const repoRoot = "../.."

// TestProgramFigures loads every bundle of testdata/bundles into the
// running kernel (without attaching) and records each program's size and
// verifier work and each map's size; then, where the kernel has kprobes,
// the per-event cost of 1, 10 and 50 policies on one kprobe
// (ManyPoliciesKprobe). Inside a vmtest guest the figures go
// back to the host as the artifact programs.json. Without testdata/bundles
// (go test on the host) it builds them from the repository first.
func TestProgramFigures(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF)
	dir := bundlesDir
	if _, err := os.Stat(filepath.Join(dir, "index.json")); err != nil {
		if testenv.InVM() {
			t.Fatalf("no bundles in the guest (make bench-vm writes them before booting): %v", err)
		}
		dir = t.TempDir()
		built, refused, err := bench.BuildAll(repoRoot, bench.CorpusDir(repoRoot))
		if err != nil {
			t.Fatal(err)
		}
		if err := bench.WriteBundles(dir, bench.ThisMachine(repoRoot).Commit, built, refused); err != nil {
			t.Fatal(err)
		}
		if err := bench.WriteManyPolicies(filepath.Join(dir, bench.ManyDir), filepath.Join(repoRoot, "bench", "policies", bench.KprobePolicy)); err != nil {
			t.Fatal(err)
		}
	}
	figs, idx, err := bench.MeasureIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	measured := 0
	for _, f := range figs {
		for _, p := range f.Programs {
			switch {
			case p.Err != "":
				t.Logf("%s %s: refused: %s", f.File, p.Name, p.Err)
			case p.Skipped != "":
				t.Logf("%s %s: not loaded: %s", f.File, p.Name, p.Skipped)
			case p.Verified == 0 || p.JIT == 0:
				t.Errorf("%s %s: loaded, but the kernel reports %d verified instructions and %d bytes of JIT code", f.File, p.Name, p.Verified, p.JIT)
			default:
				measured++
			}
		}
	}
	if measured == 0 {
		t.Fatal("no program measured")
	}
	res := bench.GuestResults{Machine: bench.ThisMachine(repoRoot), Programs: figs}
	res.Machine.Commit = idx.Commit // the guest has no git; the bundles' commit
	t.Run("ManyPoliciesKprobe", func(t *testing.T) { res.ManyPolicies = manyPoliciesKprobe(t, dir) })
	out := os.Getenv(vmtest.ArtifactsEnv)
	if out == "" {
		out = t.TempDir()
	}
	if err := bench.WriteJSON(filepath.Join(out, "programs.json"), res); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d programs measured on %s, figures in %s", measured, res.Machine.Kernel, out)
}

// Rounds, samples and calls of the many-policies measurement in a guest:
// every round loads 64 bundles (about half a minute under qemu's TCG), so
// fewer rounds than on the host, while the loops are short (a syscall
// with 50 kprobe programs takes tens of microseconds). The guest has one
// CPU, which also runs the kernel's deferred work of the variant before
// (freeing 50 policies' programs and maps): a pause after each attach and
// detach keeps it out of the next variant's samples, which without it
// made a set of one policy look several times dearer than one policy.
const (
	kprobeRounds  = 5
	kprobeSamples = 21
	kprobeCalls   = 2000
	kprobeSettle  = time.Second
)

// manyPoliciesKprobe measures the getppid loop with 1, 10 and 50 copies
// of the rejecting kprobe policy (bench/policies/kprobe-reject.yaml) each
// in its own bundle and as one policy set, loaded as polrun loads them
// (bench.MeasureManyPolicies). It skips where kprobes cannot be created
// (the host; it fails inside a guest that lacks them).
func manyPoliciesKprobe(t *testing.T, dir string) *bench.ManyPolicies {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Kprobes)
	hook, copies, sets, err := bench.ReadManyPolicies(filepath.Join(dir, bench.ManyDir))
	if err != nil {
		t.Fatal(err)
	}
	mp, err := bench.MeasureManyPolicies(hook, copies, sets, nil, bench.EventCostOptions{
		Rounds: kprobeRounds, Samples: kprobeSamples, Calls: kprobeCalls, Settle: kprobeSettle,
		PinRoot: "/sys/fs/bpf/polc-bench-many-kprobe", Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{bench.PolicyVariant(1), bench.SetVariant(1)} {
		// One policy's program must cost something: a kprobe that never
		// fired would leave every ratio meaningless.
		if o := mp.Overhead[v]; o.Median <= 0 {
			t.Errorf("%s on %s: overhead %.0f ns per syscall, want more than nothing attached", v, hook, o.Median)
		}
	}
	n := bench.PolicyCounts[len(bench.PolicyCounts)-1]
	t.Logf("on %s: %s cost %.2f× one policy, %s %.2f× (goal %.0f×)", hook,
		bench.PolicyVariant(n), mp.ToOne[bench.PolicyVariant(n)].Median,
		bench.SetVariant(n), mp.ToOne[bench.SetVariant(n)].Median, bench.ManyPoliciesGoal)
	return mp
}
