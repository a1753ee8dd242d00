package codegen

import (
	"encoding/binary"
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/action"
	"github.com/polc-dev/polc/codegen/fetch"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// setMap declares the BPF map holding m's values as tests of type typ
// compare them, and returns its name. Integer keys are the values reduced
// to the width of typ, as the record holds them, so one IR map used by
// tests of different widths may become several BPF maps.
func (g *gen) setMap(m *ir.Map, typ ir.ArgType) string {
	name := "m_" + symbolName(m.Name)
	if g.set != nil {
		name = fmt.Sprintf("m_p%d_%s", g.set.mapMember[m], symbolName(m.Name))
	}
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
	case ir.MapFileID:
		// Filled by the loader with the identities of the files the
		// values name on its machine (fileid.go), not from the manifest.
		om.Type, om.KeySize = ebpf.Hash, bpf.FileIDKeySize
		g.maps = append(g.maps, om)
		paths := make([]string, 0, len(m.Values))
		for _, v := range m.Values {
			paths = append(paths, v.Str)
		}
		g.fileIDs = append(g.fileIDs, bpf.FileIDMap{Map: name, Paths: paths})
		return name
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

// bpfNoPrealloc is BPF_F_NO_PREALLOC.
const bpfNoPrealloc = 1

// stateMapShapes is the BPF shape of each state map the lowering lays out
// (compiler/lower_layout.go, layoutMaps); the number of entries is the IR
// map's. MapRetProbe becomes one map per return hook, named after the
// hook, whose values are the hook's records. A shape with MaxEntries set
// is complete: the lowering does not lay it out (MapCounters).
var stateMapShapes = map[ir.MapKind]object.Map{
	// Entries are allocated when written: values are paths (fetch/fd.go).
	ir.MapFD:       {Name: fetch.FDMap, Type: ebpf.Hash, KeySize: 8, ValueSize: prog.FDValueSize, Flags: bpfNoPrealloc},
	ir.MapSock:     {Name: action.SockMap, Type: ebpf.LRUHash, KeySize: 8, ValueSize: 8},
	ir.MapEnforcer: {Name: action.EnforcerMap, Type: ebpf.LRUHash, KeySize: 8, ValueSize: 8},
	// LRU: forgotten keys make room for new ones (codegen/action/ratelimit.go).
	ir.MapRateLimit: {Name: action.RateLimitMap, Type: ebpf.LRUHash, KeySize: prog.RateKeySize, ValueSize: 8},
	// Entries are allocated when a call starts, not up front: records
	// are kilobytes and most never meet (retprobe.go).
	ir.MapRetProbe: {Type: ebpf.Hash, KeySize: 8, Flags: bpfNoPrealloc},
	// One Counters per CPU, which the post and enforcement paths add to
	// (codegen/action/counters.go).
	ir.MapCounters: {Name: bpf.CountersMap, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: bpf.CountersSize, MaxEntries: 1},
}

// DeclareMap declares m once, by its name, and returns its name.
func (g *gen) DeclareMap(m *object.Map) string {
	for _, om := range g.maps {
		if om.Name == m.Name {
			return m.Name
		}
	}
	g.maps = append(g.maps, m)
	return m.Name
}

// StateMap declares the BPF map of the policy's state map of kind, once,
// and returns its name.
func (g *gen) StateMap(kind ir.MapKind) string { return g.declareStateMap(kind, "", 0) }

// declareStateMap declares a BPF map for the policy's state map of kind,
// once: named name and with values of valueSize bytes when the kind's
// shape leaves them to the program (MapRetProbe). It returns the name.
func (g *gen) declareStateMap(kind ir.MapKind, name string, valueSize int) string {
	shape, ok := stateMapShapes[kind]
	if !ok {
		panic(fmt.Sprintf("codegen: %s is not a state map", kind))
	}
	if name != "" {
		shape.Name = name
	}
	if valueSize > 0 {
		shape.ValueSize = uint32(valueSize)
	}
	for _, m := range g.maps {
		if m.Name == shape.Name {
			return shape.Name
		}
	}
	if kind == ir.MapCounters && g.set != nil {
		shape.MaxEntries = uint32(len(g.set.members)) // one entry per member
	}
	if shape.MaxEntries > 0 {
		g.maps = append(g.maps, &shape)
		return shape.Name
	}
	var layout *ir.Map
	for _, m := range g.pol.Maps {
		if m.Kind == kind {
			layout = m
			break
		}
	}
	if layout == nil {
		// The lowering lays out every state map an action or hook uses.
		g.errs.add(ir.Pos{}, "internal error: the policy's IR has no %s map", kind)
		return shape.Name
	}
	shape.MaxEntries = uint32(layout.MaxEntries)
	g.maps = append(g.maps, &shape)
	return shape.Name
}
