package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/compiler/report"
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
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: polc dump [flags] FILE|DIR|-...\n\nstages:\n")
		for _, s := range dumpStages() {
			fmt.Fprintf(stderr, "  %-6s %s\n", s.name, s.summary)
		}
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
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
	ctx := &dumpContext{arch: a, target: kt, eachPass: *eachPass, flags: fs, root: rootDir}
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
	if c.eachPass {
		opts.Verify = true
		opts.AfterPass = func(pass string, p *ir.Policy) {
			fmt.Fprintf(w, "# after %s\n", pass)
			ir.Fprint(w, p)
		}
	}
	p, diags := compiler.Lower(pol, opts)
	if p != nil && !c.eachPass {
		ir.Fprint(w, p)
	}
	return diags
}

func dumpParse(c *dumpContext, pol *compiler.Policy, w io.Writer) []compiler.Diagnostic {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(normalizePolicy(pol)); err != nil {
		return []compiler.Diagnostic{{Code: "internal", Severity: compiler.Error, Pos: ir.Pos{File: pol.Doc.Source.Name},
			Msg: fmt.Sprintf("cannot print the policy: %v", err)}}
	}
	enc.Close()
	return nil
}

// The normalized form of a checked policy, for --stage parse: fields in a
// fixed order, names in their canonical spelling (operators, actions,
// types, namespaces, capabilities), defaults written out (syscall: false,
// followForks: false, type: Effective, index: 0). Values stay as written.

type nPolicy struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   nMetadata `yaml:"metadata"`
	Spec       nSpec     `yaml:"spec"`
}

type nMetadata struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

type nSpec struct {
	Loader            bool            `yaml:"loader,omitempty"`
	Lists             []nList         `yaml:"lists,omitempty"`
	KProbes           []nKprobe       `yaml:"kprobes,omitempty"`
	Tracepoints       []nTracepoint   `yaml:"tracepoints,omitempty"`
	UProbes           []nUprobe       `yaml:"uprobes,omitempty"`
	LSMHooks          []nLSM          `yaml:"lsmhooks,omitempty"`
	USDTs             []nUSDT         `yaml:"usdts,omitempty"`
	Enforcers         []nEnforcer     `yaml:"enforcers,omitempty"`
	Options           []nOption       `yaml:"options,omitempty"`
	PodSelector       *nLabelSelector `yaml:"podSelector,omitempty"`
	ContainerSelector *nLabelSelector `yaml:"containerSelector,omitempty"`
}

type nList struct {
	Name    string   `yaml:"name"`
	Type    string   `yaml:"type,omitempty"`
	Values  []string `yaml:"values,omitempty"`
	Pattern *string  `yaml:"pattern,omitempty"`
}

type nHook struct {
	Message   string      `yaml:"message,omitempty"`
	Tags      []string    `yaml:"tags,omitempty"`
	Args      []nArg      `yaml:"args,omitempty"`
	Selectors []nSelector `yaml:"selectors,omitempty"`
}

type nKprobe struct {
	Call            string   `yaml:"call"`
	Syscall         bool     `yaml:"syscall"`
	Return          bool     `yaml:"return"`
	ReturnArg       *nArg    `yaml:"returnArg,omitempty"`
	ReturnArgAction string   `yaml:"returnArgAction,omitempty"`
	Ignore          *nIgnore `yaml:"ignore,omitempty"`
	nHook           `yaml:",inline"`
}

type nIgnore struct {
	CallNotFound bool `yaml:"callNotFound"`
}

type nTracepoint struct {
	Subsystem string `yaml:"subsystem"`
	Event     string `yaml:"event"`
	Raw       bool   `yaml:"raw"`
	nHook     `yaml:",inline"`
}

type nUprobe struct {
	Path          string   `yaml:"path"`
	Symbols       []string `yaml:"symbols,omitempty"`
	Offsets       []uint64 `yaml:"offsets,omitempty"`
	RefCtrOffsets []uint64 `yaml:"refCtrOffsets,omitempty"`
	BTFPath       string   `yaml:"btfPath,omitempty"`
	Return        bool     `yaml:"return"`
	ReturnArg     *nArg    `yaml:"returnArg,omitempty"`
	nHook         `yaml:",inline"`
}

type nLSM struct {
	Hook  string `yaml:"hook"`
	nHook `yaml:",inline"`
}

type nUSDT struct {
	Path     string `yaml:"path"`
	Provider string `yaml:"provider"`
	Name     string `yaml:"name"`
	nHook    `yaml:",inline"`
}

