package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/codegen/emit"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/ir"
)

// readArgs reads every argument into its slot. Integers come first, so
// that buffer sizes are in place when buffers are read. In the return
// program (ret) only returnCopy buffers are read; at entry they are
// skipped and their pointer is kept in the slot's Total field.
func (p *progGen) readArgs(ret bool) {
	for pass := 0; pass < 2; pass++ {
		for _, s := range p.lay.slots {
			if (s.enc == bpf.EncInt) != (pass == 0) || s.enc == bpf.EncNone {
				continue
			}
			// At entry a returnCopy buffer keeps its pointer (readArg); at
			// return it is read, and the return value's slot too.
			if s == p.lay.ret && !ret || ret && !s.arg.ReturnCopy && s != p.lay.ret {
				continue
			}
			p.src(s.arg.Pos, "read "+s.arg.Type.String())
			p.readArg(s)
		}
	}
}

// readArg reads the argument of slot s into it.
func (p *progGen) readArg(s *slot) {
	if s == p.lay.stack {
		p.initStacks(s) // stack.go
		return
	}
	if s == p.lay.ima {
		p.initIma(s) // imahash.go
		return
	}
	a := s.arg
	off := int16(s.off)
	if a.ReturnCopy && !p.ret {
		// Entry: keep the pointer for the return program, in the
		// slot's Total until the return program reads the bytes.
		if p.loadArg(asm.R1, a) {
			p.emit(asm.StoreMem(rRec, off+bpf.BytesTotalOff, asm.R1, asm.DWord))
		}
		return
	}
	if a.Type == ir.TypeDataLoc && p.h.Kind != ir.HookTracepoint {
		p.errorf(a.Pos, "data_loc reads a __data_loc field of a tracepoint's record; the arguments of %s hooks are values and pointers: read the string one points to with type string", p.h.Kind)
		return
	}
	if p.h.Kind == ir.HookTracepoint && s.enc == bpf.EncBytes && p.readTracepointData(s) {
		return // a field holding bytes in the record (tracepoint_read.go)
	}
	if s.enc == bpf.EncInt {
		p.readInt(s)
		return
	}
	// The raw argument: a pointer (or, for returnCopy in the return
	// program, the pointer saved at entry; or the return value).
	switch {
	case s == p.lay.ret:
		p.loadRet(asm.R7)
	case p.ret:
		p.emit(asm.LoadMem(asm.R7, rRec, off+bpf.BytesTotalOff, asm.DWord))
	default:
		if !p.loadArg(asm.R7, a) {
			return
		}
	}
	switch a.Type {
	case ir.TypeString:
		p.readString(s, asm.R7, p.userPointers())
	case ir.TypeCharBuf:
		p.readBuffer(s, asm.R7)
	case ir.TypeCharIovec:
		p.readIovec(s, asm.R7)
	case ir.TypeIovIter:
		p.readIovIter(s, asm.R7)
	case ir.TypeFd:
		p.readFd(s, asm.R7)
	case ir.TypeFilename:
		kern.ReadKernel(&p.b, asm.R7, asm.R7, kern.Filename, "name", asm.DWord, stTmp)
		p.readString(s, asm.R7, false)
	case ir.TypeFile, ir.TypeKiocb, ir.TypeLinuxBinprm:
		file := asm.R7
		switch a.Type {
		case ir.TypeKiocb:
			kern.ReadKernel(&p.b, asm.R7, asm.R7, kern.Kiocb, "ki_filp", asm.DWord, stTmp)
		case ir.TypeLinuxBinprm:
			kern.ReadKernel(&p.b, asm.R7, asm.R7, kern.Binprm, "file", asm.DWord, stTmp)
		}
		kern.ReadKernel(&p.b, asm.R8, file, kern.File, "f_path.mnt", asm.DWord, stTmp)
		kern.ReadKernel(&p.b, asm.R1, file, kern.File, "f_path.dentry", asm.DWord, stTmp)
		p.emit(asm.Mov.Reg(asm.R2, asm.R8))
		p.callPath(s)
	case ir.TypePath:
		kern.ReadKernel(&p.b, asm.R8, asm.R7, kern.PathT, "mnt", asm.DWord, stTmp)
		kern.ReadKernel(&p.b, asm.R1, asm.R7, kern.PathT, "dentry", asm.DWord, stTmp)
		p.emit(asm.Mov.Reg(asm.R2, asm.R8))
		p.callPath(s)
	case ir.TypeDentry:
		p.emit(asm.Mov.Reg(asm.R1, asm.R7), asm.Mov.Imm(asm.R2, 0))
		p.callPath(s)
	case ir.TypeNetDevice:
		p.readKernelName(s, kern.NetDev, "name")
	case ir.TypeModule:
		p.readKernelName(s, kern.Module, "name")
	case ir.TypeLoadInfo:
		kern.ReadKernel(&p.b, asm.R7, asm.R7, kern.LoadInf, "name", asm.DWord, stTmp)
		p.readString(s, asm.R7, false)
	default:
		p.readStruct(s, asm.R7)
	}
}

