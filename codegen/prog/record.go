package prog

import (
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/ir"
)

// Sizes of the data of EncBytes arguments.
const (
	// StringBytes: a string (or filename) holds up to 4096 characters and
	// the NUL the read needs, as Tetragon's MAX_STRING (copy_strings reads
	// max_size + 1 bytes).
	StringBytes = ir.MaxMatchLen + 1
	// DataBytes: data_loc, const_buf and load_info data, 4096 bytes with
	// a NUL (Tetragon masks data_loc lengths to 4095).
	DataBytes   = 4096
	NetDevBytes = 16 // IFNAMSIZ
	ModuleBytes = 56 // MODULE_NAME_LEN
	// FDValueSize is the size of a value of the fd map (ir.MapFD): a
	// path as an EncBytes argument, which FollowFD copies from the
	// record (codegen/action) and fd arguments are read from
	// (codegen/fetch/fd.go).
	FDValueSize = bpf.BytesHeaderSize + kern.PathMax
)

// Encoding returns how arguments of type t are laid out in records and the
// most data bytes an EncBytes argument holds. ok is false for types codegen
// cannot read yet.
func Encoding(a *ir.Arg) (enc bpf.Encoding, maxBytes int, ok bool) {
	switch t := a.Type; {
	case t == ir.TypeNop:
		return bpf.EncNone, 0, true
	case t.IsInteger(), t.Class() == ir.ClassCaps:
		return bpf.EncInt, 0, true
	}
	switch a.Type {
	case ir.TypeString, ir.TypeFilename:
		return bpf.EncBytes, StringBytes, true
	case ir.TypeDataLoc, ir.TypeConstBuf:
		return bpf.EncBytes, DataBytes, true
	case ir.TypeCharBuf, ir.TypeCharIovec, ir.TypeIovIter:
		// maxData buffers keep their first DefaultDataBytes in the scratch
		// record, for filters; the whole goes into the posted record
		// (Slot.BigBytes).
		return bpf.EncBytes, ir.DefaultDataBytes, true
	case ir.TypeFile, ir.TypePath, ir.TypeDentry, ir.TypeLinuxBinprm, ir.TypeKiocb, ir.TypeFd:
		return bpf.EncBytes, kern.PathMax, true
	case ir.TypeNetDevice:
		return bpf.EncBytes, NetDevBytes, true
	case ir.TypeModule:
		return bpf.EncBytes, ModuleBytes, true
	case ir.TypeLoadInfo:
		return bpf.EncBytes, DataBytes, true
	case ir.TypeSock, ir.TypeSocket:
		return bpf.EncSock, 0, true
	case ir.TypeSkb:
		return bpf.EncSkb, 0, true
	case ir.TypeSockaddr:
		return bpf.EncSockaddr, 0, true
	case ir.TypeSockaddrUn:
		return bpf.EncSockaddrUn, bpf.SockaddrUnPathMax, true
	case ir.TypeDNS:
		return bpf.EncDNS, bpf.DNSNameMax, true
	case ir.TypeCred:
		return bpf.EncCred, 0, true
	case ir.TypeUserNamespace:
		return bpf.EncUserNamespace, 0, true
	case ir.TypeBpfAttr:
		return bpf.EncBpfAttr, 0, true
	case ir.TypeBpfMap:
		return bpf.EncBpfMap, 0, true
	case ir.TypeBpfProg:
		return bpf.EncBpfProg, 0, true
	case ir.TypePerfEvent:
		return bpf.EncPerfEvent, 0, true
	case ir.TypeInt32Arr:
		return bpf.EncInt32Arr, 0, true
	}
	return 0, 0, false
}