type nArg struct {
	Index        int    `yaml:"index"`
	Type         string `yaml:"type,omitempty"`
	Label        string `yaml:"label,omitempty"`
	SizeArgIndex int    `yaml:"sizeArgIndex,omitempty"`
	ReturnCopy   *bool  `yaml:"returnCopy,omitempty"`
	MaxData      *bool  `yaml:"maxData,omitempty"`
	Resolve      string `yaml:"resolve,omitempty"`
	BTFType      string `yaml:"btfType,omitempty"`
}

type nSelector struct {
	MatchPIDs              []nPID       `yaml:"matchPIDs,omitempty"`
	MatchBinaries          []nBinary    `yaml:"matchBinaries,omitempty"`
	MatchParentBinaries    []nBinary    `yaml:"matchParentBinaries,omitempty"`
	MatchNamespaces        []nNamespace `yaml:"matchNamespaces,omitempty"`
	MatchNamespaceChanges  []nNSChange  `yaml:"matchNamespaceChanges,omitempty"`
	MatchCapabilities      []nCaps      `yaml:"matchCapabilities,omitempty"`
	MatchCapabilityChanges []nCaps      `yaml:"matchCapabilityChanges,omitempty"`
	MatchArgs              []nArgFilter `yaml:"matchArgs,omitempty"`
	MatchReturnArgs        []nArgFilter `yaml:"matchReturnArgs,omitempty"`
	MatchActions           []nAction    `yaml:"matchActions,omitempty"`
	MatchReturnActions     []nAction    `yaml:"matchReturnActions,omitempty"`
}

type nPID struct {
	Operator       string `yaml:"operator"`
	FollowForks    bool   `yaml:"followForks"`
	IsNamespacePID bool   `yaml:"isNamespacePID"`
	Values         []any  `yaml:"values"` // numbers, as the schema wants
}

type nBinary struct {
	Operator       string   `yaml:"operator"`
	FollowChildren bool     `yaml:"followChildren"`
	Values         []string `yaml:"values"`
}

type nNamespace struct {
	Namespace string   `yaml:"namespace"`
	Operator  string   `yaml:"operator"`
	Values    []string `yaml:"values"`
}

type nNSChange struct {
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values"`
}

type nCaps struct {
	Type                  string   `yaml:"type"`
	Operator              string   `yaml:"operator"`
	IsNamespaceCapability bool     `yaml:"isNamespaceCapability"`
	Values                []string `yaml:"values"`
}

type nArgFilter struct {
	Index    *int     `yaml:"index,omitempty"`
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values,omitempty"`
	Args     []int    `yaml:"args,omitempty"`
}

type nAction struct {
	Action           string `yaml:"action"`
	ArgFd            *int   `yaml:"argFd,omitempty"`
	ArgName          *int   `yaml:"argName,omitempty"`
	ArgSock          *int   `yaml:"argSock,omitempty"`
	ArgIndex         *int   `yaml:"argIndex,omitempty"`
	ArgValue         *int64 `yaml:"argValue,omitempty"`
	ArgError         *int64 `yaml:"argError,omitempty"`
	ArgSig           *int64 `yaml:"argSig,omitempty"`
	ArgURL           string `yaml:"argUrl,omitempty"`
	ArgFqdn          string `yaml:"argFqdn,omitempty"`
	RateLimit        string `yaml:"rateLimit,omitempty"`
	RateLimitScope   string `yaml:"rateLimitScope,omitempty"`
	KernelStackTrace *bool  `yaml:"kernelStackTrace,omitempty"`
	UserStackTrace   *bool  `yaml:"userStackTrace,omitempty"`
	ImaHash          *bool  `yaml:"imaHash,omitempty"`
}

type nEnforcer struct {
	Calls []string `yaml:"calls"`
}

type nOption struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

type nLabelSelector struct {
	MatchLabels      map[string]string `yaml:"matchLabels,omitempty"`
	MatchExpressions []nLabelExpr      `yaml:"matchExpressions,omitempty"`
}

type nLabelExpr struct {
	Key      string   `yaml:"key"`
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values,omitempty"`
}

