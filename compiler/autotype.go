package compiler

import (
	"fmt"
	"strings"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// Tracepoint arguments without a type (or of type auto, Tetragon's
// default) take the type of their field in the event's format
// (target.AutoType). The target's formats give it (lowering's
// resolveAutoTypes); without them, polc still knows the formats of
// raw_syscalls/* and syscalls/* events, which follow the syscall ABI:
// offlineTracepointFields. The checks and the lowering resolve the same
// way, so that validate refuses what build would.

// offlineTracepointFields are the format fields of subsys/event as polc
// knows them without a target, or nil: raw_syscalls/sys_enter and
// sys_exit, and syscalls/sys_enter_NAME (for a syscall of arch's table)
// and sys_exit_NAME. Each parameter of a syscalls/sys_enter_* event takes
// 8 unsigned bytes whatever its C type, as the kernel's format declares
// it, and as codegen reads it.
func offlineTracepointFields(subsys, event string) []target.Field {
	fields := append([]target.Field(nil), commonFields...)
	switch {
	case subsys == "raw_syscalls" && event == "sys_enter":
		return append(fields,
			target.Field{Name: "id", Type: "long", Offset: 8, Size: 8, Signed: true},
			target.Field{Name: "args", Type: "unsigned long[6]", Offset: 16, Size: 48})
	case subsys == "raw_syscalls" && event == "sys_exit":
		return append(fields,
			target.Field{Name: "id", Type: "long", Offset: 8, Size: 8, Signed: true},
			target.Field{Name: "ret", Type: "long", Offset: 16, Size: 8, Signed: true})
	case subsys != "syscalls":
		return nil
	}
	fields = append(fields, target.Field{Name: "__syscall_nr", Type: "int", Offset: 8, Size: 4, Signed: true})
	if strings.HasPrefix(event, "sys_exit_") {
		return append(fields, target.Field{Name: "ret", Type: "long", Offset: 16, Size: 8, Signed: true})
	}
	name, ok := strings.CutPrefix(event, "sys_enter_")
	if !ok {
		return nil
	}
	params, known := arch.SyscallParams(name)
	if !known {
		return nil
	}
	for i, p := range params {
		fields = append(fields, target.Field{Name: p.Name, Type: p.Type, Offset: 16 + 8*i, Size: 8})
	}
	return fields
}

// offlineAutoType is the type an argument of type auto at index of
// subsys/event reads without a target: ok is false when polc does not know
// the event's fields offline; err says why the field has no type to read
// it by (a char pointer, whose length polc cannot tell without
// sizeArgIndex, or a field of no integer, string or byte reading).
func offlineAutoType(subsys, event string, index int, sized bool) (t ir.ArgType, ok bool, err error) {
	fields := offlineTracepointFields(subsys, event)
	if fields == nil || index < 0 || index >= len(fields) {
		return ir.TypeAuto, false, nil
	}
	f := fields[index]
	name, err := target.AutoType(f, nil)
	if err != nil {
		return ir.TypeAuto, true, err
	}
	t, _ = ir.ParseType(name)
	if t == ir.TypeCharBuf && !sized {
		return ir.TypeAuto, true, fmt.Errorf("field %s of tracepoint %s/%s is %q, a buffer whose length polc cannot tell", f.Name, subsys, event, f.Type)
	}
	return t, true, nil
}

// resolveAutoArgs gives the checks the type an auto argument of a
// tracepoint will read (so that its filters are checked), and refuses what
// the lowering would: a field without a type to read it by. An array of
// longs (raw_syscalls/sys_enter's args) resolves to const_buf, which
// events show element by element (target.Field.LongArray). With a target
// that describes the event, the lowering resolves from its format and the
// checks leave the type auto.
func (c *checker) resolveAutoArgs(h *hookView) {
	tp := h.tp
	if tp == nil || tp.Raw {
		return
	}
	for _, a := range h.hook.Args {
		t := h.types[a]
		if t != ir.TypeAuto || c.targetHasEvent(tp) {
			continue
		}
		resolved, known, err := offlineAutoType(tp.Subsystem, tp.Event, a.Index, a.SizeArgIndex != 0)
		switch {
		case err != nil:
			c.errorf(fieldOr(a.At, "index"), "missing-type", `declare the field's type (type: "string" for a NUL-terminated string)`, "%v", err)
			h.types[a] = ir.TypeInvalid
		case known:
			h.types[a] = resolved
		}
	}
}
