package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestUsageMistakes: each documented kind of mistake exits 2 and names its
// reason on the first line, "polc: error: ...", before the usage.
func TestUsageMistakes(t *testing.T) {
	good := writeFile(t, "good.yaml", goodPolicy)
	for _, c := range []struct {
		args   []string
		reason string
	}{
		{nil, "no command given"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"validate", "--bogus", good}, "flag provided but not defined: -bogus"},
		{[]string{"validate", "-o", "toml", good}, `unknown format "toml"`},
		{[]string{"validate", good, "--format"}, "flag needs an argument: -format"},
		{[]string{"lint", "--compat", "falco", good}, `--compat takes "tetragon"`},
		{[]string{"test", "-o", "toml"}, "unknown"},
		{[]string{"inspect"}, "give the bundles to describe"},
		{[]string{"inspect", "-o", "toml", good}, `unknown output format "toml"`},
		{[]string{"keygen"}, "give -o PREFIX"},
		{[]string{"keygen", "-o", "x", "extra"}, `unexpected argument "extra"`},
		{[]string{"diff", good}, "want two files to compare"},
		{[]string{"completion"}, "give one shell"},
		{[]string{"completion", "tcsh"}, `unknown shell "tcsh"`},
		{[]string{"version", "extra"}, "version takes no arguments"},
		{[]string{"schema", "extra"}, "schema takes no arguments"},
	} {
		code, _, errs := runPolc(c.args...)
		first, rest, _ := strings.Cut(errs, "\n")
		if code != exitUsage || first != "polc: error: "+c.reason && !strings.HasPrefix(first, "polc: error: "+c.reason) {
			t.Errorf("polc %v: exit %d, first line %q; want 2 and %q", c.args, code, first, "polc: error: "+c.reason)
		}
		if !strings.Contains(rest, "usage: polc") {
			t.Errorf("polc %v: no usage after the reason:\n%s", c.args, errs)
		}
	}
}

// TestHelp: every command's -h shows its usage, examples and exit status,
// and exits 0.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		code, _, errs := runPolc(c.name, "-h")
		if code != exitOK {
			t.Errorf("%s -h: exit %d", c.name, code)
		}
		for _, want := range []string{"usage: polc " + c.name, "\nexamples:\n  polc ", "\nexit status:\n  0  ", "\n  2  a usage error"} {
			if c.name == "completion" && want == "\nexamples:\n  polc " {
				want = "\nexamples:\n  source <(polc completion bash)"
			}
			if !strings.Contains(errs, want) {
				t.Errorf("%s -h lacks %q:\n%s", c.name, want, errs)
			}
		}
		if _, _, viaHelp := runPolc("help", c.name); viaHelp != errs {
			t.Errorf("polc help %s differs from polc %s -h", c.name, c.name)
		}
	}
	if code, _, errs := runPolc("-h"); code != exitOK || !strings.Contains(errs, "exit status: 0 ok, 1 findings") {
		t.Errorf("polc -h: exit %d:\n%s", code, errs)
	}
}

// TestOutputFlagSpellings: -o, --output and the deprecated --format are
// one flag.
func TestOutputFlagSpellings(t *testing.T) {
	good := writeFile(t, "good.yaml", goodPolicy)
	_, want, _ := runPolc("validate", "-o", "json", good)
	for _, args := range [][]string{{"--output", "json"}, {"--format", "json"}, {"--output=json"}} {
		if _, got, _ := runPolc(append(append([]string{"validate"}, args...), good)...); got != want {
			t.Errorf("validate %v differs from -o json:\n%s", args, got)
		}
	}
	code, y, _ := runPolc("validate", good, "-o", "yaml")
	if code != exitOK || !strings.Contains(y, "version:") && !strings.Contains(y, "policies:") && !strings.Contains(y, "files:") {
		t.Errorf("validate -o yaml: exit %d:\n%s", code, y)
	}
}

// TestCompletion: the scripts name every command and each command's flags
// (from its flag set); bash runs its script and completes.
func TestCompletion(t *testing.T) {
	scripts := map[string]string{}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, errs := runPolc("completion", sh)
		if code != exitOK {
			t.Fatalf("completion %s: exit %d: %s", sh, code, errs)
		}
		scripts[sh] = out
		for _, want := range []string{"validate", "diff", "--target", "--pos", "--each-pass", "--policies-only"} {
			if sh == "fish" {
				want = strings.Replace(want, "--", "-l ", 1)
			}
			if !strings.Contains(out, want) {
				t.Errorf("%s script lacks %q", sh, want)
			}
		}
	}
	testenv.Require(t, testenv.Tool("bash"))
	complete := func(line string) string {
		t.Helper()
		script := scripts["bash"] + `
COMP_WORDS=(` + line + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_polc
echo "${COMPREPLY[*]}"`
		out, err := exec.Command("bash", "-c", script).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := complete(`polc di`); got != "diff" {
		t.Errorf("polc di<TAB>: %q", got)
	}
	if got := complete(`polc dump --st`); got != "--stage" {
		t.Errorf("polc dump --st<TAB>: %q", got)
	}
	if got := complete(`polc dump --stage ""`); got != "" {
		t.Errorf("after --stage, file names (empty COMPREPLY): %q", got)
	}

	// zsh: the script parses; fish: it parses and completes.
	testenv.Require(t, testenv.Tool("zsh"), testenv.Tool("fish"))
	dir := t.TempDir()
	for _, sh := range []string{"zsh", "fish"} {
		f := filepath.Join(dir, "polc."+sh)
		os.WriteFile(f, []byte(scripts[sh]), 0o644)
		if out, err := exec.Command(sh, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
	fish := func(line string) string {
		out, err := exec.Command("fish", "-c", "source "+filepath.Join(dir, "polc.fish")+"; complete -C '"+line+"'").CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		return string(out)
	}
	if got := fish("polc di"); !strings.HasPrefix(got, "diff\t") {
		t.Errorf("fish: polc di<TAB>: %q", got)
	}
	if got := fish("polc dump --st"); !strings.HasPrefix(got, "--stage\t") {
		t.Errorf("fish: polc dump --st<TAB>: %q", got)
	}
}
