package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/action"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/filter"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// processFilters runs the process tests of every selector and records in
// the scratch, per selector, whether they passed (a byte, read back as a
// value the verifier does not know, so that it does not explore each
// combination). When no selector can match, the program returns.
func (p *progGen) processFilters() {
	h := p.Hook
	if len(h.Selectors) == 0 {
		return
	}
	lay := p.Lay
	any := false
	for _, s := range h.Selectors {
		if len(filter.ProcessTests(s)) > 0 {
			any = true
		}
	}
	if !any {
		return
	}
	// With the verdict cache (filter/verdicts.go), a hit jumps to decide with
	// the mask filled; a miss computes it and stores it.
	cached, slot, decide := filter.CachesVerdicts(h), int32(0), p.B.Fresh("verdict_decide")
	if cached {
		slot = p.g.verdictSlot(h)
		p.flt.CachedVerdict(slot, decide)
	}
	if filter.NeedsProc(h) {
		p.copyProc()
	}
	if cached {
		p.flt.ParentVerdictGen()
	}
	maskOff := lay.MaskOff()
	for i := 0; i < len(h.Selectors); i += 8 {
		p.Emit(emit.StoreImm(prog.RRec, int16(maskOff+i), 0, asm.DWord))
	}
	always := false
	for i, s := range h.Selectors {
		tests := filter.ProcessTests(s)
		if len(tests) == 0 {
			always = true
			p.Emit(emit.StoreImm(prog.RRec, int16(maskOff+i), 1, asm.Byte))
			continue
		}
		fail := fmt.Sprintf("sel%d_proc_fail", i)
		for _, t := range tests {
			p.Src(t.Pos, t.Kind.String())
			p.flt.Test(t, fail)
		}
		p.Emit(emit.StoreImm(prog.RRec, int16(maskOff+i), 1, asm.Byte))
		p.B.Label(fail)
	}
	if cached {
		p.flt.StoreVerdict(slot, decide)
		p.B.Label(decide)
		p.Emit(asm.Mov.Imm(asm.R0, 0))
	}
	if always {
		return
	}
	p.Emit(asm.Mov.Imm(asm.R2, 0))
	for i := 0; i < len(h.Selectors); i += 8 {
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(maskOff+i), asm.DWord),
			asm.Or.Reg(asm.R2, asm.R1),
		)
	}
	p.Emit(asm.JEq.Imm(asm.R2, 0, prog.Exit.String()))
}

// copyProc copies the current process's table entry into the scratch, or
// zeroes it when there is none (bpf_probe_read_kernel zeroes its
// destination when reading NULL fails): a Tgid of 0 means unknown.
func (p *progGen) copyProc() {
	p.Emit(
		asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(asm.RFP, prog.StKey, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ProcsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.Mov.Reg(asm.R3, asm.R0),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(p.Lay.ProcOff())),
		asm.Mov.Imm(asm.R2, bpf.ProcSize),
		asm.FnProbeReadKernel.Call(),
	)
}

// selectors tries the selectors in order; the first whose tests pass
// takes its actions and the record is posted (or saved for the return
// program). When none matches the program returns.
func (p *progGen) selectors() {
	h := p.Hook
	defer p.tail()
	if len(h.Selectors) == 0 {
		p.matched(nil)
		return
	}
	hasProc := false
	for _, s := range h.Selectors {
		if len(filter.ProcessTests(s)) > 0 {
			hasProc = true
		}
	}
	for i, s := range h.Selectors {
		next := fmt.Sprintf("sel%d", i+1)
		p.B.Label(fmt.Sprintf("sel%d", i))
		p.Src(s.Pos, fmt.Sprintf("selector %d", i))
		if hasProc && len(filter.ProcessTests(s)) > 0 {
			p.Emit(
				asm.LoadMem(asm.R1, prog.RRec, int16(p.Lay.MaskOff()+i), asm.Byte),
				asm.JEq.Imm(asm.R1, 0, next),
			)
		}
		for _, t := range filter.ArgTests(s) {
			p.Src(t.Pos, t.Kind.String())
			p.flt.Test(t, next)
		}
		p.matched(s)
	}
	p.B.Label(fmt.Sprintf("sel%d", len(h.Selectors)))
	p.Emit(prog.Exit.Ja())
}

// matched emits what happens when selector s (nil: the hook has none)
// matched: its actions, then posting or saving the record.
func (p *progGen) matched(s *ir.Selector) {
	var acts []*ir.Action
	if s != nil {
		p.Emit(emit.StoreImm(prog.RRec, bpf.HeaderSelectorOff, int64(s.Index+1), asm.Byte))
		acts = s.Actions
	}
	if p.act.Actions(acts) {
		if a := action.PostRateLimit(acts); a != nil && !p.Hook.Return {
			p.act.RateLimit(s, a, prog.Exit.String())
		}
		p.Emit(prog.Post.Ja())
	} else {
		p.Emit(prog.Exit.Ja())
	}
}

// tail emits the code all matching selectors continue with: posting the
// record, or saving it for the return program.
func (p *progGen) tail() {
	p.Bind(prog.Post)
	p.stampTime()
	p.deferIma() // imahash.go
	if p.Hook.Return && !p.Ret {
		p.saveForReturn()
	} else {
		p.post()
	}
	p.Emit(prog.Exit.Ja())
}
