package kern

import (
	"fmt"
	"sort"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/codegen/object"
)

// TmpMap is the per-CPU scratch map of the subprograms: one entry whose
// value holds the path walk's state and buffer, and room for map keys built
// at run time. Each bundle has its own; it is not pinned.
const TmpMap = "polc_tmp"

// Layout of the TmpMap value.
const (
	tmpDentry     = 0
	tmpMnt        = 8
	tmpRootDentry = 16
	tmpRootMnt    = 24
	tmpPos        = 32 // u32: start of the path in the buffer
	tmpFlags      = 36 // u32: bpf.BytesTruncated when the walk stopped short
	// PathBuf is the buffer the walk fills from its end: PathMax bytes, plus
	// room for the last component written past a full buffer.
	tmpPathBuf = 64
	// KeyOff is where codegen builds keys of string maps (KeyMax bytes).
	KeyOff = tmpPathBuf + PathMax + NameMax + 1
	KeyMax = 4 + PathMax + 4 // an LPM prefix length, then the string

	// TmpSize is the size of the TmpMap value.
	TmpSize = KeyOff + KeyMax
)

// PathMax is the longest path a walk produces (PATH_MAX); NameMax the
// longest component (NAME_MAX).
const (
	PathMax = 4096
	NameMax = 255
)

// PathLoops bounds the walk's components: a path of PathMax bytes has at
// most PathMax/2 of them, and crossing a mount takes one step more.
const PathLoops = PathMax

// Lib collects the subprograms a bundle uses.
type Lib struct {
	funcs map[string]*object.Func
	maps  map[string]*object.Map
}

// NewLib returns an empty library.
func NewLib() *Lib {
	return &Lib{funcs: make(map[string]*object.Func), maps: make(map[string]*object.Map)}
}

// Call emits a call of subprogram name, adding it (and what it needs) to
// the bundle.
func (l *Lib) Call(name string) asm.Instruction {
	l.use(name)
	return asm.Call.Label(name)
}

// FuncAddr loads the address of subprogram name (a bpf_loop callback) into
// dst.
func (l *Lib) FuncAddr(dst asm.Register, name string) asm.Instruction {
	l.use(name)
	return asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: dst, Src: asm.PseudoFunc, Constant: -1}.WithReference(name)
}

// UseTmp declares the TmpMap, for callers that build keys in it.
func (l *Lib) UseTmp() {
	l.maps[TmpMap] = &object.Map{Name: TmpMap, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: TmpSize, MaxEntries: 1}
}

func (l *Lib) use(name string) {
	if _, ok := l.funcs[name]; ok {
		return
	}
	gen, ok := routines[name]
	if !ok {
		panic(fmt.Sprintf("kern: no subprogram %q", name))
	}
	l.funcs[name] = nil // mark first: routines may use each other
	f := gen(l)
	l.funcs[name] = f
}

// Funcs returns the subprograms used, sorted by name.
func (l *Lib) Funcs() []*object.Func {
	names := make([]string, 0, len(l.funcs))
	for n := range l.funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*object.Func, len(names))
	for i, n := range names {
		out[i] = l.funcs[n]
	}
	return out
}

// Maps returns the scratch maps the subprograms use, sorted by name.
func (l *Lib) Maps() []*object.Map {
	names := make([]string, 0, len(l.maps))
	for n := range l.maps {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*object.Map, len(names))
	for i, n := range names {
		out[i] = l.maps[n]
	}
	return out
}

// routines builds each subprogram by name.
var routines map[string]func(*Lib) *object.Func

func init() {
	routines = map[string]func(*Lib) *object.Func{
		FuncPath:     pathFunc,
		FuncPathStep: pathStepFunc,
	}
}
