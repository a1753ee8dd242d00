package ir_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// Unit tests of Eval's semantics on hand-built IR: the corners the
// specification's examples do not reach.

func iv(ns ...int64) []ir.Value {
	var out []ir.Value
	for _, n := range ns {
		out = append(out, ir.Value{Kind: ir.ValInt, Int: n})
	}
	return out
}

func sv(ss ...string) []ir.Value {
	var out []ir.Value
	for _, s := range ss {
		out = append(out, ir.Value{Kind: ir.ValString, Str: s})
	}
	return out
}

func rv(lo, hi int64) ir.Value { return ir.Value{Kind: ir.ValRange, Int: lo, Hi: hi} }

func pv(s string) ir.Value { return ir.Value{Kind: ir.ValPrefix, Net: netip.MustParsePrefix(s)} }

// hookWith is a hook with one argument of type t and one selector holding
// test (its Slot 0).
func hookWith(t ir.ArgType, test *ir.Test) *ir.Hook {
	test.Type = t
	return &ir.Hook{Args: []*ir.Arg{{Type: t}}, Selectors: []*ir.Selector{{Tests: []*ir.Test{test},
		Actions: []*ir.Action{{Kind: ir.ActPost}}}}}
}

func TestEvalArgTests(t *testing.T) {
	sock := func(s ir.Sock) ir.ArgValue { return ir.ArgValue{Sock: &s} }
	for _, tc := range []struct {
		name string
		typ  ir.ArgType
		test ir.Test
		arg  ir.ArgValue
		want bool
	}{
		// Width and signedness.
		{"uint32 0xffffffff is not -1", ir.TypeUint32, ir.Test{Op: ir.OpGT, Values: iv(0)}, num(0xffffffff), true},
		{"int32 0xffffffff is -1", ir.TypeInt32, ir.Test{Op: ir.OpGT, Values: iv(0)}, num(0xffffffff), false},
		{"int32 0xffffffff equals -1", ir.TypeInt32, ir.Test{Op: ir.OpEqual, Values: iv(-1)}, num(0xffffffff), true},
		{"int high bits ignored", ir.TypeInt, ir.Test{Op: ir.OpEqual, Values: iv(5)}, num(0x700000005), true},
		{"uint8 wraps", ir.TypeUint8, ir.Test{Op: ir.OpEqual, Values: iv(1)}, num(0x101), true},
		{"int8 -128 below -127", ir.TypeInt8, ir.Test{Op: ir.OpLT, Values: iv(-127)}, num(0x80), true},
		{"uint64 max above 1", ir.TypeUint64, ir.Test{Op: ir.OpGT, Values: iv(1)}, num(-1), true},
		{"int64 -1 below 1", ir.TypeInt64, ir.Test{Op: ir.OpGT, Values: iv(1)}, num(-1), false},
		// Several values: any.
		{"GT any value", ir.TypeInt, ir.Test{Op: ir.OpGT, Values: iv(10, 100)}, num(50), true},
		{"GT none", ir.TypeInt, ir.Test{Op: ir.OpGT, Values: iv(10, 100)}, num(5), false},
		{"LT any value", ir.TypeInt, ir.Test{Op: ir.OpLT, Values: iv(10, 100)}, num(50), true},
		{"Mask any bit", ir.TypeUint32, ir.Test{Op: ir.OpMask, Values: iv(0x4, 0x10)}, num(0x14), true},
		{"Mask no bit", ir.TypeUint32, ir.Test{Op: ir.OpMask, Values: iv(0x4, 0x10)}, num(0x3), false},
		{"Mask high bit of uint64", ir.TypeUint64, ir.Test{Op: ir.OpMask, Values: iv(-1 << 63)}, num(-1 << 63), true},
		// Ranges are inclusive.
		{"InRange low end", ir.TypeInt, ir.Test{Op: ir.OpInRange, Values: []ir.Value{rv(-5, 5)}}, num(-5), true},
		{"InRange high end", ir.TypeInt, ir.Test{Op: ir.OpInRange, Values: []ir.Value{rv(-5, 5)}}, num(5), true},
		{"InRange outside", ir.TypeInt, ir.Test{Op: ir.OpInRange, Values: []ir.Value{rv(-5, 5)}}, num(6), false},
		{"InRange unsigned", ir.TypeUint32, ir.Test{Op: ir.OpInRange, Values: []ir.Value{rv(10, 0xffffffff)}}, num(0xfffffff0), true},
		{"NotInRange inside one", ir.TypeInt, ir.Test{Op: ir.OpNotInRange, Values: []ir.Value{rv(0, 1), rv(5, 9)}}, num(7), false},
		{"NotInRange in none", ir.TypeInt, ir.Test{Op: ir.OpNotInRange, Values: []ir.Value{rv(0, 1), rv(5, 9)}}, num(3), true},
		{"InMap number", ir.TypeUint64, ir.Test{Op: ir.OpInMap, Values: append(iv(4), rv(10, 20))}, num(4), true},
		{"InMap range", ir.TypeUint64, ir.Test{Op: ir.OpInMap, Values: append(iv(4), rv(10, 20))}, num(15), true},
		{"NotInMap", ir.TypeUint64, ir.Test{Op: ir.OpNotInMap, Values: append(iv(4), rv(10, 20))}, num(5), true},
		// Negated operators: no value matches.
		{"NotEqual one of them", ir.TypeInt, ir.Test{Op: ir.OpNotEqual, Values: iv(1, 2)}, num(2), false},
		{"NotEqual none", ir.TypeInt, ir.Test{Op: ir.OpNotEqual, Values: iv(1, 2)}, num(3), true},
		// Values in a map count as values.
		{"Equal in map", ir.TypeInt, ir.Test{Op: ir.OpEqual, Values: iv(1), Map: &ir.Map{Values: iv(7, 8)}}, num(8), true},
		{"NotEqual in map", ir.TypeInt, ir.Test{Op: ir.OpNotEqual, Values: iv(1), Map: &ir.Map{Values: iv(7, 8)}}, num(8), false},
		// Strings are bytes.
		{"Equal exact", ir.TypeString, ir.Test{Op: ir.OpEqual, Values: sv("ab")}, str("ab"), true},
		{"Equal not a prefix", ir.TypeString, ir.Test{Op: ir.OpEqual, Values: sv("ab")}, str("abc"), false},
		{"Prefix", ir.TypeCharBuf, ir.Test{Op: ir.OpPrefix, Values: sv("\x7fELF")}, str("\x7fELF\x02\x01"), true},
		{"Postfix", ir.TypePath, ir.Test{Op: ir.OpPostfix, Values: sv(".so", ".conf")}, str("/etc/x.conf"), true},
		{"Postfix with NUL", ir.TypeCharBuf, ir.Test{Op: ir.OpPostfix, Values: sv("a\x00")}, str("xa\x00"), true},
		{"NotPrefix", ir.TypeFile, ir.Test{Op: ir.OpNotPrefix, Values: sv("/proc", "/sys")}, str("/sys/x"), false},
		{"NotPostfix", ir.TypeFile, ir.Test{Op: ir.OpNotPostfix, Values: sv(".log")}, str("/var/a.txt"), true},
		{"Equal in string map", ir.TypeFd, ir.Test{Op: ir.OpEqual, Map: &ir.Map{Values: sv("/a", "/b")}}, str("/b"), true},
		// Capability sets.
		{"caps Equal whole set", ir.TypeKernelCap, ir.Test{Op: ir.OpEqual, Values: iv(0x2001)}, num(0x2001), true},
		{"caps Equal subset", ir.TypeKernelCap, ir.Test{Op: ir.OpEqual, Values: iv(0x2001)}, num(0x1), false},
		// Network.
		{"SAddr in prefix", ir.TypeSock, ir.Test{Op: ir.OpSAddr, Values: []ir.Value{pv("10.0.0.0/8")}}, sock(ir.Sock{SAddr: netip.MustParseAddr("10.1.2.3")}), true},
		{"SAddr v4-mapped v6", ir.TypeSock, ir.Test{Op: ir.OpSAddr, Values: []ir.Value{pv("10.0.0.0/8")}}, sock(ir.Sock{SAddr: netip.MustParseAddr("::ffff:10.1.2.3")}), true},
		{"SAddr v6", ir.TypeSock, ir.Test{Op: ir.OpSAddr, Values: []ir.Value{pv("fd00::/8")}}, sock(ir.Sock{SAddr: netip.MustParseAddr("fd12::1")}), true},
		{"DAddr not SAddr", ir.TypeSock, ir.Test{Op: ir.OpDAddr, Values: []ir.Value{pv("10.0.0.0/8")}}, sock(ir.Sock{SAddr: netip.MustParseAddr("10.1.2.3"), DAddr: netip.MustParseAddr("8.8.8.8")}), false},
		{"NotDAddr", ir.TypeSock, ir.Test{Op: ir.OpNotDAddr, Values: []ir.Value{pv("127.0.0.0/8"), pv("::1/128")}}, sock(ir.Sock{DAddr: netip.MustParseAddr("1.1.1.1")}), true},
		{"NotSAddr in one", ir.TypeSock, ir.Test{Op: ir.OpNotSAddr, Values: []ir.Value{pv("127.0.0.0/8")}}, sock(ir.Sock{SAddr: netip.MustParseAddr("127.0.0.1")}), false},
		{"no address: not in any prefix", ir.TypeSock, ir.Test{Op: ir.OpSAddr, Values: []ir.Value{pv("0.0.0.0/0")}}, sock(ir.Sock{}), false},
		{"DPort range", ir.TypeSock, ir.Test{Op: ir.OpDPort, Values: []ir.Value{rv(8000, 8080)}}, sock(ir.Sock{DPort: 8080}), true},
		{"NotSPort", ir.TypeSock, ir.Test{Op: ir.OpNotSPort, Values: []ir.Value{rv(22, 22)}}, sock(ir.Sock{SPort: 22}), false},
		{"NotDPort", ir.TypeSock, ir.Test{Op: ir.OpNotDPort, Values: []ir.Value{rv(53, 53)}}, sock(ir.Sock{DPort: 443}), true},
		{"SPortPriv 1023", ir.TypeSock, ir.Test{Op: ir.OpSPortPriv}, sock(ir.Sock{SPort: 1023}), true},
		{"SPortPriv 1024", ir.TypeSock, ir.Test{Op: ir.OpSPortPriv}, sock(ir.Sock{SPort: 1024}), false},
		{"NotSPortPriv 1024", ir.TypeSock, ir.Test{Op: ir.OpNotSPortPriv}, sock(ir.Sock{SPort: 1024}), true},
		{"DPortPriv 80", ir.TypeSock, ir.Test{Op: ir.OpDPortPriv}, sock(ir.Sock{DPort: 80}), true},
		{"NotDPortPriv 80", ir.TypeSock, ir.Test{Op: ir.OpNotDPortPriv}, sock(ir.Sock{DPort: 80}), false},
		{"Protocol", ir.TypeSkb, ir.Test{Op: ir.OpProtocol, Values: []ir.Value{rv(6, 6), rv(17, 17)}}, sock(ir.Sock{Protocol: 17}), true},
		{"Family", ir.TypeSockaddr, ir.Test{Op: ir.OpFamily, Values: []ir.Value{rv(10, 10)}}, sock(ir.Sock{Family: 2}), false},
		{"State", ir.TypeSocket, ir.Test{Op: ir.OpState, Values: []ir.Value{rv(1, 1)}}, sock(ir.Sock{State: 1}), true},
		{"Equal on a sock is the pointer", ir.TypeSock, ir.Test{Op: ir.OpEqual, Values: iv(0)}, ir.ArgValue{Int: 0}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test := tc.test
			test.Kind = ir.TestArg
			h := hookWith(tc.typ, &test)
			got, err := ir.EvalTest(h, &test, &ir.Event{Args: []ir.ArgValue{tc.arg}})
			if err != nil || got != tc.want {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
			// The return value is tested alike.
			ret := test
			ret.Kind = ir.TestReturn
			got, err = ir.EvalTest(h, &ret, &ir.Event{Return: tc.arg})
			if err != nil || got != tc.want {
				t.Errorf("as a return test: got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestEvalCapabilitiesGained(t *testing.T) {
	h := &ir.Hook{Args: []*ir.Arg{{Type: ir.TypeCapEffective}, {Slot: 1, Type: ir.TypeCapEffective}}}
	test := &ir.Test{Kind: ir.TestArg, Op: ir.OpCapabilitiesGained, Slot: 0, Slot2: 1, Type: ir.TypeCapEffective}
	for _, tc := range []struct {
		nw, old int64
		want    bool
	}{{0x3, 0x1, true}, {0x1, 0x3, false}, {0x3, 0x3, false}, {0x4, 0x3, true}} {
		got, err := ir.EvalTest(h, test, &ir.Event{Args: []ir.ArgValue{num(tc.nw), num(tc.old)}})
		if err != nil || got != tc.want {
			t.Errorf("new %#x old %#x: got %v, %v", tc.nw, tc.old, got, err)
		}
	}
}

func TestEvalProcessTests(t *testing.T) {
	userNS := func(p ir.Process, inode uint32) ir.Process {
		p.NS[ir.NsUser] = inode
		return p
	}
	child := ctrChild()
	for _, tc := range []struct {
		name string
		test ir.Test
		proc ir.Process
		want bool
	}{
		{"PID In", ir.Test{Kind: ir.TestPID, Op: ir.OpIn, Values: iv(5010)}, child, true},
		{"PID In ancestor without followForks", ir.Test{Kind: ir.TestPID, Op: ir.OpIn, Values: iv(5000)}, child, false},
		{"PID In ancestor", ir.Test{Kind: ir.TestPID, Op: ir.OpIn, FollowForks: true, Values: iv(5000)}, child, true},
		{"PID In host ancestor beyond the PID namespace", ir.Test{Kind: ir.TestPID, Op: ir.OpIn, FollowForks: true, Values: iv(4990)}, child, true},
		{"nspid In 1 ancestor", ir.Test{Kind: ir.TestPID, Op: ir.OpIn, FollowForks: true, NamespacePID: true, Values: iv(1)}, child, true},
		{"nspid stops at the namespace", ir.Test{Kind: ir.TestPID, Op: ir.OpIn, FollowForks: true, NamespacePID: true, Values: iv(4990)}, child, false},
		{"nspid NotIn ancestors", ir.Test{Kind: ir.TestPID, Op: ir.OpNotIn, FollowForks: true, NamespacePID: true, Values: iv(1)}, child, false},
		{"PID in a map", ir.Test{Kind: ir.TestPID, Op: ir.OpIn, Map: &ir.Map{Values: iv(1, 5010)}}, child, true},
		{"binary NotIn followChildren", ir.Test{Kind: ir.TestBinary, Op: ir.OpNotIn, FollowChildren: true, Values: sv("/app/server")}, child, false},
		{"binary NotIn", ir.Test{Kind: ir.TestBinary, Op: ir.OpNotIn, Values: sv("/app/server")}, child, true},
		{"binary In followChildren", ir.Test{Kind: ir.TestBinary, Op: ir.OpIn, FollowChildren: true, Values: sv("/usr/bin/containerd-shim")}, child, true},
		{"binary Prefix", ir.Test{Kind: ir.TestBinary, Op: ir.OpPrefix, Values: sv("/bin/")}, child, true},
		{"binary NotPostfix", ir.Test{Kind: ir.TestBinary, Op: ir.OpNotPostfix, Values: sv("/sh")}, child, false},
		{"binary Postfix needs the end", ir.Test{Kind: ir.TestBinary, Op: ir.OpPostfix, Values: sv("/bin")}, child, false},
		{"namespace In", ir.Test{Kind: ir.TestNamespace, Op: ir.OpIn, Namespace: ir.NsMnt, Values: iv(ctrMntNS)}, child, true},
		{"namespace In host_ns", ir.Test{Kind: ir.TestNamespace, Op: ir.OpIn, Namespace: ir.NsMnt, HostNS: true}, child, false},
		{"namespace NotIn host_ns", ir.Test{Kind: ir.TestNamespace, Op: ir.OpNotIn, Namespace: ir.NsPid, HostNS: true}, child, true},
		{"namespace NotIn host_ns, host process", ir.Test{Kind: ir.TestNamespace, Op: ir.OpNotIn, Namespace: ir.NsPid, HostNS: true}, hostProc(3, "/x"), false},
		{"namespace In host_ns or inode", ir.Test{Kind: ir.TestNamespace, Op: ir.OpIn, Namespace: ir.NsNet, HostNS: true, Values: iv(ctrNetNS)}, child, true},
		{"caps In", ir.Test{Kind: ir.TestCaps, Op: ir.OpIn, Mask: 1<<21 | 1<<5}, withCaps(child, 1<<5), true},
		{"caps NotIn", ir.Test{Kind: ir.TestCaps, Op: ir.OpNotIn, Mask: 1<<21 | 1<<5}, withCaps(child, 1<<5), false},
		{"caps NotIn none held", ir.Test{Kind: ir.TestCaps, Op: ir.OpNotIn, Mask: 1 << 21}, withCaps(child, 1<<5), true},
		{"caps In other set", ir.Test{Kind: ir.TestCaps, Op: ir.OpIn, CapSet: ir.CapPermitted, Mask: 1 << 5}, withCaps(child, 1<<5), false},
		{"nscap in host user ns", ir.Test{Kind: ir.TestCaps, Op: ir.OpIn, NamespaceCap: true, Mask: 1 << 5}, withCaps(child, 1<<5), false},
		{"nscap NotIn in host user ns", ir.Test{Kind: ir.TestCaps, Op: ir.OpNotIn, NamespaceCap: true, Mask: 1 << 21}, withCaps(child, 1<<5), false},
		{"nscap in a user ns", ir.Test{Kind: ir.TestCaps, Op: ir.OpIn, NamespaceCap: true, Mask: 1 << 5}, userNS(withCaps(child, 1<<5), 4026532500), true},
		{"ns-change NotIn: another kind changed", ir.Test{Kind: ir.TestNSChange, Op: ir.OpNotIn, Mask: 1 << ir.NsMnt}, func() ir.Process {
			p := child
			p.NS[ir.NsNet]++
			return p
		}(), true},
		{"ns-change NotIn: only a listed kind changed", ir.Test{Kind: ir.TestNSChange, Op: ir.OpNotIn, Mask: 1 << ir.NsMnt}, func() ir.Process {
			p := child
			p.NS[ir.NsMnt]++
			return p
		}(), false},
		{"ns-change: exec inode unknown", ir.Test{Kind: ir.TestNSChange, Op: ir.OpIn, Mask: 1 << ir.NsMnt}, func() ir.Process {
			p := child
			p.ExecNS[ir.NsMnt] = 0
			return p
		}(), false},
		{"cap-change NotIn: others changed", ir.Test{Kind: ir.TestCapChange, Op: ir.OpNotIn, Mask: 1 << 7}, withCaps(child, 1<<5), true},
		{"cap-change NotIn: listed changed", ir.Test{Kind: ir.TestCapChange, Op: ir.OpNotIn, Mask: 1 << 7}, withCaps(child, 1<<7), false},
		{"cap-change NotIn: nothing changed", ir.Test{Kind: ir.TestCapChange, Op: ir.OpNotIn, Mask: 1 << 7}, child, false},
		{"cap-change nscap in host user ns", ir.Test{Kind: ir.TestCapChange, Op: ir.OpIn, NamespaceCap: true, Mask: 1 << 7}, withCaps(child, 1<<7), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &ir.Hook{}
			got, err := ir.EvalTest(h, &tc.test, &ir.Event{Process: tc.proc, Host: host})
			if err != nil || got != tc.want {
				t.Errorf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestEvalSelectors(t *testing.T) {
	eq := func(n int64) *ir.Test {
		return &ir.Test{Kind: ir.TestArg, Op: ir.OpEqual, Type: ir.TypeInt, Values: iv(n)}
	}
	act := func(k ir.ActionKind) *ir.Action { return &ir.Action{Kind: k} }
	h := &ir.Hook{Args: []*ir.Arg{{Type: ir.TypeInt}}, Return: true, Ret: &ir.Arg{Slot: -1, Type: ir.TypeInt},
		Selectors: []*ir.Selector{
			{Index: 0, Tests: []*ir.Test{eq(1)}, Actions: []*ir.Action{act(ir.ActSigkill), act(ir.ActPost)}},
			{Index: 2, Tests: []*ir.Test{eq(1)}, Actions: []*ir.Action{act(ir.ActOverride)}}, // shadowed by 0
			{Index: 3, Tests: []*ir.Test{eq(2)}, Actions: []*ir.Action{act(ir.ActNoPost)}},
			{Index: 4, Tests: []*ir.Test{eq(3)}, Actions: []*ir.Action{act(ir.ActSignal)},
				ReturnTests:   []*ir.Test{{Kind: ir.TestReturn, Op: ir.OpLT, Type: ir.TypeInt, Values: iv(0)}},
				ReturnActions: []*ir.Action{act(ir.ActPost)}},
			{Index: 5, Tests: []*ir.Test{eq(4)}, ReturnActions: []*ir.Action{act(ir.ActNoPost)}},
		}}
	for _, tc := range []struct {
		name    string
		arg     int64
		ret     int64
		sel     int
		posted  bool
		entry   string
		retActs string
	}{
		{"first match wins", 1, 0, 0, true, "Sigkill Post", ""},
		{"NoPost", 2, 0, 3, false, "NoPost", ""},
		{"return test passes", 3, -1, 4, true, "Signal", "Post"},
		{"return test fails: entry actions ran, no event", 3, 0, 4, false, "Signal", ""},
		{"NoPost at return", 4, 0, 5, false, "", "NoPost"},
		{"no selector matches", 9, 0, -1, false, "", ""},
	} {
		res, err := ir.Eval(h, &ir.Event{Args: []ir.ArgValue{num(tc.arg)}, Return: num(tc.ret)})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		sel := -1
		if res.Selector != nil {
			sel = res.Selector.Index
		}
		kinds := func(as []*ir.Action) string {
			var s []string
			for _, a := range as {
				s = append(s, a.Kind.String())
			}
			return strings.Join(s, " ")
		}
		if sel != tc.sel || res.Posted != tc.posted || kinds(res.Actions) != tc.entry || kinds(res.ReturnActions) != tc.retActs ||
			res.Matched != (tc.sel >= 0) {
			t.Errorf("%s: got selector %d posted %v entry %q return %q", tc.name, sel, res.Posted, kinds(res.Actions), kinds(res.ReturnActions))
		}
	}
}

func TestEvalErrors(t *testing.T) {
	arg := &ir.Test{Kind: ir.TestArg, Op: ir.OpEqual, Type: ir.TypeInt, Slot: 3, Values: iv(1)}
	net := &ir.Test{Kind: ir.TestArg, Op: ir.OpSPort, Type: ir.TypeSock, Values: []ir.Value{rv(1, 2)}}
	for _, tc := range []struct {
		name string
		h    *ir.Hook
		ev   *ir.Event
	}{
		{"nil hook", nil, &ir.Event{}},
		{"nil event", &ir.Hook{}, nil},
		{"missing slot", &ir.Hook{Selectors: []*ir.Selector{{Tests: []*ir.Test{arg}}}}, &ir.Event{}},
		{"no socket", &ir.Hook{Selectors: []*ir.Selector{{Tests: []*ir.Test{net}}}}, &ir.Event{Args: []ir.ArgValue{{}}}},
		{"bad kind", &ir.Hook{Selectors: []*ir.Selector{{Tests: []*ir.Test{{Kind: 99}}}}}, &ir.Event{}},
		{"nil test", &ir.Hook{Selectors: []*ir.Selector{{Tests: []*ir.Test{nil}}}}, &ir.Event{}},
	} {
		if _, err := ir.Eval(tc.h, tc.ev); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestFitInt(t *testing.T) {
	for _, tc := range []struct {
		t    ir.ArgType
		in   int64
		want int64
	}{
		{ir.TypeInt8, 0xff, -1}, {ir.TypeUint8, -1, 0xff}, {ir.TypeInt16, 0x18000, -0x8000},
		{ir.TypeUint16, 0x18000, 0x8000}, {ir.TypeInt, 0x80000000, -0x80000000}, {ir.TypeUint32, -1, 0xffffffff},
		{ir.TypeInt64, -1, -1}, {ir.TypeUint64, -1, -1}, {ir.TypeSock, 12345, 12345},
	} {
		if got := ir.FitInt(tc.t, tc.in); got != tc.want {
			t.Errorf("FitInt(%s, %#x) = %#x, want %#x", tc.t, tc.in, got, tc.want)
		}
	}
}
