package object

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// codeUnit is a program or function on its way into a code section.
type codeUnit struct {
	name string
	// offset is the unit's byte offset in its section.
	offset uint64
	// size is the encoded size in bytes.
	size   uint64
	insns  asm.Instructions
	global bool
	fn     *btf.Func
}

// symbolKey names a relocation target: a named symbol (map, variable) or
// the section symbol of a section, written "section:NAME". Names are C
// identifiers, so the two never collide.
type symbolKey string

func sectionSymbol(section string) symbolKey { return symbolKey("section:" + section) }

// relocType is an ELF relocation type for EM_BPF (llvm's ELFRelocs/BPF.def;
// debug/elf has none).
type relocType uint32

const (
	// rBPF64_64 patches the 64-bit immediate of an ldimm64: map, data and
	// function addresses.
	rBPF64_64 relocType = 1
	// rBPF64_32 patches the immediate of a call (in instruction slots).
	rBPF64_32 relocType = 10
)

type relocation struct {
	offset uint64
	target symbolKey
	typ    relocType
}

type lineRecord struct {
	offset uint64
	line   Line
}

type coreRecord struct {
	offset uint64
	relo   CORERelocation
}

// encodedUnit is a code unit as bytes plus what the ELF and .BTF.ext need
// to know about it. Offsets are relative to the section.
type encodedUnit struct {
	data   []byte
	relocs []relocation
	lines  []lineRecord
	cores  []coreRecord
}

// symbols resolves the references instructions make.
type symbols struct {
	funcs map[string]*codeUnit
	maps  map[string]bool
	// vars maps a .rodata variable to its offset in the section.
	vars       map[string]uint32
	rodataSize uint32
}

// encodeUnit resolves jumps and references of u and encodes it as it
// appears in an ELF section.
func encodeUnit(u *codeUnit, syms *symbols) (*encodedUnit, error) {
	insns := u.insns
	// Raw offset (in instruction slots) of every instruction, plus the end.
	starts := make([]int, len(insns)+1)
	labels := make(map[string]int)
	for i, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			if _, dup := labels[sym]; dup {
				return nil, fmt.Errorf("label %q defined twice", sym)
			}
			labels[sym] = starts[i]
		}
		starts[i+1] = starts[i] + int(ins.Width())
	}
	total := starts[len(insns)]
	isStart := make(map[int]bool, len(insns))
	for _, s := range starts[:len(insns)] {
		isStart[s] = true
	}

	out := &encodedUnit{}
	var buf bytes.Buffer
	for i, orig := range insns {
		ins := orig
		off := uint64(starts[i]) * asm.InstructionSize
		where := func(err error) error {
			return fmt.Errorf("instruction %d (%v): %w", i, orig, err)
		}
		ref := ins.Reference()

		switch {
		case ins.OpCode.JumpOp() == asm.Call && ins.Src == asm.PseudoCall:
			target, ok := syms.funcs[ref]
			if !ok {
				return nil, where(fmt.Errorf("call to unknown function %q", ref))
			}
			// As clang does for static functions: relative to the .text
			// section symbol, imm = index of the callee - 1.
			ins.Constant = int64(target.offset/asm.InstructionSize) - 1
			out.relocs = append(out.relocs, relocation{off, sectionSymbol(".text"), rBPF64_32})

		case ins.OpCode.JumpOp() == asm.Call && ins.Src == asm.PseudoKfuncCall:
			return nil, where(fmt.Errorf("kfunc calls are not supported"))

		case ins.IsLoadOfFunctionPointer():
			target, ok := syms.funcs[ref]
			if !ok {
				return nil, where(fmt.Errorf("address of unknown function %q", ref))
			}
			ins.Src = asm.R0
			ins.Constant = int64(target.offset)
			out.relocs = append(out.relocs, relocation{off, sectionSymbol(".text"), rBPF64_64})

		case ins.OpCode.IsDWordLoad() && ins.Src == asm.PseudoMapFD:
			if !syms.maps[ref] {
				return nil, where(fmt.Errorf("reference to unknown map %q", ref))
			}
			ins.Src = asm.R0
			ins.Constant = 0
			out.relocs = append(out.relocs, relocation{off, symbolKey(ref), rBPF64_64})

		case ins.OpCode.IsDWordLoad() && ins.Src == asm.PseudoMapValue:
			base, ok := syms.vars[ref]
			if ref == ".rodata" && syms.rodataSize > 0 {
				base, ok = 0, true
			}
			if !ok {
				return nil, where(fmt.Errorf("reference to unknown variable %q", ref))
			}
			// cilium/ebpf keeps the offset in the upper half, ELF objects
			// carry it in the lower one, relative to the section symbol.
			within := uint64(ins.Constant) >> 32
			if uint64(base)+within >= uint64(syms.rodataSize) {
				return nil, where(fmt.Errorf("offset %d of %q is outside .rodata (%d bytes)", within, ref, syms.rodataSize))
			}
			ins.Src = asm.R0
			ins.Constant = int64(uint64(base) + within)
			out.relocs = append(out.relocs, relocation{off, sectionSymbol(".rodata"), rBPF64_64})

		case isJump(ins):
			if ref != "" {
				target, ok := labels[ref]
				if !ok {
					return nil, where(fmt.Errorf("jump to unknown label %q", ref))
				}
				delta := target - starts[i] - 1
				if ins.OpCode.Class() == asm.Jump32Class && ins.OpCode.JumpOp() == asm.Ja {
					ins.Constant = int64(delta)
				} else {
					if delta < math.MinInt16 || delta > math.MaxInt16 {
						return nil, where(fmt.Errorf("jump to %q is %d instructions away, more than a jump offset holds", ref, delta))
					}
					ins.Offset = int16(delta)
				}
			}
			delta := int(ins.Offset)
			if ins.OpCode.Class() == asm.Jump32Class && ins.OpCode.JumpOp() == asm.Ja {
				delta = int(int32(ins.Constant))
			}
			target := starts[i] + 1 + delta
			if target < 0 || target >= total || !isStart[target] {
				return nil, where(fmt.Errorf("jump target %d is out of range (function has %d instruction slots)", target, total))
			}

		case ref != "":
			return nil, where(fmt.Errorf("reference %q on an instruction that cannot reference anything", ref))
		}

		if mark, _ := ins.Metadata.Get(coreMeta{}).(*coreMark); mark != nil {
			if err := checkCORE(orig, mark); err != nil {
				return nil, where(err)
			}
			out.cores = append(out.cores, coreRecord{u.offset + off, mark.relo})
		}

		if line, ok := sourceLine(ins); ok {
			out.lines = append(out.lines, lineRecord{u.offset + off, line})
		} else if i == 0 {
			// The kernel wants line info at the start of every function
			// once any is present, and cilium/ebpf wants some. The
			// function's name tells verifier log readers where they are.
			out.lines = append(out.lines, lineRecord{u.offset, Line{Text: u.name}})
		}

		if _, err := ins.Marshal(&buf, binary.LittleEndian); err != nil {
			return nil, where(err)
		}
	}
	for i := range out.relocs {
		out.relocs[i].offset += u.offset
	}
	out.data = buf.Bytes()
	return out, nil
}

