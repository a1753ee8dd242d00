package report

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/polc-dev/polc/compiler"
)

// Format names an output format.
type Format string

// The formats Write knows.
const (
	Text   Format = "text"
	JSON   Format = "json"
	SARIF  Format = "sarif"
	GitHub Format = "github"
)

// Formats lists every format, in the order the CLI documents them.
var Formats = []Format{Text, JSON, SARIF, GitHub}

// ParseFormat turns a --format value into a Format.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats, f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: want text, json, sarif or github", s)
}

// Options tunes the output. The zero value is fine.
type Options struct {
	Color       bool   // ANSI colors in text output; the caller decides (isatty, NO_COLOR)
	ToolVersion string // polc's version, for SARIF; omitted when empty
	Rules       []Rule // every known code with its summary, for SARIF rules; may be nil
	// Root is the absolute directory SARIF names files relative to (with
	// uriBaseId SRCROOT): the repository's root, so that a run from a
	// subdirectory names files as code scanning knows them. Empty: files
	// as given.
	Root string
	// NoSummary leaves out the closing "N errors" line of text output, for
	// callers that print their own (polc test).
	NoSummary bool
}

// Rule describes one diagnostic code for tools that list rules (SARIF).
type Rule struct {
	Code, Summary string
}

// Write writes the diagnostics of res to w in format f.
func Write(w io.Writer, f Format, res *compiler.Result, opts Options) error {
	if res == nil {
		res = &compiler.Result{}
	}
	bw := bufio.NewWriter(w)
	var err error
	switch f {
	case Text:
		err = writeText(bw, res, opts)
	case JSON:
		err = writeJSON(bw, res)
	case SARIF:
		err = writeSARIF(bw, res, opts)
	case GitHub:
		err = writeGitHub(bw, res)
	default:
		return fmt.Errorf("report: unknown format %q", f)
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// sorted returns the diagnostics of res in position order, leaving res alone.
func sorted(res *compiler.Result) []compiler.Diagnostic {
	return compiler.SortDiagnostics(slices.Clone(res.Diagnostics))
}

// summary counts what a report's last line (or summary object) says.
type summary struct {
	Errors, Warnings, Notes, Files int
	Skipped, Suppressed            int // see compiler.Result
}

func summarize(res *compiler.Result, ds []compiler.Diagnostic) summary {
	s := summary{
		Errors:   compiler.Count(ds, compiler.Error),
		Warnings: compiler.Count(ds, compiler.Warning),
		Notes:    compiler.Count(ds, compiler.Note),
		Files:    len(res.Sources),

		Skipped:    res.Skipped,
		Suppressed: res.Suppressed,
	}
	if s.Files == 0 {
		// A Result built without its sources: count the files diagnosed.
		files := map[string]bool{}
		for _, d := range ds {
			files[d.Pos.File] = true
		}
		s.Files = len(files)
	}
	return s
}

// span is a diagnostic's range with the unknown parts zeroed: End is kept
// only when it is known and not before Pos.
type span struct {
	Line, Col, EndLine, EndCol int
}

func spanOf(d compiler.Diagnostic) span {
	s := span{Line: max(d.Pos.Line, 0), Col: max(d.Pos.Col, 0)}
	if s.Line == 0 {
		return span{}
	}
	if s.Col == 0 {
		// Without a start column an end column means nothing.
		if d.End.Line > s.Line {
			s.EndLine = d.End.Line
		}
		return s
	}
	switch {
	case d.End.Line == s.Line && d.End.Col > s.Col:
		s.EndLine, s.EndCol = d.End.Line, d.End.Col
	case d.End.Line > s.Line:
		s.EndLine, s.EndCol = d.End.Line, max(d.End.Col, 0)
	}
	return s
}

// uri turns a source name into a relative URI reference with forward
// slashes, as SARIF and GitHub want: "<stdin>" becomes "stdin", an absolute
// path a file: URI.
func uri(name string) string {
	if name == compiler.StdinName {
		return "stdin"
	}
	p := filepath.ToSlash(name)
	if filepath.IsAbs(name) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive: file:///C:/...
		}
		return "file://" + escapePath(p)
	}
	return escapePath(path.Clean(p))
}

// escapePath percent-encodes what may not appear in a URI path, keeping '/'.
func escapePath(p string) string {
	const unreserved = "-._~!$&'()*+,;=:@/"
	var b strings.Builder
	for _, c := range []byte(p) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte(unreserved, c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	s := b.String()
	// A relative reference whose first segment has a colon would read as a
	// scheme (RFC 3986 §4.2).
	if first, _, _ := strings.Cut(s, "/"); strings.Contains(first, ":") {
		s = "./" + s
	}
	return s
}

// withHint appends the hint to a message for formats with one text field.
func withHint(d compiler.Diagnostic, sep string) string {
	if d.Hint == "" {
		return d.Msg
	}
	return d.Msg + sep + d.Hint
}
