package object

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// TestMarshalErrors breaks a valid object in one way per case and checks
// that Marshal says what is wrong and where.
func TestMarshalErrors(t *testing.T) {
	prog := func(obj *Object) *Program { return obj.Programs[0] }
	for _, tc := range []struct {
		name    string
		breakIt func(obj *Object)
		want    string
	}{
		{"nil object", nil, "nil object"},
		{"empty license", func(o *Object) { o.License = "" }, "license is empty"},
		{"duplicate program", func(o *Object) { o.Programs[1].Name = "on_getpid" }, `program "on_getpid": name already used by a program`},
		{"map named like a function", func(o *Object) { o.Maps[0].Name = "count_event" }, `map "count_event": name already used by a function`},
		{"variable named like a map", func(o *Object) { o.Rodata[0].Name = "counts" }, `variable "counts": name already used by a map`},
		{"not an identifier", func(o *Object) { o.Maps[1].Name = "my-map" }, `map name "my-map" is not a C identifier`},
		{"duplicate section", func(o *Object) { o.Programs[1].Section = o.Programs[0].Section }, "section \"tracepoint/syscalls/sys_enter_getpid\" already used by program on_getpid"},
		{"reserved section", func(o *Object) { o.Programs[0].Section = ".rodata.str" }, `section name ".rodata.str" is reserved`},
		{"extra section without dot", func(o *Object) { o.Extra[0].Name = "manifest" }, "must start with a dot"},
		{"extra section reserved", func(o *Object) { o.Extra[0].Name = ".maps" }, `section name ".maps" is reserved`},
		{"empty program", func(o *Object) { prog(o).Insns = nil }, "program on_getpid has no instructions"},
		{"ringbuf with key", func(o *Object) { o.Maps[0].KeySize = 4 }, "map events: ring buffers have no keys or values"},
		{"key size disagrees", func(o *Object) { o.Maps[1].KeySize = 8 }, "map counts: key type __u32 has 4 bytes but key size is 8"},
		{"no map type", func(o *Object) { o.Maps[1].Type = ebpf.UnspecifiedMap }, "map counts: no map type"},
		{"variable value size", func(o *Object) { o.Rodata[1].Value = []byte{1} }, "variable polc_flags: value has 1 bytes, type __u32 has 4"},
		{"unknown map", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.LoadMapPtr(asm.R1, 0).WithReference("nosuchmap"), asm.Return()}
		}, `program on_getpid: instruction 0 (LoadMapPtr dst: r1 fd: 0 <nosuchmap>): reference to unknown map "nosuchmap"`},
		{"unknown variable", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.LoadMapValue(asm.R1, 0, 0).WithReference("nosuchvar"), asm.Return()}
		}, `reference to unknown variable "nosuchvar"`},
		{"variable offset outside .rodata", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.LoadMapValue(asm.R1, 0, 4).WithReference("polc_flags"), asm.Return()}
		}, `offset 4 of "polc_flags" is outside .rodata (12 bytes)`},
		{"unknown function", func(o *Object) {
			o.Funcs[0].Insns = asm.Instructions{asm.Call.Label("nosuchfunc"), asm.Return()}
		}, `function count_event: instruction 0 (Call -1 <nosuchfunc>): call to unknown function "nosuchfunc"`},
		{"calling a program", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.Call.Label("on_exit"), asm.Return()}
		}, `call to unknown function "on_exit"`},
		{"unknown label", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.JEq.Imm(asm.R1, 0, "nowhere"), asm.Return()}
		}, `instruction 0 (JEqImm dst: r1 off: -1 imm: 0 <nowhere>): jump to unknown label "nowhere"`},
		{"jump out of range", func(o *Object) {
			j := asm.JEq.Imm(asm.R1, 0, "")
			j.Offset = 5
			prog(o).Insns = asm.Instructions{j, asm.Mov.Imm(asm.R0, 0), asm.Return()}
		}, "instruction 0 (JEqImm dst: r1 off: 5 imm: 0): jump target 6 is out of range (function has 3 instruction slots)"},
		{"jump backwards out of range", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Ja.Label("").WithReference(""), asm.Return()}
			prog(o).Insns[1].Offset = -3
		}, "instruction 1 (Ja off: -3): jump target -1 is out of range"},
		{"jump into an ldimm64", func(o *Object) {
			j := asm.Ja.Label("")
			j.Offset = 1
			prog(o).Insns = asm.Instructions{j, asm.LoadImm(asm.R0, 1, asm.DWord), asm.Return()}
		}, "jump target 2 is out of range"},
		{"duplicate label", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.Mov.Imm(asm.R0, 0).WithSymbol("a"), asm.Return().WithSymbol("a")}
		}, `program on_getpid: label "a" defined twice`},
		{"reference on a plain instruction", func(o *Object) {
			prog(o).Insns = asm.Instructions{asm.Mov.Imm(asm.R0, 0).WithReference("counts"), asm.Return()}
		}, `reference "counts" on an instruction that cannot reference anything`},
		{"bad CO-RE accessor", func(o *Object) {
			prog(o).Insns = asm.Instructions{CORE(asm.Add.Imm(asm.R1, 0), taskStruct(), "0:7", FieldByteOffset), asm.Return()}
		}, `CO-RE byte_off task_struct[0:7]: accessor "0:7" in task_struct: task_struct has 3 members, no member 7`},
		{"CO-RE without a type", func(o *Object) {
			prog(o).Insns = asm.Instructions{CORE(asm.Add.Imm(asm.R1, 0), nil, "0:1", FieldByteOffset), asm.Return()}
		}, "CO-RE byte_off <nil>[0:1]: CO-RE relocation without a local type"},
		{"CO-RE on a jump", func(o *Object) {
			prog(o).Insns = asm.Instructions{CORE(asm.Return(), taskStruct(), "0:1", FieldByteOffset)}
		}, "only loads, stores, ALU immediates and 64-bit constants can be relocated"},
		{"CO-RE instruction edited afterwards", func(o *Object) {
			ins := CORE(asm.LoadMem(asm.R1, asm.R1, 0, asm.Word), taskStruct(), "0:1", FieldByteOffset)
			ins.Offset = 0
			prog(o).Insns = asm.Instructions{ins, asm.Return()}
		}, "CO-RE byte_off task_struct[0:1]: instruction carries 0, the local type says 4"},
		{"CO-RE enum value of a struct", func(o *Object) {
			prog(o).Insns = asm.Instructions{CORE(asm.LoadImm(asm.R1, 0, asm.DWord), taskStruct(), "0", EnumValue), asm.Return()}
		}, "enum relocation against task_struct, which is not an enum"},
		{"line number too large", func(o *Object) {
			prog(o).Insns[0] = prog(o).Insns[0].WithSource(Line{Line: 1 << 22})
		}, "line 4194304 column 0 out of range"},
		{"kfunc call", func(o *Object) {
			prog(o).Insns = asm.Instructions{{OpCode: asm.OpCode(asm.JumpClass).SetJumpOp(asm.Call), Src: asm.PseudoKfuncCall, Constant: -1}, asm.Return()}
		}, "kfunc calls are not supported"},
		{"nil variable type", func(o *Object) { o.Rodata[0].Type = nil }, "variable polc_policy_id has no type"},
		{"void key", func(o *Object) { o.Maps[1].Key = &btf.Void{} }, "map counts: key type *btf.Void has size 0"},
		{"unsized value", func(o *Object) { o.Maps[1].Value = &btf.Fwd{Name: "opaque"} }, "map counts: value type:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var obj *Object
			if tc.breakIt != nil {
				obj = roundTripObject()
				tc.breakIt(obj)
			}
			_, err := Marshal(obj)
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestLocalValue checks the local values CORE computes for each kind.
func TestLocalValue(t *testing.T) {
	s32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	u16 := &btf.Int{Name: "u16", Size: 2}
	inner := &btf.Struct{Name: "inner", Size: 8, Members: []btf.Member{
		{Name: "a", Type: u16, Offset: 0},
		{Name: "b", Type: &btf.Array{Index: s32, Type: u16, Nelems: 3}, Offset: 16},
	}}
	outer := &btf.Struct{Name: "outer", Size: 24, Members: []btf.Member{
		{Name: "x", Type: s32, Offset: 0},
		{Name: "in", Type: &btf.Typedef{Name: "inner_t", Type: inner}, Offset: 64},
		{Name: "y", Type: &btf.Const{Type: s32}, Offset: 128},
	}}
	mode := &btf.Enum{Name: "mode", Size: 4, Values: []btf.EnumValue{{Name: "A", Value: 3}, {Name: "B", Value: 9}}}
	for _, tc := range []struct {
		typ      btf.Type
		accessor string
		kind     COREKind
		want     uint64
	}{
		{outer, "0:0", FieldByteOffset, 0},
		{outer, "0:1", FieldByteOffset, 8},
		{outer, "0:1:1", FieldByteOffset, 10},
		{outer, "0:1:1:2", FieldByteOffset, 14},
		{outer, "1:2", FieldByteOffset, 24 + 16},
		{outer, "0:1", FieldByteSize, 8},
		{outer, "0:1:1", FieldByteSize, 6},
		{outer, "0:2", FieldSigned, 1},
		{outer, "0:1:0", FieldSigned, 0},
		{outer, "0:2", FieldExists, 1},
		{outer, "0", TypeSize, 24},
		{outer, "0", TypeExists, 1},
		{outer, "0", TypeMatches, 1},
		{mode, "1", EnumValue, 9},
		{mode, "0", EnumValueExists, 1},
	} {
		relo := CORERelocation{Local: tc.typ, Accessor: tc.accessor, Kind: tc.kind}
		got, err := relo.LocalValue()
		if err != nil {
			t.Errorf("%s: %v", &relo, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s = %d, want %d", &relo, got, tc.want)
		}
	}

	ins := CORE(asm.LoadMem(asm.R1, asm.R2, 0, asm.Half), outer, "0:1:1:2", FieldByteOffset)
	if ins.Offset != 14 {
		t.Errorf("CORE set the load offset to %d, want 14", ins.Offset)
	}
	if r := CORERelocationOf(ins); r == nil || r.Accessor != "0:1:1:2" || r.Kind != FieldByteOffset || r.Local != outer {
		t.Errorf("CORERelocationOf = %v", r)
	}
	if r := CORERelocationOf(asm.Return()); r != nil {
		t.Errorf("CORERelocationOf(exit) = %v, want nil", r)
	}
}
