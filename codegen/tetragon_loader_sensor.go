package codegen

import (
	"github.com/polc-dev/polc/ir"
)

// The loader sensor (spec.loader: true, Tetragon's process_loader events):
// every executable mapping of a file, the program and the libraries each
// process loads, with the file's build ID.
//
// Tetragon opens perf events that make the kernel report mmaps, and reads
// them with a kprobe on perf_event_mmap_output; those perf events live as
// long as the agent does, which a policy loaded by polrun (and left in
// force when polrun exits) cannot rely on. polc hooks where the kernel
// checks every file mapping instead: security_mmap_file(file, prot,
// flags), a kprobe whose programs post the file's path when prot has
// PROT_EXEC. The build ID is not in the kernel's reach from there (the
// kernel parses it only for perf): polrun reads it from the file's
// .note.gnu.build-id when it decodes the event, and, as Tetragon, reports
// only files that have one.

const (
	loaderSensorFunc = "security_mmap_file"
	protExec         = 4 // PROT_EXEC
)

// loaderSensor adds the loader sensor's hook, after the policy's own and
// the enforcers'.
func (g *gen) loaderSensor() {
	if !g.pol.Loader {
		return
	}
	pos := g.pol.Pos
	h := &ir.Hook{ID: len(g.hooks), Kind: ir.HookKprobe, Target: loaderSensorFunc, Call: "loader", Pos: pos,
		Args: []*ir.Arg{
			{Slot: 0, Index: 0, Type: ir.TypeFile, SizeSlot: ir.NoSize, Pos: pos},
			{Slot: 1, Index: 1, Type: ir.TypeUint64, Label: "prot", SizeSlot: ir.NoSize, Pos: pos},
		},
		Selectors: []*ir.Selector{{Index: 0, Pos: pos, Tests: []*ir.Test{
			// A file (anonymous executable mappings have none)...
			{Kind: ir.TestArg, Op: ir.OpPrefix, Slot: 0, Type: ir.TypeFile, Values: []ir.Value{{Kind: ir.ValString, Str: "/"}}, Pos: pos},
			// ... mapped executable.
			{Kind: ir.TestArg, Op: ir.OpMask, Slot: 1, Type: ir.TypeUint64, Values: []ir.Value{{Kind: ir.ValInt, Int: protExec}}, Pos: pos},
		}}},
	}
	n := len(g.hooks)
	g.hook(h)
	if len(g.hooks) > n {
		g.hooks[n].Loader = true
	}
}
