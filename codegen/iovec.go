package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
)

// char_iovec: an array of struct iovec {void *base; size_t len} and its
// count (the size argument). The buffers are copied one after the other
// into the slot, up to its room; Total is the sum of their lengths. The
// copy is a bpf_loop over the entries (at most uioMaxIov) whose callback,
// generated per argument, reads one entry. Its state is on the caller's
// stack:
const (
	stIov      = -200 // u64: the iovec array
	stIovCount = -208 // u64: entries
	stIovFill  = -216 // u64: bytes copied so far
	stIovSlot  = -224 // the slot's address in the record
	stIovTotal = -232 // u64: the sum of the lengths
	uioMaxIov  = 1024 // UIO_MAXIOV: the kernel refuses more entries
)

// readIovec reads the char_iovec argument of slot s, whose array pointer
// is in ptr.
func (p *progGen) readIovec(s *slot, ptr asm.Register) {
	a := s.arg
	var count int16
	switch size := p.lay.slotOf(a.SizeSlot); {
	case a.SizeSlot >= 0 && size != nil && size.enc == bpf.EncInt:
		count = int16(size.off)
	default:
		p.errorf(a.Pos, "char_iovec argument %d needs its entry count (sizeArgIndex)", a.Index)
		return
	}
	p.emit(asm.LoadMem(asm.R1, rRec, count, asm.DWord))
	p.copyIovec(s, ptr, p.userPointers())
}

// copyIovec copies the buffers of the iovec array at ptr, R1 entries
// (none when negative, at most uioMaxIov), one after the other into slot
// s, up to its room; Total is the sum of their lengths.
func (p *progGen) copyIovec(s *slot, ptr asm.Register, user bool) {
	name := p.walkFunc(nil, "iovec")
	done := p.b.Fresh("iov_done")
	p.emit(
		asm.StoreMem(asm.RFP, stIov, ptr, asm.DWord),
		asm.JSGE.Imm(asm.R1, 0, done+"_count"),
		asm.Mov.Imm(asm.R1, 0),
	)
	p.b.Label(done + "_count")
	p.emit(
		asm.JLE.Imm(asm.R1, uioMaxIov, done+"_bounded"),
		asm.Mov.Imm(asm.R1, uioMaxIov),
	)
	p.b.Label(done + "_bounded")
	p.emit(
		asm.StoreMem(asm.RFP, stIovCount, asm.R1, asm.DWord),
		emit.StoreImm(asm.RFP, stIovFill, 0, asm.DWord),
		emit.StoreImm(asm.RFP, stIovTotal, 0, asm.DWord),
		asm.Mov.Reg(asm.R2, rRec),
		asm.Add.Imm(asm.R2, int32(s.off+bpf.BytesHeaderSize)),
		asm.StoreMem(asm.RFP, stIovSlot, asm.R2, asm.DWord),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference(name),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, stIov),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		// Len and Flags, then Total.
		asm.LoadMem(asm.R1, asm.RFP, stIovFill, asm.DWord),
		asm.LoadMem(asm.R2, asm.RFP, stIovTotal, asm.DWord),
		asm.StoreMem(rRec, int16(s.off), asm.R1, asm.Word),
		emit.StoreImm(rRec, int16(s.off+bpf.BytesFlagsOff), 0, asm.Word),
		asm.StoreMem(rRec, int16(s.off+bpf.BytesTotalOff), asm.R2, asm.DWord),
		asm.JLE.Reg(asm.R2, asm.R1, done),
		emit.StoreImm(rRec, int16(s.off+bpf.BytesFlagsOff), bpf.BytesTruncated, asm.Word),
	)
	p.b.Label(done)
	p.emit(asm.Mov.Imm(asm.R0, 0))

	// The callback: R1 = the entry's index, R2 = the state (stIov of the
	// caller's frame, so the other fields are at negative offsets).
	fn := asm.FnProbeReadKernel
	if user {
		fn = asm.FnProbeReadUser
	}
	max := int32(s.maxBytes)
	sub := p.subprogram()
	b := &sub.b
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R2),
		asm.LoadMem(asm.R2, asm.R6, stIovCount-stIov, asm.DWord),
		asm.JGE.Reg(asm.R1, asm.R2, "stop"),
		// The entry: 16 bytes at iov + 16*index, into fp-16.
		asm.LSh.Imm(asm.R1, 4),
		asm.LoadMem(asm.R3, asm.R6, 0, asm.DWord),
		asm.Add.Reg(asm.R3, asm.R1),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, -16),
		asm.Mov.Imm(asm.R2, 16),
		fn.Call(),
		asm.JNE.Imm(asm.R0, 0, "stop"),
		asm.LoadMem(asm.R7, asm.RFP, -8, asm.DWord), // len
		asm.LoadMem(asm.R1, asm.R6, stIovTotal-stIov, asm.DWord),
		asm.Add.Reg(asm.R1, asm.R7),
		asm.StoreMem(asm.R6, stIovTotal-stIov, asm.R1, asm.DWord),
		// Room left: copy min(len, room).
		asm.LoadMem(asm.R8, asm.R6, stIovFill-stIov, asm.DWord),
		asm.JGE.Imm(asm.R8, max, "next"),
		asm.Mov.Imm(asm.R2, max),
		asm.Sub.Reg(asm.R2, asm.R8),
		asm.JLE.Reg(asm.R2, asm.R7, "room"),
		asm.Mov.Reg(asm.R2, asm.R7),
	)
	b.Label("room")
	b.Emit(
		// The verifier sees fill < room and size <= room, not their sum:
		// the record's scratch keeps a slot's room spare after it.
		asm.JGT.Imm(asm.R2, max, "next"),
		asm.LoadMem(asm.R1, asm.R6, stIovSlot-stIov, asm.DWord),
		asm.Add.Reg(asm.R1, asm.R8),
		asm.Add.Reg(asm.R8, asm.R2),
		asm.StoreMem(asm.R6, stIovFill-stIov, asm.R8, asm.DWord),
		asm.LoadMem(asm.R3, asm.RFP, -16, asm.DWord), // base
		fn.Call(),
	)
	b.Label("next")
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	b.Label("stop")
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	p.addFunc(name, sub)
}

