package emit

import (
	"math"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/codegen/object"
)

// listing prints insns one per line with their labels, references and
// source lines, so that a test compares everything a rule may touch.
func listing(insns asm.Instructions) string {
	var b strings.Builder
	for _, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			b.WriteString(sym + ":\n")
		}
		if src := ins.Source(); src != nil {
			b.WriteString("  ; " + src.String() + "\n")
		}
		b.WriteString("  " + ins.OpCode.String())
		if ref := ins.Reference(); ref != "" {
			b.WriteString(" <" + ref + ">")
		}
		if object.CORERelocationOf(ins) != nil {
			b.WriteString(" [core]")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// checkRule applies the rule named name to in and compares the result with
// want (nil: the rule must not change anything).
func checkRule(t *testing.T, name string, in, want asm.Instructions) {
	t.Helper()
	var rule *Rule
	for i := range Rules {
		if Rules[i].Name == name {
			rule = &Rules[i]
		}
	}
	if rule == nil {
		t.Fatalf("no rule %q", name)
	}
	before := listing(in)
	got, changed := rule.Apply(in)
	if listing(in) != before {
		t.Errorf("%s modified its input", name)
	}
	if want == nil {
		if changed || listing(got) != before {
			t.Errorf("%s changed what it must not:\n%s\nto\n%s", name, before, listing(got))
		}
		return
	}
	if !changed {
		t.Errorf("%s reported no change", name)
	}
	if listing(got) != listing(want) {
		t.Errorf("%s:\n%s\ngot\n%s\nwant\n%s", name, before, listing(got), listing(want))
	}
}

func TestThreadJumps(t *testing.T) {
	in := asm.Instructions{
		asm.JEq.Imm(asm.R1, 0, "a"),
		asm.Ja.Label("b"),
		asm.Ja.Label("c").WithSymbol("a"),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("b"),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("c").WithSource(line("c")),
		asm.Return(),
	}
	want := asm.Instructions{
		asm.JEq.Imm(asm.R1, 0, "c"),
		asm.Ja.Label("b"),
		asm.Ja.Label("c").WithSymbol("a"),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("b"),
		asm.Mov.Imm(asm.R0, 0).WithSymbol("c").WithSource(line("c")),
		asm.Return(),
	}
	checkRule(t, "thread-jumps", in, want)

	// A chain of gotos is followed to its end in one pass.
	chain := asm.Instructions{
		asm.JEq.Imm(asm.R1, 0, "a"),
		asm.Return(),
		asm.Ja.Label("b").WithSymbol("a"),
		asm.Ja.Label("c").WithSymbol("b"),
		asm.Return().WithSymbol("c"),
	}
	got, _ := threadJumps(chain)
	if ref := got[0].Reference(); ref != "c" {
		t.Errorf("chain: jump to %q, want c", ref)
	}

	// Must not change: a cycle of gotos; a jump to a conditional jump.
	checkRule(t, "thread-jumps", asm.Instructions{
		asm.JEq.Imm(asm.R1, 0, "a"),
		asm.Return(),
		asm.Ja.Label("b").WithSymbol("a"),
		asm.Ja.Label("a").WithSymbol("b"),
	}, nil)
	checkRule(t, "thread-jumps", asm.Instructions{
		asm.Ja.Label("a"),
		asm.JEq.Imm(asm.R1, 0, "b").WithSymbol("a"),
		asm.Return().WithSymbol("b"),
	}, nil)
}

// TestThreadJumpsOffset: threading never makes a jump's 16-bit offset
// overflow; gotol (32-bit offset) may go anywhere.
func TestThreadJumpsOffset(t *testing.T) {
	build := func(first asm.Instruction) asm.Instructions {
		insns := asm.Instructions{first, asm.Return(), asm.Ja.Label("far").WithSymbol("near")}
		for i := 0; i < math.MaxInt16; i++ {
			insns = append(insns, asm.Mov.Imm(asm.R0, 0))
		}
		return append(insns, asm.Return().WithSymbol("far"))
	}
	checkRule(t, "thread-jumps", build(asm.JEq.Imm(asm.R1, 0, "near")), nil)
	wide := asm.Instruction{OpCode: asm.OpCode(asm.Jump32Class).SetJumpOp(asm.Ja)}.WithReference("near")
	got, changed := threadJumps(build(wide))
	if !changed || got[0].Reference() != "far" {
		t.Errorf("gotol not threaded: %v", got[0])
	}
}

func TestDropJumpToNext(t *testing.T) {
	in := asm.Instructions{
		asm.Mov.Imm(asm.R0, 0),
		asm.Ja.Label("next").WithSymbol("jump"),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("next"),
		asm.JEq.Imm(asm.R1, 0, "jump"),
		asm.Return(),
	}
	// The dropped goto's label was a jump target: jumps to it go to the
	// label on the next instruction.
	want := asm.Instructions{
		asm.Mov.Imm(asm.R0, 0),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("next"),
		asm.JEq.Imm(asm.R1, 0, "next"),
		asm.Return(),
	}
	checkRule(t, "drop-jump-to-next", in, want)

	// A label and a source line move to an unlabelled next instruction.
	checkRule(t, "drop-jump-to-next", asm.Instructions{
		asm.Mov.Imm(asm.R0, 0),
		asm.Ja.Label("next").WithSymbol("jump").WithSource(line("goto")),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("next"),
		asm.JEq.Imm(asm.R1, 0, "jump"),
		asm.Return(),
	}, asm.Instructions{
		asm.Mov.Imm(asm.R0, 0),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("next").WithSource(line("goto")),
		asm.JEq.Imm(asm.R1, 0, "next"),
		asm.Return(),
	})

	// Must not change: a conditional jump to the next instruction; a goto
	// whose source line would be lost (the next has its own).
	checkRule(t, "drop-jump-to-next", asm.Instructions{
		asm.Mov.Imm(asm.R0, 0),
		asm.JEq.Imm(asm.R1, 0, "next"),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("next"),
		asm.Return(),
	}, nil)
	checkRule(t, "drop-jump-to-next", asm.Instructions{
		asm.Mov.Imm(asm.R0, 0),
		asm.Ja.Label("next").WithSource(line("goto")),
		asm.Mov.Imm(asm.R0, 1).WithSymbol("next").WithSource(line("next")),
		asm.Return(),
	}, nil)
}

func TestDropRedundantLoads(t *testing.T) {
	// A fill of the slot just spilled, and a second identical load.
	in := asm.Instructions{
		asm.StoreMem(asm.RFP, -8, asm.R6, asm.DWord),
		asm.LoadMem(asm.R6, asm.RFP, -8, asm.DWord),
		asm.LoadMem(asm.R1, asm.R7, 16, asm.Word),
		asm.Mov.Imm(asm.R2, 3),
		asm.LoadMem(asm.R1, asm.R7, 16, asm.Word).WithSource(line("again")),
		asm.Return(),
	}
	want := asm.Instructions{
		asm.StoreMem(asm.RFP, -8, asm.R6, asm.DWord),
		asm.LoadMem(asm.R1, asm.R7, 16, asm.Word),
		asm.Mov.Imm(asm.R2, 3),
		asm.Return().WithSource(line("again")),
	}
	got := in
	for changed := true; changed; {
		got, changed = dropRedundantLoads(got)
	}
	if listing(got) != listing(want) {
		t.Errorf("got\n%s\nwant\n%s", listing(got), listing(want))
	}

	core := object.CORE(asm.LoadMem(asm.R1, asm.R7, 0, asm.DWord), &btf.Int{Name: "u64", Size: 8}, "0", object.FieldByteOffset)
	// Must not change: something in between may change the register, its
	// base or the memory, or another path arrives; a narrower spill; a
	// load that is a CO-RE relocation.
	for name, between := range map[string]asm.Instructions{
		"write reg":     {asm.Mov.Imm(asm.R1, 0)},
		"write base":    {asm.Add.Imm(asm.R7, 8)},
		"store via r7":  {asm.StoreImm(asm.R7, 0, 1, asm.Byte)},
		"store via r3":  {asm.StoreMem(asm.R3, 0, asm.R2, asm.DWord)},
		"stack store":   {asm.StoreMem(asm.RFP, -16, asm.R2, asm.DWord)},
		"helper call":   {asm.FnKtimeGetNs.Call()},
		"bpf call":      {asm.Call.Label("func")},
		"jump target":   {asm.Mov.Imm(asm.R2, 0).WithSymbol("l")},
		"load into reg": {asm.LoadMem(asm.R1, asm.RFP, -8, asm.DWord)},
	} {
		for _, first := range []asm.Instruction{asm.LoadMem(asm.R1, asm.R7, 16, asm.Word), asm.LoadMem(asm.R1, asm.RFP, -16, asm.DWord)} {
			if name == "write base" && first.Src == asm.RFP {
				continue // r10 is never written
			}
			in := append(asm.Instructions{first}, between...)
			in = append(in, first, asm.Return())
			if got, changed := dropRedundantLoads(in); changed {
				t.Errorf("%s: dropped a load:\n%s\nto\n%s", name, listing(in), listing(got))
			}
		}
	}
	checkRule(t, "drop-redundant-load", asm.Instructions{
		asm.StoreMem(asm.RFP, -8, asm.R1, asm.Word),
		asm.LoadMem(asm.R1, asm.RFP, -8, asm.Word),
		asm.Return(),
	}, nil)
	checkRule(t, "drop-redundant-load", asm.Instructions{
		core, core, asm.Return(),
	}, nil)
	checkRule(t, "drop-redundant-load", asm.Instructions{
		asm.LoadMem(asm.R1, asm.R7, 16, asm.Word),
		asm.LoadMem(asm.R1, asm.R7, 16, asm.DWord),
		asm.Return(),
	}, nil)
}

func TestDropUnreachable(t *testing.T) {
	in := asm.Instructions{
		asm.JEq.Imm(asm.R1, 0, "out"),
		asm.Return(),
		asm.Mov.Imm(asm.R0, 1).WithSource(line("dead")),
		asm.Return(),
		asm.Return().WithSymbol("out"),
	}
	want := asm.Instructions{
		asm.JEq.Imm(asm.R1, 0, "out"),
		asm.Return(),
		asm.Return().WithSymbol("out").WithSource(line("dead")),
	}
	checkRule(t, "drop-unreachable", in, want)
	// Must not change: code reached only by a jump, and a function's
	// callback address (a reference, not a jump).
	checkRule(t, "drop-unreachable", asm.Instructions{
		asm.Instruction{OpCode: asm.LoadImmOp(asm.DWord), Dst: asm.R2, Src: asm.PseudoFunc, Constant: -1}.WithReference("callback"),
		asm.JEq.Imm(asm.R1, 0, "out"),
		asm.Return(),
		asm.Return().WithSymbol("out"),
	}, nil)
}

// TestOptimize: the rules together, to a fixed point, on what codegen
// writes: a selector that fails to a goto to the exit.
func TestOptimize(t *testing.T) {
	var b Builder
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMem(asm.R2, asm.R6, 0, asm.DWord),
		asm.JNE.Imm(asm.R2, 1, "sel1"),
		asm.Mov.Imm(asm.R0, 1),
		asm.Ja.Label("post"),
	)
	b.Label("sel1")
	b.Emit(
		asm.LoadMem(asm.R2, asm.R6, 0, asm.DWord),
		asm.JNE.Imm(asm.R2, 2, "fail"),
		asm.Mov.Imm(asm.R0, 2),
		asm.Ja.Label("post"),
	)
	b.Label("fail")
	b.Emit(asm.Ja.Label("exit"))
	b.Label("post")
	b.Emit(asm.StoreMem(asm.RFP, -8, asm.R0, asm.DWord), asm.Ja.Label("exit"))
	b.Label("exit")
	b.Emit(asm.Return())
	insns, err := b.Instructions()
	if err != nil {
		t.Fatal(err)
	}
	got := Optimize(insns)
	want := `  MovReg
  LdXMemDW
  JNEImm <sel1>
  MovImm
  Ja <post>
sel1:
  LdXMemDW
  JNEImm <exit>
  MovImm
post:
  StXMemDW
exit:
  Exit
`
	if listing(got) != want {
		t.Errorf("got\n%s\nwant\n%s", listing(got), want)
	}
	if again := Optimize(got); listing(again) != listing(got) {
		t.Errorf("not a fixed point:\n%s", listing(again))
	}
}
