package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
	"github.com/polc-dev/polc/internal/termtext"
	"github.com/polc-dev/polc/ir"
)

// dumpStage is one --stage of polc dump: it writes one checked policy to
// w, and returns what it found to say about it. Stages that need more
// flags read them from dumpContext.
type dumpStage struct {
	name    string
	summary string
	dump    func(c *dumpContext, pol *compiler.Policy, w io.Writer) []compiler.Diagnostic
	// sep is written between the dumps of two policies.
	sep string
}

// dumpContext holds what every stage may need.
type dumpContext struct {
	arch     arch.Arch
	target   kernelTarget
	eachPass bool // --each-pass
	pos      bool // --pos: positions in the IR and source lines in the asm
	flags    *flag.FlagSet
	root     string // files are named relative to it (--root; recordedName)
}

func dumpStages() []dumpStage {
	return []dumpStage{
		{"parse", "the checked policy as normalized YAML", dumpParse, "---\n"},
		{"ir", "the lowered IR", dumpIR, "\n"},
		{"asm", "the generated BPF programs, disassembled", dumpAsm, "\n"},
	}
}

func runDump(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("dump", stderr)
	var names []string
	for _, s := range dumpStages() {
		names = append(names, s.name)
	}
	stageName := fs.String("stage", "ir", "what to print: "+strings.Join(names, ", "))
	tf := addTargetFlags(fs)
	root := addRootFlag(fs)
	eachPass := fs.Bool("each-pass", false, "with --stage ir: print the IR after every lowering pass, verifying it in between")
	pos := fs.Bool("pos", false, "print where each IR line comes from in the policy (@FILE:LINE:COL), and the policy line numbers in the asm; and with a bundle the positions in its manifest; left out by default so that golden files do not change when lines move")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc dump [flags] FILE|DIR|-...\n       polc dump [--pos] BUNDLE.bpf.o...\n\nstages (of policies; a bundle is dumped whole: manifest, maps, programs):\n")
		for _, s := range dumpStages() {
			fmt.Fprintf(stderr, "  %-6s %s\n", s.name, s.summary)
		}
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if bundles, code, ok := dumpBundles(fs, *pos, stdout, stderr); ok {
		return code
	} else if bundles {
		return exitUsage
	}
	var stage *dumpStage
	for _, s := range dumpStages() {
		if s.name == *stageName {
			stage = &s
		}
	}
	if stage == nil {
		fmt.Fprintf(stderr, "polc dump: unknown stage %q (want %s)\n", *stageName, strings.Join(names, ", "))
		return exitUsage
	}
	kt, err := tf.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "polc dump: %v\n", err)
		return exitUsage
	}
	a := kt.arch
	srcs, err := compiler.ReadSources(fs.Args(), os.Stdin)
	if err != nil {
		fmt.Fprintf(stderr, "polc dump: %v\n", err)
		return exitUsage
	}
	res := compiler.Check(srcs, compiler.Options{Arch: a, Target: kt.profile, Sysroot: kt.sysroot})
	rootDir, err := sourceRoot(*root)
	if err != nil {
		fmt.Fprintf(stderr, "polc dump: %v\n", err)
		return exitUsage
	}
	ctx := &dumpContext{arch: a, target: kt, eachPass: *eachPass, pos: *pos, flags: fs, root: rootDir}
	var out bytes.Buffer
	for i, pol := range res.Policies {
		if i > 0 {
			out.WriteString(stage.sep)
		}
		res.Diagnostics = append(res.Diagnostics, stage.dump(ctx, pol, &out)...)
	}
	res.Diagnostics = compiler.SortDiagnostics(res.Diagnostics)
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "polc dump: write: %v\n", err)
		return exitUsage
	}
	if len(res.Diagnostics) > 0 {
		if err := report.Write(stderr, report.Text, res, report.Options{Color: useColor("auto", stderr)}); err != nil {
			fmt.Fprintf(stderr, "polc dump: %v\n", err)
			return exitUsage
		}
	}
	if res.Errors() > 0 {
		return exitFound
	}
	return exitOK
}

func dumpIR(c *dumpContext, pol *compiler.Policy, w io.Writer) []compiler.Diagnostic {
	opts := compiler.LowerOptions{Arch: c.arch, Target: c.target.profile, SourceName: recordedName(pol.Doc.Source.Name, c.root)}
	po := ir.PrintOptions{NoPos: !c.pos}
	if c.eachPass {
		opts.Verify = true
		opts.AfterPass = func(pass string, p *ir.Policy) {
			fmt.Fprintf(w, "# after %s\n", pass)
			ir.FprintWith(w, p, po)
		}
	}
	p, diags := compiler.Lower(pol, opts)
	if p != nil && !c.eachPass {
		ir.FprintWith(w, p, po)
	}
	return diags
}

func dumpParse(c *dumpContext, pol *compiler.Policy, w io.Writer) []compiler.Diagnostic {
	if err := compiler.WriteNormalized(w, pol); err != nil {
		return []compiler.Diagnostic{{Code: "internal", Severity: compiler.Error, Pos: ir.Pos{File: pol.Doc.Source.Name},
			Msg: fmt.Sprintf("cannot print the policy: %v", err)}}
	}
	return nil
}

// dumpBundles dumps the compiled bundles among the arguments. bundles is
// false when there are none (the arguments are policies); ok is true when
// they were dumped (or failed with code), false after a usage error.
func dumpBundles(fs *flag.FlagSet, pos bool, stdout, stderr io.Writer) (bundles bool, code int, ok bool) {
	var n int
	for _, a := range fs.Args() {
		if isBundleFile(a) {
			n++
		}
	}
	if n == 0 {
		return false, 0, false
	}
	if n != fs.NArg() {
		fmt.Fprintln(stderr, "polc dump: give policies or bundles (ELF files), not both")
		return true, exitUsage, false
	}
	var bad []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "pos" {
			bad = append(bad, "--"+f.Name)
		}
	})
	if len(bad) > 0 {
		fmt.Fprintf(stderr, "polc dump: %s: not for bundles, which are dumped whole (give the policy to dump a stage)\n", strings.Join(bad, ", "))
		return true, exitUsage, false
	}
	for i, path := range fs.Args() {
		d, err := dumpBundleFile(path, pos)
		if err != nil {
			fmt.Fprintf(stderr, "polc dump: %s\n", termtext.Truncate(termtext.Escape(err.Error()), 16<<10))
			return true, exitUsage, true
		}
		if i > 0 {
			io.WriteString(stdout, "\n")
		}
		// A manifest is anybody's text: escape what a terminal would act on.
		io.WriteString(stdout, termtext.Escape(d.text))
	}
	return true, exitOK, true
}
