package bench

import (
	"fmt"
	"os"
	"strconv"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// The ladder: hand-written programs (cilium/ebpf/asm) that each do one
// more of the steps the generated program takes before it can reject a
// raw_syscalls/sys_enter event, so that the rejected event's cost can be
// shared out between them. Each rung includes the ones before it.
//
// Both the tracepoint's record and the raw tracepoint's argument array
// hold the syscall id at offset 8, so every program works on either hook.

// LadderStep is one rung.
type LadderStep struct {
	Name string
	What string // what it adds, for the report
}

// Ladder lists the rungs in order.
var Ladder = []LadderStep{
	{"scratch", "look up the per-CPU scratch record (polc_rec)"},
	{"pid", "+ bpf_get_current_pid_tgid"},
	{"proctable", "+ look up the process in the process table (polc_procs, a 131072-entry hash)"},
	{"copy", "+ copy the 352-byte table entry into the record (bpf_probe_read_kernel)"},
	{"clock", "+ bpf_ktime_get_boot_ns for the record's header"},
	{"lean", "a lean rejection: scratch, pid, table lookup, then the three selectors' tests on the table entry in place and on the syscall id, no copy, no clock"},
	{"taskstorage", "scratch, pid, then the process's entry from task storage (BPF_MAP_TYPE_TASK_STORAGE, bpf_get_current_task_btf) instead of the hash table"},
	{"noprealloc", "scratch, pid, then the table lookup in a hash created as polrun creates the base's process table (BPF_F_NO_PREALLOC, sized from kernel.pid_max and threads-max) instead of the preallocated 131072-entry one"},
	{"cached", "the lean rejection with the process filters' verdict cached per CPU: scratch, pid, a per-CPU entry {tgid, generation, selector bits} and a generation (both arrays, lookups inlined: polc's program reads the process's own generation, one array entry as here); the table only on a miss"},
}

// ladderMaps are the maps the rungs use: a process table and a scratch
// record made like the policy's. The table holds an entry for every
// process, as the base's does, this one's with its binary.
type ladderMaps struct {
	procs, scratch, task *ebpf.Map
	// procsNP is the table as the loader creates the base's
	// (loader.ProcsTableEntries, BPF_F_NO_PREALLOC), for the noprealloc
	// rung.
	procsNP *ebpf.Map
	// cache (per-CPU) and gen (one uint64) for the cached rung.
	cache, gen *ebpf.Map
}

func newLadderMaps(b *loader.Bundle) (m ladderMaps, err error) {
	defer func() {
		if err != nil {
			m.close()
		}
	}()
	rec, procs := b.Spec.Maps["polc_rec"], b.Spec.Maps[bpf.ProcsMap]
	if rec == nil || procs == nil {
		return m, fmt.Errorf("bundle %s has no polc_rec or %s", b.Name(), bpf.ProcsMap)
	}
	rs := rec.Copy()
	rs.Name = "bench_rec"
	if m.scratch, err = ebpf.NewMap(rs); err != nil {
		return m, fmt.Errorf("create scratch record: %w", err)
	}
	ps := procs.Copy()
	ps.Name, ps.Pinning = "bench_procs", ebpf.PinNone
	if m.procs, err = ebpf.NewMap(ps); err != nil {
		return m, fmt.Errorf("create process table: %w", err)
	}
	np := procs.Copy()
	np.Name, np.Pinning = "bench_procs_np", ebpf.PinNone
	np.MaxEntries, np.Flags = loader.ProcsTableEntries("/proc"), np.Flags|unix.BPF_F_NO_PREALLOC
	if m.procsNP, err = ebpf.NewMap(np); err != nil {
		return m, fmt.Errorf("create process table without preallocation: %w", err)
	}
	// Task storage needs BTF for its key and value.
	if m.task, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_task", Type: ebpf.TaskStorage, KeySize: 4,
		ValueSize: bpf.ProcSize, Flags: unix.BPF_F_NO_PREALLOC,
		Key:   &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed},
		Value: &btf.Array{Type: &btf.Int{Name: "char", Size: 1}, Index: &btf.Int{Name: "int", Size: 4}, Nelems: bpf.ProcSize},
	}); err != nil {
		return m, fmt.Errorf("create task storage: %w", err)
	}
	if m.cache, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_cache", Type: ebpf.PerCPUArray, KeySize: 4,
		ValueSize: 16, MaxEntries: 1}); err != nil {
		return m, fmt.Errorf("create verdict cache: %w", err)
	}
	if m.gen, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_gen", Type: ebpf.Array, KeySize: 4,
		ValueSize: 8, MaxEntries: 1}); err != nil {
		return m, fmt.Errorf("create exec generation: %w", err)
	}
	pids, err := os.ReadDir("/proc")
	if err != nil {
		return m, fmt.Errorf("list processes: %w", err)
	}
	var entry bpf.Proc
	for _, d := range pids {
		pid, err := strconv.ParseUint(d.Name(), 10, 32)
		if err != nil {
			continue
		}
		entry = bpf.Proc{Tgid: uint32(pid)}
		if pid == uint64(os.Getpid()) {
			exe, _ := os.Executable()
			entry.BinaryLen = uint32(copy(entry.Binary[:bpf.BinaryMax-1], exe))
		}
		for _, t := range []*ebpf.Map{m.procs, m.procsNP} {
			if err := t.Put(uint32(pid), &entry); err != nil {
				return m, fmt.Errorf("fill process table: %w", err)
			}
		}
	}
	return m, nil
}

