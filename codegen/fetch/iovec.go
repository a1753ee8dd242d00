package fetch

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// char_iovec: an array of struct iovec {void *base; size_t len} and its
// count (the size argument). The buffers are copied one after the other
// into the slot, up to its room; Total is the sum of their lengths. The
// copy is a bpf_loop over the entries (at most UIOMaxIov) whose callback,
// generated per argument, reads one entry. Its state is on the caller's
// stack:
const (
	UIOMaxIov = 1024 // UIO_MAXIOV: the kernel refuses more entries
)

// readIovec reads the char_iovec argument of slot s, whose array pointer
// is in ptr.
func (p *Gen) readIovec(s *prog.Slot, ptr asm.Register) {
	a := s.Arg
	var count int16
	switch size := p.Lay.SlotOf(a.SizeSlot); {
	case a.SizeSlot >= 0 && size != nil && size.Enc == bpf.EncInt:
		count = int16(size.Off)
	case a.SizeRaw != 0:
		if !p.loadRawSize(asm.R8, a) { // R8: a USDT operand read clobbers R7 else
			return
		}
		p.Emit(asm.Mov.Reg(asm.R1, asm.R8))
		p.copyIovec(s, ptr, p.UserPointers(), p.UserPointers())
		return
	case p.Hook.Kind != ir.HookTracepoint && !a.ReturnCopy:
		// No size argument: Tetragon's entry count is 0, an empty buffer.
		p.Emit(
			emit.StoreImm(prog.RRec, int16(s.Off), 0, asm.DWord),
			emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesTotalOff), 0, asm.DWord),
		)
		return
	default:
		p.Errorf(a.Pos, "char_iovec argument %d needs its entry count (sizeArgIndex)", a.Index)
		return
	}
	p.Emit(asm.LoadMem(asm.R1, prog.RRec, count, asm.DWord))
	p.copyIovec(s, ptr, p.UserPointers(), p.UserPointers())
}