func normalizePolicy(pol *compiler.Policy) *nPolicy {
	s := &pol.Spec
	out := &nPolicy{
		APIVersion: pol.APIVersion, Kind: pol.Kind,
		Metadata: nMetadata{Name: pol.Metadata.Name, Namespace: pol.Metadata.Namespace,
			Labels: pol.Metadata.Labels, Annotations: pol.Metadata.Annotations},
	}
	ns := &out.Spec
	ns.Loader = s.Loader
	for _, l := range s.Lists {
		ns.Lists = append(ns.Lists, nList{Name: l.Name, Type: l.Type, Values: l.Values, Pattern: l.Pattern})
	}
	for _, k := range s.KProbes {
		nk := nKprobe{Call: k.Call, Syscall: k.Syscall, Return: k.Return, ReturnArgAction: k.ReturnArgAction,
			nHook: normalizeHook(&k.Hook)}
		if name, ok := strings.CutPrefix(k.Call, "list:"); ok {
			// The list's type decides: its entries are syscalls or not.
			for _, l := range s.Lists {
				if l.Name == name {
					nk.Syscall = l.Type == "syscalls" || l.Type == "generated_syscalls"
				}
			}
		}
		if k.ReturnArg != nil {
			nk.ReturnArg = normalizeArg(k.ReturnArg)
		}
		if k.Ignore != nil {
			nk.Ignore = &nIgnore{CallNotFound: k.Ignore.CallNotFound}
		}
		ns.KProbes = append(ns.KProbes, nk)
	}
	for _, t := range s.Tracepoints {
		ns.Tracepoints = append(ns.Tracepoints, nTracepoint{Subsystem: t.Subsystem, Event: t.Event, Raw: t.Raw, nHook: normalizeHook(&t.Hook)})
	}
	for _, u := range s.UProbes {
		syms := u.Symbols
		if u.Symbol != "" {
			syms = append([]string{u.Symbol}, syms...)
		}
		nu := nUprobe{Path: u.Path, Symbols: syms, Offsets: u.Offsets, RefCtrOffsets: u.RefCtrOffsets, BTFPath: u.BTFPath,
			Return: u.Return, nHook: normalizeHook(&u.Hook)}
		if u.ReturnArg != nil {
			nu.ReturnArg = normalizeArg(u.ReturnArg)
		}
		ns.UProbes = append(ns.UProbes, nu)
	}
	for _, l := range s.LSMHooks {
		ns.LSMHooks = append(ns.LSMHooks, nLSM{Hook: l.Name, nHook: normalizeHook(&l.Hook)})
	}
	for _, u := range s.USDTs {
		ns.USDTs = append(ns.USDTs, nUSDT{Path: u.Path, Provider: u.Provider, Name: u.Name, nHook: normalizeHook(&u.Hook)})
	}
	for _, e := range s.Enforcers {
		ns.Enforcers = append(ns.Enforcers, nEnforcer{Calls: e.Calls})
	}
	for _, o := range s.Options {
		ns.Options = append(ns.Options, nOption{Name: o.Name, Value: o.Value})
	}
	ns.PodSelector = normalizeLabels(s.PodSelector)
	ns.ContainerSelector = normalizeLabels(s.ContainerSelector)
	return out
}

func normalizeLabels(ls *compiler.LabelSelector) *nLabelSelector {
	if ls == nil {
		return nil
	}
	out := &nLabelSelector{MatchLabels: ls.MatchLabels}
	for _, e := range ls.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, nLabelExpr{Key: e.Key, Operator: e.Operator, Values: e.Values})
	}
	return out
}

func normalizeHook(h *compiler.Hook) nHook {
	out := nHook{Message: h.Message, Tags: h.Tags}
	for _, a := range h.Args {
		out.Args = append(out.Args, *normalizeArg(a))
	}
	for _, s := range h.Selectors {
		out.Selectors = append(out.Selectors, normalizeSelector(s))
	}
	return out
}

func normalizeArg(a *compiler.Arg) *nArg {
	out := &nArg{Index: a.Index, Type: a.Type, Label: a.Label, SizeArgIndex: a.SizeArgIndex, Resolve: a.Resolve, BTFType: a.BTFType}
	if t, ok := ir.ParseType(a.Type); ok {
		out.Type = t.String()
		if t.IsBuffer() || t == ir.TypeIovIter {
			out.MaxData = &a.MaxData
			if t.IsBuffer() {
				out.ReturnCopy = &a.ReturnCopy
			}
		}
	}
	return out
}

// canonicalOp spells an operator as Op.String does, or leaves it.
func canonicalOp(s string) string {
	if op, ok := ir.ParseOp(s); ok {
		return op.String()
	}
	return s
}

