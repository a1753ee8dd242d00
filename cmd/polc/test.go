package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
	"github.com/polc-dev/polc/policytest"
	"github.com/polc-dev/polc/schema"
)

// runTest is polc test: the cases of NAME_test.yaml files, evaluated with
// the policies' reference semantics (package policytest).
func runTest(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("test", stderr)
	out := outputFlag(fs, "text", "output format: text, json, yaml, junit or sarif")
	runRE := fs.String("run", "", "run only the cases whose POLICY/CASE name matches this regular expression")
	coverage := fs.Bool("coverage", false, "report the selectors and filter values no case exercised")
	verbose := fs.Bool("v", false, "text: list passed cases too")
	color := fs.String("color", "auto", "color text output: auto, always or never")
	kernel := fs.Bool("kernel", false, "also run every case through the program polc generates for its hook (BPF_PROG_TEST_RUN, as root) and fail where it disagrees with the reference semantics")
	generate := fs.String("generate", "", "write a starting NAME_test.yaml for the policy NAME.yaml, with boundary cases from its values (never overwrites)")
	tf := addTargetFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc test [flags] [FILE|DIR]...   (default: .)\n\n"+
			"Runs the cases of each NAME_test.yaml against NAME.yaml (see docs/policy-tests.md).\n"+
			"\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	yamlOut := *out == "yaml" // written as json, then converted
	if yamlOut {
		*out = "json"
	}
	f, err := policytest.ParseFormat(*out)
	if err != nil {
		return usageError(fs, err.Error())
	}
	kt, err := tf.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "polc test: %v\n", err)
		return exitUsage
	}
	opts := policytest.Options{Arch: kt.arch, Target: kt.profile, Sysroot: kt.sysroot, Coverage: *coverage}
	if *runRE != "" {
		if opts.Run, err = regexp.Compile(*runRE); err != nil {
			fmt.Fprintf(stderr, "polc test: --run: %v\n", err)
			return exitUsage
		}
	}
	if *kernel && *generate != "" {
		return usageError(fs, "--kernel and --generate do not go together")
	}
	if *generate != "" {
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "polc test: --generate takes one policy and no other paths\n")
			return exitUsage
		}
		return generateTest(*generate, opts, stdout, stderr)
	}
	if *kernel {
		k, err := policytest.NewKernel()
		if err != nil {
			fmt.Fprintf(stderr, "polc test: --kernel: %v\n", err)
			return exitUsage
		}
		defer k.Close()
		opts.Kernel = k
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
			if err := writeMaybeYAML(stdout, yamlOut, func(w io.Writer) error { return policytest.Write(w, f, rep, wopts) }); err != nil {
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

// generateTest is polc test --generate POLICY: NAME_test.yaml beside it.
func generateTest(policyFile string, opts policytest.Options, stdout, stderr io.Writer) int {
	data, err := os.ReadFile(policyFile)
	if err != nil {
		fmt.Fprintf(stderr, "polc test: %v\n", err)
		return exitUsage
	}
	ext := filepath.Ext(policyFile)
	testFile := strings.TrimSuffix(policyFile, ext) + "_test" + ext
	if policytest.IsTestFile(policyFile) || (ext != ".yaml" && ext != ".yml") {
		fmt.Fprintf(stderr, "polc test: --generate takes a policy file NAME.yaml, not %s\n", policyFile)
		return exitUsage
	}
	if _, err := os.Stat(testFile); err == nil {
		fmt.Fprintf(stderr, "polc test: %s exists: not overwritten (remove it to generate a new one)\n", testFile)
		return exitUsage
	}
	src := compiler.NewSource(policyFile, data)
	pol, diags := policytest.LoadPolicy(src, "", opts)
	if pol == nil {
		res := &compiler.Result{Sources: []*compiler.Source{src}, Diagnostics: diags}
		report.Write(stdout, report.Text, res, report.Options{})
		fmt.Fprintf(stderr, "polc test: %s: no policy to generate tests for\n", policyFile)
		return exitFound
	}
	out, err := policytest.Generate(pol, policyFile, testFile)
	if err != nil {
		fmt.Fprintf(stderr, "polc test: %v\n", err)
		return exitFound
	}
	if err := os.WriteFile(testFile, out, 0o644); err != nil {
		fmt.Fprintf(stderr, "polc test: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s: check every expectation, then run polc test %s\n", testFile, testFile)
	return exitOK
}

// schemaFor is what polc schema prints: the TracingPolicy schema, or with
// --test the schema of test files.
func schemaFor(test bool) []byte {
	if test {
		return schema.PolicyTestJSON()
	}
	return schema.JSON()
}
