package prog

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/ir"
)

// Host is what the driver (package codegen) provides for the whole bundle
// while one program is written.
type Host interface {
	// Errorf reports what cannot be compiled, at pos.
	Errorf(pos ir.Pos, format string, args ...any)
	// Need records a kernel feature the bundle needs (bpf.Feature*).
	Need(feature string)
	// StateMap declares the BPF map of the policy's state map of kind
	// once, sized from the policy's map layout, and returns its name.
	StateMap(kind ir.MapKind) string
	// DeclareMap declares m in the bundle once (by its name) and returns
	// its name: the bundle-wide maps that are not the policy's state
	// (bpf.ModeMap, bpf.StackMap, bpf.USDTMap).
	DeclareMap(m *object.Map) string
	// Line is the source line shown for code generated for pos.
	Line(pos ir.Pos, what string) object.Line
}

// Ctx is one program of a hook being written.
type Ctx struct {
	B    emit.Builder
	Hook *ir.Hook
	Lay  *Layout
	// Ret: this is the hook's return program.
	Ret  bool
	host Host
}

// New starts a program of hook h whose record is laid out as lay.
func New(host Host, h *ir.Hook, lay *Layout, ret bool) *Ctx {
	return &Ctx{Hook: h, Lay: lay, Ret: ret, host: host}
}

// Emit appends instructions.
func (c *Ctx) Emit(insns ...asm.Instruction) { c.B.Emit(insns...) }

// Src annotates the next instruction with the source of pos.
func (c *Ctx) Src(pos ir.Pos, what string) { c.B.Source(c.host.Line(pos, what)) }

// Errorf reports what cannot be compiled, at pos.
func (c *Ctx) Errorf(pos ir.Pos, format string, args ...any) { c.host.Errorf(pos, format, args...) }

// Need records a kernel feature the bundle needs (bpf.Feature*).
func (c *Ctx) Need(feature string) { c.host.Need(feature) }

// Map returns the name of the BPF map of the policy's state map of kind,
// declaring it once.
func (c *Ctx) Map(kind ir.MapKind) string { return c.host.StateMap(kind) }

// DeclareMap declares the bundle-wide map m once and returns its name.
func (c *Ctx) DeclareMap(m *object.Map) string { return c.host.DeclareMap(m) }

// Bind places label l at the next instruction.
func (c *Ctx) Bind(l Label) { c.B.Label(string(l)) }
