// Package arch is what polc knows about its target architectures: syscall
// tables, how policy names of syscalls map to kernel symbols and numbers,
// Tetragon's syscall64 values, and where kprobe programs find arguments in
// struct pt_regs. It is data and small pure functions; it imports no other
// polc package and touches no kernel, so polrun can link it.
//
// # Architectures and ABIs
//
// An Arch (x86_64, arm64) is a build target. Each has a 64-bit syscall ABI
// (x64, arm64) and a 32-bit compat ABI its kernels also serve (i386 through
// CONFIG_IA32_EMULATION, arm32 through CONFIG_COMPAT). ABI names are
// Tetragon's.
//
// # Syscall tables
//
// zsyscalls.go is generated (go generate ./arch) from golang.org/x/sys/unix
// zsysnum_linux_{amd64,386,arm64,arm}.go. The kernel's syscall names are
// x/sys's SYS_ constants lower-cased without "SYS_": x/sys builds them from
// the uapi __NR_ macros, so SYS_NEWFSTATAT is "newfstatat", SYS_FSTATAT64
// (i386) is "fstatat64", and x/sys's odd-looking SYS__LLSEEK, SYS__NEWSELECT,
// SYS__SYSCTL are the kernel's own "_llseek", "_newselect", "_sysctl" (the
// name column of arch/x86/entry/syscalls/syscall_32.tbl).
//
// A name is not a kernel function. The tables' entry-point column says
// which function runs: "sys_" + name mostly, but x86_64's stat runs
// sys_newstat, i386's _llseek runs sys_llseek, and most i386 syscalls that
// take pointers run compat_sys_* on x86_64 (openat → compat_sys_openat).
// internal/gen/entries.go lists those differences, with sources; the kernel
// adds the ABI prefix (__x64_, __ia32_, __arm64_) to form the symbol. On
// x86_64 kernels __ia32_sys_X exists for every syscall body X, but the i386
// table calls __ia32_compat_sys_X where there is a compat version, so a
// kprobe on __ia32_sys_openat never fires; on 6.18 __x64_sys_stat exists
// (the old stat, built for IA32 emulation) but 64-bit stat never calls it.
//
// # Names in policies
//
// Tetragon (pkg/arch AddSyscallPrefix, pkg/sensors/tracing syscall_list.go)
// turns "sys_X" into <prefix>sys_X for the host arch, keeps names that
// already carry __x64_, __ia32_ or __arm64_ (refusing another arch's
// prefix), accepts "ABI/sys_X" in lists, and for syscall64 list values looks
// the name up after stripping the prefix and "sys_" (bare "write" works
// there). Lookup and SyscallSymbol do the same, with these differences,
// each where Tetragon attaches to a function the syscall does not call or
// fails: "sys_X" resolves to the real entry point (sys_stat →
// __x64_sys_newstat, i386/sys_openat → __ia32_compat_sys_openat); a bare
// "write" is an error for symbols instead of the nonexistent __x64_write;
// wrapper helpers (__se_sys_write, __do_sys_write) are an error naming
// "sys_write"; "sys_" names that are entry points resolve to their syscall
// (sys_newstat is stat). A prefixed name is kept as written and marked
// EntryPoint=false when the table does not call it, for lint to report.
//
// The tables do not say which syscalls a given kernel has: the loader must
// drop or refuse symbols missing from the running kernel. Tetragon keeps the
// generated_syscalls symbols found in the kernel's BTF, but on Linux 6.18 the
// BTF lacks the wrappers of argument-less syscalls (getpid, fork, sync: only
// __do_sys_getpid is there, while /proc/kallsyms has __x64_sys_getpid), so
// check /proc/kallsyms instead.
//
// # Syscall parameters
//
// zsyscall_params.go holds the name and C type of every parameter of
// x86_64's syscalls, by the name of their syscalls/sys_enter_* tracepoint
// (SyscallParams), generated from the formats of those tracepoints on an
// x86_64 host (internal/gensyscallparams; mount tracefs first). They name
// the tracepoint's fields, which codegen locates without a target, and
// give the prototype validate checks the arguments of syscall hooks and
// syscall tracepoints against without a target. Generate both tables from
// the newest kernel and x/sys at hand: a syscall they lack is refused in
// syscall hooks (TestTablesKnowHostSyscalls checks the running kernel's).
//
// # syscall64
//
// See Syscall64Compat for the encoding and for how BPF code tells a compat
// syscall from a native one.
//
// # Errors
//
// ErrUnknownArch, ErrUnknownSyscall, ErrWrongArch, ErrNoEntryPoint and
// ErrNotSyscallFunction are returned wrapped with the offending name; branch
// on them with errors.Is.
package arch
