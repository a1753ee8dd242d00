package codegen

import (
	"fmt"
	"strings"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/fetch"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// attachment is how a hook's programs are named and attached.
type attachment struct {
	name, section, attach, target string
	// The return program, for hooks with Return.
	retName, retSection, retAttach, retTarget string
}

// attachment names the programs of h and records the kernel features they
// need. ok is false when the hook kind is not supported (reported).
func (g *gen) attachment(h *ir.Hook) (attachment, bool) {
	base := fmt.Sprintf("h%d_%s", h.ID, symbolName(shortTarget(h)))
	if len(base) > 48 {
		base = base[:48]
	}
	a := attachment{name: base, retName: base + "_ret"}
	switch {
	case h.Kind == ir.HookKprobe && h.Fentry:
		// spec.fentries: fentry, and fexit for the return (context.go
		// reads their BTF context).
		if prog.OverrideOf(h) != prog.OverrideNone {
			g.errs.add(h.Pos, "Override is not supported on fentry %s: hook it under kprobes", h.Target)
			return a, false
		}
		a.section, a.attach, a.target = "fentry/"+h.Target, "fentry", h.Target
		a.retSection, a.retAttach, a.retTarget = "fexit/"+h.Target, "fexit", h.Target
		g.features[bpf.FeatureFentry] = true
	case h.Kind == ir.HookKprobe:
		a.section, a.attach = "kprobe/"+h.Target, "kprobe"
		a.retSection, a.retAttach = "kretprobe/"+h.Target, "kretprobe"
		if prog.OverrideOf(h) == prog.OverrideFmodRet {
			// Override on a security_* function (prog.OverrideOf).
			a.section, a.attach, a.target = "fmod_ret/"+h.Target, "fmod_ret", h.Target
			g.features[bpf.FeatureFmodRet] = true
		} else {
			g.features[bpf.FeatureKprobe] = true
		}
		if h.Return {
			g.features[bpf.FeatureKretprobe] = true
		}
	case h.Kind == ir.HookTracepoint:
		if h.Return {
			g.errs.add(h.Pos, "return probes exist only for kprobes and uprobes, not on tracepoint %s", h.Target)
			return a, false
		}
		a.section, a.attach = "tracepoint/"+h.Target, "tracepoint"
		g.features[bpf.FeatureTracepoint] = true
	case h.Kind == ir.HookRawTracepoint:
		if h.Return {
			g.errs.add(h.Pos, "return probes exist only for kprobes and uprobes, not on raw tracepoint %s", h.Target)
			return a, false
		}
		event := h.Target
		if i := strings.LastIndexByte(event, '/'); i >= 0 {
			event = event[i+1:]
		}
		a.section, a.attach, a.target = "raw_tracepoint/"+event, "raw_tracepoint", event
		g.features[bpf.FeatureRawTracepoint] = true
	case h.Kind == ir.HookUprobe:
		// libbpf's spelling: PATH:SYMBOL, PATH:SYMBOL+0xOFF, PATH:0xOFF.
		at := h.Target + ":" + h.Symbol
		switch {
		case h.Symbol == "" && h.Addr != 0:
			// Not libbpf's: a virtual address, which polrun maps to a
			// file offset from the binary.
			at = fmt.Sprintf("%s:addr%#x", h.Target, h.Addr)
		case h.Symbol == "":
			at = fmt.Sprintf("%s:%#x", h.Target, h.Offset)
		case h.Offset != 0:
			at += fmt.Sprintf("+%#x", h.Offset)
		}
		at = sectionSafe(at)
		a.section, a.attach = "uprobe/"+at, "uprobe"
		a.retSection, a.retAttach = "uretprobe/"+at, "uretprobe"
		g.features[bpf.FeatureUprobe] = true
	case h.Kind == ir.HookLSM:
		if h.Return {
			g.errs.add(h.Pos, "an LSM hook has no return probe; test its result in another hook")
			return a, false
		}
		a.section, a.attach, a.target = "lsm/"+h.Target, "lsm", h.Target
		g.features[bpf.FeatureLSM] = true
	case h.Kind == ir.HookUSDT:
		if h.Return {
			g.errs.add(h.Pos, "a USDT probe has no return probe")
			return a, false
		}
		// fetch/usdt.go: polrun attaches the program at every place of the
		// probe in the binary.
		a.section, a.attach = "usdt/"+sectionSafe(h.Target+":"+h.Symbol), "usdt"
		g.features[bpf.FeatureUprobe] = true
	default:
		g.errs.add(h.Pos, "hook kind %s is not supported", h.Kind)
		return a, false
	}
	for _, p := range g.progs {
		if p.Section == a.section || p.Section == a.retSection {
			// Two hooks on the same point: keep sections unique.
			a.section += fmt.Sprintf("#%d", h.ID)
			a.retSection += fmt.Sprintf("#%d", h.ID)
			break
		}
	}
	return a, true
}

// sectionSafe replaces what an ELF section name may not hold (spaces,
// control characters, non-ASCII; codegen/object refuses them) by '_'. A
// binary's path may hold anything; the section name only labels the
// program, polrun attaches where the manifest says.
func sectionSafe(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c <= ' ' || c > '~' {
			b[i] = '_'
		}
	}
	return string(b)
}

