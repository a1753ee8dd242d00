package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/ir"
)

// Registers every generated program keeps.
const (
	rCtx = asm.R6 // the program's context
	rRec = asm.R9 // the record being built (polc_rec, or the saved one)
)

// Stack slots (offsets from R10) of generated programs. Inline routines of
// package kern use stTmp and the 8 bytes below it.
const (
	stKey     = -8  // u32 key of single-entry maps; scratch
	stTmp     = -16 // kern scratch (and -24)
	stRegs    = -32 // syscall hooks: the user pt_regs the wrapper received
	stPidTgid = -40 // bpf_get_current_pid_tgid()
	stVal     = -48 // an 8-byte value: map keys, saved registers
	stVal2    = -56
)

// Extra room after the record in the polc_rec value: a copy of the
// process table entry of the current process, then one byte per selector
// saying whether its process filters passed.
func (l *layout) procOff() int          { return bpf.Align8(l.size + l.pad) }
func (l *layout) maskOff() int          { return l.procOff() + bpf.ProcSize }
func (l *layout) scratchSize(n int) int { return bpf.Align8(l.maskOff() + n) }

// progGen generates one program of a hook.
type progGen struct {
	g   *gen
	h   *ir.Hook
	lay *layout
	b   emit.Builder
	// ret: this is the return program.
	ret bool
	// needProc: the process table entry was copied into the scratch.
	needProc bool
	// gates counts the mode gates emitted, for their labels (mode.go).
	gates int
}

func (p *progGen) emit(insns ...asm.Instruction) { p.b.Emit(insns...) }

func (p *progGen) src(pos ir.Pos, what string) { p.b.Source(p.g.line(pos, what)) }

func (p *progGen) errorf(pos ir.Pos, format string, args ...any) {
	p.g.errs.add(pos, format, args...)
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

	entry := &progGen{g: g, h: h, lay: lay}
	insns := entry.entryProgram()
	progs := []bpf.Program{{Name: at.name, Section: at.section, Attach: at.attach, Target: at.target}}
	if len(g.errs.errs) > nerr {
		return
	}
	g.progs = append(g.progs, &object.Program{Name: at.name, Section: at.section, Insns: insns})
	if h.Return {
		ret := &progGen{g: g, h: h, lay: lay, ret: true}
		rinsns := ret.returnProgram()
		if len(g.errs.errs) > nerr {
			return
		}
		g.progs = append(g.progs, &object.Program{Name: at.retName, Section: at.retSection, Insns: rinsns})
		progs = append(progs, bpf.Program{Name: at.retName, Section: at.retSection, Attach: at.retAttach})
	}
	if lay.ima != nil {
		progs = g.imaProgram(h, lay, at, progs) // imahash.go
		if len(g.errs.errs) > nerr {
			return
		}
	}
	g.recSize = max(g.recSize, lay.scratchSize(len(h.Selectors)))
	if lay.compact {
		g.usesOut = true
		g.outSize = max(g.outSize, lay.size)
	}
	g.hooks = append(g.hooks, g.manifestHook(h, lay, progs))
}

// entryProgram generates the program that runs when the hook fires.
func (p *progGen) entryProgram() asm.Instructions {
	h := p.h
	p.src(h.Pos, h.Call)
	p.prologue()
	p.processFilters()
	p.header()
	p.readArgs(false)
	p.selectors()
	p.b.Label("exit")
	p.exitValue()
	p.emit(asm.Return())
	return p.finish()
}

func (p *progGen) finish() asm.Instructions {
	insns, err := p.b.Instructions()
	if err != nil {
		p.errorf(p.h.Pos, "internal error generating %s: %v", p.h.Call, err)
		return nil
	}
	return insns
}

// prologue keeps the context, finds the scratch record and reads the
// current pid_tgid.
func (p *progGen) prologue() {
	p.initReturnValue()
	p.emit(
		asm.Mov.Reg(rCtx, asm.R1),
		emit.StoreImm(asm.RFP, stKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(recMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "exit"),
		asm.Mov.Reg(rRec, asm.R0),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.RFP, stPidTgid, asm.R0, asm.DWord),
	)
	p.ctxPrologue()
}

