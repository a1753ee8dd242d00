package compiler

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// build turns the AST into IR, one hook per kprobe, tracepoint, LSM hook
// and USDT probe, one per symbol (or offset) of a uprobe. Kprobes on
// "list:NAME" and InMap "list:NAME" values are left for expand-lists.
func build(l *lowering) {
	pol := l.ast
	l.p = &ir.Policy{
		Name:      pol.Metadata.Name,
		Namespace: pol.Metadata.Namespace,
		Arch:      string(l.opts.Arch),
		Loader:    pol.Spec.Loader,
		Pos:       l.pos(pol.Node),
	}
	if l.p.Pos.Line == 0 {
		l.p.Pos = ir.Pos{File: l.p.Pos.File, Line: 1, Col: 1}
	}
	spec := &pol.Spec
	for _, k := range spec.KProbes {
		l.buildKprobe(k)
	}
	for _, k := range spec.Fentries {
		l.buildKprobe(k)
	}
	for _, t := range spec.Tracepoints {
		kind := ir.HookTracepoint
		if t.Raw {
			kind = ir.HookRawTracepoint
		}
		target := t.Subsystem + "/" + t.Event
		h := &ir.Hook{Kind: kind, Target: target, Call: target}
		l.buildHook(h, t.At, &t.Hook, nil, nil, false, true)
	}
	for _, u := range spec.UProbes {
		l.buildUprobes(u)
	}
	for _, m := range spec.LSMHooks {
		l.buildHook(&ir.Hook{Kind: ir.HookLSM, Target: m.Name, Call: m.Name}, m.At, &m.Hook, m.Data, nil, false, false)
	}
	for _, u := range spec.USDTs {
		sym := u.Provider + ":" + u.Name
		l.buildHook(&ir.Hook{Kind: ir.HookUSDT, Target: u.Path, Symbol: sym, Call: sym}, u.At, &u.Hook, nil, nil, false, false)
	}
	for _, e := range spec.Enforcers {
		for i, call := range e.Calls {
			n := valueNode(e.At, "calls", i)
			enf := &ir.Enforcer{Call: call, Target: call, Syscall: arch.IsSyscall(l.opts.Arch, call)}
			if strings.HasPrefix(call, "list:") {
				enf.Target = ""
			}
			enf.Pos = l.from(enf, n)
			l.p.Enforcers = append(l.p.Enforcers, enf)
		}
	}
	l.lowerOptions() // options.go
	// What restricts the policy to pods goes to the manifest, whose loader
	// refuses it (it has no pod metadata): podScope (lint.go), as Tetragon's
	// policy filter reads the kind and the selectors. The node selector
	// goes there too, applied by the loader.
	l.p.PodSelectors = podScope(l.ast)
	for _, u := range spec.UProbes {
		if u.ResolvePathInContainer && !slices.Contains(l.p.PodSelectors, "resolvePathInContainer") {
			// The path is in containers' roots (check_container_path.go).
			l.p.PodSelectors = append(l.p.PodSelectors, "resolvePathInContainer")
		}
	}
	if ns := spec.NodeSelector; ns != nil {
		l.p.NodeSelector = &ir.LabelSelector{MatchLabels: ns.MatchLabels}
		for _, e := range ns.MatchExpressions {
			l.p.NodeSelector.MatchExpressions = append(l.p.NodeSelector.MatchExpressions,
				ir.LabelRequirement{Key: e.Key, Operator: e.Operator, Values: e.Values})
		}
	}
	for i, h := range l.p.Hooks {
		h.ID = i
	}
}

func (l *lowering) buildKprobe(k *KProbe) {
	h := &ir.Hook{Kind: ir.HookKprobe, Target: k.Call, Call: k.Call, Syscall: k.Syscall, Return: k.Return, Fentry: k.Fentry}
	if strings.HasPrefix(k.Call, "list:") {
		h.Target = ""
	}
	h.IgnoreMissing = k.Ignore != nil && k.Ignore.CallNotFound
	switch strings.ToLower(k.ReturnArgAction) {
	case "tracksock":
		h.RetAction = ir.ActTrackSock
	case "untracksock":
		h.RetAction = ir.ActUntrackSock
	}
	l.buildHook(h, k.At, &k.Hook, k.Data, k.ReturnArg, k.Return, false)
}