// copyIovec copies the buffers of the iovec array at ptr, R1 entries
// (none when negative, at most UIOMaxIov), one after the other into slot
// s, up to its room; Total is the sum of their lengths. userArray and
// userData say whether the array and the buffers are user memory.
func (p *Gen) copyIovec(s *prog.Slot, ptr asm.Register, userArray, userData bool) {
	name := p.FuncName("iovec")
	done := p.B.Fresh("iov_done")
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StIov, ptr, asm.DWord),
		asm.JSGE.Imm(asm.R1, 0, done+"_count"),
		asm.Mov.Imm(asm.R1, 0),
	)
	p.B.Label(done + "_count")
	p.Emit(
		asm.JLE.Imm(asm.R1, UIOMaxIov, done+"_bounded"),
		asm.Mov.Imm(asm.R1, UIOMaxIov),
	)
	p.B.Label(done + "_bounded")
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StIovCount, asm.R1, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StIovFill, 0, asm.DWord),
		emit.StoreImm(asm.RFP, prog.StIovTotal, 0, asm.DWord),
		asm.Mov.Reg(asm.R2, prog.RRec),
		asm.Add.Imm(asm.R2, int32(s.Off+bpf.BytesHeaderSize)),
		asm.StoreMem(asm.RFP, prog.StIovSlot, asm.R2, asm.DWord),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference(name),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, prog.StIov),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		// Len and Flags, then Total.
		asm.LoadMem(asm.R1, asm.RFP, prog.StIovFill, asm.DWord),
		asm.LoadMem(asm.R2, asm.RFP, prog.StIovTotal, asm.DWord),
		asm.StoreMem(prog.RRec, int16(s.Off), asm.R1, asm.Word),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesFlagsOff), 0, asm.Word),
		asm.StoreMem(prog.RRec, int16(s.Off+bpf.BytesTotalOff), asm.R2, asm.DWord),
		asm.JLE.Reg(asm.R2, asm.R1, done),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesFlagsOff), bpf.BytesTruncated, asm.Word),
	)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))

	// The callback: R1 = the entry's index, R2 = the state (prog.StIov of the
	// caller's frame, so the other fields are at negative offsets).
	readArray, readData := asm.FnProbeReadKernel, asm.FnProbeReadKernel
	if userArray {
		readArray = asm.FnProbeReadUser
	}
	if userData {
		readData = asm.FnProbeReadUser
	}
	max := int32(s.MaxBytes)
	sub := p.subprogram()
	b := &sub.B
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R2),
		asm.LoadMem(asm.R2, asm.R6, prog.StIovCount-prog.StIov, asm.DWord),
		asm.JGE.Reg(asm.R1, asm.R2, "stop"),
		// The entry: 16 bytes at iov + 16*index, into fp-16.
		asm.LSh.Imm(asm.R1, 4),
		asm.LoadMem(asm.R3, asm.R6, 0, asm.DWord),
		asm.Add.Reg(asm.R3, asm.R1),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, -16),
		asm.Mov.Imm(asm.R2, 16),
		readArray.Call(),
		asm.JNE.Imm(asm.R0, 0, "stop"),
		asm.LoadMem(asm.R7, asm.RFP, -8, asm.DWord), // len
		asm.LoadMem(asm.R1, asm.R6, prog.StIovTotal-prog.StIov, asm.DWord),
		asm.Add.Reg(asm.R1, asm.R7),
		asm.StoreMem(asm.R6, prog.StIovTotal-prog.StIov, asm.R1, asm.DWord),
		// Room left: copy min(len, room).
		asm.LoadMem(asm.R8, asm.R6, prog.StIovFill-prog.StIov, asm.DWord),
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
		asm.LoadMem(asm.R1, asm.R6, prog.StIovSlot-prog.StIov, asm.DWord),
		asm.Add.Reg(asm.R1, asm.R8),
		asm.Add.Reg(asm.R8, asm.R2),
		asm.StoreMem(asm.R6, prog.StIovFill-prog.StIov, asm.R8, asm.DWord),
		asm.LoadMem(asm.R3, asm.RFP, -16, asm.DWord), // base
		readData.Call(),
	)
	b.Label("next")
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	b.Label("stop")
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	p.AddFunc(name, sub.Ctx)
}

