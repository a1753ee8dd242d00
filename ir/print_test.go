package ir_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// The printer's full output is tested by the golden files
// (testdata/golden, compiler.TestGolden); these test its pieces.

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		v    ir.Value
		t    ir.ArgType
		want string
	}{
		{ir.Value{Kind: ir.ValInt, Int: -1}, ir.TypeInt, "-1"},
		{ir.Value{Kind: ir.ValInt, Int: -1}, ir.TypeUint64, "18446744073709551615"},
		{ir.Value{Kind: ir.ValInt, Int: 7}, ir.TypeInvalid, "7"},
		{rv(1, 5), ir.TypeInt, "1:5"},
		{rv(443, 443), ir.TypeInvalid, "443"},
		{rv(-3, -1), ir.TypeLong, "-3:-1"},
		{ir.Value{Kind: ir.ValString, Str: "a\"b\x00"}, ir.TypeCharBuf, `"a\"b\x00"`},
		{pv("10.0.0.0/8"), ir.TypeSock, "10.0.0.0/8"},
		{ir.Value{Kind: ir.ValList, List: "dups"}, ir.TypeSyscall64, "list:dups"},
	} {
		if got := ir.FormatValue(tc.v, tc.t); got != tc.want {
			t.Errorf("FormatValue(%+v, %s) = %q, want %q", tc.v, tc.t, got, tc.want)
		}
	}
}

func TestPrintStringMatchesFprint(t *testing.T) {
	p := lowerSpec(t, verifyPolicy)
	var b strings.Builder
	if err := ir.Fprint(&b, p); err != nil {
		t.Fatal(err)
	}
	if b.String() != p.String() {
		t.Error("String and Fprint differ")
	}
	for _, want := range []string{
		"policy verify arch=x86_64 @spec.yaml:1:1\n",
		"  map fd fd max=32768 @spec.yaml:",
		"    values 1 2 3 4 5 6 7 8 9\n",
		"  hook 0 kprobe __x64_sys_write call=sys_write syscall abi=x64 return @spec.yaml:7:5\n",
		"    arg 1 index=1 char_buf size=slot2 @spec.yaml:13:7\n",
		"    ret int @spec.yaml:19:7\n",
		"      pid NotIn followforks 1 @spec.yaml:30:9\n",
		"      action FollowFD fd=slot2 name=slot0 @spec.yaml:37:9\n",
		"      return int LT 0 @spec.yaml:34:9\n",
		"    selector 1 @spec.yaml:40:7\n",
	} {
		if !strings.Contains(p.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, p)
		}
	}
}

// TestPrintNil: the printer shows broken IR instead of crashing on it, so
// that a dump can show what a failing pass did.
func TestPrintNil(t *testing.T) {
	p := &ir.Policy{Name: "broken", Hooks: []*ir.Hook{nil, {Args: []*ir.Arg{nil}, Selectors: []*ir.Selector{nil,
		{Tests: []*ir.Test{nil}, Actions: []*ir.Action{nil}}}}}, Maps: []*ir.Map{nil}, Enforcers: []*ir.Enforcer{nil}}
	out := p.String()
	if strings.Count(out, "<nil>") != 7 {
		t.Errorf("want 7 <nil> markers:\n%s", out)
	}
	var nilPolicy *ir.Policy
	if got := nilPolicy.String(); got != "policy <nil>\n" {
		t.Errorf("nil policy prints %q", got)
	}
}

// TestPrintNoPos: NoPos leaves out every position and nothing else.
func TestPrintNoPos(t *testing.T) {
	p := lowerSpec(t, verifyPolicy)
	var with, without strings.Builder
	ir.Fprint(&with, p)
	ir.FprintWith(&without, p, ir.PrintOptions{NoPos: true})
	if strings.Contains(without.String(), " @") {
		t.Errorf("a position is left:\n%s", without.String())
	}
	stripped := regexp.MustCompile(`(?m) @\S+$`).ReplaceAllString(with.String(), "")
	if stripped != without.String() {
		t.Errorf("NoPos changed more than the positions:\n%s\n---\n%s", stripped, without.String())
	}
}
