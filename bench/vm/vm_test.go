package vm

import (
	"os"
	"path/filepath"
	"testing"

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
// verifier work and each map's size. Inside a vmtest guest the figures go
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
	out := os.Getenv(vmtest.ArtifactsEnv)
	if out == "" {
		out = t.TempDir()
	}
	if err := bench.WriteJSON(filepath.Join(out, "programs.json"), res); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d programs measured on %s, figures in %s", measured, res.Machine.Kernel, out)
}
