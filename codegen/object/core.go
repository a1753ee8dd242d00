package object

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// COREKind is what a CO-RE relocation computes. The values are the kernel's
// enum bpf_core_relo_kind.
type COREKind uint32

// The relocation kinds this package can compute a local value for. Bitfield
// shifts and type IDs are left out: polc does not read bitfields and does
// not need type IDs.
const (
	// FieldByteOffset is the byte offset of the field from the start of the
	// root type (accessor "0:m:…").
	FieldByteOffset COREKind = 0
	// FieldByteSize is the size of the field in bytes.
	FieldByteSize COREKind = 1
	// FieldExists is 1 if the target kernel has the field, else 0.
	FieldExists COREKind = 2
	// FieldSigned is 1 if the field is a signed integer or enum.
	FieldSigned COREKind = 3
	// TypeExists is 1 if the target kernel has the type (accessor "0").
	TypeExists COREKind = 8
	// TypeSize is the size of the type in the target kernel (accessor "0").
	TypeSize COREKind = 9
	// EnumValueExists is 1 if the target has the enumerator (accessor "n",
	// the index of the enumerator in the local enum).
	EnumValueExists COREKind = 10
	// EnumValue is the enumerator's value in the target kernel.
	EnumValue COREKind = 11
	// TypeMatches is 1 if the target type matches the local one strictly.
	TypeMatches COREKind = 12
)

func (k COREKind) String() string {
	switch k {
	case FieldByteOffset:
		return "byte_off"
	case FieldByteSize:
		return "byte_sz"
	case FieldExists:
		return "field_exists"
	case FieldSigned:
		return "signed"
	case TypeExists:
		return "type_exists"
	case TypeSize:
		return "type_size"
	case EnumValueExists:
		return "enumval_exists"
	case EnumValue:
		return "enumval_value"
	case TypeMatches:
		return "type_matches"
	}
	return fmt.Sprintf("COREKind(%d)", uint32(k))
}

// CORERelocation says that an instruction's offset or immediate depends on
// the layout of a kernel type, which the loader recomputes against the
// target kernel's BTF.
type CORERelocation struct {
	// Local is the root type as this object sees it: usually a minimal struct
	// with only the members the program reads, named like the kernel's.
	Local btf.Type
	// Accessor is the access path in the local type, as in clang's
	// __builtin_preserve_access_index: "0:2:1" is root[0], member 2,
	// member 1 of that.
	Accessor string
	Kind     COREKind
}

func (r *CORERelocation) String() string {
	return fmt.Sprintf("%s %s[%s]", r.Kind, typeName(r.Local), r.Accessor)
}

type coreMeta struct{}

// coreMark is what CORE stores in an instruction's metadata: the relocation
// and, if the accessor does not fit the local type, the reason.
type coreMark struct {
	relo CORERelocation
	err  error
}

// CORE marks ins for CO-RE relocation and sets the field the relocation
// patches to its value in the local type: the offset of a load or store, or
// the immediate of an ALU instruction or a 64-bit constant load. Callers
// therefore write only the access path:
//
//	object.CORE(asm.Add.Imm(asm.R3, 0), task, "0:2", object.FieldByteOffset)
//
// becomes r3 += offsetof(struct task_struct, real_parent), relocated at load.
// A bad accessor or instruction is reported by Marshal.
func CORE(ins asm.Instruction, local btf.Type, accessor string, kind COREKind) asm.Instruction {
	mark := &coreMark{relo: CORERelocation{Local: local, Accessor: accessor, Kind: kind}}
	value, err := mark.relo.LocalValue()
	if err == nil {
		err = setRelocatedField(&ins, value)
	}
	mark.err = err
	ins.Metadata.Set(coreMeta{}, mark)
	return ins
}

// CORERelocationOf returns the relocation CORE attached to ins, or nil.
func CORERelocationOf(ins asm.Instruction) *CORERelocation {
	mark, _ := ins.Metadata.Get(coreMeta{}).(*coreMark)
	if mark == nil {
		return nil
	}
	relo := mark.relo
	return &relo
}

// LocalValue is the value of the relocation in the local type: what the
// instruction must carry so that loaders accept it.
func (r *CORERelocation) LocalValue() (uint64, error) {
	if r.Local == nil {
		return 0, errors.New("CO-RE relocation without a local type")
	}
	if _, ok := r.Local.(*btf.Void); ok {
		return 0, errors.New("CO-RE relocation against void")
	}
	acc, err := parseAccessor(r.Accessor)
	if err != nil {
		return 0, fmt.Errorf("accessor %q: %w", r.Accessor, err)
	}
	switch r.Kind {
	case FieldByteOffset, FieldByteSize, FieldExists, FieldSigned:
		off, field, err := walkField(r.Local, acc)
		if err != nil {
			return 0, fmt.Errorf("accessor %q in %s: %w", r.Accessor, typeName(r.Local), err)
		}
		switch r.Kind {
		case FieldByteOffset:
			return uint64(off), nil
		case FieldByteSize:
			size, err := btf.Sizeof(field)
			return uint64(size), err
		case FieldExists:
			return 1, nil
		default:
			return boolValue(isSigned(field)), nil
		}
	case TypeExists, TypeSize, TypeMatches:
		if len(acc) != 1 || acc[0] != 0 {
			return 0, fmt.Errorf("accessor %q: a type relocation takes accessor \"0\"", r.Accessor)
		}
		if r.Kind == TypeSize {
			size, err := btf.Sizeof(r.Local)
			return uint64(size), err
		}
		return 1, nil
	case EnumValueExists, EnumValue:
		enum, ok := btf.UnderlyingType(r.Local).(*btf.Enum)
		if !ok {
			return 0, fmt.Errorf("enum relocation against %s, which is not an enum", typeName(r.Local))
		}
		if len(acc) != 1 || acc[0] >= len(enum.Values) {
			return 0, fmt.Errorf("accessor %q: enum %s has %d values", r.Accessor, typeName(r.Local), len(enum.Values))
		}
		if r.Kind == EnumValue {
			return enum.Values[acc[0]].Value, nil
		}
		return 1, nil
	}
	return 0, fmt.Errorf("unsupported CO-RE relocation kind %s", r.Kind)
}

