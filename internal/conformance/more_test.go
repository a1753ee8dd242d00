package conformance

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/target"
)

// The policies of testdata/tetragon-more are taken from Tetragon's own
// repository beyond the corpus (its other examples, its documentation and
// the policies its tests embed), each with the outcome Tetragon gives it,
// written by hand in testdata/tetragon-more/EXPECTATIONS from Tetragon's
// source. TestTetragonMore builds each one as polc build does, for x86_64
// and for arm64, and compares: a policy Tetragon loads must build, one it
// refuses must be refused. Where polc does not do what Tetragon does today
// the line says so ("disagree: WHY"), and the test fails when such a
// disagreement disappears, so that the list stays the true list.

const (
	moreDir          = "../../testdata/tetragon-more"
	moreExpectations = moreDir + "/EXPECTATIONS"
	// moreTarget is the kernel a "refused on kernel" policy is checked
	// against: Tetragon refuses it because the kernel lacks what it names
	// (a function, a hook, a tracepoint), which polc can only know with a
	// description of the kernel.
	moreTarget = "../../testdata/targets/debian-6.12.tar.gz"
)

// moreWant is one line of the expectations file.
type moreWant struct {
	line int
	// loads: Tetragon loads the policy; else it refuses it for reason.
	loads  bool
	reason string
	// onKernel: Tetragon refuses it for what the kernel lacks; polc
	// without a target is not asked, polc with moreTarget must refuse.
	onKernel bool
	// arm64: Tetragon's outcome on arm64 when it differs (nil: the same).
	arm64 *bool
	// disagree and disagreeArm64: why polc does otherwise today, on
	// x86_64 and on arm64 ("" when it agrees).
	disagree, disagreeArm64 string
}

// readMoreExpectations reads lines of the form
//
//	FILE: loads
//	FILE: refused: REASON
//	FILE: refused on kernel: REASON
//
// each optionally followed by " | arm64: loads|refused", " | disagree:
// WHY" and " | disagree arm64: WHY". Blank lines and # comments are skipped.
func readMoreExpectations(path string) (map[string]*moreWant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]*moreWant{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		file, outcome, ok := strings.Cut(parts[0], ": ")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want FILE: OUTCOME", path, n)
		}
		w := &moreWant{line: n}
		switch {
		case outcome == "loads":
			w.loads = true
		case strings.HasPrefix(outcome, "refused on kernel: "):
			w.onKernel = true
			w.reason = strings.TrimPrefix(outcome, "refused on kernel: ")
		case strings.HasPrefix(outcome, "refused: "):
			w.reason = strings.TrimPrefix(outcome, "refused: ")
		default:
			return nil, fmt.Errorf("%s:%d: outcome %q is not loads, refused: WHY or refused on kernel: WHY", path, n, outcome)
		}
		for _, p := range parts[1:] {
			k, v, _ := strings.Cut(p, ": ")
			switch k {
			case "arm64":
				b := v == "loads"
				if !b && !strings.HasPrefix(v, "refused") {
					return nil, fmt.Errorf("%s:%d: arm64: %q is not loads or refused", path, n, v)
				}
				w.arm64 = &b
			case "disagree":
				w.disagree = v
			case "disagree arm64":
				w.disagreeArm64 = v
			default:
				return nil, fmt.Errorf("%s:%d: unknown field %q", path, n, k)
			}
		}
		if _, dup := out[file]; dup {
			return nil, fmt.Errorf("%s:%d: %s again", path, n, file)
		}
		out[file] = w
	}
	return out, sc.Err()
}

