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
	case ir.TypeString, ir.TypeFilename, ir.TypeDataLoc, ir.TypeConstBuf:
		return bpf.EncBytes, stringBytes, true
	case ir.TypeCharBuf, ir.TypeCharIovec, ir.TypeIovIter:
		// maxData buffers keep their first DefaultDataBytes in the scratch
		// record, for filters; the whole goes into the posted record
		// (slot.bigBytes).
		return bpf.EncBytes, ir.DefaultDataBytes, true
	case ir.TypeFile, ir.TypePath, ir.TypeDentry, ir.TypeLinuxBinprm, ir.TypeKiocb, ir.TypeFd:
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
	// bigBytes, for a maxData char_buf, is the most data bytes the posted
	// record holds, read from user memory again when posting (the scratch
	// has maxBytes of it); aux is where its pointer is kept.
	bigBytes int
	aux      int
}

// layout is a hook's scratch record: the header, then a slot per argument
// in event order.
type layout struct {
	slots []*slot
	size  int // bytes of the scratch record
	// compact says the slots must be packed before posting: a
	// variable-length argument is followed by another argument.
	compact bool
	// ret is the slot of a return value that is not an integer (a sock,
	// a file): it follows the arguments, read by the return program.
	ret *slot
	// pad is room the scratch keeps after the record: readers whose
	// bounds the verifier cannot follow exactly (char_iovec) may seem to
	// write up to a slot's room past it; and the pointers of maxData
	// buffers (slot.aux).
	pad int
	// big: a maxData slot makes the posted record larger than the
	// scratch: it is built in the ring buffer (postReserved).
	big bool
	// stack is the StackIDs slot, last, when a Post asks for stack
	// traces (stack.go).
	stack *slot
	// ima is the ImaHash slot, last, when a Post asks for imaHash
	// (imahash.go).
	ima *slot
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
func (g *gen) newLayout(h *ir.Hook) *layout {
	errs := &g.errs
	l := &layout{size: recordHeader}
	variableSeen := false
	for _, a := range h.Args {
		if a.Type == ir.TypeAuto {
			a = g.autoType(h, a)
			if a == nil {
				continue
			}
		}
		if (len(a.Resolve) > 0 || a.BTFType != "") && !g.planResolve(h, a) {
			continue // reported (resolve.go)
		}
		if a.MaxData && a.Type != ir.TypeCharBuf && a.Type != ir.TypeIovIter {
			errs.add(a.Pos, "maxData is for char_buf and iov_iter arguments, not %s", a.Type)
			continue
		}
		if a.MaxData && a.ReturnCopy {
			errs.add(a.Pos, "maxData with returnCopy is not supported (as in Tetragon)")
			continue
		}
		enc, maxBytes, ok := encoding(a)
		if !ok && a.Type == ir.TypeInt32Arr {
			// Tetragon reads size elements (KProbeArg.Size), at return
			// for returnCopy (pipe2's fds).
			errs.add(a.Pos, "int32_arr (index %d of %s) is not supported: Tetragon reads as many int32 as the argument's size field says, a field this TracingPolicy schema does not have", a.Index, h.Call)
			continue
		}
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
		sl := &slot{arg: a, enc: enc, maxBytes: maxBytes, off: l.size, size: size}
		if a.MaxData {
			sl.bigBytes = ir.MaxDataBytes
			l.big = true
		}
		l.slots = append(l.slots, sl)
		l.size += size
		if a.Type == ir.TypeCharIovec || a.Type == ir.TypeIovIter {
			l.pad = max(l.pad, maxBytes)
		}
	}
	// Room for the pointers of maxData buffers, after the char_iovec pad.
	for _, sl := range l.slots {
		if sl.bigBytes > 0 {
			sl.aux = l.size + l.pad
			l.pad += 8
		}
	}
	if r := h.Ret; h.Return && r != nil {
		enc, maxBytes, ok := encoding(r)
		switch {
		case !ok:
			errs.add(r.Pos, "return value type %s of %s is not supported yet", r.Type, h.Call)
		case enc != bpf.EncInt && enc != bpf.EncNone:
			if variableSeen {
				l.compact = true
			}
			l.ret = &slot{arg: r, enc: enc, maxBytes: maxBytes, off: l.size, size: encodedSize(enc, maxBytes)}
			l.slots = append(l.slots, l.ret)
			l.size += l.ret.size
		}
	}
	g.addStackSlot(h, l)
	g.addImaSlot(h, l)
	return l
}
