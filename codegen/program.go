package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/action"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/fetch"
	"github.com/polc-dev/polc/codegen/filter"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// progGen generates one program of a hook: the shared context (package
// prog) and what only the driver keeps.
type progGen struct {
	*prog.Ctx
	g *gen
	// multi: a kprobe.multi program, which serves several hooks and
	// takes the hook's ID from its attach cookie (kmulti.go).
	multi bool
	// f reads the arguments (codegen/fetch).
	f *fetch.Gen
	// flt writes the process and argument tests (codegen/filter).
	flt *filter.Gen
	// act writes the selectors' actions (codegen/action).
	act *action.Gen
}

// newProgGen starts the entry program of h (ret: its return program).
func newProgGen(g *gen, h *ir.Hook, lay *prog.Layout, ret bool) *progGen {
	p := &progGen{Ctx: prog.New(g, h, lay, ret), g: g}
	p.Member = int32(g.memberOf(h))
	p.f = fetch.New(p.Ctx, g.plan)
	p.flt = filter.New(p.Ctx, g.filters, p.f)
	p.act = &action.Gen{Ctx: p.Ctx, Policy: g.pol, TestRun: g.opts.TestRun, Reads: p.f}
	return p
}

// hook compiles one hook into its programs and manifest entry.
func (g *gen) hook(h *ir.Hook) {
	at, ok := g.attachment(h)
	if !ok {
		return
	}
	if h.RetAction != 0 && !h.Return {
		g.errs.add(h.Pos, "returnArgAction %s needs return: true", h.RetAction)
	}
	lay := g.newLayout(h)
	nerr := len(g.errs.errs)

	entry := newProgGen(g, h, lay, false)
	insns := entry.entryProgram()
	progs := []bpf.Program{{Name: at.name, Section: at.section, Attach: at.attach, Target: at.target}}
	if len(g.errs.errs) > nerr {
		return
	}
	g.progs = append(g.progs, &object.Program{Name: at.name, Section: at.section, Insns: insns})
	var rinsns asm.Instructions
	if h.Return {
		ret := newProgGen(g, h, lay, true)
		rinsns = ret.returnProgram()
		if len(g.errs.errs) > nerr {
			return
		}
		g.progs = append(g.progs, &object.Program{Name: at.retName, Section: at.retSection, Insns: rinsns})
		progs = append(progs, bpf.Program{Name: at.retName, Section: at.retSection, Attach: at.retAttach, Target: at.retTarget})
	}
	if lay.Ima != nil {
		progs = g.imaProgram(h, lay, at, progs) // imahash.go
		if len(g.errs.errs) > nerr {
			return
		}
	}
	g.recSize = max(g.recSize, lay.ScratchSize(len(h.Selectors)))
	if lay.Compact {
		g.usesOut = true
		g.outSize = max(g.outSize, lay.Size)
	}
	g.hooks = append(g.hooks, g.manifestHook(h, lay, progs))
	g.multiCandidate(h, lay, at, insns, rinsns) // kmulti.go
}

// entryProgram generates the program that runs when the hook fires.
func (p *progGen) entryProgram() asm.Instructions {
	h := p.Hook
	p.Src(h.Pos, h.Call)
	p.prologue()
	if p.g.set != nil {
		p.memberGate(int(p.Member), prog.Exit.String()) // set.go
	}
	p.processFilters()
	p.header()
	p.f.ReadArgs(false)
	p.selectors()
	p.Bind(prog.Exit)
	p.exitValue()
	p.Emit(asm.Return())
	return p.finish()
}

func (p *progGen) finish() asm.Instructions {
	insns, err := p.B.Instructions()
	if err != nil {
		p.Errorf(p.Hook.Pos, "internal error generating %s: %v", p.Hook.Call, err)
		return nil
	}
	return insns
}