// buildMore validates, lowers and builds one file for a and, when tp is
// not nil, against that kernel, as polc build does: "" when every policy
// of the file built, else the first errors.
func buildMore(name string, data []byte, a arch.Arch, tp *target.Profile) string {
	src := compiler.NewSource(name, data)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: a, Target: tp})
	if res.Errors() > 0 {
		return "validate: " + errorDiags(res.Diagnostics)
	}
	if tp == nil && needsTarget(res.Diagnostics) {
		// A tracepoint whose fields only the kernel's format locates:
		// polc build needs --target, as for a generated_ftrace list.
		if a != moreProfile().Arch {
			return moreNoTarget
		}
		return buildMore(name, data, a, moreProfile())
	}
	for _, pol := range res.Policies {
		p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: a, Target: tp})
		if compiler.Count(diags, compiler.Error) > 0 {
			if tp == nil && onlyNeedsTarget(diags) {
				// A generated_ftrace list: polc build needs --target,
				// and what it does then is the policy's outcome. The
				// profile at hand is x86_64's.
				if a != moreProfile().Arch {
					return moreNoTarget
				}
				return buildMore(name, data, a, moreProfile())
			}
			return "build: " + errorDiags(diags)
		}
		if _, err := codegen.Build(p, codegen.Options{Arch: a, Source: name, SourceData: data, Compiler: "conformance", Target: tp}); err != nil {
			return "build: " + buildError(err)
		}
	}
	return ""
}

// needsTarget reports whether validate warned that a tracepoint's fields
// can only be located from a target kernel's format.
func needsTarget(ds []compiler.Diagnostic) bool {
	for _, d := range ds {
		if d.Code == "needs-target" && strings.HasPrefix(d.Msg, "tracepoint ") {
			return true
		}
	}
	return false
}

// moreNoTarget: the policy needs a target kernel to build and there is
// none of that architecture here; the test does not compare it there.
const moreNoTarget = "needs a target of this architecture"

var moreProfile = sync.OnceValue(func() *target.Profile {
	p, err := target.ReadFile(moreTarget)
	if err != nil {
		panic(fmt.Sprintf("%s: %v", moreTarget, err))
	}
	return p
})

func TestTetragonMore(t *testing.T) {
	if offlineInVM(t) {
		return
	}
	want, err := readMoreExpectations(moreExpectations)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(moreDir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) < 70 {
		t.Fatalf("%d policies in %s, expected 70 at least", len(files), moreDir)
	}
	seen := map[string]bool{}
	var loads, refused, disagreeX86, disagreeArm int
	for _, path := range files {
		name := filepath.Base(path)
		seen[name] = true
		w := want[name]
		if w == nil {
			t.Errorf("%s has no line in %s: say whether Tetragon loads it", name, moreExpectations)
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "# from cilium/tetragon ") {
			t.Errorf("%s: the first line must say where it is from (# from cilium/tetragon PATH)", name)
		}
		if w.loads {
			loads++
		} else {
			refused++
		}
		for _, a := range []arch.Arch{arch.X86_64, arch.ARM64} {
			tetragonLoads, disagree := w.loads, w.disagree
			if a == arch.ARM64 {
				disagree = w.disagreeArm64
				if w.arm64 != nil {
					tetragonLoads = *w.arm64
				}
			}
			var polcErr string
			if w.onKernel && !tetragonLoads {
				if a != arch.X86_64 {
					continue // the kernel profile is x86_64's
				}
				polcErr = buildMore(name, data, a, moreProfile())
			} else {
				polcErr = buildMore(name, data, a, nil)
			}
			if polcErr == moreNoTarget {
				continue
			}
			agree := (polcErr == "") == tetragonLoads
			switch {
			case agree && disagree != "":
				t.Errorf("%s (%s, %s:%d): polc now does what Tetragon does (%s); remove \"disagree: %s\"",
					name, a, moreExpectations, w.line, outcomeWord(polcErr), disagree)
			case !agree && disagree == "":
				t.Errorf("%s (%s, %s:%d): Tetragon %s it, polc %s",
					name, a, moreExpectations, w.line, map[bool]string{true: "loads", false: "refuses"}[tetragonLoads], outcomeWord(polcErr))
			case !agree:
				if a == arch.X86_64 {
					disagreeX86++
				} else {
					disagreeArm++
				}
				t.Logf("known disagreement, %s on %s: %s (polc: %s)", name, a, disagree, outcomeWord(polcErr))
			}
		}
	}
	for name, w := range want {
		if !seen[name] {
			t.Errorf("%s:%d: %s is not in %s", moreExpectations, w.line, name, moreDir)
		}
	}
	t.Logf("%d policies: Tetragon loads %d, refuses %d; polc disagrees on %d (x86_64) and %d (arm64)",
		len(files), loads, refused, disagreeX86, disagreeArm)
}

func outcomeWord(polcErr string) string {
	if polcErr == "" {
		return "builds it"
	}
	return "refuses it: " + polcErr
}
