package object

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// baseTypes are the C types the object's own declarations use. One
// instance per object so that each is emitted once.
type baseTypes struct {
	int       *btf.Int
	arraySize *btf.Int
	progProto *btf.FuncProto
	funcProto *btf.FuncProto
	// mapUint caches the __uint(name, n) member type, int (*)[n], by n.
	mapUint map[uint32]*btf.Pointer
}

func newBaseTypes() *baseTypes {
	intType := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	return &baseTypes{
		int: intType,
		// The index type clang gives every array.
		arraySize: &btf.Int{Name: "__ARRAY_SIZE_TYPE__", Size: 4},
		progProto: &btf.FuncProto{
			Return: intType,
			Params: []btf.FuncParam{{Name: "ctx", Type: &btf.Pointer{Target: &btf.Void{}}}},
		},
		funcProto: &btf.FuncProto{Return: &btf.Int{Name: "__u64", Size: 8}},
		mapUint:   make(map[uint32]*btf.Pointer),
	}
}

func (bt *baseTypes) programFunc(name string) *btf.Func {
	return &btf.Func{Name: name, Type: bt.progProto, Linkage: btf.GlobalFunc}
}

// subprogramFunc declares __u64 NAME(void) as a static function: the
// verifier then checks it in each caller's context instead of on its own
// with only BTF-typed arguments.
func (bt *baseTypes) subprogramFunc(name string) *btf.Func {
	return &btf.Func{Name: name, Type: bt.funcProto, Linkage: btf.StaticFunc}
}

// uintMember is the type of a __uint(name, n) member: int (*name)[n].
func (bt *baseTypes) uintMember(n uint32) *btf.Pointer {
	p, ok := bt.mapUint[n]
	if !ok {
		p = &btf.Pointer{Target: &btf.Array{Index: bt.arraySize, Type: bt.int, Nelems: n}}
		bt.mapUint[n] = p
	}
	return p
}

// mapDefinition is the anonymous struct libbpf reads a BTF map from. Every
// member is a pointer, so the struct is 8 bytes per member and all zeroes
// in .maps.
func (bt *baseTypes) mapDefinition(m *Map) *btf.Struct {
	var members []btf.Member
	add := func(name string, typ btf.Type) {
		members = append(members, btf.Member{Name: name, Type: typ, Offset: btf.Bits(64 * len(members))})
	}
	add("type", bt.uintMember(uint32(m.Type)))
	switch {
	case m.Key != nil:
		add("key", &btf.Pointer{Target: m.Key})
	case m.KeySize != 0:
		add("key_size", bt.uintMember(m.KeySize))
	}
	switch {
	case m.Value != nil:
		add("value", &btf.Pointer{Target: m.Value})
	case m.ValueSize != 0:
		add("value_size", bt.uintMember(m.ValueSize))
	}
	if m.MaxEntries != 0 {
		add("max_entries", bt.uintMember(m.MaxEntries))
	}
	if m.Flags != 0 {
		add("map_flags", bt.uintMember(m.Flags))
	}
	if m.Pinning != ebpf.PinNone {
		add("pinning", bt.uintMember(uint32(m.Pinning)))
	}
	return &btf.Struct{Size: uint32(8 * len(members)), Members: members}
}

// btfBlob is the marshalled .BTF section and what .BTF.ext needs from it.
type btfBlob struct {
	data    []byte
	ids     map[btf.Type]btf.TypeID
	strings map[string]uint32
}

// marshalBTF encodes types in the given order, so that their IDs are
// deterministic, and appends extra strings to the string table: .BTF.ext
// refers to section names, file names, source lines and CO-RE accessors by
// their offset there. btf.Builder cannot add bare strings, so they are
// appended to its output.
func marshalBTF(types []btf.Type, extra []string) (*btfBlob, error) {
	b, err := btf.NewBuilder(nil, &btf.BuilderOptions{Deduplicate: true})
	if err != nil {
		return nil, err
	}
	ids := make(map[btf.Type]btf.TypeID, len(types))
	for _, t := range types {
		id, err := b.Add(t)
		if err != nil {
			return nil, fmt.Errorf("add %s: %w", typeName(t), err)
		}
		ids[t] = id
	}
	data, err := b.Marshal(nil, &btf.MarshalOptions{Order: binary.LittleEndian})
	if err != nil {
		return nil, err
	}
	data, strs, err := appendBTFStrings(data, extra)
	if err != nil {
		return nil, err
	}
	return &btfBlob{data: data, ids: ids, strings: strs}, nil
}

// btfHeader is struct btf_header.
type btfHeader struct {
	Magic     uint16
	Version   uint8
	Flags     uint8
	HdrLen    uint32
	TypeOff   uint32
	TypeLen   uint32
	StringOff uint32
	StringLen uint32
}

const btfMagic = 0xeB9F

