package ir

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// celArg is an argument of a test case: its type and its raw bits.
type celArg struct {
	t ArgType
	v int64
}

// TestCelEval evaluates the cases of Tetragon's own tests of its CEL
// compiler (pkg/celbpf celbpf_test.go argTestCases, the arguments' Go
// types as policy types) and the example policy's expression, and the
// edges of each type's wrapping.
func TestCelEval(t *testing.T) {
	i32 := func(v int32) celArg { return celArg{TypeInt32, int64(v)} }
	u32 := func(v uint32) celArg { return celArg{TypeUint32, int64(v)} }
	i64 := func(v int64) celArg { return celArg{TypeInt64, v} }
	u64 := func(v uint64) celArg { return celArg{TypeUint64, int64(v)} }
	cases := []struct {
		expr string
		want bool
		args []celArg
	}{
		{"arg0 == 42u", true, []celArg{u64(42)}},
		{"arg0 == 43u", false, []celArg{u64(42)}},
		{"arg0 == 0xaaaaaaaaaaaaaaaau", true, []celArg{u64(0xaaaaaaaaaaaaaaaa)}},
		{"arg0 == 0xaaaaaaaaaaaaaaaau", false, []celArg{u64(0xbaaaaaaaaaaaaaab)}},
		{"arg0 == uint32(42u)", true, []celArg{u32(42)}},
		{"arg0 == uint32(43u)", false, []celArg{u32(42)}},
		{"arg2 == int32(42)", true, []celArg{i32(0), u64(0), i32(42)}},
		{"arg0 == int32(-1)", true, []celArg{i32(-1)}},
		{"arg2 == int32(0)", false, []celArg{i32(0), u64(0), i32(42)}},
		{"arg2 == arg0", true, []celArg{i32(42), u64(0), i32(42)}},
		{"arg2 - int32(10) == int32(32)", true, []celArg{i32(30), u64(0), i32(42)}},
		{"arg2 - int32(10) == int32(2) + arg0", true, []celArg{i32(30), u64(0), i32(42)}},
		{"arg2 - int32(-10) == int32(12) + arg0", true, []celArg{i32(30), u64(0), i32(32)}},
		{"int32(2147483647) + int32(1) == int32(-2147483648)", true, nil},
		{"uint32(4294967295u) + uint32(1u) == uint32(0u)", true, nil},
		{"arg0 + arg1 == arg2 + 101", true, []celArg{i64(51), i64(100), i64(50)}},
		{"arg0 + arg1 == -9223372036854775808", true, []celArg{i64(math.MaxInt64), i64(1)}},
		{"arg0 - arg1 == 9223372036854775807", true, []celArg{i64(math.MinInt64), i64(1)}},
		{"arg0 + arg1 == 0u", true, []celArg{u64(math.MaxUint64), u64(1)}},
		{"arg0 - arg1 == 18446744073709551615u", true, []celArg{u64(0), u64(1)}},
		{"arg0 != arg1 && !(arg2 >= arg3)", true, []celArg{i32(42), i32(41), u64(41), u64(42)}},
		{"arg0 == arg1 || arg2 != arg3", true, []celArg{i64(42), i64(41), u32(42), u32(41)}},
		// The example policy (lseek(-1, -16, 0) matches, -17 does not).
		{"arg0 - int32(10) == arg1 + int32(5)", true, []celArg{{TypeInt, -1}, {TypeInt, -16}, {TypeInt, 0}}},
		{"arg0 - int32(10) == arg1 + int32(5)", false, []celArg{{TypeInt, -1}, {TypeInt, -17}, {TypeInt, 0}}},
		// An int argument's bits as read: the low 32, sign-extended.
		{"arg0 == int32(-1)", true, []celArg{{TypeInt, 0xffffffff}}},
		{"arg0 < int32(0)", true, []celArg{{TypeInt, 0x80000000}}},
		{"arg0 > uint32(2147483647u)", true, []celArg{u32(0x80000000)}},
		{"arg0 < 0", true, []celArg{{TypeLong, -5}}},
		{"arg0 > 9223372036854775807u", true, []celArg{u64(1 << 63)}},
		{"arg0 <= arg0 && arg0 >= arg0 && !(arg0 < arg0) && !(arg0 > arg0)", true, []celArg{i32(7)}},
		// int32() truncates an int.
		{"int32(arg0) == int32(-1)", true, []celArg{i64(0x1ffffffff)}},
		{"uint32(arg0) == uint32(1u)", true, []celArg{u64(0x100000001)}},
		{"!!(arg0 == 1)", true, []celArg{i64(1)}},
		{"true && !false", true, nil},
		{"true == (1 == 2)", false, nil},
		{"arg0 - int32(1) > arg0", true, []celArg{i32(math.MinInt32)}},
	}
	for _, c := range cases {
		types := make([]ArgType, len(c.args))
		vals := make([]int64, len(c.args))
		for i, a := range c.args {
			types[i], vals[i] = a.t, a.v
		}
		e, err := ParseCel(c.expr, types)
		if err != nil {
			t.Errorf("%q: %v", c.expr, err)
			continue
		}
		got, err := e.Root.Eval(vals)
		if err != nil {
			t.Errorf("%q: eval: %v", c.expr, err)
			continue
		}
		if (got != 0) != c.want {
			t.Errorf("%q on %v = %v, want %v (parsed %s)", c.expr, vals, got != 0, c.want, e.Root)
		}
	}
}

