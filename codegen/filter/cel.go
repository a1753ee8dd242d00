package filter

import (
	"math"
	"slices"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// renderCel: a CelExpr (ir.CelExpr), evaluated in R0 to R5 from the
// arguments' slots, every value in its type's canonical 64-bit form (an
// int32 sign-extended, a uint32 zero-extended, a bool 0 or 1, as the
// slots of int, int32 and uint32 arguments hold them). The top of the
// expression jumps: a comparison to fail on its inverse, && as both
// sides in turn; other values are computed and tested against 0.
// Operands are evaluated the deeper first (Sethi-Ullman), so that an
// expression of Ershov number n takes n registers; the compiler refuses
// one of more than ir.CelMaxRegs.
func renderCel(p *Gen, _ operand, t *ir.Test, fail string) {
	e := t.Cel
	if e == nil || e.Root == nil {
		p.Errorf(t.Pos, "CelExpr test without its expression")
		return
	}
	g := &celGen{p: p, t: t}
	for _, slot := range e.Slots {
		s := p.Lay.SlotOf(slot)
		if s == nil || s.Enc != bpf.EncInt {
			p.Errorf(t.Pos, "CelExpr reads argument slot %d, which the hook does not read as an integer", slot)
			return
		}
		g.slots = append(g.slots, s)
	}
	if n := e.Root.Regs(); n > len(celRegs) {
		p.Errorf(t.Pos, "CelExpr needs %d registers, more than the %d it is evaluated in", n, len(celRegs))
		return
	}
	g.branch(e.Root, fail)
}

// celRegs are the registers a CelExpr is evaluated in: those every
// helper call clobbers anyway.
var celRegs = []asm.Register{asm.R0, asm.R1, asm.R2, asm.R3, asm.R4, asm.R5}

type celGen struct {
	p     *Gen
	t     *ir.Test
	slots []*prog.Slot // by N of argN
}

// The jumps of the comparisons, unsigned and signed, and their inverses.
var (
	celJumps = map[string][2]asm.JumpOp{
		ir.CelEq: {asm.JEq, asm.JEq}, ir.CelNe: {asm.JNE, asm.JNE},
		ir.CelLt: {asm.JLT, asm.JSLT}, ir.CelLe: {asm.JLE, asm.JSLE},
		ir.CelGt: {asm.JGT, asm.JSGT}, ir.CelGe: {asm.JGE, asm.JSGE},
	}
	celInverse = map[string]string{
		ir.CelEq: ir.CelNe, ir.CelNe: ir.CelEq, ir.CelLt: ir.CelGe, ir.CelGe: ir.CelLt, ir.CelLe: ir.CelGt, ir.CelGt: ir.CelLe,
	}
)

// branch emits code that falls through when bool n is true and jumps to
// fail when it is false.
func (g *celGen) branch(n *ir.CelNode, fail string) {
	if v, ok := celConst(n); ok {
		if v == 0 {
			g.p.Emit(asm.Ja.Label(fail))
		}
		return
	}
	switch {
	case n.Kind == ir.CelCall && n.Fn == ir.CelAnd:
		g.branch(n.Args[0], fail)
		g.branch(n.Args[1], fail)
	case n.Kind == ir.CelCall && celInverse[n.Fn] != "":
		g.compare(n, celInverse[n.Fn], celRegs, fail)
	default:
		r := g.value(n, celRegs)
		g.p.Emit(asm.JEq.Imm(r, 0, fail))
	}
}

// compare evaluates comparison n's operands and jumps to target when
// comparison fn (n's own or its inverse) holds between them. It returns
// the register of the left operand.
func (g *celGen) compare(n *ir.CelNode, fn string, free []asm.Register, target string) asm.Register {
	a, b := n.Args[0], n.Args[1]
	op := celJumps[fn][b2i(a.Type.Signed())]
	if imm, ok := celImm(b); ok {
		ra := g.value(a, free)
		g.p.Emit(op.Imm(ra, imm, target))
		return ra
	}
	ra, rb := g.operands(a, b, free)
	g.p.Emit(op.Reg(ra, rb, target))
	return ra
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// celImm: n is constant (int32(10) as well as 10), and an instruction's
// 32-bit immediate, sign-extended, gives its canonical form.
func celImm(n *ir.CelNode) (int32, bool) {
	v, ok := celConst(n)
	if !ok || v < math.MinInt32 || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

// celConst: n reads no argument, so its value is known here.
func celConst(n *ir.CelNode) (int64, bool) {
	if n.Kind == ir.CelArg {
		return 0, false
	}
	for _, a := range n.Args {
		if _, ok := celConst(a); !ok {
			return 0, false
		}
	}
	v, err := n.Eval(nil)
	return v, err == nil
}

// operands evaluates a and b into two registers of free, the one that
// needs more registers first.
func (g *celGen) operands(a, b *ir.CelNode, free []asm.Register) (ra, rb asm.Register) {
	if a.Regs() >= b.Regs() {
		ra = g.value(a, free)
		rb = g.value(b, without(free, ra))
	} else {
		rb = g.value(b, free)
		ra = g.value(a, without(free, rb))
	}
	return ra, rb
}

func without(free []asm.Register, r asm.Register) []asm.Register {
	return slices.DeleteFunc(slices.Clone(free), func(x asm.Register) bool { return x == r })
}

// value computes n into a register of free and returns it.
func (g *celGen) value(n *ir.CelNode, free []asm.Register) asm.Register {
	p := g.p
	r := free[0]
	if v, ok := celConst(n); ok {
		if imm, ok := celImm(n); ok {
			p.Emit(asm.Mov.Imm(r, imm))
		} else {
			p.Emit(asm.LoadImm(r, v, asm.DWord))
		}
		return r
	}
	switch n.Kind {
	case ir.CelArg:
		p.Emit(asm.LoadMem(r, prog.RRec, int16(g.slots[n.Arg].Off), asm.DWord))
		return r
	}
	switch n.Fn {
	case ir.CelInt32, ir.CelUint32:
		r = g.value(n.Args[0], free)
		g.fit(r, n.Type)
		return r
	case ir.CelNot:
		r = g.value(n.Args[0], free)
		p.Emit(asm.Xor.Imm(r, 1))
		return r
	case ir.CelAdd, ir.CelSub, ir.CelAnd, ir.CelOr:
		alu := map[string]asm.ALUOp{ir.CelAdd: asm.Add, ir.CelSub: asm.Sub, ir.CelAnd: asm.And, ir.CelOr: asm.Or}[n.Fn]
		if imm, ok := celImm(n.Args[1]); ok {
			r = g.value(n.Args[0], free)
			p.Emit(alu.Imm(r, imm))
		} else {
			ra, rb := g.operands(n.Args[0], n.Args[1], free)
			p.Emit(alu.Reg(ra, rb))
			r = ra
		}
		g.fit(r, n.Type)
		return r
	}
	// A comparison's value: 1 when it holds, else 0.
	yes, done := p.B.Fresh("cel_true"), p.B.Fresh("cel_done")
	r = g.compare(n, n.Fn, free, yes)
	p.Emit(asm.Mov.Imm(r, 0), asm.Ja.Label(done))
	p.B.Label(yes)
	p.Emit(asm.Mov.Imm(r, 1))
	p.B.Label(done)
	return r
}

// fit reduces r to type t's canonical form after arithmetic: an int32
// sign-extended from its low 32 bits, a uint32 zero-extended.
func (g *celGen) fit(r asm.Register, t ir.CelType) {
	switch t {
	case ir.CelS32:
		g.p.Emit(asm.LSh.Imm(r, 32), asm.ArSh.Imm(r, 32))
	case ir.CelU32:
		g.p.Emit(asm.Mov.Reg32(r, r))
	}
}
