package fetch

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// How tracepoint fields are located.
//
// A policy names a tracepoint's field by its index in the format, the
// common_* fields included. Which field an index is depends on the kernel,
// so codegen maps indexes to fields from one of three sources, first that
// knows the tracepoint:
//
//  1. the fixed layout of raw_syscalls/* and syscalls/* events (with a
//     target, the target's format of syscalls/*, which names its
//     parameters); these are read at fixed offsets;
//  2. the target profile (polc build --target): the event's format, and
//     the kernel's trace_event_raw_* struct of its event class from the
//     profile's BTF;
//  3. polc's own table of a few sched/* events.
//
// Without any, the build fails and says to give a target: a field index
// cannot be turned into a name and a type without the kernel's format, and
// guessing would read the wrong field.
//
// Fields of an event with a raw struct are read through CO-RE relocations
// against it, so a bundle built for one kernel reads the same named fields
// on another whose layout differs. The struct is named after the
// TRACE_EVENT, or after the DECLARE_EVENT_CLASS for events made with
// DEFINE_EVENT (netif_receive_skb is a net_dev_template); nothing in BTF
// says which class an event has, so codegen takes the struct whose members
// are exactly the format's fields, at the format's offsets, preferring
// trace_event_raw_EVENT, then the class sharing most words with the event
// name. Every field read is recorded in the manifest, and polrun checks it
// against the running kernel's tracefs format before attaching: the field
// must be there with the same size and signedness, at the offset the
// program reads (a fixed offset, or the raw struct member's offset in the
// kernel's BTF). The index is resolved once, at build time: a bundle reads
// the field the policy meant on its target, by name, wherever that field
// is on the running kernel, and refuses to load where it is missing.

// tpField is a field of a tracepoint's format.
type tpField struct {
	target.Field
	// member is the field's member in the raw struct (the name, or
	// __data_loc_NAME for dynamic fields); "" when read at a fixed offset.
	member string
	// local is the member's type in the local declaration of the struct.
	local btf.Type
}

// kind is how the field is read.
func (f *tpField) kind() tpKind {
	switch {
	case f.IsDynamic():
		return tpDynamic
	case strings.HasSuffix(f.Type, "]"):
		return tpArray
	}
	return tpScalar
}

type tpKind int

const (
	tpScalar  tpKind = iota // an integer or pointer: loaded into a register
	tpArray                 // a fixed array in the record: its bytes
	tpDynamic               // __data_loc / __rel_loc: bytes after the fixed fields
)

// tpFormat is what codegen knows of a tracepoint's record.
type tpFormat struct {
	// raw is the local declaration of the kernel's trace_event_raw_*
	// struct, fields being read through CO-RE against it; nil when they
	// are read at fixed offsets.
	raw *btf.Struct
	// fields are the format's fields, the common ones first.
	fields []tpField
	// from says where the format came from, for messages.
	from string
}

// commonFields come first in every format; programs cannot read them.
const commonFields = 4

// CommonFormat are the common fields of every tracepoint format.
var CommonFormat = []target.Field{
	{Name: "common_type", Type: "unsigned short", Offset: 0, Size: 2},
	{Name: "common_flags", Type: "unsigned char", Offset: 2, Size: 1},
	{Name: "common_preempt_count", Type: "unsigned char", Offset: 3, Size: 1},
	{Name: "common_pid", Type: "int", Offset: 4, Size: 4, Signed: true},
}

// tracepointFormat returns what codegen knows of tracepoint event
// (SUBSYS/EVENT), or an error saying why it cannot locate its fields.
func (g *Plan) tracepointFormat(event string) (*tpFormat, error) {
	if f, ok := g.tpFormats[event]; ok {
		return f, nil
	}
	f, err := g.findFormat(event)
	if err != nil {
		return nil, err
	}
	if g.tpFormats == nil {
		g.tpFormats = map[string]*tpFormat{}
	}
	g.tpFormats[event] = f
	return f, nil
}

