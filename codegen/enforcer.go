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

// Enforcers (spec.enforcers) act on what a NotifyEnforcer action asked
// for: the action records, for the current thread, an error and a signal
// in the enforcer map (ir.MapEnforcer):
//
//	key   u64 pid_tgid
//	value struct { s32 error; u32 signal; }
//
// and a program on each enforcer call takes the thread's entry (deleting
// it), sends the signal when there is one, and makes the call return the
// error when there is one: with bpf_override_return on a kprobe (needs
// CONFIG_BPF_KPROBE_OVERRIDE, which the Debian kernels lack: the loader
// refuses it there with a hint), or as the return value of an fmod_ret
// program on a security_* function. When no NotifyEnforcer of the policy
// has an error, the programs are plain kprobes that only signal, which
// every kernel with kprobes runs. CleanupEnforcerNotification deletes the
// thread's entry. Enforcer programs post no events; the manifest lists
// each as a hook with Enforcer set, after the policy's hooks.
const enforcerMap = "polc_enforcer"

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

// notifyEnforcer emits NotifyEnforcer: the enforcer map entry of the
// current thread.
func (p *progGen) notifyEnforcer(a *ir.Action) {
	if len(p.g.pol.Enforcers) == 0 {
		p.Errorf(a.Pos, "NotifyEnforcer needs an enforcer in spec.enforcers")
		return
	}
	p.Emit(
		asm.Mov.Imm(asm.R1, a.Error),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R1, asm.Word),
		asm.Mov.Imm(asm.R1, int32(a.Signal)),
		asm.StoreMem(asm.RFP, prog.StVal+4, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapEnforcer)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, prog.StVal),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
}

// cleanupEnforcer emits CleanupEnforcerNotification: no entry for the
// current thread.
func (p *progGen) cleanupEnforcer() {
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapEnforcer)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapDeleteElem.Call(),
	)
}

// enforcers generates the program of each enforcer call.
func (g *gen) enforcers() {
	if len(g.pol.Enforcers) == 0 {
		return
	}
	withError := g.enforcerErrors()
	for i, e := range g.pol.Enforcers {
		id := len(g.hooks)
		mode := overrideNone
		if withError {
			mode = overrideHelper
			if !e.Syscall && strings.HasPrefix(e.Target, "security_") {
				mode = overrideFmodRet
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
		prog := bpf.Program{Name: name, Section: "kprobe/" + e.Target, Attach: "kprobe"}
		if mode == overrideFmodRet {
			prog.Section, prog.Attach, prog.Target = "fmod_ret/"+e.Target, "fmod_ret", e.Target
			g.features[bpf.FeatureFmodRet] = true
		} else {
			g.features[bpf.FeatureKprobe] = true
		}
		for _, p := range g.progs {
			if p.Section == prog.Section {
				prog.Section += fmt.Sprintf("#%d", id)
				break
			}
		}
		insns, err := g.enforcerProgram(e, mode)
		if err != nil {
			g.errs.add(e.Pos, "enforcer on %s: internal error: %v", e.Call, err)
			continue
		}
		g.progs = append(g.progs, &object.Program{Name: prog.Name, Section: prog.Section, Insns: insns})
		mh := bpf.Hook{ID: id, Kind: ir.HookKprobe.String(), Target: e.Target, Call: e.Call, Syscall: e.Syscall,
			Enforcer: true, Programs: []bpf.Program{prog}, Args: []bpf.Arg{},
			Pos: bpf.Pos{File: e.Pos.File, Line: e.Pos.Line, Col: e.Pos.Col}}
		if mode != overrideNone {
			mh.Override = overrideManifest[mode]
			if mode == overrideHelper {
				mh.OverrideHint = "an enforcer whose NotifyEnforcer only signals (argSig, no argError) needs no bpf_override_return; or " +
					overrideHint(&ir.Hook{Kind: ir.HookKprobe, Target: e.Target, Call: e.Call, Syscall: e.Syscall})
			}
		}
		g.hooks = append(g.hooks, mh)
	}
}

// enforcerProgram is the code of one enforcer: take the thread's entry,
// signal, override.
func (g *gen) enforcerProgram(e *ir.Enforcer, mode overrideMode) (asm.Instructions, error) {
	var b emit.Builder
	b.Source(g.line(e.Pos, "enforcer "+e.Call))
	if mode == overrideFmodRet {
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
	case overrideHelper:
		g.features[bpf.FeatureOverride] = true
		b.Emit(asm.Mov.Reg(asm.R1, prog.RCtx), asm.Mov.Reg(asm.R2, asm.R7), asm.FnOverrideReturn.Call())
	case overrideFmodRet:
		b.Emit(asm.StoreMem(asm.RFP, prog.StRet, asm.R7, asm.DWord))
	default:
		b.Emit(asm.Mov.Imm(asm.R0, 0))
	}
	b.Label("exit")
	if mode == overrideFmodRet {
		b.Emit(asm.LoadMem(asm.R0, asm.RFP, prog.StRet, asm.DWord))
	} else {
		b.Emit(asm.Mov.Imm(asm.R0, 0))
	}
	b.Emit(asm.Return())
	return b.Instructions()
}
