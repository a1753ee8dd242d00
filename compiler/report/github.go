package report

import (
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/polc-dev/polc/compiler"
)

// writeGitHub writes one GitHub Actions workflow command per diagnostic:
//
//	::error file=F,line=L,col=C,endColumn=EC,title=polc CODE::MESSAGE (hint: HINT)
//
// GitHub takes columns only when the annotation is on one line, and its
// endColumn is inclusive (it defaults to col), so polc's exclusive end
// becomes EC = end-1. The file is the path as given, with forward slashes
// (GitHub wants it relative to the repository root). Diagnostics on stdin
// have no file to point at and are written without a location.
func writeGitHub(w io.Writer, res *compiler.Result) error {
	var b strings.Builder
	for _, d := range sorted(res) {
		b.Reset()
		b.WriteString("::")
		b.WriteString(githubCommand(d.Severity))
		b.WriteByte(' ')
		var props []string
		prop := func(k, v string) { props = append(props, k+"="+escapeProperty(v)) }
		if d.Pos.File != "" && d.Pos.File != compiler.StdinName {
			prop("file", path.Clean(filepath.ToSlash(d.Pos.File)))
			sp := spanOf(d)
			if sp.Line > 0 {
				prop("line", strconv.Itoa(sp.Line))
				switch {
				case sp.EndLine > sp.Line:
					prop("endLine", strconv.Itoa(sp.EndLine))
				case sp.Col > 0:
					prop("col", strconv.Itoa(sp.Col))
					if sp.EndCol > sp.Col+1 {
						prop("endColumn", strconv.Itoa(sp.EndCol-1))
					}
				}
			}
		}
		prop("title", "polc "+d.Code)
		b.WriteString(strings.Join(props, ","))
		b.WriteString("::")
		b.WriteString(escapeData(withHint(d, " (hint: ")))
		if d.Hint != "" {
			b.WriteByte(')')
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

func githubCommand(s compiler.Severity) string {
	switch s {
	case compiler.Error:
		return "error"
	case compiler.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a command's message the way @actions/core does.
var escapeData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// escapeProperty escapes a command property value: as data, plus the
// separators ':' and ','.
var escapeProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
