package codegen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
)

// compiled is one policy of a file, lowered and built.
type compiled struct {
	IR     *ir.Policy
	Bundle *Bundle
	Err    error // from Build
}

// compileFile checks and lowers every policy in path (failing t on
// compiler errors) and builds each.
func compileFile(t testing.TB, path string) []compiled {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := goldenArch(data)
	src := compiler.NewSource(path, data)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: a})
	if res.Errors() > 0 {
		t.Fatalf("%s does not check: %v", path, res.Diagnostics)
	}
	var out []compiled
	for _, pol := range res.Policies {
		p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: a})
		if compiler.Count(diags, compiler.Error) > 0 {
			out = append(out, compiled{Err: lowerError(diags)})
			continue
		}
		b, err := Build(p, Options{Arch: a, Source: path, SourceData: data, Compiler: "test",
			SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
		out = append(out, compiled{IR: p, Bundle: b, Err: err})
	}
	return out
}

type lowerError []compiler.Diagnostic

// Error names each error's position and code (its wording belongs to the
// compiler).
func (e lowerError) Error() string {
	var lines []string
	for _, d := range e {
		if d.Severity == compiler.Error {
			lines = append(lines, fmt.Sprintf("%s: not lowered [%s]", d.Pos, d.Code))
		}
	}
	return strings.Join(lines, "\n")
}

func globYAML(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	return files
}

// goldenArch reads the target of a "# polc-golden: arch=A" first line;
// x86_64 without one.
func goldenArch(data []byte) arch.Arch {
	first, _, _ := strings.Cut(string(data), "\n")
	if rest, ok := strings.CutPrefix(first, "# polc-golden:"); ok {
		for _, f := range strings.Fields(rest) {
			if v, ok := strings.CutPrefix(f, "arch="); ok {
				return arch.Arch(v)
			}
		}
	}
	return arch.X86_64
}

// Policies the kernel tests compile: the golden policies (copied to
// testdata/golden so that the guests have them, testdata/README) and
// Tetragon's corpus, which lives beside the repository — never in it — and
// which the vmtest harness copies into the guests (POLC_CORPUS).
const goldenCopyDir = "testdata/golden"

var corpusDir = func() string {
	if d := os.Getenv("POLC_CORPUS"); d != "" {
		return d
	}
	return "../../shared/corpus/tetragon-examples"
}()

// requireCorpus skips a test when the corpus is not beside the repository.
func requireCorpus(t *testing.T) {
	t.Helper()
	if st, err := os.Stat(corpusDir); err != nil || !st.IsDir() {
		t.Skipf("corpus of Tetragon examples not present at %s (set POLC_CORPUS)", corpusDir)
	}
}

// TestCorpusCoverage: what codegen builds of each corpus policy, and the
// diagnostics naming what is missing for the others, are those listed in
// testdata/corpus.txt (go test ./codegen -run TestCorpusCoverage -update).
func TestCorpusCoverage(t *testing.T) {
	requireCorpus(t)
	var b strings.Builder
	built, refused := 0, 0
	for _, f := range globYAML(t, corpusDir) {
		for _, c := range compileFile(t, f) {
			name := filepath.Base(f)
			if c.Err != nil {
				refused++
				fmt.Fprintf(&b, "%s: refused\n", name)
				for _, line := range strings.Split(c.Err.Error(), "\n") {
					fmt.Fprintf(&b, "\t%s\n", strings.TrimPrefix(line, corpusDir+"/"))
				}
				continue
			}
			built++
			fmt.Fprintf(&b, "%s: built %s, %d programs\n", name, c.Bundle.FileName(), len(c.Bundle.Programs))
		}
	}
	fmt.Fprintf(&b, "\n%d policies built, %d refused\n", built, refused)
	got := b.String()
	want := filepath.Join("testdata", "corpus.txt")
	if *update {
		if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test ./codegen -run TestCorpusCoverage -update)", err)
	}
	if string(data) != got {
		t.Errorf("%s is not what codegen does now (run go test ./codegen -run TestCorpusCoverage -update to accept):\n%s", want, firstDiff(string(data), got))
	}
	t.Logf("corpus: %d policies built, %d refused", built, refused)
}
