package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/polc-dev/polc/internal/cliflags"
)

// The command-line grammar shared by every polc command: flags anywhere
// (cliflags), a one-line reason before the usage on any usage error, and
// examples and exit codes at the end of every -h.

// newFlags makes a flag set that reports usage errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("polc "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { // commands with arguments say which
		fmt.Fprintf(stderr, "usage: polc %s [flags]\n", name)
		fs.PrintDefaults()
	}
	if flagSetMade != nil {
		flagSetMade(fs)
	}
	return fs
}

// parseFlags parses args; ok is false with the exit code to return. -h
// prints the usage with the command's examples and exit codes (exit 0); a
// flag error prints its reason on one line, then the usage (exit 2).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	// The flag package would print its error and the usage itself: keep
	// it quiet, and print them in polc's order and words.
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := cliflags.Parse(fs, args)
	fs.SetOutput(out)
	fs.Usage = usage
	if err == nil {
		return 0, true
	}
	if errors.Is(err, flag.ErrHelp) {
		printUsage(fs)
		return exitOK, false
	}
	return usageError(fs, err.Error()), false
}

// usageError prints "polc: error: REASON" and the command's usage, and
// returns the usage exit code.
func usageError(fs *flag.FlagSet, reason string) int {
	fmt.Fprintf(fs.Output(), "polc: error: %s\n", reason)
	printUsage(fs)
	return exitUsage
}

// printUsage prints a command's usage (fs.Usage), then its examples and
// exit codes.
func printUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fs.Usage()
	name := strings.TrimPrefix(fs.Name(), "polc ")
	for _, c := range commands() {
		if c.name == name {
			printFooter(w, c)
		}
	}
}

func printFooter(w io.Writer, c command) {
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nexamples:")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	fmt.Fprintln(w, "\nexit status:")
	fmt.Fprintf(w, "  0  %s\n", c.exit0)
	if c.exit1 != "" {
		fmt.Fprintf(w, "  1  %s\n", c.exit1)
	}
	fmt.Fprintln(w, "  2  a usage error (the reason on the first line), or a file that cannot be read")
}

// writeMaybeYAML runs write (which writes JSON when asYAML) to w, or
// through a buffer converted to YAML.
func writeMaybeYAML(w io.Writer, asYAML bool, write func(io.Writer) error) error {
	if !asYAML {
		return write(w)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	return cliflags.WriteJSONAs(w, "yaml", buf.Bytes())
}

func outputFlag(fs *flag.FlagSet, def, usage string) *string {
	return cliflags.OutputFlag(fs, def, usage)
}

func writeStructured(w io.Writer, format string, v any) error {
	return cliflags.WriteStructured(w, format, v)
}
