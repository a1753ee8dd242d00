package codegen

import (
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Sizes of the scratch record.
const (
	maxScratch   = 32 << 10
	recordHeader = bpf.HeaderSize
)

// newLayout lays out the record of h. Unsupported types are reported.
func (g *gen) newLayout(h *ir.Hook) *prog.Layout {
	errs := &g.errs
	l := &prog.Layout{Size: recordHeader}
	variableSeen := false
	for _, a := range h.Args {
		if a.Type == ir.TypeAuto {
			a = g.plan.AutoType(h, a)
			if a == nil {
				continue
			}
		}
		if (len(a.Resolve) > 0 || a.BTFType != "") && !g.plan.PlanResolve(h, a) {
			continue // reported (fetch/resolve.go)
		}
		if a.MaxData && a.Type != ir.TypeCharBuf && a.Type != ir.TypeIovIter {
			errs.add(a.Pos, "maxData is for char_buf and iov_iter arguments, not %s", a.Type)
			continue
		}
		if a.MaxData && a.ReturnCopy {
			errs.add(a.Pos, "maxData with returnCopy is not supported (as in Tetragon)")
			continue
		}
		if a.Type == ir.TypeInt32Arr && (h.Kind == ir.HookTracepoint || h.Kind == ir.HookUSDT) {
			// Tetragon gives tracepoint arguments no size (compiler/check.go).
			errs.add(a.Pos, "int32_arr (index %d of %s) is read on kprobes, uprobes and LSM hooks only", a.Index, h.Call)
			continue
		}
		enc, maxBytes, ok := prog.Encoding(a)
		if !ok {
			errs.add(a.Pos, "argument type %s (index %d of %s) is not supported yet", a.Type, a.Index, h.Call)
			continue
		}
		size := prog.EncodedSize(enc, maxBytes)
		if enc == bpf.EncNone {
			l.Slots = append(l.Slots, &prog.Slot{Arg: a, Enc: enc, Off: l.Size})
			continue
		}
		if variableSeen {
			l.Compact = true
		}
		if enc == bpf.EncBytes {
			variableSeen = true
		}
		sl := &prog.Slot{Arg: a, Enc: enc, MaxBytes: maxBytes, Off: l.Size, Size: size}
		if a.MaxData {
			sl.BigBytes = ir.MaxDataBytes
			l.Big = true
		}
		l.Slots = append(l.Slots, sl)
		l.Size += size
		if a.Type == ir.TypeCharIovec || a.Type == ir.TypeIovIter {
			l.Pad = max(l.Pad, maxBytes)
		}
	}
	// Room for the pointers of maxData buffers, after the char_iovec pad.
	for _, sl := range l.Slots {
		if sl.BigBytes > 0 {
			sl.Aux = l.Size + l.Pad
			l.Pad += 8
		}
	}
	if r := h.Ret; h.Return && r != nil {
		enc, maxBytes, ok := prog.Encoding(r)
		switch {
		case !ok || r.Type == ir.TypeInt32Arr:
			errs.add(r.Pos, "return value type %s of %s is not supported yet", r.Type, h.Call)
		case enc != bpf.EncInt && enc != bpf.EncNone:
			if variableSeen {
				l.Compact = true
			}
			l.Ret = &prog.Slot{Arg: r, Enc: enc, MaxBytes: maxBytes, Off: l.Size, Size: prog.EncodedSize(enc, maxBytes)}
			l.Slots = append(l.Slots, l.Ret)
			l.Size += l.Ret.Size
		}
	}
	g.addStackSlot(h, l)
	g.addImaSlot(h, l)
	return l
}
