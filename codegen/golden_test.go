package codegen

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

var update = flag.Bool("update", false, "rewrite the golden .asm files")

// goldenDir holds NAME.yaml policies with their NAME.ir (package compiler)
// and NAME.asm: the disassembly of the generated programs, or the "# "
// diagnostics of what codegen cannot compile yet.
const goldenDir = "../testdata/golden"

// goldenAsm builds one golden policy file. A first line
// "# polc-golden: arch=arm64" picks the target, as for the .ir files.
func goldenAsm(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return goldenAsmOf(t, file, data)
}

// goldenAsmOf builds the policy file data as if it were file.
func goldenAsmOf(t *testing.T, file string, data []byte) string {
	t.Helper()
	a := goldenArch(data)
	name := "testdata/golden/" + filepath.Base(file)
	src := compiler.NewSource(name, data)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: a})
	if res.Errors() > 0 {
		t.Fatalf("%s does not check: %v", name, res.Diagnostics)
	}
	var b strings.Builder
	for _, pol := range res.Policies {
		p, ds := compiler.Lower(pol, compiler.LowerOptions{Arch: a})
		if p == nil {
			t.Fatalf("%s does not lower: %v", name, ds)
		}
		bundle, err := Build(p, Options{Arch: a, Source: name, SourceData: data, Compiler: "golden",
			SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
		if err != nil {
			errs, ok := err.(Errors)
			if !ok {
				t.Fatalf("%s: %v", name, err)
			}
			b.WriteString("bundle " + p.Name + " not built:\n")
			for _, e := range errs {
				// Without the position, like the code's comments: a
				// line added above the policy changes no golden file.
				b.WriteString("# " + e.Msg + "\n")
			}
			continue
		}
		bundle.WriteAsmWith(&b, AsmOptions{NoLines: true, NoFallbacks: true})
	}
	return b.String()
}

// TestGoldenAsm: the generated code of every golden policy is what its
// .asm file holds (go test ./codegen -update rewrites them).
func TestGoldenAsm(t *testing.T) {
	if testenv.InVM() {
		t.Log("the golden files are not in the vmtest guest; they are checked on the host")
		return
	}
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.yaml"))
	if len(files) == 0 {
		t.Fatalf("no golden policies in %s", goldenDir)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			got := goldenAsm(t, file)
			if again := goldenAsm(t, file); again != got {
				t.Fatal("building the same policy twice gave different code")
			}
			if shifted := goldenAsmOf(t, file, withLineAbove(t, file)); shifted != got {
				t.Errorf("a comment line added above the policy changes its golden file:\n%s", firstDiff(got, shifted))
			}
			want := filepath.Join(goldenDir, name+".asm")
			if *update {
				if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			data, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test ./codegen -update)", err)
			}
			if string(data) != got {
				t.Errorf("%s differs from the generated code (run go test ./codegen -update to accept):\n%s", want, firstDiff(string(data), got))
			}
		})
	}
	asms, _ := filepath.Glob(filepath.Join(goldenDir, "*.asm"))
	for _, f := range asms {
		if _, err := os.Stat(strings.TrimSuffix(f, ".asm") + ".yaml"); err != nil {
			t.Errorf("%s has no policy: remove it", f)
		}
	}
}

// withLineAbove is the golden policy file with a comment line added
// above the policy (after the polc-golden line, which must stay first).
func withLineAbove(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const line = "# a comment added above the policy\n"
	if first, rest, ok := strings.Cut(string(data), "\n"); ok && strings.HasPrefix(first, "# polc-golden:") {
		return []byte(first + "\n" + line + rest)
	}
	return append([]byte(line), data...)
}

// firstDiff shows where two texts start to differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, wl, gl)
		}
	}
	return ""
}
