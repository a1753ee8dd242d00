package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/polc-dev/polc/internal/cliflags"
)

// flagSetMade, when set, sees every flag set newFlags makes: completion
// runs each command with -h to learn its flags from the flag set itself,
// so that the scripts cannot fall behind the commands.
var flagSetMade func(*flag.FlagSet)

func runCompletion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("completion", stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc completion bash|zsh|fish\n")
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(fs, "give one shell: bash, zsh or fish")
	}
	script, err := cliflags.Completion(fs.Arg(0), "polc", completionCommands())
	if err != nil {
		return usageError(fs, err.Error())
	}
	io.WriteString(stdout, script)
	return exitOK
}

// completionCommands describes every command with the flags its flag set
// defines.
func completionCommands() []cliflags.Command {
	var out []cliflags.Command
	for _, c := range commands() {
		var made *flag.FlagSet
		flagSetMade = func(fs *flag.FlagSet) {
			if made == nil {
				made = fs
			}
		}
		if c.name != "completion" {
			c.run([]string{"-h"}, io.Discard, io.Discard)
		}
		flagSetMade = nil
		cc := cliflags.Command{Name: c.name, Summary: c.summary}
		if made != nil {
			cc.Flags = cliflags.Flags(made)
		}
		out = append(out, cc)
	}
	return out
}
