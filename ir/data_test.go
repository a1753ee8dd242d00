package ir

import (
	"strings"
	"testing"
)

// A hook with data entries verifies when each is read as its source says
// and follows the arguments; Eval tests them by slot, as matchArgs tests.
func TestDataEntries(t *testing.T) {
	pos := Pos{File: "data.yaml", Line: 1}
	hook := func(args ...*Arg) *Hook {
		for i, a := range args {
			a.Slot, a.SizeSlot, a.Pos = i, NoSize, pos
		}
		return &Hook{Kind: HookUprobe, Target: "/bin/sh", Symbol: "main", Call: "main", Args: args, Pos: pos,
			Selectors: []*Selector{{Pos: pos, Actions: []*Action{{Kind: ActPost, Pos: pos}},
				Tests: []*Test{{Kind: TestArg, Slot: len(args) - 1, Op: OpGT, Type: args[len(args)-1].Type, Pos: pos,
					Values: []Value{{Kind: ValInt, Int: 0}}}}}}}
	}
	reg := func() *Reg { return &Reg{Name: "eax", Offset: 80, Size: 4} }
	for _, c := range []struct {
		name string
		h    *Hook
		err  string
	}{
		{"ok", hook(&Arg{Type: TypeInt}, &Arg{Type: TypeInt, Source: SourcePtRegs, Reg: reg()}, &Arg{Type: TypeInt, Source: SourceCurrentTask, Resolve: []string{"tgid"}}), ""},
		{"arg after data", hook(&Arg{Type: TypeInt, Source: SourcePtRegs, Reg: reg()}, &Arg{Type: TypeInt}), "argument after a data entry"},
		{"no register", hook(&Arg{Type: TypeInt, Source: SourcePtRegs}), "pt_regs data without a register"},
		{"register as string", hook(&Arg{Type: TypeString, Source: SourcePtRegs, Reg: reg()}, &Arg{Type: TypeInt, Source: SourcePtRegs, Reg: reg()}), "pt_regs data read as a string"},
		{"no path", hook(&Arg{Type: TypeInt, Source: SourceCurrentTask}), "current_task data without a resolve path"},
		{"register on an argument", hook(&Arg{Type: TypeInt, Reg: reg()}), "a register on an argument"},
	} {
		p := &Policy{Name: "data", Arch: "x86_64", Hooks: []*Hook{c.h}, Pos: pos}
		err := Verify(p)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v\n%s", c.name, err, p)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: %v, want %q", c.name, err, c.err)
		}
	}
	// The printer names the source and the register.
	h := hook(&Arg{Type: TypeInt, Source: SourcePtRegs, Reg: reg()})
	if s := (&Policy{Name: "data", Arch: "x86_64", Hooks: []*Hook{h}, Pos: pos}).String(); !strings.Contains(s, "source=pt_regs reg=eax@80/4") {
		t.Errorf("printed:\n%s", s)
	}
	// Eval: the GT 0 test on the data entry's slot.
	h = hook(&Arg{Type: TypeInt}, &Arg{Type: TypeInt, Source: SourcePtRegs, Reg: reg()})
	for _, c := range []struct {
		reg    int64
		posted bool
	}{{1, true}, {0, false}, {-1, false}, {0xffffffff, false}, {0x7fffffff, true}} {
		r, err := Eval(h, &Event{Args: []ArgValue{{Int: 5}, {Int: c.reg}}})
		if err != nil {
			t.Fatal(err)
		}
		if r.Posted != c.posted {
			t.Errorf("data %#x: posted %v, want %v", c.reg, r.Posted, c.posted)
		}
	}
}
