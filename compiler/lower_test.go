package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

const simplePolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: simple
spec:
  kprobes:
  - call: "fd_install"
    args:
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values: ["/etc/passwd"]
`

func checked(t *testing.T, src string) *Policy {
	t.Helper()
	res := Check([]*Source{NewSource("p.yaml", []byte(src))}, Options{})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("does not check: %v", res.Diagnostics)
	}
	return res.Policies[0]
}

// TestLowerPassFailures: a pass that panics, or one that breaks the IR, is
// reported as an internal error naming it; lowering stops there.
func TestLowerPassFailures(t *testing.T) {
	pol := checked(t, simplePolicy)
	for _, tc := range []struct {
		name  string
		pass  func(*lowering)
		want  string
		after []string
	}{
		{"panic", func(*lowering) { var m map[string]int; m["x"]++ }, `lowering pass "boom" failed: assignment to entry in nil map`, []string{"build"}},
		{"nil policy", func(l *lowering) { l.p.Hooks[0].Selectors[0].Tests[0] = nil }, `lowering pass "boom" broke the IR: ir: hook 0 (kprobe fd_install) selector 0 test 0: nil test`, []string{"build"}},
		{"out of range", func(l *lowering) { l.p.Hooks[0].Selectors[0].Tests[0].Slot = 9 }, `broke the IR: ir: hook 0 (kprobe fd_install) selector 0 test 0: slot 9 out of range`, []string{"build"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			table := []lowerPass{passes[0], {"boom", tc.pass, ir.StageBuilt}, passes[1]}
			var ran []string
			p, diags := lower(pol, LowerOptions{Verify: true, AfterPass: func(pass string, _ *ir.Policy) { ran = append(ran, pass) }}, table)
			if p != nil || len(diags) != 1 || diags[0].Code != "internal" || diags[0].Severity != Error || !strings.Contains(diags[0].Msg, tc.want) {
				t.Errorf("got %v, %v; want an internal error %q", p, diags, tc.want)
			}
			if !slices.Equal(ran, tc.after) {
				t.Errorf("passes run: %v, want %v", ran, tc.after)
			}
		})
	}
	// Without Verify between passes, the final verification still catches it.
	table := []lowerPass{passes[0], {"boom", func(l *lowering) { l.p.Hooks[0].Selectors[0].Tests[0].Slot = 9 }, ir.StageBuilt}}
	if p, diags := lower(pol, LowerOptions{}, table); p != nil || len(diags) != 1 || !strings.Contains(diags[0].Msg, "lowered IR is invalid") {
		t.Errorf("final verification: got %v, %v", p, diags)
	}
	if p, diags := Lower(nil, LowerOptions{}); p != nil || len(diags) != 1 || diags[0].Code != "internal" {
		t.Errorf("nil policy: %v %v", p, diags)
	}
	if p, diags := Lower(pol, LowerOptions{Arch: "mips"}); p != nil || len(diags) != 1 || !strings.Contains(diags[0].Msg, "mips") {
		t.Errorf("bad arch: %v %v", p, diags)
	}
}

// TestLowerErrors: what the IR cannot represent, or what needs a target,
// is an error at the YAML that asks for it.
func TestLowerErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		code string
		line int
		msg  string
	}{
		{"generated_ftrace needs a target", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: ftrace
spec:
  lists:
  - name: "ksys"
    type: "generated_ftrace"
    pattern: "^ksys_"
  kprobes:
  - call: "list:ksys"
`, "needs-target", 9, `list "ksys" (pattern "^ksys_") needs a target kernel to expand`},
		{"Set on an undeclared argument", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: usdt
spec:
  usdts:
  - path: "/bin/app"
    provider: "p"
    name: "n"
    args:
    - index: 0
      type: "int32"
    selectors:
    - matchActions:
      - action: Set
        argIndex: 3
        argValue: 1
`, "unknown-arg", 16, "argIndex 3 refers to no declared argument"},
		{"CapabilitiesGained on undeclared arguments", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: caps
spec:
  kprobes:
  - call: "commit_creds"
    args:
    - index: 0
      type: "cap_effective"
    selectors:
    - matchArgs:
      - index: 0
        operator: "CapabilitiesGained"
        args: [0, 5]
`, "bad-arg-type", 15, "args entry 5 is not the position of a capability set argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pol := checked(t, tc.src)
			p, diags := Lower(pol, LowerOptions{Verify: true})
			if p != nil {
				t.Errorf("lowered despite the error")
			}
			found := false
			for _, d := range diags {
				if d.Code == tc.code && d.Severity == Error && d.Pos.Line == tc.line && strings.Contains(d.Msg, tc.msg) && d.Path != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s error on line %d with %q; got %v", tc.code, tc.line, tc.msg, diags)
			}
		})
	}
}