func (l *lowering) buildUprobes(u *UProbe) {
	syms := u.Symbols
	if u.Symbol != "" {
		syms = append([]string{u.Symbol}, syms...)
	}
	n := max(len(syms), len(u.Offsets), len(u.Addrs))
	for i := range n {
		h := &ir.Hook{Kind: ir.HookUprobe, Target: u.Path, Return: u.Return, BTFPath: u.BTFPath,
			BinaryDigests: normalDigests(u.BinaryDigests), IgnoreDigestMismatch: u.Ignore != nil && u.Ignore.DigestVerificationFailure}
		if i < len(syms) {
			h.Symbol = syms[i]
		}
		if i < len(u.Offsets) {
			h.Offset = u.Offsets[i]
		}
		if i < len(u.Addrs) {
			h.Addr = u.Addrs[i]
		}
		call := h.Symbol
		if sym, off, err := splitSymbolOffset(h.Symbol); err == nil && off != 0 {
			// SYMBOL+OFFSET: the uprobe attaches into the function.
			h.Symbol, h.Offset = sym, h.Offset+off
		}
		if i < len(u.RefCtrOffsets) {
			h.RefCtrOffset = u.RefCtrOffsets[i]
		}
		h.Call = call
		if h.Call == "" && h.Addr != 0 {
			h.Call = fmt.Sprintf("%#x", h.Addr)
		} else if h.Call == "" {
			h.Call = fmt.Sprintf("%#x", h.Offset)
		}
		if h.Symbol == "" && i < len(syms) {
			l.errorf(valueNode(u.At, "symbols", i), "missing-field", "", "symbol %d is empty", i)
		}
		l.buildHook(h, u.At, &u.Hook, u.Data, u.ReturnArg, u.Return, false)
	}
}

// requireNames reports a hook whose name fields are empty strings, which
// the schema lets through ("call: \"\"").
func (l *lowering) requireNames(h *ir.Hook, at At) {
	var fields []string
	switch h.Kind {
	case ir.HookKprobe:
		fields = []string{"call"}
	case ir.HookTracepoint, ir.HookRawTracepoint:
		fields = []string{"subsystem", "event"}
	case ir.HookUprobe:
		fields = []string{"path"}
	case ir.HookLSM:
		fields = []string{"hook"}
	case ir.HookUSDT:
		fields = []string{"path", "provider", "name"}
	}
	for _, f := range fields {
		if n := at.Field(f); n == nil || n.Value == "" {
			l.errorf(fieldOr(at, f), "missing-field", "", "%s is empty", f)
		}
	}
}

// argRefs resolves the argument references of one hook's YAML: matchArgs
// indexes, action fields, sizeArgIndex.
type argRefs struct {
	byIndex    map[int]int // declared index -> slot
	n          int
	tracepoint bool
	uprobe     bool  // Override writes registers
	data       []int // slots of the data entries, by position in data
	dataIndex  []int // their declared indexes
}

// dataSlot resolves a matchData filter: args names a position in data,
// else index the entry declared with it (at that same position: the
// checks refuse the filter otherwise).
func (r *argRefs) dataSlot(f *ArgFilter) (int, bool) {
	pos := derefOr(f.Index, 0)
	if len(f.Args) > 0 {
		pos = f.Args[0]
	} else if pos < 0 || pos >= len(r.dataIndex) || r.dataIndex[pos] != pos {
		return 0, false
	}
	if pos < 0 || pos >= len(r.data) {
		return 0, false
	}
	return r.data[pos], true
}

// buildDataArg lowers a data entry to the argument of the given slot.
func (l *lowering) buildDataArg(a *Arg, slot int) *ir.Arg {
	arg := l.buildArg(a, slot, false)
	switch a.Source {
	case "current_task":
		arg.Source = ir.SourceCurrentTask
	case "pt_regs":
		arg.Source = ir.SourcePtRegs
		arg.Resolve = nil
		r, ok := l.opts.Arch.UserReg(a.Resolve)
		if !ok {
			l.errorf(fieldOr(a.At, "resolve"), "bad-data", "", "%q is not a register of %s", a.Resolve, l.opts.Arch)
		}
		arg.Reg = &ir.Reg{Name: a.Resolve, Offset: r.Offset, Size: max(r.Size, 1)}
	default:
		l.errorf(fieldOr(a.At, "source"), "bad-data", "", "data source %q", a.Source)
	}
	return arg
}

