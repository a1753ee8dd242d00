package arch

import (
	"fmt"
	"strconv"
	"strings"
)

// AssignKind is the form of the right-hand side of a register assignment,
// as Tetragon's Override on uprobes writes them in argRegs.
type AssignKind uint8

const (
	// AssignConst: "rax=11", "rax=-1", "rax=0x10", "rax=010" (octal).
	AssignConst AssignKind = iota + 1
	// AssignReg: "rsp=%rax", the source register's value.
	AssignReg
	// AssignRegOff: "rsp=8%rsp", the source register's value plus Off.
	AssignRegOff
	// AssignDeref: "rip=(%rsp)", "rbp=-8(%rbp)": the 8 bytes of user
	// memory at the source register's value plus Off. When they cannot be
	// read, the register keeps its value.
	AssignDeref
)

var assignKindNames = map[AssignKind]string{AssignConst: "const", AssignReg: "reg", AssignRegOff: "reg+off", AssignDeref: "deref"}

func (k AssignKind) String() string {
	if s, ok := assignKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("assignkind(%d)", k)
}

// Assignment is one register assignment of a uprobe's Override: Dst gets
// its low Dst.Size bytes written (the others are kept, as Tetragon does,
// also for eax); a source register reads as its low Src.Size bytes,
// zero-extended.
type Assignment struct {
	Kind AssignKind
	Dst  Reg
	Src  Reg    // AssignReg, AssignRegOff, AssignDeref
	Off  uint64 // the constant, or the offset added to Src
}

// UserReg returns the register of a user task's struct pt_regs that name
// spells, with the size the name reads or writes: on x86_64 rax eax ax al
// (8, 4, 2, 1 bytes), the same for rbx rcx rdx rsi rdi rbp rsp (sil dil
// bpl spl), r8..r15 (r8d r8w r8b), and rip eip; on arm64 x0..x30, sp
// (x31), pc (8 bytes) and w0..w30 (4 bytes). These are Tetragon's names.
func (a Arch) UserReg(name string) (Reg, bool) {
	switch a {
	case X86_64:
		for _, r := range x86UserRegs {
			for i, n := range r.names {
				if n != "" && n == name {
					reg := x86Reg(r.member)
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
		if len(name) < 2 || (name[0] != 'x' && name[0] != 'w') || name[1] == '+' || name[1] == '-' {
			return Reg{}, false
		}
		i, err := strconv.Atoi(name[1:])
		if err != nil || i < 0 || i > 30 {
			return Reg{}, false
		}
		r := arm64X(i)
		if name[0] == 'w' {
			r.Size = 4
		}
		return r, true
	}
	return Reg{}, false
}

// x86UserRegs: the pt_regs member and its 8, 4, 2 and 1-byte names.
var x86UserRegs = []struct {
	member string
	names  [4]string
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

// OverrideReturn is what Override with argError (and no argRegs) assigns
// on a uprobe at the top of a function, as Tetragon does: the return value
// register gets errValue (sign-extended to 64 bits) and the function
// returns at once to its caller. x86_64: rax=errValue, rip=(%rsp),
// rsp=8%rsp (pop the return address); arm64: x0=errValue, pc=%x30 (the
// link register).
func (a Arch) OverrideReturn(errValue int64) []string {
	switch a {
	case X86_64:
		return []string{fmt.Sprintf("rax=%d", errValue), "rip=(%rsp)", "rsp=8%rsp"}
	case ARM64:
		return []string{fmt.Sprintf("x0=%d", errValue), "pc=%x30"}
	}
	return nil
}

// ParseAssignment parses one argRegs entry, DST=SRC, where SRC is a
// number N (decimal, 0x hex, 0 octal, or negative), %REG, N%REG or
// N(%REG) / (%REG) (see AssignKind). Spaces may surround the parts, but
// not follow a %.
func (a Arch) ParseAssignment(s string) (Assignment, error) {
	if err := a.check(); err != nil {
		return Assignment{}, err
	}
	lhs, rhs, ok := strings.Cut(s, "=")
	if !ok || strings.Contains(rhs, "=") {
		return Assignment{}, fmt.Errorf("%q is not one assignment REG=VALUE", s)
	}
	var as Assignment
	name := strings.TrimSpace(lhs)
	if as.Dst, ok = a.UserReg(name); !ok {
		return Assignment{}, fmt.Errorf("%q is not a register of %s", name, a)
	}
	rhs = strings.TrimSpace(rhs)
	reg := func(r string) error {
		if !strings.HasPrefix(r, "%") {
			return fmt.Errorf("%q: want %%REG", r)
		}
		var ok bool
		if as.Src, ok = a.UserReg(r[1:]); !ok {
			return fmt.Errorf("%q is not a register of %s", r[1:], a)
		}
		return nil
	}
	var err error
	switch {
	case rhs == "":
		return Assignment{}, fmt.Errorf("%q: nothing is assigned", s)
	case strings.HasSuffix(rhs, ")"):
		// N(%REG) or (%REG)
		open := strings.Index(rhs, "(")
		if open < 0 {
			return Assignment{}, fmt.Errorf("%q: unbalanced parenthesis", s)
		}
		as.Kind = AssignDeref
		if off := strings.TrimSpace(rhs[:open]); off != "" {
			if as.Off, err = parseNumber(off); err != nil {
				return Assignment{}, fmt.Errorf("%q: offset %w", s, err)
			}
		}
		err = reg(strings.TrimSpace(rhs[open+1 : len(rhs)-1]))
	case strings.HasPrefix(rhs, "%"):
		as.Kind = AssignReg
		err = reg(rhs)
	case strings.Contains(rhs, "%"):
		i := strings.Index(rhs, "%")
		as.Kind = AssignRegOff
		if as.Off, err = parseNumber(strings.TrimSpace(rhs[:i])); err != nil {
			return Assignment{}, fmt.Errorf("%q: offset %w", s, err)
		}
		err = reg(rhs[i:])
	default:
		as.Kind = AssignConst
		if as.Off, err = parseNumber(rhs); err != nil {
			return Assignment{}, fmt.Errorf("%q: value %w", s, err)
		}
	}
	if err != nil {
		return Assignment{}, fmt.Errorf("%q: %w", s, err)
	}
	return as, nil
}

// parseNumber reads a 64-bit number in Go's base-0 syntax (0x hex, 0
// octal), negative ones as two's complement.
func parseNumber(s string) (uint64, error) {
	if strings.HasPrefix(s, "-") {
		v, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", s)
		}
		return uint64(v), nil
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}
