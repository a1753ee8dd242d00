package smoke

// Offsets into x86-64 struct pt_regs, the context of kprobes and uprobes.
const (
	ptRegsRet    = 10 * 8 // AX: the return value
	ptRegsArg0   = 14 * 8 // DI: the first argument of the C ABI
	ptRegsGoArg0 = 10 * 8 // AX: the first argument of Go's register ABI
)

// getpidEntry is the kernel function the getpid syscall enters through.
const getpidEntry = "__x64_sys_getpid"
