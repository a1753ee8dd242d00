package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/polc-dev/polc/compiler"
)

// tabWidth is the distance between tab stops when a source line is shown.
const tabWidth = 4

// ANSI SGR parameters.
const (
	sgrBold   = "1"
	sgrDim    = "2"
	sgrRed    = "1;31"
	sgrYellow = "1;33"
	sgrCyan   = "1;36"
	sgrBlue   = "1;34"
)

// painter adds ANSI colors when they are wanted.
type painter bool

func (p painter) paint(sgr, s string) string {
	if !p || s == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

func severityColor(s compiler.Severity) string {
	switch s {
	case compiler.Error:
		return sgrRed
	case compiler.Warning:
		return sgrYellow
	}
	return sgrCyan
}

// writeText writes each diagnostic in the style of rustc and bpftrace:
//
//	policy.yaml:12:17: error[bad-operator]: unknown operator "Equals"
//	12 |     operator: "Equals"
//	   |               ^~~~~~~~
//	   = hint: did you mean "Equal"?
//	   = path: spec.kprobes[0].selectors[0].matchArgs[0].operator
//
// then one summary line.
func writeText(w io.Writer, res *compiler.Result, opts Options) error {
	p := painter(opts.Color)
	ds := sorted(res)
	var buf bytes.Buffer
	for _, d := range ds {
		buf.Reset()
		textDiagnostic(&buf, d, res.Source(d.Pos.File), p)
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	if opts.NoSummary {
		return nil
	}
	_, err := fmt.Fprintln(w, textSummary(summarize(res, ds), p))
	return err
}

func textDiagnostic(b *bytes.Buffer, d compiler.Diagnostic, src *compiler.Source, p painter) {
	sp := spanOf(d)
	sev := severityColor(d.Severity)
	gutter := 1
	if sp.Line > 0 {
		gutter = len(strconv.Itoa(sp.Line))
	}
	indent := strings.Repeat(" ", gutter+1)
	multiline := func(s string) string { return strings.ReplaceAll(sanitize(s), "\n", "\n"+indent+"  ") }

	fmt.Fprintf(b, "%s: %s: %s\n",
		p.paint(sgrBold, sanitize(d.Pos.String())),
		p.paint(sev, d.Severity.String()+"["+sanitize(d.Code)+"]"),
		p.paint(sgrBold, multiline(d.Msg)))

	if sp.Line > 0 && src != nil && sp.Line <= lineCount(src) {
		shown, cells := expandLine(src.Line(sp.Line))
		fmt.Fprintf(b, "%s %s\n", p.paint(sgrBlue, strconv.Itoa(sp.Line)+" |"), shown)
		if sp.Col > 0 {
			last := len(cells) - 1 // cells has one entry per rune, plus the end
			start := min(sp.Col-1, last)
			end := start
			if sp.EndLine == sp.Line {
				end = min(sp.EndCol-1, last)
			}
			width := cells[end] - cells[start]
			marker := "^" + strings.Repeat("~", max(width-1, 0))
			fmt.Fprintf(b, "%s %s%s\n", p.paint(sgrBlue, strings.Repeat(" ", gutter)+" |"),
				strings.Repeat(" ", cells[start]), p.paint(sev, marker))
		}
	}
	if d.Hint != "" {
		fmt.Fprintf(b, "%s= %s: %s\n", indent, p.paint(sgrBold, "hint"), multiline(d.Hint))
	}
	if d.Path != "" {
		fmt.Fprintf(b, "%s\n", p.paint(sgrDim, indent+"= path: "+sanitize(d.Path)))
	}
	b.WriteByte('\n')
}

func textSummary(s summary, p painter) string {
	files := plural(s.Files, "file")
	var also []string
	if s.Skipped > 0 {
		also = append(also, fmt.Sprintf("%d not policies, skipped", s.Skipped))
	}
	if s.Suppressed > 0 {
		also = append(also, fmt.Sprintf("%d silenced by polc:ignore or --disable", s.Suppressed))
	}
	if len(also) > 0 {
		files += " (" + strings.Join(also, "; ") + ")"
	}
	if s.Errors+s.Warnings+s.Notes == 0 {
		return "no problems in " + files
	}
	count := func(n int, what, sgr string) string {
		t := plural(n, what)
		if n > 0 {
			t = p.paint(sgr, t)
		}
		return t
	}
	parts := []string{count(s.Errors, "error", sgrRed), count(s.Warnings, "warning", sgrYellow)}
	if s.Notes > 0 {
		parts = append(parts, count(s.Notes, "note", sgrCyan))
	}
	return strings.Join(parts, ", ") + " in " + files
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// lineCount is the number of lines of src, counting a last line without a
// newline: Source.Line gives "" both for an empty line and past the end.
func lineCount(src *compiler.Source) int {
	return bytes.Count(src.Data, []byte("\n")) + 1
}

// expandLine prepares a source line for a terminal: tabs become spaces up to
// the next tab stop and characters that would move the cursor or change
// the display order become U+FFFD. cells[i] is the display column (0-based)
// where rune i starts; cells[len(runes)] is the width of the line.
func expandLine(line string) (string, []int) {
	var b strings.Builder
	cells := make([]int, 0, len(line)+1)
	col := 0
	for _, r := range line {
		cells = append(cells, col)
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case unsafeRune(r):
			b.WriteRune(unicode.ReplacementChar)
			col++
		default:
			b.WriteRune(r)
			col += cellWidth(r)
		}
	}
	cells = append(cells, col)
	return b.String(), cells
}

// sanitize replaces control characters other than newline and tab, so that
// a policy cannot send escape sequences to the terminal through a message.
func sanitize(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

func unsafeRune(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// cellWidth approximates how many terminal columns r takes: 0 for combining
// marks and zero-width characters, 2 for East Asian wide and fullwidth
// characters and emoji, else 1.
func cellWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me) || r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF:
		return 0
	case isWide(r):
		return 2
	}
	return 1
}

var wideRanges = [][2]rune{
	{0x1100, 0x115F},   // Hangul Jamo initials
	{0x2E80, 0x303E},   // CJK radicals, punctuation
	{0x3041, 0x33FF},   // kana, CJK compatibility
	{0x3400, 0x4DBF},   // CJK extension A
	{0x4E00, 0x9FFF},   // CJK unified ideographs
	{0xA000, 0xA4CF},   // Yi
	{0xAC00, 0xD7A3},   // Hangul syllables
	{0xF900, 0xFAFF},   // CJK compatibility ideographs
	{0xFE30, 0xFE4F},   // CJK compatibility forms
	{0xFF00, 0xFF60},   // fullwidth forms
	{0xFFE0, 0xFFE6},   // fullwidth signs
	{0x1F300, 0x1F64F}, // pictographs, emoticons
	{0x1F900, 0x1F9FF}, // supplemental pictographs
	{0x20000, 0x3FFFD}, // CJK extensions B and beyond
}

func isWide(r rune) bool {
	for _, rg := range wideRanges {
		if r < rg[0] {
			return false
		}
		if r <= rg[1] {
			return true
		}
	}
	return false
}
