package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// TestLowerPositions: after every pass, every IR node points at the YAML
// node it came from: a hook at its kprobes/tracepoints/... entry, a test at
// its filter entry of the right kind, an action at its matchActions entry,
// and so on (cf. OPA's TestPlannerLocations).
func TestLowerPositions(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.yaml"))
	corpus, _ := filepath.Glob(filepath.Join(corpusDir(), "*.y*ml"))
	files = append(files, corpus...)
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res := Check([]*Source{NewSource(f, data)}, Options{})
		for _, pol := range res.Policies {
			at := nodePaths(pol.Doc)
			passesSeen := 0
			_, diags := Lower(pol, LowerOptions{Verify: true, AfterPass: func(pass string, p *ir.Policy) {
				passesSeen++
				for _, problem := range checkPositions(p, f, at) {
					t.Errorf("%s after %s: %s", filepath.Base(f), pass, problem)
				}
				checked++
			}})
			if Count(diags, Error) == 0 && passesSeen != len(passes) {
				t.Errorf("%s: AfterPass ran %d times for %d passes", f, passesSeen, len(passes))
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked only %d policy stages", checked)
	}
}

// nodePaths maps each line:col of a document to the YAML paths of the nodes
// starting there (a mapping and its first key share a position).
func nodePaths(doc *Document) map[string][]string {
	out := map[string][]string{}
	for n, p := range doc.ix.path {
		k := fmt.Sprintf("%d:%d", n.Line, n.Column)
		out[k] = append(out[k], string(p))
	}
	return out
}

var (
	hookPath = map[ir.HookKind]string{
		ir.HookKprobe: "kprobes", ir.HookTracepoint: "tracepoints", ir.HookRawTracepoint: "tracepoints",
		ir.HookUprobe: "uprobes", ir.HookLSM: "lsmhooks", ir.HookUSDT: "usdts",
	}
	testPath = map[ir.TestKind]string{
		ir.TestArg: "(matchArgs|matchData)", ir.TestReturn: "matchReturnArgs", ir.TestPID: "matchPIDs",
		ir.TestBinary: "matchBinaries", ir.TestNamespace: "matchNamespaces", ir.TestCaps: "matchCapabilities",
		ir.TestNSChange: "matchNamespaceChanges", ir.TestCapChange: "matchCapabilityChanges",
		ir.TestParentBinary: "matchParentBinaries",
	}
	selectorRE = `^spec\.\w+\[\d+\]\.selectors\[\d+\]$`
	argRE      = `^spec\.\w+\[\d+\]\.(args\[\d+\]|data\[\d+\]|returnArg)$`
	actionRE   = `^spec\.\w+\[\d+\]\.selectors\[\d+\]\.match(Return)?Actions\[\d+\]$`
	enforcerRE = `^spec\.enforcers\[\d+\]\.calls\[\d+\]$`
)

var patterns = map[string]*regexp.Regexp{}

func checkPositions(p *ir.Policy, file string, at map[string][]string) []string {
	var problems []string
	check := func(what string, pos ir.Pos, pattern string) {
		if pos.File != file || pos.Line == 0 {
			problems = append(problems, fmt.Sprintf("%s has position %s", what, pos))
			return
		}
		re, ok := patterns[pattern]
		if !ok {
			re = regexp.MustCompile(pattern)
			patterns[pattern] = re
		}
		for _, path := range at[fmt.Sprintf("%d:%d", pos.Line, pos.Col)] {
			if re.MatchString(path) {
				return
			}
		}
		problems = append(problems, fmt.Sprintf("%s at %s, where the YAML has %q, not %s", what, pos, at[fmt.Sprintf("%d:%d", pos.Line, pos.Col)], pattern))
	}
	check("policy", p.Pos, `^$`)
	for _, e := range p.Enforcers {
		check("enforcer "+e.Target, e.Pos, enforcerRE)
	}
	for _, h := range p.Hooks {
		hw := fmt.Sprintf("hook %d", h.ID)
		check(hw, h.Pos, fmt.Sprintf(`^spec\.%s\[\d+\]$`, hookPath[h.Kind]))
		for _, a := range h.Args {
			check(fmt.Sprintf("%s arg %d", hw, a.Slot), a.Pos, argRE)
		}
		if h.Ret != nil {
			check(hw+" return value", h.Ret.Pos, `\.returnArg$`)
		}
		for _, s := range h.Selectors {
			sw := fmt.Sprintf("%s selector %d", hw, s.Index)
			check(sw, s.Pos, selectorRE)
			for _, t := range append(append([]*ir.Test(nil), s.Tests...), s.ReturnTests...) {
				check(fmt.Sprintf("%s %s test", sw, t.Kind), t.Pos,
					fmt.Sprintf(`^spec\.\w+\[\d+\]\.selectors\[\d+\]\.%s\[\d+\]$`, testPath[t.Kind]))
			}
			for _, a := range append(append([]*ir.Action(nil), s.Actions...), s.ReturnActions...) {
				// The default Post stands at its selector.
				check(fmt.Sprintf("%s %s action", sw, a.Kind), a.Pos, actionRE+"|"+selectorRE)
			}
		}
	}
	for _, m := range p.Maps {
		check("map "+m.Name, m.Pos, `^spec\.(\w+\[\d+\]|enforcers\[\d+\]\.calls\[\d+\]|\w+\[\d+\]\.(args\[\d+\]|selectors\[\d+\]\.\w+\[\d+\]))$`)
	}
	return problems
}
