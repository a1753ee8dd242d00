package policytest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// Options control Run. The zero value runs every case for x86_64.
type Options struct {
	// Run, when set, selects the cases whose "POLICY/CASE" name it matches.
	Run *regexp.Regexp
	// Arch, Target and Sysroot check and lower the policies as polc build
	// does with them.
	Arch    arch.Arch
	Target  *target.Profile
	Sysroot string
	// Coverage computes Suite.Coverage.
	Coverage bool
	// Kernel, when set, also runs every case through the program polc
	// generates for its hook (polc test --kernel) and fails the cases
	// where the program and ir.Eval disagree.
	Kernel *Kernel
}

// ErrFile is wrapped by Run's errors about paths and files that cannot be
// read: usage problems (polc test exits 2), not test failures.
var ErrFile = errors.New("policytest")

// Report is what Run found: one Suite per test file.
type Report struct {
	Suites []*Suite
}

// KernelCounts counts, under Options.Kernel, the cases the generated
// programs ran and those they could not run.
func (r *Report) KernelCounts() (ran, notRun int) {
	for _, s := range r.Suites {
		for _, c := range s.Results {
			switch {
			case c.Kernel == nil:
			case c.Kernel.Skipped != "":
				notRun++
			default:
				ran++
			}
		}
	}
	return ran, notRun
}

// Passed and Failed count the cases of every suite; a case that could not
// run failed.
func (r *Report) Passed() int { return r.count(true) }
func (r *Report) Failed() int { return r.count(false) }

func (r *Report) count(pass bool) int {
	n := 0
	for _, s := range r.Suites {
		if !pass {
			n += s.NotRun
		}
		for _, c := range s.Results {
			if c.Passed == pass {
				n++
			}
		}
	}
	return n
}

// OK reports whether every suite ran and every case passed.
func (r *Report) OK() bool {
	for _, s := range r.Suites {
		if !s.OK() {
			return false
		}
	}
	return true
}

// Suite is the run of one test file.
type Suite struct {
	File       string // the test file
	PolicyFile string
	Policy     string // the policy's metadata.name ("" when it could not be read)
	// Sources are the test file and the policy file, for printing
	// diagnostics with their lines.
	Sources []*compiler.Source
	// Diagnostics are the problems that stopped cases from running: the
	// test file's, the policy's errors, and cases that do not bind. Cases
	// that do not bind are not in Results.
	Diagnostics []compiler.Diagnostic
	Results     []*Result
	// NotRun counts the cases that could not run: they do not bind, or
	// the file or its policy has errors. They count as failed.
	NotRun   int
	Coverage *Coverage // with Options.Coverage, when the policy lowered
}

// OK reports whether the suite had no errors and every case passed.
func (s *Suite) OK() bool {
	if compiler.Count(s.Diagnostics, compiler.Error) > 0 {
		return false
	}
	for _, r := range s.Results {
		if !r.Passed {
			return false
		}
	}
	return true
}

// Result is one case's run.
type Result struct {
	Name   string // POLICY/CASE
	Case   *Case
	Passed bool
	Want   Outcome
	Got    Outcome // the fields Want gives
	Diff   string  // cmp.Diff(Want, Got): "-want +got"
	Err    string  // Eval failed (the event lacks what a test reads)
	// Kernel is the run through the generated program (Options.Kernel).
	Kernel *KernelOutcome
}