// readInt stores an integer argument, extended to 64 bits by its type.
func (p *progGen) readInt(s *slot) {
	a := s.arg
	if !p.loadArg(asm.R7, a) {
		return
	}
	switch a.Type {
	case ir.TypeSyscall64:
		// The number keeps 31 bits; bit 31 says compat ABI.
		p.emit(asm.LSh.Imm(asm.R7, 33), asm.RSh.Imm(asm.R7, 33))
		p.syscallCompat(asm.R7)
	case ir.TypeAuto:
		// A tracepoint field, already extended by its own type.
	case ir.TypeKernelCap, ir.TypeCapEffective, ir.TypeCapInheritable, ir.TypeCapPermitted:
		// A pointer to a kernel_cap_t: its 64 bits.
		p.emit(asm.Mov.Reg(asm.R3, asm.R7))
		p.emit(
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, stTmp),
			asm.Mov.Imm(asm.R2, 8),
			asm.FnProbeReadKernel.Call(),
			asm.LoadMem(asm.R7, asm.RFP, stTmp, asm.DWord),
		)
	default:
		if size := a.Type.Size(); size > 0 {
			p.emit(extendReg(asm.R7, size, a.Type.Signed())...)
		}
	}
	p.emit(asm.StoreMem(rRec, int16(s.off), asm.R7, asm.DWord))
}

// bytesHeader stores a BytesHeader{Len: R0 low, Flags: R0 high, Total:
// Len} for slot s from R0 = len | flags<<32.
func (p *progGen) bytesFromR0(s *slot) {
	p.emit(
		asm.StoreMem(rRec, int16(s.off), asm.R0, asm.DWord),
		asm.LSh.Imm(asm.R0, 32),
		asm.RSh.Imm(asm.R0, 32),
		asm.StoreMem(rRec, int16(s.off+bpf.BytesTotalOff), asm.R0, asm.DWord),
	)
}

// callPath calls kern.FuncPath with R1 = dentry, R2 = vfsmount (set by the
// caller) and writes slot s.
func (p *progGen) callPath(s *slot) {
	p.emit(
		asm.Mov.Reg(asm.R3, rRec),
		asm.Add.Imm(asm.R3, int32(s.off+bpf.BytesHeaderSize)),
		asm.Mov.Imm(asm.R4, int32(s.maxBytes)),
		p.g.lib.Call(kern.FuncPath),
	)
	p.bytesFromR0(s)
}

// readString reads a NUL-terminated string at ptr (user or kernel memory)
// into slot s: Len excludes the NUL; a fault leaves Len 0 with BytesFault;
// a string filling the slot is marked BytesTruncated.
func (p *progGen) readString(s *slot, ptr asm.Register, user bool) {
	fn := asm.FnProbeReadKernelStr
	if user {
		fn = asm.FnProbeReadUserStr
	}
	fault, done := p.b.Fresh("str_fault"), p.b.Fresh("str_done")
	p.emit(
		asm.Mov.Reg(asm.R3, ptr),
		asm.Mov.Reg(asm.R1, rRec),
		asm.Add.Imm(asm.R1, int32(s.off+bpf.BytesHeaderSize)),
		asm.Mov.Imm(asm.R2, int32(s.maxBytes)),
		fn.Call(),
		asm.JSLE.Imm(asm.R0, 0, fault),
		asm.Sub.Imm(asm.R0, 1), // without the NUL
		asm.JLT.Imm(asm.R0, int32(s.maxBytes-1), done),
		// Filled the slot: the string may go on.
		asm.LoadImm(asm.R1, bpf.BytesTruncated<<32, asm.DWord),
		asm.Or.Reg(asm.R0, asm.R1),
		asm.Ja.Label(done),
	)
	p.b.Label(fault)
	p.emit(asm.LoadImm(asm.R0, bpf.BytesFault<<32, asm.DWord))
	p.b.Label(done)
	p.bytesFromR0(s)
}

