package compiler

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// What polc build refuses for reasons the checks can know, checked here so
// that validate (with the same --target, or without one) refuses it too:
// the tracepoint fields codegen cannot read as declared, and what needs a
// target kernel's description when there is none (internal/conformance's
// TestValidateAgreesWithBuild and TestGeneratedAgree hold the two to
// agreeing).

// tracepointFields are the format fields of tracepoint t, common_* fields
// included, as codegen will know them: the target's format when it has
// the event; else the fixed layouts of raw_syscalls/* and syscalls/*, or
// the events polc knows without a target (target.BuiltinEvents). known is
// false when polc cannot tell them; why says what would tell them.
//
// builtin is true for the fields of target.BuiltinEvents, whose indexes
// no other check bounds (the target's formats and the syscalls' layouts
// have theirs: checkTarget, checkSyscallPrototypes).
func (c *checker) tracepointFields(t *Tracepoint) (fields []target.Field, known, builtin bool, why string) {
	tg := c.opts.Target
	if tg != nil {
		ev, err := tg.Event(t.Subsystem, t.Event)
		switch {
		case err == nil:
			return ev.Fields, true, false, ""
		case errors.Is(err, target.ErrNotFound):
			return nil, true, false, "" // checkTarget reports the missing event
		}
	}
	if t.Subsystem == "syscalls" || t.Subsystem == "raw_syscalls" {
		// nil for what is not a syscall: check_syscalls reports it.
		return offlineTracepointFields(t.Subsystem, t.Event), true, false, ""
	}
	if b, ok := target.BuiltinEvents[t.Subsystem+"/"+t.Event]; ok {
		return append(append([]target.Field(nil), commonFields...), b.Fields...), true, true, ""
	}
	if tg != nil {
		return nil, false, false, fmt.Sprintf("the profile of %s has no tracepoint formats; capture it again with polrun profile as root on a host with tracefs", tg.Kernel())
	}
	return nil, false, false, "build with --target, a profile of the kernel it will run on (polrun profile -o FILE)"
}

// errorWithin reports whether an error is already reported on the lines
// of n.
func (c *checker) errorWithin(n *yaml.Node) bool {
	start, end := c.doc.Span(n)
	for _, d := range c.diags {
		if d.Severity == Error && d.Pos.Line >= start.Line && d.Pos.Line <= end.Line {
			return true
		}
	}
	return false
}

// checkTracepointFields checks each argument of each (not raw)
// tracepoint against its field in the event's format, as codegen reads
// it: common fields cannot be read, an array or __data_loc field is read
// as bytes (string, data_loc, char_buf), a number or pointer field as a
// value or what it points to. It runs after the other checks and passes
// over an argument they already refused.
func (c *checker) checkTracepointFields() {
	for _, h := range c.hooks {
		c.checkTracepointHook(h)
	}
}

