// Package kmem lays out kernel structs in kernel memory, for running
// generated programs with BPF_PROG_TEST_RUN on made-up arguments: a
// program reads a sock, a dentry chain or a string through a pointer in its
// context, and the pointer must be to kernel memory laid out at the running
// kernel's BTF offsets.
//
// The memory is the value of a one-entry mmapable array map: the caller
// writes it through the mapping, and learns its kernel address once with a
// small program that stores the pointer bpf_map_lookup_elem returns into a
// second map (the verifier allows that leak only to CAP_PERFMON, so root).
//
// codegen's differential tests and `polc test --kernel` (package
// policytest) both lay their events out here.
package kmem

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"
)

// DefaultSize is the bytes of kernel memory one event may use: a path of
// 2000 components takes 2000 dentries.
const DefaultSize = 1 << 20

// Arena is kernel memory the caller writes.
type Arena struct {
	m       *ebpf.Map
	mem     *ebpf.Memory
	base    uint64 // the value's kernel address
	buf     []byte // what the caller lays out, written by Flush
	used    int
	flushed int // bytes the last Flush wrote
	// user is memory of this process (user memory to the kernel), for
	// what programs read with bpf_probe_read_user: a program run with
	// BPF_PROG_TEST_RUN runs in the calling process.
	user     []byte
	userUsed int
}

// UserSize is the bytes of user memory an arena has.
const UserSize = 64 << 10

// ErrFull is returned by Alloc when an event needs more than the arena.
var ErrFull = errors.New("kmem: arena full")

// NewArena creates an arena of size bytes.
func NewArena(size int) (*Arena, error) {
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: uint32(size), MaxEntries: 1, Flags: unix.BPF_F_MMAPABLE})
	if err != nil {
		return nil, fmt.Errorf("kmem: arena map: %w", err)
	}
	a := &Arena{m: m, buf: make([]byte, size)}
	if a.user, err = unix.Mmap(-1, 0, UserSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_POPULATE); err != nil {
		m.Close()
		return nil, fmt.Errorf("kmem: user memory: %w", err)
	}
	if a.mem, err = m.Memory(); err != nil {
		m.Close()
		return nil, fmt.Errorf("kmem: map the arena: %w", err)
	}
	if a.base, err = valueAddress(m); err != nil {
		m.Close()
		return nil, err
	}
	return a, nil
}

// valueAddress returns the kernel address of m's only value.
func valueAddress(m *ebpf.Map) (uint64, error) {
	out, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1})
	if err != nil {
		return 0, fmt.Errorf("kmem: %w", err)
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
		return 0, fmt.Errorf("kmem: address program (needs root): %w", err)
	}
	defer prog.Close()
	if _, err := prog.Run(&ebpf.RunOptions{Context: make([]uint64, 1)}); err != nil {
		return 0, fmt.Errorf("kmem: run address program: %w", err)
	}
	var addr uint64
	if err := out.Lookup(uint32(0), &addr); err != nil {
		return 0, fmt.Errorf("kmem: arena address: %w", err)
	}
	if addr == 0 {
		return 0, errors.New("kmem: the kernel hid the arena's address")
	}
	return addr, nil
}

// Close frees the arena.
func (a *Arena) Close() error {
	if a.user != nil {
		unix.Munmap(a.user)
		a.user = nil
	}
	return a.m.Close()
}

// Reset forgets the layout; the next Flush zeroes what the last one wrote.
func (a *Arena) Reset() {
	clear(a.buf[:a.used])
	a.used = 0
	clear(a.user[:a.userUsed])
	a.userUsed = 0
}

// AllocUser returns the address and the bytes of n zeroed bytes of user
// memory, 8-aligned; they are written directly, without Flush.
func (a *Arena) AllocUser(n int) (uint64, []byte, error) {
	off := (a.userUsed + 7) &^ 7
	if n < 0 || off+n > len(a.user) {
		return 0, nil, fmt.Errorf("%w: %d + %d bytes of %d of user memory", ErrFull, off, n, len(a.user))
	}
	a.userUsed = off + n
	return uint64(uintptr(unsafe.Pointer(&a.user[0]))) + uint64(off), a.user[off : off+n], nil
}

