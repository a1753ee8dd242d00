package loader

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
)

// randEvents makes events with every kind, argument value type and field
// set or left out, and strings that need escaping.
type randEvents struct {
	r *rand.Rand
}

func (g randEvents) chance(n int) bool { return g.r.IntN(n) == 0 }

func (g randEvents) str() string {
	if g.chance(3) {
		return ""
	}
	pieces := []string{"a", "/usr/bin/cat", " ", "\"", "\\", "<", ">", "&", "\n", "\t", "\r", "\b", "\f",
		"\x00", "\x01", "\x1f", "\x7f", "é", "日本", "\u2028", "\u2029", "\xff", "\xe2\x80", "\xed\xa0\x80",
		"\U0001F600", "%s", "'", "/", "\ufffd"}
	var s string
	for range g.r.IntN(6) {
		s += pieces[g.r.IntN(len(pieces))]
	}
	return s
}

func (g randEvents) strs() []string {
	switch g.r.IntN(4) {
	case 0:
		return nil
	case 1:
		return []string{}
	}
	var out []string
	for range 1 + g.r.IntN(3) {
		out = append(out, g.str())
	}
	return out
}

func (g randEvents) bytes() []byte {
	switch g.r.IntN(4) {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	b := make([]byte, g.r.IntN(20))
	for i := range b {
		b[i] = byte(g.r.IntN(256))
	}
	return b
}

func (g randEvents) u32() uint32 {
	switch g.r.IntN(4) {
	case 0:
		return 0
	case 1:
		return ^uint32(0)
	}
	return g.r.Uint32() >> g.r.IntN(32)
}

func (g randEvents) u32p() *uint32 {
	if g.chance(3) {
		return nil
	}
	v := g.u32()
	return &v
}

func (g randEvents) i32p() *int32 {
	if g.chance(3) {
		return nil
	}
	v := int32(g.u32())
	return &v
}

func (g randEvents) time() time.Time {
	var sec int64
	switch g.r.IntN(5) {
	case 0:
		return time.Time{}
	case 1: // far from now, years before 1970 and after 9999 included
		sec = g.r.Int64N(1<<38) - 1<<37
	default:
		sec = 1_700_000_000 + g.r.Int64N(400*86400)
	}
	var ns int64
	switch g.r.IntN(4) {
	case 1:
		ns = g.r.Int64N(1000) * 1e6
	case 2:
		ns = g.r.Int64N(1e6) * 1e3
	case 3:
		ns = g.r.Int64N(1e9)
	}
	t := time.Unix(sec, ns)
	if g.chance(2) {
		t = t.In(time.FixedZone("x", 3600*g.r.IntN(24)-12*3600))
	}
	return t
}

func (g randEvents) process() *Process {
	if g.chance(4) {
		return nil
	}
	p := &Process{ExecID: g.str(), PID: g.u32p(), UID: g.u32p(), Cwd: g.str(), Binary: g.str(),
		Arguments: g.str(), Flags: g.str(), AUID: g.u32p(), ParentExecID: g.str(), TID: g.u32p()}
	if !g.chance(3) {
		ts := Timestamp(g.time())
		p.StartTime = &ts
	}
	return p
}

func (g randEvents) userNS() *UserNSArg {
	if g.chance(4) {
		return nil
	}
	u := &UserNSArg{Level: g.i32p(), UID: g.u32p(), GID: g.u32p()}
	if !g.chance(3) {
		u.NS = &NamespaceArg{Inum: g.u32(), IsHost: g.chance(2)}
	}
	return u
}

func (g randEvents) value() any {
	switch g.r.IntN(25) {
	case 0:
		return int32(g.u32())
	case 1:
		return g.u32()
	case 2:
		return g.r.Uint64() >> g.r.IntN(64)
	case 3:
		return int64(g.r.Uint64())
	case 4:
		return g.str()
	case 5:
		return g.bytes()
	case 6:
		return FileArg{Mount: g.str(), Path: g.str(), Flags: g.str()}
	case 7:
		return BinprmArg{Path: g.str()}
	case 8:
		return TruncatedBytesArg{BytesArg: g.bytes(), OrigSize: g.str()}
	case 9:
		return SockArg{Family: g.str(), Type: g.str(), Protocol: g.str(), Mark: g.u32(), Priority: g.u32(),
			Saddr: g.str(), Daddr: g.str(), Sport: g.u32(), Dport: g.u32(), Cookie: g.str(), State: g.str()}
	case 10:
		return SkbArg{Hash: g.u32(), Len: g.u32(), Priority: g.u32(), Mark: g.u32(), Saddr: g.str(), Daddr: g.str(),
			Sport: g.u32(), Dport: g.u32(), Proto: g.u32(), Protocol: g.str(), Family: g.str()}
	case 11:
		return SockaddrArg{Family: g.str(), Addr: g.str(), Port: g.u32()}
	case 12:
		return SyscallIDArg{ID: g.u32(), ABI: g.str()}
	case 13:
		return CapabilityArg{Value: g.i32p(), Name: g.str()}
	case 14:
		return g.userNS()
	case 15:
		c := CredArg{UID: g.u32p(), GID: g.u32p(), EUID: g.u32p(), EGID: g.u32p(), SUID: g.u32p(), SGID: g.u32p(),
			FSUID: g.u32p(), FSGID: g.u32p(), Securebits: g.strs(), UserNS: g.userNS()}
		if !g.chance(3) {
			c.Caps = &CapsArg{Permitted: g.strs(), Effective: g.strs(), Inheritable: g.strs()}
		}
		return c
	case 16:
		return BpfAttrArg{ProgType: g.str(), InsnCnt: g.u32(), ProgName: g.str()}
	case 17:
		return BpfMapArg{MapType: g.str(), KeySize: g.u32(), ValueSize: g.u32(), MaxEntries: g.u32(), MapName: g.str()}
	case 18:
		return PerfEventArg{KprobeFunc: g.str(), Type: g.str(), Config: g.str(), ProbeOffset: g.str()}
	case 19:
		return NameArg{Name: g.str()}
	case 20:
		return nil
	case 21:
		var v []int32
		for range g.r.IntN(9) {
			v = append(v, int32(g.u32()))
		}
		return Int32ListArg{Values: v}
	case 22:
		return SockaddrUnArg{Family: g.str(), Path: g.str()}
	case 23:
		return DNSArg{QueryName: g.str(), QueryType: g.u32(), QueryTypeStr: g.str(), QueryClass: g.u32(), TxID: g.u32(), Flags: g.u32(),
			Response: g.chance(2), Parsed: g.chance(2), Truncated: g.chance(4)}
	}
	// A type the decoder never makes goes through encoding/json.
	return map[string]any{"k": g.str(), "n": g.u32()}
}

func (g randEvents) arg() Arg {
	return Arg{Type: g.str(), Label: g.str(), Key: []string{"int_arg", "string_arg", "file_arg", g.str()}[g.r.IntN(4)], Value: g.value()}
}

func (g randEvents) stack() []StackTraceEntry {
	if g.chance(2) {
		return nil
	}
	var out []StackTraceEntry
	for range g.r.IntN(4) {
		e := StackTraceEntry{Symbol: g.str(), Module: g.str()}
		if !g.chance(3) {
			e.Address = g.r.Uint64()
		}
		if !g.chance(3) {
			e.Offset = g.r.Uint64N(1 << 20)
		}
		out = append(out, e)
	}
	return out
}

func (g randEvents) event() *Event {
	kinds := []string{KindKprobe, KindTracepoint, KindUprobe, KindLSM, KindUSDT, KindLoader, KindExec, KindExit}
	h := &bpf.Hook{Target: g.str(), Symbol: g.str(), Message: g.str(), Tags: g.strs()}
	if g.chance(2) {
		h.Target = []string{"syscalls/sys_enter_openat", "sys_enter", "/", "a/b/c"}[g.r.IntN(4)]
	}
	if g.chance(2) {
		h.Symbol = []string{"prov:name", ":", "noname", "a:b:c"}[g.r.IntN(4)]
	}
	e := &Event{Kind: kinds[g.r.IntN(len(kinds))], Time: g.time(), NodeName: g.str(), Policy: g.str(),
		Hook: h, Process: g.process(), Parent: g.process(), Action: bpf.Action(g.r.IntN(12)),
		KernelStackTrace: g.stack(), UserStackTrace: g.stack(), LoaderPath: g.str(), BuildID: g.bytes(), ImaHash: g.str()}
	if e.Kind == KindExec || e.Kind == KindExit {
		// Process events: no hook, an exit status or signal, ancestors.
		e.Hook = nil
		if g.chance(2) {
			e.Status = uint32(g.r.IntN(256))
		} else {
			e.Signal = g.str()
		}
		for range g.r.IntN(3) {
			if p := g.process(); p != nil {
				e.Ancestors = append(e.Ancestors, p)
			}
		}
	}
	switch g.r.IntN(3) {
	case 0:
	case 1:
		e.Args = []Arg{}
	default:
		for range 1 + g.r.IntN(5) {
			e.Args = append(e.Args, g.arg())
		}
	}
	if g.chance(2) {
		a := g.arg()
		e.Return = &a
	}
	// The process cache's encodings, as the stream attaches them; some
	// made from other values, as when an event's process was changed
	// after decoding.
	if e.Process != nil && !g.chance(3) {
		e.procEnc = newProcEncoding(e.Process)
		if other := g.process(); other != nil && g.chance(3) {
			e.procEnc = newProcEncoding(other)
		}
	}
	if e.Parent != nil && !g.chance(3) {
		e.parentEnc = newProcEncoding(e.Parent)
	}
	return e
}

// AppendJSON writes what json.Marshal writes for an event, byte for byte.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	g := randEvents{rand.New(rand.NewPCG(1, 2))}
	for i := range 20000 {
		e := g.event()
		want, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("event %d: json.Marshal: %v", i, err)
		}
		got := e.AppendJSON(nil)
		if string(got) != string(want) {
			t.Fatalf("event %d differs:\n got %s\nwant %s", i, got, want)
		}
		// Appending keeps what the buffer held.
		got = e.AppendJSON([]byte("x"))
		if string(got[1:]) != string(want) || got[0] != 'x' {
			t.Fatalf("event %d: appended to a buffer: %s", i, got)
		}
	}
}

func TestAppendTimestampMatchesFormat(t *testing.T) {
	g := randEvents{rand.New(rand.NewPCG(3, 4))}
	for range 20000 {
		tm := g.time()
		want := `"` + formatTimestamp(tm) + `"`
		if got := string(appendTimestamp(nil, tm)); got != want {
			t.Fatalf("%v: got %s, want %s", tm, got, want)
		}
	}
}
