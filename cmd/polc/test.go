package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"

	"github.com/polc-dev/polc/policytest"
	"github.com/polc-dev/polc/schema"
)

// runTest is polc test: the cases of NAME_test.yaml files, evaluated with
// the policies' reference semantics (package policytest).
func runTest(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("test", stderr)
	out := fs.String("o", "text", "output format: text, json, junit or sarif")
	runRE := fs.String("run", "", "run only the cases whose POLICY/CASE name matches this regular expression")
	coverage := fs.Bool("coverage", false, "report the selectors and filter values no case exercised")
	verbose := fs.Bool("v", false, "text: list passed cases too")
	color := fs.String("color", "auto", "color text output: auto, always or never")
	tf := addTargetFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc test [flags] [FILE|DIR]...   (default: .)\n\n"+
			"Runs the cases of each NAME_test.yaml against NAME.yaml (see docs/policy-tests.md).\n"+
			"Exit status: 0 all passed, 1 a case failed or a file has errors, 2 usage or I/O error.\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	f, err := policytest.ParseFormat(*out)
	if err != nil {
		fmt.Fprintf(stderr, "polc test: %v\n", err)
		return exitUsage
	}
	kt, err := tf.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "polc test: %v\n", err)
		return exitUsage
	}
	opts := policytest.Options{Arch: kt.arch, Target: kt.profile, Coverage: *coverage}
	if *runRE != "" {
		if opts.Run, err = regexp.Compile(*runRE); err != nil {
			fmt.Fprintf(stderr, "polc test: --run: %v\n", err)
			return exitUsage
		}
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, err := policytest.FindTests(paths)
	if err == nil {
		var rep *policytest.Report
		if rep, err = policytest.Run(files, opts); err == nil {
			wopts := policytest.WriteOptions{Verbose: *verbose, Color: useColor(*color, stdout), ToolVersion: version, Rules: rules()}
			if err := policytest.Write(stdout, f, rep, wopts); err != nil {
				fmt.Fprintf(stderr, "polc test: %v\n", err)
				return exitUsage
			}
			if !rep.OK() {
				return exitFound
			}
			return exitOK
		}
	}
	if errors.Is(err, policytest.ErrFile) {
		fmt.Fprintf(stderr, "polc test: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "polc test: %v\n", err)
	return exitUsage
}

// schemaFor is what polc schema prints: the TracingPolicy schema, or with
// --test the schema of test files.
func schemaFor(test bool) []byte {
	if test {
		return schema.PolicyTestJSON()
	}
	return schema.JSON()
}
