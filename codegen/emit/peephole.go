package emit

import (
	"math"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/codegen/object"
)

// Peephole optimizer: a table of rules, each a small rewrite of a whole
// instruction list, run one after the other until none changes anything
// (the way gVisor's pkg/bpf optimizer runs its optimizers to a fixed
// point). It works on the output of Builder.Instructions: jumps are still
// symbolic (a reference to the label on their target), so a rule may drop
// or retarget instructions without recomputing offsets.
//
// Every rule keeps what the object writer and the verifier need:
//   - a label on a dropped instruction moves to the next one (or the jumps
//     to it go to the label already there), never to nowhere;
//   - a source line on a dropped instruction moves to the next one; a rule
//     does not drop an instruction whose line would be lost (the next one
//     has a line of its own), except unreachable code, as Instructions does;
//   - instructions carrying a CO-RE relocation or referring to a map, a
//     variable or a function (calls, bpf_loop callbacks) are never dropped
//     or merged;
//   - a retargeted jump stays within the 16-bit offset of its encoding.
//
// The verifier sees the same paths with the same register states, minus
// the dropped instructions: no rule changes what a program computes.

// Rule is one peephole rewrite: it returns the rewritten instructions and
// whether it changed anything. It must not modify insns in place.
type Rule struct {
	Name  string
	Apply func(insns asm.Instructions) (asm.Instructions, bool)
}

// Rules are the peephole rules Optimize runs, in order, to a fixed point.
var Rules = []Rule{
	{"thread-jumps", threadJumps},
	{"drop-jump-to-next", repeat(dropJumpToNext)},
	{"drop-redundant-load", repeat(dropRedundantLoads)},
	{"drop-unreachable", dropUnreachable},
}

// repeat applies a rule that changes one place per call until it changes
// nothing.
func repeat(rule func(asm.Instructions) (asm.Instructions, bool)) func(asm.Instructions) (asm.Instructions, bool) {
	return func(insns asm.Instructions) (asm.Instructions, bool) {
		changed := false
		for n := len(insns); n > 0; n-- { // each change drops an instruction
			out, c := rule(insns)
			if !c {
				break
			}
			insns, changed = out, true
		}
		return insns, changed
	}
}

// maxRounds bounds the fixed-point iteration. Every round that changes
// something drops or retargets at least one instruction, so real programs
// settle in a few rounds; the bound only guards against a rule bug.
const maxRounds = 64

// Optimize runs Rules on insns until none changes anything and returns the
// result; insns is not modified. Input that is not well formed (a jump to
// an unknown label) is returned unchanged: Builder.Instructions has
// reported it already.
func Optimize(insns asm.Instructions) asm.Instructions {
	if _, err := reachable(insns); err != nil {
		return insns
	}
	for round := 0; round < maxRounds; round++ {
		changed := false
		for _, r := range Rules {
			var c bool
			insns, c = r.Apply(insns)
			changed = changed || c
		}
		if !changed {
			break
		}
	}
	return insns
}

// labelIndex maps each label to the index of the instruction carrying it.
func labelIndex(insns asm.Instructions) map[string]int {
	labels := make(map[string]int)
	for i, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			labels[sym] = i
		}
	}
	return labels
}

// isGoto is an unconditional jump to a label.
func isGoto(ins asm.Instruction) bool {
	return ins.OpCode.JumpOp() == asm.Ja && isJump(ins) && ins.Reference() != ""
}

// wideJump is gotol (JA in the 32-bit jump class), whose offset is the
// 32-bit immediate; every other jump has a 16-bit offset.
func wideJump(ins asm.Instruction) bool {
	return ins.OpCode.Class() == asm.Jump32Class && ins.OpCode.JumpOp() == asm.Ja
}

// slots is the raw offset (in 8-byte slots) of each instruction.
func slots(insns asm.Instructions) []int {
	starts := make([]int, len(insns)+1)
	for i, ins := range insns {
		starts[i+1] = starts[i] + int(ins.Width())
	}
	return starts
}

// threadJumps: a jump to an unconditional jump goes to that jump's target
// instead (following a chain, not a cycle), unless the new target is
// further than the jump's offset reaches.
func threadJumps(insns asm.Instructions) (asm.Instructions, bool) {
	labels := labelIndex(insns)
	var starts []int
	var out asm.Instructions
	for i, ins := range insns {
		if !isJump(ins) || ins.Reference() == "" {
			continue
		}
		ref := ins.Reference()
		t, ok := labels[ref]
		seen := map[int]bool{i: true}
		for ok && isGoto(insns[t]) {
			if seen[t] {
				ok = false // a cycle of gotos: leave it alone
				break
			}
			seen[t] = true
			ref = insns[t].Reference()
			t, ok = labels[ref]
		}
		if !ok || ref == ins.Reference() {
			continue
		}
		if starts == nil {
			starts = slots(insns)
		}
		if delta := starts[t] - starts[i] - 1; !wideJump(ins) && (delta < math.MinInt16 || delta > math.MaxInt16) {
			continue
		}
		if out == nil {
			out = append(asm.Instructions(nil), insns...)
		}
		out[i] = ins.WithReference(ref)
	}
	if out == nil {
		return insns, false
	}
	return out, true
}

