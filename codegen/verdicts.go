package codegen

import (
	"strings"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/filter"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/ir"
)

// The process-filter verdict cache (polc_verdicts) is codegen/filter's
// (verdicts.go); the driver gives each hook its entry and declares the map.

// verdictSlot returns h's entry in polc_verdicts. Hooks whose selectors
// have the same process tests share one (the hooks a list expands into),
// so their code stays identical and one process's verdict serves them all.
func (g *gen) verdictSlot(h *ir.Hook) int32 {
	var key strings.Builder
	for _, s := range h.Selectors {
		key.WriteString("selector")
		for _, t := range filter.ProcessTests(s) {
			key.WriteString("\n\t")
			key.WriteString(t.Describe())
		}
		key.WriteString("\n")
	}
	if g.verdictSlots == nil {
		g.verdictSlots = map[string]int32{}
	}
	slot, ok := g.verdictSlots[key.String()]
	if !ok {
		slot = int32(len(g.verdictSlots))
		g.verdictSlots[key.String()] = slot
	}
	if size := filter.VerdictBits + bpf.Align8(len(h.Selectors)); size > g.verdictSize {
		g.verdictSize = size
	}
	return slot
}

// declareVerdicts adds polc_verdicts when a hook caches.
func (g *gen) declareVerdicts(obj *object.Object) {
	if len(g.verdictSlots) == 0 {
		return
	}
	obj.Maps = append(obj.Maps, &object.Map{Name: filter.VerdictsMap, Type: ebpf.PerCPUArray, KeySize: 4,
		ValueSize: uint32(g.verdictSize), MaxEntries: uint32(len(g.verdictSlots))})
}
