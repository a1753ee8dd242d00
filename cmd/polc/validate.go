package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
	"github.com/polc-dev/polc/target"
)

func runValidate(args []string, stdout, stderr io.Writer) int {
	return check("validate", args, stdout, stderr)
}
func runLint(args []string, stdout, stderr io.Writer) int { return check("lint", args, stdout, stderr) }

func check(name string, args []string, stdout, stderr io.Writer) int {
	fs := newFlags(name, stderr)
	format := outputFlag(fs, "text", "output format: text, json, yaml, sarif or github")
	fs.StringVar(format, "format", "text", "deprecated spelling of -o")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	color := fs.String("color", "auto", "color text output: auto, always or never")
	tf := addMultiTargetFlags(fs)
	root := addRootFlag(fs)
	var disable listFlag
	fs.Var(&disable, "disable", "silence warnings and notes of this code (repeatable, or comma-separated); see also .polc.yaml")
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
	yamlOut := *format == "yaml" // written as json, then converted
	if yamlOut {
		*format = "json"
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return usageError(fs, strings.Replace(err.Error(), "json,", "json, yaml,", 1))
	}
	kts, err := tf.resolveAll()
	if err == nil {
		err = checkCodes(disable)
	}
	if err != nil {
		fmt.Fprintf(stderr, "polc %s: %v\n", name, err)
		return exitUsage
	}
	opts := compiler.Options{Lint: name == "lint", PoliciesOnly: *policiesOnly}
	if compat != nil && *compat != "" {
		if *compat != compiler.CompatTetragon {
			return usageError(fs, fmt.Sprintf("--compat takes %q", compiler.CompatTetragon))
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
	// Each file is checked with the .polc.yaml nearest to it.
	cfgs, groups, err := configGroups(srcs)
	if err != nil {
		fmt.Fprintf(stderr, "polc %s: %v\n", name, err)
		return exitUsage
	}
	// Each kernel of --target is checked in turn; without one, once.
	var runs []*compiler.Result
	failOnWarnings := false
	for _, kt := range kts {
		res := &compiler.Result{}
		for _, c := range cfgs {
			o := opts
			o.Arch, o.Target, o.Sysroot = kt.arch, kt.profile, kt.sysroot
			o.Disable = append(slices.Clone([]string(disable)), c.Disable...)
			if name == "lint" && o.Compat == "" {
				o.Compat = c.Compat
			}
			if kt.profile == nil && c.Target != "" {
				p, err := target.ReadFile(c.Target)
				if err != nil {
					fmt.Fprintf(stderr, "polc %s: %s: target: %v\n", name, c.path, err)
					return exitUsage
				}
				o.Target, o.Arch = p, p.Arch
			}
			r := compiler.Check(groups[c], o)
			res.Sources = append(res.Sources, r.Sources...)
			res.Policies = append(res.Policies, r.Policies...)
			res.Diagnostics = append(res.Diagnostics, r.Diagnostics...)
			res.Skipped += r.Skipped
			res.Suppressed += r.Suppressed
			if (*strict || c.Strict) && compiler.Count(r.Diagnostics, compiler.Warning) > 0 {
				failOnWarnings = true
			}
		}
		runs = append(runs, res)
	}
	res := mergeTargetResults(runs, kts)
	if err := writeMaybeYAML(stdout, yamlOut, func(w io.Writer) error { return report.Write(w, f, res, ropts) }); err != nil {
		fmt.Fprintf(stderr, "polc %s: write: %v\n", name, err)
		return exitUsage
	}
	if res.Errors() > 0 || failOnWarnings {
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
	test := fs.Bool("test", false, "print the schema of polc test files (NAME_test.yaml) instead")
	kubeconform := fs.String("kubeconform", "", "write the schema into DIR as kubeconform reads it (DIR/cilium.io/KIND_v1alpha1.json, both kinds) and print the -schema-location to give it")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, "schema takes no arguments")
	}
	if *kubeconform != "" {
		if *test {
			return usageError(fs, "--test and --kubeconform: kubeconform checks policies, not test files")
		}
		loc, err := writeKubeconformSchemas(*kubeconform)
		if err != nil {
			fmt.Fprintf(stderr, "polc schema: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "-schema-location %s\n", loc)
		return exitOK
	}
	stdout.Write(schemaFor(*test))
	return exitOK
}

// kubeconformKinds are the kinds the schema describes, as kubeconform names
// their schema files: the kind in lower case, then the API version.
var kubeconformKinds = []string{"tracingpolicy", "tracingpolicynamespaced"}

// writeKubeconformSchemas writes the schema into dir in the layout of
// kubeconform's CRD catalogs, {{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json,
// and returns the -schema-location template that finds them there.
func writeKubeconformSchemas(dir string) (string, error) {
	group := filepath.Join(dir, "cilium.io")
	if err := os.MkdirAll(group, 0o755); err != nil {
		return "", err
	}
	for _, kind := range kubeconformKinds {
		if err := os.WriteFile(filepath.Join(group, kind+"_v1alpha1.json"), schemaFor(false), 0o644); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, "{{.Group}}", "{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"), nil
}

// mergeTargetResults makes one result of the checks of the same sources
// against several kernels: a finding made against every kernel is reported
// once, as it is; one made against some of them only names them ("on
// kernel host.tar.gz (6.1.0-28-amd64)"), so that the user knows where it
// holds.
func mergeTargetResults(runs []*compiler.Result, kts []kernelTarget) *compiler.Result {
	if len(runs) == 1 {
		return runs[0]
	}
	res := &compiler.Result{Sources: runs[0].Sources, Policies: runs[0].Policies,
		Skipped: runs[0].Skipped, Suppressed: runs[0].Suppressed}
	type seen struct {
		d       compiler.Diagnostic
		kernels []string
	}
	var order []string
	byKey := map[string]*seen{}
	for i, r := range runs {
		for _, d := range r.Diagnostics {
			key := d.String()
			s := byKey[key]
			if s == nil {
				s = &seen{d: d}
				byKey[key] = s
				order = append(order, key)
			}
			if n := len(s.kernels); n == 0 || s.kernels[n-1] != kts[i].name {
				s.kernels = append(s.kernels, kts[i].name)
			}
		}
	}
	for _, key := range order {
		s := byKey[key]
		if len(s.kernels) < len(kts) {
			s.d.Msg += " (on kernel " + strings.Join(s.kernels, ", ") + ")"
		}
		res.Diagnostics = append(res.Diagnostics, s.d)
	}
	res.Diagnostics = compiler.SortDiagnostics(res.Diagnostics)
	return res
}