// prologue keeps the context, finds the scratch record and reads the
// current pid_tgid.
func (p *progGen) prologue() {
	p.initReturnValue()
	p.Emit(
		asm.Mov.Reg(prog.RCtx, asm.R1),
		emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(recMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, prog.Exit.String()),
		asm.Mov.Reg(prog.RRec, asm.R0),
	)
	if p.multi {
		// The cookie is the hook's ID: the header's, where the single
		// programs store a constant (header).
		p.Emit(
			asm.Mov.Reg(asm.R1, prog.RCtx),
			asm.FnGetAttachCookie.Call(),
			asm.StoreMem(prog.RRec, bpf.HeaderHookIDOff, asm.R0, asm.Half),
		)
	}
	p.Emit(
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.RFP, prog.StPidTgid, asm.R0, asm.DWord),
	)
	p.f.CtxPrologue()
}

// header fills the record header; the time and Size are set when posting
// (stampTime, post), so that a rejected event never reads the clock.
func (p *progGen) header() {
	p.Emit(p.kindHeader())
	p.commonHeader()
	if p.multi { // the prologue stored the cookie as the hook's ID
		p.Emit(
			emit.StoreImm(prog.RRec, bpf.HeaderSelectorOff, 0, asm.Byte),
			emit.StoreImm(prog.RRec, bpf.HeaderActionOff, int64(bpf.ActionPost), asm.Byte),
		)
		return
	}
	p.Emit(p.hookHeader())
}

// commonHeader writes the header's fields every hook of a program writes
// alike: the policy's ID, the task's IDs and Ret 0. A policy set's shared
// program writes them once for all its parts (sharedHook), each part then
// only its own (partHeader).
func (p *progGen) commonHeader() {
	p.Emit(
		asm.LoadMapValue(asm.R1, 0, 0).WithReference(bpf.VarPolicyID),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.StoreMem(prog.RRec, bpf.HeaderPolicyIDOff, asm.R1, asm.Word),
		asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.StoreMem(prog.RRec, bpf.HeaderPidOff, asm.R1, asm.Word),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(prog.RRec, bpf.HeaderTgidOff, asm.R1, asm.Word),
		emit.StoreImm(prog.RRec, bpf.HeaderRetOff, 0, asm.DWord),
	)
}

// partHeader writes the header's fields of one part of a shared program:
// Kind and Version, with Flags and Size 0 (the part before may have set
// them), and the hook's own.
func (p *progGen) partHeader() {
	p.Emit(p.kindHeader(), p.hookHeader())
}

// kindHeader stores Kind and Version, and Flags and Size 0, in one store.
func (p *progGen) kindHeader() asm.Instruction {
	return emit.StoreImm(prog.RRec, bpf.HeaderKindOff, int64(bpf.EventPolicy)|bpf.EventVersion<<(8*bpf.HeaderVersionOff), asm.DWord)
}

// hookHeader stores the hook's ID, Selector 0 and Action Post in one store:
// the three are adjacent (bpf.HeaderHookIDOff), and the record is
// little-endian, as both architectures polc builds for are.
func (p *progGen) hookHeader() asm.Instruction {
	return emit.StoreImm(prog.RRec, bpf.HeaderHookIDOff,
		int64(p.Hook.ID)|int64(bpf.ActionPost)<<(8*(bpf.HeaderActionOff-bpf.HeaderHookIDOff)), asm.Word)
}

// stampTime writes the record's time, once a selector has matched: the
// clock costs about as much as the rest of a rejection (docs/BENCHMARKS.md,
// "Where a rejected event's time goes").
func (p *progGen) stampTime() {
	p.Emit(
		asm.FnKtimeGetBootNs.Call(),
		asm.StoreMem(prog.RRec, bpf.HeaderKtimeOff, asm.R0, asm.DWord),
	)
}