// readKernelName reads a char array member of a kernel struct (a device
// or module name) as a string.
func (p *progGen) readKernelName(s *slot, t interface{ TypeName() string }, member string) {
	switch t {
	case kern.NetDev:
		p.emit(kern.Off(asm.Add.Imm(asm.R7, 0), kern.NetDev, member))
	case kern.Module:
		p.emit(kern.Off(asm.Add.Imm(asm.R7, 0), kern.Module, member))
	}
	p.readString(s, asm.R7, false)
}

// readBuffer reads a char_buf: as many bytes as its size argument (or the
// return value) says, at most the slot's room. Total keeps the size.
func (p *progGen) readBuffer(s *slot, ptr asm.Register) {
	a := s.arg
	switch {
	case a.ReturnCopy || a.SizeSlot == ir.SizeFromReturn:
		if !p.ret {
			p.errorf(a.Pos, "a char_buf sized by the return value must be read at return (returnCopy)")
			return
		}
		// The return value is the length; a size argument caps it.
		p.loadRet(asm.R8)
		if size := p.lay.slotOf(a.SizeSlot); a.SizeSlot >= 0 && size != nil && size.enc == bpf.EncInt {
			capped := p.b.Fresh("ret_len")
			p.emit(
				asm.LoadMem(asm.R1, rRec, int16(size.off), asm.DWord),
				asm.JSLE.Reg(asm.R8, asm.R1, capped),
				asm.Mov.Reg(asm.R8, asm.R1),
			)
			p.b.Label(capped)
		}
	case a.SizeSlot >= 0:
		size := p.lay.slotOf(a.SizeSlot)
		if size == nil || size.enc != bpf.EncInt {
			p.errorf(a.Pos, "the size of char_buf argument %d is not a declared integer argument", a.Index)
			return
		}
		p.emit(asm.LoadMem(asm.R8, rRec, int16(size.off), asm.DWord))
	default:
		p.errorf(a.Pos, "char_buf argument %d has no size (sizeArgIndex or returnCopy)", a.Index)
		return
	}
	if s.bigBytes > 0 {
		// The posted record gets the whole buffer from here again.
		p.emit(asm.StoreMem(rRec, int16(s.aux), ptr, asm.DWord))
	}
	p.copyBuffer(s, ptr, p.userPointers())
}

// copyBuffer copies R8 bytes (the size; none when negative) at ptr (user
// or kernel memory) into slot s, at most its room. Total keeps the size.
func (p *progGen) copyBuffer(s *slot, ptr asm.Register, user bool) {
	empty, fault, read, done := p.b.Fresh("buf_empty"), p.b.Fresh("buf_fault"), p.b.Fresh("buf_read"), p.b.Fresh("buf_done")
	fn := asm.FnProbeReadKernel
	if user {
		fn = asm.FnProbeReadUser
	}
	p.emit(
		// Total: the size asked for (0 when negative).
		asm.JSLE.Imm(asm.R8, 0, empty),
		asm.StoreMem(rRec, int16(s.off+bpf.BytesTotalOff), asm.R8, asm.DWord),
		asm.Mov.Reg(asm.R2, asm.R8),
		emit.StoreImm(asm.RFP, stVal, 0, asm.DWord),
		asm.JLE.Imm(asm.R2, int32(s.maxBytes), read),
		asm.Mov.Imm(asm.R2, int32(s.maxBytes)),
		emit.StoreImm(asm.RFP, stVal, bpf.BytesTruncated, asm.DWord),
	)
	p.b.Label(read)
	p.emit(
		asm.StoreMem(rRec, int16(s.off), asm.R2, asm.Word),
		asm.Mov.Reg(asm.R3, ptr),
		asm.Mov.Reg(asm.R1, rRec),
		asm.Add.Imm(asm.R1, int32(s.off+bpf.BytesHeaderSize)),
		fn.Call(),
		asm.JNE.Imm(asm.R0, 0, fault),
		asm.LoadMem(asm.R1, asm.RFP, stVal, asm.DWord),
		asm.StoreMem(rRec, int16(s.off+bpf.BytesFlagsOff), asm.R1, asm.Word),
		asm.Ja.Label(done),
	)
	p.b.Label(empty)
	p.emit(
		emit.StoreImm(rRec, int16(s.off), 0, asm.DWord),
		emit.StoreImm(rRec, int16(s.off+bpf.BytesTotalOff), 0, asm.DWord),
		asm.Ja.Label(done),
	)
	p.b.Label(fault)
	p.emit(
		emit.StoreImm(rRec, int16(s.off), 0, asm.Word),
		emit.StoreImm(rRec, int16(s.off+bpf.BytesFlagsOff), bpf.BytesFault, asm.Word),
	)
	p.b.Label(done)
	p.emit(asm.Mov.Imm(asm.R0, 0))
}
