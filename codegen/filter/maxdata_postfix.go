package filter

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// bigPostfixTest tests Postfix (or NotPostfix) on a maxData buffer. The
// filters' copy holds the buffer's first s.MaxBytes bytes; the posted
// record holds up to s.BigBytes. A buffer that fits the copy is tested
// there; a longer one ends beyond it, so its last bytes (up to the end the
// record keeps, as Tetragon's comparison of the data it has) are read
// again from the pointer kept at entry into the TmpMap, and compared there.
func (p *Gen) bigPostfixTest(t *ir.Test, s *prog.Slot, fail string) {
	values := t.Values
	if t.Map != nil {
		// Values of a large set are compared one by one here: the maps
		// hold prefixes, and the tail is read per test.
		values = append(append([]ir.Value(nil), values...), t.Map.Values...)
	}
	longest := 0
	for _, v := range values {
		longest = max(longest, len(v.Str))
	}
	if longest > kern.KeyMax {
		p.Errorf(t.Pos, "Postfix values on a maxData buffer are at most %d bytes long", kern.KeyMax)
		return
	}
	slotBytes := bytesAt{base: prog.RRec, lenOff: int16(s.Off), dataOff: int16(s.Off + bpf.BytesHeaderSize), max: s.MaxBytes}
	p.g.Lib.UseTmp()
	read := asm.FnProbeReadKernel
	if p.BigUser(s) {
		read = asm.FnProbeReadUser
	}
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		big, small, done := p.B.Fresh("post_big"), p.B.Fresh("post_small"), p.B.Fresh("post_done")
		// In the copy: a buffer that fits it, or data kept as the copy
		// (no pointer: an iov_iter of several buffers).
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(s.Aux), asm.DWord),
			asm.JEq.Imm(asm.R1, 0, small),
			asm.LoadMem(asm.R1, prog.RRec, int16(s.Off+bpf.BytesTotalOff), asm.DWord), // Total
			asm.JGT.Imm(asm.R1, int32(s.MaxBytes), big),
		)
		p.B.Label(small)
		for _, v := range values {
			next := p.B.Fresh("post_next")
			p.jumpUnlessBytes(slotBytes, matchPostfix, v.Str, next)
			p.Emit(asm.Ja.Label(hit))
			p.B.Label(next)
		}
		p.Emit(asm.Ja.Label(done))

		// The end the record keeps: Total, at most bigBytes.
		p.B.Label(big)
		capped := p.B.Fresh("post_end")
		p.Emit(
			asm.JLE.Imm(asm.R1, int32(s.BigBytes), capped),
			asm.Mov.Imm(asm.R1, int32(s.BigBytes)),
		)
		p.B.Label(capped)
		p.Emit(
			asm.StoreMem(asm.RFP, prog.StVal, asm.R1, asm.DWord),
			asm.Mov.Imm(asm.R1, 0),
			asm.StoreMem(asm.RFP, prog.StKey, asm.R1, asm.Word),
			asm.LoadMapPtr(asm.R1, 0).WithReference(kern.TmpMap),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, prog.StKey),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, done),
			asm.StoreMem(asm.RFP, prog.StVal2, asm.R0, asm.DWord),
			// tmp[KeyOff:KeyOff+longest] = the buffer's last longest bytes.
			asm.LoadMem(asm.R3, prog.RRec, int16(s.Aux), asm.DWord),
			asm.LoadMem(asm.R1, asm.RFP, prog.StVal, asm.DWord),
			asm.Add.Reg(asm.R3, asm.R1),
			asm.Add.Imm(asm.R3, int32(-longest)),
			asm.Mov.Reg(asm.R1, asm.R0),
			asm.Add.Imm(asm.R1, kern.KeyOff),
			asm.Mov.Imm(asm.R2, int32(longest)),
			read.Call(),
			asm.JNE.Imm(asm.R0, 0, done),
			asm.LoadMem(asm.R4, asm.RFP, prog.StVal2, asm.DWord),
		)
		for _, v := range values {
			next := p.B.Fresh("post_next")
			p.Emit(
				asm.Mov.Reg(asm.R2, asm.R4),
				asm.Add.Imm(asm.R2, int32(kern.KeyOff+longest-len(v.Str))),
			)
			p.compareBytes(asm.R2, v.Str, next)
			p.Emit(asm.Ja.Label(hit))
			p.B.Label(next)
		}
		p.B.Label(done)
		p.Emit(asm.Mov.Imm(asm.R0, 0))
	})
}
