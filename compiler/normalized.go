package compiler

import (
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/ir"
)

// WriteNormalized writes pol in its normalized form, as YAML: what polc
// dump --stage parse prints. Two policies that mean the same print the
// same, whatever the order, spelling and defaults they were written with;
// the output is itself a valid policy that normalizes to itself.
func WriteNormalized(w io.Writer, pol *Policy) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(normalizePolicy(pol)); err != nil {
		return err
	}
	return enc.Close()
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
	HostSelector      *nLabelSelector `yaml:"hostSelector,omitempty"`
	NodeSelector      *nLabelSelector `yaml:"nodeSelector,omitempty"`
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
	Data      []nArg      `yaml:"data,omitempty"`
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
	Path          string         `yaml:"path"`
	Symbols       []string       `yaml:"symbols,omitempty"`
	Offsets       []uint64       `yaml:"offsets,omitempty"`
	RefCtrOffsets []uint64       `yaml:"refCtrOffsets,omitempty"`
	BTFPath       string         `yaml:"btfPath,omitempty"`
	BinaryDigests []string       `yaml:"binaryDigests,omitempty"`
	Ignore        *nUprobeIgnore `yaml:"ignore,omitempty"`
	// InContainer: resolvePathInContainer.
	InContainer bool  `yaml:"resolvePathInContainer,omitempty"`
	Return      bool  `yaml:"return"`
	ReturnArg   *nArg `yaml:"returnArg,omitempty"`
	nHook       `yaml:",inline"`
}

type nUprobeIgnore struct {
	DigestVerificationFailure bool `yaml:"digestVerificationFailure"`
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
	Size         int    `yaml:"size,omitempty"`
	ReturnCopy   *bool  `yaml:"returnCopy,omitempty"`
	MaxData      *bool  `yaml:"maxData,omitempty"`
	Resolve      string `yaml:"resolve,omitempty"`
	BTFType      string `yaml:"btfType,omitempty"`
	Source       string `yaml:"source,omitempty"`
}

type nSelector struct {
	MatchPIDs              []nPID       `yaml:"matchPIDs,omitempty"`
	MatchBinaries          []nBinary    `yaml:"matchBinaries,omitempty"`
	MatchParentBinaries    []nBinary    `yaml:"matchParentBinaries,omitempty"`
	MatchCmdArgs           []nCmdArg    `yaml:"matchCmdArgs,omitempty"`
	MatchNamespaces        []nNamespace `yaml:"matchNamespaces,omitempty"`
	MatchNamespaceChanges  []nNSChange  `yaml:"matchNamespaceChanges,omitempty"`
	MatchCapabilities      []nCaps      `yaml:"matchCapabilities,omitempty"`
	MatchCapabilityChanges []nCaps      `yaml:"matchCapabilityChanges,omitempty"`
	MatchArgs              []nArgFilter `yaml:"matchArgs,omitempty"`
	MatchData              []nArgFilter `yaml:"matchData,omitempty"`
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

type nCmdArg struct {
	Index    int      `yaml:"index"`
	Operator string   `yaml:"operator"`
	Values   []string `yaml:"values"`
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

func normalizePolicy(pol *Policy) *nPolicy {
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
		nk.Data = normalizeData(k.Data)
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
			BinaryDigests: normalDigests(u.BinaryDigests), InContainer: u.ResolvePathInContainer, Return: u.Return, nHook: normalizeHook(&u.Hook)}
		if u.Ignore != nil {
			nu.Ignore = &nUprobeIgnore{DigestVerificationFailure: u.Ignore.DigestVerificationFailure}
		}
		nu.Data = normalizeData(u.Data)
		if u.ReturnArg != nil {
			nu.ReturnArg = normalizeArg(u.ReturnArg)
		}
		ns.UProbes = append(ns.UProbes, nu)
	}
	for _, l := range s.LSMHooks {
		nl := nLSM{Hook: l.Name, nHook: normalizeHook(&l.Hook)}
		nl.Data = normalizeData(l.Data)
		ns.LSMHooks = append(ns.LSMHooks, nl)
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
	ns.HostSelector = normalizeLabels(s.HostSelector)
	ns.NodeSelector = normalizeLabels(s.NodeSelector)
	return out
}

func normalizeLabels(ls *LabelSelector) *nLabelSelector {
	if ls == nil {
		return nil
	}
	out := &nLabelSelector{MatchLabels: ls.MatchLabels}
	for _, e := range ls.MatchExpressions {
		out.MatchExpressions = append(out.MatchExpressions, nLabelExpr{Key: e.Key, Operator: e.Operator, Values: e.Values})
	}
	return out
}

func normalizeHook(h *Hook) nHook {
	out := nHook{Message: h.Message, Tags: h.Tags}
	for _, a := range h.Args {
		out.Args = append(out.Args, *normalizeArg(a))
	}
	for _, s := range h.Selectors {
		out.Selectors = append(out.Selectors, normalizeSelector(s))
	}
	return out
}

// normalizeData normalizes a hook's data entries.
func normalizeData(data []*Arg) []nArg {
	var out []nArg
	for _, a := range data {
		out = append(out, *normalizeArg(a))
	}
	return out
}

func normalizeArg(a *Arg) *nArg {
	out := &nArg{Index: a.Index, Type: a.Type, Label: a.Label, SizeArgIndex: a.SizeArgIndex, Resolve: a.Resolve, BTFType: a.BTFType, Source: a.Source}
	if t, ok := ir.ParseType(a.Type); ok {
		out.Type = t.String()
		if t.IsBuffer() || t == ir.TypeIovIter {
			out.MaxData = &a.MaxData
			if t.IsBuffer() {
				out.ReturnCopy = &a.ReturnCopy
			}
		}
		if t == ir.TypeInt32Arr {
			out.Size, out.ReturnCopy = a.Size, &a.ReturnCopy
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

func normalizeSelector(s *Selector) nSelector {
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
	for _, f := range s.MatchCmdArgs {
		n := nCmdArg{Operator: canonicalOp(f.Operator), Values: f.Values}
		if f.Index != nil {
			n.Index = *f.Index
		}
		out.MatchCmdArgs = append(out.MatchCmdArgs, n)
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
	caps := func(fs []*CapFilter) []nCaps {
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
	argFilters := func(fs []*ArgFilter, ret bool) []nArgFilter {
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
	out.MatchData = argFilters(s.MatchData, false)
	out.MatchReturnArgs = argFilters(s.MatchReturnArgs, true)
	out.MatchActions = normalizeActions(s.MatchActions)
	out.MatchReturnActions = normalizeActions(s.MatchReturnActions)
	return out
}

func normalizeActions(as []*Action) []nAction {
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
