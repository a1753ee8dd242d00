package smoke

import (
	"errors"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
)

// The slots of a probe's state map, one u64 each.
const (
	slotTarget = iota // the tgid whose events count; 0 counts nothing
	slotHits          // events seen from the target tgid
	slotValue         // the value the program read at the last event
	numSlots
)

// probe is one smoke test's program and its state.
type probe struct {
	state *ebpf.Map
	prog  *ebpf.Program
}

// readValue emits instructions that load into R8 what the program reports
// (an argument, a return value), reading the context from R6.
type readValue func() asm.Instructions

// newProbe loads a program of spec's type that, for events of the target
// tgid only, counts the event, stores what read put in R8 and returns
// hitReturn (0 everywhere else).
func newProbe(t *testing.T, spec ebpf.ProgramSpec, read readValue, hitReturn int32) *probe {
	t.Helper()
	state, err := ebpf.NewMap(&ebpf.MapSpec{
		Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: numSlots,
	})
	if err != nil {
		t.Fatalf("create state map: %v", err)
	}
	t.Cleanup(func() { state.Close() })

	spec.License = "GPL"
	spec.Instructions = program(state.FD(), read, hitReturn)
	prog, err := ebpf.NewProgram(&spec)
	if err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) {
			t.Fatalf("load %s program: %+v\n%v", spec.Type, verr, spec.Instructions)
		}
		t.Fatalf("load %s program: %v", spec.Type, err)
	}
	t.Cleanup(func() { prog.Close() })
	return &probe{state: state, prog: prog}
}

// program is the body every smoke program shares.
func program(stateFD int, read readValue, hitReturn int32) asm.Instructions {
	lookup := func(slot int64) asm.Instructions {
		return asm.Instructions{
			asm.StoreImm(asm.R10, -4, slot, asm.Word),
			asm.LoadMapPtr(asm.R1, stateFD),
			asm.Mov.Reg(asm.R2, asm.R10),
			asm.Add.Imm(asm.R2, -4),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, "miss"),
		}
	}
	insns := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.FnGetCurrentPidTgid.Call(),
		asm.RSh.Imm(asm.R0, 32),
		asm.Mov.Reg(asm.R7, asm.R0),
	}
	insns = append(insns, lookup(slotTarget)...)
	insns = append(insns,
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.JNE.Reg(asm.R1, asm.R7, "miss"),
	)
	insns = append(insns, read()...)
	insns = append(insns, lookup(slotHits)...)
	insns = append(insns,
		asm.Mov.Imm(asm.R1, 1),
		asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
	)
	insns = append(insns, lookup(slotValue)...)
	insns = append(insns,
		asm.StoreMem(asm.R0, 0, asm.R8, asm.DWord),
		asm.Mov.Imm(asm.R0, hitReturn),
		asm.Return(),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("miss"),
		asm.Return(),
	)
	return insns
}

// readNothing reports 0.
func readNothing() asm.Instructions { return asm.Instructions{asm.Mov.Imm(asm.R8, 0)} }

// readCtx reports the u64 at offset off of the context.
func readCtx(off int16, size asm.Size) readValue {
	return func() asm.Instructions {
		return asm.Instructions{asm.LoadMem(asm.R8, asm.R6, off, size)}
	}
}

// readCtxInt reads a C int argument of 8 bytes of context (a register, a
// trampoline's slot) and keeps its low 32 bits: the ABI leaves the upper
// half undefined, and 5.10's fentry trampoline passes it on as it was.
func readCtxInt(off int16) readValue {
	return func() asm.Instructions {
		return asm.Instructions{asm.LoadMem(asm.R8, asm.R6, off, asm.DWord), asm.Mov.Reg32(asm.R8, asm.R8)}
	}
}

func (p *probe) set(t *testing.T, slot uint32, v uint64) {
	t.Helper()
	if err := p.state.Put(slot, v); err != nil {
		t.Fatalf("set slot %d: %v", slot, err)
	}
}

func (p *probe) get(t *testing.T, slot uint32) uint64 {
	t.Helper()
	var v uint64
	if err := p.state.Lookup(slot, &v); err != nil {
		t.Fatalf("read slot %d: %v", slot, err)
	}
	return v
}

// attached closes l when the test ends.
func attached(t *testing.T, l link.Link, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("attach: %v", err)
	}
	t.Cleanup(func() { l.Close() })
}
