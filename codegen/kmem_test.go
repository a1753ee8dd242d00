package codegen

import (
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"
)

// Kernel memory for differential tests: programs run by BPF_PROG_TEST_RUN
// read kernel structs (a sock, a dentry, a string) through pointers in
// their arguments. The tests lay such structs out, at the offsets the
// running kernel's BTF gives, in the value of an array map — kernel memory
// whose address a helper program tells — and pass pointers into it.

// arenaSize is the bytes of kernel memory one event may use: a path of
// 2000 components takes 2000 dentries.
const arenaSize = 1 << 20

// arena is kernel memory the test writes: an array map's only value,
// mapped into the test's memory.
type arena struct {
	m       *ebpf.Map
	mem     *ebpf.Memory
	base    uint64 // the value's kernel address
	buf     []byte // what the test lays out, written by flush
	used    int
	flushed int // bytes the last flush wrote
}

// newArena creates the map and learns its value's address with a program
// that stores the pointer map_lookup_elem returns into a second map, which
// the verifier allows only with CAP_PERFMON (root).
func newArena(t testing.TB) *arena {
	t.Helper()
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: arenaSize, MaxEntries: 1, Flags: unix.BPF_F_MMAPABLE})
	if err != nil {
		t.Fatalf("arena map: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	mem, err := m.Memory()
	if err != nil {
		t.Fatalf("map the arena: %v", err)
	}
	out, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	lookup := func(fd int) asm.Instructions {
		return asm.Instructions{
			asm.StoreImm(asm.RFP, -4, 0, asm.Word),
			asm.LoadMapPtr(asm.R1, fd),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, -4),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, "out"),
		}
	}
	insns := lookup(m.FD())
	insns = append(insns, asm.Mov.Reg(asm.R6, asm.R0))
	insns = append(insns, lookup(out.FD())...)
	insns = append(insns,
		asm.StoreMem(asm.R0, 0, asm.R6, asm.DWord),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
		asm.Return(),
	)
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.RawTracepoint, Instructions: insns, License: "GPL"})
	if err != nil {
		t.Fatalf("address program: %v", err)
	}
	defer prog.Close()
	if _, err := prog.Run(&ebpf.RunOptions{Context: make([]uint64, 1)}); err != nil {
		t.Fatalf("run address program: %v", err)
	}
	var addr uint64
	if err := out.Lookup(uint32(0), &addr); err != nil || addr == 0 {
		t.Fatalf("arena address: %#x, %v", addr, err)
	}
	return &arena{m: m, mem: mem, base: addr, buf: make([]byte, arenaSize)}
}

// reset forgets the layout and zeroes the memory of the next event.
func (a *arena) reset() {
	clear(a.buf[:a.used])
	a.used = 0
}

// alloc returns the address and bytes of n zeroed bytes, 8-aligned, or
// fails the test when the arena is full.
func (a *arena) alloc(t testing.TB, n int) (uint64, []byte) {
	t.Helper()
	off := (a.used + 7) &^ 7
	if off+n > len(a.buf) {
		t.Fatalf("arena full: %d + %d bytes", off, n)
	}
	a.used = off + n
	return a.base + uint64(off), a.buf[off : off+n]
}

// cstring lays out s and a NUL and returns its address.
func (a *arena) cstring(t testing.TB, s []byte) uint64 {
	addr, b := a.alloc(t, len(s)+1)
	copy(b, s)
	return addr
}

// flush writes the layout into the kernel, and zeroes what the last one
// wrote beyond it.
func (a *arena) flush(t testing.TB) {
	t.Helper()
	n := max(a.used, a.flushed)
	if _, err := a.mem.WriteAt(a.buf[:n], 0); err != nil {
		t.Fatalf("write arena: %v", err)
	}
	a.flushed = a.used
}

// kstruct is a kernel struct as the running kernel lays it out.
type kstruct struct {
	name string
	size int
	typ  *btf.Struct
}

var kernelTypes struct {
	once sync.Once
	spec *btf.Spec
	err  error
}

// kernelStruct finds struct name in the running kernel's BTF.
func kernelStruct(t testing.TB, name string) *kstruct {
	t.Helper()
	kernelTypes.once.Do(func() { kernelTypes.spec, kernelTypes.err = btf.LoadKernelSpec() })
	if kernelTypes.err != nil {
		t.Fatalf("kernel BTF: %v", kernelTypes.err)
	}
	var s *btf.Struct
	if err := kernelTypes.spec.TypeByName(name, &s); err != nil {
		t.Fatalf("struct %s: %v", name, err)
	}
	return &kstruct{name: name, size: int(s.Size), typ: s}
}

// field returns the byte offset and size of the member path (a.b.c) of k,
// looking through anonymous structs and unions as CO-RE does.
func (k *kstruct) field(t testing.TB, path string) (off, size int) {
	t.Helper()
	var typ btf.Type = k.typ
	for _, name := range strings.Split(path, ".") {
		o, mt, ok := findMember(typ, name)
		if !ok {
			t.Fatalf("struct %s has no member %s", k.name, path)
		}
		off += int(o)
		typ = mt
	}
	n, err := btf.Sizeof(typ)
	if err != nil {
		t.Fatalf("size of %s.%s: %v", k.name, path, err)
	}
	return off, n
}

// findMember finds a member by name in a struct or union, descending into
// anonymous members; the offset is in bytes.
func findMember(t btf.Type, name string) (uint32, btf.Type, bool) {
	var members []btf.Member
	switch c := btf.UnderlyingType(t).(type) {
	case *btf.Struct:
		members = c.Members
	case *btf.Union:
		members = c.Members
	default:
		return 0, nil, false
	}
	for _, m := range members {
		if m.Name == name {
			return uint32(m.Offset) / 8, m.Type, true
		}
		if m.Name == "" {
			if off, mt, ok := findMember(m.Type, name); ok {
				return uint32(m.Offset)/8 + off, mt, true
			}
		}
	}
	return 0, nil, false
}

// put writes v, little-endian, into the member path of k in b.
func (k *kstruct) put(t testing.TB, b []byte, path string, v uint64) {
	t.Helper()
	off, size := k.field(t, path)
	switch size {
	case 1:
		b[off] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b[off:], uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b[off:], uint32(v))
	case 8:
		binary.LittleEndian.PutUint64(b[off:], v)
	default:
		t.Fatalf("%s.%s is %d bytes, not an integer", k.name, path, size)
	}
}

// putBytes copies data into the member path of k in b, which must hold it.
func (k *kstruct) putBytes(t testing.TB, b []byte, path string, data []byte) {
	t.Helper()
	off, size := k.field(t, path)
	if len(data) > size {
		panic(fmt.Sprintf("%d bytes into %s.%s of %d", len(data), k.name, path, size))
	}
	copy(b[off:], data)
}
