package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/polc-dev/polc/compiler"
)

const (
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	informationURI = "https://github.com/polc-dev/polc"
	// DiagnosticsDoc is where each code is described: a rule's helpUri is
	// this with "#CODE" (docs/diagnostics.md has an anchor per code).
	DiagnosticsDoc = informationURI + "/blob/main/docs/diagnostics.md"
	// srcRoot is the uriBaseId of files under Options.Root.
	srcRoot = "SRCROOT"
	// fingerprintKey names polc's partial fingerprint (SARIF §3.27.17).
	fingerprintKey = "polc/v1"
)

// The SARIF 2.1.0 objects polc fills in (OASIS SARIF 2.1.0, §3.13 on),
// in the order they are written.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool sarifTool `json:"tool"`
		// Columns count code points, like yaml.v3's; the SARIF default is
		// UTF-16 code units.
		ColumnKind string `json:"columnKind"`
		// OriginalURIBaseIDs says where SRCROOT was on the machine that
		// ran polc; consumers (GitHub code scanning) resolve it against
		// their checkout instead.
		OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult                    `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string          `json:"id"`
		ShortDescription sarifMessage    `json:"shortDescription"`
		FullDescription  sarifMessage    `json:"fullDescription"`
		HelpURI          string          `json:"helpUri"`
		Help             sarifMessage    `json:"help"`
		Properties       *sarifRuleProps `json:"properties,omitempty"`
	}
	// sarifRuleProps: GitHub code scanning shows a rule with tag
	// "security" and a security-severity (a score from 0.0 to 10.0, as a
	// string) as a security alert of that severity.
	sarifRuleProps struct {
		Tags             []string `json:"tags,omitempty"`
		SecuritySeverity string   `json:"security-severity,omitempty"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations"`
		// PartialFingerprints identify a result across runs whatever
		// lines were added or removed around it (see fingerprint).
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          *sarifProps       `json:"properties,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           sarifRegion           `json:"region"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	// sarifRegion: columns are 1-based, endColumn exclusive; absent
	// columns mean whole lines.
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
	sarifProps struct {
		YAMLPath string `json:"yamlPath"`
	}
)

func writeSARIF(w io.Writer, res *compiler.Result, opts Options) error {
	ds := sorted(res)
	rules, index := sarifRules(opts.Rules, ds)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "polc",
			InformationURI: informationURI,
			Version:        opts.ToolVersion,
			Rules:          rules,
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    make([]sarifResult, 0, len(ds)),
	}
	if opts.Root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: {URI: dirURI(opts.Root)}}
	}
	seen := map[string]int{}
	for _, d := range ds {
		loc := artifactLocation(d.Pos.File, opts.Root)
		r := sarifResult{
			RuleID:    d.Code,
			RuleIndex: index[d.Code],
			Level:     sarifLevel(d.Severity),
			Message:   sarifMessage{Text: cmp.Or(withHint(d, " — hint: "), d.Code)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: loc,
				Region:           sarifRegionOf(spanOf(d)),
			}}},
			PartialFingerprints: map[string]string{fingerprintKey: fingerprint(d, loc.URI, seen)},
		}
		if d.Path != "" {
			r.Properties = &sarifProps{YAMLPath: d.Path}
		}
		run.Results = append(run.Results, r)
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifRules lists the known rules in the order given, so that rule
// indexes stay put from one run to the next, then any code the
// diagnostics use that the list lacks, sorted.
func sarifRules(known []Rule, ds []compiler.Diagnostic) ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := map[string]int{}
	add := func(code, summary string) {
		if _, dup := index[code]; dup {
			return
		}
		index[code] = len(rules)
		rules = append(rules, sarifRuleOf(code, summary))
	}
	for _, r := range known {
		if r.Code != "" {
			add(r.Code, r.Summary)
		}
	}
	var extra []string
	for _, d := range ds {
		if _, ok := index[d.Code]; !ok {
			extra = append(extra, d.Code)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		add(code, "")
	}
	if rules == nil {
		rules = []sarifRule{}
	}
	return rules, index
}

func sarifLevel(s compiler.Severity) string {
	switch s {
	case compiler.Error:
		return "error"
	case compiler.Warning:
		return "warning"
	}
	return "note"
}

