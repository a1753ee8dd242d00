package arch

// Syscall64Compat is the bit Tetragon's syscall64 argument type sets on a
// syscall number that came through a 32-bit compat ABI (i386 on x86_64,
// arm32 on arm64). The number keeps bits 0..30.
//
// Source: Tetragon, bpf/process/syscall64.h (IS_32BIT 0x80000000, OR-ed
// into the value by syscall64_set_32bit) and pkg/sensors/tracing (Is32Bit =
// 0x80000000; parseSyscall64Value clears it and reports ABI i386 on amd64,
// arm32 on arm64, else x64 / arm64; list values "i386/sys_dup" and
// "__ia32_sys_dup" get id | Is32Bit).
//
// How the BPF side learns the ABI (for codegen; the value read from
// raw_syscalls/sys_enter's "id" field, or pt_regs orig_ax / syscallno, is the
// bare table number, the same for both ABIs of a kernel):
//
//   - x86_64: the kernel's own test is in_ia32_syscall(), i.e.
//     current_thread_info()->status & TS_COMPAT, TS_COMPAT = 0x0002
//     (arch/x86/include/asm/thread_info.h; the syscall entry sets it for
//     int $0x80, sysenter and 32-bit syscall, also when a 64-bit process
//     uses int $0x80, where CS stays 64-bit, so testing regs->cs is wrong).
//     struct thread_info is the first member of task_struct
//     (CONFIG_THREAD_INFO_IN_TASK, always on x86), so the current task
//     pointer is the thread_info pointer; read "status" through a CO-RE
//     relocation against struct thread_info (offset 16 on 6.18: flags,
//     syscall_work, status). This is what Tetragon does.
//   - arm64: Tetragon tests thread_info->flags & (1 << TIF_32BIT),
//     TIF_32BIT = 22 (arch/arm64/include/asm/thread_info.h, is_compat_task).
//     The TIF numbering is kernel-internal and not guaranteed across
//     versions; an architectural alternative is the user pt_regs' pstate:
//     bit 4 (PSR_MODE32_BIT) is set when the task runs in AArch32.
//   - x32 (x86_64's ILP32 ABI, not supported by polc or Tetragon): its
//     numbers carry __X32_SYSCALL_BIT 0x40000000 in the id itself.
const Syscall64Compat = 1 << 31

// EncodeSyscall64 returns the syscall64 value of syscall nr of ABI abi:
// nr, with Syscall64Compat set for a compat ABI. Bits of nr above bit 30
// are dropped (no table comes near them).
func EncodeSyscall64(abi ABI, nr int) uint64 {
	v := uint64(nr) & (Syscall64Compat - 1)
	if abi.Compat() {
		v |= Syscall64Compat
	}
	return v
}

// DecodeSyscall64 splits a syscall64 value read on arch a into its ABI and
// number. Like Tetragon it keeps the low 32 bits only; an invalid a yields
// ABI "".
func DecodeSyscall64(a Arch, v uint64) (abi ABI, nr int) {
	v &= 1<<32 - 1
	abi = a.NativeABI()
	if v&Syscall64Compat != 0 {
		abi = a.CompatABI()
	}
	return abi, int(v &^ Syscall64Compat)
}
