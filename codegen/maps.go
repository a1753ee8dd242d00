package codegen

import (
	"encoding/binary"
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/ir"
)

// setMap declares the BPF map holding m's values as tests of type typ
// compare them, and returns its name. Integer keys are the values reduced
// to the width of typ, as the record holds them, so one IR map used by
// tests of different widths may become several BPF maps.
func (g *gen) setMap(m *ir.Map, typ ir.ArgType) string {
	name := "m_" + symbolName(m.Name)
	if m.Kind == ir.MapIntSet && typ.Size() > 0 && typ.Size() < 8 {
		name += fmt.Sprintf("_%s", typ)
	}
	for _, om := range g.maps {
		if om.Name == name {
			return name
		}
	}
	om := &object.Map{Name: name, MaxEntries: uint32(max(len(m.Values), 1)), ValueSize: 1}
	init := bpf.MapInit{Map: name}
	add := func(key []byte) { init.Entries = append(init.Entries, bpf.MapEntry{Key: key, Value: []byte{1}}) }
	switch m.Kind {
	case ir.MapIntSet:
		om.Type, om.KeySize = ebpf.Hash, 8
		for _, v := range m.Values {
			if v.Kind != ir.ValInt {
				continue
			}
			key := make([]byte, 8)
			binary.LittleEndian.PutUint64(key, uint64(ir.FitInt(typ, v.Int)))
			add(key)
		}
	case ir.MapStringSet:
		om.Type, om.KeySize = ebpf.Hash, uint32(m.KeySize)
		for _, v := range m.Values {
			key := make([]byte, m.KeySize)
			copy(key, v.Str)
			add(key)
		}
	case ir.MapStringPrefix:
		om.Type, om.KeySize, om.Flags = ebpf.LPMTrie, uint32(4+m.KeySize), bpfNoPrealloc
		for _, v := range m.Values {
			key := make([]byte, 4+m.KeySize)
			binary.LittleEndian.PutUint32(key, uint32(8*len(v.Str)))
			copy(key[4:], v.Str)
			add(key)
		}
	case ir.MapPrefix4, ir.MapPrefix6:
		n := 4
		if m.Kind == ir.MapPrefix6 {
			n = 16
		}
		om.Type, om.KeySize, om.Flags = ebpf.LPMTrie, uint32(4+n), bpfNoPrealloc
		for _, v := range m.Values {
			key := make([]byte, 4+n)
			binary.LittleEndian.PutUint32(key, uint32(v.Net.Bits()))
			copy(key[4:], v.Net.Addr().AsSlice())
			add(key)
		}
	}
	g.maps = append(g.maps, om)
	g.inits = append(g.inits, init)
	return name
}
