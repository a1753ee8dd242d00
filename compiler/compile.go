package compiler

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/schema"
	"github.com/polc-dev/polc/target"
)

// Options control checking. The zero value checks for x86_64 without lint.
type Options struct {
	// Lint adds warnings about legal but suspicious policies.
	Lint bool
	// Compat, when "tetragon", warns where a policy exceeds the limits
	// Tetragon documents (polc itself has none of them).
	Compat string
	// Arch is the target architecture, which decides syscall symbol names.
	// Empty means x86_64, so that output never depends on the build host.
	Arch arch.Arch
	// MaxDiagnostics caps the diagnostics kept per file; 0 means 100.
	MaxDiagnostics int
	// PoliciesOnly skips, with a note, every document that is not a
	// TracingPolicy: YAML without apiVersion and kind, too. For running
	// over all of a repository's YAML, as a pre-commit hook does.
	PoliciesOnly bool
	// Disable silences warnings and notes of these codes (--disable,
	// .polc.yaml); errors are never silenced. See suppress.go, which also
	// reads polc:ignore comments.
	Disable []string
	// Target describes the kernel the policies will run on. With it, the
	// checks also ask whether that kernel has what a policy names:
	// functions and their argument types, tracepoints and their fields,
	// LSM hooks, and the features hooks and actions need (check_target.go).
	// Nil checks without a kernel. Arch empty means Target.Arch; another
	// Arch than the target's is an error.
	Target *target.Profile
	// Sysroot is the directory uprobe paths are found under, for checking
	// their symbols. "" means the paths as they are on this machine, and
	// then only with a Target.
	Sysroot string
}

// CompatTetragon is the Options.Compat value for Tetragon's limits.
const CompatTetragon = "tetragon"

// Result is what checking a set of sources found.
type Result struct {
	Sources     []*Source
	Policies    []*Policy // documents that are policies and have no errors
	Diagnostics []Diagnostic
	// Skipped counts the sources that PoliciesOnly passed over: no
	// document in them is a TracingPolicy (or they are empty or do not
	// parse, and do not name one).
	Skipped int
	// Suppressed counts the warnings and notes silenced by polc:ignore
	// comments and Options.Disable.
	Suppressed int
}

// Errors returns the number of error diagnostics.
func (r *Result) Errors() int { return Count(r.Diagnostics, Error) }

