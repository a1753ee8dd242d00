package policytest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestGenerateCel: for CelExpr filters (testdata/celexpr.yaml, a copy of
// the golden policy: the vmtest guest has this package's testdata only)
// the generator finds arguments that make each expression hold, so that
// every selector is matched, and arguments that make it fail; the
// generated file passes.
func TestGenerateCel(t *testing.T) {
	f := filepath.Join("testdata", "celexpr.yaml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if !testenv.InVM() {
		golden, err := os.ReadFile(filepath.Join("..", "testdata", "golden", "celexpr.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, golden) {
			t.Fatalf("%s is not a copy of testdata/golden/celexpr.yaml: copy it again", f)
		}
	}
	pol, diags := LoadPolicy(compiler.NewSource(f, data), "", Options{})
	if pol == nil {
		t.Fatalf("the policy does not load: %v", diags)
	}
	dir := t.TempDir()
	pf, tf := filepath.Join(dir, "p.yaml"), filepath.Join(dir, "p_test.yaml")
	if err := os.WriteFile(pf, data, 0o644); err != nil {
		t.Fatal(err)
	}
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
	if n := strings.Count(string(out), "the CelExpr does not hold"); n < 3 {
		t.Errorf("%d cases where a CelExpr does not hold, want one per filter (3)", n)
	}
	if t.Failed() {
		t.Logf("generated:\n%s", out)
	}
}