func (g *Plan) findFormat(event string) (*tpFormat, error) {
	subsys, name, _ := strings.Cut(event, "/")
	t := g.target
	var ev *target.Event
	if t != nil {
		e, err := t.Event(subsys, name)
		switch {
		case errors.Is(err, target.ErrNotFound):
			return nil, fmt.Errorf("%s has no tracepoint %s", t.Kernel(), event)
		case err == nil:
			ev = e
		}
	}
	if subsys == "syscalls" || subsys == "raw_syscalls" {
		if ev != nil && subsys == "syscalls" {
			return fixedFormat(ev.Fields, "the format of "+t.Kernel()), nil
		}
		if fields, ok := syscallLayout(event); ok {
			return fixedFormat(append(slices.Clone(CommonFormat), fields...), "the syscall tracepoints' fixed layout"), nil
		}
		if ev == nil {
			return nil, fmt.Errorf("tracepoint %s is not known to polc: give a target kernel (--target) that has it", event)
		}
	}
	if ev != nil {
		spec, err := t.Spec()
		if err != nil {
			// A profile without BTF: the format's offsets, checked at load.
			return fixedFormat(ev.Fields, "the format of "+t.Kernel()), nil
		}
		return rawFormat(ev, spec, t.Kernel())
	}
	if b, ok := target.BuiltinEvents[event]; ok {
		f := &tpFormat{from: "polc's table of " + event}
		var members []btf.Member
		members = append(members, btf.Member{Name: "ent", Type: &btf.Struct{Name: "trace_entry", Size: 8}})
		end := uint32(8)
		for _, fld := range append(slices.Clone(CommonFormat), b.Fields...) {
			tf := tpField{Field: fld}
			if fld.Offset >= 8 {
				tf.member, tf.local = memberName(fld), localFieldType(fld, nil)
				members = append(members, btf.Member{Name: tf.member, Type: tf.local, Offset: btf.Bits(fld.Offset * 8)})
				end = max(end, uint32(fld.Offset+fld.Size))
			}
			f.fields = append(f.fields, tf)
		}
		f.raw = &btf.Struct{Name: b.Raw, Size: (end + 7) &^ 7, Members: members}
		return f, nil
	}
	if t != nil {
		return nil, fmt.Errorf("tracepoint %s: the profile of %s has no tracepoint formats, which locating its fields needs", event, t.Kernel())
	}
	return nil, fmt.Errorf("tracepoint %s: its fields can only be located from the kernel's format: build with --target, a profile of the kernel it will run on (polrun profile -o FILE)", event)
}

// fixedFormat reads fields at the offsets of the format.
func fixedFormat(fields []target.Field, from string) *tpFormat {
	f := &tpFormat{from: from}
	for _, fld := range fields {
		f.fields = append(f.fields, tpField{Field: fld})
	}
	return f
}

// syscallLayout is the fixed layout of raw_syscalls/* and syscalls/*
// events after the common fields, where polc knows the syscall.
func syscallLayout(event string) ([]target.Field, bool) {
	switch event {
	case "raw_syscalls/sys_enter":
		return []target.Field{
			{Name: "id", Type: "long", Offset: 8, Size: 8, Signed: true},
			{Name: "args", Type: "unsigned long[6]", Offset: 16, Size: 48},
		}, true
	case "raw_syscalls/sys_exit":
		return []target.Field{
			{Name: "id", Type: "long", Offset: 8, Size: 8, Signed: true},
			{Name: "ret", Type: "long", Offset: 16, Size: 8, Signed: true},
		}, true
	}
	ev, ok := strings.CutPrefix(event, "syscalls/")
	if !ok {
		return nil, false
	}
	fields := []target.Field{{Name: "__syscall_nr", Type: "int", Offset: 8, Size: 4, Signed: true}}
	if name, ok := strings.CutPrefix(ev, "sys_enter_"); ok {
		params, known := arch.SyscallParams(name)
		if !known {
			return nil, false
		}
		// Every parameter takes 8 bytes, unsigned, whatever its C type.
		for i, p := range params {
			fields = append(fields, target.Field{Name: p.Name, Type: "unsigned long", Offset: 16 + 8*i, Size: 8})
		}
		return fields, true
	}
	if strings.HasPrefix(ev, "sys_exit_") {
		return append(fields, target.Field{Name: "ret", Type: "long", Offset: 16, Size: 8, Signed: true}), true
	}
	return nil, false
}

