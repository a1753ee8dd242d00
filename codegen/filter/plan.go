package filter

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Plan is what the filters of every program of a build share, from the
// driver (package codegen).
type Plan struct {
	// Lib is the routine library.
	Lib *kern.Lib
	// SetMap declares the BPF map holding m's values as tests of type
	// typ compare them, and returns its name.
	SetMap func(m *ir.Map, typ ir.ArgType) string
	// HostNSVar declares the load-time variable of the host's
	// namespace of kind ns and returns its name.
	HostNSVar func(ns ir.Namespace) string
	// FileIDMap declares the map of file identities SameFile test t
	// looks the argument's up in, which the loader fills, and returns
	// its name.
	FileIDMap func(t *ir.Test) string
	// GlobalVerdictGeneration: cached verdicts depend on the process
	// table's generation (codegen.Options.GlobalVerdictGeneration).
	GlobalVerdictGeneration bool
}

// Reads are what filters read of the hook's arguments besides the
// record: package codegen provides them from codegen/fetch, which this
// package does not import.
type Reads interface {
	// LoadArg loads the raw value of argument a into dst; false when
	// it cannot, after reporting why.
	LoadArg(dst asm.Register, a *ir.Arg) bool
}

// Gen writes the process and argument tests of one program.
type Gen struct {
	*prog.Ctx
	g     *Plan
	reads Reads
	// Hoisted is what the program read before this part, in a policy
	// set's shared program (verdicts.go); nil otherwise.
	Hoisted *Hoisted
}

// New starts the filters of the program c writes.
func New(c *prog.Ctx, pl *Plan, r Reads) *Gen { return &Gen{Ctx: c, g: pl, reads: r} }

// subprogram starts a function of the bundle (a bpf_loop callback) for
// the program's hook.
func (p *Gen) subprogram() *Gen { return &Gen{Ctx: p.Sub(), g: p.g, reads: p.reads} }
