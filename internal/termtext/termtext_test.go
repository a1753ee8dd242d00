package termtext

import "testing"

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, esc, line string }{
		{"plain text é ☃", "plain text é ☃", "plain text é ☃"},
		{"\x1b]0;owned\x07\x1b[2J", `\x1b]0;owned\a\x1b[2J`, `\x1b]0;owned\a\x1b[2J`},
		{"a\nb\tc\rd", "a\nb\tc\\rd", `a\nb\tc\rd`},
		{"c1 \u009b31m del \x7f", `c1 \u009b31m del \x7f`, `c1 \u009b31m del \x7f`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`, `bad \xff\xfe utf8`},
	} {
		if got := Escape(c.in); got != c.esc {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.esc)
		}
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := Truncate("short", 10); got != "short" {
		t.Errorf("%q", got)
	}
	if got := Truncate("abcdefghij", 4); got != "abcd... (6 bytes more)" {
		t.Errorf("%q", got)
	}
	if got := Truncate("aé", 2); got != "a... (2 bytes more)" { // not inside é
		t.Errorf("%q", got)
	}
}