// header fills the record header; the time and Size are set when posting
// (stampTime, post), so that a rejected event never reads the clock.
func (p *progGen) header() {
	p.emit(
		// Kind and Version; Flags and Size 0, in one store.
		emit.StoreImm(rRec, bpf.HeaderKindOff, int64(bpf.EventPolicy)|bpf.EventVersion<<(8*bpf.HeaderVersionOff), asm.DWord),
		asm.LoadMapValue(asm.R1, 0, 0).WithReference(bpf.VarPolicyID),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.StoreMem(rRec, bpf.HeaderPolicyIDOff, asm.R1, asm.Word),
		emit.StoreImm(rRec, bpf.HeaderHookIDOff, int64(p.h.ID), asm.Half),
		emit.StoreImm(rRec, bpf.HeaderSelectorOff, 0, asm.Byte),
		emit.StoreImm(rRec, bpf.HeaderActionOff, int64(bpf.ActionPost), asm.Byte),
		asm.LoadMem(asm.R1, asm.RFP, stPidTgid, asm.DWord),
		asm.StoreMem(rRec, bpf.HeaderPidOff, asm.R1, asm.Word),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(rRec, bpf.HeaderTgidOff, asm.R1, asm.Word),
		emit.StoreImm(rRec, bpf.HeaderRetOff, 0, asm.DWord),
	)
}

// stampTime writes the record's time, once a selector has matched: the
// clock costs about as much as the rest of a rejection (docs/BENCHMARKS.md,
// "Where a rejected event's time goes").
func (p *progGen) stampTime() {
	p.emit(
		asm.FnKtimeGetBootNs.Call(),
		asm.StoreMem(rRec, bpf.HeaderKtimeOff, asm.R0, asm.DWord),
	)
}

// currentTask loads bpf_get_current_task() into dst, calling the helper
// once per program run.
func (p *progGen) currentTask(dst asm.Register) {
	p.emit(asm.FnGetCurrentTask.Call())
	if dst != asm.R0 {
		p.emit(asm.Mov.Reg(dst, asm.R0))
	}
}

