package fetch

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// ReadArgs reads every argument into its slot. Integers come first, so
// that buffer sizes are in place when buffers are read. In the return
// program (ret) only returnCopy buffers are read; at entry they are
// skipped and their pointer is kept in the slot's Total field.
func (p *Gen) ReadArgs(ret bool) {
	for pass := 0; pass < 2; pass++ {
		for _, s := range p.Lay.Slots {
			if (s.Enc == bpf.EncInt) != (pass == 0) || s.Enc == bpf.EncNone {
				continue
			}
			// At entry a returnCopy buffer keeps its pointer (readArg); at
			// return it is read, and the return value's slot too.
			if s == p.Lay.Ret && !ret || ret && !s.Arg.ReturnCopy && s != p.Lay.Ret {
				continue
			}
			p.Src(s.Arg.Pos, "read "+s.Arg.Type.String())
			p.readArg(s)
		}
	}
}

// readArg reads the argument of slot s into it.
func (p *Gen) readArg(s *prog.Slot) {
	if s == p.Lay.Stack {
		p.initStacks(s) // stack.go
		return
	}
	if s == p.Lay.Ima {
		p.initIma(s) // imahash.go
		return
	}
	a := s.Arg
	off := int16(s.Off)
	if a.ReturnCopy && !p.Ret {
		// Entry: keep the pointer for the return program, in the
		// slot's Total (an int32_arr's values) until the return
		// program reads through it.
		if p.LoadArg(asm.R1, a) {
			p.Emit(asm.StoreMem(prog.RRec, off+returnPtrOff(s), asm.R1, asm.DWord))
		}
		return
	}
	if a.Type == ir.TypeDataLoc && p.Hook.Kind != ir.HookTracepoint {
		p.Errorf(a.Pos, "data_loc reads a __data_loc field of a tracepoint's record; the arguments of %s hooks are values and pointers: read the string one points to with type string", p.Hook.Kind)
		return
	}
	if p.Hook.Kind == ir.HookTracepoint && s.Enc == bpf.EncBytes && p.readTracepointData(s) {
		return // a field holding bytes in the record (tracepoint_read.go)
	}
	if s.Enc == bpf.EncInt {
		p.readInt(s)
		return
	}
	// The raw argument: a pointer (or, for returnCopy in the return
	// program, the pointer saved at entry; or the return value).
	switch {
	case s == p.Lay.Ret:
		p.LoadRet(asm.R7)
	case p.Ret:
		p.Emit(asm.LoadMem(asm.R7, prog.RRec, off+returnPtrOff(s), asm.DWord))
	default:
		if !p.LoadArg(asm.R7, a) {
			return
		}
	}
	switch a.Type {
	case ir.TypeString:
		p.readString(s, asm.R7, p.UserPointers() && !a.Data())
	case ir.TypeCharBuf:
		p.readBuffer(s, asm.R7)
	case ir.TypeCharIovec:
		p.readIovec(s, asm.R7)
	case ir.TypeIovIter:
		p.readIovIter(s, asm.R7)
	case ir.TypeFd:
		p.readFd(s, asm.R7)
	case ir.TypeFilename:
		kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.Filename, "name", asm.DWord, prog.StTmp)
		p.readString(s, asm.R7, false)
	case ir.TypeFile, ir.TypeKiocb, ir.TypeLinuxBinprm:
		file := asm.R7
		switch a.Type {
		case ir.TypeKiocb:
			kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.Kiocb, "ki_filp", asm.DWord, prog.StTmp)
		case ir.TypeLinuxBinprm:
			kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.Binprm, "file", asm.DWord, prog.StTmp)
		}
		kern.ReadKernel(&p.B, asm.R8, file, kern.File, "f_path.mnt", asm.DWord, prog.StTmp)
		kern.ReadKernel(&p.B, asm.R1, file, kern.File, "f_path.dentry", asm.DWord, prog.StTmp)
		p.Emit(asm.Mov.Reg(asm.R2, asm.R8))
		p.callPath(s)
	case ir.TypePath:
		kern.ReadKernel(&p.B, asm.R8, asm.R7, kern.PathT, "mnt", asm.DWord, prog.StTmp)
		kern.ReadKernel(&p.B, asm.R1, asm.R7, kern.PathT, "dentry", asm.DWord, prog.StTmp)
		p.Emit(asm.Mov.Reg(asm.R2, asm.R8))
		p.callPath(s)
	case ir.TypeDentry:
		p.Emit(asm.Mov.Reg(asm.R1, asm.R7), asm.Mov.Imm(asm.R2, 0))
		p.callPath(s)
	case ir.TypeNetDevice:
		p.readKernelName(s, kern.NetDev, "name")
	case ir.TypeModule:
		p.readKernelName(s, kern.Module, "name")
	case ir.TypeLoadInfo:
		kern.ReadKernel(&p.B, asm.R7, asm.R7, kern.LoadInf, "name", asm.DWord, prog.StTmp)
		p.readString(s, asm.R7, false)
	case ir.TypeInt32Arr:
		p.readInt32Arr(s, asm.R7)
	case ir.TypeDNS:
		p.readDNS(s, asm.R7)
	default:
		p.readStruct(s, asm.R7)
	}
}