// isJump reports whether ins is a jump within its function: everything of
// the jump classes but calls and exits.
func isJump(ins asm.Instruction) bool {
	class := ins.OpCode.Class()
	if class != asm.JumpClass && class != asm.Jump32Class {
		return false
	}
	op := ins.OpCode.JumpOp()
	return op != asm.Call && op != asm.Exit
}

func checkCORE(ins asm.Instruction, mark *coreMark) error {
	if mark.err != nil {
		return fmt.Errorf("CO-RE %s: %w", &mark.relo, mark.err)
	}
	want, err := mark.relo.LocalValue()
	if err != nil {
		return fmt.Errorf("CO-RE %s: %w", &mark.relo, err)
	}
	have, err := relocatedField(ins)
	if err != nil {
		return err
	}
	if uint64(have) != want {
		return fmt.Errorf("CO-RE %s: instruction carries %d, the local type says %d", &mark.relo, have, want)
	}
	return nil
}

// sourceLine returns the line_info an instruction asks for.
func sourceLine(ins asm.Instruction) (Line, bool) {
	switch src := ins.Source().(type) {
	case nil:
		return Line{}, false
	case Line:
		return src, true
	case *Line:
		if src == nil {
			return Line{}, false
		}
		return *src, true
	case btfLine:
		// Instructions read back by cilium/ebpf carry *btf.Line.
		return Line{File: src.FileName(), Line: src.LineNumber(), Column: src.LineColumn(), Text: src.Line()}, true
	default:
		return Line{Text: src.String()}, true
	}
}

// btfLine is the part of *btf.Line that line_info needs.
type btfLine interface {
	FileName() string
	Line() string
	LineNumber() uint32
	LineColumn() uint32
}

// codeSize returns the encoded size of insns in bytes.
func codeSize(insns asm.Instructions) uint64 {
	var n uint64
	for _, ins := range insns {
		n += ins.Size()
	}
	return n
}
