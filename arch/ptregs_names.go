package arch

// Register names of a data entry with source: pt_regs (resolve: "eax") are
// those of UserReg (assign.go), the names Tetragon accepts for the
// architecture the bundle is built for; the narrower names read the
// register's low bytes, which Tetragon sign-extends to 64 bits, as polc
// does.

// PtRegsNames lists the register names UserReg knows for a, for
// diagnostics.
func (a Arch) PtRegsNames() string {
	switch a {
	case X86_64:
		return "rax, eax, ax, al, ..., r8 to r15 (r8d, r8w, r8b), rip, eip"
	case ARM64:
		return "x0 to x30, w0 to w30, sp, pc"
	}
	return ""
}
