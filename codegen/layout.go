package codegen

import (
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/ir"
)

// Sizes of the data of EncBytes arguments.
const (
	stringBytes  = 4096 // string: up to 4095 characters and the NUL the read needs
	netDevBytes  = 16   // IFNAMSIZ
	moduleBytes  = 56   // MODULE_NAME_LEN
	maxScratch   = 32 << 10
	recordHeader = bpf.HeaderSize
)

// encoding returns how arguments of type t are laid out in records and the
// most data bytes an EncBytes argument holds. ok is false for types codegen
// cannot read yet.
func encoding(a *ir.Arg) (enc bpf.Encoding, maxBytes int, ok bool) {
	switch t := a.Type; {
	case t == ir.TypeNop:
		return bpf.EncNone, 0, true
	case t.IsInteger(), t.Class() == ir.ClassCaps:
		return bpf.EncInt, 0, true
	}
	switch a.Type {
	case ir.TypeString:
		return bpf.EncBytes, stringBytes, true
	case ir.TypeCharBuf, ir.TypeCharIovec:
		if a.MaxData {
			return bpf.EncBytes, ir.MaxDataBytes, true
		}
		return bpf.EncBytes, ir.DefaultDataBytes, true
	case ir.TypeFile, ir.TypePath, ir.TypeDentry, ir.TypeLinuxBinprm, ir.TypeKiocb:
		return bpf.EncBytes, kern.PathMax, true
	case ir.TypeNetDevice:
		return bpf.EncBytes, netDevBytes, true
	case ir.TypeModule:
		return bpf.EncBytes, moduleBytes, true
	case ir.TypeLoadInfo:
		return bpf.EncBytes, stringBytes, true
	case ir.TypeSock, ir.TypeSocket:
		return bpf.EncSock, 0, true
	case ir.TypeSkb:
		return bpf.EncSkb, 0, true
	case ir.TypeSockaddr:
		return bpf.EncSockaddr, 0, true
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
	}
	return 0, 0, false
}

// encodedSize is the most bytes an argument takes in a record.
func encodedSize(enc bpf.Encoding, maxBytes int) int {
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
	}
	return 0
}

// slot is where an argument is built in the scratch record: a fixed
// offset, so that every test reads it at a constant offset.
type slot struct {
	arg      *ir.Arg
	enc      bpf.Encoding
	maxBytes int
	off      int // from the start of the record
	size     int // most bytes it takes
}

// layout is a hook's scratch record: the header, then a slot per argument
// in event order.
type layout struct {
	slots []*slot
	size  int // bytes of the scratch record
	// compact says the slots must be packed before posting: a
	// variable-length argument is followed by another argument.
	compact bool
}

// slotOf returns the slot of the argument at event position s.
func (l *layout) slotOf(s int) *slot {
	for _, sl := range l.slots {
		if sl.arg.Slot == s {
			return sl
		}
	}
	return nil
}

// newLayout lays out the record of h. Unsupported types are reported.
func newLayout(h *ir.Hook, errs *errorList) *layout {
	l := &layout{size: recordHeader}
	variableSeen := false
	for _, a := range h.Args {
		enc, maxBytes, ok := encoding(a)
		if !ok {
			errs.add(a.Pos, "argument type %s (index %d of %s) is not supported yet", a.Type, a.Index, h.Call)
			continue
		}
		size := encodedSize(enc, maxBytes)
		if enc == bpf.EncNone {
			l.slots = append(l.slots, &slot{arg: a, enc: enc, off: l.size})
			continue
		}
		if variableSeen {
			l.compact = true
		}
		if enc == bpf.EncBytes {
			variableSeen = true
		}
		l.slots = append(l.slots, &slot{arg: a, enc: enc, maxBytes: maxBytes, off: l.size, size: size})
		l.size += size
	}
	return l
}
