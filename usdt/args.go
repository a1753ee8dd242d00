package usdt

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
)

// Arg is where one argument of a probe is, as a note describes it.
type Arg struct {
	Text   string // as written: "-4@-20(%rbp)"
	Size   int    // bytes: 1, 2, 4 or 8
	Signed bool
	Kind   uint8 // bpf.USDTArgConst, USDTArgReg, USDTArgRegDeref, USDTArgSIB
	// Reg is the (base) register, Index the index register of
	// USDTArgSIB, as struct pt_regs names them ("di", "regs[1]"), and
	// RegOff, IndexOff their offsets there.
	Reg, Index       string
	RegOff, IndexOff int
	Scale            int   // the index's multiplier: 1, 2, 4 or 8
	Value            int64 // the constant, or the displacement (a symbol's resolved)
}

// InMemory reports whether the argument is a location in the process's
// memory, which a Set action can write.
func (a *Arg) InMemory() bool { return a.Kind == bpf.USDTArgRegDeref || a.Kind == bpf.USDTArgSIB }

// Spec is the argument as the programs read it.
func (a *Arg) Spec() bpf.USDTArg {
	s := bpf.USDTArg{Kind: a.Kind, Shift: uint8(64 - 8*a.Size), RegOff: uint16(a.RegOff), IndexOff: uint16(a.IndexOff), Value: a.Value}
	if a.Signed {
		s.Signed = 1
	}
	for a.Scale > 1<<s.Scale {
		s.Scale++
	}
	return s
}

// ArgError is an argument the programs cannot read.
type ArgError struct {
	Index  int
	Text   string
	Reason string
}

func (e *ArgError) Error() string {
	return fmt.Sprintf("argument %d (%q): %s", e.Index, e.Text, e.Reason)
}

// ParseArgs parses a note's argument string for architecture a. syms are
// the binary's symbols, for %rip-relative arguments; pc is the probe's
// address as linked, which such arguments are relative to at run time.
func ParseArgs(text string, a arch.Arch, syms map[string]uint64, pc uint64) ([]Arg, error) {
	var out []Arg
	for i, tok := range splitArgs(text) {
		arg, err := parseArg(tok, a, syms, pc)
		if err != nil {
			return nil, &ArgError{Index: i, Text: tok, Reason: err.Error()}
		}
		out = append(out, arg)
	}
	return out, nil
}

