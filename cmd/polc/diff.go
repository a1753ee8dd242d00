package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
	"github.com/polc-dev/polc/internal/termtext"
	"github.com/polc-dev/polc/ir"
)

// runDiff is polc diff A B: what changed between two compiled policies, as
// a unified diff of their normalized dumps, then the change of each
// program's size. Two policies are compared by their IR (hooks, selectors,
// values, actions; no positions), a bundle and anything by the bundles'
// dumps (manifest, maps, disassembly). Exit 0 when they are the same, 1
// when they differ, 2 on an error, as diff(1).
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", stderr)
	tf := addTargetFlags(fs)
	root := addRootFlag(fs)
	context := fs.Int("U", 3, "lines of context around each change")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc diff [flags] A B\n\nA and B are policy files or bundles (NAME.bpf.o)\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 2 {
		return usageError(fs, fmt.Sprintf("want two files to compare, got %d", fs.NArg()))
	}
	if *context < 0 {
		return usageError(fs, "-U takes a count of lines, 0 or more")
	}
	kt, err := tf.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "polc diff: %v\n", err)
		return exitUsage
	}
	rootDir, err := sourceRoot(*root)
	if err != nil {
		fmt.Fprintf(stderr, "polc diff: %v\n", err)
		return exitUsage
	}
	var sides [2]*diffSide
	for i, path := range fs.Args() {
		s, err := readDiffSide(path, kt, rootDir, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "polc diff: %s\n", termtext.Truncate(termtext.Escape(err.Error()), 16<<10))
			return exitUsage
		}
		sides[i] = s
	}
	a, b := sides[0], sides[1]
	textA, textB := a.ir, b.ir
	if a.ir == "" || b.ir == "" { // a bundle on either side
		textA, textB = diffable(a.bundles), diffable(b.bundles)
	}
	d := unifiedDiff(fs.Arg(0), fs.Arg(1), textA, textB, *context)
	sizes := sizeChanges(a.sizes, b.sizes)
	if d == "" && sizes == "" {
		return exitOK
	}
	io.WriteString(stdout, termtext.Escape(d))
	if sizes != "" {
		if d != "" {
			io.WriteString(stdout, "\n")
		}
		io.WriteString(stdout, sizes)
	}
	return exitFound
}

// diffSide is one file polc diff compares.
type diffSide struct {
	ir      string         // a policy file's IR, "" for a bundle
	bundles string         // the bundles' dumps (the policies', built)
	sizes   map[string]int // POLICY/PROGRAM: instructions
}

// readDiffSide reads a bundle, or checks, lowers and builds the policies
// of a file. A policy with errors is an error, its diagnostics on stderr.
func readDiffSide(path string, kt kernelTarget, root string, stderr io.Writer) (*diffSide, error) {
	s := &diffSide{sizes: map[string]int{}}
	if isBundleFile(path) {
		d, err := dumpBundleFile(path, false)
		if err != nil {
			return nil, err
		}
		s.bundles = d.text
		for prog, n := range d.sizes {
			s.sizes[d.policy+"/"+prog] = n
		}
		return s, nil
	}
	srcs, err := compiler.ReadSources([]string{path}, os.Stdin)
	if err != nil {
		return nil, err
	}
	res := compiler.Check(srcs, compiler.Options{Arch: kt.arch, Target: kt.profile, Sysroot: kt.sysroot})
	var irText, bundles strings.Builder
	for i, pol := range res.Policies {
		b, diags := buildPolicy(pol, kt, root)
		res.Diagnostics = append(res.Diagnostics, diags...)
		if b == nil {
			continue
		}
		p, _ := compiler.Lower(pol, compiler.LowerOptions{Arch: kt.arch, Target: kt.profile})
		if i > 0 {
			irText.WriteString("\n")
			bundles.WriteString("\n")
		}
		ir.FprintWith(&irText, p, ir.PrintOptions{NoPos: true})
		d, err := dumpBundle(b.Object, false)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		bundles.WriteString(d.text)
		for prog, n := range d.sizes {
			s.sizes[d.policy+"/"+prog] = n
		}
	}
	if res.Errors() > 0 {
		report.Write(stderr, report.Text, res, report.Options{Color: useColor("auto", stderr)})
		return nil, fmt.Errorf("%s: the policy has errors: fix them to compare it", path)
	}
	if len(res.Policies) == 0 {
		return nil, fmt.Errorf("%s: no policy in it", path)
	}
	s.ir, s.bundles = irText.String(), bundles.String()
	return s, nil
}

// insnIndex is the index starting each instruction line of a disassembly:
// one instruction added would renumber every line after it.
var insnIndex = regexp.MustCompile(`(?m)^(\t *)[0-9]+: `)

// diffable is a bundle dump as polc diff compares it: without the indexes
// of instructions, so that a change shows as the lines it changes.
func diffable(dump string) string { return insnIndex.ReplaceAllString(dump, "$1") }

// sizeChanges lists the programs whose instruction count changed, "" when
// none did.
func sizeChanges(a, b map[string]int) string {
	names := map[string]bool{}
	for n := range a {
		names[n] = true
	}
	for n := range b {
		names[n] = true
	}
	var sorted []string
	for n := range names {
		if a[n] != b[n] {
			sorted = append(sorted, n)
		}
	}
	if len(sorted) == 0 {
		return ""
	}
	sort.Strings(sorted)
	var out strings.Builder
	out.WriteString("program sizes (instructions):\n")
	for _, n := range sorted {
		before, inA := a[n]
		after, inB := b[n]
		switch {
		case !inA:
			fmt.Fprintf(&out, "  %s: new, %d\n", n, after)
		case !inB:
			fmt.Fprintf(&out, "  %s: removed (was %d)\n", n, before)
		default:
			fmt.Fprintf(&out, "  %s: %d -> %d (%+d)\n", n, before, after, after-before)
		}
	}
	return out.String()
}
