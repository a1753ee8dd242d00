// Package object writes BPF ELF relocatable objects: the file format of a
// polc bundle.
//
// cilium/ebpf, libbpf and bpftool read such objects but none of them can write
// one from Go, so this package does. An [Object] is plain data: programs and
// BPF-to-BPF functions as asm.Instructions, BTF-defined maps, read-only
// globals and extra sections. [Marshal] turns it into a standard little-endian
// ELF file that looks like clang's output for the same C program:
//
//   - each program in its own executable section (e.g.
//     "tracepoint/syscalls/sys_enter_getpid"), each function in .text;
//   - maps in .maps, described in BTF the way libbpf's __uint/__type macros do;
//   - globals in .rodata, which cilium/ebpf exposes as
//     CollectionSpec.Variables so a loader can set them before load;
//   - .BTF with every type, FUNC records for every program and function, and
//     DATASECs with real sizes and offsets;
//   - .BTF.ext with func_info, line_info and CO-RE relocations ([CORE]), so
//     the loader relocates kernel struct accesses against the target kernel.
//
// # Writing instructions
//
// Instructions follow cilium/ebpf's conventions for symbolic references:
//
//   - a jump with a Reference goes to the instruction of the same function
//     whose Symbol is that name (asm.JumpOp.Imm, .Reg, .Label, asm.LongJump);
//   - asm.Call.Label(name) calls the [Func] of that name;
//   - an ldimm64 with Src asm.PseudoFunc and a Reference loads the address of
//     that [Func] (a callback for bpf_loop and friends);
//   - asm.LoadMapPtr(dst, 0).WithReference(name) loads the [Map] of that name;
//   - asm.LoadMapValue(dst, 0, off).WithReference(name) loads the address of
//     byte off of the [Var] of that name; the reference ".rodata" addresses
//     the section itself;
//   - [CORE] marks an instruction whose offset or immediate the loader
//     relocates against the kernel's BTF;
//   - an instruction whose Source is a [Line] (or any fmt.Stringer) gets a
//     line_info record, which the kernel prints in verifier logs.
//
// # Determinism
//
// The output depends only on the Object: no timestamps, no map iteration, no
// host byte order. Programs, functions, maps, variables and extra sections
// appear in the order given; sort them before calling Marshal if their order
// should not matter.
//
// # Errors
//
// Marshal validates the Object before writing anything and reports the first
// problem it finds, naming the program, function, map or instruction: empty or
// duplicate names, an unknown map, variable or function reference, a jump out
// of range or to an unknown label, a CO-RE accessor that does not fit its
// local type. All errors are plain wrapped errors; there is nothing to branch
// on, the input is wrong.
package object
