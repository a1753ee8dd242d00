package codegen

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/ir"
)

// tpField is a field of a tracepoint's format.
type tpField struct {
	name   string
	off    int
	size   int
	signed bool
	// array: a fixed array (size is the whole array); dataLoc: a
	// __data_loc, whose data follows the fixed fields.
	array, dataLoc bool
}

// tpFormat is what codegen knows of a tracepoint without a kernel: its
// fields, in format order after the four common ones, and the BTF struct
// the kernel describes its record with.
type tpFormat struct {
	// raw is the kernel's trace_event_raw_* struct: fields are read through
	// CO-RE against it. Empty for syscalls/*, whose layout is fixed.
	raw    string
	fields []tpField
}

// commonFields come first in every format; programs cannot read them.
const commonFields = 4

// knownTracepoints are the tracepoints whose fields codegen can read.
// Offsets are those of Linux 6.1 to 6.18; fields of tracepoints with a raw
// struct are relocated by name at load, so only their names and types
// matter.
var knownTracepoints = map[string]tpFormat{
	"raw_syscalls/sys_enter": {fields: []tpField{
		{name: "id", off: 8, size: 8, signed: true},
		{name: "args", off: 16, size: 48, array: true},
	}},
	"raw_syscalls/sys_exit": {fields: []tpField{
		{name: "id", off: 8, size: 8, signed: true},
		{name: "ret", off: 16, size: 8, signed: true},
	}},
	"sched/sched_process_exec": {raw: "trace_event_raw_sched_process_exec", fields: []tpField{
		{name: "filename", off: 8, size: 4, dataLoc: true},
		{name: "pid", off: 12, size: 4, signed: true},
		{name: "old_pid", off: 16, size: 4, signed: true},
	}},
	"sched/sched_process_exit": {raw: "trace_event_raw_sched_process_template", fields: []tpField{
		{name: "comm", off: 8, size: 16, array: true},
		{name: "pid", off: 24, size: 4, signed: true},
		{name: "prio", off: 28, size: 4, signed: true},
	}},
	"sched/sched_process_fork": {raw: "trace_event_raw_sched_process_fork", fields: []tpField{
		{name: "parent_comm", off: 8, size: 16, array: true},
		{name: "parent_pid", off: 24, size: 4, signed: true},
		{name: "child_comm", off: 28, size: 16, array: true},
		{name: "child_pid", off: 44, size: 4, signed: true},
	}},
}

// tracepointFormat returns the format of a tracepoint: the table above,
// or the fixed layout of syscalls/sys_enter_* and sys_exit_*.
func tracepointFormat(target string) (tpFormat, bool) {
	if f, ok := knownTracepoints[target]; ok {
		return f, true
	}
	event, ok := strings.CutPrefix(target, "syscalls/")
	if !ok {
		return tpFormat{}, false
	}
	fields := []tpField{{name: "__syscall_nr", off: 8, size: 4, signed: true}}
	switch {
	case strings.HasPrefix(event, "sys_enter_"):
		name := strings.TrimPrefix(event, "sys_enter_")
		params, known := syscallParams[name]
		if !known {
			return tpFormat{}, false
		}
		for i, p := range params {
			fields = append(fields, tpField{name: p, off: 16 + 8*i, size: 8})
		}
	case strings.HasPrefix(event, "sys_exit_"):
		fields = append(fields, tpField{name: "ret", off: 16, size: 8, signed: true})
	default:
		return tpFormat{}, false
	}
	return tpFormat{fields: fields}, true
}

// tpField returns the field argument a of tracepoint hook h reads.
func (g *gen) tpField(h *ir.Hook, a *ir.Arg) (tpField, bool) {
	f, ok := tracepointFormat(h.Target)
	if !ok {
		g.errs.add(h.Pos, "tracepoint %s is not known to polc yet: its fields cannot be located without a kernel", h.Target)
		return tpField{}, false
	}
	i := a.Index - commonFields
	if a.Index < commonFields {
		g.errs.add(a.Pos, "field %d of %s is a common field (common_type, common_flags, common_preempt_count, common_pid), which programs cannot read", a.Index, h.Target)
		return tpField{}, false
	}
	if i >= len(f.fields) {
		g.errs.add(a.Pos, "tracepoint %s has %d fields: index %d is out of range", h.Target, commonFields+len(f.fields), a.Index)
		return tpField{}, false
	}
	fld := f.fields[i]
	if fld.array || fld.dataLoc {
		g.errs.add(a.Pos, "field %s of %s is an array or a __data_loc string, which codegen cannot read yet", fld.name, h.Target)
		return tpField{}, false
	}
	return fld, true
}

// loadTpField emits dst = field f, extended to 64 bits by its type.
func (p *progGen) loadTpField(dst asm.Register, h *ir.Hook, f tpField) {
	size := asm.DWord
	switch f.size {
	case 1:
		size = asm.Byte
	case 2:
		size = asm.Half
	case 4:
		size = asm.Word
	}
	load := asm.LoadMem(dst, rCtx, int16(f.off), size)
	if format, _ := tracepointFormat(h.Target); format.raw != "" {
		load = object.CORE(load, rawTracepointType(format), fieldAccessor(format, f.name), object.FieldByteOffset)
	}
	p.emit(load)
	p.emit(extendReg(dst, f.size, f.signed)...)
}

// rawTracepointType is the local declaration of a tracepoint's
// trace_event_raw_* struct: the common header, then the fields.
func rawTracepointType(f tpFormat) *btf.Struct {
	entry := &btf.Struct{Name: "trace_entry", Size: 8}
	members := []btf.Member{{Name: "ent", Type: entry}}
	end := uint32(8)
	for _, fld := range f.fields {
		var t btf.Type
		switch {
		case fld.array:
			t = &btf.Array{Index: &btf.Int{Name: "u32", Size: 4}, Type: &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}, Nelems: uint32(fld.size)}
		default:
			enc := btf.IntEncoding(0)
			if fld.signed {
				enc = btf.Signed
			}
			t = &btf.Int{Name: fmt.Sprintf("int%d", fld.size*8), Size: uint32(fld.size), Encoding: enc}
		}
		members = append(members, btf.Member{Name: fld.name, Type: t, Offset: btf.Bits(fld.off * 8)})
		end = max(end, uint32(fld.off+fld.size))
	}
	return &btf.Struct{Name: f.raw, Size: (end + 7) &^ 7, Members: members}
}

func fieldAccessor(f tpFormat, name string) string {
	for i, fld := range f.fields {
		if fld.name == name {
			return fmt.Sprintf("0:%d", i+1)
		}
	}
	return "0"
}

// tpFieldsRead lists the fields h's programs read at fixed offsets, for the
// loader to check against the running kernel's format.
func (g *gen) tpFieldsRead(h *ir.Hook) []bpf.TracepointField {
	if h.Kind != ir.HookTracepoint {
		return nil
	}
	f, ok := tracepointFormat(h.Target)
	if !ok || f.raw != "" {
		return nil
	}
	var out []bpf.TracepointField
	seen := map[string]bool{}
	for _, a := range h.Args {
		i := a.Index - commonFields
		if i < 0 || i >= len(f.fields) || a.Type == ir.TypeNop || seen[f.fields[i].name] {
			continue
		}
		fld := f.fields[i]
		seen[fld.name] = true
		out = append(out, bpf.TracepointField{Name: fld.name, Offset: fld.off, Size: fld.size, Signed: fld.signed})
	}
	return out
}
