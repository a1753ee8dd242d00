// Package testbundle writes small hand-made bundles for the tests of the
// loader and of polrun, the way codegen writes real ones: programs that
// post records in the bpf layout into the shared ring buffer, BTF maps, a
// .rodata policy id and a manifest with a valid object digest. Only tests import it, so polrun does not
// link codegen/object.
package testbundle

import (
	"encoding/binary"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/codegen/object"
)

var (
	btfU32 = &btf.Int{Name: "__u32", Size: 4}
)

// sharedMaps are the base's maps, declared as every bundle must.
func sharedMaps() []*object.Map {
	return []*object.Map{
		{Name: bpf.EventsMap, Type: ebpf.RingBuf, MaxEntries: bpf.EventsRingBytes, Pinning: ebpf.PinByName},
		{Name: bpf.ProcsMap, Type: ebpf.Hash, Key: btfU32, ValueSize: bpf.ProcSize, MaxEntries: bpf.ProcsMaxEntries, Pinning: ebpf.PinByName},
	}
}

// Base is a stand-in for the base object whose one program, named prog,
// does nothing on sched_process_exec: tests that check that a failed load
// leaves no program behind look for that name, which no other test uses.
// With drops, it declares the drop counter (bpf.DropsMap).
func Base(prog string, drops bool) ([]byte, error) {
	s := &Spec{
		Name:       "polc-base",
		CountDrops: drops,
		// A raw tracepoint, as polc's base has: its link can be pinned on
		// every kernel of the matrix (a tracepoint's perf event link only
		// since 5.15).
		Hooks: []bpf.Hook{{
			Kind: "raw_tracepoint", Target: "sched/sched_process_exec", Call: "sched_process_exec", Args: []bpf.Arg{},
			Programs: []bpf.Program{{Name: prog, Section: "raw_tracepoint/sched_process_exec", Attach: "raw_tracepoint", Target: "sched_process_exec"}},
		}},
		Progs: []*object.Program{{
			Name: prog, Section: "raw_tracepoint/sched_process_exec",
			Insns: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()},
		}},
	}
	return s.Write()
}

// postRecord emits code that reserves a record of size bytes and fills the
// header (kind policy, the policy id from .rodata, hook, the current
// tgid/pid, boot time), leaving the record in R8 and the ctx in R6. It
// jumps to "out" when the reservation fails.
func postRecord(size int32, hook int16) asm.Instructions {
	return asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Imm(asm.R2, size),
		asm.Mov.Imm(asm.R3, 0),
		asm.FnRingbufReserve.Call(),
		asm.JEq.Imm(asm.R0, 0, "out"),
		asm.Mov.Reg(asm.R8, asm.R0),
		asm.StoreImm(asm.R8, 0, int64(bpf.EventPolicy), asm.Byte),
		asm.StoreImm(asm.R8, 1, bpf.EventVersion, asm.Byte),
		asm.StoreImm(asm.R8, 2, 0, asm.Half),
		asm.StoreImm(asm.R8, 4, int64(size), asm.Word),
		asm.FnKtimeGetBootNs.Call(),
		asm.StoreMem(asm.R8, 8, asm.R0, asm.DWord),
		asm.LoadMapValue(asm.R1, 0, 0).WithReference(bpf.VarPolicyID),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.StoreMem(asm.R8, 16, asm.R1, asm.Word),
		asm.StoreImm(asm.R8, 20, int64(hook), asm.Half),
		asm.StoreImm(asm.R8, 22, 0, asm.Byte),
		asm.StoreImm(asm.R8, 23, int64(bpf.ActionPost), asm.Byte),
		asm.FnGetCurrentPidTgid.Call(),
		asm.StoreMem(asm.R8, 28, asm.R0, asm.Word), // pid: low half
		asm.RSh.Imm(asm.R0, 32),
		asm.StoreMem(asm.R8, 24, asm.R0, asm.Word), // tgid: high half
		asm.Mov.Imm(asm.R1, 0),
		asm.StoreMem(asm.R8, 32, asm.R1, asm.DWord),
	}
}