func (m ladderMaps) close() {
	for _, mp := range []*ebpf.Map{m.procs, m.procsNP, m.scratch, m.task, m.cache, m.gen} {
		if mp != nil {
			mp.Close()
		}
	}
}

// Stack slots of the ladder programs.
const (
	slotKey = -8  // uint32 map key
	slotRec = -56 // 48-byte record for the ring buffer variant
	slotGen = -16 // the exec generation, in the cached rung
)

// ladderProgram builds rung n (an index into Ladder).
func ladderProgram(n int, typ ebpf.ProgramType, m ladderMaps) (*ebpf.Program, error) {
	step := Ladder[n].Name
	lean := step == "lean"
	// upTo: the cumulative rungs include every step up to theirs; the lean
	// one keeps only what a rejection needs, the task storage one replaces
	// the table lookup.
	upTo := func(name string) bool {
		switch step {
		case "lean":
			return name == "pid" || name == "proctable"
		case "taskstorage", "cached", "noprealloc":
			return name == "pid"
		}
		for i := 0; i <= n; i++ {
			if Ladder[i].Name == name {
				return true
			}
		}
		return false
	}
	insns := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		// scratch
		asm.StoreImm(asm.RFP, slotKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, m.scratch.FD()),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, slotKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "exit"),
		asm.Mov.Reg(asm.R9, asm.R0),
	}
	if upTo("pid") {
		insns = append(insns,
			asm.FnGetCurrentPidTgid.Call(),
			asm.Mov.Reg(asm.R8, asm.R0),
			asm.RSh.Imm(asm.R8, 32),
		)
	}
	if upTo("proctable") {
		insns = append(insns,
			asm.StoreMem(asm.RFP, slotKey, asm.R8, asm.Word),
			asm.LoadMapPtr(asm.R1, m.procs.FD()),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, slotKey),
			asm.FnMapLookupElem.Call(),
			asm.Mov.Reg(asm.R7, asm.R0),
		)
	}
	if step == "noprealloc" {
		insns = append(insns,
			asm.StoreMem(asm.RFP, slotKey, asm.R8, asm.Word),
			asm.LoadMapPtr(asm.R1, m.procsNP.FD()),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, slotKey),
			asm.FnMapLookupElem.Call(),
			asm.Mov.Reg(asm.R7, asm.R0),
		)
	}
	if step == "taskstorage" {
		// Create the entry on first use, so that every run after the first
		// finds it, as a table kept by the base programs would.
		insns = append(insns,
			asm.FnGetCurrentTaskBtf.Call(),
			asm.Mov.Reg(asm.R2, asm.R0),
			asm.LoadMapPtr(asm.R1, m.task.FD()),
			asm.Mov.Imm(asm.R3, 0),
			asm.Mov.Imm(asm.R4, 1), // BPF_LOCAL_STORAGE_GET_F_CREATE
			asm.FnTaskStorageGet.Call(),
			asm.Mov.Reg(asm.R7, asm.R0),
		)
	}
	if upTo("copy") {
		insns = append(insns,
			asm.Mov.Reg(asm.R1, asm.R9),
			asm.Add.Imm(asm.R1, 48),
			asm.Mov.Imm(asm.R2, 352),
			asm.Mov.Reg(asm.R3, asm.R7),
			asm.FnProbeReadKernel.Call(),
		)
	}
	if upTo("clock") {
		insns = append(insns,
			asm.FnKtimeGetBootNs.Call(),
			asm.StoreMem(asm.R9, 8, asm.R0, asm.DWord),
		)
	}
	if step == "cached" {
		insns = append(insns, cachedVerdict(m)...)
	}
	if lean {
		// A selector that matches would post; the rungs only reject, so
		// they exit there too.
		insns = append(insns,
			// selector 1: matchPIDs In [1]
			asm.JEq.Imm(asm.R8, 1, "exit"),
			// selector 2: matchBinaries In [a 23-byte path]: length, then
			// the first 8 bytes, from the table entry in place
			asm.JEq.Imm(asm.R7, 0, "args"),
			asm.LoadMem(asm.R1, asm.R7, 88, asm.Word),
			asm.JNE.Imm(asm.R1, 23, "args"),
			asm.LoadMem(asm.R1, asm.R7, 96, asm.DWord),
			asm.LoadImm(asm.R2, 0x736978656e6f6e2f, asm.DWord),
			asm.JEq.Reg(asm.R1, asm.R2, "exit"),
			// selector 3: matchArgs id Equal 59
			asm.LoadMem(asm.R1, asm.R6, 8, asm.DWord).WithSymbol("args"),
			asm.StoreMem(asm.R9, 40, asm.R1, asm.DWord),
			asm.JEq.Imm(asm.R1, 59, "exit"),
		)
	}
	insns = append(insns,
		asm.Mov.Imm(asm.R0, 0).WithSymbol("exit"),
		asm.Return(),
	)
	return loadBenchProgram("bench_"+step, typ, insns)
}

