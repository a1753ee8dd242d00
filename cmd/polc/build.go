package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
	"github.com/polc-dev/polc/ir"
)

// runBuild compiles each policy into DIR/NAME.bpf.o. Diagnostics and exit
// status are validate's: a policy with an error (in checking, lowering or
// code generation) writes no bundle and makes the status 1.
func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stderr)
	outDir := fs.String("o", ".", "directory to write the bundles (NAME.bpf.o) to")
	sf := addSignFlags(fs)
	format := fs.String("format", "text", "diagnostics format: text, json, sarif or github")
	color := fs.String("color", "auto", "color text output: auto, always or never")
	root := addRootFlag(fs)
	tf := addTargetFlags(fs)
	setName := fs.String("set", "", "compile every policy given into one policy set bundle NAME.bpf.o: one program per hook for all of them, each member switched off and on by itself (polrun unload NAME/MEMBER)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc build [flags] FILE|DIR|-...\n\n")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	sgn, err := sf.signer(time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "polc build: %v\n", err)
		return exitUsage
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "polc build: %v\n", err)
		return exitUsage
	}
	kt, err := tf.resolve()
	if err != nil {
		fmt.Fprintf(stderr, "polc build: %v\n", err)
		return exitUsage
	}
	srcs, err := compiler.ReadSources(fs.Args(), os.Stdin)
	if err != nil {
		fmt.Fprintf(stderr, "polc build: %v\n", err)
		return exitUsage
	}
	rootDir, err := sourceRoot(*root)
	if err != nil {
		fmt.Fprintf(stderr, "polc build: %v\n", err)
		return exitUsage
	}
	res := compiler.Check(srcs, compiler.Options{Arch: kt.arch, Target: kt.profile, Sysroot: kt.sysroot})
	var bundles []*codegen.Bundle
	written := map[string]string{}
	if *setName != "" {
		if !validSetName(*setName) {
			fmt.Fprintf(stderr, "polc build: --set %q: a set's name is a policy name (lower-case letters, digits, '-' and '.')\n", *setName)
			return exitUsage
		}
		if len(res.Policies) == 0 && res.Errors() == 0 {
			fmt.Fprintf(stderr, "polc build: --set %s: no policies given\n", *setName)
			return exitUsage
		}
		if b, diags := buildSet(*setName, res.Policies, kt, rootDir); b != nil {
			bundles = append(bundles, b)
			res.Diagnostics = append(res.Diagnostics, diags...)
		} else {
			res.Diagnostics = append(res.Diagnostics, diags...)
		}
		res.Policies = nil
	}
	for _, pol := range res.Policies {
		b, diags := buildPolicy(pol, kt, rootDir)
		res.Diagnostics = append(res.Diagnostics, diags...)
		if b == nil {
			continue
		}
		if prev, dup := written[b.FileName()]; dup {
			fmt.Fprintf(stderr, "polc build: policies in %s and %s are both named %q: both would be written to %s\n",
				prev, pol.Doc.Source.Name, b.Name, b.FileName())
			return exitUsage
		}
		written[b.FileName()] = pol.Doc.Source.Name
		bundles = append(bundles, b)
	}
	res.Diagnostics = compiler.SortDiagnostics(res.Diagnostics)
	failed := res.Errors() > 0
	if !failed {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			fmt.Fprintf(stderr, "polc build: %v\n", err)
			return exitUsage
		}
		if err := writeBundles(*outDir, bundles, sgn); err != nil {
			fmt.Fprintf(stderr, "polc build: %v\n", err)
			return exitUsage
		}
	}
	ropts := report.Options{Color: useColor(*color, stdout), ToolVersion: version, Rules: rules()}
	ropts.Root = rootDir
	if len(res.Diagnostics) > 0 || f != report.Text {
		if err := report.Write(stdout, f, res, ropts); err != nil {
			fmt.Fprintf(stderr, "polc build: write: %v\n", err)
			return exitUsage
		}
	}
	if failed {
		return exitFound
	}
	return exitOK
}

