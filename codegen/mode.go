package codegen

import (
	"github.com/polc-dev/polc/bpf"
)

// Policy modes: the mode gate before enforcement actions is
// codegen/action's (mode.go), which declares bpf.ModeMap when a program
// has one.

// hasModeMap says whether a program reads the mode: then the manifest
// names the default mode.
func (g *gen) hasModeMap() bool {
	for _, m := range g.maps {
		if m.Name == bpf.ModeMap {
			return true
		}
	}
	return false
}