// sarifRegionOf maps a span to a region. A whole-file diagnostic points at
// line 1: GitHub code scanning refuses results without a start line.
func sarifRegionOf(sp span) sarifRegion {
	if sp.Line == 0 {
		return sarifRegion{StartLine: 1}
	}
	return sarifRegion{StartLine: sp.Line, StartColumn: sp.Col, EndLine: sp.EndLine, EndColumn: sp.EndCol}
}

// sarifRuleOf describes a code for code scanning: its summary, a pointer to
// its entry in docs/diagnostics.md, and for codes whose findings mean a
// policy enforces or watches less than it says, a security severity.
func sarifRuleOf(code, summary string) sarifRule {
	summary = cmp.Or(summary, code)
	help := DiagnosticsDoc + "#" + code
	r := sarifRule{
		ID:               code,
		ShortDescription: sarifMessage{Text: summary},
		FullDescription:  sarifMessage{Text: fmt.Sprintf("polc %s: %s.", code, summary)},
		HelpURI:          help,
		Help: sarifMessage{
			Text:     fmt.Sprintf("%s. See %s for what the code means and how to fix it.", summary, help),
			Markdown: fmt.Sprintf("**%s**: %s.\n\nSee [the list of polc diagnostics](%s) for what the code means and how to fix it.", code, summary, help),
		},
	}
	if sev, ok := SecuritySeverity[code]; ok {
		r.Properties = &sarifRuleProps{Tags: []string{"security"}, SecuritySeverity: sev}
	}
	return r
}

// SecuritySeverity scores the codes whose findings weaken what a policy
// enforces or observes, on GitHub's scale (over 9.0 critical, 7.0 to 8.9
// high, 4.0 to 6.9 medium, under 4.0 low): a selector that matches every
// call or none, an action or hook that will not run, an argument read
// wrongly, a policy Tetragon would run differently.
var SecuritySeverity = map[string]string{
	"empty-selector":           "7.5",
	"never-matches":            "7.5",
	"never-fires":              "7.5",
	"unreachable-selector":     "5.0",
	"missing-values":           "7.5",
	"override-not-possible":    "7.5",
	"override-on-return":       "7.5",
	"override-needs-injection": "6.5",
	"unsupported-by-target":    "7.5",
	"k8s-selector":             "6.5",
	"ignored-field":            "5.0",
	"unknown-option":           "5.0", // a misspelled policy-mode leaves the policy enforcing
	"duplicate-option":         "4.0",
	"syscall-flag-missing":     "6.5",
	"not-a-syscall":            "6.5",
	"arg-type-mismatch":        "6.5",
	"arg-type-suspect":         "4.0",
	"compat-selectors":         "5.0",
	"compat-args":              "5.0",
	"compat-matchargs":         "5.0",
	"compat-values":            "5.0",
	"compat-prefix":            "5.0",
	"compat-postfix":           "5.0",
	"compat-namespaces":        "5.0",
	"compat-binaries":          "5.0",
	"compat-actions":           "5.0",
	"compat-tags":              "3.0",
}

// fingerprint identifies a result by what it says and where in the
// document, never by line: the rule, the file, the YAML path and the
// message, and which of equal results it is (seen counts them). Adding a
// comment above a policy leaves every fingerprint as it was.
func fingerprint(d compiler.Diagnostic, uri string, seen map[string]int) string {
	h := sha256.New()
	for _, part := range []string{d.Code, uri, d.Path, d.Msg} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	key := hex.EncodeToString(h.Sum(nil)[:16])
	seen[key]++
	return fmt.Sprintf("%s:%d", key, seen[key])
}

// artifactLocation names a diagnosed file for SARIF: relative to root with
// the SRCROOT base when the file is under root (whatever directory polc
// ran in), else as uri does.
func artifactLocation(name, root string) sarifArtifactLocation {
	if root == "" || name == compiler.StdinName {
		return sarifArtifactLocation{URI: uri(name)}
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return sarifArtifactLocation{URI: uri(name)}
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return sarifArtifactLocation{URI: uri(abs)}
	}
	return sarifArtifactLocation{URI: escapePath(filepath.ToSlash(rel)), URIBaseID: srcRoot}
}

// dirURI is an absolute directory's file: URI, ending in '/' as SARIF
// requires of a base.
func dirURI(dir string) string {
	u := uri(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
