package codegen

import (
	"slices"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// fileIDMap declares the map of file identities that SameFile test t
// (of the hook the program being built serves) looks the argument's up
// in, records the test among the map's uses for the loader's errors, and
// returns the map's name. The loader fills the map at load from the
// manifest's FileIDs: the identities are the loading machine's.
func (g *gen) fileIDMap(t *ir.Test) string {
	name := g.setMap(t.Map, t.Type)
	use := bpf.FileIDUse{Hook: -1, Selector: -1, Pos: bpf.Pos{File: t.Pos.File, Line: t.Pos.Line, Col: t.Pos.Col}}
	for _, h := range g.pol.Hooks {
		for i, s := range h.Selectors {
			if slices.Contains(s.Tests, t) || slices.Contains(s.ReturnTests, t) {
				use.Hook, use.Selector = h.ID, i
			}
		}
	}
	for i := range g.fileIDs {
		f := &g.fileIDs[i]
		if f.Map == name && !slices.Contains(f.Uses, use) {
			f.Uses = append(f.Uses, use)
		}
	}
	return name
}
