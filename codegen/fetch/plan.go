package fetch

import (
	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// Plan is what the reads of every program of a build share: the
// architecture and its calling convention, the routine library, the
// kernel the bundle is built for, the tracepoint formats found
// (tracepoints.go) and the resolve paths planned (resolve.go).
type Plan struct {
	arch   arch.Arch
	cc     arch.CallConv
	lib    *kern.Lib
	target *target.Profile
	errorf func(pos ir.Pos, format string, args ...any)

	// tpFormats caches tracepointFormat by SUBSYS/EVENT.
	tpFormats map[string]*tpFormat
	// resolved are the planned resolve paths of arguments (resolve.go).
	resolved map[*ir.Arg][]resolveSeg
}

// NewPlan starts the reads of a build for architecture a with calling
// convention cc, routines from lib and the kernel tgt (nil for none);
// errorf reports what cannot be compiled.
func NewPlan(a arch.Arch, cc arch.CallConv, lib *kern.Lib, tgt *target.Profile, errorf func(pos ir.Pos, format string, args ...any)) *Plan {
	return &Plan{arch: a, cc: cc, lib: lib, target: tgt, errorf: errorf}
}

// Gen reads the arguments of one program into its record.
type Gen struct {
	*prog.Ctx
	g *Plan
}

// New starts the reads of the program c writes.
func New(c *prog.Ctx, pl *Plan) *Gen { return &Gen{Ctx: c, g: pl} }

// subprogram starts a function of the bundle (a bpf_loop callback) for
// the program's hook.
func (p *Gen) subprogram() *Gen { return &Gen{Ctx: p.Sub(), g: p.g} }