func parseAccessor(s string) ([]int, error) {
	if s == "" {
		return nil, errors.New("empty accessor")
	}
	parts := strings.Split(s, ":")
	acc := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 31)
		if err != nil {
			return nil, fmt.Errorf("index %q is not a number", p)
		}
		acc[i] = int(n)
	}
	return acc, nil
}

// walkField follows an accessor through structs, unions and arrays and
// returns the byte offset and the type of the field it ends at.
func walkField(root btf.Type, acc []int) (uint32, btf.Type, error) {
	size, err := btf.Sizeof(root)
	if err != nil {
		return 0, nil, err
	}
	off := uint64(acc[0]) * uint64(size)
	typ := root
	for _, idx := range acc[1:] {
		switch t := btf.UnderlyingType(typ).(type) {
		case *btf.Struct, *btf.Union:
			members := compositeMembers(t)
			if idx >= len(members) {
				return 0, nil, fmt.Errorf("%s has %d members, no member %d", typeName(typ), len(members), idx)
			}
			m := members[idx]
			if m.BitfieldSize != 0 || m.Offset%8 != 0 {
				return 0, nil, fmt.Errorf("member %s of %s is a bitfield", m.Name, typeName(typ))
			}
			off += uint64(m.Offset.Bytes())
			typ = m.Type
		case *btf.Array:
			if uint32(idx) >= t.Nelems && t.Nelems != 0 {
				return 0, nil, fmt.Errorf("index %d out of array of %d", idx, t.Nelems)
			}
			elem, err := btf.Sizeof(t.Type)
			if err != nil {
				return 0, nil, err
			}
			off += uint64(idx) * uint64(elem)
			typ = t.Type
		default:
			return 0, nil, fmt.Errorf("cannot index %s with %d", typeName(typ), idx)
		}
	}
	if off > math.MaxUint32 {
		return 0, nil, fmt.Errorf("offset %d out of range", off)
	}
	return uint32(off), typ, nil
}

func compositeMembers(t btf.Type) []btf.Member {
	switch t := t.(type) {
	case *btf.Struct:
		return t.Members
	case *btf.Union:
		return t.Members
	}
	return nil
}

func isSigned(t btf.Type) bool {
	switch t := btf.UnderlyingType(t).(type) {
	case *btf.Int:
		return t.Encoding&btf.Signed != 0
	case *btf.Enum:
		return t.Signed
	}
	return false
}

func boolValue(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func typeName(t btf.Type) string {
	if t == nil {
		return "<nil>"
	}
	if name := t.TypeName(); name != "" {
		return name
	}
	return fmt.Sprintf("%T", t)
}

// relocatedField returns the field of ins a CO-RE relocation patches.
func relocatedField(ins asm.Instruction) (int64, error) {
	switch class := ins.OpCode.Class(); {
	case class == asm.LdXClass || class == asm.StClass || class == asm.StXClass:
		return int64(ins.Offset), nil
	case class.IsALU():
		if ins.OpCode.Source() != asm.ImmSource || ins.OpCode.ALUOp() == asm.Swap {
			return 0, fmt.Errorf("CO-RE relocation on %v: ALU instructions need an immediate operand", ins)
		}
		return ins.Constant, nil
	case ins.IsConstantLoad(asm.DWord):
		return ins.Constant, nil
	}
	return 0, fmt.Errorf("CO-RE relocation on %v: only loads, stores, ALU immediates and 64-bit constants can be relocated", ins)
}

func setRelocatedField(ins *asm.Instruction, value uint64) error {
	if _, err := relocatedField(*ins); err != nil {
		return err
	}
	switch class := ins.OpCode.Class(); {
	case class == asm.LdXClass || class == asm.StClass || class == asm.StXClass:
		if value > math.MaxInt16 {
			return fmt.Errorf("CO-RE local value %d does not fit an instruction offset", value)
		}
		ins.Offset = int16(value)
	case class.IsALU():
		if value > math.MaxInt32 {
			return fmt.Errorf("CO-RE local value %d does not fit an immediate", value)
		}
		ins.Constant = int64(value)
	default:
		ins.Constant = int64(value)
	}
	return nil
}
