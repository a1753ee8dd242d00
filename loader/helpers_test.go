package loader

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/internal/testenv"
)

// Hand-made bundles for the loader's tests, written with codegen/object the
// way codegen writes real ones: programs that post records in the bpf
// layout into the shared ring buffer, BTF maps, a .rodata policy id and a
// manifest with a valid object digest.

var (
	btfU32 = &btf.Int{Name: "__u32", Size: 4}
	btfU64 = &btf.Int{Name: "__u64", Size: 8}
)

// sharedMaps are the base's maps, declared as every bundle must.
func sharedMaps() []*object.Map {
	return []*object.Map{
		{Name: bpf.EventsMap, Type: ebpf.RingBuf, MaxEntries: bpf.EventsRingBytes, Pinning: ebpf.PinByName},
		{Name: bpf.ProcsMap, Type: ebpf.Hash, Key: btfU32, ValueSize: bpf.ProcSize, MaxEntries: bpf.ProcsMaxEntries, Pinning: ebpf.PinByName},
	}
}

// testBase is a stand-in for codegen's base object until it lands: the
// shared maps and one do-nothing program on sched_process_exec, so that
// the base has a link to pin.
func testBase(t testing.TB) []byte {
	t.Helper()
	obj := &object.Object{
		License: "GPL",
		Programs: []*object.Program{{
			Name: "ldrtest_exec", Section: "tracepoint/sched/sched_process_exec",
			Insns: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()},
		}},
		Maps: sharedMaps(),
	}
	data, err := object.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// postRecord emits code that reserves a record of size bytes, fills the
// header (kind policy, the policy id from .rodata, hook, the current
// tgid/pid, boot time) and leaves the record in R8 and the ctx in R6.
// It jumps to "out" when the reservation fails.
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

func submit() asm.Instructions {
	return asm.Instructions{
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Mov.Imm(asm.R2, 0),
		asm.FnRingbufSubmit.Call(),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	}
}

// onlyTargets emits code that returns unless the current tgid is a key of
// the "targets" map.
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

// bundleSpec describes a test bundle.
type bundleSpec struct {
	name  string
	hooks []bpf.Hook
	progs []*object.Program
	// targets are tgids put into the "targets" map through Manifest.Maps.
	targets []uint32
}

// syscallBundle is a policy on raw_syscalls/sys_enter that posts the
// syscall id (field "id") of the target processes.
func syscallBundle(name string, targets ...uint32) bundleSpec {
	insns := append(asm.Instructions{asm.Mov.Reg(asm.R6, asm.R1)}, onlyTargets()...)
	insns = append(insns, postRecord(bpf.HeaderSize+8, 0)...)
	insns = append(insns,
		asm.LoadMem(asm.R1, asm.R6, 8, asm.DWord),
		asm.StoreMem(asm.R8, bpf.HeaderSize, asm.R1, asm.DWord),
	)
	insns = append(insns, submit()...)
	return bundleSpec{
		name: name,
		hooks: []bpf.Hook{{
			Kind: "tracepoint", Target: "raw_syscalls/sys_enter", Call: "raw_syscalls/sys_enter",
			Programs:         []bpf.Program{{Name: "ldrtest_enter", Section: "tracepoint/raw_syscalls/sys_enter", Attach: "tracepoint"}},
			Args:             []bpf.Arg{{Slot: 0, Index: 4, Type: "syscall64", Label: "id", Encoding: bpf.EncInt}},
			TracepointFields: []bpf.TracepointField{{Name: "id", Offset: 8, Size: 8, Signed: true}},
			Tags:             []string{"test"},
			Message:          "syscall",
			Pos:              bpf.Pos{File: name + ".yaml", Line: 7, Col: 5},
		}},
		progs:   []*object.Program{{Name: "ldrtest_enter", Section: "tracepoint/raw_syscalls/sys_enter", Insns: insns}},
		targets: targets,
	}
}

// write builds the bundle's ELF with a manifest whose digest matches.
func (bs bundleSpec) write(t testing.TB) []byte {
	t.Helper()
	for i := range bs.hooks {
		bs.hooks[i].ID = i
	}
	m := &bpf.Manifest{
		Format: bpf.ManifestFormat, Policy: bs.name, Compiler: "loader-test", Source: bs.name + ".yaml",
		SourceSHA256: strings.Repeat("0", 64), Arch: string(arch.Host()),
		Features: []string{bpf.FeatureRingbuf}, Hooks: bs.hooks, Vars: []string{bpf.VarPolicyID},
	}
	for _, h := range bs.hooks {
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
	for _, tgid := range bs.targets {
		entries = append(entries, bpf.MapEntry{Key: binary.LittleEndian.AppendUint32(nil, tgid), Value: []byte{1, 0, 0, 0}})
	}
	m.Maps = []bpf.MapInit{{Map: "targets", Entries: entries}}
	obj := &object.Object{
		License:  "GPL",
		Programs: bs.progs,
		Maps: append(sharedMaps(),
			&object.Map{Name: "targets", Type: ebpf.Hash, Key: btfU32, Value: btfU32, MaxEntries: 64}),
		Rodata: []*object.Var{{Name: bpf.VarPolicyID, Type: btfU32}},
	}
	marshal := func() []byte {
		data, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		obj.Extra = []object.Section{{Name: bpf.ManifestSection, Data: data}}
		out, err := object.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// The digest covers every section but the manifest, so it is the same
	// before and after the manifest records it.
	f, err := elf.NewFile(bytes.NewReader(marshal()))
	if err != nil {
		t.Fatal(err)
	}
	if m.ObjectSHA256, err = bpf.ObjectDigest(f); err != nil {
		t.Fatal(err)
	}
	return marshal()
}

func (bs bundleSpec) bundle(t testing.TB) *Bundle {
	t.Helper()
	b, err := ReadBundle(bs.write(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testOptions returns options with a pin root of the test's own, removed
// (with everything under it) when the test ends.
func testOptions(t *testing.T) *Options {
	t.Helper()
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs)
	root := filepath.Join("/sys/fs/bpf", fmt.Sprintf("polrun-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "_")))
	os.RemoveAll(root)
	t.Cleanup(func() {
		if err := UnloadAll(&Options{PinRoot: root}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
		os.RemoveAll(root)
	})
	return &Options{PinRoot: root, Base: testBase(t)}
}

// pinsUnder lists every file and directory under root.
func pinsUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err == nil && path != root {
			out = append(out, strings.TrimPrefix(path, root+"/"))
		}
		return nil
	})
	return out
}

// loadedPrograms counts the kernel's programs named name (truncated to
// the kernel's 15 characters).
func loadedPrograms(t *testing.T, name string) int {
	t.Helper()
	if len(name) > 15 {
		name = name[:15]
	}
	n := 0
	var id ebpf.ProgramID
	for {
		next, err := ebpf.ProgramGetNextID(id)
		if err != nil {
			return n
		}
		id = next
		p, err := ebpf.NewProgramFromID(id)
		if err != nil {
			continue
		}
		if info, err := p.Info(); err == nil && info.Name == name {
			n++
		}
		p.Close()
	}
}

// waitNoPrograms waits until the kernel has freed every program named
// name: freeing happens after the last reference goes, asynchronously.
func waitNoPrograms(t *testing.T, name string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for loadedPrograms(t, name) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d programs named %s still loaded", loadedPrograms(t, name), name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
