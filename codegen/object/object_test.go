package object

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// taskStruct is a minimal local task_struct whose offsets are deliberately
// not the kernel's: only CO-RE makes reads through it right.
func taskStruct() *btf.Struct {
	s32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	task := &btf.Struct{Name: "task_struct", Size: 16}
	task.Members = []btf.Member{
		{Name: "pid", Type: s32, Offset: 0},
		{Name: "tgid", Type: s32, Offset: 32},
		{Name: "real_parent", Type: &btf.Pointer{Target: task}, Offset: 64},
	}
	return task
}

const manifest = `{"format":1,"policy":"roundtrip"}`

// roundTripObject has two programs sharing a function, three kinds of maps,
// two read-only variables, CO-RE, line info and an extra section.
func roundTripObject() *Object {
	u32 := &btf.Int{Name: "__u32", Size: 4}
	u64 := &btf.Int{Name: "__u64", Size: 8}
	proc := &btf.Struct{Name: "polc_proc", Size: 16, Members: []btf.Member{
		{Name: "ppid", Type: u32, Offset: 0},
		{Name: "flags", Type: u32, Offset: 32},
		{Name: "start", Type: u64, Offset: 64},
	}}
	task := taskStruct()

	countEvent := asm.Instructions{
		// r1 = pointer to a __u32 key on the caller's stack
		asm.Mov.Reg(asm.R2, asm.R1).WithSource(Line{File: "policy.yaml", Line: 12, Column: 5, Text: "matchArgs:"}),
		asm.LoadMapPtr(asm.R1, 0).WithReference("counts"),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "out"),
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	}
	onGetpid := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMapValue(asm.R1, 0, 0).WithReference("polc_policy_id"),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord),
		asm.LoadMapValue(asm.R2, 0, 0).WithReference("polc_flags"),
		asm.LoadMem(asm.R2, asm.R2, 0, asm.Word),
		asm.StoreMem(asm.RFP, -4, asm.R2, asm.Word),
		CORE(asm.Add.Imm(asm.R6, 0), task, "0:2", FieldByteOffset).
			WithSource(Line{File: "policy.yaml", Line: 20, Text: "- index: 0"}),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, -4),
		asm.Call.Label("count_event"),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference("count_event"),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	}
	onExit := asm.Instructions{
		asm.LoadMapPtr(asm.R1, 0).WithReference("events"),
		asm.Mov.Imm(asm.R2, 8),
		asm.Mov.Imm(asm.R3, 0),
		asm.FnRingbufReserve.Call(),
		asm.JEq.Imm(asm.R0, 0, "done"),
		asm.StoreImm(asm.R0, 0, 1, asm.Word),
		asm.Mov.Reg(asm.R1, asm.R0),
		asm.Mov.Imm(asm.R2, 0),
		asm.FnRingbufSubmit.Call(),
		asm.StoreImm(asm.RFP, -4, 2, asm.Word).WithSymbol("done"),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, -4),
		asm.Call.Label("count_event"),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	}

	return &Object{
		License: "GPL",
		Programs: []*Program{
			{Name: "on_getpid", Section: "tracepoint/syscalls/sys_enter_getpid", Insns: onGetpid},
			{Name: "on_exit", Section: "raw_tracepoint/sys_exit", Insns: onExit},
		},
		Funcs: []*Func{{Name: "count_event", Insns: countEvent}},
		Maps: []*Map{
			{Name: "events", Type: ebpf.RingBuf, MaxEntries: 1 << 16},
			{Name: "counts", Type: ebpf.Hash, Key: u32, Value: u64, MaxEntries: 64},
			{Name: "polc_procs", Type: ebpf.LRUHash, KeySize: 4, Value: proc, MaxEntries: 1024, Flags: 0, Pinning: ebpf.PinByName},
		},
		Rodata: []*Var{
			{Name: "polc_policy_id", Type: u64, Value: binary.LittleEndian.AppendUint64(nil, 42)},
			{Name: "polc_flags", Type: u32},
		},
		Extra: []Section{{Name: ".polc.manifest", Data: []byte(manifest)}},
	}
}