// readIovIter reads the data an iov_iter (in ptr) describes: a user buffer
// (ITER_UBUF) or an array of user iovecs (ITER_IOVEC), at most the slot's
// room; other kinds of iterator (kernel memory, pages) give no data.
// iter_type's values and the iovec array's name (__iov since 6.4, iov
// before) come from the target kernel through CO-RE.
func (p *progGen) readIovIter(s *slot, ptr asm.Register) {
	ubuf, iovec, none, done := p.b.Fresh("iter_ubuf"), p.b.Fresh("iter_iovec"), p.b.Fresh("iter_none"), p.b.Fresh("iter_done")
	kern.ReadKernel(&p.b, asm.R8, ptr, kern.IovIter, "iter_type", asm.Byte, stTmp)
	p.emit(
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "0", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, ubuf),
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "1", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, iovec),
	)
	p.b.Label(none)
	p.emit(
		emit.StoreImm(rRec, int16(s.off), 0, asm.DWord),
		emit.StoreImm(rRec, int16(s.off+bpf.BytesTotalOff), 0, asm.DWord),
	)
	p.keepBigPointer(s, nil)
	p.emit(asm.Ja.Label(done))
	p.b.Label(ubuf)
	kern.ReadKernel(&p.b, asm.R8, ptr, kern.IovIter, "count", asm.DWord, stTmp)
	kern.ReadKernel(&p.b, ptr, ptr, kern.IovIter, "ubuf", asm.DWord, stTmp)
	// maxData: the one buffer is read again, whole, when posting.
	p.keepBigPointer(s, &ptr)
	p.copyBuffer(s, ptr, true)
	p.emit(asm.Ja.Label(done))
	p.b.Label(iovec)
	// maxData over several buffers: the record gets the filters' copy.
	p.keepBigPointer(s, nil)
	old := p.b.Fresh("iter_old_iov")
	p.emit(
		kern.Exists(asm.Mov.Imm(asm.R1, 0), kern.IovIter, "__iov"),
		asm.JEq.Imm(asm.R1, 0, old),
	)
	kern.ReadKernel(&p.b, asm.R8, ptr, kern.IovIter, "__iov", asm.DWord, stTmp)
	p.emit(asm.Ja.Label(old + "_have"))
	p.b.Label(old)
	kern.ReadKernel(&p.b, asm.R8, ptr, kern.IovIterOld, "iov", asm.DWord, stTmp)
	p.b.Label(old + "_have")
	kern.ReadKernel(&p.b, asm.R1, ptr, kern.IovIter, "nr_segs", asm.DWord, stTmp)
	p.copyIovec(s, asm.R8, true)
	p.b.Label(done)
	p.emit(asm.Mov.Imm(asm.R0, 0))
}
