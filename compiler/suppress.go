package compiler

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Suppressing findings. A policy file may silence a warning or a note on
// one line with a comment on that line or on the line above:
//
//	# polc:ignore empty-selector,duplicate-value the audit wants every call
//	- matchActions: [...]
//
// The reason is required, so that a reviewer reads why. Errors are never
// silenced: a policy with an error does not build, whatever a comment says.
// Options.Disable silences codes everywhere (--disable, .polc.yaml).

// ignoreDirective finds "polc:ignore CODES REASON" in a comment.
var ignoreDirective = regexp.MustCompile(`#\s*polc:ignore\b(.*)$`)

// ignoreCodes is the comma-separated list of codes that starts a directive.
var ignoreCodes = regexp.MustCompile(`^\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)(?:\s+(.*\S))?\s*$`)

// directive is one polc:ignore comment.
type directive struct {
	line   int
	col    int
	codes  []string
	reason string
	used   bool
}

// ignoreDirectives reads the polc:ignore comments of src. Malformed ones
// (no codes, no reason, an unknown code) are reported as bad-ignore.
func ignoreDirectives(src *Source) ([]*directive, []Diagnostic) {
	if !strings.Contains(string(src.Data), "polc:ignore") {
		return nil, nil
	}
	var dirs []*directive
	var diags []Diagnostic
	for n := 1; n <= src.NumLines(); n++ {
		line := src.Line(n)
		loc := ignoreDirective.FindStringSubmatchIndex(line)
		if loc == nil {
			continue
		}
		pos := Pos{File: src.Name, Line: n, Col: len([]rune(line[:loc[0]])) + 1}
		bad := func(msg string) {
			diags = append(diags, Diagnostic{Code: "bad-ignore", Severity: Warning, Pos: pos,
				Msg: msg, Hint: "write # polc:ignore CODE[,CODE] REASON, on the line or the line above"})
		}
		m := ignoreCodes.FindStringSubmatch(line[loc[2]:loc[3]])
		if m == nil {
			bad("polc:ignore names no diagnostic code")
			continue
		}
		d := &directive{line: n, col: pos.Col, reason: m[2]}
		for _, c := range strings.Split(m[1], ",") {
			c = strings.TrimSpace(c)
			if !knownCode(c) {
				msg := fmt.Sprintf("polc:ignore names %q, which is not a diagnostic code", c)
				if near := ClosestCode(c); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				}
				bad(msg)
				continue
			}
			d.codes = append(d.codes, c)
		}
		if d.reason == "" {
			bad("polc:ignore without a reason")
			continue
		}
		if len(d.codes) > 0 {
			dirs = append(dirs, d)
		}
	}
	return dirs, diags
}

func knownCode(c string) bool {
	return slices.ContainsFunc(codes, func(ci CodeInfo) bool { return ci.Code == c })
}

// ClosestCode is the diagnostic code nearest to a mistyped one, "" if none
// is near: for "did you mean" hints wherever users name codes.
func ClosestCode(c string) string {
	names := make([]string, len(codes))
	for i, ci := range codes {
		names[i] = ci.Code
	}
	return closest(c, names)
}

// suppress drops the warnings and notes of src that a polc:ignore comment
// or opts.Disable silences, and returns what is left and how many were
// dropped. With opts.Lint, a directive that silenced nothing is reported
// (unused-ignore), so that stale ones do not pile up.
func suppress(src *Source, diags []Diagnostic, opts Options) ([]Diagnostic, int) {
	dirs, bad := ignoreDirectives(src)
	if len(dirs) == 0 && len(opts.Disable) == 0 {
		return append(diags, bad...), 0
	}
	kept := diags[:0:0]
	dropped := 0
	for _, d := range diags {
		if d.Severity == Error || d.Pos.File != src.Name {
			kept = append(kept, d)
			continue
		}
		if slices.Contains(opts.Disable, d.Code) {
			dropped++
			continue
		}
		silenced := false
		for _, dir := range dirs {
			if (dir.line == d.Pos.Line || dir.line == d.Pos.Line-1) && slices.Contains(dir.codes, d.Code) {
				dir.used, silenced = true, true
			}
		}
		if silenced {
			dropped++
			continue
		}
		kept = append(kept, d)
	}
	if opts.Lint {
		for _, dir := range dirs {
			if !dir.used {
				kept = append(kept, Diagnostic{Code: "unused-ignore", Severity: Warning,
					Pos:  Pos{File: src.Name, Line: dir.line, Col: dir.col},
					Msg:  fmt.Sprintf("polc:ignore %s silences nothing on this line or the next", strings.Join(dir.codes, ",")),
					Hint: "remove the comment, or move it onto the finding's line or the line above (errors cannot be silenced)"})
			}
		}
	}
	return append(kept, bad...), dropped
}

// namesPolicy reports whether a file's text says it holds a TracingPolicy:
// the cilium.io API group and a TracingPolicy kind. With PoliciesOnly, a
// file that does not parse, or is empty, is a policy's problem only then.
func namesPolicy(data []byte) bool {
	return strings.Contains(string(data), "cilium.io/") && policyKind.Match(data)
}

var policyKind = regexp.MustCompile(`(?m)^\s*(?:-\s*)?kind:\s*["']?TracingPolicy`)
