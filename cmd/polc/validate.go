package main

import (
	"fmt"
	"io"
	"os"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
	"github.com/polc-dev/polc/schema"
)

func runValidate(args []string, stdout, stderr io.Writer) int {
	return check("validate", args, stdout, stderr)
}
func runLint(args []string, stdout, stderr io.Writer) int { return check("lint", args, stdout, stderr) }

func check(name string, args []string, stdout, stderr io.Writer) int {
	fs := newFlags(name, stderr)
	format := fs.String("format", "text", "output format: text, json, sarif or github")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	color := fs.String("color", "auto", "color text output: auto, always or never")
	tf := addTargetFlags(fs)
	root := addRootFlag(fs)
	policiesOnly := fs.Bool("policies-only", false, "skip YAML documents that are not TracingPolicies (for pre-commit hooks over all YAML)")
	var compat *string
	if name == "lint" {
		compat = fs.String("compat", "", `also warn where a policy exceeds the limits of "tetragon"`)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc %s [flags] FILE|DIR|-...\n\n", name)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "polc %s: %v\n", name, err)
		return exitUsage
	}
	kt, err := tf.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "polc %s: %v\n", name, err)
		return exitUsage
	}
	opts := compiler.Options{Lint: name == "lint", Arch: kt.arch, Target: kt.profile, Sysroot: kt.sysroot, PoliciesOnly: *policiesOnly}
	if compat != nil && *compat != "" {
		if *compat != compiler.CompatTetragon {
			fmt.Fprintf(stderr, "polc %s: --compat takes %q\n", name, compiler.CompatTetragon)
			return exitUsage
		}
		opts.Compat = *compat
	}
	srcs, err := compiler.ReadSources(fs.Args(), os.Stdin)
	if err != nil {
		fmt.Fprintf(stderr, "polc %s: %v\n", name, err)
		return exitUsage
	}
	ropts := report.Options{Color: useColor(*color, stdout), ToolVersion: version, Rules: rules()}
	if ropts.Root, err = sourceRoot(*root); err != nil {
		fmt.Fprintf(stderr, "polc %s: %v\n", name, err)
		return exitUsage
	}
	res := compiler.Check(srcs, opts)
	if err := report.Write(stdout, f, res, ropts); err != nil {
		fmt.Fprintf(stderr, "polc %s: write: %v\n", name, err)
		return exitUsage
	}
	switch {
	case res.Errors() > 0:
		return exitFound
	case *strict && compiler.Count(res.Diagnostics, compiler.Warning) > 0:
		return exitFound
	}
	return exitOK
}

func rules() []report.Rule {
	var rs []report.Rule
	for _, c := range compiler.Codes() {
		rs = append(rs, report.Rule{Code: c.Code, Summary: c.Summary})
	}
	return rs
}

// useColor decides whether text output is colored: never when NO_COLOR is
// set or the output is not a terminal, unless asked.
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("schema", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	stdout.Write(schema.JSON())
	return exitOK
}
