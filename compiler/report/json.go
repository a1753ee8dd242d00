package report

import (
	"encoding/json"
	"io"

	"github.com/polc-dev/polc/compiler"
)

// jsonReport is the document of --format json. Field order is part of the
// format: keep it.
type jsonReport struct {
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     jsonSummary      `json:"summary"`
}

// jsonDiagnostic is one diagnostic. Line 0 means the whole file, column 0
// an unknown column, endLine/endColumn 0 an unknown end; endColumn is
// exclusive.
type jsonDiagnostic struct {
	Code      string `json:"code"`
	Severity  string `json:"severity"`
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Path      string `json:"path,omitempty"`
	Message   string `json:"message"`
	Hint      string `json:"hint,omitempty"`
}

type jsonSummary struct {
	Errors     int `json:"errors"`
	Warnings   int `json:"warnings"`
	Notes      int `json:"notes"`
	Files      int `json:"files"`
	Skipped    int `json:"skipped,omitempty"`    // files that are not policies (--policies-only)
	Suppressed int `json:"suppressed,omitempty"` // findings silenced by polc:ignore or --disable
}

func writeJSON(w io.Writer, res *compiler.Result) error {
	ds := sorted(res)
	doc := jsonReport{Diagnostics: make([]jsonDiagnostic, 0, len(ds))}
	for _, d := range ds {
		sp := spanOf(d)
		doc.Diagnostics = append(doc.Diagnostics, jsonDiagnostic{
			Code:      d.Code,
			Severity:  d.Severity.String(),
			File:      d.Pos.File,
			Line:      sp.Line,
			Column:    sp.Col,
			EndLine:   sp.EndLine,
			EndColumn: sp.EndCol,
			Path:      d.Path,
			Message:   d.Msg,
			Hint:      d.Hint,
		})
	}
	s := summarize(res, ds)
	doc.Summary = jsonSummary{Errors: s.Errors, Warnings: s.Warnings, Notes: s.Notes, Files: s.Files, Skipped: s.Skipped, Suppressed: s.Suppressed}
	return encodeJSON(w, doc)
}

// encodeJSON writes v with a 2-space indent and without HTML escaping, so
// that "<stdin>" stays readable.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
