package policytest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestGenerateRoundTrip: for every corpus policy that lowers without a
// target kernel, the generated test file parses, binds, passes (its
// expectations are Eval's) and matches every selector.
func TestGenerateRoundTrip(t *testing.T) {
	testenv.Require(t, corpus)
	files, _ := filepath.Glob(filepath.Join(corpusDir(), "*.y*ml"))
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pol, _ := LoadPolicy(compiler.NewSource(f, data), "", Options{})
		if pol == nil {
			continue // needs a target, or several policies
		}
		if len(pol.Hooks) > 50 {
			continue // generated_syscalls: every syscall, seconds of cases
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			dir := t.TempDir()
			pf := filepath.Join(dir, "p.yaml")
			if err := os.WriteFile(pf, data, 0o644); err != nil {
				t.Fatal(err)
			}
			tf := filepath.Join(dir, "p_test.yaml")
			out, err := Generate(pol, pf, tf)
			if err != nil {
				t.Fatal(err)
			}
			s, err := RunSource(compiler.NewSource(tf, out), Options{Coverage: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range s.Diagnostics {
				t.Errorf("%s", d)
			}
			for _, r := range s.Results {
				if !r.Passed {
					t.Errorf("%s: %s %s", r.Name, r.Err, r.Diff)
				}
			}
			if s.Coverage.Covered != s.Coverage.Selectors {
				t.Errorf("generated cases cover %d of %d selectors: %v", s.Coverage.Covered, s.Coverage.Selectors, s.Coverage.Missed)
			}
			if t.Failed() {
				t.Logf("generated:\n%s", out)
			}
		})
	}
	if n < 40 {
		t.Errorf("only %d corpus policies lowered", n)
	}
}