// cachedVerdict continues the cached rung after pid (R8 = tgid, R9 =
// scratch, R6 = context): the process filters' bits come from the per-CPU
// cache when it holds this tgid at the current exec generation, else from
// the table (then cached); a selector whose process filters pass would
// post (exits here), else the syscall id is compared.
// verdictEntry looks up the generation into slotGen and the CPU's cache
// entry into R7 (exit when either is missing), and jumps to miss when the
// entry is not the process's (tgid in R8) or is of an older generation;
// it falls through on a hit.
func verdictEntry(m ladderMaps, miss string) asm.Instructions {
	return asm.Instructions{
		asm.StoreImm(asm.RFP, slotKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, m.gen.FD()),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, slotKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "exit"),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.Word),
		asm.StoreMem(asm.RFP, slotGen, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, m.cache.FD()),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, slotKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "exit"),
		asm.Mov.Reg(asm.R7, asm.R0),
		asm.LoadMem(asm.R1, asm.R7, 0, asm.Word),
		asm.JNE.Reg(asm.R1, asm.R8, miss),
		asm.LoadMem(asm.R1, asm.R7, 4, asm.Word),
		asm.LoadMem(asm.R2, asm.RFP, slotGen, asm.Word),
		asm.JNE.Reg(asm.R1, asm.R2, miss),
	}
}

func cachedVerdict(m ladderMaps) asm.Instructions {
	return append(verdictEntry(m, "miss"), asm.Instructions{
		asm.LoadMem(asm.R3, asm.R7, 8, asm.DWord),
		asm.Ja.Label("decide"),

		// A miss: the table, the tests in place, then the cache.
		asm.StoreMem(asm.RFP, slotKey, asm.R8, asm.Word).WithSymbol("miss"),
		asm.LoadMapPtr(asm.R1, m.procs.FD()),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, slotKey),
		asm.FnMapLookupElem.Call(),
		asm.Mov.Imm(asm.R3, 0),
		asm.JNE.Imm(asm.R8, 1, "sel2"),
		asm.Or.Imm(asm.R3, 1),
		asm.JEq.Imm(asm.R0, 0, "store").WithSymbol("sel2"),
		asm.LoadMem(asm.R1, asm.R0, 88, asm.Word),
		asm.JNE.Imm(asm.R1, 23, "store"),
		asm.LoadMem(asm.R1, asm.R0, 96, asm.DWord),
		asm.LoadImm(asm.R2, 0x736978656e6f6e2f, asm.DWord),
		asm.JNE.Reg(asm.R1, asm.R2, "store"),
		asm.Or.Imm(asm.R3, 2),
		asm.StoreMem(asm.R7, 0, asm.R8, asm.Word).WithSymbol("store"),
		asm.LoadMem(asm.R1, asm.RFP, slotGen, asm.Word),
		asm.StoreMem(asm.R7, 4, asm.R1, asm.Word),
		asm.StoreMem(asm.R7, 8, asm.R3, asm.DWord),

		asm.JNE.Imm(asm.R3, 0, "exit").WithSymbol("decide"),
		asm.LoadMem(asm.R1, asm.R6, 8, asm.DWord),
		asm.StoreMem(asm.R9, 40, asm.R1, asm.DWord),
		asm.JEq.Imm(asm.R1, 59, "exit"),
	}...)
}