func (c *checker) checkTracepointHook(h *hookView) {
	tp := h.tp
	if tp == nil || tp.Raw || len(h.hook.Args) == 0 {
		return
	}
	fields, known, builtin, why := c.tracepointFields(tp)
	if !known {
		c.warnf(fieldOr(h.at, "event"), "needs-target", why,
			"tracepoint %s/%s: building it needs the kernel's format, which locates its fields", tp.Subsystem, tp.Event)
		return
	}
	if fields == nil {
		return
	}
	for _, a := range h.hook.Args {
		t := h.types[a]
		if t == ir.TypeInvalid || (h.maxIndex >= 0 && a.Index > h.maxIndex) || c.errorWithin(a.Node) {
			continue // reported
		}
		idx := fieldOr(a.At, "index")
		if a.Index < len(commonFields) {
			c.errorf(idx, "arg-index", "the fields of the event start at index 4",
				"field %d of %s/%s is a common field (%s), which BPF programs cannot read", a.Index, tp.Subsystem, tp.Event, commonFieldNames())
			continue
		}
		if a.Index >= len(fields) {
			if !builtin {
				continue // reported (checkTarget, checkSyscallPrototypes)
			}
			c.errorf(idx, "arg-index", indexRangeHint(h),
				"tracepoint %s/%s has %d fields: index %d is out of range", tp.Subsystem, tp.Event, len(fields), a.Index)
			continue
		}
		if t == ir.TypeAuto {
			continue // its type comes from the field (autotype.go)
		}
		f := fields[a.Index]
		ty := fieldOr(a.At, "type")
		switch {
		case !f.IsDynamic() && !strings.HasSuffix(f.Type, "]"):
			// A number or a pointer, loaded as a value.
			switch {
			case t == ir.TypeDataLoc:
				c.errorf(ty, "bad-type", "read it as a number, a pointer, or the string it points to (string)",
					"field %s of %s/%s is %q, not a __data_loc field", f.Name, tp.Subsystem, tp.Event, f.Type)
			case t == ir.TypeCharBuf && a.SizeArgIndex == 0 && !a.ReturnCopy:
				c.errorf(ty, "missing-size", "set sizeArgIndex to the 1-based number of the field holding the length (index + 1), or read it as string",
					"char_buf field %s of %s/%s is a pointer: its length is unknown without sizeArgIndex", f.Name, tp.Subsystem, tp.Event)
			}
		case t.IsInteger() && f.LongArray() > 0:
			// An array of longs (raw_syscalls/sys_enter's args): an
			// integer type reads its first element, as in Tetragon.
		case t.IsInteger() && !f.IsDynamic() && t.Size() > 0 && t.Size() <= f.Size:
			// Another fixed array ("__u8 saddr[4]" of tcp/tcp_destroy_sock)
			// read as an integer: its first bytes in the host's byte order,
			// as Tetragon reads the type's size at the field's offset.
		case t.IsInteger() && !f.IsDynamic() && t.Size() > 0:
			c.errorf(ty, "bad-type", fmt.Sprintf("read it as an integer of %d bytes at most, or as char_buf (its bytes)", f.Size),
				"field %s of %s/%s is %q (%d bytes): %s reads %d bytes, past the field", f.Name, tp.Subsystem, tp.Event, f.Type, f.Size, a.Type, t.Size())
		default:
			// Bytes in the record: a fixed array, or __data_loc data.
			switch {
			case t != ir.TypeString && t != ir.TypeDataLoc && t != ir.TypeCharBuf && t != ir.TypeConstBuf:
				// (const_buf only comes from type auto: check.go refuses it declared.)
				c.errorf(ty, "bad-type", "read it as string (text), data_loc (a __data_loc string) or char_buf (its bytes)",
					"field %s of %s/%s is %q, whose bytes are in the record: it cannot be read as %s", f.Name, tp.Subsystem, tp.Event, f.Type, a.Type)
			case t == ir.TypeDataLoc && !f.IsDynamic():
				c.errorf(ty, "bad-type", "read it as string",
					"data_loc reads __data_loc fields; field %s of %s/%s is %q", f.Name, tp.Subsystem, tp.Event, f.Type)
			}
		}
	}
}