// Alloc returns the kernel address and the bytes of n zeroed bytes,
// 8-aligned.
func (a *Arena) Alloc(n int) (uint64, []byte, error) {
	off := (a.used + 7) &^ 7
	if n < 0 || off+n > len(a.buf) {
		return 0, nil, fmt.Errorf("%w: %d + %d bytes of %d", ErrFull, off, n, len(a.buf))
	}
	a.used = off + n
	return a.base + uint64(off), a.buf[off : off+n], nil
}

// CString lays out s and a NUL and returns its address.
func (a *Arena) CString(s []byte) (uint64, error) {
	addr, b, err := a.Alloc(len(s) + 1)
	copy(b, s)
	return addr, err
}

// Flush writes the layout into the kernel and zeroes what the last Flush
// wrote beyond it.
func (a *Arena) Flush() error {
	n := max(a.used, a.flushed)
	if _, err := a.mem.WriteAt(a.buf[:n], 0); err != nil {
		return fmt.Errorf("kmem: write arena: %w", err)
	}
	a.flushed = a.used
	return nil
}

// Struct is a kernel struct as the running kernel lays it out.
type Struct struct {
	Name string
	Size int
	typ  *btf.Struct
}

var kernelTypes struct {
	once sync.Once
	spec *btf.Spec
	err  error
}

// KernelStruct finds struct name in the running kernel's BTF.
func KernelStruct(name string) (*Struct, error) {
	kernelTypes.once.Do(func() { kernelTypes.spec, kernelTypes.err = btf.LoadKernelSpec() })
	if kernelTypes.err != nil {
		return nil, fmt.Errorf("kmem: kernel BTF: %w", kernelTypes.err)
	}
	var s *btf.Struct
	if err := kernelTypes.spec.TypeByName(name, &s); err != nil {
		return nil, fmt.Errorf("kmem: struct %s: %w", name, err)
	}
	return &Struct{Name: name, Size: int(s.Size), typ: s}, nil
}

// KernelEnumValue is the value of name in enum enum of the running
// kernel's BTF.
func KernelEnumValue(enum, name string) (uint64, error) {
	if _, err := KernelStruct("task_struct"); err != nil { // loads the BTF
		return 0, err
	}
	var e *btf.Enum
	if err := kernelTypes.spec.TypeByName(enum, &e); err != nil {
		return 0, fmt.Errorf("kmem: enum %s: %w", enum, err)
	}
	for _, v := range e.Values {
		if v.Name == name {
			return v.Value, nil
		}
	}
	return 0, fmt.Errorf("kmem: enum %s has no %s", enum, name)
}

// Field returns the byte offset and size of the member path (a.b.c) of k,
// looking through anonymous structs and unions as CO-RE does.
func (k *Struct) Field(path string) (off, size int, err error) {
	var typ btf.Type = k.typ
	for _, name := range strings.Split(path, ".") {
		o, mt, ok := findMember(typ, name)
		if !ok {
			return 0, 0, fmt.Errorf("kmem: struct %s has no member %s", k.Name, path)
		}
		off += int(o)
		typ = mt
	}
	n, err := btf.Sizeof(typ)
	if err != nil {
		return 0, 0, fmt.Errorf("kmem: size of %s.%s: %w", k.Name, path, err)
	}
	return off, n, nil
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

// Put writes v, little-endian, into the member path of k in b.
func (k *Struct) Put(b []byte, path string, v uint64) error {
	off, size, err := k.Field(path)
	if err != nil {
		return err
	}
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
		return fmt.Errorf("kmem: %s.%s is %d bytes, not an integer", k.Name, path, size)
	}
	return nil
}

// PutBytes copies data into the member path of k in b.
func (k *Struct) PutBytes(b []byte, path string, data []byte) error {
	off, size, err := k.Field(path)
	if err != nil {
		return err
	}
	if len(data) > size {
		return fmt.Errorf("kmem: %d bytes into %s.%s of %d", len(data), k.Name, path, size)
	}
	copy(b[off:], data)
	return nil
}
