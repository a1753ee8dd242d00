package filter

import (
	"encoding/binary"
	"math"

	"github.com/cilium/ebpf/asm"
)

// Compare primitives. Each emits code that jumps to a label when its
// condition does not hold and falls through when it does, using R0 to R3
// as scratch.

// jumpUnlessInt emits: if !(r op v) goto miss, for a 64-bit value v.
// op is one of JEq, JNE, JGT, JGE, JLT, JLE and their signed forms (the
// condition that must hold).
func (p *Gen) jumpUnlessInt(r asm.Register, op asm.JumpOp, v int64, miss string) {
	inv := invert(op)
	if v >= math.MinInt32 && v <= math.MaxInt32 {
		p.Emit(inv.Imm(r, int32(v), miss))
		return
	}
	p.Emit(asm.LoadImm(asm.R3, v, asm.DWord), inv.Reg(r, asm.R3, miss))
}

// jumpIfInt emits: if r op v goto hit.
func (p *Gen) jumpIfInt(r asm.Register, op asm.JumpOp, v int64, hit string) {
	if v >= math.MinInt32 && v <= math.MaxInt32 {
		p.Emit(op.Imm(r, int32(v), hit))
		return
	}
	p.Emit(asm.LoadImm(asm.R3, v, asm.DWord), op.Reg(r, asm.R3, hit))
}

// invert returns the jump taken exactly when op's is not.
func invert(op asm.JumpOp) asm.JumpOp {
	switch op {
	case asm.JEq:
		return asm.JNE
	case asm.JNE:
		return asm.JEq
	case asm.JGT:
		return asm.JLE
	case asm.JLE:
		return asm.JGT
	case asm.JGE:
		return asm.JLT
	case asm.JLT:
		return asm.JGE
	case asm.JSGT:
		return asm.JSLE
	case asm.JSLE:
		return asm.JSGT
	case asm.JSGE:
		return asm.JSLT
	case asm.JSLT:
		return asm.JSGE
	}
	panic("codegen: no inverse of " + op.String())
}

// bytesAt describes a byte string in a record or table entry: its length
// (a u32) and its data, at constant offsets from base, and the most bytes
// the data can hold.
type bytesAt struct {
	base    asm.Register
	lenOff  int16
	dataOff int16
	max     int
}

// matchKind is how a string value is compared.
type matchKind int

const (
	matchEqual matchKind = iota
	matchPrefix
	matchPostfix
)

// jumpUnlessBytes emits: unless the bytes at s match value as kind says,
// goto miss.
func (p *Gen) jumpUnlessBytes(s bytesAt, kind matchKind, value string, miss string) {
	n := len(value)
	if n > s.max {
		// The value cannot fit what is compared: it never matches.
		p.Emit(asm.Ja.Label(miss))
		return
	}
	p.Emit(asm.LoadMem(asm.R1, s.base, s.lenOff, asm.Word))
	switch kind {
	case matchEqual:
		p.Emit(asm.JNE.Imm(asm.R1, int32(n), miss))
	default:
		if n == 0 {
			return
		}
		p.Emit(asm.JLT.Imm(asm.R1, int32(n), miss))
	}
	// R2: the start of the compared bytes.
	p.Emit(asm.Mov.Reg(asm.R2, s.base))
	if kind == matchPostfix {
		// data + len - n; len is bounded first so the verifier sees the
		// reads stay in the data.
		p.Emit(
			asm.JGT.Imm(asm.R1, int32(s.max), miss),
			asm.Add.Reg(asm.R2, asm.R1),
			asm.Add.Imm(asm.R2, int32(int(s.dataOff)-n)),
		)
	} else {
		p.Emit(asm.Add.Imm(asm.R2, int32(s.dataOff)))
	}
	p.compareBytes(asm.R2, value, miss)
}

// compareBytes emits: unless the len(value) bytes at ptr equal value, goto
// miss; 8 bytes at a time, then 4, 2, 1. It clobbers R1 and R3.
func (p *Gen) compareBytes(ptr asm.Register, value string, miss string) {
	p.compareChunks(ptr, value, false, asm.R3, miss)
}

// compareChunks is compareBytes with R1 and scratch (for constants that
// take 64 bits) as the registers it clobbers, and with fold, ignoring the
// case of ASCII letters: bit 0x20 is set in every byte of a chunk where
// value has a letter, and the chunk compared with value in lower case. A
// byte matches the letter c in either case exactly when it is c once that
// bit is set (only c's upper case differs from c in that bit alone), and
// must equal any other byte. No branch per byte: a branch that joined
// again after each byte let the 6.1 and 6.12 verifiers explore 2^n paths
// of a long value and give up. Both targets are little-endian, as the
// chunks' constants assume.
func (p *Gen) compareChunks(ptr asm.Register, value string, fold bool, scratch asm.Register, miss string) {
	b := []byte(value)
	off := 0
	for _, w := range []struct {
		size asm.Size
		n    int
	}{{asm.DWord, 8}, {asm.Word, 4}, {asm.Half, 2}, {asm.Byte, 1}} {
		for len(b)-off >= w.n {
			chunk, mask := make([]byte, 8), make([]byte, 8)
			copy(chunk, b[off:off+w.n])
			if fold {
				for i, c := range chunk[:w.n] {
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
						chunk[i] = c
					}
					if c >= 'a' && c <= 'z' {
						mask[i] = 0x20
					}
				}
			}
			p.Emit(asm.LoadMem(asm.R1, ptr, int16(off), w.size))
			if m := int64(binary.LittleEndian.Uint64(mask)); m != 0 {
				if m <= math.MaxInt32 {
					p.Emit(asm.Or.Imm(asm.R1, int32(m)))
				} else {
					p.Emit(asm.LoadImm(scratch, m, asm.DWord), asm.Or.Reg(asm.R1, scratch))
				}
			}
			if v := int64(binary.LittleEndian.Uint64(chunk)); v >= math.MinInt32 && v <= math.MaxInt32 {
				p.Emit(asm.JNE.Imm(asm.R1, int32(v), miss))
			} else {
				p.Emit(asm.LoadImm(scratch, v, asm.DWord), asm.JNE.Reg(asm.R1, scratch, miss))
			}
			off += w.n
			if w.n < 8 {
				break
			}
		}
	}
}