// slot returns the slot of the argument declared with index idx.
func (r *argRefs) slot(idx int) (int, bool) {
	s, ok := r.byIndex[idx]
	return s, ok
}

// filterSlot resolves a matchArgs index: a declared index, or for
// tracepoints the position in args (Tetragon's rule, as the checker has it).
func (r *argRefs) filterSlot(idx int) (int, bool) {
	if s, ok := r.byIndex[idx]; ok {
		return s, true
	}
	if r.tracepoint && idx >= 0 && idx < r.n {
		return idx, true
	}
	return 0, false
}

// buildHook fills h from the parts every hook kind shares and adds it.
func (l *lowering) buildHook(h *ir.Hook, at At, hk *Hook, data []*Arg, ret *Arg, hasReturn, tracepoint bool) {
	h.Pos = l.from(h, at.Node)
	l.requireNames(h, at)
	h.Message = hk.Message
	h.Tags = slices.Clone(hk.Tags)
	refs := &argRefs{byIndex: map[int]int{}, n: len(hk.Args), tracepoint: tracepoint, uprobe: h.Kind == ir.HookUprobe}
	for slot, a := range hk.Args {
		if _, dup := refs.byIndex[a.Index]; !dup {
			refs.byIndex[a.Index] = slot
		}
	}
	for slot, a := range hk.Args {
		arg := l.buildArg(a, slot, tracepoint)
		arg.SizeSlot = ir.NoSize
		if a.SizeArgIndex != 0 {
			s, ok := refs.slot(a.SizeArgIndex - 1)
			switch {
			case ok && sizeType(hk.Args[s]):
				arg.SizeSlot = s
			case h.Kind != ir.HookTracepoint && a.SizeArgIndex <= ir.MaxSizeRaw:
				// Tetragon's e->a0..a4: the raw argument, whatever is
				// declared there (the checks warn when it is a pointer).
				arg.SizeRaw = a.SizeArgIndex
			default:
				l.errorf(fieldOr(a.At, "sizeArgIndex"), "bad-size-arg", "", "sizeArgIndex %d refers to no declared integer argument", a.SizeArgIndex)
			}
		} else if a.ReturnCopy && arg.Type != ir.TypeInt32Arr {
			arg.SizeSlot = ir.SizeFromReturn
		}
		if a.ReturnCopy {
			h.Return = true
		}
		h.Args = append(h.Args, arg)
	}
	if tracepoint {
		l.resolveAutoTypes(h, hk)
	}
	for _, a := range data {
		arg := l.buildDataArg(a, len(h.Args))
		refs.data = append(refs.data, arg.Slot)
		refs.dataIndex = append(refs.dataIndex, a.Index)
		h.Args = append(h.Args, arg)
	}
	if hasReturn && ret != nil {
		h.Ret = l.buildArg(ret, -1, false)
		h.Ret.Index = 0
	}
	for i, s := range hk.Selectors {
		if sel := l.buildSelector(h, refs, s, i); sel != nil {
			h.Selectors = append(h.Selectors, sel)
		}
	}
	if len(hk.Selectors) > 0 && len(h.Selectors) == 0 {
		l.warnf(h, "never-fires", "", "%s %s can never fire: none of its selectors can match; it is dropped", h.Kind, hookName(h))
		return
	}
	l.p.Hooks = append(l.p.Hooks, h)
}

// sizeType tells whether a declared argument holds a length: an integer,
// or a tracepoint field of type auto (resolved to one, or refused, later).
func sizeType(a *Arg) bool {
	if a.Type == "" || a.Type == "auto" {
		return true
	}
	t, ok := ir.ParseType(a.Type)
	return !ok || t.IsInteger()
}

