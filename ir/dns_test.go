package ir

import (
	"bytes"
	"testing"
)

// dnsQuery is the query of Tetragon's TestKprobeDnsExample: id 0x4242,
// recursion desired, one question, example.test, type A, class IN.
func dnsQuery(name ...string) []byte {
	q := []byte{0x42, 0x42, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0}
	for _, l := range name {
		q = append(q, byte(len(l)))
		q = append(q, l...)
	}
	return append(q, 0, 0, 1, 0, 1)
}

func TestParseDNS(t *testing.T) {
	long := make([]string, 0, 5)
	for range 4 {
		long = append(long, string(bytes.Repeat([]byte("a"), 63)))
	}
	exact := append(append([]string{}, long[:3]...), string(bytes.Repeat([]byte("b"), 63))) // 4*63+3 = 255
	cases := []struct {
		name    string
		payload []byte
		want    DNS
	}{
		{"Tetragon's query", dnsQuery("example", "test"),
			DNS{TxID: 0x4242, Flags: 0x100, QType: 1, QClass: 1, Parsed: true, Name: []byte("example.test")}},
		{"lowercased", dnsQuery("WWW", "Example", "TEST"),
			DNS{TxID: 0x4242, Flags: 0x100, QType: 1, QClass: 1, Parsed: true, Name: []byte("www.example.test")}},
		{"root", dnsQuery(),
			DNS{TxID: 0x4242, Flags: 0x100, QType: 1, QClass: 1, Parsed: true, Name: []byte{}}},
		{"a response", func() []byte { q := dnsQuery("a", "b"); q[2] |= 0x80; return q }(),
			DNS{TxID: 0x4242, Flags: 0x8100, QType: 1, QClass: 1, Response: true, Parsed: true, Name: []byte("a.b")}},
		{"another opcode", func() []byte { q := dnsQuery("a"); q[2] |= 2 << 3; return q }(),
			DNS{TxID: 0x4242, Flags: 0x1100}},
		{"no question", func() []byte { q := dnsQuery("a"); q[5] = 0; return q }(),
			DNS{TxID: 0x4242, Flags: 0x100}},
		{"short header", dnsQuery("a")[:11], DNS{}},
		{"no type", dnsQuery("example", "test")[:27],
			DNS{TxID: 0x4242, Flags: 0x100, Name: []byte("example.test")}},
		{"cut in a label", dnsQuery("example", "test")[:18], DNS{TxID: 0x4242, Flags: 0x100}},
		{"compression", append(dnsQuery()[:12], 3, 'w', 'w', 'w', 0xc0, 12, 0, 1, 0, 1), DNS{TxID: 0x4242, Flags: 0x100}},
		{"label of 64", append(dnsQuery()[:12], append([]byte{64}, bytes.Repeat([]byte("x"), 64)...)...), DNS{TxID: 0x4242, Flags: 0x100}},
		{"255 characters", dnsQuery(exact...),
			DNS{TxID: 0x4242, Flags: 0x100, QType: 1, QClass: 1, Parsed: true, Name: []byte(joinDots(exact))}},
		{"longer than 255", dnsQuery(append(long, "c")...), DNS{TxID: 0x4242, Flags: 0x100, Truncated: true}},
	}
	for _, c := range cases {
		got := ParseDNS(c.payload)
		if got.TxID != c.want.TxID || got.Flags != c.want.Flags || got.QType != c.want.QType || got.QClass != c.want.QClass ||
			got.Response != c.want.Response || got.Parsed != c.want.Parsed || got.Truncated != c.want.Truncated ||
			!bytes.Equal(got.Name, c.want.Name) {
			t.Errorf("%s: got %+v (name %q), want %+v (name %q)", c.name, got, got.Name, c.want, c.want.Name)
		}
	}
}

func joinDots(labels []string) string {
	return string(bytes.Join(func() [][]byte {
		var b [][]byte
		for _, l := range labels {
			b = append(b, []byte(l))
		}
		return b
	}(), []byte(".")))
}

// TestEvalDNS: matchArgs tests a dns argument's query name, as parsed.
func TestEvalDNS(t *testing.T) {
	str := func(s ...string) []Value {
		var out []Value
		for _, x := range s {
			out = append(out, Value{Kind: ValString, Str: x})
		}
		return out
	}
	name := func(p []byte) ArgValue { return ArgValue{Bytes: ParseDNS(p).Name} }
	example := name(dnsQuery("example", "test"))
	other := name(dnsQuery("other", "example", "org"))
	mixed := name(dnsQuery("WWW", "Example", "Test"))
	unparsed := name(dnsQuery("example", "test")[:18])
	cases := []struct {
		name string
		op   Op
		vals []Value
		arg  ArgValue
		want bool
	}{
		{"Tetragon's example", OpPostfix, str("example.test"), example, true},
		{"Tetragon's no match", OpPostfix, str("example.test"), other, false},
		{"lowercased before the test", OpPostfix, str("example.test"), mixed, true},
		{"a value in capitals never matches", OpEqual, str("Example.test"), mixed, false},
		{"equal", OpEqual, str("example.test"), example, true},
		{"not equal", OpNotEqual, str("example.test"), other, true},
		{"prefix", OpPrefix, str("other."), other, true},
		{"not prefix", OpNotPrefix, str("other."), example, true},
		{"not postfix", OpNotPostfix, str(".org"), other, false},
		{"substring", OpSubString, str("ample"), other, true},
		{"an unparsed name is empty", OpPostfix, str("test"), unparsed, false},
		{"an unparsed name is not equal", OpNotEqual, str("example.test"), unparsed, true},
	}
	for _, c := range cases {
		if err := CheckArgOp(c.op, TypeDNS); err != nil {
			t.Fatalf("%s on dns: %v", c.op, err)
		}
		h := &Hook{Args: []*Arg{{Slot: 0, Type: TypeDNS}}}
		test := &Test{Kind: TestArg, Op: c.op, Slot: 0, Type: TypeDNS, Values: c.vals}
		got, err := EvalTest(h, test, &Event{Args: []ArgValue{c.arg}})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s %v on %q: %v, want %v", c.name, c.op, c.vals, c.arg.Bytes, got, c.want)
		}
	}
	for _, op := range []Op{OpDPort, OpGT, OpFamily, OpFileType, OpMask} {
		if CheckArgOp(op, TypeDNS) == nil {
			t.Errorf("%s on dns is allowed", op)
		}
	}
}

func TestDNSQueryName(t *testing.T) {
	long := string(bytes.Repeat([]byte("a."), 128)) + "b" // 257 characters
	for _, c := range []struct {
		in, want string
		err      bool
	}{
		{"www.Example.TEST", "www.example.test", false},
		{"example.test.", "example.test", false},
		{"", "", false},
		{".", "", false},
		{long, "", false},
		{"a..b", "", true},
		{string(bytes.Repeat([]byte("x"), 64)) + ".com", "", true},
	} {
		got, err := DNSQueryName(c.in)
		if (err != nil) != c.err || string(got) != c.want {
			t.Errorf("DNSQueryName(%q) = %q, %v; want %q (error %v)", c.in, got, err, c.want, c.err)
		}
	}
	// What the name reads is what the program reads of a query for it.
	q := dnsQuery("www", "Example", "TEST")
	if got, _ := DNSQueryName("www.Example.TEST"); !bytes.Equal(got, ParseDNS(q).Name) {
		t.Errorf("DNSQueryName %q, ParseDNS %q", got, ParseDNS(q).Name)
	}
}
