package smoke

// Offsets into arm64 struct user_pt_regs (regs[31], sp, pc, pstate), the
// context of kprobes and uprobes.
const (
	ptRegsRet    = 0 // x0: the return value
	ptRegsArg0   = 0 // x0: the first argument of the C ABI
	ptRegsGoArg0 = 0 // R0: the first argument of Go's register ABI
)

// getpidEntry is the kernel function the getpid syscall enters through.
const getpidEntry = "__arm64_sys_getpid"