func (l *lowering) buildArg(a *Arg, slot int, tracepoint bool) *ir.Arg {
	arg := &ir.Arg{Slot: slot, Index: a.Index, Label: a.Label, ReturnCopy: a.ReturnCopy, MaxData: a.MaxData,
		BTFType: a.BTFType, SizeSlot: ir.NoSize}
	arg.Pos = l.from(arg, a.Node)
	t, ok := ir.ParseType(a.Type)
	switch {
	case ok:
		arg.Type = t
		if t == ir.TypeInt32Arr {
			arg.Elems = a.Size
		}
		if t == ir.TypeCharIovec {
			arg.MaxData = false // ignored, as in Tetragon (the checks warn)
		}
	case a.Type == "" && tracepoint:
		arg.Type = ir.TypeAuto
	default:
		l.errorf(fieldOr(a.At, "type"), "unknown-type", "", "unknown argument type %q", a.Type)
		arg.Type = ir.TypeNop
	}
	if a.Resolve != "" {
		arg.Resolve = strings.Split(a.Resolve, ".")
	}
	return arg
}

func (l *lowering) buildSelector(h *ir.Hook, refs *argRefs, s *Selector, index int) *ir.Selector {
	sel := &ir.Selector{Index: index}
	sel.Pos = l.from(sel, s.Node)
	for _, f := range s.MatchArgs {
		if t := l.argTest(h, refs, f, false); t != nil {
			sel.Tests = append(sel.Tests, t)
		}
	}
	for _, f := range s.MatchData {
		if t := l.dataTest(h, refs, f); t != nil {
			sel.Tests = append(sel.Tests, t)
		}
	}
	for _, f := range s.MatchReturnArgs {
		if t := l.argTest(h, refs, f, true); t != nil {
			sel.ReturnTests = append(sel.ReturnTests, t)
		}
	}
	for _, f := range s.MatchPIDs {
		t := &ir.Test{Kind: ir.TestPID, Op: l.inNotIn(f.At, f.Operator), FollowForks: f.FollowForks, NamespacePID: f.IsNamespacePID}
		t.Pos = l.from(t, f.Node)
		for i, v := range f.Values {
			pid, err := ir.ParsePID(v)
			if err != nil {
				l.errorf(valueNode(f.At, "values", i), "bad-value", "", "%v", err)
			}
			t.Values = append(t.Values, ir.Value{Kind: ir.ValInt, Int: int64(pid)})
		}
		sel.Tests = append(sel.Tests, t)
	}
	for _, f := range s.MatchBinaries {
		if len(f.Values) == 0 {
			continue // Tetragon ignores a matchBinaries without values (the checks warn)
		}
		op, ok := ir.ParseOp(f.Operator)
		if !ok {
			l.errorf(fieldOr(f.At, "operator"), "bad-operator", "", "matchBinaries operator %q", f.Operator)
		}
		t := &ir.Test{Kind: ir.TestBinary, Op: op, FollowChildren: f.FollowChildren}
		t.Pos = l.from(t, f.Node)
		for _, v := range f.Values {
			t.Values = append(t.Values, ir.Value{Kind: ir.ValString, Str: v})
		}
		sel.Tests = append(sel.Tests, t)
	}
	for _, f := range s.MatchParentBinaries {
		sel.Tests = append(sel.Tests, l.parentBinaryTest(f))
	}
	for _, f := range s.MatchCmdArgs {
		sel.Tests = append(sel.Tests, l.cmdArgTest(f))
	}
	for _, f := range s.MatchNamespaces {
		ns, ok := ir.ParseNamespace(f.Namespace)
		if !ok {
			l.errorf(fieldOr(f.At, "namespace"), "bad-namespace", "", "%q is not a namespace kind", f.Namespace)
		}
		t := &ir.Test{Kind: ir.TestNamespace, Op: l.inNotIn(f.At, f.Operator), Namespace: ns}
		t.Pos = l.from(t, f.Node)
		for i, v := range f.Values {
			inode, host, err := ir.ParseNamespaceValue(v)
			switch {
			case err != nil:
				l.errorf(valueNode(f.At, "values", i), "bad-value", "", "%v", err)
			case host:
				t.HostNS = true
			default:
				t.Values = append(t.Values, ir.Value{Kind: ir.ValInt, Int: int64(inode)})
			}
		}
		sel.Tests = append(sel.Tests, t)
	}
	for _, f := range s.MatchCapabilities {
		sel.Tests = append(sel.Tests, l.capTest(ir.TestCaps, f))
	}
	for _, f := range s.MatchCapabilityChanges {
		sel.Tests = append(sel.Tests, l.capTest(ir.TestCapChange, f))
	}
	for _, f := range s.MatchNamespaceChanges {
		t := &ir.Test{Kind: ir.TestNSChange, Op: l.inNotIn(f.At, f.Operator)}
		t.Pos = l.from(t, f.Node)
		for i, v := range f.Values {
			ns, ok := ir.ParseNamespace(v)
			if !ok {
				l.errorf(valueNode(f.At, "values", i), "bad-namespace", "", "%q is not a namespace kind", v)
				continue
			}
			t.Mask |= 1 << ns
		}
		if t.Op == ir.OpNotIn && t.Mask == 0 {
			// Tetragon's NotIn of no kinds passes when a namespace of any
			// kind changed: In of every kind.
			t.Op, t.Mask = ir.OpIn, 1<<ir.NumNamespaces-1
		}
		sel.Tests = append(sel.Tests, t)
	}
	// Filters without values are decided here, as Tetragon decides them
	// (checker.requireValues warns): the IR holds no test without values.
	kept := sel.Tests[:0]
	for _, t := range sel.Tests {
		if !emptyTest(t) {
			kept = append(kept, t)
		} else if truth, _ := staticTruth(h, t); truth == truthNever {
			return nil // the selector never matches
		}
	}
	sel.Tests = kept
	// Keep the order of the YAML, whatever the filter kind, until normalize
	// sorts the tests canonically.
	slices.SortStableFunc(sel.Tests, func(a, b *ir.Test) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
	})
	for _, a := range s.MatchActions {
		if act := l.buildAction(refs, a); act != nil {
			sel.Actions = append(sel.Actions, act)
		}
	}
	for _, a := range s.MatchReturnActions {
		if act := l.buildAction(refs, a); act != nil {
			sel.ReturnActions = append(sel.ReturnActions, act)
		}
	}
	posts := func(a *ir.Action) bool { return a.Kind == ir.ActPost || a.Kind == ir.ActNoPost }
	if !slices.ContainsFunc(sel.Actions, posts) && !slices.ContainsFunc(sel.ReturnActions, posts) {
		// Every match posts its event unless told otherwise.
		sel.Actions = append(sel.Actions, &ir.Action{Kind: ir.ActPost, Pos: sel.Pos})
	}
	return sel
}