func TestRoundTrip(t *testing.T) {
	obj := roundTripObject()
	data, err := Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Marshal(roundTripObject())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Error("the same object marshalled twice gives different bytes")
	}
	var buf bytes.Buffer
	if err := Write(&buf, obj); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, buf.Bytes()) {
		t.Error("Write and Marshal disagree")
	}

	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("cilium/ebpf cannot read the object: %v", err)
	}

	t.Run("programs", func(t *testing.T) {
		for _, want := range []struct {
			name, section string
			typ           ebpf.ProgramType
			attachTo      string
		}{
			{"on_getpid", "tracepoint/syscalls/sys_enter_getpid", ebpf.TracePoint, "syscalls/sys_enter_getpid"},
			{"on_exit", "raw_tracepoint/sys_exit", ebpf.RawTracepoint, "sys_exit"},
		} {
			p := spec.Programs[want.name]
			if p == nil {
				t.Fatalf("program %s missing; have %v", want.name, keys(spec.Programs))
			}
			if p.SectionName != want.section || p.Type != want.typ || p.AttachTo != want.attachTo || p.License != "GPL" {
				t.Errorf("program %s: section %q type %v attach %q license %q", want.name, p.SectionName, p.Type, p.AttachTo, p.License)
			}
		}
		if len(spec.Programs) != 2 {
			t.Errorf("got programs %v, want on_getpid and on_exit", keys(spec.Programs))
		}
	})

	t.Run("instructions", func(t *testing.T) {
		// What cilium/ebpf makes of the object: jumps resolved, the called
		// function appended, ELF relocations turned back into references.
		countEvent := asm.Instructions{
			asm.Mov.Reg(asm.R2, asm.R1),
			asm.LoadMapPtr(asm.R1, 0),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, "").WithReference(""),
			asm.Mov.Imm(asm.R1, 1),
			asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
			asm.Mov.Imm(asm.R0, 0),
			asm.Return(),
		}
		countEvent[3].Offset = 2
		onGetpid := asm.Instructions{
			asm.Mov.Reg(asm.R6, asm.R1),
			asm.LoadMapValue(asm.R1, 0, 0),
			asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord),
			asm.LoadMapValue(asm.R2, 0, 8), // polc_flags is at .rodata+8
			asm.LoadMem(asm.R2, asm.R2, 0, asm.Word),
			asm.StoreMem(asm.RFP, -4, asm.R2, asm.Word),
			asm.Add.Imm(asm.R6, 8), // task_struct.real_parent in the local type
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, -4),
			asm.Call.Label(""),
			{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1},
			asm.Mov.Imm(asm.R0, 0),
			asm.Return(),
		}
		onExit := asm.Instructions{
			asm.LoadMapPtr(asm.R1, 0),
			asm.Mov.Imm(asm.R2, 8),
			asm.Mov.Imm(asm.R3, 0),
			asm.FnRingbufReserve.Call(),
			asm.JEq.Imm(asm.R0, 0, ""),
			asm.StoreImm(asm.R0, 0, 1, asm.Word),
			asm.Mov.Reg(asm.R1, asm.R0),
			asm.Mov.Imm(asm.R2, 0),
			asm.FnRingbufSubmit.Call(),
			asm.StoreImm(asm.RFP, -4, 2, asm.Word),
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, -4),
			asm.Call.Label(""),
			asm.Mov.Imm(asm.R0, 0),
			asm.Return(),
		}
		onExit[4].Offset = 4
		ignoreMeta := cmpopts.IgnoreFields(asm.Instruction{}, "Metadata")
		for name, want := range map[string]asm.Instructions{
			"on_getpid": append(onGetpid, countEvent...),
			"on_exit":   append(onExit, countEvent...),
		} {
			got := spec.Programs[name].Instructions
			if diff := cmp.Diff(want, got, ignoreMeta); diff != "" {
				t.Errorf("%s instructions (-want +got):\n%s\ngot:\n%v", name, diff, got)
			}
		}

		// References, function and line info, CO-RE.
		got := spec.Programs["on_getpid"].Instructions
		refs := map[int]string{1: ".rodata", 3: ".rodata", 9: "count_event", 10: "count_event", 13 + 1: "counts"}
		for i, want := range refs {
			if got[i].Reference() != want {
				t.Errorf("on_getpid instruction %d (%v) references %q, want %q", i, got[i], got[i].Reference(), want)
			}
		}
		if fn := btf.FuncMetadata(&got[0]); fn == nil || fn.Name != "on_getpid" || fn.Linkage != btf.GlobalFunc {
			t.Errorf("on_getpid func info: %v", fn)
		}
		if fn := btf.FuncMetadata(&got[13]); fn == nil || fn.Name != "count_event" || fn.Linkage != btf.StaticFunc {
			t.Errorf("count_event func info: %v", fn)
		}
		if got[13].Symbol() != "count_event" {
			t.Errorf("count_event starts without its symbol: %q", got[13].Symbol())
		}
		relo := btf.CORERelocationMetadata(&got[6])
		if relo == nil || !strings.Contains(relo.String(), "byte_off") || !strings.Contains(relo.String(), "[0:2]") ||
			!strings.Contains(relo.String(), "task_struct") {
			t.Errorf("CO-RE relocation on instruction 6: %v", relo)
		}
		for i := range got {
			if i != 6 && btf.CORERelocationMetadata(&got[i]) != nil {
				t.Errorf("unexpected CO-RE relocation on instruction %d", i)
			}
		}
		line, ok := got[6].Source().(*btf.Line)
		if !ok || line.FileName() != "policy.yaml" || line.LineNumber() != 20 || line.Line() != "- index: 0" {
			t.Errorf("line info of instruction 6: %#v", got[6].Source())
		}
		line, ok = got[13].Source().(*btf.Line)
		if !ok || line.LineNumber() != 12 || line.LineColumn() != 5 || line.Line() != "matchArgs:" {
			t.Errorf("line info of count_event: %#v", got[13].Source())
		}
	})

	t.Run("maps", func(t *testing.T) {
		for _, want := range []struct {
			name                string
			typ                 ebpf.MapType
			key, value, entries uint32
			pin                 ebpf.PinType
			keyType, valueType  string
		}{
			{"events", ebpf.RingBuf, 0, 0, 1 << 16, ebpf.PinNone, "", ""},
			{"counts", ebpf.Hash, 4, 8, 64, ebpf.PinNone, "__u32", "__u64"},
			{"polc_procs", ebpf.LRUHash, 4, 16, 1024, ebpf.PinByName, "", "polc_proc"},
		} {
			m := spec.Maps[want.name]
			if m == nil {
				t.Fatalf("map %s missing; have %v", want.name, keys(spec.Maps))
			}
			if m.Type != want.typ || m.KeySize != want.key || m.ValueSize != want.value ||
				m.MaxEntries != want.entries || m.Pinning != want.pin {
				t.Errorf("map %s: %v key %d value %d entries %d pin %v", want.name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Pinning)
			}
			if name := btfName(m.Key); name != want.keyType {
				t.Errorf("map %s: key type %q, want %q", want.name, name, want.keyType)
			}
			if name := btfName(m.Value); name != want.valueType {
				t.Errorf("map %s: value type %q, want %q", want.name, name, want.valueType)
			}
		}
		ro := spec.Maps[".rodata"]
		if ro == nil || ro.Type != ebpf.Array || ro.ValueSize != 12 || ro.MaxEntries != 1 {
			t.Errorf(".rodata map: %v", ro)
		}
	})

	t.Run("variables", func(t *testing.T) {
		for _, want := range []struct {
			name   string
			offset uint32
			value  []byte
		}{
			{"polc_policy_id", 0, binary.LittleEndian.AppendUint64(nil, 42)},
			{"polc_flags", 8, make([]byte, 4)},
		} {
			v := spec.Variables[want.name]
			if v == nil {
				t.Fatalf("variable %s missing; have %v", want.name, keys(spec.Variables))
			}
			if v.SectionName != ".rodata" || v.Offset != want.offset || !v.Constant() || !bytes.Equal(v.Value, want.value) {
				t.Errorf("variable %s: section %s offset %d constant %v value %x", want.name, v.SectionName, v.Offset, v.Constant(), v.Value)
			}
			if v.Type == nil || v.Type.Name != want.name {
				t.Errorf("variable %s: BTF %v", want.name, v.Type)
			}
		}
	})

	t.Run("extra section", func(t *testing.T) {
		f, err := elf.NewFile(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		sec := f.Section(".polc.manifest")
		if sec == nil {
			t.Fatal("no .polc.manifest section")
		}
		got, err := sec.Data()
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != manifest {
			t.Errorf("manifest %q, want %q", got, manifest)
		}
		if sec.Flags&elf.SHF_ALLOC != 0 {
			t.Error("manifest section is allocated")
		}
	})
}