// splitArgs splits on spaces outside brackets: arm64 writes "8@[sp, 16]".
func splitArgs(s string) []string {
	var out []string
	depth, start := 0, -1
	for i, c := range s {
		switch {
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			depth--
		case c == ' ' || c == '\t':
			if depth == 0 {
				if start >= 0 {
					out = append(out, s[start:i])
				}
				start = -1
				continue
			}
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func parseArg(tok string, a arch.Arch, syms map[string]uint64, pc uint64) (Arg, error) {
	arg := Arg{Text: tok, Size: 8}
	if sz, loc, ok := strings.Cut(tok, "@"); ok {
		n, err := strconv.Atoi(sz)
		if err != nil {
			return arg, fmt.Errorf("size %q is not a number", sz)
		}
		arg.Signed = n < 0
		arg.Size = max(n, -n)
		tok = loc
	}
	switch arg.Size {
	case 1, 2, 4, 8:
	default:
		return arg, fmt.Errorf("size %d is not 1, 2, 4 or 8", arg.Size)
	}
	switch a {
	case arch.X86_64:
		return arg, parseX86(&arg, tok, syms, pc)
	case arch.ARM64:
		return arg, parseARM64(&arg, tok)
	}
	return arg, fmt.Errorf("USDT arguments of %s are not known", a)
}

var (
	// disp(%base) or disp(%base,%index,scale); disp a number, a symbol
	// or symbol±number, or nothing.
	x86Mem = regexp.MustCompile(`^([^(]*)\(%([a-z0-9]+)(?:,%([a-z0-9]+)(?:,([1248]))?)?\)$`)
	x86Sym = regexp.MustCompile(`^([A-Za-z_.$][A-Za-z0-9_.$@]*)([+-]\d+)?$`)
	// r8 … r15 and their r8d, r8w, r8b views.
	x86Numbered = regexp.MustCompile(`^(r(?:8|9|1[0-5]))[dwb]?$`)
)

func parseX86(arg *Arg, loc string, syms map[string]uint64, pc uint64) error {
	switch {
	case strings.HasPrefix(loc, "$"):
		v, err := strconv.ParseInt(loc[1:], 0, 64)
		if err != nil {
			return fmt.Errorf("constant %q is not a number", loc[1:])
		}
		arg.Kind, arg.Value = bpf.USDTArgConst, v
		return nil
	case strings.HasPrefix(loc, "%"):
		r, off, err := x86Register(loc[1:])
		if err != nil {
			return err
		}
		arg.Kind, arg.Reg, arg.RegOff = bpf.USDTArgReg, r, off
		return nil
	}
	m := x86Mem.FindStringSubmatch(loc)
	if m == nil {
		return fmt.Errorf("%q is not a register, a constant or a memory operand", loc)
	}
	r, off, err := x86Register(m[2])
	if err != nil {
		return err
	}
	arg.Kind, arg.Reg, arg.RegOff = bpf.USDTArgRegDeref, r, off
	if m[3] != "" {
		idx, ioff, err := x86Register(m[3])
		if err != nil {
			return err
		}
		arg.Kind, arg.Index, arg.IndexOff, arg.Scale = bpf.USDTArgSIB, idx, ioff, 1
		if m[4] != "" {
			arg.Scale, _ = strconv.Atoi(m[4])
		}
	}
	disp := m[1]
	switch {
	case disp == "":
	case x86Sym.MatchString(disp):
		// sym(%rip): the symbol's address, which at run time is the
		// probe's (%rip at the probe) plus their distance as linked.
		sm := x86Sym.FindStringSubmatch(disp)
		if r != "ip" {
			return fmt.Errorf("symbol %s relative to %%%s: only %%rip-relative symbols can be located", sm[1], m[2])
		}
		addr, ok := syms[sm[1]]
		if !ok {
			return fmt.Errorf("symbol %s is not in the binary's symbol tables", sm[1])
		}
		var add int64
		if sm[2] != "" {
			add, _ = strconv.ParseInt(sm[2], 10, 64)
		}
		arg.Value = int64(addr-pc) + add
	default:
		v, err := strconv.ParseInt(disp, 0, 64)
		if err != nil {
			return fmt.Errorf("displacement %q is not a number", disp)
		}
		arg.Value = v
	}
	return nil
}

// x86Register maps a register's name, of any width, to its struct pt_regs
// member and offset.
func x86Register(name string) (string, int, error) {
	full := map[string]string{
		"rax": "ax", "eax": "ax", "ax": "ax", "al": "ax",
		"rbx": "bx", "ebx": "bx", "bx": "bx", "bl": "bx",
		"rcx": "cx", "ecx": "cx", "cx": "cx", "cl": "cx",
		"rdx": "dx", "edx": "dx", "dx": "dx", "dl": "dx",
		"rsi": "si", "esi": "si", "si": "si", "sil": "si",
		"rdi": "di", "edi": "di", "di": "di", "dil": "di",
		"rbp": "bp", "ebp": "bp", "bp": "bp", "bpl": "bp",
		"rsp": "sp", "esp": "sp", "sp": "sp", "spl": "sp",
		"rip": "ip", "eip": "ip",
	}
	r, ok := full[name]
	if !ok {
		if m := x86Numbered.FindStringSubmatch(name); m != nil {
			r, ok = m[1], true
		}
	}
	if !ok {
		if name == "ah" || name == "bh" || name == "ch" || name == "dh" {
			return "", 0, fmt.Errorf("register %%%s is a high byte, which is not read", name)
		}
		return "", 0, fmt.Errorf("unknown register %%%s", name)
	}
	order := []string{"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
		"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss"}
	for i, n := range order {
		if n == r {
			return r, 8 * i, nil
		}
	}
	return "", 0, fmt.Errorf("register %%%s has no place in struct pt_regs", name)
}

var (
	arm64Mem = regexp.MustCompile(`^\[([a-z0-9]+)(?:, *(-?(?:0x)?[0-9a-f]+))?\]$`)
)

func parseARM64(arg *Arg, loc string) error {
	if v, err := strconv.ParseInt(loc, 0, 64); err == nil {
		arg.Kind, arg.Value = bpf.USDTArgConst, v
		return nil
	}
	if m := arm64Mem.FindStringSubmatch(loc); m != nil {
		r, off, err := arm64Register(m[1])
		if err != nil {
			return err
		}
		arg.Kind, arg.Reg, arg.RegOff = bpf.USDTArgRegDeref, r, off
		if m[2] != "" {
			v, err := strconv.ParseInt(m[2], 0, 64)
			if err != nil {
				return fmt.Errorf("offset %q is not a number", m[2])
			}
			arg.Value = v
		}
		return nil
	}
	r, off, err := arm64Register(loc)
	if err != nil {
		return err
	}
	arg.Kind, arg.Reg, arg.RegOff = bpf.USDTArgReg, r, off
	return nil
}

// arm64Register maps x0…x30, w0…w30 and sp to struct pt_regs.
func arm64Register(name string) (string, int, error) {
	if name == "sp" {
		return "sp", 248, nil
	}
	if len(name) > 1 && (name[0] == 'x' || name[0] == 'w') {
		if n, err := strconv.Atoi(name[1:]); err == nil && n >= 0 && n <= 30 {
			return fmt.Sprintf("regs[%d]", n), 8 * n, nil
		}
	}
	return "", 0, fmt.Errorf("unknown register %s", name)
}