// emptyTest reports a test its filter gave no values to test, which
// staticTruth decides (Tetragon's reading).
func emptyTest(t *ir.Test) bool {
	switch t.Kind {
	case ir.TestArg:
		return t.Op.TakesValues() && len(t.Values) == 0 && t.Map == nil
	case ir.TestPID, ir.TestNamespace:
		return len(t.Values) == 0 && !t.HostNS
	case ir.TestCaps, ir.TestCapChange, ir.TestNSChange:
		return t.Mask == 0
	}
	return false
}

func (l *lowering) inNotIn(at At, operator string) ir.Op {
	op, ok := ir.ParseOp(operator)
	if !ok || op != ir.OpIn && op != ir.OpNotIn {
		l.errorf(fieldOr(at, "operator"), "bad-operator", "use In or NotIn", "operator %q", operator)
	}
	return op
}

// parentBinaryTest lowers a matchParentBinaries filter: the parent's
// executable path, from the process table.
func (l *lowering) parentBinaryTest(f *BinaryFilter) *ir.Test {
	op, ok := ir.ParseOp(f.Operator)
	if !ok {
		l.errorf(fieldOr(f.At, "operator"), "bad-operator", "", "matchParentBinaries operator %q", f.Operator)
	}
	t := &ir.Test{Kind: ir.TestParentBinary, Op: op, FollowChildren: f.FollowChildren}
	t.Pos = l.from(t, f.Node)
	for _, v := range f.Values {
		t.Values = append(t.Values, ir.Value{Kind: ir.ValString, Str: v})
	}
	return t
}

// cmdArgTest lowers a matchCmdArgs filter: one command-line argument of
// the process, from the arguments the base keeps (bpf.CmdArgsMap).
func (l *lowering) cmdArgTest(f *CmdArgFilter) *ir.Test {
	op, ok := ir.ParseOp(f.Operator)
	if !ok {
		l.errorf(fieldOr(f.At, "operator"), "bad-operator", "", "matchCmdArgs operator %q", f.Operator)
	}
	t := &ir.Test{Kind: ir.TestCmdArg, Op: op}
	if f.Index != nil {
		t.CmdArg = *f.Index
	}
	t.Pos = l.from(t, f.Node)
	for _, v := range f.Values {
		t.Values = append(t.Values, ir.Value{Kind: ir.ValString, Str: v})
	}
	return t
}