// post writes the record's size and outputs it to the ring buffer.
func (p *progGen) post() {
	lay := p.lay
	if lay.big {
		p.postReserved()
		return
	}
	if lay.compact {
		p.postCompacted()
		return
	}
	// The size is the fixed part, plus the data of a trailing
	// variable-length argument.
	last := lastVariable(lay)
	if last == nil {
		p.emit(asm.Mov.Imm(asm.R3, int32(lay.size)))
	} else {
		p.paddedLen(asm.R3, last)
		p.emit(asm.Add.Imm(asm.R3, int32(last.off+bpf.BytesHeaderSize)))
	}
	p.emit(
		asm.StoreMem(rRec, bpf.HeaderSizeOff, asm.R3, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Reg(asm.R2, rRec),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnRingbufOutput.Call(),
	)
	kern.CountDrop(&p.b, stKey)
}

// lastVariable returns the EncBytes slot when it is the last slot that
// takes bytes, else nil.
func lastVariable(lay *layout) *slot {
	for i := len(lay.slots) - 1; i >= 0; i-- {
		s := lay.slots[i]
		if s.enc == bpf.EncNone {
			continue
		}
		if s.enc == bpf.EncBytes {
			return s
		}
		return nil
	}
	return nil
}

// postCompacted packs the slots into polc_out, each argument right after
// the previous one as the record layout wants, and outputs that.
func (p *progGen) postCompacted() {
	lay := p.lay
	p.emit(
		emit.StoreImm(asm.RFP, stKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(outMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "exit"),
		asm.Mov.Reg(asm.R8, asm.R0),
		// R7: where the next argument goes.
		asm.Mov.Imm(asm.R7, recordHeader),
	)
	// The header, as is (its Size is patched below).
	p.copyHeaderOut()
	for _, s := range lay.slots {
		switch s.enc {
		case bpf.EncNone:
			continue
		case bpf.EncBytes:
			p.paddedLen(asm.R2, s)
			p.emit(asm.Add.Imm(asm.R2, bpf.BytesHeaderSize))
		default:
			p.emit(asm.Mov.Imm(asm.R2, int32(s.size)))
		}
		// Bound R7 for the verifier: it never exceeds this slot's offset.
		bound := fmt.Sprintf("pack_off_ok_%d", s.arg.Slot)
		p.emit(
			asm.JLE.Imm(asm.R7, int32(s.off), bound),
			asm.Ja.Label("exit"),
		)
		p.b.Label(bound)
		p.copySlotOut(s)
		p.emit(asm.Add.Reg(asm.R7, asm.R2))
	}
	p.emit(
		asm.JLE.Imm(asm.R7, int32(lay.size), "pack_done"),
		asm.Ja.Label("exit"),
	)
	p.b.Label("pack_done")
	p.emit(
		asm.StoreMem(asm.R8, bpf.HeaderSizeOff, asm.R7, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Reg(asm.R2, asm.R8),
		asm.Mov.Reg(asm.R3, asm.R7),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnRingbufOutput.Call(),
	)
	kern.CountDrop(&p.b, stKey)
}

// paddedLen emits r = the slot's data length rounded up to 8, bounded by
// its room in a way the verifier can follow.
func (p *progGen) paddedLen(r asm.Register, s *slot) {
	room := int32(bpf.Align8(s.maxBytes))
	ok := p.b.Fresh(fmt.Sprintf("padded_%d", s.arg.Slot))
	p.emit(
		asm.LoadMem(r, rRec, int16(s.off), asm.Word),
		asm.Add.Imm(r, 7),
		asm.And.Imm(r, -8),
		asm.JLE.Imm(r, room, ok),
		asm.Mov.Imm(r, room),
	)
	p.b.Label(ok)
}

// postReserved builds the record in the ring buffer itself: a record with
// a maxData buffer is larger than any scratch. The slots are packed into a
// reservation of the largest size the record can have (discarded, and the
// drop counted, when the ring is full); maxData buffers are read again,
// whole, from the pointer kept at entry.
func (p *progGen) postReserved() {
	lay := p.lay
	total := recordHeader
	for _, s := range lay.slots {
		if s.bigBytes > 0 {
			total += bpf.BytesHeaderSize + bpf.Align8(s.bigBytes)
		} else {
			total += s.size
		}
	}
	p.emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Imm(asm.R2, int32(total)),
		asm.Mov.Imm(asm.R3, 0),
		asm.FnRingbufReserve.Call(),
		asm.JNE.Imm(asm.R0, 0, "reserved"),
		asm.Mov.Imm(asm.R0, 1),
	)
	kern.CountDrop(&p.b, stKey)
	p.emit(asm.Ja.Label("exit"))
	p.b.Label("reserved")
	p.emit(
		asm.Mov.Reg(asm.R8, asm.R0),
		asm.Mov.Imm(asm.R7, recordHeader),
	)
	p.copyHeaderOut()
	bound := 0 // the most R7 can be before each slot
	for _, s := range lay.slots {
		if s.enc == bpf.EncNone {
			continue
		}
		ok := p.b.Fresh(fmt.Sprintf("rsv_off_ok_%d", s.arg.Slot))
		p.emit(
			asm.JLE.Imm(asm.R7, int32(recordHeader+bound), ok),
			asm.Ja.Label("discard"),
		)
		p.b.Label(ok)
		if s.bigBytes > 0 {
			p.copyBig(s)
			bound += bpf.BytesHeaderSize + bpf.Align8(s.bigBytes)
			continue
		}
		if s.enc == bpf.EncBytes {
			p.paddedLen(asm.R2, s)
			p.emit(asm.Add.Imm(asm.R2, bpf.BytesHeaderSize))
		} else {
			p.emit(asm.Mov.Imm(asm.R2, int32(s.size)))
		}
		p.copySlotOut(s)
		p.emit(asm.Add.Reg(asm.R7, asm.R2))
		bound += s.size
	}
	p.emit(
		asm.StoreMem(asm.R8, bpf.HeaderSizeOff, asm.R7, asm.Word),
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Mov.Imm(asm.R2, 0),
		asm.FnRingbufSubmit.Call(),
		asm.Ja.Label("exit"),
	)
	p.b.Label("discard")
	p.emit(
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Mov.Imm(asm.R2, 0),
		asm.FnRingbufDiscard.Call(),
		asm.Ja.Label("exit"),
	)
}

// copyBig writes a maxData char_buf at R8+R7 in the reservation: its
// header (Len: the size, at most bigBytes) and the data read again from
// user or kernel memory. R7 moves past it.
func (p *progGen) copyBig(s *slot) {
	fits, read, fault, done := p.b.Fresh("big_fits"), p.b.Fresh("big_read"), p.b.Fresh("big_fault"), p.b.Fresh("big_done")
	fn := asm.FnProbeReadKernel
	if p.bigUser(s) {
		fn = asm.FnProbeReadUser
	}
	// No pointer kept (an iov_iter of several buffers): the filters'
	// copy is what the record gets (maxdata_postfix.go).
	p.copyKeptCopy(s, done)
	p.emit(
		// R6 is free here: nothing reads the context any more.
		asm.Mov.Reg(asm.R6, asm.R8),
		asm.Add.Reg(asm.R6, asm.R7),
		// Total as read at entry; Len: Total, at most bigBytes.
		asm.LoadMem(asm.R2, rRec, int16(s.off+bpf.BytesTotalOff), asm.DWord),
		asm.StoreMem(asm.R6, bpf.BytesTotalOff, asm.R2, asm.DWord),
		emit.StoreImm(asm.R6, bpf.BytesFlagsOff, 0, asm.Word),
		asm.JSGT.Imm(asm.R2, 0, fits),
		asm.Mov.Imm(asm.R2, 0),
	)
	p.b.Label(fits)
	p.emit(
		asm.JLE.Imm(asm.R2, int32(s.bigBytes), read),
		asm.Mov.Imm(asm.R2, int32(s.bigBytes)),
		emit.StoreImm(asm.R6, bpf.BytesFlagsOff, bpf.BytesTruncated, asm.Word),
	)
	p.b.Label(read)
	p.emit(
		asm.StoreMem(asm.R6, bpf.BytesLenOff, asm.R2, asm.Word),
		asm.StoreMem(asm.RFP, stVal, asm.R2, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R6),
		asm.Add.Imm(asm.R1, bpf.BytesHeaderSize),
		asm.LoadMem(asm.R3, rRec, int16(s.aux), asm.DWord),
		fn.Call(),
		asm.JNE.Imm(asm.R0, 0, fault),
		asm.LoadMem(asm.R2, asm.RFP, stVal, asm.DWord),
		asm.Ja.Label(done),
	)
	p.b.Label(fault)
	p.emit(
		emit.StoreImm(asm.R6, bpf.BytesLenOff, 0, asm.Word),
		emit.StoreImm(asm.R6, bpf.BytesFlagsOff, bpf.BytesFault, asm.Word),
		asm.Mov.Imm(asm.R2, 0),
	)
	p.b.Label(done)
	p.emit(
		asm.Add.Imm(asm.R2, 7+bpf.BytesHeaderSize),
		asm.And.Imm(asm.R2, -8),
		asm.JLE.Imm(asm.R2, int32(bpf.BytesHeaderSize+bpf.Align8(s.bigBytes)), done+"_ok"),
		asm.Mov.Imm(asm.R2, int32(bpf.BytesHeaderSize+bpf.Align8(s.bigBytes))),
	)
	p.b.Label(done + "_ok")
	p.emit(asm.Add.Reg(asm.R7, asm.R2))
}

// copyHeaderOut copies the record's header to the output record at R8.
func (p *progGen) copyHeaderOut() {
	for off := 0; off < recordHeader; off += 8 {
		p.emit(asm.LoadMem(asm.R1, rRec, int16(off), asm.DWord), asm.StoreMem(asm.R8, int16(off), asm.R1, asm.DWord))
	}
}

// copySlotOut copies R2 bytes of slot s from the record to the output
// record at R8, at offset R7, and leaves R2 as it was.
func (p *progGen) copySlotOut(s *slot) {
	p.emit(
		asm.StoreMem(asm.RFP, stVal, asm.R2, asm.DWord),
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Add.Reg(asm.R1, asm.R7),
		asm.Mov.Reg(asm.R3, rRec),
		asm.Add.Imm(asm.R3, int32(s.off)),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(asm.R2, asm.RFP, stVal, asm.DWord),
	)
}
