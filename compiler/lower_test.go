package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
)

// checkAndLower checks src and lowers its policies with verification
// between passes. It fails the test on check errors.
func checkAndLower(t *testing.T, name, src string, a arch.Arch) ([]*ir.Policy, []Diagnostic) {
	t.Helper()
	res := Check([]*Source{NewSource(name, []byte(src))}, Options{Arch: a})
	if res.Errors() > 0 {
		t.Fatalf("%s does not check: %v", name, res.Diagnostics)
	}
	var out []*ir.Policy
	var diags []Diagnostic
	for _, pol := range res.Policies {
		p, ds := Lower(pol, LowerOptions{Arch: a, Verify: true})
		diags = append(diags, ds...)
		if p != nil {
			out = append(out, p)
		}
	}
	return out, diags
}

// lowerOne lowers a policy that must lower without errors.
func lowerOne(t *testing.T, src string) (*ir.Policy, []Diagnostic) {
	t.Helper()
	ps, diags := checkAndLower(t, "test.yaml", src, arch.X86_64)
	if Count(diags, Error) > 0 || len(ps) != 1 {
		t.Fatalf("lowering failed: %v", diags)
	}
	return ps[0], diags
}

// corpusExpectations: the corpus policies that cannot lower, and why.
var corpusExpectations = map[string]string{
	// The functions of a generated_ftrace list come from the target
	// kernel's available_filter_functions.
	"list-generated-ftrace.yaml": "needs-target",
}

// TestLowerCorpus: every policy of Tetragon's examples lowers without an
// error, except those listed in corpusExpectations, which fail with the
// expected code.
func TestLowerCorpus(t *testing.T) {
	dir := corpusDir()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus of Tetragon examples not present at %s (set POLC_CORPUS): %v", dir, err)
	}
	srcs, err := ReadSources([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []arch.Arch{arch.X86_64, arch.ARM64} {
		// Some policies name x86_64 syscalls and do not check on arm64.
		res := Check(srcs, Options{Arch: a})
		lowered, expectedFailures := 0, 0
		for _, pol := range res.Policies {
			name := filepath.Base(pol.Doc.Source.Name)
			p, diags := Lower(pol, LowerOptions{Arch: a, Verify: true})
			want := corpusExpectations[name]
			if want != "" {
				expectedFailures++
			}
			var errs []string
			for _, d := range diags {
				if d.Severity == Error {
					errs = append(errs, d.String())
				}
			}
			switch {
			case want == "" && len(errs) > 0:
				t.Errorf("%s %s: %s", a, name, strings.Join(errs, "\n"))
			case want != "" && (len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), "["+want+"]")):
				t.Errorf("%s %s: want a %s error, got %v", a, name, want, errs)
			case p != nil:
				lowered++
			}
		}
		if lowered != len(res.Policies)-expectedFailures || a == arch.X86_64 && len(res.Policies) != len(srcs) {
			t.Errorf("%s: %d of %d corpus policies checked, %d lowered", a, len(res.Policies), len(srcs), lowered)
		}
	}
}

// TestLowerSpecExamples: every whole policy of the specification lowers.
func TestLowerSpecExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(specDir(), "*.md"))
	if len(files) == 0 {
		t.Skipf("specification not present at %s (set POLC_SPEC)", specDir())
	}
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	n := 0
	for _, f := range files {
		md, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range block.FindAllStringSubmatch(string(md), -1) {
			if !strings.Contains(m[1], "apiVersion:") {
				continue
			}
			// The example_ns_* names are not Kubernetes names; fix them as
			// the checker's hint says, to lower the rest.
			src := strings.ReplaceAll(m[1], "example_ns_", "example-ns-")
			name := fmt.Sprintf("%s#%d", filepath.Base(f), i)
			res := Check([]*Source{NewSource(name, []byte(src))}, Options{})
			for _, pol := range res.Policies {
				n++
				if _, diags := Lower(pol, LowerOptions{Verify: true}); Count(diags, Error) > 0 {
					t.Errorf("%s: %v", name, diags)
				}
			}
		}
	}
	if n < 5 {
		t.Errorf("lowered %d policies of the specification, expected at least 5", n)
	}
}
