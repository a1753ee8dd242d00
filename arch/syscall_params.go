package arch

// SyscallParam is one parameter of a syscall: its name and C type as the
// kernel's SYSCALL_DEFINE declares them ("filename", "const char *").
type SyscallParam struct {
	Name, Type string
}

// SyscallParams returns the parameters of the syscall whose
// syscalls/sys_enter_NAME tracepoint is named name: the kernel function's
// name without "sys_" ("read", "newstat", "sendfile64"). They are the
// fields of that tracepoint after __syscall_nr, and the prototype of the
// syscall's body, as an x86_64 kernel declares them (zsyscall_params.go,
// generated from its tracefs by internal/gensyscallparams); other arches
// declare a few differently (arm64's clone orders its last two
// parameters as x86_64 does not). ok is false for a name the table lacks.
func SyscallParams(name string) (params []SyscallParam, ok bool) {
	params, ok = syscallParams[name]
	return params, ok
}
