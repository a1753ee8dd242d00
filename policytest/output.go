package policytest

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
)

// Format names an output format of polc test.
type Format string

// The formats Write knows.
const (
	Text  Format = "text"
	JSON  Format = "json"
	JUnit Format = "junit"
	SARIF Format = "sarif"
)

// ParseFormat turns an -o value into a Format.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case Text, JSON, JUnit, SARIF:
		return f, nil
	}
	return "", fmt.Errorf("unknown output format %q: want text, json, junit or sarif", s)
}

// WriteOptions tune Write.
type WriteOptions struct {
	Verbose     bool          // text: a line for every case, passed ones too
	Color       bool          // text: color the diagnostics
	ToolVersion string        // SARIF
	Rules       []report.Rule // SARIF
}

// Write writes rep to w in format f.
func Write(w io.Writer, f Format, rep *Report, opts WriteOptions) error {
	bw := bufio.NewWriter(w)
	var err error
	switch f {
	case Text:
		err = writeText(bw, rep, opts)
	case JSON:
		err = writeJSON(bw, rep)
	case JUnit:
		err = writeJUnit(bw, rep)
	case SARIF:
		err = report.Write(bw, report.SARIF, Diagnostics(rep), report.Options{ToolVersion: opts.ToolVersion, Rules: opts.Rules})
	default:
		err = fmt.Errorf("unknown format %q", f)
	}
	if err != nil {
		return fmt.Errorf("policytest: write: %w", err)
	}
	return bw.Flush()
}

// Diagnostics returns everything rep found as diagnostics: those of the
// suites, and one "test-failed" error per failed case at its line.
func Diagnostics(rep *Report) *compiler.Result {
	res := &compiler.Result{}
	for _, s := range rep.Suites {
		res.Sources = append(res.Sources, s.Sources...)
		res.Diagnostics = append(res.Diagnostics, s.Diagnostics...)
		for _, r := range s.Results {
			if r.Passed {
				continue
			}
			msg := fmt.Sprintf("case %s fails: %s", r.Name, failureSummary(r))
			res.Diagnostics = append(res.Diagnostics, compiler.Diagnostic{Code: "test-failed", Severity: compiler.Error,
				Pos: r.Case.Pos, Msg: msg, Hint: "polc test shows the difference (-want +got)"})
		}
	}
	res.Diagnostics = compiler.SortDiagnostics(res.Diagnostics)
	return res
}

// failureSummary says in one line how a case failed.
func failureSummary(r *Result) string {
	if r.Err != "" {
		return r.Err
	}
	var parts []string
	if r.Kernel != nil && r.Kernel.Mismatch != "" {
		parts = append(parts, "in the kernel: "+r.Kernel.Mismatch)
	}
	if r.Want.Selector != r.Got.Selector {
		parts = append(parts, fmt.Sprintf("selector %s, want %s", r.Got.Selector, r.Want.Selector))
	}
	list := func(p *[]string) string {
		if p == nil {
			return "-"
		}
		return "[" + strings.Join(*p, " ") + "]"
	}
	if list(r.Want.Actions) != list(r.Got.Actions) {
		parts = append(parts, fmt.Sprintf("actions %s, want %s", list(r.Got.Actions), list(r.Want.Actions)))
	}
	if list(r.Want.ReturnActions) != list(r.Got.ReturnActions) {
		parts = append(parts, fmt.Sprintf("returnActions %s, want %s", list(r.Got.ReturnActions), list(r.Want.ReturnActions)))
	}
	if r.Want.Posted != nil && r.Got.Posted != nil && *r.Want.Posted != *r.Got.Posted {
		parts = append(parts, fmt.Sprintf("posted %v, want %v", *r.Got.Posted, *r.Want.Posted))
	}
	return strings.Join(parts, "; ")
}

// writeText prints as go test does: a "--- FAIL" block per failed case,
// then "ok" or "FAIL" per test file, then the totals.
func writeText(w io.Writer, rep *Report, opts WriteOptions) error {
	for _, s := range rep.Suites {
		if len(s.Diagnostics) > 0 {
			res := &compiler.Result{Sources: s.Sources, Diagnostics: s.Diagnostics}
			if err := report.Write(w, report.Text, res, report.Options{Color: opts.Color, NoSummary: true}); err != nil {
				return err
			}
		}
		for _, r := range s.Results {
			switch {
			case !r.Passed:
				fmt.Fprintf(w, "--- FAIL: %s (%s)\n", r.Name, r.Case.Pos)
				if r.Err != "" {
					fmt.Fprintf(w, "    %s\n", r.Err)
				} else if r.Diff == "" {
					fmt.Fprintf(w, "    %s\n", failureSummary(r))
				} else {
					fmt.Fprintf(w, "    %s\n    expected outcome differs (-want +got):\n", failureSummary(r))
					for _, line := range strings.Split(strings.TrimRight(r.Diff, "\n"), "\n") {
						fmt.Fprintf(w, "    %s\n", line)
					}
				}
			case opts.Verbose:
				fmt.Fprintf(w, "--- PASS: %s (%s)\n", r.Name, r.Case.Pos)
			}
			if opts.Verbose && r.Kernel != nil && r.Kernel.Skipped != "" {
				fmt.Fprintf(w, "    kernel: not run: %s\n", r.Kernel.Skipped)
			}
		}
		status := "ok  "
		if !s.OK() {
			status = "FAIL"
		}
		name := s.Policy
		if name == "" {
			name = "?"
		}
		line := fmt.Sprintf("%s\t%s\t%s", status, name, s.File)
		if s.Coverage != nil {
			line += fmt.Sprintf("\tcoverage: %.1f%% of selectors, %d/%d values", s.Coverage.Percent(), s.Coverage.ValuesHit, s.Coverage.Values)
		}
		fmt.Fprintln(w, line)
		if s.Coverage != nil {
			for _, m := range s.Coverage.Missed {
				fmt.Fprintf(w, "    not covered: %s\n", m)
			}
		}
	}
	if len(rep.Suites) == 0 {
		fmt.Fprintln(w, "no test files (NAME_test.yaml beside NAME.yaml)")
	}
	if ran, notRun := rep.KernelCounts(); ran+notRun > 0 {
		fmt.Fprintf(w, "kernel: %d cases ran through the generated programs, %d could not (-v says why)\n", ran, notRun)
	}
	_, err := fmt.Fprintf(w, "%d passed, %d failed\n", rep.Passed(), rep.Failed())
	return err
}

