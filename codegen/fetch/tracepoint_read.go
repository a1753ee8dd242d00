package fetch

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// readTracepointData reads slot s when its field holds bytes in the
// record itself: a fixed array ("char comm[16]") or a dynamic field
// ("__data_loc char[] filename", whose data follows the fixed fields). It
// returns false for other fields (numbers and pointers, read by LoadArg).
//
// Strings stop at the first NUL, at most the field's length; buffers
// (char_buf, const_buf) keep the field's bytes, at most the slot's room.
func (p *Gen) readTracepointData(s *prog.Slot) bool {
	a := s.Arg
	f, fld, ok := p.g.tpField(p.Hook, a)
	if !ok {
		return true // reported
	}
	kind := fld.kind()
	if kind == tpScalar {
		if a.Type == ir.TypeDataLoc || a.Type == ir.TypeConstBuf {
			p.Errorf(a.Pos, "field %s of %s is %q, not an array: read it as a number, a pointer or a string", fld.Name, p.Hook.Target, fld.Type)
			return true
		}
		return false
	}
	text := false
	switch a.Type {
	case ir.TypeString, ir.TypeDataLoc:
		text = true
	case ir.TypeCharBuf, ir.TypeConstBuf:
	default:
		p.Errorf(a.Pos, "field %s of %s is %q: read it as string, data_loc, char_buf or const_buf, not %s", fld.Name, p.Hook.Target, fld.Type, a.Type)
		return true
	}
	if a.Type == ir.TypeDataLoc && kind != tpDynamic {
		p.Errorf(a.Pos, "data_loc reads __data_loc fields; field %s of %s is %q: read it as string", fld.Name, p.Hook.Target, fld.Type)
		return true
	}
	// R7: where the bytes are; R8: how many.
	if kind == tpArray {
		p.Emit(
			asm.Mov.Reg(asm.R7, prog.RCtx),
			fieldOffset(asm.Add.Imm(asm.R7, int32(fld.Offset)), f, fld),
			asm.Mov.Imm(asm.R8, int32(fld.Size)),
		)
	} else {
		// The u32 is length << 16 | offset: from the record's start, or
		// for __rel_loc from the field's end. (The context is read at
		// constant offsets only, so the field is loaded from it directly.)
		p.Emit(
			fieldOffset(asm.LoadMem(asm.R8, prog.RCtx, int16(fld.Offset), asm.Word), f, fld),
			asm.Mov.Reg(asm.R1, asm.R8),
			asm.And.Imm(asm.R1, 0xffff),
			asm.RSh.Imm(asm.R8, 16),
			asm.Mov.Reg(asm.R7, prog.RCtx),
		)
		if fld.IsRelative() {
			p.Emit(
				fieldOffset(asm.Add.Imm(asm.R7, int32(fld.Offset)), f, fld),
				asm.Add.Imm(asm.R7, 4),
			)
		}
		p.Emit(asm.Add.Reg(asm.R7, asm.R1))
	}
	if !text {
		if a.SizeSlot >= 0 {
			// A size argument caps the field's length.
			if size := p.Lay.SlotOf(a.SizeSlot); size != nil && size.Enc == bpf.EncInt {
				capped := p.B.Fresh("tp_len")
				p.Emit(
					asm.LoadMem(asm.R1, prog.RRec, int16(size.Off), asm.DWord),
					asm.JLE.Reg(asm.R8, asm.R1, capped),
					asm.Mov.Reg(asm.R8, asm.R1),
				)
				p.B.Label(capped)
			}
		}
		p.copyBuffer(s, asm.R7, false)
		return true
	}
	p.readBoundedString(s, kind == tpDynamic)
	return true
}

// readBoundedString reads the string at R7, at most R8 bytes with its NUL,
// into slot s. truncate: a string that fills R8 bytes without ending is
// marked BytesTruncated when R8 is more than the slot's room (a __data_loc
// string longer than the slot); a full fixed array is not, its length being
// the field's.
func (p *Gen) readBoundedString(s *prog.Slot, truncate bool) {
	fits, fault, done := p.B.Fresh("tpstr_fits"), p.B.Fresh("tpstr_fault"), p.B.Fresh("tpstr_done")
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StVal, 0, asm.DWord),
		asm.JLE.Imm(asm.R8, int32(s.MaxBytes), fits),
		asm.Mov.Imm(asm.R8, int32(s.MaxBytes)),
	)
	if truncate {
		p.Emit(emit.StoreImm(asm.RFP, prog.StVal, bpf.BytesTruncated, asm.DWord))
	}
	p.B.Label(fits)
	p.Emit(
		asm.JEq.Imm(asm.R8, 0, fault),
		asm.Mov.Reg(asm.R3, asm.R7),
		asm.Mov.Reg(asm.R2, asm.R8),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off+bpf.BytesHeaderSize)),
		asm.FnProbeReadKernelStr.Call(),
		asm.JSLE.Imm(asm.R0, 0, fault),
		asm.Sub.Imm(asm.R0, 1), // without the NUL
		asm.LoadMem(asm.R1, asm.RFP, prog.StVal, asm.DWord),
		asm.LSh.Imm(asm.R1, 32),
		asm.Or.Reg(asm.R0, asm.R1),
		asm.Ja.Label(done),
	)
	p.B.Label(fault)
	// An empty __data_loc (length 0) is an empty string, not a fault.
	p.Emit(
		asm.Mov.Imm(asm.R0, 0),
		asm.JEq.Imm(asm.R8, 0, done),
		asm.LoadImm(asm.R0, bpf.BytesFault<<32, asm.DWord),
	)
	p.B.Label(done)
	p.bytesFromR0(s)
}