func (l *lowering) capTest(kind ir.TestKind, f *CapFilter) *ir.Test {
	set, ok := ir.ParseCapSet(f.Type)
	if !ok {
		l.errorf(fieldOr(f.At, "type"), "bad-cap-type", "", "%q is not a capability set", f.Type)
	}
	t := &ir.Test{Kind: kind, Op: l.inNotIn(f.At, f.Operator), CapSet: set, NamespaceCap: f.IsNamespaceCapability}
	t.Pos = l.from(t, f.Node)
	for i, v := range f.Values {
		c, err := ir.ParseCapability(v)
		if err != nil {
			l.errorf(valueNode(f.At, "values", i), "bad-value", "", "%v", err)
			continue
		}
		t.Mask |= 1 << c
	}
	if kind == ir.TestCapChange && t.Op == ir.OpNotIn && t.Mask == 0 {
		// Tetragon's NotIn of no capabilities passes when the set changed
		// at all: In of every capability.
		for _, c := range ir.Capabilities {
			t.Mask |= 1 << c
		}
		t.Op = ir.OpIn
	}
	return t
}

// argTest builds a matchArgs (or matchReturnArgs) test.
// dataTest lowers a matchData filter: a test of the data entry's slot,
// as a matchArgs test is of an argument's.
func (l *lowering) dataTest(h *ir.Hook, refs *argRefs, f *ArgFilter) *ir.Test {
	slot, ok := refs.dataSlot(f)
	if !ok {
		l.errorf(f.Node, "unknown-arg", "", "matchData refers to no data entry")
		return nil
	}
	g := *f
	g.Args, g.Index = []int{slot}, nil
	return l.argTest(h, refs, &g, false)
}

func (l *lowering) argTest(h *ir.Hook, refs *argRefs, f *ArgFilter, ret bool) *ir.Test {
	op, ok := ir.ParseOp(f.Operator)
	if !ok {
		l.errorf(fieldOr(f.At, "operator"), "bad-operator", "", "unknown operator %q", f.Operator)
		return nil
	}
	t := &ir.Test{Kind: ir.TestArg, Op: op}
	t.Pos = l.from(t, f.Node)
	var arg *ir.Arg
	if ret {
		t.Kind = ir.TestReturn
		if arg = h.Ret; arg == nil {
			l.errorf(f.Node, "needs-return", "set return: true and a returnArg on the hook", "matchReturnArgs needs the hook's return value")
			return nil
		}
	} else if len(f.Args) > 0 {
		// args: positions in the hook's args (slots); the first names the
		// argument, as in Tetragon, and index is not read.
		slot := f.Args[0]
		if slot < 0 || slot >= len(h.Args) {
			l.errorf(valueNode(f.At, "args", 0), "unknown-arg", "", "args entry %d is not a position in the hook's args", slot)
			return nil
		}
		t.Slot, arg = slot, h.Args[slot]
	} else {
		idx := derefOr(f.Index, 0)
		slot, ok := refs.filterSlot(idx)
		if !ok || slot >= len(h.Args) {
			l.errorf(fieldOr(f.At, "index"), "unknown-arg", "", "matchArgs index %d refers to no declared argument", idx)
			return nil
		}
		t.Slot, arg = slot, h.Args[slot]
	}
	t.Type = arg.Type
	if arg.Type == ir.TypeAuto {
		l.errorf(fieldOr(f.At, "operator"), "unsupported", `declare the field's type, e.g. type: "int", or build with --target, whose format gives it`,
			"filtering a tracepoint field needs its type: without a target kernel, polc does not know the field's")
		return nil
	}
	if err := ir.CheckArgOp(op, arg.Type); err != nil {
		l.errorf(fieldOr(f.At, "operator"), "bad-operator", "", "%v", err)
		return nil
	}
	if op == ir.OpCelExpr {
		return l.celTest(h, f, t)
	}
	if op == ir.OpCapabilitiesGained {
		if len(f.Args) != 2 {
			l.errorf(fieldOr(f.At, "operator"), "bad-operator", "list the new and the old capability set arguments: args: [NEW, OLD]",
				"CapabilitiesGained compares two capability arguments")
			return nil
		}
		// Tetragon reads both entries as positions in the hook's args.
		for i, slot := range f.Args {
			if slot < 0 || slot >= len(h.Args) || h.Args[slot].Type.Class() != ir.ClassCaps {
				l.errorf(valueNode(f.At, "args", i), "bad-arg-type", "CapabilitiesGained compares two capability set arguments (kernel_cap_t, cap_*), named by their positions in args",
					"args entry %d is not the position of a capability set argument", slot)
				return nil
			}
			if i == 0 {
				t.Slot, t.Type = slot, h.Args[slot].Type
			} else {
				t.Slot2 = slot
			}
		}
		return t
	}
	if !op.TakesValues() {
		return t
	}
	for i, v := range f.Values {
		val, err := ir.ParseArgValue(op, arg.Type, v)
		if err != nil {
			l.errorf(valueNode(f.At, "values", i), "bad-value", "", "%v", err)
			continue
		}
		t.Values = append(t.Values, val)
	}
	return t
}