// Source returns the source named name, for printing source lines.
func (r *Result) Source(name string) *Source {
	for _, s := range r.Sources {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Check parses and checks every document of every source.
func Check(srcs []*Source, opts Options) *Result {
	if opts.Arch == "" && opts.Target != nil {
		opts.Arch = opts.Target.Arch
	}
	if opts.Arch == "" {
		opts.Arch = arch.X86_64
	}
	if opts.Target != nil && opts.Target.Arch != opts.Arch {
		return &Result{Sources: srcs, Diagnostics: []Diagnostic{{Code: "internal", Severity: Error,
			Msg: fmt.Sprintf("checking for %s against a target kernel of %s", opts.Arch, opts.Target.Arch)}}}
	}
	if opts.MaxDiagnostics == 0 {
		opts.MaxDiagnostics = 100
	}
	res := &Result{Sources: srcs}
	for _, src := range srcs {
		docs, diags := ParseDocuments(src)
		if opts.PoliciesOnly && src.tooLarge > 0 {
			// Not read, so nobody knows whether it holds policies: say so,
			// without failing a run over all of a repository's YAML.
			diags[0].Severity = Warning
			diags[0].Hint = "if it holds policies, split them into several files"
		} else if opts.PoliciesOnly && len(diags) > 0 && !namesPolicy(src.Data) {
			res.Skipped++ // empty, or not YAML (a Helm template), and no policy
			continue
		}
		policies := 0
		for _, doc := range docs {
			pol, ds := checkDocument(doc, opts)
			if opts.PoliciesOnly && len(ds) == 1 && ds[0].Code == "not-a-policy" {
				continue // not ours to judge, and not worth a line
			}
			policies++
			diags = append(diags, ds...)
			if pol != nil && Count(ds, Error) == 0 {
				res.Policies = append(res.Policies, pol)
			}
		}
		if opts.PoliciesOnly && policies == 0 && len(diags) == 0 {
			res.Skipped++
			continue
		}
		var silenced int
		diags, silenced = suppress(src, diags, opts)
		res.Suppressed += silenced
		diags = SortDiagnostics(diags)
		if len(diags) > opts.MaxDiagnostics {
			// The most severe are kept: an error (the file's last document
			// over MaxDocuments) must not hide behind a hundred notes.
			total := len(diags)
			slices.SortStableFunc(diags, func(a, b Diagnostic) int { return cmp.Compare(a.Severity, b.Severity) })
			diags = SortDiagnostics(diags[:opts.MaxDiagnostics])
			last := diags[len(diags)-1]
			diags = append(diags, Diagnostic{
				Code: "too-many-diagnostics", Severity: Note, Pos: last.Pos,
				Msg: fmt.Sprintf("%d more diagnostics in %s not shown", total-opts.MaxDiagnostics, src.Name),
			})
		}
		res.Diagnostics = append(res.Diagnostics, diags...)
	}
	return res
}

// checkDocument runs the schema, decodes the AST and runs the semantic
// checks. Semantic findings at or below a path the schema already faulted are
// dropped: they would only restate the same mistake.
func checkDocument(doc *Document, opts Options) (*Policy, []Diagnostic) {
	keyCase := canonicalKeys(doc) // before anything reads a key
	if skip, d := foreignDocument(doc, opts.PoliciesOnly); skip {
		if d.Code == "" {
			return nil, nil
		}
		return nil, []Diagnostic{d}
	}
	if diags := checkBudgets(doc); len(diags) > 0 {
		return nil, diags
	}
	js, diags := doc.toJSON()
	var faulted []Path
	for _, d := range diags {
		faulted = append(faulted, Path(d.Path)) // duplicate keys: decoding them fails too
	}
	if opts.Lint {
		diags = append(diags, keyCase...)
	}
	for _, e := range schema.Validate(js) {
		d := fromSchema(doc, e)
		if hint, ok := foreignArgOpHint(doc, e); ok {
			d.Hint = hint
		}
		faulted = append(faulted, Path(d.Path))
		diags = append(diags, d)
	}
	if resolve(doc.Root).Kind != yaml.MappingNode {
		return nil, diags
	}
	pol := &Policy{Doc: doc}
	if err := doc.Root.Decode(pol); err != nil && len(faulted) == 0 {
		// The schema admitted something the AST cannot hold: our bug, but
		// still the user's policy is refused with the decoder's words.
		start, end := doc.Span(doc.Root)
		diags = append(diags, Diagnostic{Code: "decode", Severity: Error, Pos: start, End: end, Msg: err.Error(),
			Hint: "this is a polc bug: please report it with the policy"})
		return nil, diags
	}
	pruneNils(reflect.ValueOf(pol))
	c := &checker{doc: doc, pol: pol, opts: opts}
	c.checkPolicy()
	for _, d := range c.diags {
		if !withinAny(Path(d.Path), faulted) {
			diags = append(diags, d)
		}
	}
	return pol, diags
}

func withinAny(p Path, roots []Path) bool {
	for _, r := range roots {
		if r != "" && p.Within(r) {
			return true
		}
	}
	return false
}

// The apiVersion and kind of polc's test files (package policytest).
const (
	PolicyTestAPIVersion = "polc.dev/v1alpha1"
	PolicyTestKind       = "PolicyTest"
)

// foreignDocument recognizes a Kubernetes object of another kind in a
// multi-document file (a ConfigMap, a CiliumNetworkPolicy): it is not ours
// to judge, so it is skipped with a note. A kind that looks like a typo of
// TracingPolicy is not foreign: the schema reports it. With policiesOnly,
// any YAML that does not say it is a policy is foreign too.
func foreignDocument(doc *Document, policiesOnly bool) (bool, Diagnostic) {
	av, _ := child(doc.Root, "apiVersion")
	kv, _ := child(doc.Root, "kind")
	scalar := func(n *yaml.Node) bool { return n != nil && n.Kind == yaml.ScalarNode }
	if !scalar(av) || !scalar(kv) {
		if !policiesOnly {
			return false, Diagnostic{}
		}
		start, end := doc.Span(doc.Root)
		return true, Diagnostic{Code: "not-a-policy", Severity: Note, Pos: start, End: end,
			Msg: fmt.Sprintf("document %d has no apiVersion and kind, so it is not a TracingPolicy: skipped", doc.Number+1)}
	}
	if av.Value == PolicyTestAPIVersion && kv.Value == PolicyTestKind {
		// A test file of polc test beside its policy: checked by polc
		// test, not a policy to check here.
		return true, Diagnostic{}
	}
	if av.Value == "cilium.io/v1alpha1" || strings.Contains(strings.ToLower(kv.Value), "tracingpolic") ||
		closest(kv.Value, []string{"TracingPolicy", "TracingPolicyNamespaced"}) != "" {
		return false, Diagnostic{}
	}
	start, end := doc.Span(kv)
	return true, Diagnostic{Code: "not-a-policy", Severity: Note, Pos: start, End: end, Path: "kind",
		Msg: fmt.Sprintf("document %d (%s, %s) is not a TracingPolicy: skipped", doc.Number+1, kv.Value, av.Value)}
}

// SchemaDiagnostic locates a schema error in the document: for other YAML
// formats of polc, validated with their own schema.
func SchemaDiagnostic(doc *Document, e schema.Error) Diagnostic { return fromSchema(doc, e) }

// fromSchema locates a schema error in the document.
func fromSchema(doc *Document, e schema.Error) Diagnostic {
	n := doc.Root
	for _, tok := range e.Path {
		next := stepInto(n, tok)
		if next == nil {
			break
		}
		n = next
	}
	if e.OnKey {
		if k := doc.KeyOf(n); k != nil {
			n = k
		}
	}
	start, end := doc.Span(n)
	return Diagnostic{Code: e.Code, Severity: Error, Pos: start, End: end,
		Path: string(doc.Path(n)), Msg: e.Msg, Hint: e.Hint}
}

// foreignArgOpHint is the hint of a schema error that refuses a matchArgs
// operator of foreignArgOps.
func foreignArgOpHint(doc *Document, e schema.Error) (string, bool) {
	if e.Code != "bad-enum" || len(e.Path) < 3 || e.Path[len(e.Path)-1] != "operator" {
		return "", false
	}
	switch e.Path[len(e.Path)-3] {
	case "matchArgs", "matchReturnArgs", "matchData":
	default:
		return "", false
	}
	n := doc.Root
	for _, tok := range e.Path {
		if n = stepInto(n, tok); n == nil {
			return "", false
		}
	}
	hint, ok := foreignArgOps[n.Value]
	return hint, ok
}

func stepInto(n *yaml.Node, tok string) *yaml.Node {
	n = resolve(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		v, _ := child(n, tok)
		return v
	case yaml.SequenceNode:
		i, err := strconv.Atoi(tok)
		if err != nil {
			return nil
		}
		return item(n, i)
	}
	return nil
}
