package prog

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
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
	// FuncSeq numbers the bundle's generated functions: 1, 2, ...
	FuncSeq() int
	// AddFunc adds a generated function (a bpf_loop callback) to the
	// bundle.
	AddFunc(f *object.Func)
	// HasFunc says whether the bundle has a function of that name.
	HasFunc(name string) bool
	// Line is the source line shown for code generated for pos.
	Line(pos ir.Pos, what string) object.Line
	// Var declares a load-time variable (.rodata) of size bytes (4 or
	// 8), which the loader sets (bpf.Manifest.Vars).
	Var(name string, size int)
	// CallConv is the calling convention of the bundle's architecture:
	// where the registers are in struct pt_regs.
	CallConv() arch.CallConv
}

// Ctx is one program of a hook being written.
type Ctx struct {
	B    emit.Builder
	Hook *ir.Hook
	Lay  *Layout
	// Ret: this is the hook's return program.
	Ret bool
	// Member is the index of the hook's policy in a policy set's bundle
	// (bpf.Manifest.Members): the key of its counters. 0 otherwise.
	Member int32
	host   Host
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

// CallConv is the calling convention of the bundle's architecture.
func (c *Ctx) CallConv() arch.CallConv { return c.host.CallConv() }

// Var declares the load-time variable name of size bytes.
func (c *Ctx) Var(name string, size int) { c.host.Var(name, size) }

// Bind places label l at the next instruction.
func (c *Ctx) Bind(l Label) { c.B.Label(string(l)) }

// CurrentTask emits dst = bpf_get_current_task().
func (c *Ctx) CurrentTask(dst asm.Register) {
	c.Emit(asm.FnGetCurrentTask.Call())
	if dst != asm.R0 {
		c.Emit(asm.Mov.Reg(dst, asm.R0))
	}
}

// UserPointers says whether pointer arguments of the hook point to user
// memory: syscall arguments (kprobes with the syscall ABI, syscall
// tracepoints) and uprobe arguments.
func (c *Ctx) UserPointers() bool {
	h := c.Hook
	switch h.Kind {
	case ir.HookKprobe:
		return h.Syscall
	case ir.HookUprobe, ir.HookUSDT:
		return true
	case ir.HookTracepoint:
		return strings.HasPrefix(h.Target, "syscalls/") || strings.HasPrefix(h.Target, "raw_syscalls/")
	}
	return false
}

// Sub starts a function of the bundle (a bpf_loop callback) for the
// program's hook, with the same record layout.
func (c *Ctx) Sub() *Ctx { return New(c.host, c.Hook, c.Lay, false) }

// FuncName names a new function of the bundle for the hook: what it does
// and a number unique in the bundle.
func (c *Ctx) FuncName(what string) string {
	return fmt.Sprintf("h%d_walk%d_%s", c.Hook.ID, c.host.FuncSeq(), what)
}

// SharedFunc returns the name of the bundle's function what, which every
// program of the bundle may call: the code write gives it (with a Ctx of
// its own) is the same whatever the hook, so it is written once.
func (c *Ctx) SharedFunc(what string, write func(sub *Ctx)) string {
	name := "polc_" + what
	if c.host.HasFunc(name) {
		return name
	}
	sub := c.Sub()
	write(sub)
	c.AddFunc(name, sub)
	return name
}

// AddFunc adds the function sub wrote to the bundle, as name.
func (c *Ctx) AddFunc(name string, sub *Ctx) {
	insns, err := sub.B.Instructions()
	if err != nil {
		c.Errorf(c.Hook.Pos, "internal error generating %s: %v", name, err)
		return
	}
	c.host.AddFunc(&object.Func{Name: name, Insns: insns})
}

// BigUser says whether the buffer of maxData slot s is user memory: a
// syscall's or a uprobe's, and an iov_iter's (its buffers are the
// caller's).
func (c *Ctx) BigUser(s *Slot) bool {
	return c.UserPointers() || s.Arg.Type == ir.TypeIovIter
}

// CmdArgsMap is the declaration of bpf.CmdArgsMap, the processes'
// command-line arguments, shared with the base (which maintains it): the
// base object declares it, and so does a bundle whose matchCmdArgs tests
// read it.
func CmdArgsMap() *object.Map {
	return &object.Map{Name: bpf.CmdArgsMap, Type: ebpf.Hash, KeySize: 4, ValueSize: bpf.CmdArgsSize,
		MaxEntries: bpf.ProcsMaxEntries, Pinning: ebpf.PinByName}
}
