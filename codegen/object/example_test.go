package object_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/codegen/object"
)

// A program counting getpid calls in an array map, written as an object
// and read back the way a loader would.
func ExampleWrite() {
	u32 := &btf.Int{Name: "__u32", Size: 4}
	u64 := &btf.Int{Name: "__u64", Size: 8}
	obj := &object.Object{
		License: "GPL",
		Programs: []*object.Program{{
			Name:    "count_getpid",
			Section: "tracepoint/syscalls/sys_enter_getpid",
			Insns: asm.Instructions{
				asm.StoreImm(asm.RFP, -4, 0, asm.Word), // key 0
				asm.LoadMapPtr(asm.R1, 0).WithReference("calls"),
				asm.Mov.Reg(asm.R2, asm.RFP),
				asm.Add.Imm(asm.R2, -4),
				asm.FnMapLookupElem.Call(),
				asm.JEq.Imm(asm.R0, 0, "out"),
				asm.Mov.Imm(asm.R1, 1),
				asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
				asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
				asm.Return(),
			},
		}},
		Maps:  []*object.Map{{Name: "calls", Type: ebpf.Array, Key: u32, Value: u64, MaxEntries: 1}},
		Extra: []object.Section{{Name: ".polc.manifest", Data: []byte(`{"format":1}`)}},
	}

	var buf bytes.Buffer
	if err := object.Write(&buf, obj); err != nil {
		log.Fatal(err)
	}

	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		log.Fatal(err)
	}
	prog := spec.Programs["count_getpid"]
	fmt.Println(prog.SectionName, prog.Type, len(prog.Instructions), "instructions")
	calls := spec.Maps["calls"]
	fmt.Println(calls.Name, calls.Type, calls.KeySize, calls.ValueSize, calls.MaxEntries)
	// Output:
	// tracepoint/syscalls/sys_enter_getpid TracePoint 10 instructions
	// calls Array 4 8 1
}
