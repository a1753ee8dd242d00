package arch

import (
	"strconv"
	"strings"
)

// Register names of a data entry with source: pt_regs (resolve: "eax"):
// the names Tetragon accepts, for the architecture the bundle is built for.
//
//   - x86_64: each general register by its 64-, 32-, 16- and 8-bit names
//     (rax eax ax al, ..., r8 r8d r8w r8b, ...), and rip/eip; the narrower
//     names read the register's low bytes.
//   - arm64: x0..x30 (x31 is sp), w0..w30 (the low 32 bits), sp and pc.
//
// Tetragon sign-extends the low bytes it reads to 64 bits; so does polc.

// x86RegNames lists each register's names by width: 8, 4, 2, 1 bytes.
var x86RegNames = []struct {
	reg   string    // member of struct pt_regs
	names [4]string // 8, 4, 2, 1 bytes; "" where there is none
}{
	{"ip", [4]string{"rip", "eip", "", ""}},
	{"ax", [4]string{"rax", "eax", "ax", "al"}},
	{"bx", [4]string{"rbx", "ebx", "bx", "bl"}},
	{"cx", [4]string{"rcx", "ecx", "cx", "cl"}},
	{"dx", [4]string{"rdx", "edx", "dx", "dl"}},
	{"si", [4]string{"rsi", "esi", "si", "sil"}},
	{"di", [4]string{"rdi", "edi", "di", "dil"}},
	{"bp", [4]string{"rbp", "ebp", "bp", "bpl"}},
	{"sp", [4]string{"rsp", "esp", "sp", "spl"}},
	{"r8", [4]string{"r8", "r8d", "r8w", "r8b"}},
	{"r9", [4]string{"r9", "r9d", "r9w", "r9b"}},
	{"r10", [4]string{"r10", "r10d", "r10w", "r10b"}},
	{"r11", [4]string{"r11", "r11d", "r11w", "r11b"}},
	{"r12", [4]string{"r12", "r12d", "r12w", "r12b"}},
	{"r13", [4]string{"r13", "r13d", "r13w", "r13b"}},
	{"r14", [4]string{"r14", "r14d", "r14w", "r14b"}},
	{"r15", [4]string{"r15", "r15d", "r15w", "r15b"}},
}

// PtRegsByName returns the register a policy names for a pt_regs data
// entry: its place in struct pt_regs and how many low bytes are read.
func (a Arch) PtRegsByName(name string) (Reg, bool) {
	switch a {
	case X86_64:
		for _, r := range x86RegNames {
			for i, n := range r.names {
				if n != "" && n == name {
					reg := x86Reg(r.reg)
					reg.Size = 8 >> i
					return reg, true
				}
			}
		}
	case ARM64:
		switch name {
		case "sp", "x31":
			return arm64SP, true
		case "pc":
			return arm64PC, true
		}
		for _, p := range []string{"x", "w"} {
			rest, ok := strings.CutPrefix(name, p)
			if !ok || rest == "" || strings.TrimLeft(rest, "0123456789") != "" {
				continue
			}
			i, err := strconv.Atoi(rest)
			if err != nil || i > 30 {
				return Reg{}, false
			}
			r := arm64X(i)
			if p == "w" {
				r.Size = 4
			}
			return r, true
		}
	}
	return Reg{}, false
}

// PtRegsNames lists the register names PtRegsByName knows for a, for
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