// post writes the record's size and outputs it to the ring buffer, and
// counts it in the policy's counters, posted or lost (codegen/action/counters.go).
func (p *progGen) post() {
	lay := p.Lay
	if lay.Big {
		p.postReserved()
		return
	}
	if lay.Compact {
		p.postCompacted()
		return
	}
	p.wakeupFlags(asm.R4)
	// The size is the fixed part, plus the data of a trailing
	// variable-length argument.
	last := lastVariable(lay)
	if last == nil {
		p.Emit(asm.Mov.Imm(asm.R3, int32(lay.Size)))
	} else {
		p.paddedLen(asm.R3, last)
		p.Emit(asm.Add.Imm(asm.R3, int32(last.Off+bpf.BytesHeaderSize)))
	}
	p.Emit(
		asm.StoreMem(prog.RRec, bpf.HeaderSizeOff, asm.R3, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Reg(asm.R2, prog.RRec),
		asm.FnRingbufOutput.Call(),
	)
	action.CountPosted(p.Ctx)
}

// wakeupFlags leaves in dst the flags of the record's output or submit:
// BPF_RB_FORCE_WAKEUP once a share of the ring (bpf.WakeupShift) waits in
// it, else BPF_RB_NO_WAKEUP. The ring's size is polrun's choice at load
// (--ring-buffer-size), so it is asked for, with what waits, from
// bpf_ringbuf_query; the calls come before the output's other arguments
// are set, and dst must be one that nothing sets after it. (The
// benchmarks change the two flags' constants on the loaded spec to
// measure other choices: bench.withWakeupFlags.)
func (p *progGen) wakeupFlags(dst asm.Register) {
	quiet := p.B.Fresh("no_wakeup")
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Imm(asm.R2, bpf.RingbufRingSize),
		asm.FnRingbufQuery.Call(),
		asm.RSh.Imm(asm.R0, bpf.WakeupShift),
		asm.StoreMem(asm.RFP, prog.StKey, asm.R0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Imm(asm.R2, bpf.RingbufAvailData),
		asm.FnRingbufQuery.Call(),
		asm.LoadMem(asm.R1, asm.RFP, prog.StKey, asm.Word),
		asm.Mov.Imm(dst, bpf.RingbufNoWakeup),
		asm.JLT.Reg(asm.R0, asm.R1, quiet),
		asm.Mov.Imm(dst, bpf.RingbufForceWakeup),
	)
	p.B.Label(quiet)
}

// lastVariable returns the EncBytes slot when it is the last slot that
// takes bytes, else nil.
func lastVariable(lay *prog.Layout) *prog.Slot {
	for i := len(lay.Slots) - 1; i >= 0; i-- {
		s := lay.Slots[i]
		if s.Enc == bpf.EncNone {
			continue
		}
		if s.Enc == bpf.EncBytes {
			return s
		}
		return nil
	}
	return nil
}

// postCompacted packs the slots into polc_out, each argument right after
// the previous one as the record layout wants, and outputs that.
func (p *progGen) postCompacted() {
	lay := p.Lay
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(outMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, prog.Exit.String()),
		asm.Mov.Reg(asm.R8, asm.R0),
		// R7: where the next argument goes.
		asm.Mov.Imm(asm.R7, recordHeader),
	)
	// The header, as is (its Size is patched below).
	p.copyHeaderOut()
	for _, s := range lay.Slots {
		switch s.Enc {
		case bpf.EncNone:
			continue
		case bpf.EncBytes:
			p.paddedLen(asm.R2, s)
			p.Emit(asm.Add.Imm(asm.R2, bpf.BytesHeaderSize))
		default:
			p.Emit(asm.Mov.Imm(asm.R2, int32(s.Size)))
		}
		// Bound R7 for the verifier: it never exceeds this slot's offset.
		bound := fmt.Sprintf("pack_off_ok_%d", s.Arg.Slot)
		p.Emit(
			asm.JLE.Imm(asm.R7, int32(s.Off), bound),
			prog.Exit.Ja(),
		)
		p.B.Label(bound)
		p.copySlotOut(s)
		p.Emit(asm.Add.Reg(asm.R7, asm.R2))
	}
	p.Emit(
		asm.JLE.Imm(asm.R7, int32(lay.Size), "pack_done"),
		prog.Exit.Ja(),
	)
	p.B.Label("pack_done")
	p.wakeupFlags(asm.R4)
	p.Emit(
		asm.StoreMem(asm.R8, bpf.HeaderSizeOff, asm.R7, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Reg(asm.R2, asm.R8),
		asm.Mov.Reg(asm.R3, asm.R7),
		asm.FnRingbufOutput.Call(),
	)
	action.CountPosted(p.Ctx)
}

// paddedLen emits r = the slot's data length rounded up to 8, bounded by
// its room in a way the verifier can follow.
func (p *progGen) paddedLen(r asm.Register, s *prog.Slot) {
	room := int32(bpf.Align8(s.MaxBytes))
	ok := p.B.Fresh(fmt.Sprintf("padded_%d", s.Arg.Slot))
	p.Emit(
		asm.LoadMem(r, prog.RRec, int16(s.Off), asm.Word),
		asm.Add.Imm(r, 7),
		asm.And.Imm(r, -8),
		asm.JLE.Imm(r, room, ok),
		asm.Mov.Imm(r, room),
	)
	p.B.Label(ok)
}

// postReserved builds the record in the ring buffer itself: a record with
// a maxData buffer is larger than any scratch. The slots are packed into a
// reservation of the largest size the record can have (discarded, and the
// drop counted, when the ring is full); maxData buffers are read again,
// whole, from the pointer kept at entry. The policy's counters count the
// record posted or lost (codegen/action/counters.go).
func (p *progGen) postReserved() {
	lay := p.Lay
	total := recordHeader
	for _, s := range lay.Slots {
		if s.BigBytes > 0 {
			total += bpf.BytesHeaderSize + bpf.Align8(s.BigBytes)
		} else {
			total += s.Size
		}
	}
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Imm(asm.R2, int32(total)),
		asm.Mov.Imm(asm.R3, 0),
		asm.FnRingbufReserve.Call(),
		asm.JNE.Imm(asm.R0, 0, "reserved"),
		asm.Mov.Imm(asm.R0, 1),
	)
	action.CountLost(p.Ctx)
	p.Emit(prog.Exit.Ja())
	p.B.Label("reserved")
	p.Emit(
		asm.Mov.Reg(asm.R8, asm.R0),
		asm.Mov.Imm(asm.R7, recordHeader),
	)
	p.copyHeaderOut()
	bound := 0 // the most R7 can be before each slot
	for _, s := range lay.Slots {
		if s.Enc == bpf.EncNone {
			continue
		}
		ok := p.B.Fresh(fmt.Sprintf("rsv_off_ok_%d", s.Arg.Slot))
		p.Emit(
			asm.JLE.Imm(asm.R7, int32(recordHeader+bound), ok),
			asm.Ja.Label("discard"),
		)
		p.B.Label(ok)
		if s.BigBytes > 0 {
			p.copyBig(s)
			bound += bpf.BytesHeaderSize + bpf.Align8(s.BigBytes)
			continue
		}
		if s.Enc == bpf.EncBytes {
			p.paddedLen(asm.R2, s)
			p.Emit(asm.Add.Imm(asm.R2, bpf.BytesHeaderSize))
		} else {
			p.Emit(asm.Mov.Imm(asm.R2, int32(s.Size)))
		}
		p.copySlotOut(s)
		p.Emit(asm.Add.Reg(asm.R7, asm.R2))
		bound += s.Size
	}
	p.wakeupFlags(asm.R2)
	p.Emit(
		asm.StoreMem(asm.R8, bpf.HeaderSizeOff, asm.R7, asm.Word),
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.FnRingbufSubmit.Call(),
	)
	action.CountAdd(p.Ctx, bpf.CountersPostedOff, 1)
	p.Emit(prog.Exit.Ja())
	// A slot past its bound (which the verifier needs excluded, and
	// which does not happen): the record is lost.
	p.B.Label("discard")
	p.Emit(
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Mov.Imm(asm.R2, 0),
		asm.FnRingbufDiscard.Call(),
	)
	action.CountAdd(p.Ctx, bpf.CountersLostOff, 1)
	p.Emit(prog.Exit.Ja())
}

