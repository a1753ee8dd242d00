package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
)

// goldenDir holds NAME.yaml policies and NAME.ir, the text form of their IR
// followed by the diagnostics of checking and lowering as "# " lines, both
// without positions (polc dump's default): a comment line added above a
// policy changes no golden file. go test ./compiler -update rewrites the
// .ir files.
const goldenDir = "../testdata/golden"

// goldenIR lowers one golden policy file. A first line
// "# polc-golden: arch=arm64" picks the target.
func goldenIR(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return goldenIROf(t, file, data)
}

// goldenIROf lowers the policy file data as if it were file.
func goldenIROf(t *testing.T, file string, data []byte) string {
	t.Helper()
	a := arch.X86_64
	first, _, _ := strings.Cut(string(data), "\n")
	if rest, ok := strings.CutPrefix(first, "# polc-golden:"); ok {
		for _, f := range strings.Fields(rest) {
			v, ok := strings.CutPrefix(f, "arch=")
			if !ok {
				t.Fatalf("unknown polc-golden option %q", f)
			}
			a = arch.Arch(v)
		}
	}
	// Name the file from the repository root, as a user would.
	name := "testdata/golden/" + filepath.Base(file)
	res := Check([]*Source{NewSource(name, data)}, Options{Arch: a})
	if res.Errors() > 0 {
		t.Fatalf("%s does not check: %v", name, res.Diagnostics)
	}
	var b strings.Builder
	diags := res.Diagnostics
	for _, pol := range res.Policies {
		p, ds := Lower(pol, LowerOptions{Arch: a, Verify: true})
		if p == nil {
			t.Fatalf("%s does not lower: %v", name, ds)
		}
		ir.FprintWith(&b, p, ir.PrintOptions{NoPos: true})
		diags = append(diags, ds...)
	}
	for _, d := range SortDiagnostics(diags) {
		d.Pos = ir.Pos{}
		b.WriteString("# " + strings.TrimPrefix(d.String(), ": ") + "\n")
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.yaml"))
	if len(files) == 0 {
		t.Fatalf("no golden policies in %s", goldenDir)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			got := goldenIR(t, file)
			if again := goldenIR(t, file); again != got {
				t.Fatal("lowering the same policy twice gave different output")
			}
			// A comment line added above the policy (after the
			// polc-golden line, which stays first) changes nothing.
			shifted := "# a comment added above the policy\n" + string(readGolden(t, file))
			if first, rest, ok := strings.Cut(string(readGolden(t, file)), "\n"); ok && strings.HasPrefix(first, "# polc-golden:") {
				shifted = first + "\n# a comment added above the policy\n" + rest
			}
			if other := goldenIROf(t, file, []byte(shifted)); other != got {
				t.Errorf("a comment line added above the policy changes its golden file:\n%s", lineDiff(got, other))
			}
			want := filepath.Join(goldenDir, name+".ir")
			if *update {
				if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			data, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test ./compiler -update)", err)
			}
			if string(data) != got {
				t.Errorf("%s differs from the lowered IR (run go test ./compiler -update to accept):\n%s", want, lineDiff(string(data), got))
			}
		})
	}
	// Every .ir file has its policy.
	irs, _ := filepath.Glob(filepath.Join(goldenDir, "*.ir"))
	for _, f := range irs {
		if _, err := os.Stat(strings.TrimSuffix(f, ".ir") + ".yaml"); err != nil {
			t.Errorf("%s has no policy: remove it", f)
		}
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n- " + wl + "\n+ " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

// TestGoldenCoverage: the golden policies use every hook kind, argument
// type, operator, filter, action and map kind of the IR, so that a change
// to how any of them lowers shows in a golden diff.
func TestGoldenCoverage(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.yaml"))
	seen := map[string]bool{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		a := goldenArch(data)
		res := Check([]*Source{NewSource(file, data)}, Options{Arch: a})
		for _, pol := range res.Policies {
			p, _ := Lower(pol, LowerOptions{Arch: a})
			if p == nil {
				continue
			}
			for _, m := range p.Maps {
				seen["map "+m.Kind.String()] = true
			}
			if len(p.Enforcers) > 0 {
				seen["enforcer"] = true
			}
			for _, h := range p.Hooks {
				seen["hook "+h.Kind.String()] = true
				seen[fmt.Sprintf("syscall abi %s", h.ABI)] = h.Syscall
				for _, a := range h.Args {
					seen["type "+a.Type.String()] = true
					seen["returncopy"] = seen["returncopy"] || a.ReturnCopy
					seen["size slot"] = seen["size slot"] || a.SizeSlot >= 0
					seen["size from return"] = seen["size from return"] || a.SizeSlot == ir.SizeFromReturn
				}
				if h.RetAction != 0 {
					seen["return action "+h.RetAction.String()] = true
				}
				if h.List != "" {
					seen["list"] = true
				}
				for _, s := range h.Selectors {
					for _, t := range append(append([]*ir.Test(nil), s.Tests...), s.ReturnTests...) {
						seen["test "+t.Kind.String()] = true
						seen["op "+t.Op.String()] = true
					}
					for _, a := range append(append([]*ir.Action(nil), s.Actions...), s.ReturnActions...) {
						seen["action "+a.Kind.String()] = true
					}
				}
			}
		}
	}
	var want []string
	for k := ir.HookKprobe; k <= ir.HookUSDT; k++ {
		want = append(want, "hook "+k.String())
	}
	for _, n := range ir.TypeNames() {
		typ, _ := ir.ParseType(n)
		if typ != ir.TypeConstBuf && unsupportedArgTypes[n] == "" { // cannot be declared, or refused
			want = append(want, "type "+typ.String())
		}
	}
	for o := ir.OpEqual; o <= ir.OpNotIn; o++ {
		want = append(want, "op "+o.String())
	}
	for k := ir.TestArg; k <= ir.TestCapChange; k++ {
		want = append(want, "test "+k.String())
	}
	for k := ir.ActPost; k <= ir.ActCleanupEnforcer; k++ {
		want = append(want, "action "+k.String())
	}
	for k := ir.MapIntSet; k <= ir.MapEnforcer; k++ {
		want = append(want, "map "+k.String())
	}
	want = append(want, "enforcer", "list", "returncopy", "size slot", "size from return", "return action TrackSock",
		"syscall abi x64", "syscall abi i386", "syscall abi arm64")
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no golden policy covers %s", w)
		}
	}
}

// readGolden reads a golden policy file.
func readGolden(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
