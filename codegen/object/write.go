package object

import (
	"debug/elf"
	"fmt"
	"io"
	"strings"

	"github.com/cilium/ebpf/btf"
)

// Write writes obj to w as a BPF ELF object. See Marshal.
func Write(w io.Writer, obj *Object) error {
	data, err := Marshal(obj)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// Marshal encodes obj as a BPF ELF relocatable object. The same Object
// always gives the same bytes. obj is not modified.
func Marshal(obj *Object) ([]byte, error) {
	if err := validate(obj); err != nil {
		return nil, fmt.Errorf("object: %w", err)
	}
	data, err := marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("object: %w", err)
	}
	return data, nil
}

// codeSection is an executable section and its contents.
type codeSection struct {
	name   string
	units  []*codeUnit
	data   []byte
	relocs []relocation
	ext    *extSection
}

func marshal(obj *Object) ([]byte, error) {
	bt := newBaseTypes()

	// Code: .text with every function, then one section per program. The
	// functions' offsets must be known before any call is encoded.
	syms := &symbols{funcs: make(map[string]*codeUnit), maps: make(map[string]bool), vars: make(map[string]uint32)}
	var code []*codeSection
	if len(obj.Funcs) > 0 {
		text := &codeSection{name: ".text"}
		var off uint64
		for _, f := range obj.Funcs {
			u := &codeUnit{name: f.Name, offset: off, size: codeSize(f.Insns), insns: f.Insns,
				fn: bt.subprogramFunc(f.Name)}
			off += u.size
			text.units = append(text.units, u)
			syms.funcs[f.Name] = u
		}
		code = append(code, text)
	}
	for _, p := range obj.Programs {
		code = append(code, &codeSection{name: p.Section, units: []*codeUnit{{
			name: p.Name, size: codeSize(p.Insns), insns: p.Insns, global: true,
			fn: bt.programFunc(p.Name),
		}}})
	}

	data := layoutData(obj, bt)
	for _, m := range data.maps {
		syms.maps[m.name] = true
	}
	for _, v := range data.vars {
		syms.vars[v.name] = uint32(v.offset)
	}
	syms.rodataSize = uint32(len(data.rodata))

	for _, cs := range code {
		cs.ext = &extSection{name: cs.name}
		for _, u := range cs.units {
			enc, err := encodeUnit(u, syms)
			if err != nil {
				what := "program"
				if !u.global {
					what = "function"
				}
				return nil, fmt.Errorf("%s %s: %w", what, u.name, err)
			}
			cs.data = append(cs.data, enc.data...)
			cs.relocs = append(cs.relocs, enc.relocs...)
			cs.ext.funcs = append(cs.ext.funcs, funcRecord{u.offset, u.fn})
			cs.ext.lines = append(cs.ext.lines, enc.lines...)
			cs.ext.cores = append(cs.ext.cores, enc.cores...)
		}
	}

	// BTF: functions first, then data sections, then CO-RE root types, so
	// that type IDs follow the object's order.
	var types []btf.Type
	var exts []*extSection
	for _, cs := range code {
		for _, u := range cs.units {
			types = append(types, u.fn)
		}
		exts = append(exts, cs.ext)
	}
	if data.mapsSec != nil {
		types = append(types, data.mapsSec)
	}
	if data.rodataSec != nil {
		types = append(types, data.rodataSec)
	}
	for _, cs := range code {
		for _, c := range cs.ext.cores {
			types = append(types, c.relo.Local)
		}
	}
	blob, err := marshalBTF(types, extStrings(exts))
	if err != nil {
		return nil, fmt.Errorf("BTF: %w", err)
	}
	var btfExt []byte
	if len(exts) > 0 {
		if btfExt, err = marshalBTFExt(exts, blob); err != nil {
			return nil, fmt.Errorf("BTF.ext: %w", err)
		}
	}

	return layoutELF(obj, code, data, blob.data, btfExt)
}

// dataSymbol is a map or variable in its section.
type dataSymbol struct {
	name         string
	offset, size uint64
}

// dataLayout places maps in .maps and variables in .rodata.
type dataLayout struct {
	maps      []dataSymbol
	mapsSize  uint64
	mapsSec   *btf.Datasec
	vars      []dataSymbol
	rodata    []byte
	rodataSec *btf.Datasec
}

// layoutData lays out .maps (zeroes, one map definition struct per map)
// and .rodata (variables at their natural alignment). validate has checked
// that sizes and alignments exist.
func layoutData(obj *Object, bt *baseTypes) *dataLayout {
	d := &dataLayout{}
	var mapVars []btf.VarSecinfo
	for _, m := range obj.Maps {
		def := bt.mapDefinition(m)
		mapVars = append(mapVars, btf.VarSecinfo{
			Type:   &btf.Var{Name: m.Name, Type: def, Linkage: btf.GlobalVar},
			Offset: uint32(d.mapsSize), Size: def.Size,
		})
		d.maps = append(d.maps, dataSymbol{m.Name, d.mapsSize, uint64(def.Size)})
		d.mapsSize += uint64(def.Size)
	}
	if len(mapVars) > 0 {
		d.mapsSec = &btf.Datasec{Name: ".maps", Size: uint32(d.mapsSize), Vars: mapVars}
	}

	var rodataVars []btf.VarSecinfo
	for _, v := range obj.Rodata {
		size, _ := btf.Sizeof(v.Type)
		align, _ := alignOf(v.Type)
		for uint32(len(d.rodata))%align != 0 {
			d.rodata = append(d.rodata, 0)
		}
		off := uint64(len(d.rodata))
		rodataVars = append(rodataVars, btf.VarSecinfo{
			Type:   &btf.Var{Name: v.Name, Type: v.Type, Linkage: btf.GlobalVar},
			Offset: uint32(off), Size: uint32(size),
		})
		d.vars = append(d.vars, dataSymbol{v.Name, off, uint64(size)})
		if v.Value != nil {
			d.rodata = append(d.rodata, v.Value...)
		} else {
			d.rodata = append(d.rodata, make([]byte, size)...)
		}
	}
	if len(rodataVars) > 0 {
		d.rodataSec = &btf.Datasec{Name: ".rodata", Size: uint32(len(d.rodata)), Vars: rodataVars}
	}
	return d
}

