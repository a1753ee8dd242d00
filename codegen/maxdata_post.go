package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Posting a maxData slot: the whole buffer is read again into the ring
// buffer's reservation (program.go's copyBig); the filters' copy is
// codegen/filter's (maxdata_postfix.go).

// copyKeptCopy emits, at the start of copyBig (R8+R7: where the slot goes
// in the reservation), the copy of the filters' copy for a slot without a
// kept pointer, then a jump to done (where copyBig moves R7 past what R2
// says was written).
func (p *progGen) copyKeptCopy(s *prog.Slot, done string) {
	if s.Arg.Type != ir.TypeIovIter {
		return // char_buf always keeps its pointer
	}
	kept := p.B.Fresh("big_kept")
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Aux), asm.DWord),
		asm.JNE.Imm(asm.R1, 0, kept),
	)
	p.paddedLen(asm.R2, s)
	p.Emit(asm.Add.Imm(asm.R2, bpf.BytesHeaderSize))
	p.copySlotOut(s)
	p.Emit(
		// done adds the header and rounds up: give it the data's length.
		asm.Add.Imm(asm.R2, -bpf.BytesHeaderSize),
		asm.Ja.Label(done),
	)
	p.B.Label(kept)
}
