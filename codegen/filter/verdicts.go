package filter

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// The verdict cache. Most events come from the process that caused the
// last one on the same CPU, and the process filters' verdict for a
// process changes only when the table entries it was computed from do. So
// a hook whose process tests read nothing but the table and the tgid
// keeps, per CPU, the selectors' process-filter bits for the last tgid it
// saw, with the generation of the entries they were computed from. While
// both are unchanged the program takes the bits from the cache instead of
// looking the process up and testing it: a rejected event then costs a
// few array lookups (docs/BENCHMARKS.md, the "cached" rung of the ladder).
//
// Which generation (verdictGen says):
//
//   - genOwn: the process's own (bpf.ProcGensMap, the bucket of its tgid),
//     for tests that read only its own entry (matchBinaries, matchPIDs).
//     The base bumps it when it changes that entry: the process's exec,
//     its exit, and the fork that creates it (which is how a reused tgid
//     drops the verdict of the process that had it before).
//   - genParent: the sum of the process's own generation and its parent's
//     (the bucket of the Ppid in its entry), for matchParentBinaries
//     without followChildren, which reads the parent's entry too. Both
//     only grow, so the sum changes when either does: the parent's exec or
//     exit drops the verdict. The Ppid is cached with the verdict; it is
//     the one in the process's own entry, which changes only with that
//     entry (the table does not follow reparenting: the base sets the Ppid
//     at fork and exec).
//   - genGlobal: the table's (bpf.ProcsGenMap), which every change to any
//     entry bumps, for tests that walk the ancestors (followChildren): the
//     cache cannot know which entries a walk read. Process churn anywhere
//     on the host drops these verdicts, as it did every verdict before
//     per-process generations.
//
// Processes whose tgids share a bucket (tgid % bpf.ProcGenBuckets) drop
// each other's verdicts: a spare recomputation, never a stale verdict.
// docs/BENCHMARKS.md measures rejected events under churn both ways
// (Options.GlobalVerdictGeneration builds the "before").
//
// Tests that read the task itself (namespaces, capabilities, pid
// namespaces, the task's real parent chain) can change without the table
// changing: hooks with them do not cache (cachesVerdicts).
//
// polc_verdicts, a per-CPU array with one entry per caching hook:
//
//	0   u32 tgid
//	4   u32 1 once the entry was written
//	8   u64 the generation when it was computed
//	16  u32 genParent: the Ppid the parent's generation was read for
//	24  the selectors' bits, one byte each, as in the record's mask
//
// A generation is read before the table entry it covers, and the base
// adds to it after changing the entry, so a verdict computed from an old
// entry never carries the new generation: the own (or global) generation
// before the process's entry is copied, the parent's after that copy (it
// names the parent) and before the parent's entry is read.
const (
	VerdictsMap = "polc_verdicts"
	VerdictBits = 24
	verdictPpid = 16
)

// verdictGen is the generation a hook's cached verdicts are checked
// against.
type verdictGen int

const (
	genOwn verdictGen = iota
	genParent
	genGlobal
)

// CachesVerdicts says whether h's process filters are worth caching and
// may be: they read the process table (else they cost less than the
// cache), and every process test reads only the tgid (matchPIDs without
// followForks or isNamespacePID) or the table (matchBinaries, also with
// followChildren, which walks the table's parent links, and
// matchParentBinaries). Tests that read the task itself (namespaces,
// capabilities, pid namespaces, the task's real parent chain) can change
// without the table changing.
func CachesVerdicts(h *ir.Hook) bool {
	if !NeedsProc(h) {
		return false
	}
	any := false
	for _, s := range h.Selectors {
		for _, t := range ProcessTests(s) {
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

// verdictGen says which generation h's cached verdicts depend on (see
// above); Options.GlobalVerdictGeneration makes it genGlobal for every
// hook, as before per-process generations (the benchmark's "before").
func (p *Gen) verdictGen() verdictGen {
	if p.g.GlobalVerdictGeneration {
		return genGlobal
	}
	gen := genOwn
	for _, s := range p.Hook.Selectors {
		for _, t := range ProcessTests(s) {
			switch {
			case t.FollowChildren:
				return genGlobal
			case t.Kind == ir.TestParentBinary:
				gen = genParent
			}
		}
	}
	return gen
}

// maskBytes is the size of the record's mask of process-filter bits.
func (p *Gen) maskBytes() int { return bpf.Align8(len(p.Hook.Selectors)) }

// lookupVerdict emits R0 = this hook's polc_verdicts entry, jumping to
// missing when there is none.
func (p *Gen) lookupVerdict(slot int32, missing string) {
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StKey, int64(slot), asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(VerdictsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, missing),
	)
}

// lookupGen emits R0 = the generation's entry: key 0 of bpf.ProcsGenMap,
// or the bucket of bpf.ProcGensMap of the tgid (or Ppid) in R1; jumping to
// missing when there is none.
func (p *Gen) lookupGen(m, missing string) {
	if m == bpf.ProcGensMap {
		p.Emit(
			asm.And.Imm(asm.R1, bpf.ProcGenBuckets-1),
			asm.StoreMem(asm.RFP, prog.StKey, asm.R1, asm.Word),
		)
	} else {
		p.Emit(emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word))
	}
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(m),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, missing),
	)
}

