package compiler

import (
	"strings"

	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// resolveAutoTypes gives the tracepoint arguments of type auto (or of no
// type) the type their field has in the target kernel's format
// (target.AutoType), so that selectors can filter them and events print
// them by that type. Without a target, or for a tracepoint it does not
// know, they stay auto: codegen reads the fields it knows without a
// target and refuses the others.
func (l *lowering) resolveAutoTypes(h *ir.Hook, hk *Hook) {
	t := l.opts.Target
	if t == nil || h.Kind != ir.HookTracepoint {
		return
	}
	subsys, event, _ := strings.Cut(h.Target, "/")
	ev, err := t.Event(subsys, event)
	if err != nil {
		return
	}
	spec, _ := t.Spec() // nil without BTF: typedefs are then guessed
	for i, a := range h.Args {
		if a.Type != ir.TypeAuto || a.Index < 0 || a.Index >= len(ev.Fields) || i >= len(hk.Args) {
			continue
		}
		at := fieldOr(hk.Args[i].At, "index")
		name, err := target.AutoType(ev.Fields[a.Index], spec)
		if err != nil {
			l.errorf(at, "missing-type", "declare the field's type", "tracepoint %s of %s: %v", ev.Name(), t.Kernel(), err)
			continue
		}
		typ, _ := ir.ParseType(name)
		if typ == ir.TypeCharBuf && a.SizeSlot == ir.NoSize {
			f := ev.Fields[a.Index]
			l.errorf(at, "missing-size", `declare type: "string" for a NUL-terminated string, or char_buf with sizeArgIndex`,
				"field %s of tracepoint %s is %q, a buffer whose length polc cannot tell", f.Name, ev.Name(), f.Type)
			continue
		}
		a.Type = typ
	}
}
