package codegen

import (
	"fmt"
	"io"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
)

// WriteAsm writes a normalized disassembly of the bundle: maps, then each
// program and subprogram with symbolic jump labels, map, variable and
// function names, CO-RE relocations and source lines, and no addresses or
// file descriptors. polc dump --stage asm and golden .asm files print it.
func (b *Bundle) WriteAsm(w io.Writer) error { return b.WriteAsmWith(w, AsmOptions{}) }

// AsmOptions tune WriteAsmWith.
type AsmOptions struct {
	// NoLines leaves out the policy line number that ends each source
	// comment ("; - index: 0  @16"), so that a line added above a policy
	// does not change every comment of its disassembly (polc dump without
	// --pos, golden files).
	NoLines bool
	// NoFallbacks leaves out the programs and functions for kernels
	// without bpf_loop (noloop.go) or bpf_get_attach_cookie (nocookie.go),
	// which the golden files of the 6.1+ code do not show.
	NoFallbacks bool
}

// WriteAsmWith is WriteAsm with options.
func (b *Bundle) WriteAsmWith(w io.Writer, opts AsmOptions) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "bundle %s\n", b.Name)
	for _, m := range b.Maps {
		fmt.Fprintf(&sb, "map %s %s key=%d value=%d max=%d", m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries)
		if m.Flags != 0 {
			fmt.Fprintf(&sb, " flags=%#x", m.Flags)
		}
		if m.Pinning != 0 {
			sb.WriteString(" pinned")
		}
		sb.WriteString("\n")
	}
	// Hooks expanded from one list often compile to the same code: print
	// it once.
	seen := map[string]string{}
	for _, p := range b.Programs {
		var body strings.Builder
		writeInsns(&body, p.Insns, opts)
		fmt.Fprintf(&sb, "\nprogram %s section %s (%d instructions)", p.Name, p.Section, len(p.Insns))
		if prev, ok := seen[body.String()]; ok {
			fmt.Fprintf(&sb, ": the code of %s\n", prev)
			continue
		}
		seen[body.String()] = p.Name
		sb.WriteString("\n")
		sb.WriteString(body.String())
	}
	for _, f := range b.Funcs {
		fmt.Fprintf(&sb, "\nfunc %s (%d instructions)\n", f.Name, len(f.Insns))
		writeInsns(&sb, f.Insns, opts)
	}
	if len(b.NoCookie) > 0 && !opts.NoFallbacks {
		sb.WriteString("\n; without bpf_get_attach_cookie: loaded instead, once per place of the probe, on kernels that lack it\n")
		for _, p := range b.NoCookie {
			fmt.Fprintf(&sb, "\nprogram %s section %s (%d instructions)\n", p.Name, p.Section, len(p.Insns))
			writeInsns(&sb, p.Insns, opts)
		}
	}
	if fb := b.Fallbacks; fb != nil && len(fb.Programs) > 0 && !opts.NoFallbacks {
		sb.WriteString("\n; without bpf_loop: loaded instead on kernels that lack it\n")
		for _, m := range fb.Maps {
			fmt.Fprintf(&sb, "map %s %s key=%d value=%d max=%d\n", m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries)
		}
		for _, p := range fb.Programs {
			fmt.Fprintf(&sb, "\nprogram %s section %s (%d instructions)\n", p.Name, p.Section, len(p.Insns))
			writeInsns(&sb, p.Insns, opts)
		}
		for _, f := range fb.Funcs {
			fmt.Fprintf(&sb, "\nfunc %s (%d instructions)\n", f.Name, len(f.Insns))
			writeInsns(&sb, f.Insns, opts)
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// Asm returns WriteAsmWith's text.
func (b *Bundle) Asm(opts AsmOptions) string {
	var sb strings.Builder
	b.WriteAsmWith(&sb, opts)
	return sb.String()
}

func writeInsns(sb *strings.Builder, insns asm.Instructions, opts AsmOptions) {
	var lastSrc string
	for _, ins := range insns {
		if src := ins.Source(); src != nil {
			text := src.String()
			if l, ok := src.(object.Line); ok && l.Line > 0 && !opts.NoLines {
				text = fmt.Sprintf("%s  @%d", l.Text, l.Line)
			}
			if text != lastSrc {
				fmt.Fprintf(sb, "\t; %s\n", text)
				lastSrc = text
			}
		}
		if sym := ins.Symbol(); sym != "" {
			fmt.Fprintf(sb, "%s:\n", sym)
		}
		sb.WriteString("\t")
		sb.WriteString(formatInsn(ins))
		if r := object.CORERelocationOf(ins); r != nil {
			fmt.Fprintf(sb, "\t; CO-RE %s", r)
		}
		sb.WriteString("\n")
	}
}

var sizeNames = map[asm.Size]string{asm.Byte: "u8", asm.Half: "u16", asm.Word: "u32", asm.DWord: "u64"}

var aluOps = map[asm.ALUOp]string{
	asm.Add: "+=", asm.Sub: "-=", asm.Mul: "*=", asm.Div: "/=", asm.Or: "|=", asm.And: "&=",
	asm.LSh: "<<=", asm.RSh: ">>=", asm.Mod: "%=", asm.Xor: "^=", asm.Mov: "=", asm.ArSh: "s>>=",
}

var jumpOps = map[asm.JumpOp]string{
	asm.JEq: "==", asm.JGT: ">", asm.JGE: ">=", asm.JSet: "&", asm.JNE: "!=", asm.JSGT: "s>",
	asm.JSGE: "s>=", asm.JLT: "<", asm.JLE: "<=", asm.JSLT: "s<", asm.JSLE: "s<=",
}

func reg(r asm.Register, wide bool) string {
	if r == asm.RFP {
		return "r10"
	}
	if wide {
		return fmt.Sprintf("r%d", r)
	}
	return fmt.Sprintf("w%d", r)
}

func memRef(base asm.Register, off int16) string {
	if off < 0 {
		return fmt.Sprintf("%s - %d", reg(base, true), -int(off))
	}
	return fmt.Sprintf("%s + %d", reg(base, true), off)
}

// formatInsn prints one instruction in the kernel's verifier-log syntax,
// with references by name.
func formatInsn(ins asm.Instruction) string {
	op := ins.OpCode
	ref := ins.Reference()
	switch class := op.Class(); {
	case ins.IsLoadFromMap() && ins.Src == asm.PseudoMapFD:
		return fmt.Sprintf("%s = map[%s]", reg(ins.Dst, true), ref)
	case ins.IsLoadFromMap():
		return fmt.Sprintf("%s = &var[%s]+%d", reg(ins.Dst, true), ref, uint64(ins.Constant)>>32)
	case ins.IsLoadOfFunctionPointer():
		return fmt.Sprintf("%s = &func[%s]", reg(ins.Dst, true), ref)
	case op.IsDWordLoad():
		return fmt.Sprintf("%s = %#x ll", reg(ins.Dst, true), uint64(ins.Constant))
	case class == asm.LdXClass:
		return fmt.Sprintf("%s = *(%s *)(%s)", reg(ins.Dst, true), sizeNames[op.Size()], memRef(ins.Src, ins.Offset))
	case class == asm.StXClass:
		if op.Mode() == asm.AtomicMode {
			return fmt.Sprintf("lock *(%s *)(%s) += %s", sizeNames[op.Size()], memRef(ins.Dst, ins.Offset), reg(ins.Src, true))
		}
		return fmt.Sprintf("*(%s *)(%s) = %s", sizeNames[op.Size()], memRef(ins.Dst, ins.Offset), reg(ins.Src, true))
	case class == asm.StClass && ins.Dst == prog.RRec && ins.Offset == bpf.HeaderHookIDOff && op.Size() == asm.Half:
		// The header's HookID: named, so that hooks expanded from one list
		// print the same code.
		return fmt.Sprintf("*(u16 *)(%s) = hook_id", memRef(ins.Dst, ins.Offset))
	case class == asm.StClass && ins.Dst == prog.RRec && ins.Offset == bpf.HeaderHookIDOff && op.Size() == asm.Word:
		// HookID with the Selector and Action after it (progGen.hookHeader).
		return fmt.Sprintf("*(u32 *)(%s) = hook_id | %#x", memRef(ins.Dst, ins.Offset), ins.Constant&^0xffff)
	case class == asm.StClass:
		return fmt.Sprintf("*(%s *)(%s) = %d", sizeNames[op.Size()], memRef(ins.Dst, ins.Offset), ins.Constant)
	case class.IsALU():
		wide := class == asm.ALU64Class
		a := op.ALUOp()
		switch a {
		case asm.Neg:
			return fmt.Sprintf("%s = -%s", reg(ins.Dst, wide), reg(ins.Dst, wide))
		case asm.Swap:
			return fmt.Sprintf("%s = bswap%d %s", reg(ins.Dst, wide), ins.Constant, reg(ins.Dst, wide))
		}
		if op.Source() == asm.RegSource {
			return fmt.Sprintf("%s %s %s", reg(ins.Dst, wide), aluOps[a], reg(ins.Src, wide))
		}
		return fmt.Sprintf("%s %s %d", reg(ins.Dst, wide), aluOps[a], ins.Constant)
	case class.IsJump():
		j := op.JumpOp()
		switch j {
		case asm.Exit:
			return "exit"
		case asm.Call:
			if ins.IsBuiltinCall() {
				return "call " + bpfHelperName(asm.BuiltinFunc(ins.Constant))
			}
			return "call " + ref
		case asm.Ja:
			return "goto " + ref
		}
		wide := class == asm.JumpClass
		if op.Source() == asm.RegSource {
			return fmt.Sprintf("if %s %s %s goto %s", reg(ins.Dst, wide), jumpOps[j], reg(ins.Src, wide), ref)
		}
		return fmt.Sprintf("if %s %s %#x goto %s", reg(ins.Dst, wide), jumpOps[j], ins.Constant, ref)
	}
	return fmt.Sprint(ins)
}

// bpfHelperName is the kernel's name of a helper: FnMapLookupElem is
// bpf_map_lookup_elem.
func bpfHelperName(fn asm.BuiltinFunc) string {
	name := strings.TrimPrefix(fn.String(), "Fn")
	var b strings.Builder
	b.WriteString("bpf")
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			b.WriteByte('_')
			b.WriteRune(c + 'a' - 'A')
			continue
		}
		_ = i
		b.WriteRune(c)
	}
	return b.String()
}

// disasm is WriteAsm's text, for test failures.
func disasm(b *Bundle) string { return b.Asm(AsmOptions{}) }