// appendBTFStrings adds strs to the string section, which btf.Builder
// places last, and returns the offset of every string in the table.
func appendBTFStrings(data []byte, strs []string) ([]byte, map[string]uint32, error) {
	var h btfHeader
	if _, err := binary.Decode(data, binary.LittleEndian, &h); err != nil {
		return nil, nil, fmt.Errorf("BTF header: %w", err)
	}
	start := int(h.HdrLen + h.StringOff)
	end := start + int(h.StringLen)
	if h.Magic != btfMagic || end != len(data) {
		return nil, nil, errors.New("BTF string table is not at the end of the blob")
	}
	offsets := make(map[string]uint32)
	table := data[start:end]
	for off := 0; off < len(table); {
		n := bytes.IndexByte(table[off:], 0)
		if n < 0 {
			return nil, nil, errors.New("BTF string table is not NUL-terminated")
		}
		if _, ok := offsets[string(table[off:off+n])]; !ok {
			offsets[string(table[off:off+n])] = uint32(off)
		}
		off += n + 1
	}
	for _, s := range strs {
		if _, ok := offsets[s]; ok {
			continue
		}
		if bytes.IndexByte([]byte(s), 0) >= 0 {
			return nil, nil, fmt.Errorf("string %q contains NUL", s)
		}
		offsets[s] = h.StringLen
		data = append(data, s...)
		data = append(data, 0)
		h.StringLen += uint32(len(s)) + 1
	}
	if _, err := binary.Encode(data, binary.LittleEndian, &h); err != nil {
		return nil, nil, err
	}
	return data, offsets, nil
}

// extSection is what .BTF.ext says about one code section.
type extSection struct {
	name  string
	funcs []funcRecord
	lines []lineRecord
	cores []coreRecord
}

type funcRecord struct {
	offset uint64
	fn     *btf.Func
}

// extStrings lists the strings .BTF.ext refers to, in a deterministic order.
func extStrings(secs []*extSection) []string {
	var strs []string
	for _, s := range secs {
		strs = append(strs, s.name)
		for _, l := range s.lines {
			strs = append(strs, l.line.File, l.line.Text)
		}
		for _, c := range s.cores {
			strs = append(strs, c.relo.Accessor)
		}
	}
	return strs
}

// Limits of struct bpf_line_info's line_col.
const (
	maxLineNumber = 1<<22 - 1
	maxColumn     = 1<<10 - 1
)

// marshalBTFExt encodes .BTF.ext: a header, then func_info, line_info and
// core_relo subsections, each a record size followed by per-section
// records with byte offsets into the section (the layout of
// Documentation/bpf/llvm_reloc.rst and btf.rst, "BTF Ext Section").
func marshalBTFExt(secs []*extSection, blob *btfBlob) ([]byte, error) {
	str := func(s string) uint32 { return blob.strings[s] }
	var funcs, lines, cores bytes.Buffer
	put := func(buf *bytes.Buffer, vals ...uint32) {
		for _, v := range vals {
			buf.Write(binary.LittleEndian.AppendUint32(nil, v))
		}
	}
	put(&funcs, 8)
	put(&lines, 16)
	put(&cores, 16)
	nCores := 0
	for _, s := range secs {
		put(&funcs, str(s.name), uint32(len(s.funcs)))
		for _, f := range s.funcs {
			put(&funcs, uint32(f.offset), uint32(blob.ids[f.fn]))
		}
		put(&lines, str(s.name), uint32(len(s.lines)))
		for _, l := range s.lines {
			if l.line.Line > maxLineNumber || l.line.Column > maxColumn {
				return nil, fmt.Errorf("section %s: line %d column %d out of range", s.name, l.line.Line, l.line.Column)
			}
			put(&lines, uint32(l.offset), str(l.line.File), str(l.line.Text), l.line.Line<<10|l.line.Column)
		}
		if len(s.cores) == 0 {
			continue
		}
		put(&cores, str(s.name), uint32(len(s.cores)))
		for _, c := range s.cores {
			id, ok := blob.ids[c.relo.Local]
			if !ok {
				return nil, fmt.Errorf("section %s: CO-RE type %s has no BTF ID", s.name, typeName(c.relo.Local))
			}
			put(&cores, uint32(c.offset), uint32(id), str(c.relo.Accessor), uint32(c.relo.Kind))
			nCores++
		}
	}
	if nCores == 0 {
		// An empty subsection is absent, not a bare record size: libbpf
		// rejects a subsection without records.
		cores.Reset()
	}

	const hdrLen = 32 // struct btf_ext_header with the CO-RE fields
	var out bytes.Buffer
	binary.Write(&out, binary.LittleEndian, struct {
		Magic       uint16
		Version     uint8
		Flags       uint8
		HdrLen      uint32
		FuncInfoOff uint32
		FuncInfoLen uint32
		LineInfoOff uint32
		LineInfoLen uint32
		COREReloOff uint32
		COREReloLen uint32
	}{
		Magic: btfMagic, Version: 1, HdrLen: hdrLen,
		FuncInfoOff: 0, FuncInfoLen: uint32(funcs.Len()),
		LineInfoOff: uint32(funcs.Len()), LineInfoLen: uint32(lines.Len()),
		COREReloOff: uint32(funcs.Len() + lines.Len()), COREReloLen: uint32(cores.Len()),
	})
	out.Write(funcs.Bytes())
	out.Write(lines.Bytes())
	out.Write(cores.Bytes())
	return out.Bytes(), nil
}

// alignOf is the natural alignment of t, as a C compiler lays it out.
func alignOf(t btf.Type) (uint32, error) {
	switch t := btf.UnderlyingType(t).(type) {
	case *btf.Int:
		return min(t.Size, 8), nil
	case *btf.Enum:
		return t.Size, nil
	case *btf.Float:
		return t.Size, nil
	case *btf.Pointer:
		return 8, nil
	case *btf.Array:
		return alignOf(t.Type)
	case *btf.Struct, *btf.Union:
		align := uint32(1)
		for _, m := range compositeMembers(t) {
			a, err := alignOf(m.Type)
			if err != nil {
				return 0, err
			}
			align = max(align, a)
		}
		return align, nil
	}
	return 0, fmt.Errorf("no alignment for %s", typeName(t))
}
