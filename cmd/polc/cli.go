package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"

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

// outputFlag defines -o and its long spelling --output, one value: the
// output format in every polc command that has one (build and keygen,
// whose -o is where they write, excepted).
func outputFlag(fs *flag.FlagSet, def, usage string) *string {
	v := new(string)
	*v = def
	fs.StringVar(v, "o", def, usage)
	fs.StringVar(v, "output", def, "the same as -o")
	return v
}

// writeStructured writes v as indented JSON, or as YAML with the same
// fields in the same order (JSON text is YAML: decoding it into a node
// keeps the order the JSON encoder chose).
func writeStructured(w io.Writer, format string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeJSONAs(w, format, append(data, '\n'))
}

// writeJSONAs writes JSON text as it is ("json"), or converted to YAML.
func writeJSONAs(w io.Writer, format string, data []byte) error {
	if format == "json" {
		_, err := w.Write(data)
		return err
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		return err
	}
	plainStyle(&node)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return err
	}
	return enc.Close()
}

// plainStyle drops the flow style ({...}, [...]) and quotes the JSON
// decoding left on the nodes, for block YAML as people write it; strings
// that would read as another type keep their quotes (the encoder adds them).
func plainStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle | yaml.DoubleQuotedStyle
	for _, c := range n.Content {
		plainStyle(c)
	}
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
	return writeJSONAs(w, "yaml", buf.Bytes())
}