// returnPtrOff is where, in slot s, the entry program keeps a returnCopy
// argument's pointer for the return program.
func returnPtrOff(s *prog.Slot) int16 {
	if s.Enc == bpf.EncInt32Arr {
		return bpf.Int32ArrValuesOff
	}
	return bpf.BytesTotalOff
}

// readInt32Arr reads an int32_arr: min(size, Int32ArrMax) int32 at ptr,
// as Tetragon does. A bad pointer leaves the values 0 (the helper clears
// what it could not read), as in Tetragon; Count is still the count asked.
func (p *Gen) readInt32Arr(s *prog.Slot, ptr asm.Register) {
	n := min(s.Arg.Elems, bpf.Int32ArrMax)
	p.Emit(
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.Int32ArrCountOff), int64(n), asm.DWord),
	)
	if n == 0 {
		return
	}
	fn := asm.FnProbeReadKernel
	if p.UserPointers() {
		fn = asm.FnProbeReadUser
	}
	p.Emit(
		asm.Mov.Reg(asm.R3, ptr),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off+bpf.Int32ArrValuesOff)),
		asm.Mov.Imm(asm.R2, int32(4*n)),
		fn.Call(),
	)
}

// readInt stores an integer argument, extended to 64 bits by its type.
func (p *Gen) readInt(s *prog.Slot) {
	a := s.Arg
	if !p.LoadArg(asm.R7, a) {
		return
	}
	switch a.Type {
	case ir.TypeSyscall64:
		// The number keeps 31 bits; bit 31 says compat ABI.
		p.Emit(asm.LSh.Imm(asm.R7, 33), asm.RSh.Imm(asm.R7, 33))
		p.syscallCompat(asm.R7)
	case ir.TypeAuto:
		// A tracepoint field, already extended by its own type.
	case ir.TypeKernelCap, ir.TypeCapEffective, ir.TypeCapInheritable, ir.TypeCapPermitted:
		// A pointer to a kernel_cap_t: its 64 bits.
		p.Emit(asm.Mov.Reg(asm.R3, asm.R7))
		p.Emit(
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, prog.StTmp),
			asm.Mov.Imm(asm.R2, 8),
			asm.FnProbeReadKernel.Call(),
			asm.LoadMem(asm.R7, asm.RFP, prog.StTmp, asm.DWord),
		)
	default:
		if size := a.Type.Size(); size > 0 {
			p.Emit(emit.ExtendReg(asm.R7, size, a.Type.Signed())...)
		}
	}
	p.Emit(asm.StoreMem(prog.RRec, int16(s.Off), asm.R7, asm.DWord))
}

// bytesHeader stores a BytesHeader{Len: R0 low, Flags: R0 high, Total:
// Len} for slot s from R0 = len | flags<<32.
func (p *Gen) bytesFromR0(s *prog.Slot) {
	p.Emit(
		asm.StoreMem(prog.RRec, int16(s.Off), asm.R0, asm.DWord),
		asm.LSh.Imm(asm.R0, 32),
		asm.RSh.Imm(asm.R0, 32),
		asm.StoreMem(prog.RRec, int16(s.Off+bpf.BytesTotalOff), asm.R0, asm.DWord),
	)
}

