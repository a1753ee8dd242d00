package compiler

import (
	"cmp"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// LowerOptions control lowering. The zero value lowers for x86_64.
type LowerOptions struct {
	// Arch is the target architecture, which decides syscall symbols and
	// numbers. Empty means x86_64, so that output never depends on the
	// build host.
	Arch arch.Arch
	// Target describes the kernel the policy will run on: generated lists
	// are expanded from it (generated_ftrace needs one). Nil lowers
	// without a kernel. Arch empty means Target.Arch.
	Target *target.Profile
	// Verify runs ir.VerifyStage after every pass, so that a pass that
	// breaks an invariant is named. Tests set it; the finished policy is
	// always verified.
	Verify bool
	// SourceName is the file name the IR's positions carry, and with them
	// dumps and bundles (the manifest's selectors, BTF line info); empty
	// means the source's name as given. polc passes the path relative to
	// the repository's root, so that what it writes does not depend on the
	// directory it ran in. Diagnostics keep the name as given.
	SourceName string
	// AfterPass, when set, sees the policy after each pass that succeeded
	// (for dumps while debugging; it must not keep or change the policy).
	AfterPass func(pass string, p *ir.Policy)
}

// lowerPass is one step of lowering: a small function over the IR, and the
// stage of invariants (ir.Stage) that holds once it has run.
type lowerPass struct {
	name  string
	fn    func(*lowering)
	stage ir.Stage
}

// passes is lowering, in order. The order is forced:
//
//   - build comes first: it is the only pass that reads the AST's selectors
//     and hooks; everything after works on the IR.
//   - expand-lists before resolve-syscalls: list entries are sys_X names
//     that need resolving like any call, and generated_syscalls lists only
//     exist once expanded.
//   - resolve-syscalls right after expansion, before the passes that only
//     simplify: it needs the expanded entries, and its errors (a syscall
//     the target does not implement) stop lowering before fold gives
//     advice about a policy that cannot be built anyway.
//   - normalize before fold: fold compares value sets, which must be
//     sorted, unique and canonical (the InMap list values included).
//   - fold before layout-maps: a selector folded away must not leave maps
//     behind, and maps are shared by content, which fold may change.
//   - layout-events last: fold may drop hooks, so IDs and slots are only
//     final at the end.
var passes = []lowerPass{
	{"build", build, ir.StageBuilt},
	{"expand-lists", expandLists, ir.StageExpanded},
	{"resolve-syscalls", resolveSyscalls, ir.StageResolved},
	{"normalize", normalize, ir.StageNormalized},
	{"fold", fold, ir.StageFolded},
	{"layout-maps", layoutMaps, ir.StageMapped},
	{"layout-events", layoutEvents, ir.StageFinal},
}

// PassNames lists the lowering passes in the order they run.
func PassNames() []string {
	names := make([]string, len(passes))
	for i, p := range passes {
		names[i] = p.name
	}
	return names
}

// lowering is the state the passes share: the policy being built, the AST
// it comes from, and where each IR node came from in the YAML (for
// diagnostics with spans and paths).
type lowering struct {
	ast   *Policy
	opts  LowerOptions
	p     *ir.Policy
	diags []Diagnostic
	nodes map[any]*yaml.Node
	pass  string
}

// Lower turns a checked policy (one of Result.Policies) into IR for
// opts.Arch. Diagnostics are what lowering found: notes and warnings about
// selectors folded away, and errors for what the IR cannot express yet or
// what needs a target description. On any error the policy is nil.
// Lowering never panics: a failure inside a pass is an "internal" error
// naming the pass.
func Lower(pol *Policy, opts LowerOptions) (*ir.Policy, []Diagnostic) {
	return lower(pol, opts, passes)
}

func lower(pol *Policy, opts LowerOptions, table []lowerPass) (*ir.Policy, []Diagnostic) {
	if opts.Arch == "" && opts.Target != nil {
		opts.Arch = opts.Target.Arch
	}
	if opts.Arch == "" {
		opts.Arch = arch.X86_64
	}
	l := &lowering{ast: pol, opts: opts, nodes: map[any]*yaml.Node{}}
	if pol == nil {
		l.report(Error, nil, "internal", "", "no policy to lower")
		return nil, l.diags
	}
	if !opts.Arch.Valid() {
		l.report(Error, nil, "internal", "", "cannot lower for unknown architecture %q", string(opts.Arch))
		return nil, l.diags
	}
	if opts.Target != nil && opts.Target.Arch != opts.Arch {
		l.report(Error, nil, "internal", "", "cannot lower for %s against a target kernel of %s", opts.Arch, opts.Target.Arch)
		return nil, l.diags
	}
	for _, ps := range table {
		if !l.run(ps) || l.errors() > 0 {
			return nil, SortDiagnostics(l.diags)
		}
		if opts.Verify {
			if err := ir.VerifyStage(l.p, ps.stage); err != nil {
				l.report(Error, nil, "internal", "this is a polc bug: please report it with the policy",
					"lowering pass %q broke the IR: %v", ps.name, oneLine(err))
				return nil, SortDiagnostics(l.diags)
			}
		}
		if opts.AfterPass != nil {
			opts.AfterPass(ps.name, l.p)
		}
	}
	if err := ir.Verify(l.p); err != nil {
		l.report(Error, nil, "internal", "this is a polc bug: please report it with the policy",
			"lowered IR is invalid: %v", oneLine(err))
		return nil, SortDiagnostics(l.diags)
	}
	return l.p, SortDiagnostics(l.diags)
}

// run runs one pass, turning a panic into an internal error that names it.
func (l *lowering) run(ps lowerPass) (ok bool) {
	l.pass = ps.name
	defer func() {
		if r := recover(); r != nil {
			l.report(Error, nil, "internal", "this is a polc bug: please report it with the policy",
				"lowering pass %q failed: %v", ps.name, r)
			ok = false
		}
	}()
	ps.fn(l)
	return l.p != nil
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

func (l *lowering) errors() int { return Count(l.diags, Error) }

// yamlNode finds the YAML node x came from: x is a *yaml.Node, or an IR
// node that build registered.
func (l *lowering) yamlNode(x any) *yaml.Node {
	switch n := x.(type) {
	case nil:
		return nil
	case *yaml.Node:
		return n
	}
	return l.nodes[x]
}

// report adds a diagnostic at x (see yamlNode); without a node it points at
// the policy.
func (l *lowering) report(sev Severity, x any, code, hint, format string, args ...any) {
	d := Diagnostic{Code: code, Severity: sev, Msg: fmt.Sprintf(format, args...), Hint: hint}
	n := l.yamlNode(x)
	if n == nil && l.ast != nil {
		n = l.ast.Node
	}
	if doc := l.doc(); doc != nil && n != nil {
		d.Pos, d.End = doc.Span(n)
		d.Path = string(doc.Path(n))
	} else if n != nil {
		d.Pos = ir.Pos{Line: n.Line, Col: n.Column}
	}
	l.diags = append(l.diags, d)
}

func (l *lowering) errorf(x any, code, hint, format string, args ...any) {
	l.report(Error, x, code, hint, format, args...)
}

func (l *lowering) warnf(x any, code, hint, format string, args ...any) {
	l.report(Warning, x, code, hint, format, args...)
}

func (l *lowering) doc() *Document {
	if l.ast == nil || l.ast.Doc == nil || l.ast.Doc.Source == nil || l.ast.Doc.ix == nil {
		return nil
	}
	return l.ast.Doc
}

// pos is the IR position of n.
func (l *lowering) pos(n *yaml.Node) ir.Pos {
	if n == nil && l.ast != nil {
		n = l.ast.Node
	}
	if n == nil {
		return ir.Pos{}
	}
	p := ir.Pos{Line: n.Line, Col: n.Column}
	if doc := l.doc(); doc != nil {
		p.File = cmp.Or(l.opts.SourceName, doc.Source.Name)
	}
	return p
}

// from records that IR node x came from YAML node n, and returns n's
// position.
func (l *lowering) from(x any, n *yaml.Node) ir.Pos {
	if n != nil {
		l.nodes[x] = n
	}
	return l.pos(n)
}

// forEachTest calls f with every test of every selector of every hook.
func (l *lowering) forEachTest(f func(h *ir.Hook, s *ir.Selector, t *ir.Test)) {
	for _, h := range l.p.Hooks {
		for _, s := range h.Selectors {
			for _, t := range s.Tests {
				f(h, s, t)
			}
			for _, t := range s.ReturnTests {
				f(h, s, t)
			}
		}
	}
}