// TestLowerNoLimits: none of the limits of the specification's
// "Limitations" section (8 selectors, 4 PIDs, 5 matchArgs, 1 value) holds.
func TestLowerNoLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: big\nspec:\n  lsmhooks:\n  - hook: \"many\"\n    args:\n")
	for i := range 12 {
		fmt.Fprintf(&b, "    - index: %d\n      type: \"int64\"\n", i)
	}
	b.WriteString("    selectors:\n")
	const selectors, pids, values = 100, 50, 1000
	for s := range selectors {
		fmt.Fprintf(&b, "    - matchPIDs:\n      - operator: NotIn\n        values: [")
		for p := range pids {
			fmt.Fprintf(&b, "%d, ", 1000*s+p+1)
		}
		b.WriteString("1]\n      matchArgs:\n")
		for a := range 12 {
			fmt.Fprintf(&b, "      - index: %d\n        operator: NotEqual\n        values: [", a)
			for v := range 10 {
				fmt.Fprintf(&b, "\"%d\", ", s*values+a*100+v)
			}
			b.WriteString("\"-1\"]\n")
		}
		// One more filter on the same argument: 13 matchArgs. (Not in
		// every selector: the checker refuses documents of more than
		// 100000 YAML nodes.)
		n := 10
		if s == selectors-1 {
			n = values
		}
		fmt.Fprintf(&b, "      - index: 0\n        operator: InMap\n        values: [")
		for v := range n {
			fmt.Fprintf(&b, "\"%d\", ", v)
		}
		b.WriteString("\"-5\", \"999\"]\n")
	}
	pol := checked(t, b.String())
	p, diags := Lower(pol, LowerOptions{})
	if p == nil {
		t.Fatalf("does not lower: %v", diags)
	}
	h := p.Hooks[0]
	if len(h.Selectors) != selectors {
		t.Fatalf("%d selectors", len(h.Selectors))
	}
	s := h.Selectors[selectors-1]
	if len(s.Tests) != 14 {
		t.Errorf("last selector has %d tests, want 14", len(s.Tests))
	}
	var inMap *ir.Test
	for _, t := range s.Tests {
		if t.Op == ir.OpInMap {
			inMap = t
		}
	}
	if inMap == nil || inMap.Map == nil || len(inMap.Map.Values) != values+1 { // 999 is among the values
		t.Fatalf("InMap values: %v", inMap)
	}
	ev := &ir.Event{Args: make([]ir.ArgValue, 12), Process: ir.Process{PID: 7}}
	ev.Args[0].Int = 999
	res, err := ir.Eval(h, ev)
	// PID 7 is among selector 0's NotIn PIDs; selector 1 lets it through.
	if err != nil || res.Selector == nil || res.Selector.Index != 1 {
		t.Errorf("Eval: %v %v", res.Selector, err)
	}
	ev.Process.PID = 1
	if res, err := ir.Eval(h, ev); err != nil || res.Matched {
		t.Errorf("PID 1 is in every selector's NotIn: %v %v", res.Selector, err)
	}
}

// FuzzLower: whatever checks without errors lowers without an internal
// error (a panic or an IR the verifier refuses).
func FuzzLower(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(goldenDir, "*.yaml"))
	more, _ := filepath.Glob("../testdata/validate/*.yaml")
	corpus, _ := filepath.Glob(filepath.Join(corpusDir(), "*.y*ml"))
	for _, p := range append(append(seeds, more...), corpus...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Check([]*Source{NewSource("fuzz.yaml", data)}, Options{})
		for _, pol := range res.Policies {
			_, diags := Lower(pol, LowerOptions{Verify: true})
			for _, d := range diags {
				if d.Code == "internal" {
					t.Errorf("%s", d)
				}
			}
		}
	})
}