// shortTarget is the part of a hook's target that names its programs.
func shortTarget(h *ir.Hook) string {
	switch h.Kind {
	case ir.HookTracepoint, ir.HookRawTracepoint:
		if i := strings.LastIndexByte(h.Target, '/'); i >= 0 {
			return h.Target[i+1:]
		}
	case ir.HookUSDT:
		return h.Symbol // PROVIDER:NAME
	case ir.HookUprobe:
		sym := h.Symbol
		if i := strings.LastIndexByte(sym, '/'); i >= 0 {
			sym = sym[i+1:]
		}
		return sym
	case ir.HookKprobe:
		// __x64_sys_write: the syscall's name is enough.
		if i := strings.Index(h.Target, "_sys_"); i >= 0 && h.Syscall {
			return h.Target[i+1:]
		}
	}
	return h.Target
}

// manifestHook describes h for the loader and the event decoder.
func (g *gen) manifestHook(h *ir.Hook, lay *prog.Layout, progs []bpf.Program) bpf.Hook {
	mh := bpf.Hook{
		ID: h.ID, Kind: h.Kind.String(), Target: h.Target, Symbol: h.Symbol, Call: h.Call,
		Syscall: h.Syscall, IgnoreMissing: h.IgnoreMissing, Message: h.Message, Tags: h.Tags,
		BinaryDigests: h.BinaryDigests, IgnoreDigestMismatch: h.IgnoreDigestMismatch,
		Programs: progs, Args: []bpf.Arg{},
		Pos: bpf.Pos{File: h.Pos.File, Line: h.Pos.Line, Col: h.Pos.Col},
	}
	for _, s := range lay.Slots {
		if s == lay.Ret || s == lay.Stack || s == lay.Ima {
			continue
		}
		maxBytes := s.MaxBytes
		if s.BigBytes > 0 {
			maxBytes = s.BigBytes
		}
		mh.Args = append(mh.Args, bpf.Arg{Slot: s.Arg.Slot, Index: s.Arg.Index, Type: s.Arg.Type.String(),
			Label: s.Arg.Label, Encoding: s.Enc, MaxBytes: maxBytes, Longs: g.plan.TpLongs(h, s.Arg), Data: s.Arg.Data()})
	}
	if h.Return {
		// An integer return value is the header's Ret; another encoding
		// follows the arguments.
		mh.Return = &bpf.Arg{Slot: -1, Index: -1, Type: "int64", Encoding: bpf.EncInt}
		if h.Ret != nil {
			mh.Return.Type, mh.Return.Label = h.Ret.Type.String(), h.Ret.Label
		}
		if s := lay.Ret; s != nil {
			mh.Return.Encoding, mh.Return.MaxBytes = s.Enc, s.MaxBytes
		}
	}
	for _, s := range h.Selectors {
		ms := bpf.Selector{Index: s.Index, Pos: bpf.Pos{File: s.Pos.File, Line: s.Pos.Line, Col: s.Pos.Col}}
		for _, acts := range [][]*ir.Action{s.Actions, s.ReturnActions} {
			for _, a := range acts {
				// One jump's distance per hook (a load-time
				// variable the loader sets).
				if a.Jump != nil && mh.Jump != nil {
					g.errs.add(a.Pos, "a second Override jumping elsewhere on one uprobe hook is not supported: use one per hook")
				} else if a.Jump != nil {
					mh.Jump = &bpf.UprobeJump{Symbol: a.Jump.Symbol, Addr: a.Jump.Addr, Offset: a.Jump.Offset}
				}
				// polrun takes these when it reads the record
				// (loader/useractions), one of each per selector.
				switch {
				case a.Kind == ir.ActGetURL && ms.URL != "", a.Kind == ir.ActDNSLookup && ms.FQDN != "":
					g.errs.add(a.Pos, "a second %s in one selector is not supported: use one per selector", a.Kind)
				case a.Kind == ir.ActGetURL:
					ms.URL = a.URL
				case a.Kind == ir.ActDNSLookup:
					ms.FQDN = a.FQDN
				}
			}
		}
		mh.Selectors = append(mh.Selectors, ms)
	}
	mh.TracepointFields = g.plan.TpFieldsRead(h)
	mh.SetArgs = fetch.USDTSetArgs(h)
	mh.StackIDs = lay.Stack != nil
	mh.ImaHash = lay.Ima != nil
	if h.Kind == ir.HookUprobe {
		mh.Offset, mh.RefCtrOffset, mh.Addr = h.Offset, h.RefCtrOffset, h.Addr
		if mh.UserResolves = fetch.UserResolves(h); len(mh.UserResolves) > 0 {
			mh.BTFPath = h.BTFPath
		}
	}
	if m := prog.OverrideOf(h); m != prog.OverrideNone {
		mh.Override = overrideManifest[m]
		mh.OverrideHint = overrideHint(h)
	}
	return mh
}
