// Package cliflags parses the command lines of polc and polrun: flags may
// come before, between or after the positional arguments, as in most
// command-line tools (`polc validate policies/ --format json`), which the
// standard flag package alone does not allow: it stops at the first
// positional argument. It also holds what else both tools share of their
// grammar: -o/--output and its json and yaml writers (output.go), and shell
// completion scripts made from the commands' flag sets (completion.go).
package cliflags

import (
	"flag"
	"strings"
)

// Parse parses args into fs with flags anywhere; fs.Args() then holds the
// positional arguments in their order. "--" ends the flags: what follows is
// positional, even if it starts with '-'. A lone "-" (stdin) is positional.
// A flag that takes a value takes the next argument when it is not written
// as -name=value, as with the flag package. Errors are fs.Parse's: an
// unknown flag, a missing value, flag.ErrHelp for -h.
func Parse(fs *flag.FlagSet, args []string) error {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f == nil || isBool(f) {
			continue // an unknown flag is fs.Parse's to report
		}
		if i+1 == len(args) {
			return fs.Parse([]string{a}) // its value is missing: flag's error
		}
		flags = append(flags, args[i+1])
		i++
	}
	return fs.Parse(append(append(flags, "--"), positional...))
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
