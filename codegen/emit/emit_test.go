package emit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
)

// line is a source line for tests.
type line string

func (l line) String() string { return string(l) }

func TestFresh(t *testing.T) {
	var b Builder
	got := []string{b.Fresh("x"), b.Fresh("x"), b.Fresh("y"), b.Fresh("x")}
	want := []string{"x", "x.1", "y", "x.2"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Fresh: %v, want %v", got, want)
	}
}

// TestLabelAliases: two labels on one instruction; a jump to the second
// is resolved to the first, the one the instruction carries.
func TestLabelAliases(t *testing.T) {
	var b Builder
	b.Emit(asm.JEq.Imm(asm.R1, 0, "second"))
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	b.Label("first")
	b.Label("second")
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	insns, err := b.Instructions()
	if err != nil {
		t.Fatal(err)
	}
	if ref := insns[0].Reference(); ref != "first" {
		t.Errorf("jump to %q, want first", ref)
	}
	if sym := insns[3].Symbol(); sym != "first" {
		t.Errorf("target labelled %q, want first", sym)
	}
}

// TestUnreachable: code after an unconditional jump that no jump reaches
// is dropped, and its source line moves to the next kept instruction.
func TestUnreachable(t *testing.T) {
	var b Builder
	b.Emit(asm.Ja.Label("end"))
	b.Source(line("dead code"))
	b.Emit(asm.Mov.Imm(asm.R0, 7))
	b.Label("end")
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	insns, err := b.Instructions()
	if err != nil {
		t.Fatal(err)
	}
	if len(insns) != 3 {
		t.Fatalf("%d instructions, want 3:\n%v", len(insns), insns)
	}
	if src := insns[1].Source(); src == nil || src.String() != "dead code" {
		t.Errorf("source of the kept instruction: %v", src)
	}
}

// TestSourceOnce: repeating the line in effect does not annotate again.
func TestSourceOnce(t *testing.T) {
	var b Builder
	b.Source(line("a"))
	b.Emit(asm.Mov.Imm(asm.R0, 0))
	b.Source(line("a"))
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	insns, err := b.Instructions()
	if err != nil {
		t.Fatal(err)
	}
	if insns[0].Source() == nil || insns[1].Source() != nil {
		t.Errorf("sources: %v, %v", insns[0].Source(), insns[1].Source())
	}
}

func TestErrors(t *testing.T) {
	for name, build := range map[string]func(b *Builder){
		"pending label": func(b *Builder) { b.Emit(asm.Return()); b.Label("end") },
		"unknown label": func(b *Builder) { b.Emit(asm.Ja.Label("nowhere"), asm.Return()) },
		"label twice": func(b *Builder) {
			b.Label("a")
			b.Label("b")
			b.Emit(asm.Return())
			b.Label("c")
			b.Label("b")
			b.Emit(asm.Return())
		},
	} {
		var b Builder
		build(&b)
		if _, err := b.Instructions(); err == nil || !strings.HasPrefix(err.Error(), "emit: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

// TestStoreImmDWord: StoreImm makes the 8-byte store asm.StoreImm refuses.
func TestStoreImmDWord(t *testing.T) {
	ins := StoreImm(asm.RFP, -8, -1, asm.DWord)
	if ins.OpCode != asm.StoreImmOp(asm.DWord) || ins.Offset != -8 || ins.Constant != -1 || ins.Dst != asm.RFP {
		t.Errorf("StoreImm: %v", ins)
	}
}

// ExampleBuilder writes a program that returns 1 when its first argument
// is 0: a fresh label names the other branch.
func ExampleBuilder() {
	var b Builder
	other := b.Fresh("nonzero")
	b.Emit(
		asm.LoadMem(asm.R2, asm.R1, 0, asm.DWord),
		asm.JNE.Imm(asm.R2, 0, other),
		asm.Mov.Imm(asm.R0, 1),
		asm.Return(),
	)
	b.Label(other)
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
	insns, err := b.Instructions()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(insns)
	// Output:
	// 0: LdXMemDW dst: r2 src: r1 off: 0 imm: 0
	// 	 1: JNEImm dst: r2 off: -1 imm: 0 <nonzero>
	// 	 2: MovImm dst: r0 imm: 1
	// 	 3: Exit
	// nonzero:
	// 	 4: MovImm dst: r0 imm: 0
	// 	 5: Exit
}
