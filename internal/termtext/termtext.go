// Package termtext makes text that comes from inputs (bundle manifests,
// policy files, URLs of events, kernel strings) safe to print on a
// terminal: an escape sequence in a bundle's manifest must not move the
// cursor, retitle the window or hide what polrun prints, and a megabyte
// value must not flood the log. polc and polrun pass such text through it
// before it reaches stderr or a listing.
package termtext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every byte or character a terminal would act on
// written as a Go escape: C0 controls other than newline and tab, DEL, C1
// controls (U+0080 to U+009F) and bytes that are not UTF-8. Text without
// them is returned unchanged.
func Escape(s string) string { return escape(s, false) }

// Line is Escape for a value embedded in a one-line message: newlines and
// tabs are escaped too.
func Line(s string) string { return escape(s, true) }

func escape(s string, line bool) string {
	if clean(s, line) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafe(r, line):
			q := fmt.Sprintf("%+q", string(r)) // "\x1b", "\u0085", "\n"
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func unsafe(r rune, line bool) bool {
	if r == '\n' || r == '\t' {
		return line
	}
	return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f
}

func clean(s string, line bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f || !line && (c == '\n' || c == '\t') {
			continue
		}
		return false
	}
	return true
}

// Truncate cuts s to at most max bytes, at a character boundary, saying
// how much was left out.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes more)", s[:cut], len(s)-cut)
}
