package cliflags

import (
	"errors"
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		args       []string
		format     string
		strict     bool
		positional []string
	}{
		{[]string{"--format", "json", "a.yaml"}, "json", false, []string{"a.yaml"}},
		{[]string{"a.yaml", "--format", "json"}, "json", false, []string{"a.yaml"}},
		{[]string{"a.yaml", "--format=json", "b/", "--strict"}, "json", true, []string{"a.yaml", "b/"}},
		{[]string{"--strict", "a.yaml", "-", "-format", "sarif"}, "sarif", true, []string{"a.yaml", "-"}},
		{[]string{"a.yaml", "--", "--strict", "-x"}, "text", false, []string{"a.yaml", "--strict", "-x"}},
		{[]string{"--strict=false", "x"}, "text", false, []string{"x"}},
		{nil, "text", false, nil},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		format := fs.String("format", "text", "")
		strict := fs.Bool("strict", false, "")
		if err := Parse(fs, c.args); err != nil {
			t.Errorf("%q: %v", c.args, err)
			continue
		}
		if *format != c.format || *strict != c.strict || !slices.Equal(fs.Args(), c.positional) {
			t.Errorf("%q: format %q strict %v positional %q; want %q %v %q", c.args, *format, *strict, fs.Args(), c.format, c.strict, c.positional)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, args := range [][]string{{"a.yaml", "--nosuch"}, {"a.yaml", "--format"}} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.String("format", "text", "")
		if err := Parse(fs, args); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := Parse(fs, []string{"a.yaml", "-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h after an argument: %v", err)
	}
}
