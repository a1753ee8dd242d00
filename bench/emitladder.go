package bench

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

// The emitted event's ladder (polc issue 18, item 3): hand-written
// programs that start from the bare ring buffer program (a 48-byte record
// posted for every getppid) and each add one more of the steps the
// generated emitting program takes, so that what an emitted event costs
// beyond the bare output can be shared out between them. Each rung
// includes the ones before it, and posts the same 48 bytes to a ring of
// its own that a reader drains.
var EmitLadder = []LadderStep{
	{"scratch", "the bare program's record built in a per-CPU scratch map (as polc_rec) instead of on the stack, and posted from there"},
	{"pid", "+ bpf_get_current_pid_tgid into the record's header"},
	{"verdict", "+ the process filters' cached verdict: the generation and the per-CPU verdict entry (two array lookups, inlined), compared with the tgid"},
	{"clock", "+ bpf_ktime_get_boot_ns into the record's header"},
	{"counter", "+ the policy's posted counter after the output: a per-CPU array lookup and an atomic add"},
}

// EmitLadderKey is the variant name of an emitted ladder rung.
func EmitLadderKey(step string) string { return "emit:" + step }

// emitLadderProgram builds rung n (an index into EmitLadder), posting to
// events and counting in counters (a per-CPU array of one uint64).
func emitLadderProgram(n int, typ ebpf.ProgramType, m ladderMaps, events, counters *ebpf.Map) (*ebpf.Program, error) {
	upTo := func(name string) bool {
		for i := 0; i <= n; i++ {
			if EmitLadder[i].Name == name {
				return true
			}
		}
		return false
	}
	insns := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMem(asm.R1, asm.R6, 8, asm.DWord),
		asm.JNE.Imm(asm.R1, getppidNR, "exit"),
		// scratch (every rung has it)
		asm.StoreImm(asm.RFP, slotKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, m.scratch.FD()),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, slotKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "exit"),
		asm.Mov.Reg(asm.R9, asm.R0),
		asm.Mov.Imm(asm.R2, 0),
	}
	for off := int16(0); off < 48; off += 8 {
		insns = append(insns, asm.StoreMem(asm.R9, off, asm.R2, asm.DWord))
	}
	insns = append(insns,
		asm.LoadMem(asm.R1, asm.R6, 8, asm.DWord),
		asm.StoreMem(asm.R9, 40, asm.R1, asm.DWord),
	)
	if upTo("pid") {
		insns = append(insns,
			asm.FnGetCurrentPidTgid.Call(),
			asm.StoreMem(asm.R9, 28, asm.R0, asm.Word),
			asm.RSh.Imm(asm.R0, 32),
			asm.StoreMem(asm.R9, 24, asm.R0, asm.Word),
			asm.Mov.Reg(asm.R8, asm.R0),
		)
	}
	if upTo("verdict") {
		insns = append(insns, verdictEntry(m, "verdict_miss")...)
		insns = append(insns,
			asm.Ja.Label("verdict_hit"),
			asm.StoreMem(asm.R7, 0, asm.R8, asm.Word).WithSymbol("verdict_miss"),
			asm.LoadMem(asm.R2, asm.RFP, slotGen, asm.Word),
			asm.StoreMem(asm.R7, 4, asm.R2, asm.Word),
			asm.Mov.Imm(asm.R0, 0).WithSymbol("verdict_hit"),
		)
	}
	if upTo("clock") {
		insns = append(insns,
			asm.FnKtimeGetBootNs.Call(),
			asm.StoreMem(asm.R9, 8, asm.R0, asm.DWord),
		)
	}
	insns = append(insns,
		asm.LoadMapPtr(asm.R1, events.FD()),
		asm.Mov.Reg(asm.R2, asm.R9),
		asm.Mov.Imm(asm.R3, 48),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnRingbufOutput.Call(),
	)
	if upTo("counter") {
		insns = append(insns,
			asm.StoreImm(asm.RFP, slotKey, 0, asm.Word),
			asm.LoadMapPtr(asm.R1, counters.FD()),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, slotKey),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, "exit"),
			asm.Mov.Imm(asm.R1, 1),
			asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		)
	}
	insns = append(insns,
		asm.Mov.Imm(asm.R0, 0).WithSymbol("exit"),
		asm.Return(),
	)
	p, err := loadBenchProgram("bench_e_"+EmitLadder[n].Name, typ, insns)
	if err != nil {
		return nil, fmt.Errorf("emitted ladder: %w", err)
	}
	return p, nil
}