// FindTests turns the command line's paths into test files: a test file
// itself; a policy file, its NAME_test.yaml if there is one; a directory,
// every test file under it. A path that does not exist is an error
// wrapping ErrFile.
func FindTests(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
		if !st.IsDir() {
			if IsTestFile(p) {
				add(p)
			} else if t := testFileOf(p); t != "" {
				add(t)
			}
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir // .git and the like
			}
			if !d.IsDir() && IsTestFile(path) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
		slices.Sort(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// testFileOf returns the test file of policy file p, or "" if it has none.
func testFileOf(p string) string {
	ext := filepath.Ext(p)
	if e := strings.ToLower(ext); e != ".yaml" && e != ".yml" {
		return ""
	}
	base := strings.TrimSuffix(p, ext)
	for _, e := range []string{ext, ".yaml", ".yml"} {
		if _, err := os.Stat(base + "_test" + e); err == nil {
			return base + "_test" + e
		}
	}
	return ""
}

// Run runs every test file. The error is for a file that cannot be read
// (wrapping ErrFile); problems inside files are in the suites.
func Run(files []string, opts Options) (*Report, error) {
	rep := &Report{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
		s, err := RunSource(compiler.NewSource(f, data), opts)
		if err != nil {
			return nil, err
		}
		rep.Suites = append(rep.Suites, s)
	}
	return rep, nil
}

// RunSource runs one test file; its policy is read from the file system.
func RunSource(src *compiler.Source, opts Options) (*Suite, error) {
	s := &Suite{File: src.Name, Sources: []*compiler.Source{src}}
	tf, diags := Parse(src)
	s.Diagnostics = diags
	if tf == nil {
		s.NotRun = countCases(src)
		return s, nil
	}
	s.PolicyFile = tf.Policy
	psrc, err := readPolicy(tf)
	if err != nil {
		return nil, err
	}
	s.PolicyFile = psrc.Name
	s.Sources = append(s.Sources, psrc)
	pol, diags := LoadPolicy(psrc, tf.PolicyName, opts)
	for i, d := range diags {
		if d.Code == "test-no-policy" {
			diags[i].Pos = tf.PolicyPos // the test file's mistake
		}
	}
	s.Diagnostics = append(s.Diagnostics, diags...)
	if pol == nil {
		s.NotRun = len(tf.Cases)
		if compiler.Count(s.Diagnostics, compiler.Error) == 0 {
			s.Diagnostics = append(s.Diagnostics, compiler.Diagnostic{Code: "test-no-policy", Severity: compiler.Error,
				Pos: tf.PolicyPos, Msg: fmt.Sprintf("%s holds no policy to test", psrc.Name)})
		}
		return s, nil
	}
	s.Policy = pol.Name
	var bound []*Bound
	for _, c := range tf.Cases {
		if opts.Run != nil && !opts.Run.MatchString(pol.Name+"/"+c.Name) {
			continue
		}
		b, diags := Bind(c, pol)
		s.Diagnostics = append(s.Diagnostics, diags...)
		if b == nil {
			s.NotRun++
		} else {
			bound = append(bound, b)
			r := Check(pol.Name, b)
			if opts.Kernel != nil {
				ko := opts.Kernel.Run(pol, b)
				r.Kernel = &ko
				if ko.Mismatch != "" {
					r.Passed = false
				}
			}
			s.Results = append(s.Results, r)
		}
	}
	if opts.Coverage {
		s.Coverage = CoverageOf(pol, bound)
	}
	s.Diagnostics = compiler.SortDiagnostics(s.Diagnostics)
	return s, nil
}

// Check evaluates one bound case with ir.Eval and compares the outcome.
func Check(policy string, b *Bound) *Result {
	r := &Result{Name: policy + "/" + b.Case.Name, Case: b.Case, Want: b.Want}
	res, err := ir.Eval(b.Hook, b.Event)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	r.Got = OutcomeOf(res).Only(b.Want)
	// go-cmp varies its spacing on purpose (non-breaking spaces at
	// random); results are text users and golden files compare.
	r.Diff = strings.ReplaceAll(cmp.Diff(r.Want, r.Got), "\u00a0", " ")
	r.Passed = r.Diff == ""
	return r
}

func readPolicy(tf *File) (*compiler.Source, error) {
	cands := []string{tf.Policy}
	if ext := filepath.Ext(tf.Policy); ext == ".yaml" {
		cands = append(cands, strings.TrimSuffix(tf.Policy, ext)+".yml")
	} else if ext == ".yml" {
		cands = append(cands, strings.TrimSuffix(tf.Policy, ext)+".yaml")
	}
	for _, p := range cands {
		data, err := os.ReadFile(p)
		if err == nil {
			return compiler.NewSource(p, data), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
	}
	return nil, fmt.Errorf("%w: %s: the policy it tests, %s, does not exist (set policy: in the test file)", ErrFile, tf.Source.Name, tf.Policy)
}

// LoadPolicy checks and lowers the policy named name (or the only one) in
// src as polc build does. Nil with the diagnostics when it has errors.
func LoadPolicy(src *compiler.Source, name string, opts Options) (*ir.Policy, []compiler.Diagnostic) {
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: opts.Arch, Target: opts.Target, Sysroot: opts.Sysroot})
	diags := errorsOnly(res.Diagnostics)
	if res.Errors() > 0 {
		return nil, diags
	}
	var pick *compiler.Policy
	var names []string
	for _, p := range res.Policies {
		names = append(names, p.Metadata.Name)
		if name == "" || p.Metadata.Name == name {
			if pick != nil {
				return nil, append(diags, compiler.Diagnostic{Code: "test-no-policy", Severity: compiler.Error,
					Pos: ir.Pos{File: src.Name}, Msg: fmt.Sprintf("%s holds several policies", src.Name),
					Hint: "name the one to test with policyName: in the test file"})
			}
			pick = p
		}
	}
	if pick == nil {
		if name == "" {
			return nil, diags
		}
		return nil, append(diags, compiler.Diagnostic{Code: "test-no-policy", Severity: compiler.Error,
			Pos: ir.Pos{File: src.Name}, Msg: fmt.Sprintf("%s holds no policy named %q", src.Name, name),
			Hint: "policies there: " + strings.Join(names, ", ")})
	}
	p, ldiags := compiler.Lower(pick, compiler.LowerOptions{Arch: opts.Arch, Target: opts.Target})
	diags = append(diags, errorsOnly(ldiags)...)
	if p == nil || compiler.Count(ldiags, compiler.Error) > 0 {
		return nil, diags
	}
	return p, diags
}

// errorsOnly keeps the errors: the policy's warnings are polc lint's to
// report, not the tests'.
func errorsOnly(ds []compiler.Diagnostic) []compiler.Diagnostic {
	var out []compiler.Diagnostic
	for _, d := range ds {
		if d.Severity == compiler.Error {
			out = append(out, d)
		}
	}
	return out
}

// countCases counts the cases of a test file that did not parse, so that
// they count as failed.
func countCases(src *compiler.Source) int {
	docs, _ := compiler.ParseDocuments(src)
	if len(docs) != 1 {
		return 0
	}
	if n := deref(childNode(docs[0].Root, "cases")); n != nil && n.Kind == yaml.SequenceNode {
		return len(n.Content)
	}
	return 0
}
