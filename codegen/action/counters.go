package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// The policy's counters (bpf.CountersMap, declared once as the state map
// ir.MapCounters): the post paths count each record posted or lost, the
// mode gate the enforcement actions it lets run (action.go). A count
// costs one lookup in a per-CPU array and an atomic add.

// CountAdd emits counters[off] += n on this CPU, in the entry of the
// program's policy (a policy set's member's, else 0). It clobbers R0-R5
// and prog.StKey.
func CountAdd(p *prog.Ctx, off int16, n int32) {
	done := p.B.Fresh("counted")
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StKey, int64(p.Member), asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapCounters)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		// The key is in the array; the verifier wants the test.
		asm.JEq.Imm(asm.R0, 0, done),
		asm.Mov.Imm(asm.R1, n),
		asm.AddAtomic.Mem(asm.R0, asm.R1, asm.DWord, off),
	)
	p.B.Label(done)
}

// CountPosted emits, after a bpf_ringbuf_output whose result is in R0,
// the count of the record: Posted when the ring took it, else Lost and
// the shared drop counter (bpf.DropsMap). R0 is 0 after it.
func CountPosted(p *prog.Ctx) {
	lost, done := p.B.Fresh("post_lost"), p.B.Fresh("post_counted")
	p.Emit(asm.JNE.Imm(asm.R0, 0, lost))
	CountAdd(p, bpf.CountersPostedOff, 1)
	p.Emit(asm.Ja.Label(done))
	p.B.Label(lost)
	CountLost(p)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// CountLost emits the count of a record the ring buffer did not take (R0
// not 0): in the shared drop counter and the policy's Lost.
func CountLost(p *prog.Ctx) {
	kern.CountDrop(&p.B, prog.StKey)
	CountAdd(p, bpf.CountersLostOff, 1)
}