// TestCelRefused: what Tetragon's checker or code generator refuses is
// refused, with the reason, at the right column.
func TestCelRefused(t *testing.T) {
	types := []ArgType{TypeInt, TypeInt64, TypeUint64, TypeUint32, TypeString, TypeSizeT}
	cases := []struct {
		expr string
		col  int // 1-based
		msg  string
	}{
		{"arg0 == 10", 6, "== compares two values of one type, not between int32 and int"},
		{"arg0 + arg1 == arg1", 6, "+ works on two integers of one type, not between int32 and int"},
		{"arg1 * 2 == 4", 6, "* is not among the operators polc compiles"},
		{"arg1 / 2 == 4", 6, "/ is not among"},
		{"-arg1 == 4", 1, "negation (-x)"},
		{"arg1", 1, "of type int; a CelExpr must be a bool"},
		{"arg4 == arg4", 1, "arg4 is an argument of type string"},
		{"arg5 == arg5", 1, "of type size_t"},
		{"arg6 == 1", 1, "arg6 names no argument: args lists 6, so arg0 to arg5"},
		{"data0 == 1", 1, "undeclared name data0"},
		{"int(arg0) == 1", 1, "function int is not in the CelExpr subset polc compiles"},
		{"int32(arg0) == arg0", 1, "int32 converts an int, not an int32"},
		{"uint32(1) == arg3", 1, "uint32 converts an uint, not an int"},
		{"arg1 == 1 ? true : false", 11, "the conditional ?:"},
		{"arg1 in [1, 2]", 6, "in is not in"},
		{"arg4 == \"x\"", 9, "strings are not in"},
		{"arg1 == 1.5", 9, "floating-point"},
		{"arg1 < 1 < 2", 10, "< compares two integers of one type, not between bool and int"},
		{"(arg1 == 1", 11, "expected )"},
		{"arg1 == 99999999999999999999", 9, "does not fit in 64 bits"},
		{"arg1 == 9223372036854775808", 9, "does not fit in an int"},
		{"arg1.size() == 1", 5, ". after a value"},
		{"!arg1", 1, "! negates a bool"},
		{"arg1 == 1 && arg2", 11, "&& joins two bools"},
		{"true < false", 6, "< compares two integers"},
		{"arg1 == 1 #", 11, "unexpected character"},
		{"", 1, "the expression ends"},
		{"arg1 == 1 arg1", 11, "unexpected \"arg1\" after the expression"},
		{deepCel(6) + " == arg1", 1, "needs 7 registers"},
	}
	for _, c := range cases {
		_, err := ParseCel(c.expr, types)
		var ce *CelError
		if !errors.As(err, &ce) {
			t.Errorf("%q: got %v, want an error at column %d: %s", c.expr, err, c.col, c.msg)
			continue
		}
		if ce.Off+1 != c.col || !strings.Contains(ce.Msg, c.msg) {
			t.Errorf("%q: got column %d: %s; want column %d: %s", c.expr, ce.Off+1, ce.Msg, c.col, c.msg)
		}
	}
}

// deepCel is a sum of 2^depth arg1s, as a balanced tree: it takes
// depth+1 registers.
func deepCel(depth int) string {
	e := "arg1"
	for range depth {
		e = "(" + e + "+" + e + ")"
	}
	return e
}

// TestCelRegs: the deepest expression of six registers is accepted.
func TestCelRegs(t *testing.T) {
	x, err := ParseCel(deepCel(5)+" == arg1", []ArgType{TypeInt64, TypeInt64})
	if err != nil {
		t.Fatal(err)
	}
	if n := x.Root.Regs(); n != 6 {
		t.Fatalf("%d registers, want 6", n)
	}
}

// TestCelEvalHook: through ir.Eval, argN reads the slot Slots[N], and a
// return value is no CelExpr operand.
func TestCelEvalHook(t *testing.T) {
	e, err := ParseCel("arg0 - arg1 == 3", []ArgType{TypeInt64, TypeLong})
	if err != nil {
		t.Fatal(err)
	}
	e.Slots = []int{2, 0}
	h := &Hook{Args: []*Arg{{Slot: 0, Type: TypeLong}, {Slot: 1, Type: TypeInt}, {Slot: 2, Type: TypeInt64}},
		Selectors: []*Selector{{Tests: []*Test{{Kind: TestArg, Op: OpCelExpr, Slot: 2, Type: TypeInt64, Cel: e,
			Values: []Value{{Kind: ValString, Str: "arg0 - arg1 == 3"}}}}}}}
	for _, c := range []struct {
		args [3]int64
		want bool
	}{{[3]int64{4, 99, 7}, true}, {[3]int64{7, 99, 4}, false}, {[3]int64{-1, 0, 2}, true}} {
		ev := &Event{Args: []ArgValue{{Int: c.args[0]}, {Int: c.args[1]}, {Int: c.args[2]}}}
		res, err := Eval(h, ev)
		if err != nil || res.Matched != c.want {
			t.Errorf("args %v: matched %v (%v), want %v", c.args, res.Matched, err, c.want)
		}
	}
	if _, err := Eval(h, &Event{Args: []ArgValue{{Int: 1}}}); err == nil {
		t.Errorf("an event without slot 2: no error")
	}
	ret := &Test{Kind: TestReturn, Op: OpCelExpr, Type: TypeInt64, Cel: e}
	if _, err := EvalTest(h, ret, &Event{}); err == nil {
		t.Errorf("CelExpr on a return value: no error")
	}
}