// celTest completes a CelExpr test: its expression, checked with the
// types of the arguments args lists (argN: the slot args[N]).
func (l *lowering) celTest(h *ir.Hook, f *ArgFilter, t *ir.Test) *ir.Test {
	if t.Kind != ir.TestArg || len(f.Args) == 0 || len(f.Values) != 1 {
		l.errorf(fieldOr(f.At, "operator"), "bad-operator", "", "CelExpr takes args and one expression, in matchArgs")
		return nil
	}
	types := make([]ir.ArgType, len(f.Args))
	for i, slot := range f.Args {
		if slot < 0 || slot >= len(h.Args) {
			l.errorf(valueNode(f.At, "args", i), "unknown-arg", "", "args entry %d is not a position in the hook's args", slot)
			return nil
		}
		types[i] = h.Args[slot].Type
	}
	e, err := ir.ParseCel(f.Values[0], types)
	if err == nil {
		err = celArgsAgree(e, f.Args)
	}
	if err != nil {
		l.errorf(valueNode(f.At, "values", 0), "bad-value", "", "CelExpr: %v", err)
		return nil
	}
	e.Slots = slices.Clone(f.Args)
	t.Cel = e
	t.Values = []ir.Value{{Kind: ir.ValString, Str: f.Values[0]}}
	return t
}

// buildAction lowers one matchActions entry. Argument fields name declared
// argument indexes; the IR holds slots.
func (l *lowering) buildAction(refs *argRefs, a *Action) *ir.Action {
	kind, ok := ir.ParseAction(a.Action)
	if !ok {
		l.errorf(fieldOr(a.At, "action"), "bad-action", "", "unknown action %q", a.Action)
		return nil
	}
	act := &ir.Action{Kind: kind}
	act.Pos = l.from(act, a.Node)
	slot := func(field string, idx *int, dflt bool) int {
		if idx == nil && dflt {
			idx = new(int)
		}
		if idx == nil {
			l.errorf(fieldOr(a.At, "action"), "missing-field", "", "%s needs %s", a.Action, field)
			return 0
		}
		s, ok := refs.slot(*idx)
		if !ok {
			l.errorf(fieldOr(a.At, field), "unknown-arg", fmt.Sprintf("%s is the index of a declared argument", field),
				"%s %d refers to no declared argument", field, *idx)
		}
		return s
	}
	switch kind {
	case ir.ActSigkill:
		act.Signal = 9
	case ir.ActSignal:
		act.Signal = int(derefInt64(a.ArgSig))
	case ir.ActOverride:
		act.Error = int32(derefInt64(a.ArgError))
		switch {
		case refs.uprobe && (a.ArgNewSymbol != "" || a.ArgNewAddr != nil || a.ArgNewOffset != nil):
			act.Jump = &ir.UprobeJump{Symbol: strings.TrimSpace(a.ArgNewSymbol)}
			if a.ArgNewAddr != nil {
				act.Jump.Addr = *a.ArgNewAddr
			}
			if a.ArgNewOffset != nil {
				act.Jump.Offset = *a.ArgNewOffset
			}
		case refs.uprobe:
			act.Regs = l.regAssigns(a, act.Error)
		}
	case ir.ActFollowFD, ir.ActCopyFD:
		act.FdSlot = slot("argFd", a.ArgFd, false)
		act.NameSlot = slot("argName", a.ArgName, false)
	case ir.ActUnfollowFD:
		act.FdSlot = slot("argFd", a.ArgFd, false)
	case ir.ActTrackSock, ir.ActUntrackSock:
		act.SockSlot = slot("argSock", a.ArgSock, true)
	case ir.ActGetURL:
		act.URL = a.ArgURL
	case ir.ActDNSLookup:
		act.FQDN = a.ArgFqdn
	case ir.ActNotifyEnforcer:
		act.Error = int32(derefInt64(a.ArgError))
		act.Signal = int(derefInt64(a.ArgSig))
	case ir.ActSet:
		act.SetIndex = slot("argIndex", a.ArgIndex, false)
		act.SetValue = derefInt64(a.ArgValue)
	case ir.ActPost:
		act.KernelStack, act.UserStack, act.ImaHash = a.KernelStackTrace, a.UserStackTrace, a.ImaHash
		if a.RateLimit != "" {
			ms, err := parseRateLimit(a.RateLimit)
			if err != nil {
				l.errorf(fieldOr(a.At, "rateLimit"), "bad-value", "", "%v", err)
			}
			act.RateLimitMs = ms
			switch a.RateLimitScope {
			case "process":
				act.RateLimitScope = ir.ScopeProcess
			case "global":
				act.RateLimitScope = ir.ScopeGlobal
			}
		}
	}
	return act
}

