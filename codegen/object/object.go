package object

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Object is everything a BPF ELF object contains.
type Object struct {
	// License goes into the "license" section, e.g. "GPL". Required: helpers
	// such as bpf_probe_read_kernel are GPL-only.
	License string
	// Programs are the entry points, one ELF section each.
	Programs []*Program
	// Funcs are BPF-to-BPF subprograms, emitted in .text as static functions
	// and callable from any program or function.
	Funcs []*Func
	// Maps are BTF-defined maps, emitted in .maps.
	Maps []*Map
	// Rodata are read-only globals, emitted in .rodata in this order.
	Rodata []*Var
	// Extra are additional non-allocated sections such as ".polc.manifest".
	Extra []Section
}

// Program is an entry point.
type Program struct {
	// Name is the ELF symbol and BTF function name: a C identifier, unique
	// among all programs, functions, maps and variables of the object.
	Name string
	// Section is the ELF section, which tells loaders the program type and
	// attach point, e.g. "tracepoint/syscalls/sys_enter_getpid" or
	// "kprobe/do_sys_openat2". Unique among programs.
	Section string
	// Insns is the program. Its BTF prototype is int NAME(void *ctx).
	Insns asm.Instructions
}

// Func is a BPF-to-BPF subprogram.
type Func struct {
	// Name is the ELF symbol and BTF function name, unique like Program.Name.
	Name string
	// Insns is the function body. It receives its arguments in R1 to R5 and
	// returns R0. Its BTF prototype is __u64 NAME(void): the verifier checks
	// static functions in their callers' context, and declared arguments
	// would only make it log mismatches against the registers passed.
	Insns asm.Instructions
}

// Map is a BTF-defined map, declared the way libbpf's __uint and __type
// macros declare it.
type Map struct {
	// Name is the map's symbol, unique like Program.Name. The kernel
	// truncates map names to 15 characters; loaders pin by the full name.
	Name string
	Type ebpf.MapType
	// Key and Value are the BTF types of keys and values. Leave them nil to
	// declare only KeySize and ValueSize (and for ring buffers, which have
	// neither).
	Key, Value btf.Type
	// KeySize and ValueSize are used when Key or Value is nil. When both a
	// type and a size are set they must agree.
	KeySize, ValueSize uint32
	MaxEntries         uint32
	Flags              uint32
	// Pinning is ebpf.PinNone or ebpf.PinByName (LIBBPF_PIN_BY_NAME).
	Pinning ebpf.PinType
}

// Var is a read-only global variable in .rodata.
type Var struct {
	// Name is the symbol, unique like Program.Name; cilium/ebpf exposes it
	// as CollectionSpec.Variables[Name].
	Name string
	// Type is the variable's BTF type; its size is the variable's size.
	Type btf.Type
	// Value is the initial value, exactly the size of Type, or nil for zero.
	Value []byte
}

// Section is an extra section copied into the object as is (SHT_PROGBITS,
// not allocated). Loaders ignore it; tools read it with debug/elf.
type Section struct {
	// Name must start with a dot and must not be a name loaders interpret
	// (.text, .maps, .rodata*, .data*, .bss, .BTF*, .rel*, …).
	Name string
	Data []byte
}

// Line is a source position for line_info. Attach it to an instruction with
// asm.Instruction.WithSource; the kernel prints Text, File and Line in
// verifier logs next to the instructions that follow it.
type Line struct {
	File string
	// Line is 1-based and at most 4194303; 0 means unknown.
	Line uint32
	// Column is 1-based and at most 1023; 0 means unknown.
	Column uint32
	// Text is the source line itself.
	Text string
}

// String returns the source text, so that cilium/ebpf's instruction printer
// shows it.
func (l Line) String() string { return l.Text }
