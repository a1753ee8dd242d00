package codegen

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

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
	src := compiler.NewSource(path, data)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{})
	if res.Errors() > 0 {
		t.Fatalf("%s does not check: %v", path, res.Diagnostics)
	}
	var out []compiled
	for _, pol := range res.Policies {
		p, diags := compiler.Lower(pol, compiler.LowerOptions{})
		if compiler.Count(diags, compiler.Error) > 0 {
			out = append(out, compiled{Err: lowerError(diags)})
			continue
		}
		b, err := Build(p, Options{Source: path, SourceData: data, Compiler: "test",
			SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
		out = append(out, compiled{IR: p, Bundle: b, Err: err})
	}
	return out
}

type lowerError []compiler.Diagnostic

func (e lowerError) Error() string {
	s := "lowering:"
	for _, d := range e {
		if d.Severity == compiler.Error {
			s += " " + d.String()
		}
	}
	return s
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

const corpusDir = "../../shared/corpus/tetragon-examples"

func TestBuildReport(t *testing.T) {
	dirs := []string{"../testdata/golden", corpusDir}
	for _, dir := range dirs {
		for _, f := range globYAML(t, dir) {
			for _, c := range compileFile(t, f) {
				if c.Err != nil {
					t.Logf("%s: %v", filepath.Base(f), c.Err)
				} else {
					t.Logf("%s: ok %d programs", filepath.Base(f), len(c.Bundle.Programs))
				}
			}
		}
	}
}