// EncodedSize is the most bytes an argument takes in a record.
func EncodedSize(enc bpf.Encoding, maxBytes int) int {
	switch enc {
	case bpf.EncNone:
		return 0
	case bpf.EncInt:
		return 8
	case bpf.EncBytes:
		return bpf.BytesHeaderSize + bpf.Align8(maxBytes)
	case bpf.EncSock:
		return bpf.SockSize
	case bpf.EncSkb:
		return bpf.SkbSize
	case bpf.EncSockaddr:
		return bpf.SockaddrSize
	case bpf.EncSockaddrUn:
		return bpf.SockaddrUnSize
	case bpf.EncDNS:
		return bpf.DNSSize
	case bpf.EncCred:
		return bpf.CredSize
	case bpf.EncUserNamespace:
		return bpf.UserNamespaceSize
	case bpf.EncBpfAttr:
		return bpf.BpfAttrSize
	case bpf.EncBpfMap:
		return bpf.BpfMapSize
	case bpf.EncPerfEvent:
		return bpf.PerfEventSize
	case bpf.EncBpfProg:
		return bpf.BpfProgSize
	case bpf.EncInt32Arr:
		return bpf.Int32ArrSize
	}
	return 0
}

// Slot is where an argument is built in the scratch record: a fixed
// offset, so that every test reads it at a constant offset.
type Slot struct {
	Arg      *ir.Arg
	Enc      bpf.Encoding
	MaxBytes int
	Off      int // from the start of the record
	Size     int // most bytes it takes
	// BigBytes, for a maxData char_buf, is the most data bytes the posted
	// record holds, read from user memory again when posting (the scratch
	// has MaxBytes of it); Aux is where its pointer is kept.
	BigBytes int
	Aux      int
}

// Layout is a hook's scratch record: the header, then a Slot per argument
// in event order.
type Layout struct {
	Slots []*Slot
	Size  int // bytes of the scratch record
	// Compact says the slots must be packed before posting: a
	// variable-length argument is followed by another argument.
	Compact bool
	// Ret is the Slot of a return value that is not an integer (a sock,
	// a file): it follows the arguments, read by the return program.
	Ret *Slot
	// Pad is room the scratch keeps after the record: readers whose
	// bounds the verifier cannot follow exactly (char_iovec) may seem to
	// write up to a Slot's room past it; and the pointers of maxData
	// buffers (Slot.Aux).
	Pad int
	// Big: a maxData Slot makes the posted record larger than the
	// scratch: it is built in the ring buffer (codegen postReserved).
	Big bool
	// Stack is the StackIDs Slot, last, when a Post asks for stack
	// traces (codegen/stack.go).
	Stack *Slot
	// Ima is the ImaHash Slot, last, when a Post asks for imaHash
	// (codegen/imahash.go).
	Ima *Slot
}

// SlotOf returns the Slot of the argument at event position s.
func (l *Layout) SlotOf(s int) *Slot {
	for _, sl := range l.Slots {
		if sl.Arg.Slot == s {
			return sl
		}
	}
	return nil
}

// Extra room after the record in the polc_rec value: a copy of the
// process table entry of the current process, then one byte per selector
// saying whether its process filters passed.
func (l *Layout) ProcOff() int          { return bpf.Align8(l.Size + l.Pad) }
func (l *Layout) MaskOff() int          { return l.ProcOff() + bpf.ProcSize }
func (l *Layout) ScratchSize(n int) int { return bpf.Align8(l.MaskOff() + n) }

// AddTrailingSlot appends a Slot the program fills itself (not from an
// argument; numbered n < 0) after every other Slot of l. After
// variable-length data the record must be compacted for it.
func (l *Layout) AddTrailingSlot(h *ir.Hook, n int, enc bpf.Encoding, size int) *Slot {
	for _, s := range l.Slots {
		if s.Enc == bpf.EncBytes {
			l.Compact = true // the Slot follows variable-length data
		}
	}
	s := &Slot{Arg: &ir.Arg{Slot: n, Index: -1, Type: ir.TypeNop, SizeSlot: ir.NoSize, Pos: h.Pos},
		Enc: enc, Off: l.Size, Size: size}
	l.Slots = append(l.Slots, s)
	l.Size += size
	return s
}