func commonFieldNames() string {
	var names []string
	for _, f := range commonFields {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// checkNeedsTarget warns, when there is no target, of what build can only
// do from a target kernel's description: expanding the generated_ftrace
// lists that hooks use. A warning, not an error: the policy is valid
// (Tetragon loads it, reading the running kernel), and validate without a
// target is how CI checks policies that are built with one; polc build
// without a target refuses it with the same code, and validate --strict
// fails on it. Following struct members (resolve, btfType) without a
// target uses the reference kernel's types (referenceArg).
func (c *checker) checkNeedsTarget() {
	for _, h := range c.hooks {
		if h.kind == hookUprobe || h.kind == hookUSDT || c.opts.Target != nil {
			continue // refused on these hooks (checkArgs); checked against the target (checkTarget)
		}
		for _, a := range h.hook.Args {
			if a.Resolve != "" || a.BTFType != "" {
				c.referenceArg(h, a)
			}
		}
	}
	for _, l := range c.pol.Spec.Lists {
		if l.Type != listGeneratedFtrace || !c.usedLists[l.Name] || c.lists[l.Name] != l || l.Pattern == nil {
			continue
		}
		if _, err := regexp.Compile(*l.Pattern); err != nil || *l.Pattern == "" {
			continue // reported (checkFtracePattern)
		}
		at := fieldOr(l.At, "pattern")
		if c.opts.Target == nil {
			c.warnf(at, "needs-target",
				"a generated_ftrace list is expanded from the kernel's available_filter_functions; give a target description of that kernel (--target), or list the functions",
				"list %q (pattern %q) needs a target kernel to expand", l.Name, *l.Pattern)
		} else if _, err := c.opts.Target.TraceableFunctions(); err != nil {
			c.warnf(at, "needs-target",
				"capture the profile with polrun profile as root on a host whose tracefs shows available_filter_functions, or list the functions",
				"list %q (pattern %q) cannot be expanded: the profile of %s has no traceable functions (%v)", l.Name, *l.Pattern, c.opts.Target.Kernel(), err)
		}
	}
}

// referenceHint is the hint of a resolve path or btfType typed against the
// reference kernel: how to pin the types instead.
const referenceHint = "to type it against the kernel it will run on, give its profile: --target FILE (polrun profile -o FILE), or --target-btf FILE"

// reference is the reference kernel's types (target.Reference), which
// type resolve paths and btfType when there is no target; nil after
// reporting at n when they cannot be read.
func (c *checker) reference(n *yaml.Node) *target.Profile {
	ref, err := target.Reference(c.opts.Arch)
	if err != nil {
		c.errorf(n, "internal", "", "%v", err)
		return nil
	}
	return ref
}

// referenceArg checks an argument's resolve path or btfType, without a
// target, against the reference kernel's types, which build uses
// (codegen/resolve.go), and notes that it does. Only the types come from
// the reference: the function's existence is not checked against it (a
// target decides that), but its prototype types the path, so a function,
// struct or member the reference lacks cannot be built without a target:
// a needs-target warning, as before the reference, which build without a
// target refuses (codegen/resolve.go).
func (c *checker) referenceArg(h *hookView, a *Arg) {
	n := fieldOr(a.At, "resolve")
	what := fmt.Sprintf("resolve %q on argument %d", a.Resolve, a.Index)
	if a.Resolve == "" {
		n, what = fieldOr(a.At, "btfType"), fmt.Sprintf("btfType %q on argument %d", a.BTFType, a.Index)
	}
	ref := c.reference(n)
	if ref == nil {
		return
	}
	var root target.CType
	switch {
	case a.BTFType != "":
		t, err := ref.StructType(a.BTFType)
		if err != nil {
			c.warnf(fieldOr(a.At, "btfType"), "needs-target", referenceHint,
				"%s: %v, which types it when no target is given: build needs a target that has it", what, err)
			return
		}
		root = t
	case h.kind == hookKprobe && !h.kprobe.Syscall && !strings.HasPrefix(h.kprobe.Call, "list:"),
		h.kind == hookLSM:
		fn := h.name
		if h.kind == hookLSM {
			fn = "bpf_lsm_" + h.name
		}
		proto, err := ref.FuncProto(fn)
		if errors.Is(err, target.ErrNotFound) {
			c.warnf(n, "needs-target", referenceHint,
				"%s: %s has no function %s, whose prototype types the path when no target is given: build needs a target that has it", what, ref.Kernel(), fn)
			return
		}
		if err != nil || a.Index < 0 || a.Index >= len(proto.Params) {
			return // reported by build
		}
		root = proto.Params[a.Index].Type
	}
	if a.Resolve != "" && root.Kind != target.KindUnknown && resolvePath.MatchString(a.Resolve) {
		if _, err := ref.Resolve(root, a.Resolve); errors.Is(err, target.ErrNotFound) {
			c.warnf(n, "needs-target", referenceHint,
				"%s: %v in %s, which types it when no target is given: build needs a target that has the member", what, err, ref.Kernel())
			return
		}
	}
	c.report(Note, n, "reference-types", referenceHint,
		"%s is typed against %s: its members are read through CO-RE relocations, at the offsets of the kernel that loads it, and a member that kernel lacks fails the load, naming it", what, ref.Kernel())
}