// The JSON document of polc test -o json. Field order is part of the
// format.
type jsonReport struct {
	Suites  []jsonSuite `json:"suites"`
	Passed  int         `json:"passed"`
	Failed  int         `json:"failed"`
	Errored int         `json:"errored"` // suites that could not run all their cases
}

type jsonSuite struct {
	File        string           `json:"file"`
	PolicyFile  string           `json:"policyFile,omitempty"`
	Policy      string           `json:"policy,omitempty"`
	OK          bool             `json:"ok"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Cases       []jsonCase       `json:"cases"`
	Coverage    *jsonCoverage    `json:"coverage,omitempty"`
}

type jsonDiagnostic struct {
	Code    string `json:"code"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

type jsonCase struct {
	Name   string   `json:"name"`
	File   string   `json:"file"`
	Line   int      `json:"line"`
	Column int      `json:"column"`
	Passed bool     `json:"passed"`
	Want   *Outcome `json:"want,omitempty"`
	Got    *Outcome `json:"got,omitempty"`
	Diff   string   `json:"diff,omitempty"`
	Error  string   `json:"error,omitempty"`
	// Kernel is the run through the generated program (--kernel).
	Kernel *KernelOutcome `json:"kernel,omitempty"`
}

type jsonCoverage struct {
	Selectors int        `json:"selectors"`
	Covered   int        `json:"covered"`
	Values    int        `json:"values"`
	ValuesHit int        `json:"valuesHit"`
	Missed    []jsonMiss `json:"missed"`
}

type jsonMiss struct {
	Hook     string `json:"hook"`
	Selector int    `json:"selector"`
	Value    string `json:"value,omitempty"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

func writeJSON(w io.Writer, rep *Report) error {
	doc := jsonReport{Suites: []jsonSuite{}, Passed: rep.Passed(), Failed: rep.Failed()}
	for _, s := range rep.Suites {
		js := jsonSuite{File: s.File, PolicyFile: s.PolicyFile, Policy: s.Policy, OK: s.OK(),
			Diagnostics: []jsonDiagnostic{}, Cases: []jsonCase{}}
		if compiler.Count(s.Diagnostics, compiler.Error) > 0 {
			doc.Errored++
		}
		for _, d := range s.Diagnostics {
			js.Diagnostics = append(js.Diagnostics, jsonDiagnostic{Code: d.Code, File: d.Pos.File, Line: d.Pos.Line,
				Column: d.Pos.Col, Message: d.Msg, Hint: d.Hint})
		}
		for _, r := range s.Results {
			jc := jsonCase{Name: r.Name, File: r.Case.Pos.File, Line: r.Case.Pos.Line, Column: r.Case.Pos.Col,
				Passed: r.Passed, Want: &r.Want, Diff: r.Diff, Error: r.Err, Kernel: r.Kernel}
			if r.Err == "" {
				jc.Got = &r.Got
			}
			js.Cases = append(js.Cases, jc)
		}
		if c := s.Coverage; c != nil {
			jc := &jsonCoverage{Selectors: c.Selectors, Covered: c.Covered, Values: c.Values, ValuesHit: c.ValuesHit, Missed: []jsonMiss{}}
			for _, m := range c.Missed {
				jc.Missed = append(jc.Missed, jsonMiss{Hook: m.Hook, Selector: m.Selector, Value: m.Value,
					File: m.Pos.File, Line: m.Pos.Line, Column: m.Pos.Col})
			}
			js.Coverage = jc
		}
		doc.Suites = append(doc.Suites, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// JUnit XML, as CI systems (GitLab, Jenkins, GitHub test reporters) read
// it: a testsuite per test file, a testcase per case; a test file that
// could not run all its cases gets an errored testcase of its own.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	File     string      `xml:"file,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr"`
	Line      int           `xml:"line,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, rep *Report) error {
	doc := junitSuites{}
	for _, s := range rep.Suites {
		name := s.Policy
		if name == "" {
			name = s.File
		}
		js := junitSuite{Name: name, File: s.File}
		if errs := compiler.Count(s.Diagnostics, compiler.Error); errs > 0 {
			var text []string
			for _, d := range s.Diagnostics {
				text = append(text, d.String())
			}
			js.Cases = append(js.Cases, junitCase{Name: "(test file)", Classname: name, File: s.File,
				Error: &junitFailure{Message: fmt.Sprintf("%d errors", errs), Text: strings.Join(text, "\n")}})
			js.Errors++
		}
		for _, r := range s.Results {
			jc := junitCase{Name: r.Case.Name, Classname: name, File: r.Case.Pos.File, Line: r.Case.Pos.Line}
			if !r.Passed {
				jc.Failure = &junitFailure{Message: failureSummary(r), Text: fmt.Sprintf("%s\n%s", r.Case.Pos, r.Diff+r.Err)}
				js.Failures++
			}
			js.Cases = append(js.Cases, jc)
		}
		js.Tests = len(js.Cases)
		doc.Tests += js.Tests
		doc.Failures += js.Failures
		doc.Errors += js.Errors
		doc.Suites = append(doc.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