// memberName is the member of a trace_event_raw_* struct that holds field
// f: dynamic fields are __data_loc_NAME (__rel_loc_NAME).
func memberName(f target.Field) string {
	switch {
	case f.IsRelative():
		return "__rel_loc_" + f.Name
	case f.IsDynamic():
		return "__data_loc_" + f.Name
	}
	return f.Name
}

// rawFormat locates the fields of ev through its raw struct in spec, or at
// the format's offsets when the kernel has no struct that is exactly the
// format (tracepoints not made with TRACE_EVENT).
func rawFormat(ev *target.Event, spec *btf.Spec, kernel string) (*tpFormat, error) {
	kstruct := findRawStruct(ev, spec)
	if kstruct == nil {
		return fixedFormat(ev.Fields, "the format of "+kernel), nil
	}
	f := &tpFormat{from: fmt.Sprintf("the format of %s and its struct %s", kernel, kstruct.Name)}
	members := []btf.Member{{Name: "ent", Type: &btf.Struct{Name: "trace_entry", Size: 8}}}
	for _, fld := range ev.Fields {
		tf := tpField{Field: fld}
		if fld.Offset >= 8 {
			tf.member = memberName(fld)
			km, _ := memberAt(kstruct, tf.member, fld.Offset)
			tf.local = localFieldType(fld, km.Type)
			members = append(members, btf.Member{Name: tf.member, Type: tf.local, Offset: btf.Bits(fld.Offset * 8)})
		}
		f.fields = append(f.fields, tf)
	}
	f.raw = &btf.Struct{Name: kstruct.Name, Size: kstruct.Size, Members: members}
	return f, nil
}

// findRawStruct returns the trace_event_raw_* struct of spec whose members
// after the common header are exactly the fields of ev, or nil.
func findRawStruct(ev *target.Event, spec *btf.Spec) *btf.Struct {
	var direct *btf.Struct
	if err := spec.TypeByName("trace_event_raw_"+ev.Event, &direct); err == nil && rawStructMatches(direct, ev) {
		return direct
	}
	var best *btf.Struct
	bestScore := -1
	words := nameWords(ev.Subsystem + "_" + ev.Event)
	for t, err := range spec.All() {
		if err != nil {
			return nil
		}
		s, ok := t.(*btf.Struct)
		if !ok || !strings.HasPrefix(s.Name, "trace_event_raw_") || !rawStructMatches(s, ev) {
			continue
		}
		score := 0
		for w := range nameWords(strings.TrimPrefix(s.Name, "trace_event_raw_")) {
			if words[w] {
				score++
			}
		}
		if score > bestScore || score == bestScore && s.Name < best.Name {
			best, bestScore = s, score
		}
	}
	return best
}

func nameWords(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Split(s, "_") {
		if w != "" {
			m[w] = true
		}
	}
	return m
}

// rawStructMatches reports whether s is ev's record: the header, then
// exactly the format's fields at their offsets (and the __data marker).
func rawStructMatches(s *btf.Struct, ev *target.Event) bool {
	var ms []btf.Member
	for _, m := range s.Members {
		if m.Name != "ent" && m.Name != "__data" {
			ms = append(ms, m)
		}
	}
	var fields []target.Field
	for _, f := range ev.Fields {
		if f.Offset >= 8 {
			fields = append(fields, f)
		}
	}
	if len(ms) != len(fields) {
		return false
	}
	for i, f := range fields {
		if ms[i].Name != memberName(f) || int(ms[i].Offset/8) != f.Offset || ms[i].BitfieldSize != 0 {
			return false
		}
	}
	return true
}

// memberAt returns the member name of s at byte offset off.
func memberAt(s *btf.Struct, name string, off int) (btf.Member, bool) {
	for _, m := range s.Members {
		if m.Name == name && int(m.Offset/8) == off {
			return m, true
		}
	}
	return btf.Member{}, false
}

