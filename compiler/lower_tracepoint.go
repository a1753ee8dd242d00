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
// know, the events polc knows offline (raw_syscalls/*, syscalls/*,
// autotype.go) resolve the same way from their fixed layout, as the checks
// do; others stay auto: codegen reads the fields it knows without a target
// and refuses the others.
func (l *lowering) resolveAutoTypes(h *ir.Hook, hk *Hook) {
	if h.Kind != ir.HookTracepoint {
		return
	}
	subsys, event, _ := strings.Cut(h.Target, "/")
	t := l.opts.Target
	var ev *target.Event
	var err error
	if t != nil {
		ev, err = t.Event(subsys, event)
	}
	if t == nil || err != nil {
		// Without the target's format: the events polc knows offline
		// (autotype.go), as the checks resolved them.
		for i, a := range h.Args {
			if a.Type != ir.TypeAuto || i >= len(hk.Args) {
				continue
			}
			typ, known, err := offlineAutoType(subsys, event, a.Index, a.SizeSlot != ir.NoSize)
			switch {
			case err != nil:
				l.errorf(fieldOr(hk.Args[i].At, "index"), "missing-type", "declare the field's type", "%v", err)
			case known:
				a.Type = typ
			}
		}
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
