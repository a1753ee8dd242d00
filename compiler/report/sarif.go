package report

import (
	"cmp"
	"io"
	"slices"

	"github.com/polc-dev/polc/compiler"
)

const (
	sarifSchema    = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	informationURI = "https://github.com/polc-dev/polc"
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
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
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
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID     string          `json:"ruleId"`
		RuleIndex  int             `json:"ruleIndex"`
		Level      string          `json:"level"`
		Message    sarifMessage    `json:"message"`
		Locations  []sarifLocation `json:"locations"`
		Properties *sarifProps     `json:"properties,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           sarifRegion           `json:"region"`
	}
	sarifArtifactLocation struct {
		URI string `json:"uri"`
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
	for _, d := range ds {
		r := sarifResult{
			RuleID:    d.Code,
			RuleIndex: index[d.Code],
			Level:     sarifLevel(d.Severity),
			Message:   sarifMessage{Text: cmp.Or(withHint(d, " — hint: "), d.Code)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: uri(d.Pos.File)},
				Region:           sarifRegionOf(spanOf(d)),
			}}},
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
		rules = append(rules, sarifRule{ID: code, ShortDescription: sarifMessage{Text: cmp.Or(summary, code)}})
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
