package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/ir"
)

// bigPostfixTest tests Postfix (or NotPostfix) on a maxData buffer. The
// filters' copy holds the buffer's first s.maxBytes bytes; the posted
// record holds up to s.bigBytes. A buffer that fits the copy is tested
// there; a longer one ends beyond it, so its last bytes (up to the end the
// record keeps, as Tetragon's comparison of the data it has) are read
// again from the pointer kept at entry into the TmpMap, and compared there.
func (p *progGen) bigPostfixTest(t *ir.Test, s *slot, fail string) {
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
		p.errorf(t.Pos, "Postfix values on a maxData buffer are at most %d bytes long", kern.KeyMax)
		return
	}
	slotBytes := bytesAt{base: rRec, lenOff: int16(s.off), dataOff: int16(s.off + bpf.BytesHeaderSize), max: s.maxBytes}
	p.g.lib.UseTmp()
	read := asm.FnProbeReadKernel
	if p.userPointers() {
		read = asm.FnProbeReadUser
	}
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		big, done := p.b.Fresh("post_big"), p.b.Fresh("post_done")
		p.emit(
			asm.LoadMem(asm.R1, rRec, int16(s.off+8), asm.DWord), // Total
			asm.JGT.Imm(asm.R1, int32(s.maxBytes), big),
		)
		for _, v := range values {
			next := p.b.Fresh("post_next")
			p.jumpUnlessBytes(slotBytes, matchPostfix, v.Str, next)
			p.emit(asm.Ja.Label(hit))
			p.b.Label(next)
		}
		p.emit(asm.Ja.Label(done))

		// The end the record keeps: Total, at most bigBytes.
		p.b.Label(big)
		capped := p.b.Fresh("post_end")
		p.emit(
			asm.JLE.Imm(asm.R1, int32(s.bigBytes), capped),
			asm.Mov.Imm(asm.R1, int32(s.bigBytes)),
		)
		p.b.Label(capped)
		p.emit(
			asm.StoreMem(asm.RFP, stVal, asm.R1, asm.DWord),
			asm.Mov.Imm(asm.R1, 0),
			asm.StoreMem(asm.RFP, stKey, asm.R1, asm.Word),
			asm.LoadMapPtr(asm.R1, 0).WithReference(kern.TmpMap),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, stKey),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, done),
			asm.StoreMem(asm.RFP, stVal2, asm.R0, asm.DWord),
			// tmp[KeyOff:KeyOff+longest] = the buffer's last longest bytes.
			asm.LoadMem(asm.R3, rRec, int16(s.aux), asm.DWord),
			asm.LoadMem(asm.R1, asm.RFP, stVal, asm.DWord),
			asm.Add.Reg(asm.R3, asm.R1),
			asm.Add.Imm(asm.R3, int32(-longest)),
			asm.Mov.Reg(asm.R1, asm.R0),
			asm.Add.Imm(asm.R1, kern.KeyOff),
			asm.Mov.Imm(asm.R2, int32(longest)),
			read.Call(),
			asm.JNE.Imm(asm.R0, 0, done),
			asm.LoadMem(asm.R4, asm.RFP, stVal2, asm.DWord),
		)
		for _, v := range values {
			next := p.b.Fresh("post_next")
			p.emit(
				asm.Mov.Reg(asm.R2, asm.R4),
				asm.Add.Imm(asm.R2, int32(kern.KeyOff+longest-len(v.Str))),
			)
			p.compareBytes(asm.R2, v.Str, next)
			p.emit(asm.Ja.Label(hit))
			p.b.Label(next)
		}
		p.b.Label(done)
		p.emit(asm.Mov.Imm(asm.R0, 0))
	})
}