// CachedVerdict reads the hook's generation (the global one, or the
// process's own) into prog.StGen and, when the cache holds the bits of this
// process at the current generation, copies them into the record's mask
// and jumps to decide, or to prog.Exit when no selector's process filters
// passed. Otherwise it falls through to computing them, which for
// genParent calls ParentVerdictGen once the process's entry is copied.
func (p *Gen) CachedVerdict(slot int32, decide string) {
	compute := p.B.Fresh("verdict_compute")
	gen := p.verdictGen()
	hoisted := p.Hoisted
	if hoisted == nil {
		hoisted = &Hoisted{}
	}
	if hoisted.VerdictChecked && hoisted.VerdictSlot == slot && gen == genOwn {
		// The set's program checked the entry once for all its parts
		// (Hoist): a part needs only the bits, and the generation when
		// it computes them.
		p.Emit(
			asm.LoadMem(asm.R7, asm.RFP, prog.StSetVerdict, asm.DWord),
			asm.JEq.Imm(asm.R7, 0, compute),
		)
		p.hitBits(decide)
		p.B.Label(compute)
		p.Emit(
			asm.LoadMem(asm.R1, asm.RFP, prog.StSetGen, asm.DWord),
			asm.StoreMem(asm.RFP, prog.StGen, asm.R1, asm.DWord),
		)
		return
	}
	if gen == genOwn && hoisted.OwnGen {
		p.Emit(
			asm.LoadMem(asm.R1, asm.RFP, prog.StSetGen, asm.DWord),
			asm.StoreMem(asm.RFP, prog.StGen, asm.R1, asm.DWord),
		)
	} else {
		p.Emit(emit.StoreImm(asm.RFP, prog.StGen, 0, asm.DWord))
		if gen == genGlobal {
			p.lookupGen(bpf.ProcsGenMap, compute)
		} else {
			p.Emit(
				asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
				asm.RSh.Imm(asm.R1, 32),
			)
			p.lookupGen(bpf.ProcGensMap, compute)
		}
		p.Emit(
			asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
			asm.StoreMem(asm.RFP, prog.StGen, asm.R1, asm.DWord),
		)
	}
	if hoisted.Verdict && hoisted.VerdictSlot == slot {
		p.Emit(asm.LoadMem(asm.R0, asm.RFP, prog.StSetVerdict, asm.DWord))
	} else {
		p.lookupVerdict(slot, compute)
	}
	p.Emit(asm.Mov.Reg(asm.R7, asm.R0))
	p.checkVerdict(compute)
	if gen == genParent {
		// The current generation is the own one plus the cached Ppid's.
		p.Emit(asm.LoadMem(asm.R1, asm.R7, verdictPpid, asm.Word))
		p.lookupGen(bpf.ProcGensMap, compute)
		p.Emit(
			asm.LoadMem(asm.R2, asm.R0, 0, asm.DWord),
			asm.LoadMem(asm.R1, asm.RFP, prog.StGen, asm.DWord),
			asm.Add.Reg(asm.R2, asm.R1),
		)
	} else {
		p.Emit(asm.LoadMem(asm.R2, asm.RFP, prog.StGen, asm.DWord))
	}
	p.Emit(
		asm.LoadMem(asm.R1, asm.R7, 8, asm.DWord),
		asm.JNE.Reg(asm.R1, asm.R2, compute),
	)
	p.hitBits(decide)
	p.B.Label(compute)
}

// checkVerdict emits the jump to miss unless the entry at R7 was written
// for this process's tgid; the caller compares the generation.
func (p *Gen) checkVerdict(miss string) {
	p.Emit(
		asm.LoadMem(asm.R1, asm.R7, 4, asm.Word),
		asm.JNE.Imm(asm.R1, 1, miss),
		asm.LoadMem(asm.R1, asm.R7, 0, asm.Word),
		asm.LoadMem(asm.R2, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R2, 32),
		asm.JNE.Reg(asm.R1, asm.R2, miss),
	)
}

// hitBits copies the bits of the entry at R7 into the record's mask and
// jumps to prog.Exit when none is set (no selector's process filters
// passed: the event is rejected without going through decide; never the
// case when a selector has no process tests), else to decide.
func (p *Gen) hitBits(decide string) {
	maskOff := p.Lay.MaskOff()
	check := !p.anySelectorWithoutProcessTests()
	if check {
		p.Emit(asm.Mov.Imm(asm.R2, 0))
	}
	for i := 0; i < p.maskBytes(); i += 8 {
		p.Emit(
			asm.LoadMem(asm.R1, asm.R7, int16(VerdictBits+i), asm.DWord),
			asm.StoreMem(prog.RRec, int16(maskOff+i), asm.R1, asm.DWord),
		)
		if check {
			p.Emit(asm.Or.Reg(asm.R2, asm.R1))
		}
	}
	if check {
		p.Emit(asm.JEq.Imm(asm.R2, 0, prog.Exit.String()))
	}
	p.Emit(asm.Ja.Label(decide))
}