// localFieldType is the local type of a raw struct member holding field f:
// of the kernel member's kind when known (CO-RE matches members by name and
// kind: an int does not match an enum), else from the format.
func localFieldType(f target.Field, kernel btf.Type) btf.Type {
	intOf := func(size int, signed bool) *btf.Int {
		enc := btf.IntEncoding(0)
		if signed {
			enc = btf.Signed
		}
		return &btf.Int{Name: fmt.Sprintf("int%d", size*8), Size: uint32(size), Encoding: enc}
	}
	switch k := btf.UnderlyingType(kernel).(type) {
	case *btf.Enum:
		return &btf.Enum{Name: k.Name, Size: k.Size, Signed: k.Signed}
	case *btf.Pointer:
		return &btf.Pointer{Target: &btf.Void{}}
	case *btf.Array:
		elem := uint32(1)
		if sz, err := btf.Sizeof(k.Type); err == nil && sz > 0 {
			elem = uint32(sz)
		}
		return &btf.Array{Index: intOf(4, false), Type: intOf(int(elem), false), Nelems: k.Nelems}
	case *btf.Int:
		return intOf(int(k.Size), k.Encoding&btf.Signed != 0)
	}
	switch {
	case f.IsDynamic():
		return intOf(4, false)
	case strings.HasSuffix(f.Type, "]"):
		return &btf.Array{Index: intOf(4, false), Type: intOf(1, false), Nelems: uint32(f.Size)}
	case strings.HasSuffix(f.Type, "*"):
		return &btf.Pointer{Target: &btf.Void{}}
	}
	return intOf(f.Size, f.Signed)
}

// tpField returns the field argument a of tracepoint hook h reads.
func (g *Plan) tpField(h *ir.Hook, a *ir.Arg) (*tpFormat, *tpField, bool) {
	f, err := g.tracepointFormat(h.Target)
	if err != nil {
		g.errorf(h.Pos, "%v", err)
		return nil, nil, false
	}
	if a.Index < commonFields {
		g.errorf(a.Pos, "field %d of %s is a common field (common_type, common_flags, common_preempt_count, common_pid), which programs cannot read", a.Index, h.Target)
		return nil, nil, false
	}
	if a.Index >= len(f.fields) {
		g.errorf(a.Pos, "tracepoint %s has %d fields (in %s): index %d is out of range", h.Target, len(f.fields), f.from, a.Index)
		return nil, nil, false
	}
	return f, &f.fields[a.Index], true
}

// fieldOffset marks ins (a load or an ALU immediate) with the offset of
// field fld: a CO-RE relocation against the raw struct, or the fixed offset.
func fieldOffset(ins asm.Instruction, f *tpFormat, fld *tpField) asm.Instruction {
	if f.raw == nil || fld.member == "" {
		return ins
	}
	for i, m := range f.raw.Members {
		if m.Name == fld.member {
			return object.CORE(ins, f.raw, fmt.Sprintf("0:%d", i), object.FieldByteOffset)
		}
	}
	return ins
}

