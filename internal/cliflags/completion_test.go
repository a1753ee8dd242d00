package cliflags

import (
	"flag"
	"strings"
	"testing"
)

// TestCompletionScripts: every shell's script names the commands and
// their flags, a valued flag as taking a value, and keeps the shells'
// special characters out of descriptions.
func TestCompletionScripts(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Bool("strict", false, "exit 1 [on] warnings: 'really' $HOME")
	fs.String("o", "", "output format")
	cmds := []Command{{Name: "check", Summary: "check things (a [b] 'c')", Flags: Flags(fs)}}
	for shell, want := range map[string][]string{
		"bash": {`check) flags="-o --strict" valued=" -o "`, "complete -o default -F _tool tool"},
		"zsh":  {"'check:check things (a (b) c)'", "'--strict[exit 1 (on) warnings  really HOME]'", "'*-o[output format]:value:_files'", "compdef _tool tool"},
		"fish": {"-a check -d 'check things (a (b) c)'", "__fish_seen_subcommand_from check' -s o -r", "-l strict -d"},
	} {
		got, err := Completion(shell, "tool", cmds)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s script lacks %q:\n%s", shell, w, got)
			}
		}
	}
	if _, err := Completion("tcsh", "tool", cmds); err == nil {
		t.Error("tcsh: no error")
	}
}