func derefInt64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// parseRateLimit turns "30", "30s", "2m", "1h" into milliseconds; 0 is no
// limit.
func parseRateLimit(s string) (uint32, error) {
	unit := uint64(1000)
	num := s
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 's', 'S':
			num = s[:n-1]
		case 'm', 'M':
			num, unit = s[:n-1], 60*1000
		case 'h', 'H':
			num, unit = s[:n-1], 3600*1000
		}
	}
	v, err := strconv.ParseUint(num, 10, 32)
	if err != nil || v*unit > 1<<32-1 {
		return 0, fmt.Errorf("rateLimit %q is not a duration from 1s to 49 days", s)
	}
	return uint32(v * unit), nil
}

// listOf finds the list named name.
func (l *lowering) listOf(name string, at any) (*List, bool) {
	for _, ls := range l.ast.Spec.Lists {
		if ls.Name == name {
			return ls, true
		}
	}
	l.errorf(at, "unknown-list", "define it under spec.lists", "list %q is not defined", name)
	return nil, false
}

// nodeOf returns the YAML node an IR node came from, for messages.
func (l *lowering) nodeOf(x any) *yaml.Node { return l.nodes[x] }

// regAssigns lowers the register assignments of Override on a uprobe:
// argRegs, or those that return argError at once.
func (l *lowering) regAssigns(a *Action, errValue int32) []ir.RegAssign {
	texts := a.ArgRegs
	if len(texts) == 0 {
		texts = l.opts.Arch.OverrideReturn(int64(errValue))
	}
	kinds := map[arch.AssignKind]ir.RegAssignKind{
		arch.AssignConst: ir.RegConst, arch.AssignReg: ir.RegCopy, arch.AssignRegOff: ir.RegAddOff, arch.AssignDeref: ir.RegLoad,
	}
	out := make([]ir.RegAssign, 0, len(texts))
	for i, t := range texts {
		as, err := l.opts.Arch.ParseAssignment(t)
		if err != nil {
			l.errorf(valueNode(a.At, "argRegs", i), "bad-value", "", "argRegs: %v", err)
			continue
		}
		out = append(out, ir.RegAssign{Kind: kinds[as.Kind], Dst: as.Dst.Offset, DstSize: as.Dst.Size,
			Src: as.Src.Offset, SrcSize: as.Src.Size, Off: as.Off, Text: strings.TrimSpace(t)})
	}
	return out
}

// normalDigests writes binaryDigests in their normal form (checkUprobe
// refused the invalid ones).
func normalDigests(ds []string) []string {
	var out []string
	for _, d := range ds {
		out = append(out, bpf.NormalDigest(d))
	}
	return out
}
