package emit

import (
	"fmt"
	"strconv"

	"github.com/cilium/ebpf/asm"
)

// Builder accumulates the instructions of one program or function.
// The zero value is ready to use.
type Builder struct {
	insns   asm.Instructions
	pending []string          // labels waiting for the next instruction
	alias   map[string]string // label -> the label actually on the instruction
	counter map[string]int
	source  fmt.Stringer // source line for the next instruction
	last    fmt.Stringer // source line in effect
	errs    []error
}

// Fresh returns a label not handed out before by this Builder, built from
// hint: "hint" the first time, then "hint.1", "hint.2", ...
func (b *Builder) Fresh(hint string) string {
	if b.counter == nil {
		b.counter = make(map[string]int)
	}
	n := b.counter[hint]
	b.counter[hint] = n + 1
	if n == 0 {
		return hint
	}
	return hint + "." + strconv.Itoa(n)
}

// Label places label on the next instruction emitted.
func (b *Builder) Label(label string) {
	b.pending = append(b.pending, label)
}

// Source makes line the source of the next instruction, and of those after
// it until another Source. Repeating the line in effect does nothing, so
// that verifier logs show each line once per block.
func (b *Builder) Source(line fmt.Stringer) {
	if line == nil || (b.last != nil && line.String() == b.last.String()) {
		return
	}
	b.source = line
}

// Emit appends instructions.
func (b *Builder) Emit(insns ...asm.Instruction) {
	for _, ins := range insns {
		if len(b.pending) > 0 {
			if sym := ins.Symbol(); sym != "" {
				b.pending = append(b.pending, sym)
			}
			ins = ins.WithSymbol(b.pending[0])
			for _, l := range b.pending[1:] {
				b.setAlias(l, b.pending[0])
			}
			b.pending = b.pending[:0]
		}
		if b.source != nil {
			if ins.Source() == nil {
				ins = ins.WithSource(b.source)
			}
			b.last = b.source
			b.source = nil
		}
		b.insns = append(b.insns, ins)
	}
}

// Append emits the instructions of another builder's output (a block
// built separately), keeping their labels.
func (b *Builder) Append(insns asm.Instructions) { b.Emit(insns...) }

func (b *Builder) setAlias(from, to string) {
	if b.alias == nil {
		b.alias = make(map[string]string)
	}
	if _, dup := b.alias[from]; dup {
		b.errs = append(b.errs, fmt.Errorf("emit: label %q placed twice", from))
	}
	b.alias[from] = to
}

// Len is the number of instructions emitted so far.
func (b *Builder) Len() int { return len(b.insns) }

// Instructions returns the instructions with every jump pointing at the
// label actually placed on its target, and without the instructions no
// path reaches (the verifier refuses those). Labels still pending at the
// end are an error: nothing follows them.
func (b *Builder) Instructions() (asm.Instructions, error) {
	if len(b.pending) > 0 {
		return nil, fmt.Errorf("emit: labels %q have no instruction", b.pending)
	}
	if len(b.errs) > 0 {
		return nil, b.errs[0]
	}
	out := make(asm.Instructions, len(b.insns))
	copy(out, b.insns)
	for i, ins := range out {
		ref := ins.Reference()
		if ref == "" || !isJump(ins) {
			continue
		}
		if to, ok := b.resolve(ref); ok {
			out[i] = ins.WithReference(to)
		}
	}
	return reachable(out)
}

// reachable drops the instructions no path from the first reaches. A
// dropped instruction's source line moves to the next kept one that has
// none, so that line info stays where the code is.
func reachable(insns asm.Instructions) (asm.Instructions, error) {
	labels := make(map[string]int)
	for i, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			labels[sym] = i
		}
	}
	seen := make([]bool, len(insns))
	work := []int{0}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		for i < len(insns) && !seen[i] {
			seen[i] = true
			ins := insns[i]
			if isJump(ins) && ins.Reference() != "" {
				t, ok := labels[ins.Reference()]
				if !ok {
					return nil, fmt.Errorf("emit: jump to unknown label %q", ins.Reference())
				}
				work = append(work, t)
				if ins.OpCode.JumpOp() == asm.Ja {
					break
				}
			}
			if ins.OpCode.JumpOp() == asm.Exit && ins.OpCode.Class().IsJump() {
				break
			}
			i++
		}
	}
	out := insns[:0:0]
	var carry fmt.Stringer
	for i, ins := range insns {
		if !seen[i] {
			if src := ins.Source(); src != nil {
				carry = src
			}
			continue
		}
		if carry != nil && ins.Source() == nil {
			ins = ins.WithSource(carry)
		}
		carry = nil
		out = append(out, ins)
	}
	return out, nil
}

func (b *Builder) resolve(l string) (string, bool) {
	to, ok := b.alias[l]
	for i := 0; ok && i < len(b.alias); i++ {
		next, more := b.alias[to]
		if !more {
			break
		}
		to = next
	}
	return to, ok
}

func isJump(ins asm.Instruction) bool {
	class := ins.OpCode.Class()
	if class != asm.JumpClass && class != asm.Jump32Class {
		return false
	}
	op := ins.OpCode.JumpOp()
	return op != asm.Call && op != asm.Exit
}

// StoreImm is *(size *)(dst + offset) = value, for every size: asm.StoreImm
// refuses DWord, which the kernel accepts (value is sign-extended from 32
// bits).
func StoreImm(dst asm.Register, offset int16, value int64, size asm.Size) asm.Instruction {
	return asm.Instruction{OpCode: asm.StoreImmOp(size), Dst: dst, Offset: offset, Constant: value}
}

// Extend sign- or zero-extends the low size bytes of r to 64 bits.
func Extend(size int, signed bool) []asm.Instruction {
	if size >= 8 {
		return nil
	}
	shift := int32(64 - 8*size)
	if signed {
		return []asm.Instruction{asm.LSh.Imm(asm.R0, shift), asm.ArSh.Imm(asm.R0, shift)}
	}
	return []asm.Instruction{asm.LSh.Imm(asm.R0, shift), asm.RSh.Imm(asm.R0, shift)}
}

// ExtendReg is Extend for any register.
func ExtendReg(r asm.Register, size int, signed bool) []asm.Instruction {
	ins := Extend(size, signed)
	for i := range ins {
		ins[i].Dst = r
	}
	return ins
}

// UserStrLen emits, after a bpf_probe_read_user_str call, the jump to
// fault when it failed and leaves in R0 the bytes it wrote with the NUL.
// Kernels before the fix to strncpy_from_user_nofault (6.1 and 6.12 among
// the matrix's; the host's 6.18 has it) return 0, not 1, for an empty
// string: that is an empty string, not a fault.
func (b *Builder) UserStrLen(fault string) {
	read := b.Fresh("user_str_read")
	b.Emit(
		asm.JSLT.Imm(asm.R0, 0, fault),
		asm.JNE.Imm(asm.R0, 0, read),
		asm.Mov.Imm(asm.R0, 1),
	)
	b.Label(read)
}