// writeBundles writes each bundle, and with a signer its signature, to
// dir. Every file is first written in full to a temporary file in dir and
// renamed into place only once all of them are written: a build that
// fails (a full disk, a name the filesystem refuses, a signing error)
// leaves no partial file and no unsigned bundle behind, and the files a
// previous build wrote stay as they were.
func writeBundles(dir string, bundles []*codegen.Bundle, sgn *signer) (err error) {
	type pending struct{ tmp, final string }
	var todo []pending
	defer func() {
		if err != nil {
			for _, p := range todo {
				os.Remove(p.tmp)
			}
		}
	}()
	stage := func(final string, data []byte) error {
		f, err := os.CreateTemp(dir, ".polc-build-*")
		if err != nil {
			return err
		}
		todo = append(todo, pending{f.Name(), final})
		_, err = f.Write(data)
		if err == nil {
			err = f.Chmod(0o644)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", final, err)
		}
		return nil
	}
	for _, b := range bundles {
		// The signature goes into place before its bundle: a rename that
		// fails in between leaves a bundle that fails verification, never
		// a new unsigned one.
		path := filepath.Join(dir, b.FileName())
		if sgn != nil {
			sig, err := sgn.signature(b.Name, b.Object)
			if err == nil {
				err = stage(bundle.SignatureFile(path), sig)
			}
			if err != nil {
				return fmt.Errorf("sign: %w", err)
			}
		}
		if err := stage(path, b.Object); err != nil {
			return err
		}
	}
	for i, p := range todo {
		if err := os.Rename(p.tmp, p.final); err != nil {
			todo = todo[i:]
			return err
		}
	}
	todo = nil
	if sgn == nil {
		// An unsigned build removes the signature a signed one left: it
		// would sign other bytes, and inspect or a reader of the directory
		// would take the new bundle for a signed one.
		for _, b := range bundles {
			if err := removeSignature(filepath.Join(dir, b.FileName())); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildPolicy lowers a checked policy and generates its bundle. The
// bundle is nil when lowering or code generation reported an error.
//
// The bundle names the policy's file relative to root (recordedName), so
// that its bytes depend on the policy and polc's version only, not on the
// directory polc ran in or the path it was given.
func buildPolicy(pol *compiler.Policy, kt kernelTarget, root string) (*codegen.Bundle, []compiler.Diagnostic) {
	a := kt.arch
	src := pol.Doc.Source
	name := recordedName(src.Name, root)
	p, diags := compiler.Lower(pol, compiler.LowerOptions{Arch: a, Target: kt.profile, SourceName: name})
	if p == nil || compiler.Count(diags, compiler.Error) > 0 {
		return nil, diags
	}
	b, err := codegen.Build(p, codegen.Options{Arch: a, Source: name, SourceSHA256: src.SHA256(), Compiler: version,
		SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }, Target: kt.profile})
	if err != nil {
		ds := codegenDiagnostics(err, p.Pos)
		for i := range ds {
			if ds[i].Pos.File == name {
				ds[i].Pos.File = src.Name // diagnostics name the file as the user gave it
			}
		}
		return nil, append(diags, ds...)
	}
	if missing := compiler.CheckFeatures(b.Manifest.Features, kt.profile, p.Pos); len(missing) > 0 {
		return nil, append(diags, missing...)
	}
	return b, diags
}

// codegenDiagnostics turns codegen's errors into diagnostics: what the
// generator cannot compile yet is "unsupported".
func codegenDiagnostics(err error, pos ir.Pos) []compiler.Diagnostic {
	errs, ok := err.(codegen.Errors)
	if !ok {
		return []compiler.Diagnostic{{Code: "internal", Severity: compiler.Error, Pos: pos,
			Msg: err.Error(), Hint: "this is a polc bug: please report it with the policy"}}
	}
	var out []compiler.Diagnostic
	for _, e := range errs {
		out = append(out, compiler.Diagnostic{Code: "unsupported", Severity: compiler.Error, Pos: e.Pos, Msg: e.Msg})
	}
	return out
}

// dumpAsm is polc dump --stage asm: the generated programs, disassembled.
func dumpAsm(c *dumpContext, pol *compiler.Policy, w io.Writer) []compiler.Diagnostic {
	b, diags := buildPolicy(pol, c.target, c.root)
	if b != nil {
		io.WriteString(w, b.Asm(codegen.AsmOptions{NoLines: !c.pos}))
	}
	return diags
}

// validSetName: a set's name names a loaded policy, as a policy's does.
var validSetName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`).MatchString

// buildSet lowers the checked policies and generates one policy set bundle
// of them (codegen.BuildSet). The bundle is nil on any error.
func buildSet(name string, pols []*compiler.Policy, kt kernelTarget, root string) (*codegen.Bundle, []compiler.Diagnostic) {
	var diags []compiler.Diagnostic
	var members []codegen.SetMember
	sources := map[string]*compiler.Source{}
	failed := false
	for _, pol := range pols {
		src := pol.Doc.Source
		rec := recordedName(src.Name, root)
		p, ds := compiler.Lower(pol, compiler.LowerOptions{Arch: kt.arch, Target: kt.profile, SourceName: rec})
		diags = append(diags, ds...)
		if p == nil || compiler.Count(ds, compiler.Error) > 0 {
			failed = true
			continue
		}
		sources[rec] = src
		members = append(members, codegen.SetMember{Policy: p, Source: rec, SourceSHA256: src.SHA256()})
	}
	if failed {
		return nil, diags
	}
	if len(members) == 0 {
		return nil, diags
	}
	b, err := codegen.BuildSet(name, members, codegen.Options{Arch: kt.arch, Compiler: version, Target: kt.profile,
		SourceLine: func(pos ir.Pos) string {
			if src := sources[pos.File]; src != nil {
				return src.Line(pos.Line)
			}
			return ""
		}})
	if err != nil {
		ds := codegenDiagnostics(err, members[0].Policy.Pos)
		for i := range ds {
			if src := sources[ds[i].Pos.File]; src != nil {
				ds[i].Pos.File = src.Name
			}
		}
		return nil, append(diags, ds...)
	}
	if missing := compiler.CheckFeatures(b.Manifest.Features, kt.profile, members[0].Policy.Pos); len(missing) > 0 {
		return nil, append(diags, missing...)
	}
	return b, diags
}
