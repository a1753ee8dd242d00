package report

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/polc-dev/polc/compiler"
)

func decodeSARIF(t *testing.T, out []byte) sarifRun {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs", len(log.Runs))
	}
	return log.Runs[0]
}

// TestSARIFRoot: with a root, files under it are named relative to it with
// the SRCROOT base, whatever the path polc was given; files elsewhere keep
// an absolute file: URI; the run says where SRCROOT was. The output still
// passes the SARIF schema.
func TestSARIFRoot(t *testing.T) {
	d := func(file string) compiler.Diagnostic {
		return compiler.Diagnostic{Code: "bad-operator", Severity: compiler.Error, Pos: compiler.Pos{File: file, Line: 3, Col: 5}, Msg: "m"}
	}
	res := &compiler.Result{Diagnostics: []compiler.Diagnostic{
		d("/repo/policies/sub/x.yaml"),
		d("/repo/policies/../other/y.yaml"),
		d("/elsewhere/z.yaml"),
		d(compiler.StdinName),
	}}
	out := write(t, SARIF, res, Options{Root: "/repo"})
	run := decodeSARIF(t, out)
	if got := run.OriginalURIBaseIDs[srcRoot].URI; got != "file:///repo/" {
		t.Errorf("originalUriBaseIds.SRCROOT = %q, want file:///repo/", got)
	}
	want := map[sarifArtifactLocation]bool{
		{URI: "policies/sub/x.yaml", URIBaseID: srcRoot}: true,
		{URI: "other/y.yaml", URIBaseID: srcRoot}:        true,
		{URI: "file:///elsewhere/z.yaml"}:                true,
		{URI: "stdin"}:                                   true,
	}
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if !want[loc] {
			t.Errorf("unexpected artifact location %+v", loc)
		}
		delete(want, loc)
	}
	if len(want) > 0 {
		t.Errorf("missing artifact locations %+v", want)
	}
	var doc any
	json.Unmarshal(out, &doc)
	if err := sarifValidator(t).Validate(doc); err != nil {
		t.Errorf("SARIF with a root fails the schema: %#v", err)
	}
}

// TestSARIFFingerprints: a comment line added above a policy moves every
// finding one line down and changes no fingerprint; two equal findings in
// one file have different fingerprints.
func TestSARIFFingerprints(t *testing.T) {
	const policy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: p
spec:
  kprobes:
  - call: fd_install
    syscall: false
    args:
    - index: 0
      type: int
    selectors:
    - matchArgs:
      - index: 0
        operator: Equals
        values: ["1"]
    - matchArgs:
      - index: 0
        operator: Equals
        values: ["1"]
`
	prints := func(src string) (lines []int, fps []string) {
		res := compiler.Check([]*compiler.Source{compiler.NewSource("p.yaml", []byte(src))}, compiler.Options{Lint: true})
		run := decodeSARIF(t, write(t, SARIF, res, Options{}))
		for _, r := range run.Results {
			lines = append(lines, r.Locations[0].PhysicalLocation.Region.StartLine)
			fps = append(fps, r.PartialFingerprints[fingerprintKey])
		}
		return lines, fps
	}
	lines, fps := prints(policy)
	movedLines, movedFps := prints("# a comment\n" + policy)
	if len(fps) < 2 {
		t.Fatalf("%d results on the policy, want the two bad operators at least", len(fps))
	}
	for i := range fps {
		if movedLines[i] != lines[i]+1 {
			t.Errorf("result %d: line %d after the comment, was %d", i, movedLines[i], lines[i])
		}
		if movedFps[i] != fps[i] {
			t.Errorf("result %d: fingerprint %s after the comment, was %s", i, movedFps[i], fps[i])
		}
	}
	seen := map[string]bool{}
	for _, fp := range fps {
		if seen[fp] {
			t.Errorf("fingerprint %s given twice", fp)
		}
		seen[fp] = true
	}
}

// TestSARIFRules: every rule says where it is documented; the codes scored
// as weakening enforcement exist and carry GitHub's security tag and a
// score in range.
func TestSARIFRules(t *testing.T) {
	known := map[string]bool{}
	for _, c := range compiler.Codes() {
		known[c.Code] = true
	}
	for code, sev := range SecuritySeverity {
		if !known[code] {
			t.Errorf("SecuritySeverity scores %q, which is not a compiler code", code)
		}
		if f, err := strconv.ParseFloat(sev, 64); err != nil || f < 0 || f > 10 {
			t.Errorf("%s: security-severity %q is not a score from 0.0 to 10.0", code, sev)
		}
	}
	run := decodeSARIF(t, write(t, SARIF, &compiler.Result{}, Options{Rules: compilerRules()}))
	if len(run.Tool.Driver.Rules) != len(known) {
		t.Errorf("%d rules for %d codes", len(run.Tool.Driver.Rules), len(known))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.HelpURI != DiagnosticsDoc+"#"+r.ID || !strings.Contains(r.Help.Markdown, r.HelpURI) || r.FullDescription.Text == "" {
			t.Errorf("rule %s: helpUri %q, help %q, fullDescription %q", r.ID, r.HelpURI, r.Help.Markdown, r.FullDescription.Text)
		}
		_, scored := SecuritySeverity[r.ID]
		if scored != (r.Properties != nil && r.Properties.SecuritySeverity != "" && len(r.Properties.Tags) == 1 && r.Properties.Tags[0] == "security") {
			t.Errorf("rule %s: properties %+v, scored %v", r.ID, r.Properties, scored)
		}
	}
}
