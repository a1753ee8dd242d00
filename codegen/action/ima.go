package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// askIma marks the record of a matching Post with imaHash. The hash
// itself is taken by the hook's sleepable program (codegen/imahash.go).
func (p *Gen) askIma(a *ir.Action) {
	if !a.ImaHash || p.Lay.Ima == nil {
		return // not asked, or reported by the layout (codegen.addImaSlot)
	}
	p.Emit(emit.StoreImm(prog.RRec, int16(p.Lay.Ima.Off), int64(bpf.ImaPending), asm.Word))
}
