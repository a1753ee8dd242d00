package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/action"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// retMapName is the map where hook h's entry program leaves the record
// for its return program, keyed by thread (pid_tgid).
func retMapName(h *ir.Hook) string { return fmt.Sprintf("polc_ret_h%d", h.ID) }

// retMap is the map the program's entry and return programs share: the
// hook's own, or for kprobe.multi programs one that kmulti.go names per
// group of hooks.
func (p *progGen) retMap() string {
	if p.multi {
		return multiRetMap
	}
	return retMapName(p.Hook)
}

// saveForReturn stores the record under the current thread for the return
// program.
func (p *progGen) saveForReturn() {
	name := p.retMap()
	p.g.declareStateMap(ir.MapRetProbe, name, p.Lay.Size+p.Lay.Pad)
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.Mov.Reg(asm.R3, prog.RRec),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
}

// returnProgram generates the program that runs when the function
// returns: it finds the record its entry program saved, adds the return
// value and the returnCopy buffers, tests the matched selector's
// matchReturnArgs and posts.
func (p *progGen) returnProgram() asm.Instructions {
	h := p.Hook
	name := p.retMap()
	p.Src(h.Pos, h.Call+" (return)")
	p.Emit(
		asm.Mov.Reg(prog.RCtx, asm.R1),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.RFP, prog.StPidTgid, asm.R0, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, prog.Exit.String()),
		asm.Mov.Reg(prog.RRec, asm.R0),
	)
	p.f.LoadRet(asm.R1)
	p.Emit(
		asm.StoreMem(prog.RRec, bpf.HeaderRetOff, asm.R1, asm.DWord),
		// Flags, with Kind and Version below them in the same word.
		asm.LoadMem(asm.R1, prog.RRec, bpf.HeaderKindOff, asm.Word),
		asm.Or.Imm(asm.R1, bpf.FlagReturn<<(8*bpf.HeaderFlagsOff)),
		asm.StoreMem(prog.RRec, bpf.HeaderKindOff, asm.R1, asm.Word),
	)
	p.f.ReadArgs(true)
	p.act.ReturnArgAction()

	// The selector that matched at entry decides the return tests.
	for i, s := range h.Selectors {
		limit := action.PostRateLimit(s.Actions)
		if limit == nil {
			limit = action.PostRateLimit(s.ReturnActions)
		}
		if len(s.ReturnTests) == 0 && len(s.ReturnActions) == 0 && limit == nil {
			continue
		}
		next := fmt.Sprintf("ret_sel%d_done", i)
		p.Src(s.Pos, fmt.Sprintf("selector %d (return)", i))
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, bpf.HeaderSelectorOff, asm.Byte),
			asm.JNE.Imm(asm.R1, int32(s.Index+1), next),
		)
		for _, t := range s.ReturnTests {
			p.Src(t.Pos, "matchReturnArgs")
			p.flt.Test(t, prog.Drop.String())
		}
		if !p.act.Actions(s.ReturnActions) {
			p.Emit(prog.Drop.Ja())
		}
		if limit != nil {
			p.act.RateLimit(s, limit, prog.Drop.String())
		}
		p.B.Label(next)
		p.Emit(asm.Mov.Imm(asm.R0, 0))
	}
	p.post()
	p.Bind(prog.Drop)
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapDeleteElem.Call(),
	)
	p.Bind(prog.Exit)
	p.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	return p.finish()
}
