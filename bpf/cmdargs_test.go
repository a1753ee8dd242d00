package bpf

import (
	"strings"
	"testing"
)

func TestCmdArgs(t *testing.T) {
	long := strings.Repeat("y", 300)
	cases := []struct {
		area  string
		len   uint32
		flags uint32
		args  []string // the arguments Arg finds, in order
	}{
		{"", 0, 0, nil},
		{"bin", 0, 0, nil},
		{"bin\x00", 0, 0, nil},
		{"bin\x00a\x00\x00b c\x00", 7, 0, []string{"a", "", "b c"}},
		{"bin\x00a\x00" + long + "\x00", CmdArgsMax, CmdArgsTruncated, []string{"a", long[:CmdArgsMax-2]}},
		{"bin\x00" + strings.Repeat("z\x00", 40), 80, 0, strings.Split(strings.Repeat("z", CmdArgsIndexMax), "")},
	}
	for _, c := range cases {
		a := NewCmdArgs([]byte(c.area))
		if a.Len != c.len || a.Flags != c.flags {
			t.Errorf("%q: Len %d Flags %d, want %d %d", c.area, a.Len, a.Flags, c.len, c.flags)
		}
		for i := 0; i <= CmdArgsIndexMax; i++ {
			got, ok := a.Arg(i)
			if i < len(c.args) {
				if !ok || string(got) != c.args[i] {
					t.Errorf("%q: Arg(%d) = %q %v, want %q", c.area, i, got, ok, c.args[i])
				}
			} else if ok {
				t.Errorf("%q: Arg(%d) = %q, want none", c.area, i, got)
			}
		}
	}
}