// callPath calls kern.FuncPath with R1 = dentry, R2 = vfsmount (set by the
// caller) and writes slot s.
func (p *Gen) callPath(s *prog.Slot) {
	p.Emit(
		asm.Mov.Reg(asm.R3, prog.RRec),
		asm.Add.Imm(asm.R3, int32(s.Off+bpf.BytesHeaderSize)),
		asm.Mov.Imm(asm.R4, int32(s.MaxBytes)),
		p.g.lib.Call(kern.FuncPath),
	)
	p.bytesFromR0(s)
}

// readString reads a NUL-terminated string at ptr (user or kernel memory)
// into slot s: Len excludes the NUL; a fault leaves Len 0 with BytesFault;
// a string filling the slot is marked BytesTruncated.
func (p *Gen) readString(s *prog.Slot, ptr asm.Register, user bool) {
	fn := asm.FnProbeReadKernelStr
	if user {
		fn = asm.FnProbeReadUserStr
	}
	fault, done := p.B.Fresh("str_fault"), p.B.Fresh("str_done")
	p.Emit(
		asm.Mov.Reg(asm.R3, ptr),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off+bpf.BytesHeaderSize)),
		asm.Mov.Imm(asm.R2, int32(s.MaxBytes)),
		fn.Call(),
	)
	if user {
		p.B.UserStrLen(fault)
	} else {
		p.Emit(asm.JSLE.Imm(asm.R0, 0, fault))
	}
	p.Emit(
		asm.Sub.Imm(asm.R0, 1), // without the NUL
		asm.JLT.Imm(asm.R0, int32(s.MaxBytes-1), done),
		// Filled the slot: the string may go on.
		asm.LoadImm(asm.R1, bpf.BytesTruncated<<32, asm.DWord),
		asm.Or.Reg(asm.R0, asm.R1),
		asm.Ja.Label(done),
	)
	p.B.Label(fault)
	p.Emit(asm.LoadImm(asm.R0, bpf.BytesFault<<32, asm.DWord))
	p.B.Label(done)
	p.bytesFromR0(s)
}

// readKernelName reads a char array member of a kernel struct (a device
// or module name) as a string.
func (p *Gen) readKernelName(s *prog.Slot, t interface{ TypeName() string }, member string) {
	switch t {
	case kern.NetDev:
		p.Emit(kern.Off(asm.Add.Imm(asm.R7, 0), kern.NetDev, member))
	case kern.Module:
		p.Emit(kern.Off(asm.Add.Imm(asm.R7, 0), kern.Module, member))
	}
	p.readString(s, asm.R7, false)
}

// readBuffer reads a char_buf: as many bytes as its size argument (or the
// return value) says, at most the slot's room. Total keeps the size.
func (p *Gen) readBuffer(s *prog.Slot, ptr asm.Register) {
	a := s.Arg
	switch {
	case a.ReturnCopy || a.SizeSlot == ir.SizeFromReturn:
		if !p.Ret {
			p.Errorf(a.Pos, "a char_buf sized by the return value must be read at return (returnCopy)")
			return
		}
		// The return value is the length; a size argument caps it.
		p.LoadRet(asm.R8)
		if size := p.Lay.SlotOf(a.SizeSlot); a.SizeSlot >= 0 && size != nil && size.Enc == bpf.EncInt {
			capped := p.B.Fresh("ret_len")
			p.Emit(
				asm.LoadMem(asm.R1, prog.RRec, int16(size.Off), asm.DWord),
				asm.JSLE.Reg(asm.R8, asm.R1, capped),
				asm.Mov.Reg(asm.R8, asm.R1),
			)
			p.B.Label(capped)
		}
	case a.SizeSlot >= 0:
		size := p.Lay.SlotOf(a.SizeSlot)
		if size == nil || size.Enc != bpf.EncInt {
			p.Errorf(a.Pos, "the size of char_buf argument %d is not a declared integer argument", a.Index)
			return
		}
		p.Emit(asm.LoadMem(asm.R8, prog.RRec, int16(size.Off), asm.DWord))
	case a.SizeRaw != 0:
		if !p.loadRawSize(asm.R8, a) {
			return
		}
	case p.Hook.Kind == ir.HookTracepoint:
		p.Errorf(a.Pos, "char_buf argument %d has no size (sizeArgIndex or returnCopy)", a.Index)
		return
	default:
		// No size argument: Tetragon's length is 0, an empty buffer.
		p.Emit(asm.Mov.Imm(asm.R8, 0))
	}
	if s.BigBytes > 0 {
		// The posted record gets the whole buffer from here again.
		p.Emit(asm.StoreMem(prog.RRec, int16(s.Aux), ptr, asm.DWord))
	}
	p.copyBuffer(s, ptr, p.UserPointers())
}