// TestMarshalDoesNotModify checks that Marshal leaves the caller's
// instructions alone: codegen prints them after writing.
func TestMarshalDoesNotModify(t *testing.T) {
	obj := roundTripObject()
	before := obj.Programs[0].Insns.String()
	if _, err := Marshal(obj); err != nil {
		t.Fatal(err)
	}
	if after := obj.Programs[0].Insns.String(); after != before {
		t.Errorf("instructions changed:\n%s\nafter:\n%s", before, after)
	}
}

func btfName(t btf.Type) string {
	if t == nil {
		return ""
	}
	return t.TypeName()
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestSparseObjects checks objects without functions, maps or variables,
// and one without code (so without .BTF.ext), through cilium/ebpf.
func TestSparseObjects(t *testing.T) {
	ret0 := asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}
	for name, obj := range map[string]*Object{
		"program only": {License: "GPL", Programs: []*Program{{Name: "p", Section: "tracepoint/sched/sched_process_exec", Insns: ret0}}},
		"maps only":    {License: "GPL", Maps: []*Map{{Name: "events", Type: ebpf.RingBuf, MaxEntries: 4096, Pinning: ebpf.PinByName}}},
	} {
		t.Run(name, func(t *testing.T) {
			data, err := Marshal(obj)
			if err != nil {
				t.Fatal(err)
			}
			spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if len(spec.Programs) != len(obj.Programs) || len(spec.Maps) != len(obj.Maps) || len(spec.Variables) != 0 {
				t.Errorf("read back %d programs, %d maps, %d variables", len(spec.Programs), len(spec.Maps), len(spec.Variables))
			}
			f, err := elf.NewFile(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			for _, absent := range []string{".text", ".rodata"} {
				if f.Section(absent) != nil {
					t.Errorf("empty section %s written", absent)
				}
			}
			if hasCode := len(obj.Programs) > 0; (f.Section(".BTF.ext") != nil) != hasCode {
				t.Errorf(".BTF.ext present: %v, want %v", !hasCode, hasCode)
			}
		})
	}
}