// readIovIter reads the data an iov_iter (in ptr) describes: a user buffer
// (ITER_UBUF) or a kernel array of iovecs of user buffers (ITER_IOVEC), at
// most the slot's room; other kinds of iterator (kernel memory, pages)
// give no data.
// iter_type's values and the iovec array's name (__iov since 6.4, iov
// before) come from the target kernel through CO-RE.
func (p *Gen) readIovIter(s *prog.Slot, ptr asm.Register) {
	ubuf, iovec, none, done := p.B.Fresh("iter_ubuf"), p.B.Fresh("iter_iovec"), p.B.Fresh("iter_none"), p.B.Fresh("iter_done")
	typed := p.B.Fresh("iter_typed")
	// Before 5.14 there is no iter_type (nor ITER_UBUF) but a type: the
	// CO-RE relocations of the other layout fail in a branch the verifier
	// sees is never taken.
	p.Emit(
		kern.Exists(asm.Mov.Imm(asm.R1, 0), kern.IovIter, "iter_type"),
		asm.JEq.Imm(asm.R1, 0, typed),
	)
	kern.ReadKernel(&p.B, asm.R8, ptr, kern.IovIter, "iter_type", asm.Byte, prog.StTmp)
	p.Emit(
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "0", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, ubuf),
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "1", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, iovec),
		asm.Ja.Label(none),
	)
	p.B.Label(typed)
	kern.ReadKernel(&p.B, asm.R8, ptr, kern.IovIterTyped, "type", asm.Word, prog.StTmp)
	p.Emit(
		asm.And.Imm(asm.R8, ^1), // the direction
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "1", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, iovec),
	)
	p.B.Label(none)
	p.Emit(
		emit.StoreImm(prog.RRec, int16(s.Off), 0, asm.DWord),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesTotalOff), 0, asm.DWord),
	)
	p.keepBigPointer(s, nil)
	p.Emit(asm.Ja.Label(done))
	p.B.Label(ubuf)
	kern.ReadKernel(&p.B, asm.R8, ptr, kern.IovIter, "count", asm.DWord, prog.StTmp)
	kern.ReadKernel(&p.B, ptr, ptr, kern.IovIter, "ubuf", asm.DWord, prog.StTmp)
	// maxData: the one buffer is read again, whole, when posting.
	p.keepBigPointer(s, &ptr)
	p.copyBuffer(s, ptr, true)
	p.Emit(asm.Ja.Label(done))
	p.B.Label(iovec)
	old := p.B.Fresh("iter_old_iov")
	p.Emit(
		kern.Exists(asm.Mov.Imm(asm.R1, 0), kern.IovIter, "__iov"),
		asm.JEq.Imm(asm.R1, 0, old),
	)
	kern.ReadKernel(&p.B, asm.R8, ptr, kern.IovIter, "__iov", asm.DWord, prog.StTmp)
	p.Emit(asm.Ja.Label(old + "_have"))
	p.B.Label(old)
	kern.ReadKernel(&p.B, asm.R8, ptr, kern.IovIterOld, "iov", asm.DWord, prog.StTmp)
	p.B.Label(old + "_have")
	kern.ReadKernel(&p.B, asm.R1, ptr, kern.IovIter, "nr_segs", asm.DWord, prog.StTmp)
	if s.BigBytes > 0 {
		// maxData on one buffer (every write before 6.0 makes one iovec):
		// as ITER_UBUF, read again whole when posting. Over several
		// buffers the record gets the filters' copy.
		several := p.B.Fresh("iter_several")
		p.Emit(asm.JNE.Imm(asm.R1, 1, several))
		p.readKernel8(ptr, asm.R8, 0)    // iov_base
		p.readKernel8(asm.R8, asm.R8, 8) // iov_len
		p.keepBigPointer(s, &ptr)
		p.copyBuffer(s, ptr, true)
		p.Emit(asm.Ja.Label(done))
		p.B.Label(several)
		p.keepBigPointer(s, nil) // clobbers R1: nr_segs again
		kern.ReadKernel(&p.B, asm.R1, ptr, kern.IovIter, "nr_segs", asm.DWord, prog.StTmp)
	}
	// The kernel copied the array from the caller (import_iovec, or one
	// iovec on the stack of a write): its entries are kernel memory, the
	// buffers they point to user memory.
	p.copyIovec(s, asm.R8, false, true)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// readKernel8 loads into dst the 8 bytes of kernel memory at src+off (0
// when they cannot be read); src may be dst.
func (p *Gen) readKernel8(dst, src asm.Register, off int32) {
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StTmp, 0, asm.DWord),
		asm.Mov.Reg(asm.R3, src),
		asm.Add.Imm(asm.R3, off),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, prog.StTmp),
		asm.Mov.Imm(asm.R2, 8),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(dst, asm.RFP, prog.StTmp, asm.DWord),
	)
}

// keepBigPointer stores, for a maxData slot, the pointer its whole buffer
// is read from when posting: ptr, or none (0) when the data is not one
// buffer (an iov_iter's iovec array), in which case the record keeps the
// filters' copy.
func (p *Gen) keepBigPointer(s *prog.Slot, ptr *asm.Register) {
	if s.BigBytes == 0 {
		return
	}
	if ptr == nil {
		p.Emit(asm.Mov.Imm(asm.R1, 0), asm.StoreMem(prog.RRec, int16(s.Aux), asm.R1, asm.DWord))
		return
	}
	p.Emit(asm.StoreMem(prog.RRec, int16(s.Aux), *ptr, asm.DWord))
}
