package codegen

import (
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// The verdict cache. Most events come from the process that caused the
// last one on the same CPU, and the process filters' verdict for a
// process changes only when the process table does. So a hook whose
// process tests read nothing but the table and the tgid keeps, per CPU,
// the selectors' process-filter bits for the last tgid it saw, with the
// table's generation (bpf.ProcsGenMap) they were computed at. While both
// are unchanged the program takes the bits from the cache instead of
// looking the process up and testing it: a rejected event then costs a
// few array lookups (docs/BENCHMARKS.md, the "cached" rung of the ladder).
//
// polc_verdicts, a per-CPU array with one entry per caching hook:
//
//	0   u32 tgid
//	4   u32 1 once the entry was written
//	8   u64 the table's generation when it was computed
//	16  the selectors' bits, one byte each, as in the record's mask
//
// The generation is read before the table, and the base adds to it after
// changing the table, so an entry computed from an old table entry never
// carries the new generation.
const (
	verdictsMap = "polc_verdicts"
	verdictBits = 16
)

// cachesVerdicts says whether h's process filters are worth caching and
// may be: they read the process table (else they cost less than the
// cache), and every process test reads only the tgid (matchPIDs without
// followForks or isNamespacePID) or the table (matchBinaries, also with
// followChildren, which walks the table's parent links). Tests that read
// the task itself (namespaces, capabilities, pid namespaces, the task's
// real parent chain) can change without the table changing.
//
// matchParentBinaries reads other entries than the tgid's own (its
// parent's, with followChildren the parent's ancestors'): still only the
// table, and the generation moves on a change to any entry, so a verdict
// cached for a tgid is dropped when its parent execs or exits just as when
// the tgid itself does (TestVerdictCacheParent).
func cachesVerdicts(h *ir.Hook) bool {
	if !needsProc(h) {
		return false
	}
	any := false
	for _, s := range h.Selectors {
		for _, t := range processTests(s) {
			switch {
			case t.Kind == ir.TestBinary, t.Kind == ir.TestParentBinary:
			case t.Kind == ir.TestPID && !t.FollowForks && !t.NamespacePID:
			default:
				return false
			}
			any = true
		}
	}
	return any
}

// verdictSlot returns h's entry in polc_verdicts. Hooks whose selectors
// have the same process tests share one (the hooks a list expands into),
// so their code stays identical and one process's verdict serves them all.
func (g *gen) verdictSlot(h *ir.Hook) int32 {
	var key strings.Builder
	for _, s := range h.Selectors {
		key.WriteString("selector")
		for _, t := range processTests(s) {
			key.WriteString("\n\t")
			key.WriteString(t.Describe())
		}
		key.WriteString("\n")
	}
	if g.verdictSlots == nil {
		g.verdictSlots = map[string]int32{}
	}
	slot, ok := g.verdictSlots[key.String()]
	if !ok {
		slot = int32(len(g.verdictSlots))
		g.verdictSlots[key.String()] = slot
	}
	if size := verdictBits + bpf.Align8(len(h.Selectors)); size > g.verdictSize {
		g.verdictSize = size
	}
	return slot
}

// declareVerdicts adds polc_verdicts when a hook caches.
func (g *gen) declareVerdicts(obj *object.Object) {
	if len(g.verdictSlots) == 0 {
		return
	}
	obj.Maps = append(obj.Maps, &object.Map{Name: verdictsMap, Type: ebpf.PerCPUArray, KeySize: 4,
		ValueSize: uint32(g.verdictSize), MaxEntries: uint32(len(g.verdictSlots))})
}

// maskBytes is the size of the record's mask of process-filter bits.
func (p *progGen) maskBytes() int { return bpf.Align8(len(p.Hook.Selectors)) }

// lookupVerdict emits R0 = this hook's polc_verdicts entry, jumping to
// missing when there is none.
func (p *progGen) lookupVerdict(slot int32, missing string) {
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StKey, int64(slot), asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(verdictsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, missing),
	)
}

// cachedVerdict reads the table's generation into prog.StGen and, when the
// cache holds the bits of this process at that generation, copies them
// into the record's mask and jumps to decide. Otherwise it falls through
// to computing them.
func (p *progGen) cachedVerdict(slot int32, decide string) {
	compute := p.B.Fresh("verdict_compute")
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StGen, 0, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ProcsGenMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, compute),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.StoreMem(asm.RFP, prog.StGen, asm.R1, asm.DWord),
	)
	p.lookupVerdict(slot, compute)
	p.Emit(
		asm.LoadMem(asm.R1, asm.R0, 4, asm.Word),
		asm.JNE.Imm(asm.R1, 1, compute),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.Word),
		asm.LoadMem(asm.R2, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R2, 32),
		asm.JNE.Reg(asm.R1, asm.R2, compute),
		asm.LoadMem(asm.R1, asm.R0, 8, asm.DWord),
		asm.LoadMem(asm.R2, asm.RFP, prog.StGen, asm.DWord),
		asm.JNE.Reg(asm.R1, asm.R2, compute),
	)
	maskOff := p.Lay.MaskOff()
	for i := 0; i < p.maskBytes(); i += 8 {
		p.Emit(
			asm.LoadMem(asm.R1, asm.R0, int16(verdictBits+i), asm.DWord),
			asm.StoreMem(prog.RRec, int16(maskOff+i), asm.R1, asm.DWord),
		)
	}
	p.Emit(asm.Ja.Label(decide))
	p.B.Label(compute)
}

// storeVerdict writes the bits just computed into the cache, with this
// process's tgid and the generation cachedVerdict read.
func (p *progGen) storeVerdict(slot int32, decide string) {
	p.lookupVerdict(slot, decide)
	maskOff := p.Lay.MaskOff()
	for i := 0; i < p.maskBytes(); i += 8 {
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(maskOff+i), asm.DWord),
			asm.StoreMem(asm.R0, int16(verdictBits+i), asm.R1, asm.DWord),
		)
	}
	p.Emit(
		asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(asm.R0, 0, asm.R1, asm.Word),
		asm.LoadMem(asm.R1, asm.RFP, prog.StGen, asm.DWord),
		asm.StoreMem(asm.R0, 8, asm.R1, asm.DWord),
		emit.StoreImm(asm.R0, 4, 1, asm.Word),
	)
}