// dropJumpToNext: an unconditional jump to the instruction right after it
// does nothing. (A conditional one is left alone: the verifier refines the
// registers it tests differently on its two edges.)
func dropJumpToNext(insns asm.Instructions) (asm.Instructions, bool) {
	labels := labelIndex(insns)
	for i, ins := range insns {
		if !isGoto(ins) {
			continue
		}
		if t, ok := labels[ins.Reference()]; ok && t == i+1 {
			if out, ok := remove(insns, i); ok {
				return out, true // labels moved: the next round looks again
			}
		}
	}
	return insns, false
}

// memRef is where a register's value was loaded from: *(size *)(base + off).
type memRef struct {
	base asm.Register
	off  int16
	size asm.Size
}

// dropRedundantLoads: a load into a register that already holds the value
// at that address, with nothing in between that could change the
// register, the base register or the memory, is dropped. A register holds
// *(size *)(base + off) after loading it (base not itself), and after
// spilling all 64 bits of it to the stack (*(u64 *)(r10 + off) = reg).
// What is known is forgotten at every label (another path arrives there),
// every call (helpers and functions clobber R0-R5 and write memory through
// the pointers they get), every store through a register other than r10
// (it may point anywhere, the stack included), every instruction it does
// not understand, and for a register, when anything writes it or the base
// it was loaded through.
func dropRedundantLoads(insns asm.Instructions) (asm.Instructions, bool) {
	holds := make(map[asm.Register]memRef)
	forgetReg := func(r asm.Register) {
		delete(holds, r)
		for reg, m := range holds {
			if m.base == r {
				delete(holds, reg)
			}
		}
	}
	for i, ins := range insns {
		if ins.Symbol() != "" {
			clear(holds)
		}
		op := ins.OpCode
		core := object.CORERelocationOf(ins) != nil
		switch {
		case op.Class() == asm.LdXClass && op.Mode() == asm.MemMode:
			m := memRef{ins.Src, ins.Offset, op.Size()}
			if have, ok := holds[ins.Dst]; ok && have == m && !core && ins.Reference() == "" {
				if out, ok := remove(insns, i); ok {
					return out, true
				}
			}
			forgetReg(ins.Dst)
			if ins.Dst != ins.Src && !core {
				holds[ins.Dst] = m
			}

		case (op.Class() == asm.StXClass || op.Class() == asm.StClass) && op.Mode() == asm.MemMode:
			if ins.Dst != asm.RFP {
				clear(holds)
				break
			}
			lo, hi := int(ins.Offset), int(ins.Offset)+op.Size().Sizeof()
			for reg, m := range holds {
				// A stack store cannot change memory through another base
				// only if that base is not a stack pointer, which we do not
				// know: forget those too.
				if m.base != asm.RFP || int(m.off) < hi && lo < int(m.off)+m.size.Sizeof() {
					delete(holds, reg)
				}
			}
			if op.Class() == asm.StXClass && op.Size() == asm.DWord && ins.Src != asm.RFP && !core {
				holds[ins.Src] = memRef{asm.RFP, ins.Offset, asm.DWord}
			}

		case op.Class().IsALU() && ins.Dst != asm.RFP:
			forgetReg(ins.Dst)

		case op.Class() == asm.LdClass && op.IsDWordLoad():
			forgetReg(ins.Dst)

		case op.Class().IsJump() && op.JumpOp() != asm.Call && op.JumpOp() != asm.Exit:
			// A jump changes nothing; the code after an unconditional
			// one is reached only through a label.

		default:
			clear(holds)
		}
	}
	return insns, false
}

// dropUnreachable drops the code no path reaches, which threading leaves
// behind (as Instructions does for the builder's output).
func dropUnreachable(insns asm.Instructions) (asm.Instructions, bool) {
	out, err := reachable(insns)
	if err != nil || len(out) == len(insns) {
		return insns, false
	}
	return out, true
}

// remove returns insns without instruction i, whose label and source line
// move to the next instruction, or false when that would lose something:
// i is the first or last instruction, it carries a CO-RE relocation or a
// reference other than a jump's, or both it and the next have a source
// line.
func remove(insns asm.Instructions, i int) (asm.Instructions, bool) {
	if i <= 0 || i+1 >= len(insns) {
		return insns, false
	}
	ins, next := insns[i], insns[i+1]
	if object.CORERelocationOf(ins) != nil || (ins.Reference() != "" && !isJump(ins)) {
		return insns, false
	}
	if ins.Source() != nil {
		if next.Source() != nil {
			return insns, false
		}
		next = next.WithSource(ins.Source())
	}
	out := make(asm.Instructions, 0, len(insns)-1)
	out = append(out, insns[:i]...)
	rename := ""
	if sym := ins.Symbol(); sym != "" {
		if next.Symbol() == "" {
			next = next.WithSymbol(sym)
		} else {
			rename = sym
		}
	}
	out = append(out, next)
	out = append(out, insns[i+2:]...)
	if rename != "" {
		for j, o := range out {
			if o.Reference() == rename && isJump(o) {
				out[j] = o.WithReference(next.Symbol())
			}
		}
	}
	return out, true
}