// ringbufProgram posts a 48-byte record (the size of the policy's) to the
// ring buffer for every getppid, with nothing else: the least an emitted
// event can cost. flags are bpf_ringbuf_output's (0, or
// BPF_RB_NO_WAKEUP).
func ringbufProgram(typ ebpf.ProgramType, events *ebpf.Map, flags int32) (*ebpf.Program, error) {
	insns := asm.Instructions{
		asm.LoadMem(asm.R1, asm.R1, 8, asm.DWord),
		asm.JNE.Imm(asm.R1, getppidNR, "exit"),
	}
	insns = append(insns, asm.Mov.Imm(asm.R2, 0))
	for off := int16(slotRec); off < slotRec+48; off += 8 {
		insns = append(insns, asm.StoreMem(asm.RFP, off, asm.R2, asm.DWord))
	}
	insns = append(insns,
		asm.StoreMem(asm.RFP, slotRec+40, asm.R1, asm.DWord),
		asm.LoadMapPtr(asm.R1, events.FD()),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, slotRec),
		asm.Mov.Imm(asm.R3, 48),
		asm.Mov.Imm(asm.R4, flags),
		asm.FnRingbufOutput.Call(),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("exit"),
		asm.Return(),
	)
	return loadBenchProgram("bench_ringbuf", typ, insns)
}

// BPF_RB_NO_WAKEUP: bpf_ringbuf_output does not wake the reader up; it
// finds the record when it polls.
const rbNoWakeup = 1

// withWakeupFlags returns a copy of a bundle whose bpf_ringbuf_output
// calls all pass flags (0: the kernel's default, which wakes a reader that
// has caught up; rbNoWakeup: never), instead of what codegen chose
// (BPF_RB_FORCE_WAKEUP once enough waits, else BPF_RB_NO_WAKEUP): the generated code, but for the ring buffer's wakeup.
// The flags are the constants moved into R4 since the call before (the
// bpf_ringbuf_query that chooses them).
func withWakeupFlags(b *loader.Bundle, flags int32) (*loader.Bundle, error) {
	c := *b
	c.Spec = b.Spec.Copy()
	patched := 0
	for _, p := range c.Spec.Programs {
		for i, ins := range p.Instructions {
			if !ins.IsBuiltinCall() || asm.BuiltinFunc(ins.Constant) != asm.FnRingbufOutput {
				continue
			}
			set := 0
			for j := i - 1; j >= 0 && p.Instructions[j].OpCode.JumpOp() != asm.Call; j-- {
				prev := &p.Instructions[j]
				if prev.Dst == asm.R4 && prev.OpCode == asm.Mov.Op(asm.ImmSource) {
					prev.Constant = int64(flags)
					set++
				}
			}
			if set == 0 {
				return nil, fmt.Errorf("%s: the flags of bpf_ringbuf_output at %d are not set since the call before", p.Name, i)
			}
			patched++
		}
	}
	if patched == 0 {
		return nil, fmt.Errorf("%s: no bpf_ringbuf_output call", b.Name())
	}
	return &c, nil
}

// getppidNR is the number of getppid, the syscall the loop makes. The
// emitting policies name it as 110, its number on x86_64.
const getppidNR = unix.SYS_GETPPID

func loadBenchProgram(name string, typ ebpf.ProgramType, insns asm.Instructions) (*ebpf.Program, error) {
	p, err := ebpf.NewProgram(&ebpf.ProgramSpec{Name: name, Type: typ, License: "GPL", Instructions: insns})
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	return p, nil
}