// loadRawSize loads into dst the raw argument a.SizeRaw names (1-based),
// all 64 bits, as Tetragon takes a length from e->a0..a4 whatever the
// policy declares there. It keeps R6 and R9, and R7 when dst is R8.
func (p *Gen) loadRawSize(dst asm.Register, a *ir.Arg) bool {
	if p.Hook.Kind == ir.HookTracepoint {
		p.Errorf(a.Pos, "a tracepoint's fields have no raw argument: sizeArgIndex must name a declared field")
		return false
	}
	raw := &ir.Arg{Slot: a.Slot, Index: a.SizeRaw - 1, Type: ir.TypeUint64, SizeSlot: ir.NoSize, Pos: a.Pos}
	return p.LoadArg(dst, raw)
}

// copyBuffer copies R8 bytes (the size; none when negative) at ptr (user
// or kernel memory) into slot s, at most its room. Total keeps the size.
func (p *Gen) copyBuffer(s *prog.Slot, ptr asm.Register, user bool) {
	empty, fault, read, done := p.B.Fresh("buf_empty"), p.B.Fresh("buf_fault"), p.B.Fresh("buf_read"), p.B.Fresh("buf_done")
	fn := asm.FnProbeReadKernel
	if user {
		fn = asm.FnProbeReadUser
	}
	p.Emit(
		// Total: the size asked for (0 when negative).
		asm.JSLE.Imm(asm.R8, 0, empty),
		asm.StoreMem(prog.RRec, int16(s.Off+bpf.BytesTotalOff), asm.R8, asm.DWord),
		asm.Mov.Reg(asm.R2, asm.R8),
		emit.StoreImm(asm.RFP, prog.StVal, 0, asm.DWord),
		asm.JLE.Imm(asm.R2, int32(s.MaxBytes), read),
		asm.Mov.Imm(asm.R2, int32(s.MaxBytes)),
		emit.StoreImm(asm.RFP, prog.StVal, bpf.BytesTruncated, asm.DWord),
	)
	p.B.Label(read)
	p.Emit(
		asm.StoreMem(prog.RRec, int16(s.Off), asm.R2, asm.Word),
		asm.Mov.Reg(asm.R3, ptr),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off+bpf.BytesHeaderSize)),
		fn.Call(),
		asm.JNE.Imm(asm.R0, 0, fault),
		asm.LoadMem(asm.R1, asm.RFP, prog.StVal, asm.DWord),
		asm.StoreMem(prog.RRec, int16(s.Off+bpf.BytesFlagsOff), asm.R1, asm.Word),
		asm.Ja.Label(done),
	)
	p.B.Label(empty)
	p.Emit(
		emit.StoreImm(prog.RRec, int16(s.Off), 0, asm.DWord),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesTotalOff), 0, asm.DWord),
		asm.Ja.Label(done),
	)
	p.B.Label(fault)
	p.Emit(
		emit.StoreImm(prog.RRec, int16(s.Off), 0, asm.Word),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesFlagsOff), bpf.BytesFault, asm.Word),
	)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// initStacks sets the StackIDs slot to "not asked".
func (p *Gen) initStacks(s *prog.Slot) {
	p.Emit(
		emit.StoreImm(prog.RRec, int16(s.Off), bpf.StackNone, asm.Word),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.StackUserOff), bpf.StackNone, asm.Word),
	)
}

// initIma sets the ImaHash slot to "not asked".
func (p *Gen) initIma(s *prog.Slot) {
	p.Emit(
		emit.StoreImm(prog.RRec, int16(s.Off), int64(bpf.ImaNone), asm.Word),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.ImaRetOff), 0, asm.Word),
	)
}
