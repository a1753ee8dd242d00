package prog

import (
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// TestTrailingSlot: a slot the program fills itself goes after every
// argument, and after variable-length data the record must be compacted.
func TestTrailingSlot(t *testing.T) {
	l := &Layout{Size: bpf.HeaderSize}
	s := &Slot{Arg: &ir.Arg{Slot: 0, Type: ir.TypeString}, Enc: bpf.EncBytes, MaxBytes: StringBytes,
		Off: l.Size, Size: EncodedSize(bpf.EncBytes, StringBytes)}
	l.Slots = append(l.Slots, s)
	l.Size += s.Size
	st := l.AddTrailingSlot(&ir.Hook{}, -2, bpf.EncStackIDs, bpf.StackIDsSize)
	if st.Off != bpf.HeaderSize+bpf.BytesHeaderSize+bpf.Align8(StringBytes) || l.Size != st.Off+bpf.StackIDsSize {
		t.Errorf("trailing slot at %d, record %d bytes", st.Off, l.Size)
	}
	if !l.Compact {
		t.Error("a slot after a string does not make the record compacted")
	}
	if l.SlotOf(-2) != st || l.SlotOf(0) != s || l.SlotOf(5) != nil {
		t.Error("SlotOf")
	}
	if l.ProcOff()%8 != 0 || l.MaskOff() != l.ProcOff()+bpf.ProcSize || l.ScratchSize(3) < l.MaskOff()+3 {
		t.Errorf("scratch: proc %d, mask %d, size %d", l.ProcOff(), l.MaskOff(), l.ScratchSize(3))
	}
}