// layoutELF assigns section indices, builds the symbol table and the
// relocation sections and encodes the file. The order follows clang's:
// .strtab, code with its relocations, license, data, BTF, .symtab.
func layoutELF(obj *Object, code []*codeSection, data *dataLayout, btfData, btfExt []byte) ([]byte, error) {
	f := newELFFile()
	strtab := f.add(&elfSection{name: ".strtab", typ: elf.SHT_STRTAB, align: 1})

	codeIndex := make([]int, len(code))
	relIndex := make([]int, len(code))
	for i, cs := range code {
		codeIndex[i] = f.add(&elfSection{name: cs.name, typ: elf.SHT_PROGBITS,
			flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR, data: cs.data, align: 8})
		if len(cs.relocs) > 0 {
			relIndex[i] = f.add(nil) // filled once symbols are known
		}
	}
	f.add(&elfSection{name: "license", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE,
		data: append([]byte(obj.License), 0), align: 1})
	mapsIndex, rodataIndex := 0, 0
	if len(data.maps) > 0 {
		mapsIndex = f.add(&elfSection{name: ".maps", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE,
			data: make([]byte, data.mapsSize), align: 8})
	}
	if len(data.vars) > 0 {
		rodataIndex = f.add(&elfSection{name: ".rodata", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC,
			data: data.rodata, align: 8})
	}
	for _, s := range obj.Extra {
		f.add(&elfSection{name: s.Name, typ: elf.SHT_PROGBITS, data: s.Data, align: 1})
	}
	f.add(&elfSection{name: ".BTF", typ: elf.SHT_PROGBITS, data: btfData, align: 4})
	if btfExt != nil {
		f.add(&elfSection{name: ".BTF.ext", typ: elf.SHT_PROGBITS, data: btfExt, align: 4})
	}
	symtab := f.add(nil)

	// Symbols: section symbols and static functions (local), then programs,
	// maps and variables (global).
	sectionSyms := map[string]int{}
	addSectionSymbol := func(name string, index int) {
		f.symbols = append(f.symbols, elfSymbol{bind: elf.STB_LOCAL, typ: elf.STT_SECTION, shndx: index})
		sectionSyms[name] = len(f.symbols)
	}
	for i, cs := range code {
		if cs.name == ".text" {
			addSectionSymbol(".text", codeIndex[i])
		}
	}
	if rodataIndex != 0 {
		addSectionSymbol(".rodata", rodataIndex)
	}
	named := map[string]int{}
	addSymbol := func(s elfSymbol) {
		f.symbols = append(f.symbols, s)
		named[s.name] = len(f.symbols)
	}
	for _, global := range []bool{false, true} {
		for i, cs := range code {
			for _, u := range cs.units {
				if u.global != global {
					continue
				}
				bind := elf.STB_LOCAL
				if global {
					bind = elf.STB_GLOBAL
				}
				addSymbol(elfSymbol{name: u.name, bind: bind, typ: elf.STT_FUNC, shndx: codeIndex[i], value: u.offset, size: u.size})
			}
		}
	}
	for _, m := range data.maps {
		addSymbol(elfSymbol{name: m.name, bind: elf.STB_GLOBAL, typ: elf.STT_OBJECT, shndx: mapsIndex, value: m.offset, size: m.size})
	}
	for _, v := range data.vars {
		addSymbol(elfSymbol{name: v.name, bind: elf.STB_GLOBAL, typ: elf.STT_OBJECT, shndx: rodataIndex, value: v.offset, size: v.size})
	}

	symIndex := func(k symbolKey) (int, error) {
		if sec, ok := strings.CutPrefix(string(k), "section:"); ok {
			if i, ok := sectionSyms[sec]; ok {
				return i, nil
			}
		} else if i, ok := named[string(k)]; ok {
			return i, nil
		}
		return 0, fmt.Errorf("relocation against unknown symbol %q", k)
	}
	for i, cs := range code {
		if relIndex[i] == 0 {
			continue
		}
		rel, err := f.relSection(codeIndex[i], cs.relocs, symIndex, symtab)
		if err != nil {
			return nil, err
		}
		f.sections[relIndex[i]] = rel
	}

	symData, firstGlobal, err := f.symtab()
	if err != nil {
		return nil, err
	}
	f.sections[symtab] = &elfSection{name: ".symtab", typ: elf.SHT_SYMTAB, data: symData,
		link: uint32(strtab), info: uint32(firstGlobal), align: 8, entsize: 24}
	return f.bytes(strtab), nil
}