func normalizeSelector(s *compiler.Selector) nSelector {
	var out nSelector
	for _, f := range s.MatchPIDs {
		var pids []any
		for _, v := range f.Values {
			if pid, err := ir.ParsePID(v); err == nil {
				pids = append(pids, pid)
			} else {
				pids = append(pids, v)
			}
		}
		out.MatchPIDs = append(out.MatchPIDs, nPID{Operator: canonicalOp(f.Operator), FollowForks: f.FollowForks,
			IsNamespacePID: f.IsNamespacePID, Values: pids})
	}
	for _, f := range s.MatchBinaries {
		out.MatchBinaries = append(out.MatchBinaries, nBinary{Operator: canonicalOp(f.Operator), FollowChildren: f.FollowChildren, Values: f.Values})
	}
	for _, f := range s.MatchParentBinaries {
		out.MatchParentBinaries = append(out.MatchParentBinaries, nBinary{Operator: canonicalOp(f.Operator), FollowChildren: f.FollowChildren, Values: f.Values})
	}
	for _, f := range s.MatchNamespaces {
		kind := f.Namespace
		if n, ok := ir.ParseNamespace(kind); ok {
			kind = n.String()
		}
		out.MatchNamespaces = append(out.MatchNamespaces, nNamespace{Namespace: kind, Operator: canonicalOp(f.Operator), Values: f.Values})
	}
	for _, f := range s.MatchNamespaceChanges {
		vals := make([]string, len(f.Values))
		for i, v := range f.Values {
			vals[i] = v
			if n, ok := ir.ParseNamespace(v); ok {
				vals[i] = n.String()
			}
		}
		out.MatchNamespaceChanges = append(out.MatchNamespaceChanges, nNSChange{Operator: canonicalOp(f.Operator), Values: vals})
	}
	caps := func(fs []*compiler.CapFilter) []nCaps {
		var out []nCaps
		for _, f := range fs {
			set := f.Type
			if c, ok := ir.ParseCapSet(f.Type); ok {
				set = c.String()
			}
			vals := make([]string, len(f.Values))
			for i, v := range f.Values {
				vals[i] = v
				if n, err := ir.ParseCapability(v); err == nil {
					vals[i] = ir.CapabilityName(n)
				}
			}
			out = append(out, nCaps{Type: set, Operator: canonicalOp(f.Operator), IsNamespaceCapability: f.IsNamespaceCapability, Values: vals})
		}
		return out
	}
	out.MatchCapabilities = caps(s.MatchCapabilities)
	out.MatchCapabilityChanges = caps(s.MatchCapabilityChanges)
	argFilters := func(fs []*compiler.ArgFilter, ret bool) []nArgFilter {
		var out []nArgFilter
		for _, f := range fs {
			nf := nArgFilter{Operator: canonicalOp(f.Operator), Values: f.Values, Args: f.Args}
			if !ret {
				idx := 0
				if f.Index != nil {
					idx = *f.Index
				}
				nf.Index = &idx
			}
			out = append(out, nf)
		}
		return out
	}
	out.MatchArgs = argFilters(s.MatchArgs, false)
	out.MatchReturnArgs = argFilters(s.MatchReturnArgs, true)
	out.MatchActions = normalizeActions(s.MatchActions)
	out.MatchReturnActions = normalizeActions(s.MatchReturnActions)
	return out
}

func normalizeActions(as []*compiler.Action) []nAction {
	var out []nAction
	for _, a := range as {
		na := nAction{Action: a.Action, ArgFd: a.ArgFd, ArgName: a.ArgName, ArgSock: a.ArgSock, ArgIndex: a.ArgIndex,
			ArgValue: a.ArgValue, ArgError: a.ArgError, ArgSig: a.ArgSig, ArgURL: a.ArgURL, ArgFqdn: a.ArgFqdn}
		kind, ok := ir.ParseAction(a.Action)
		if ok {
			na.Action = kind.String()
		}
		switch kind {
		case ir.ActTrackSock, ir.ActUntrackSock:
			if na.ArgSock == nil {
				na.ArgSock = new(int)
			}
		case ir.ActPost:
			na.RateLimit = a.RateLimit
			if a.RateLimit != "" {
				na.RateLimitScope = a.RateLimitScope
				if na.RateLimitScope == "" {
					na.RateLimitScope = "thread"
				}
			}
			na.KernelStackTrace, na.UserStackTrace, na.ImaHash = &a.KernelStackTrace, &a.UserStackTrace, &a.ImaHash
		}
		out = append(out, na)
	}
	return out
}
