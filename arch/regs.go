package arch

import "fmt"

// Reg is a register as struct pt_regs saves it.
type Reg struct {
	Name   string // member of struct pt_regs: "di", "regs[0]"
	Offset int    // byte offset in struct pt_regs
	Size   int    // bytes
}

// CallConv says where a kprobe program finds values in the struct pt_regs
// its context points to, for one architecture.
//
// A syscall's arguments are not in FuncArgs: since Linux 4.17 (x86_64) and
// 4.19 (arm64) the syscall table calls a wrapper (__x64_sys_write) whose
// only argument is a pointer to the user task's saved struct pt_regs. A
// program probing the wrapper loads that pointer from FuncArgs[0] of its
// context, then reads the syscall arguments at ABI.SyscallArgs() offsets
// from it with bpf_probe_read_kernel (the pointer is not the context, so no
// direct loads).
type CallConv struct {
	// FuncArgs are the first six arguments of a normal kernel function.
	FuncArgs [6]Reg
	// Return holds the return value in a kretprobe.
	Return Reg
	// StackPointer and InstructionPointer at the probe.
	StackPointer       Reg
	InstructionPointer Reg
	// SyscallNr is where the user pt_regs keep the syscall number
	// (orig_ax; arm64: syscallno, 32 bits).
	SyscallNr Reg
}

// x86_64 struct pt_regs (arch/x86/include/asm/ptrace.h): 21 unsigned longs
// r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp
// ss; cs and ss sit in unions on recent kernels, at the same offsets.
func x86Reg(name string) Reg {
	order := []string{"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
		"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss"}
	for i, n := range order {
		if n == name {
			return Reg{Name: name, Offset: 8 * i, Size: 8}
		}
	}
	panic("arch: no x86_64 register " + name) // only called with the literals below
}

// arm64 struct pt_regs (arch/arm64/include/asm/ptrace.h) starts with
// struct user_pt_regs { u64 regs[31]; u64 sp; u64 pc; u64 pstate; },
// then u64 orig_x0 and s32 syscallno.
func arm64X(i int) Reg { return Reg{Name: fmt.Sprintf("regs[%d]", i), Offset: 8 * i, Size: 8} }

var (
	arm64SP        = Reg{Name: "sp", Offset: 248, Size: 8}
	arm64PC        = Reg{Name: "pc", Offset: 256, Size: 8}
	arm64Syscallno = Reg{Name: "syscallno", Offset: 280, Size: 4}
)

// CallConv returns a's calling convention, or ErrUnknownArch.
func (a Arch) CallConv() (CallConv, error) {
	switch a {
	case X86_64:
		// System V AMD64: rdi rsi rdx rcx r8 r9, result in rax.
		return CallConv{
			FuncArgs: [6]Reg{x86Reg("di"), x86Reg("si"), x86Reg("dx"),
				x86Reg("cx"), x86Reg("r8"), x86Reg("r9")},
			Return:             x86Reg("ax"),
			StackPointer:       x86Reg("sp"),
			InstructionPointer: x86Reg("ip"),
			SyscallNr:          x86Reg("orig_ax"),
		}, nil
	case ARM64:
		// AAPCS64: x0..x7, result in x0.
		return CallConv{
			FuncArgs:           [6]Reg{arm64X(0), arm64X(1), arm64X(2), arm64X(3), arm64X(4), arm64X(5)},
			Return:             arm64X(0),
			StackPointer:       arm64SP,
			InstructionPointer: arm64PC,
			SyscallNr:          arm64Syscallno,
		}, nil
	}
	return CallConv{}, a.check()
}

// SyscallArgs returns where syscall arguments 0..5 of ABI b are in the user
// pt_regs a syscall wrapper receives, or ErrUnknownArch.
//
//   - x64: rdi rsi rdx r10 r8 r9; the fourth is r10, not rcx, because the
//     syscall instruction overwrites rcx with the return address.
//   - i386 (__ia32_sys_*, __ia32_compat_sys_* on x86_64): ebx ecx edx esi edi
//     ebp, saved zero-extended in bx cx dx si di bp; only the low 32 bits
//     are the argument (the wrappers truncate them), so sign-extend or mask
//     by argument type.
//   - arm64 and arm32: x0..x5 (AArch32's r0..r5 are saved there too).
//     regs[0] still holds the first argument when the wrapper runs; the
//     return value overwrites it only after the syscall.
func (b ABI) SyscallArgs() ([6]Reg, error) {
	switch b {
	case ABIX64:
		return [6]Reg{x86Reg("di"), x86Reg("si"), x86Reg("dx"), x86Reg("r10"), x86Reg("r8"), x86Reg("r9")}, nil
	case ABII386:
		return [6]Reg{x86Reg("bx"), x86Reg("cx"), x86Reg("dx"), x86Reg("si"), x86Reg("di"), x86Reg("bp")}, nil
	case ABIARM64, ABIARM32:
		return [6]Reg{arm64X(0), arm64X(1), arm64X(2), arm64X(3), arm64X(4), arm64X(5)}, nil
	}
	return [6]Reg{}, fmt.Errorf("%w: ABI %q", ErrUnknownArch, string(b))
}
