package codegen

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Enforcer programs (spec.enforcers): one program per enforcer call takes
// the entry a NotifyEnforcer action left for the current thread in the
// enforcer map, signals and overrides. The map's layout and the actions
// that write it are codegen/action's (enforcer.go).

// enforcerErrors says whether some NotifyEnforcer of the policy asks for
// an error (else the enforcers only signal).
func (g *gen) enforcerErrors() bool {
	for _, h := range g.pol.Hooks {
		for _, s := range h.Selectors {
			for _, a := range append(append([]*ir.Action(nil), s.Actions...), s.ReturnActions...) {
				if a.Kind == ir.ActNotifyEnforcer && a.Error != 0 {
					return true
				}
			}
		}
	}
	return false
}

// enforcers generates the program of each enforcer call.
func (g *gen) enforcers() {
	if len(g.pol.Enforcers) == 0 {
		return
	}
	withError := g.enforcerErrors()
	for i, e := range g.pol.Enforcers {
		id := len(g.hooks)
		mode := prog.OverrideNone
		if withError {
			mode = prog.OverrideHelper
			if !e.Syscall && strings.HasPrefix(e.Target, "security_") {
				mode = prog.OverrideFmodRet
			}
		}
		short := e.Target
		if j := strings.Index(short, "_sys_"); j >= 0 && e.Syscall {
			short = short[j+1:]
		}
		name := fmt.Sprintf("enforcer%d_%s", i, symbolName(short))
		if len(name) > 48 {
			name = name[:48]
		}
		bp := bpf.Program{Name: name, Section: "kprobe/" + e.Target, Attach: "kprobe"}
		if mode == prog.OverrideFmodRet {
			bp.Section, bp.Attach, bp.Target = "fmod_ret/"+e.Target, "fmod_ret", e.Target
			g.features[bpf.FeatureFmodRet] = true
		} else {
			g.features[bpf.FeatureKprobe] = true
		}
		for _, p := range g.progs {
			if p.Section == bp.Section {
				bp.Section += fmt.Sprintf("#%d", id)
				break
			}
		}
		insns, err := g.enforcerProgram(e, mode)
		if err != nil {
			g.errs.add(e.Pos, "enforcer on %s: internal error: %v", e.Call, err)
			continue
		}
		g.progs = append(g.progs, &object.Program{Name: bp.Name, Section: bp.Section, Insns: insns})
		mh := bpf.Hook{ID: id, Kind: ir.HookKprobe.String(), Target: e.Target, Call: e.Call, Syscall: e.Syscall,
			Enforcer: true, Programs: []bpf.Program{bp}, Args: []bpf.Arg{},
			Pos: bpf.Pos{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col}}
		if mode != prog.OverrideNone {
			mh.Override = overrideManifest[mode]
			if mode == prog.OverrideHelper {
				mh.OverrideHint = "an enforcer whose NotifyEnforcer only signals (argSig, no argError) needs no bpf_override_return; or " +
					overrideHint(&ir.Hook{Kind: ir.HookKprobe, Target: e.Target, Call: e.Call, Syscall: e.Syscall})
			}
		}
		g.hooks = append(g.hooks, mh)
	}
}

// enforcerProgram is the code of one enforcer: take the thread's entry,
// signal, override.
func (g *gen) enforcerProgram(e *ir.Enforcer, mode prog.Override) (asm.Instructions, error) {
	var b emit.Builder
	b.Source(g.line(e.Pos, "enforcer "+e.Call))
	if mode == prog.OverrideFmodRet {
		b.Emit(asm.Mov.Imm(asm.R0, 0), asm.StoreMem(asm.RFP, prog.StRet, asm.R0, asm.DWord))
	}
	b.Emit(
		asm.Mov.Reg(prog.RCtx, asm.R1),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.RFP, prog.StPidTgid, asm.R0, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(g.StateMap(ir.MapEnforcer)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, prog.Exit.String()),
		// R7 = error (sign-extended), R8 = signal.
		asm.LoadMem(asm.R7, asm.R0, 0, asm.Word),
		asm.LSh.Imm(asm.R7, 32),
		asm.ArSh.Imm(asm.R7, 32),
		asm.LoadMem(asm.R8, asm.R0, 4, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(g.StateMap(ir.MapEnforcer)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapDeleteElem.Call(),
		asm.JEq.Imm(asm.R8, 0, "no_signal"),
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.FnSendSignal.Call(),
	)
	g.features[bpf.FeatureSendSignal] = true
	b.Label("no_signal")
	b.Emit(asm.JEq.Imm(asm.R7, 0, prog.Exit.String()))
	switch mode {
	case prog.OverrideHelper:
		g.features[bpf.FeatureOverride] = true
		b.Emit(asm.Mov.Reg(asm.R1, prog.RCtx), asm.Mov.Reg(asm.R2, asm.R7), asm.FnOverrideReturn.Call())
	case prog.OverrideFmodRet:
		b.Emit(asm.StoreMem(asm.RFP, prog.StRet, asm.R7, asm.DWord))
	default:
		b.Emit(asm.Mov.Imm(asm.R0, 0))
	}
	b.Label("exit")
	if mode == prog.OverrideFmodRet {
		b.Emit(asm.LoadMem(asm.R0, asm.RFP, prog.StRet, asm.DWord))
	} else {
		b.Emit(asm.Mov.Imm(asm.R0, 0))
	}
	b.Emit(asm.Return())
	return b.Instructions()
}