// anySelectorWithoutProcessTests says whether a selector passes the
// process phase whatever the process (its bit is always set).
func (p *Gen) anySelectorWithoutProcessTests() bool {
	for _, s := range p.Hook.Selectors {
		if len(ProcessTests(s)) == 0 {
			return true
		}
	}
	return false
}

// ParentVerdictGen adds, for genParent, the generation of the parent named
// by the process's entry just copied into the record to prog.StGen, before
// any test reads the parent's entry. An array lookup of a key below its
// size does not fail; if it did, the sum would lack the parent's part and
// the hit path, which adds it, would never match it.
func (p *Gen) ParentVerdictGen() {
	if p.verdictGen() != genParent {
		return
	}
	done := p.B.Fresh("verdict_parent_gen")
	p.Emit(asm.LoadMem(asm.R1, prog.RRec, int16(p.Lay.ProcOff()+bpf.ProcPpidOff), asm.Word))
	p.lookupGen(bpf.ProcGensMap, done)
	p.Emit(
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.LoadMem(asm.R2, asm.RFP, prog.StGen, asm.DWord),
		asm.Add.Reg(asm.R2, asm.R1),
		asm.StoreMem(asm.RFP, prog.StGen, asm.R2, asm.DWord),
	)
	p.B.Label(done)
}

// StoreVerdict writes the bits just computed into the cache, with this
// process's tgid (and Ppid) and the generation CachedVerdict (and
// ParentVerdictGen) read.
func (p *Gen) StoreVerdict(slot int32, decide string) {
	p.lookupVerdict(slot, decide)
	maskOff := p.Lay.MaskOff()
	for i := 0; i < p.maskBytes(); i += 8 {
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(maskOff+i), asm.DWord),
			asm.StoreMem(asm.R0, int16(VerdictBits+i), asm.R1, asm.DWord),
		)
	}
	if p.verdictGen() == genParent {
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(p.Lay.ProcOff()+bpf.ProcPpidOff), asm.Word),
			asm.StoreMem(asm.R0, verdictPpid, asm.R1, asm.Word),
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

// Hoisted is what a policy set's shared program reads once, before its
// members' parts (codegen/set.go), for the parts' verdict caches to use
// instead of looking it up again. Reading the generation earlier than a
// part would is safe: it is still read before any table entry the part
// copies, so a verdict is never stored with a newer generation than its
// entry's.
type Hoisted struct {
	// OwnGen: prog.StSetGen holds the process's own generation (its
	// bucket of bpf.ProcGensMap), for parts whose verdicts depend on it.
	OwnGen bool
	// Verdict: prog.StSetVerdict holds the pointer to the entry
	// VerdictSlot of polc_verdicts.
	Verdict     bool
	VerdictSlot int32
	// VerdictChecked (with OwnGen and Verdict, when the entry's parts
	// depend on the own generation): prog.StSetVerdict holds the pointer
	// only when the entry holds this process's bits at that generation,
	// else 0, so that each part skips the checks. A part that misses
	// computes and stores the bits; the parts after it still miss (they
	// compute the same bits again, once, on the first event after a
	// change).
	VerdictChecked bool
}

// UsesOwnGen says whether the part's cached verdicts depend on the
// process's own generation only.
func (p *Gen) UsesOwnGen() bool { return CachesVerdicts(p.Hook) && p.verdictGen() == genOwn }

// Hoist emits the reads of h into its stack slots, jumping to prog.Exit
// should a lookup fail (an array lookup of a key below its size does not).
func (p *Gen) Hoist(h *Hoisted) {
	if h.OwnGen {
		p.Emit(
			asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
			asm.RSh.Imm(asm.R1, 32),
		)
		p.lookupGen(bpf.ProcGensMap, prog.Exit.String())
		p.Emit(
			asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
			asm.StoreMem(asm.RFP, prog.StSetGen, asm.R1, asm.DWord),
		)
	}
	if h.Verdict {
		p.lookupVerdict(h.VerdictSlot, prog.Exit.String())
		p.Emit(asm.StoreMem(asm.RFP, prog.StSetVerdict, asm.R0, asm.DWord))
	}
	if h.Verdict && h.VerdictChecked {
		miss := p.B.Fresh("hoisted_verdict_miss")
		done := p.B.Fresh("hoisted_verdict_done")
		p.Emit(asm.Mov.Reg(asm.R7, asm.R0))
		p.checkVerdict(miss)
		p.Emit(
			asm.LoadMem(asm.R1, asm.R7, 8, asm.DWord),
			asm.LoadMem(asm.R2, asm.RFP, prog.StSetGen, asm.DWord),
			asm.JEq.Reg(asm.R1, asm.R2, done),
		)
		p.B.Label(miss)
		p.Emit(emit.StoreImm(asm.RFP, prog.StSetVerdict, 0, asm.DWord))
		p.B.Label(done)
	}
}
