package object

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// elfSection is a section of the object being written. Its index in
// elfFile.sections is its ELF section index.
type elfSection struct {
	name    string
	typ     elf.SectionType
	flags   elf.SectionFlag
	data    []byte
	link    uint32
	info    uint32
	align   uint64
	entsize uint64
}

type elfSymbol struct {
	name  string
	bind  elf.SymBind
	typ   elf.SymType
	shndx int
	value uint64
	size  uint64
}

// elfFile collects sections and symbols and writes a little-endian ELF64
// relocatable object for EM_BPF.
type elfFile struct {
	sections []*elfSection
	symbols  []elfSymbol
	strtab   stringTable
}

func newELFFile() *elfFile {
	f := &elfFile{}
	f.sections = []*elfSection{{}} // SHN_UNDEF
	f.strtab.add("")
	return f
}

func (f *elfFile) add(s *elfSection) int {
	f.sections = append(f.sections, s)
	return len(f.sections) - 1
}

// symbolIndex returns the index of a symbol in .symtab, where index 0 is
// the null symbol.
func (f *elfFile) symbolIndex(match func(elfSymbol) bool) (int, bool) {
	for i, s := range f.symbols {
		if match(s) {
			return i + 1, true
		}
	}
	return 0, false
}

// relSection encodes relocations for section target as a .rel section.
func (f *elfFile) relSection(target int, relocs []relocation, symIndex func(symbolKey) (int, error), symtab int) (*elfSection, error) {
	var buf bytes.Buffer
	for _, r := range relocs {
		idx, err := symIndex(r.target)
		if err != nil {
			return nil, err
		}
		binary.Write(&buf, binary.LittleEndian, elf.Rel64{
			Off:  r.offset,
			Info: elf.R_INFO(uint32(idx), uint32(r.typ)),
		})
	}
	return &elfSection{
		name:    ".rel" + f.sections[target].name,
		typ:     elf.SHT_REL,
		data:    buf.Bytes(),
		link:    uint32(symtab),
		info:    uint32(target),
		align:   8,
		entsize: 16,
	}, nil
}

// symtab encodes the symbol table. Local symbols must come first; the
// section's info field is the index of the first global one.
func (f *elfFile) symtab() (data []byte, firstGlobal int, _ error) {
	var buf bytes.Buffer
	binary.Write(&buf, binary.LittleEndian, elf.Sym64{})
	firstGlobal = len(f.symbols) + 1
	for i, s := range f.symbols {
		if s.bind == elf.STB_LOCAL && firstGlobal <= len(f.symbols) {
			return nil, 0, fmt.Errorf("local symbol %q after a global one", s.name)
		}
		if s.bind != elf.STB_LOCAL && firstGlobal > len(f.symbols) {
			firstGlobal = i + 1
		}
		binary.Write(&buf, binary.LittleEndian, elf.Sym64{
			Name:  f.strtab.add(s.name),
			Info:  elf.ST_INFO(s.bind, s.typ),
			Other: uint8(elf.STV_DEFAULT),
			Shndx: uint16(s.shndx),
			Value: s.value,
			Size:  s.size,
		})
	}
	return buf.Bytes(), firstGlobal, nil
}

// bytes lays out the file: header, section contents in index order, each
// aligned, then the section header table.
func (f *elfFile) bytes(strtabIndex int) []byte {
	for _, s := range f.sections[1:] {
		f.strtab.add(s.name)
	}
	f.sections[strtabIndex].data = f.strtab.data

	const ehdrSize, shdrSize = 64, 64
	var out bytes.Buffer
	out.Write(make([]byte, ehdrSize))
	offsets := make([]uint64, len(f.sections))
	for i, s := range f.sections[1:] {
		pad(&out, s.align)
		offsets[i+1] = uint64(out.Len())
		out.Write(s.data)
	}
	pad(&out, 8)
	shoff := uint64(out.Len())
	binary.Write(&out, binary.LittleEndian, elf.Section64{})
	for i, s := range f.sections[1:] {
		binary.Write(&out, binary.LittleEndian, elf.Section64{
			Name:      f.strtab.offsets[s.name],
			Type:      uint32(s.typ),
			Flags:     uint64(s.flags),
			Off:       offsets[i+1],
			Size:      uint64(len(s.data)),
			Link:      s.link,
			Info:      s.info,
			Addralign: s.align,
			Entsize:   s.entsize,
		})
	}

	hdr := elf.Header64{
		Type:      uint16(elf.ET_REL),
		Machine:   uint16(elf.EM_BPF),
		Version:   uint32(elf.EV_CURRENT),
		Shoff:     shoff,
		Ehsize:    ehdrSize,
		Shentsize: shdrSize,
		Shnum:     uint16(len(f.sections)),
		Shstrndx:  uint16(strtabIndex),
	}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	hdr.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	hdr.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	hdr.Ident[elf.EI_OSABI] = byte(elf.ELFOSABI_NONE)
	data := out.Bytes()
	binary.Encode(data[:ehdrSize], binary.LittleEndian, &hdr)
	return data
}

func pad(buf *bytes.Buffer, align uint64) {
	if align > 1 {
		for uint64(buf.Len())%align != 0 {
			buf.WriteByte(0)
		}
	}
}

// stringTable is an ELF string table; each string is stored once.
type stringTable struct {
	data    []byte
	offsets map[string]uint32
}

func (t *stringTable) add(s string) uint32 {
	if off, ok := t.offsets[s]; ok {
		return off
	}
	if t.offsets == nil {
		t.offsets = make(map[string]uint32)
	}
	off := uint32(len(t.data))
	t.offsets[s] = off
	t.data = append(t.data, s...)
	t.data = append(t.data, 0)
	return off
}