// submit posts the record in R8. When the reservation failed ("out"),
// the drop counter is incremented if the bundle has one.
func submit(drops bool) asm.Instructions {
	insns := asm.Instructions{
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Mov.Imm(asm.R2, 0),
		asm.FnRingbufSubmit.Call(),
		asm.Ja.Label("exit"),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
	}
	if drops {
		insns = append(insns,
			asm.StoreImm(asm.RFP, -8, 0, asm.Word),
			asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.DropsMap),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, -8),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, "exit"),
			asm.Mov.Imm(asm.R1, 1),
			asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		)
	}
	return append(insns, asm.Mov.Imm(asm.R0, 0).WithSymbol("exit"), asm.Return())
}

// onlyTargets emits code that returns unless the current tgid is a key of
// the "targets" map; the ctx must be in R6.
func onlyTargets() asm.Instructions {
	return asm.Instructions{
		asm.FnGetCurrentPidTgid.Call(),
		asm.RSh.Imm(asm.R0, 32),
		asm.StoreMem(asm.RFP, -4, asm.R0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference("targets"),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -4),
		asm.FnMapLookupElem.Call(),
		asm.JNE.Imm(asm.R0, 0, "go"),
		asm.Return(),
		asm.Mov.Reg(asm.R1, asm.R6).WithSymbol("go"),
	}
}

// Spec describes a test bundle; change its fields to make broken ones.
type Spec struct {
	Name  string
	Hooks []bpf.Hook
	Progs []*object.Program
	// Targets are tgids put into the "targets" map through Manifest.Maps:
	// the programs post records only for them.
	Targets []uint32
	// CountDrops declares the drop counter (bpf.DropsMap), which the
	// programs increment when the ring buffer is full.
	CountDrops bool
	// NodeSelector is the manifest's: the nodes the policy loads on.
	NodeSelector *bpf.LabelSelector
}

// Syscalls is a policy on raw_syscalls/sys_enter whose program prog posts
// the syscall id (field "id", as syscall64 labelled "id") of the target
// processes.
func Syscalls(name, prog string, targets ...uint32) *Spec {
	return syscalls(name, prog, false, targets)
}

// SyscallsCountingDrops is Syscalls with the drop counter.
func SyscallsCountingDrops(name, prog string, targets ...uint32) *Spec {
	return syscalls(name, prog, true, targets)
}

// SyscallsOf is Syscalls posting only the system call id: the target
// processes' other calls (a Go reader's own reads and futexes among them)
// make no record, so a test counting its calls is not slowed by a stream
// of records its own reading makes.
func SyscallsOf(name, prog string, id int64, targets ...uint32) *Spec {
	s := syscalls(name, prog, false, targets)
	p := s.Progs[0]
	// After the ctx is saved (the first instruction): the id field, else out.
	only := asm.Instructions{
		asm.LoadMem(asm.R2, asm.R1, 8, asm.DWord),
		asm.JEq.Imm(asm.R2, int32(id), "is-id"),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
		asm.Mov.Reg(asm.R1, asm.R1).WithSymbol("is-id"),
	}
	p.Insns = append(append(append(asm.Instructions{}, p.Insns[0]), only...), p.Insns[1:]...)
	return s
}

