package codegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// corpusTarget is the profile TestCorpusForTarget builds the corpus for.
const corpusTarget = "../testdata/targets/debian-6.12.tar.gz"

// TestCorpusForTarget: what codegen builds of each corpus policy for
// Debian's 6.12 kernel (polc build --target), and the diagnostics naming
// what is missing for the others, are those listed in
// testdata/corpus-6.12.txt (go test ./codegen -run TestCorpusForTarget
// -update). A target makes more of the corpus build than
// testdata/corpus.txt: resolve paths, tracepoints polc has no table of,
// generated_ftrace lists; and refuses what that kernel lacks.
func TestCorpusForTarget(t *testing.T) {
	requireCorpus(t)
	if testenv.InVM() {
		t.Log("the target profiles are not in the vmtest guest; this runs on the host")
		return
	}
	prof, err := target.ReadFile(corpusTarget)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	built, refused := 0, 0
	for _, f := range globYAML(t, corpusDir) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		src := compiler.NewSource(name, data)
		res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: prof.Arch, Target: prof})
		if len(res.Policies) == 0 {
			// Refused by the checks against the target.
			refused++
			fmt.Fprintf(&b, "%s: refused\n", name)
			for _, d := range res.Diagnostics {
				if d.Severity == compiler.Error {
					fmt.Fprintf(&b, "\t%s: %s [%s]\n", d.Pos, d.Msg, d.Code)
				}
			}
		}
		for _, pol := range res.Policies {
			var errs []string
			p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: prof.Arch, Target: prof})
			for _, d := range append(res.Diagnostics, diags...) {
				if d.Severity == compiler.Error {
					errs = append(errs, fmt.Sprintf("%s: %s [%s]", d.Pos, d.Msg, d.Code))
				}
			}
			if len(errs) == 0 {
				bundle, err := Build(p, Options{Arch: prof.Arch, Source: name, SourceData: data, Compiler: "test", Target: prof,
					SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
				if err == nil {
					built++
					fmt.Fprintf(&b, "%s: built %s, %d programs\n", name, bundle.FileName(), len(bundle.Programs))
					continue
				}
				errs = strings.Split(err.Error(), "\n")
			}
			refused++
			fmt.Fprintf(&b, "%s: refused\n", name)
			for _, e := range errs {
				fmt.Fprintf(&b, "\t%s\n", e)
			}
		}
	}
	fmt.Fprintf(&b, "\n%d policies built for %s, %d refused\n", built, prof.Kernel(), refused)
	got := b.String()
	want := filepath.Join("testdata", "corpus-6.12.txt")
	if *update {
		if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test ./codegen -run TestCorpusForTarget -update)", err)
	}
	if string(data) != got {
		t.Errorf("%s is not what codegen does now (run go test ./codegen -run TestCorpusForTarget -update to accept):\n%s", want, firstDiff(string(data), got))
	}
	t.Logf("corpus for %s: %d policies built, %d refused", prof.Kernel(), built, refused)
}