// copyBig writes a maxData char_buf at R8+R7 in the reservation: its
// header (Len: the size, at most bigBytes) and the data read again from
// user or kernel memory. R7 moves past it.
func (p *progGen) copyBig(s *prog.Slot) {
	fits, read, fault, done := p.B.Fresh("big_fits"), p.B.Fresh("big_read"), p.B.Fresh("big_fault"), p.B.Fresh("big_done")
	fn := asm.FnProbeReadKernel
	if p.BigUser(s) {
		fn = asm.FnProbeReadUser
	}
	// No pointer kept (an iov_iter of several buffers): the filters'
	// copy is what the record gets (filter/maxdata_postfix.go).
	p.copyKeptCopy(s, done)
	p.Emit(
		// R6 is free here: nothing reads the context any more.
		asm.Mov.Reg(asm.R6, asm.R8),
		asm.Add.Reg(asm.R6, asm.R7),
		// Total as read at entry; Len: Total, at most bigBytes.
		asm.LoadMem(asm.R2, prog.RRec, int16(s.Off+bpf.BytesTotalOff), asm.DWord),
		asm.StoreMem(asm.R6, bpf.BytesTotalOff, asm.R2, asm.DWord),
		emit.StoreImm(asm.R6, bpf.BytesFlagsOff, 0, asm.Word),
		asm.JSGT.Imm(asm.R2, 0, fits),
		asm.Mov.Imm(asm.R2, 0),
	)
	p.B.Label(fits)
	p.Emit(
		asm.JLE.Imm(asm.R2, int32(s.BigBytes), read),
		asm.Mov.Imm(asm.R2, int32(s.BigBytes)),
		emit.StoreImm(asm.R6, bpf.BytesFlagsOff, bpf.BytesTruncated, asm.Word),
	)
	p.B.Label(read)
	p.Emit(
		asm.StoreMem(asm.R6, bpf.BytesLenOff, asm.R2, asm.Word),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R2, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R6),
		asm.Add.Imm(asm.R1, bpf.BytesHeaderSize),
		asm.LoadMem(asm.R3, prog.RRec, int16(s.Aux), asm.DWord),
		fn.Call(),
		asm.JNE.Imm(asm.R0, 0, fault),
		asm.LoadMem(asm.R2, asm.RFP, prog.StVal, asm.DWord),
		asm.Ja.Label(done),
	)
	p.B.Label(fault)
	p.Emit(
		emit.StoreImm(asm.R6, bpf.BytesLenOff, 0, asm.Word),
		emit.StoreImm(asm.R6, bpf.BytesFlagsOff, bpf.BytesFault, asm.Word),
		asm.Mov.Imm(asm.R2, 0),
	)
	p.B.Label(done)
	p.Emit(
		asm.Add.Imm(asm.R2, 7+bpf.BytesHeaderSize),
		asm.And.Imm(asm.R2, -8),
		asm.JLE.Imm(asm.R2, int32(bpf.BytesHeaderSize+bpf.Align8(s.BigBytes)), done+"_ok"),
		asm.Mov.Imm(asm.R2, int32(bpf.BytesHeaderSize+bpf.Align8(s.BigBytes))),
	)
	p.B.Label(done + "_ok")
	p.Emit(asm.Add.Reg(asm.R7, asm.R2))
}

// copyHeaderOut copies the record's header to the output record at R8.
func (p *progGen) copyHeaderOut() {
	for off := 0; off < recordHeader; off += 8 {
		p.Emit(asm.LoadMem(asm.R1, prog.RRec, int16(off), asm.DWord), asm.StoreMem(asm.R8, int16(off), asm.R1, asm.DWord))
	}
}

// copySlotOut copies R2 bytes of slot s from the record to the output
// record at R8, at offset R7, and leaves R2 as it was.
func (p *progGen) copySlotOut(s *prog.Slot) {
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StVal, asm.R2, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Add.Reg(asm.R1, asm.R7),
		asm.Mov.Reg(asm.R3, prog.RRec),
		asm.Add.Imm(asm.R3, int32(s.Off)),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(asm.R2, asm.RFP, prog.StVal, asm.DWord),
	)
}
