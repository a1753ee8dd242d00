package object

import (
	"bytes"
	"errors"
	"os"
	"runtime"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/internal/testenv"
)

// seen is the value coreObject's program stores per thread.
type seen struct {
	Pid, Tgid, ParentTgid, Target, Loops uint32
}

// coreObject reads current->pid, current->tgid and
// current->real_parent->tgid through CO-RE against taskStruct, whose
// offsets (0, 4, 8) are not the kernel's, and stores them in a hash map
// keyed by thread ID, for the threads of the process target_tgid only. It
// also counts three bpf_loop iterations in a callback, to exercise function
// address relocations.
//
// Stack: key at fp-4, value (five __u32) at fp-32, real_parent at fp-40.
func coreObject() *Object {
	task := taskStruct()
	u32 := &btf.Int{Name: "__u32", Size: 4}
	seenType := &btf.Struct{Name: "polc_seen", Size: 20, Members: []btf.Member{
		{Name: "pid", Type: u32, Offset: 0},
		{Name: "tgid", Type: u32, Offset: 32},
		{Name: "parent_tgid", Type: u32, Offset: 64},
		{Name: "target", Type: u32, Offset: 96},
		{Name: "loops", Type: u32, Offset: 128},
	}}

	// readField reads size bytes at r6 + offsetof(accessor) into fp+dst.
	readField := func(base asm.Register, dst int32, size int32, accessor string) asm.Instructions {
		return asm.Instructions{
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, dst),
			asm.Mov.Imm(asm.R2, size),
			asm.Mov.Reg(asm.R3, base),
			CORE(asm.Add.Imm(asm.R3, 0), task, accessor, FieldByteOffset),
			asm.Call.Label("read_kernel"),
		}
	}

	insns := asm.Instructions{
		asm.FnGetCurrentPidTgid.Call().WithSource(Line{File: "core.yaml", Line: 1, Text: "tracepoint: syscalls/sys_enter_getpid"}),
		asm.Mov.Reg(asm.R7, asm.R0),
		asm.Mov.Reg(asm.R8, asm.R0),
		asm.RSh.Imm(asm.R8, 32),
		asm.LoadMapValue(asm.R1, 0, 0).WithReference("target_tgid"),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.JNE.Reg(asm.R8, asm.R1, "out"),
		asm.StoreMem(asm.RFP, -4, asm.R7, asm.Word), // key: thread ID
		asm.Mov.Imm(asm.R1, 0),
		asm.StoreMem(asm.RFP, -40, asm.R1, asm.DWord),
		asm.StoreMem(asm.RFP, -32, asm.R1, asm.DWord),
		asm.StoreMem(asm.RFP, -24, asm.R1, asm.DWord),
		asm.StoreMem(asm.RFP, -16, asm.R1, asm.DWord),
		asm.FnGetCurrentTask.Call(),
		asm.Mov.Reg(asm.R6, asm.R0),
	}
	insns = append(insns, readField(asm.R6, -32, 4, "0:0")...) // pid
	insns = append(insns, readField(asm.R6, -28, 4, "0:1")...) // tgid
	insns = append(insns, readField(asm.R6, -40, 8, "0:2")...) // real_parent
	insns = append(insns, asm.LoadMem(asm.R9, asm.RFP, -40, asm.DWord))
	insns = append(insns, readField(asm.R9, -24, 4, "0:1")...) // real_parent->tgid
	insns = append(insns,
		asm.LoadMapValue(asm.R1, 0, 0).WithReference("target_tgid"),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.StoreMem(asm.RFP, -20, asm.R1, asm.Word),
		// bpf_loop(3, count_loop, &value.loops, 0)
		asm.Mov.Imm(asm.R1, 3),
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference("count_loop"),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, -16),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		asm.LoadMapPtr(asm.R1, 0).WithReference("seen"),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, -32),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnMapUpdateElem.Call(),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	)

	return &Object{
		License: "GPL",
		Programs: []*Program{{
			Name: "getpid_core", Section: "tracepoint/syscalls/sys_enter_getpid", Insns: insns,
		}},
		Funcs: []*Func{{Name: "read_kernel", Insns: asm.Instructions{
			// r1 = dst, r2 = size, r3 = kernel pointer: the helper's own arguments.
			asm.FnProbeReadKernel.Call(),
			asm.Return(),
		}}, {Name: "count_loop", Insns: asm.Instructions{
			// bpf_loop callback: r1 = index, r2 = pointer to the counter.
			asm.LoadMem(asm.R1, asm.R2, 0, asm.Word),
			asm.Add.Imm(asm.R1, 1),
			asm.StoreMem(asm.R2, 0, asm.R1, asm.Word),
			asm.Mov.Imm(asm.R0, 0),
			asm.Return(),
		}}},
		Maps:   []*Map{{Name: "seen", Type: ebpf.Hash, Key: u32, Value: seenType, MaxEntries: 64}},
		Rodata: []*Var{{Name: "target_tgid", Type: u32}},
		Extra:  []Section{{Name: ".polc.manifest", Data: []byte(`{"test":"core"}`)}},
	}
}

// TestCORE loads coreObject into the kernel with cilium/ebpf, which
// performs the CO-RE relocations against the kernel's BTF, and checks that
// the program read the right task_struct fields.
func TestCORE(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF)

	data, err := Marshal(coreObject())
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}

	// The object carries the local offsets, which are wrong for the kernel.
	var local []int64
	for _, ins := range spec.Programs["getpid_core"].Instructions {
		if btf.CORERelocationMetadata(&ins) != nil {
			local = append(local, ins.Constant)
		}
	}
	if want := []int64{0, 4, 8, 4}; !equalInts(local, want) {
		t.Fatalf("CO-RE instructions carry %v, want the local offsets %v", local, want)
	}

	// Only the variable makes the program record anything.
	if err := spec.Variables["target_tgid"].Set(uint32(os.Getpid())); err != nil {
		t.Fatal(err)
	}

	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) {
			t.Fatalf("verifier: %+v", verr)
		}
		t.Fatal(err)
	}
	defer coll.Close()

	tp, err := link.Tracepoint("syscalls", "sys_enter_getpid", coll.Programs["getpid_core"], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := unix.Gettid()
	pid := unix.Getpid()

	var got seen
	if err := coll.Maps["seen"].Lookup(uint32(tid), &got); err != nil {
		t.Fatalf("no entry for thread %d: %v", tid, err)
	}
	want := seen{Pid: uint32(tid), Tgid: uint32(pid), ParentTgid: uint32(os.Getppid()), Target: uint32(os.Getpid()), Loops: 3}
	if got != want {
		t.Errorf("program saw %+v, want %+v", got, want)
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
