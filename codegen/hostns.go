package codegen

import (
	"strings"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// hostNSVar is the load-time variable holding the host's inode of ns.
func (g *gen) hostNSVar(ns ir.Namespace) string {
	name := bpf.VarHostNSPrefix + strings.ToLower(ns.String())
	g.vars[name] = 4
	return name
}