// loadTpField emits dst = scalar field fld, extended to 64 bits by its
// type; for an array of longs read as an integer (raw_syscalls/sys_enter's
// args with type uint64), its first element, as Tetragon reads it; for
// another fixed array read as an integer no wider than the array, its
// first bytes. It reports and returns false for other arrays and dynamic
// fields, which are not values.
func (p *Gen) loadTpField(dst asm.Register, a *ir.Arg, f *tpFormat, fld *tpField) bool {
	if fld.LongArray() > 0 && a.Type.IsInteger() {
		p.Emit(fieldOffset(asm.LoadMem(dst, prog.RCtx, int16(fld.Offset), asm.DWord), f, fld))
		return true
	}
	if n := a.Type.Size(); fld.kind() == tpArray && a.Type.IsInteger() && n > 0 && n <= fld.Size {
		// A fixed array read as an integer (tcp/tcp_destroy_sock's
		// "__u8 saddr[4]" as uint32): its first n bytes in the host's
		// byte order, as Tetragon reads the type's size at the field.
		// The array need not be aligned for n (saddr is at 22), and the
		// context is loaded only at aligned offsets: the bytes are
		// copied to the stack (clobbering R1-R5).
		size := map[int]asm.Size{1: asm.Byte, 2: asm.Half, 4: asm.Word, 8: asm.DWord}[n]
		p.Emit(
			asm.Mov.Reg(asm.R3, prog.RCtx),
			fieldOffset(asm.Add.Imm(asm.R3, int32(fld.Offset)), f, fld),
			asm.Mov.Imm(asm.R2, int32(n)),
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, prog.StTmp),
			emit.StoreImm(asm.RFP, prog.StTmp, 0, asm.DWord),
			asm.FnProbeReadKernel.Call(),
			asm.LoadMem(dst, asm.RFP, prog.StTmp, size),
		)
		p.Emit(emit.ExtendReg(dst, n, a.Type.Signed())...)
		return true
	}
	if fld.kind() != tpScalar || fld.Size > 8 || fld.Size&(fld.Size-1) != 0 {
		p.Errorf(a.Pos, "field %s of %s is %q, not a number or a pointer: read it as string, data_loc, char_buf or const_buf", fld.Name, p.Hook.Target, fld.Type)
		return false
	}
	size := map[int]asm.Size{1: asm.Byte, 2: asm.Half, 4: asm.Word, 8: asm.DWord}[fld.Size]
	p.Emit(fieldOffset(asm.LoadMem(dst, prog.RCtx, int16(fld.Offset), size), f, fld))
	p.Emit(emit.ExtendReg(dst, fld.Size, fld.Signed)...)
	return true
}

// TpLongs is the number of elements of the array of longs argument a of
// tracepoint hook h reads as const_buf (bpf.Arg.Longs), or 0.
func (g *Plan) TpLongs(h *ir.Hook, a *ir.Arg) int {
	if h.Kind != ir.HookTracepoint || a.Type != ir.TypeConstBuf {
		return 0
	}
	f, err := g.tracepointFormat(h.Target)
	if err != nil || a.Index < commonFields || a.Index >= len(f.fields) {
		return 0
	}
	return f.fields[a.Index].LongArray()
}

// TpFieldsRead lists the fields h's programs read, for the loader to check
// against the running kernel's format.
func (g *Plan) TpFieldsRead(h *ir.Hook) []bpf.TracepointField {
	if h.Kind != ir.HookTracepoint {
		return nil
	}
	f, err := g.tracepointFormat(h.Target)
	if err != nil {
		return nil
	}
	var out []bpf.TracepointField
	seen := map[string]bool{}
	for _, a := range h.Args {
		if a.Index < commonFields || a.Index >= len(f.fields) || a.Type == ir.TypeNop || seen[f.fields[a.Index].Name] {
			continue
		}
		fld := f.fields[a.Index]
		seen[fld.Name] = true
		tf := bpf.TracepointField{Name: fld.Name, Offset: fld.Offset, Size: fld.Size, Signed: fld.Signed && fld.kind() == tpScalar}
		if f.raw != nil && fld.member != "" {
			tf.Struct, tf.Member = f.raw.Name, fld.member
		}
		out = append(out, tf)
	}
	return out
}

// AutoType resolves a tracepoint argument of type auto to the type of its
// field (a copy of a; the IR is not changed), or reports why it cannot be
// read. The compiler resolves auto with a target; this is for the fields
// codegen knows without one.
func (g *Plan) AutoType(h *ir.Hook, a *ir.Arg) *ir.Arg {
	if h.Kind != ir.HookTracepoint {
		g.errorf(a.Pos, "type auto is for tracepoint fields")
		return nil
	}
	_, fld, ok := g.tpField(h, a)
	if !ok {
		return nil
	}
	name, err := target.AutoType(fld.Field, nil)
	if err != nil {
		g.errorf(a.Pos, "type auto: %v", err)
		return nil
	}
	t, _ := ir.ParseType(name)
	if t == ir.TypeCharBuf && a.SizeSlot == ir.NoSize {
		g.errorf(a.Pos, "type auto: field %s of %s is %q, a buffer whose length polc cannot tell: declare type string, or char_buf with sizeArgIndex", fld.Name, h.Target, fld.Type)
		return nil
	}
	c := *a
	c.Type = t
	return &c
}
