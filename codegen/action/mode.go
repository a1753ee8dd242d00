package action

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Policy modes (bpf.ModeMap). A selector's enforcement actions
// (ir.ActionKind.Enforces: Sigkill, Signal, Override, NotifyEnforcer) are
// emitted after its other actions, behind one gate that reads the mode
// map: in monitor mode the program jumps over them, and the record still
// reports the action (the header's action byte is written before). So a
// policy costs a map lookup only where an enforcement action is about to
// run, and a policy without any has no mode map and no gate at all. The
// map's unset value (0) means the policy's default, compiled into the
// gate, so that a bundle loaded by another loader than polrun still
// starts in the mode its policy says.

// modeGate emits the test of the policy's mode before enforcement actions
// and returns the label to place after them, where monitor mode goes.
func (p *Gen) modeGate() string {
	p.gates++
	run := fmt.Sprintf("enforce%d", p.gates)
	skip := fmt.Sprintf("enforce%d_done", p.gates)
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.DeclareMap(&object.Map{Name: bpf.ModeMap, Type: ebpf.Array, KeySize: 4, ValueSize: 4, MaxEntries: 1})),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
	)
	// A one-entry array always has key 0; the verifier wants the test,
	// which falls back to the default.
	if p.Policy.Mode == ir.ModeMonitor {
		p.Emit(
			asm.JEq.Imm(asm.R0, 0, skip),
			asm.LoadMem(asm.R1, asm.R0, 0, asm.Word),
			asm.JNE.Imm(asm.R1, int32(bpf.ModeValueEnforce), skip),
		)
	} else {
		p.Emit(
			asm.JEq.Imm(asm.R0, 0, run),
			asm.LoadMem(asm.R1, asm.R0, 0, asm.Word),
			asm.JEq.Imm(asm.R1, int32(bpf.ModeValueMonitor), skip),
		)
	}
	p.B.Label(run)
	return skip
}