func syscalls(name, prog string, drops bool, targets []uint32) *Spec {
	insns := append(asm.Instructions{asm.Mov.Reg(asm.R6, asm.R1)}, onlyTargets()...)
	insns = append(insns, postRecord(bpf.HeaderSize+8, 0)...)
	insns = append(insns,
		asm.LoadMem(asm.R1, asm.R6, 8, asm.DWord),
		asm.StoreMem(asm.R8, bpf.HeaderSize, asm.R1, asm.DWord),
	)
	insns = append(insns, submit(drops)...)
	return &Spec{
		Name:       name,
		CountDrops: drops,
		Hooks: []bpf.Hook{{
			Kind: "tracepoint", Target: "raw_syscalls/sys_enter", Call: "raw_syscalls/sys_enter",
			Programs:         []bpf.Program{{Name: prog, Section: "tracepoint/raw_syscalls/sys_enter", Attach: "tracepoint"}},
			Args:             []bpf.Arg{{Slot: 0, Index: 4, Type: "syscall64", Label: "id", Encoding: bpf.EncInt}},
			TracepointFields: []bpf.TracepointField{{Name: "id", Offset: 8, Size: 8, Signed: true}},
			Tags:             []string{"test"},
			Message:          "syscall",
			Pos:              bpf.Pos{File: name + ".yaml", Line: 7, Col: 5},
		}},
		Progs:   []*object.Program{{Name: prog, Section: "tracepoint/raw_syscalls/sys_enter", Insns: insns}},
		Targets: targets,
	}
}

// Uprobe is a policy whose program prog posts a record, without
// arguments, whenever a target process enters symbol in binary.
func Uprobe(name, prog, binary, symbol string, targets ...uint32) *Spec {
	insns := append(asm.Instructions{asm.Mov.Reg(asm.R6, asm.R1)}, onlyTargets()...)
	insns = append(insns, postRecord(bpf.HeaderSize, 0)...)
	insns = append(insns, submit(false)...)
	section := "uprobe/" + binary + ":" + symbol
	return &Spec{
		Name: name,
		Hooks: []bpf.Hook{{
			Kind: "uprobe", Target: binary, Symbol: symbol, Call: symbol, Args: []bpf.Arg{},
			Programs: []bpf.Program{{Name: prog, Section: section, Attach: "uprobe"}},
			Pos:      bpf.Pos{File: name + ".yaml", Line: 9, Col: 3},
		}},
		Progs:   []*object.Program{{Name: prog, Section: section, Insns: insns}},
		Targets: targets,
	}
}

// Write builds the bundle's ELF with a manifest whose digest matches.
func (s *Spec) Write() ([]byte, error) {
	hooks := append([]bpf.Hook(nil), s.Hooks...)
	for i := range hooks {
		hooks[i].ID = i
	}
	m := &bpf.Manifest{
		Format: bpf.ManifestFormat, Policy: s.Name, Compiler: "testbundle", Source: s.Name + ".yaml",
		SourceSHA256: strings.Repeat("0", 64), Arch: string(arch.Host()),
		Features: []string{bpf.FeatureRingbuf}, Hooks: hooks, Vars: []string{bpf.VarPolicyID},
	}
	for _, h := range hooks {
		switch h.Kind {
		case "tracepoint":
			m.Features = append(m.Features, bpf.FeatureTracepoint)
		case "uprobe":
			m.Features = append(m.Features, bpf.FeatureUprobe)
		case "kprobe":
			m.Features = append(m.Features, bpf.FeatureKprobe)
		}
	}
	var entries []bpf.MapEntry
	for _, tgid := range s.Targets {
		entries = append(entries, bpf.MapEntry{Key: binary.LittleEndian.AppendUint32(nil, tgid), Value: []byte{1, 0, 0, 0}})
	}
	m.Maps = []bpf.MapInit{{Map: "targets", Entries: entries}}
	m.NodeSelector = s.NodeSelector
	obj := &object.Object{
		License:  "GPL",
		Programs: s.Progs,
		Maps: append(sharedMaps(),
			&object.Map{Name: "targets", Type: ebpf.Hash, Key: btfU32, Value: btfU32, MaxEntries: 64}),
		Rodata: []*object.Var{{Name: bpf.VarPolicyID, Type: btfU32}},
	}
	if s.CountDrops {
		obj.Maps = append(obj.Maps, &object.Map{Name: bpf.DropsMap, Type: ebpf.PerCPUArray, Key: btfU32,
			ValueSize: 8, MaxEntries: 1, Pinning: ebpf.PinByName})
	}
	return codegen.Seal(obj, m)
}
