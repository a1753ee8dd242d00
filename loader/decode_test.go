package loader

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// record builds a policy record: header, then each argument encoded as
// package bpf says.
type record struct {
	h    bpf.Header
	body bytes.Buffer
}

func newRecord(hook uint16, flags uint16) *record {
	return &record{h: bpf.Header{
		Kind: bpf.EventPolicy, Version: bpf.EventVersion, Flags: flags, Ktime: 5_000_000_123,
		PolicyID: 7, HookID: hook, Selector: 1, Action: bpf.ActionPost, Tgid: 4242, Pid: 4243,
	}}
}

func (r *record) int(v uint64) *record {
	binary.Write(&r.body, binary.LittleEndian, v)
	return r
}

func (r *record) bytes(data string, total uint64, flags uint32) *record {
	binary.Write(&r.body, binary.LittleEndian, bpf.BytesHeader{Len: uint32(len(data)), Flags: flags, Total: total})
	r.body.WriteString(data)
	r.pad()
	return r
}

func (r *record) fixed(v any) *record {
	binary.Write(&r.body, binary.LittleEndian, v)
	r.pad()
	return r
}

func (r *record) pad() {
	for r.body.Len()%8 != 0 {
		r.body.WriteByte(0)
	}
}

func (r *record) raw() []byte {
	r.h.Size = uint32(bpf.HeaderSize + r.body.Len())
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, r.h)
	b.Write(r.body.Bytes())
	return b.Bytes()
}

// One hook with an argument of every encoding, and the JSON Tetragon's
// export prints for it, kept in testdata/events.golden.
func TestDecodeEveryEncoding(t *testing.T) {
	hook := bpf.Hook{
		ID: 0, Kind: "kprobe", Target: "__x64_sys_example", Call: "sys_example", Syscall: true,
		Message: "every encoding", Tags: []string{"a", "b"},
		Args: []bpf.Arg{
			{Index: 0, Type: "int", Label: "fd", Encoding: bpf.EncInt},
			{Index: 1, Type: "uint32", Encoding: bpf.EncInt},
			{Index: 2, Type: "size_t", Encoding: bpf.EncInt},
			{Index: 3, Type: "long", Encoding: bpf.EncInt},
			{Index: 4, Type: "syscall64", Encoding: bpf.EncInt},
			{Index: 5, Type: "capability", Encoding: bpf.EncInt},
			{Index: 6, Type: "kernel_cap_t", Encoding: bpf.EncInt},
			{Index: 7, Type: "bpf_cmd", Encoding: bpf.EncInt},
			{Index: 8, Type: "nop", Encoding: bpf.EncNone},
			{Index: 9, Type: "string", Encoding: bpf.EncBytes, MaxBytes: 64},
			{Index: 10, Type: "file", Encoding: bpf.EncBytes, MaxBytes: 4096},
			{Index: 11, Type: "path", Encoding: bpf.EncBytes, MaxBytes: 4096},
			{Index: 12, Type: "char_buf", Encoding: bpf.EncBytes, MaxBytes: 16},
			{Index: 13, Type: "char_buf", Encoding: bpf.EncBytes, MaxBytes: 16},
			{Index: 14, Type: "linux_binprm", Encoding: bpf.EncBytes},
			{Index: 15, Type: "net_device", Encoding: bpf.EncBytes},
			{Index: 16, Type: "sock", Encoding: bpf.EncSock},
			{Index: 17, Type: "skb", Encoding: bpf.EncSkb},
			{Index: 18, Type: "sockaddr", Encoding: bpf.EncSockaddr},
			{Index: 19, Type: "cred", Encoding: bpf.EncCred},
			{Index: 20, Type: "user_namespace", Encoding: bpf.EncUserNamespace},
			{Index: 21, Type: "bpf_attr", Encoding: bpf.EncBpfAttr},
			{Index: 22, Type: "bpf_map", Encoding: bpf.EncBpfMap},
			{Index: 23, Type: "perf_event", Encoding: bpf.EncPerfEvent},
			{Index: 24, Type: "sockaddr_un", Encoding: bpf.EncSockaddrUn, MaxBytes: bpf.SockaddrUnPathMax},
			{Index: 25, Type: "sockaddr_un", Encoding: bpf.EncSockaddrUn, MaxBytes: bpf.SockaddrUnPathMax},
		},
		Return: &bpf.Arg{Type: "int", Encoding: bpf.EncInt},
	}
	v4 := func(a, b, c, d byte) (out [16]byte) { out[0], out[1], out[2], out[3] = a, b, c, d; return }
	unix := func(abstract bool, path string) bpf.SockaddrUn {
		u := bpf.SockaddrUn{Family: 1, Path: bpf.BytesHeader{Len: uint32(len(path)), Total: uint64(len(path))}}
		if abstract {
			u.Abstract = 1
		}
		copy(u.Data[:], path)
		return u
	}
	var name16 [16]byte
	copy(name16[:], "prog")
	var fn64 [64]byte
	copy(fn64[:], "fd_install")
	r := newRecord(0, bpf.FlagReturn)
	r.h.Ret = -2
	r.int(uint64(0xffffffff)). // int -1
					int(7).int(1<<40).int(uint64(1<<63)).
					int(arch.EncodeSyscall64(arch.ABII386, 5)).
					int(21).int(0x1ff).int(5).
					bytes("hello world", 11, 0).
					bytes("/etc/passwd", 11, 0).
					bytes("/tmp", 4, 0).
					bytes("0123456789abcdef", 100, bpf.BytesTruncated).
					bytes("\x00\x01\x02", 3, 0).
					bytes("/usr/bin/true", 13, 0).
					bytes("eth0", 4, 0).
					fixed(bpf.Sock{Family: 2, Type: 1, Protocol: 6, State: 1, Mark: 3, Sport: 40000, Dport: 53, Saddr: v4(10, 0, 0, 1), Daddr: v4(1, 1, 1, 1), Cookie: 99}).
					fixed(bpf.Skb{Len: 60, Family: 10, Protocol: 17, Sport: 1, Dport: 2, Saddr: [16]byte{15: 1}, Daddr: [16]byte{0: 0xfe, 1: 0x80, 15: 2}}).
					fixed(bpf.Sockaddr{Family: 2, Port: 8080, Addr: v4(127, 0, 0, 1)}).
					fixed(bpf.Cred{UID: 1000, EUID: 0, CapEffective: 1<<21 | 1, Securebits: 0x10, UserNSInum: 4026531837}).
					fixed(bpf.UserNamespace{Level: 1, Owner: 1000, Group: 1000, Inum: 4026532000}).
					fixed(bpf.BpfAttr{ProgType: 2, InsnCnt: 10, ProgName: name16}).
					fixed(bpf.BpfMap{MapType: 27, KeySize: 0, ValueSize: 0, MaxEntries: 4096, Name: name16}).
					fixed(bpf.PerfEvent{Type: 2, Config: 17, KprobeFunc: fn64}).
					fixed(unix(false, "/tmp/tg.sock")).
					fixed(unix(true, "tetragon-abs"))
	raw := r.raw()

	h, err := parseHeader(raw)
	if err != nil {
		t.Fatal(err)
	}
	args, ret, err := decodeArgs(raw, h, &hook, arch.X86_64, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pid := uint32(4242)
	start := Timestamp(time.Date(2026, 1, 2, 3, 4, 5, 600_000_000, time.UTC))
	ev := &Event{
		Kind: KindKprobe, Time: time.Date(2026, 1, 2, 3, 4, 6, 123_456_789, time.UTC), NodeName: "node1",
		Policy: "every-encoding", Hook: &hook, Args: args, Return: ret, Action: h.Action, Header: h,
		Process: &Process{ExecID: "eA==", PID: &pid, UID: u32(0), Binary: "/bin/x", Arguments: "a b", Flags: "execve", StartTime: &start, TID: u32(4243)},
	}
	got, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	got = append(got, ev.Compact()[len("15:04:05.000"):]...)
	got = append(got, '\n')
	golden(t, "events.golden", got)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// Broken records are errors, never panics or wrong events.
func TestDecodeBrokenRecords(t *testing.T) {
	hook := &bpf.Hook{Args: []bpf.Arg{{Type: "string", Encoding: bpf.EncBytes, MaxBytes: 8}, {Type: "int", Encoding: bpf.EncInt}}}
	good := newRecord(0, 0).bytes("abc", 3, 0).int(1).raw()
	if _, err := parseHeader(good); err != nil {
		t.Fatal(err)
	}
	for name, raw := range map[string][]byte{
		"short":         good[:10],
		"size too big":  func() []byte { b := bytes.Clone(good); b[4] = 0xff; return b }(),
		"version":       func() []byte { b := bytes.Clone(good); b[1] = 9; return b }(),
		"bytes too big": newRecord(0, 0).bytes("0123456789", 10, 0).int(1).raw(),
		"cut":           func() []byte { r := newRecord(0, 0).bytes("abc", 3, 0); return r.raw() }(),
	} {
		t.Run(name, func(t *testing.T) {
			h, err := parseHeader(raw)
			if err == nil {
				_, _, err = decodeArgs(raw, h, hook, arch.X86_64, nil, nil)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a DecodeError", err)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	hook := &bpf.Hook{Args: []bpf.Arg{
		{Type: "string", Encoding: bpf.EncBytes, MaxBytes: 64}, {Type: "int", Encoding: bpf.EncInt},
		{Type: "sock", Encoding: bpf.EncSock}, {Type: "cred", Encoding: bpf.EncCred},
	}}
	f.Add(newRecord(0, 0).bytes("abc", 3, 0).int(1).raw())
	f.Fuzz(func(t *testing.T, raw []byte) {
		h, err := parseHeader(raw)
		if err != nil {
			return
		}
		args, _, err := decodeArgs(raw, h, hook, arch.X86_64, nil, nil)
		if err == nil {
			for _, a := range args {
				if _, err := json.Marshal(a); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func TestTimestampFormat(t *testing.T) {
	for ns, want := range map[int]string{
		0:           "2026-01-02T03:04:05Z",
		500_000_000: "2026-01-02T03:04:05.500Z",
		123_456_000: "2026-01-02T03:04:05.123456Z",
		123_456_789: "2026-01-02T03:04:05.123456789Z",
		1:           "2026-01-02T03:04:05.000000001Z",
	} {
		if got := formatTimestamp(time.Date(2026, 1, 2, 3, 4, 5, ns, time.UTC)); got != want {
			t.Errorf("%d ns: %s, want %s", ns, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	const format = `name: sys_enter
ID: 443
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:long id;	offset:8;	size:8;	signed:1;
	field:unsigned long args[6];	offset:16;	size:48;	signed:0;
	field:__data_loc char[] filename;	offset:64;	size:4;	signed:0;

print fmt: "NR %ld", REC->id
`
	got, err := parseFormat(strings.NewReader(format))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bpf.TracepointField{
		"common_type": {Name: "common_type", Offset: 0, Size: 2},
		"common_pid":  {Name: "common_pid", Offset: 4, Size: 4, Signed: true},
		"id":          {Name: "id", Offset: 8, Size: 8, Signed: true},
		"args":        {Name: "args", Offset: 16, Size: 48},
		"filename":    {Name: "filename", Offset: 64, Size: 4},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestPolicyNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"passwd-readers": true, "a": true, "my.policy.v2": true, "9x": true,
		"": false, "-a": false, "a-": false, "A": false, "a_b": false, "a/b": false, "..": false, "a..b": false,
		strings.Repeat("a", 253): true, strings.Repeat("a", 254): false,
	} {
		if ValidPolicyName(name) != ok {
			t.Errorf("ValidPolicyName(%q) = %t", name, !ok)
		}
	}
	if bpf.PinName("my.policy") != "my_policy" || bpf.PinName(".rodata") != "_rodata" {
		t.Error("pinName")
	}
}

func TestReadProcSelf(t *testing.T) {
	p, err := readProc("/proc", uint32(os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	wd, _ := os.Getwd()
	if p.Binary != exe || p.Cwd != wd || p.Ppid != uint32(os.Getppid()) || p.UID != uint32(os.Getuid()) || p.StartKtime == 0 || p.Ns[3] == 0 {
		t.Errorf("%+v", p)
	}
	if !strings.Contains(p.Args, "-test.") {
		t.Errorf("args %q", p.Args)
	}
	if formatArgs([]byte("ls\x00-l\x00a b\x00")) != "-l a b" || formatArgs([]byte("ls\x00")) != "" {
		t.Error("formatArgs")
	}
}

// A record that no program can have posted (ringbuf.Reader returns an
// 8-byte header of zeros as a 0-byte record) makes the stream skip to the
// producer position once, instead of counting every 8 bytes of garbage as
// an undecodable record.
func TestGarbageRecord(t *testing.T) {
	rec := make([]byte, bpf.HeaderSize)
	rec[0], rec[1] = byte(bpf.EventPolicy), bpf.EventVersion
	for _, c := range []struct {
		raw  []byte
		want bool
	}{
		{nil, true},
		{[]byte{}, true},
		{rec[:bpf.HeaderSize-1], true},
		{make([]byte, 64), true}, // zeroed memory
		{rec, false},
	} {
		if got := garbage(c.raw); got != c.want {
			t.Errorf("garbage(%d bytes % x...) = %v", len(c.raw), c.raw[:min(len(c.raw), 4)], got)
		}
	}
}

type fakePositions struct{ skips int }

func (f *fakePositions) skipToProducer() uint64 { f.skips++; return 4096 }
func (f *fakePositions) close()                 {}

// Garbage is one desync, skipped once: never an undecodable record per
// 8 bytes.
func TestResync(t *testing.T) {
	pos := &fakePositions{}
	s := &Stream{pos: pos}
	for range 3 {
		s.resync()
	}
	st := s.stats
	if pos.skips != 3 || st.Desyncs != 3 || st.SkippedBytes != 3*4096 || st.Undecodable != 0 {
		t.Errorf("stats %+v after %d skips", st, pos.skips)
	}
}

// TestParseHeaderLayout: parseHeader's field-by-field reading agrees with
// encoding/binary's reading of bpf.Header, for headers of random bytes.
func TestParseHeaderLayout(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		raw := make([]byte, bpf.HeaderSize)
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		raw[1] = bpf.EventVersion
		binary.LittleEndian.PutUint32(raw[4:], bpf.HeaderSize)
		var want bpf.Header
		if _, err := binary.Decode(raw, binary.LittleEndian, &want); err != nil {
			t.Fatal(err)
		}
		got, err := parseHeader(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("parseHeader(% x) = %+v, binary.Decode: %+v", raw, got, want)
		}
	}
}

// A const_buf of longs (bpf.Arg.Longs) is shown element by element, each a
// size_arg, as Tetragon shows raw_syscalls/sys_enter's args; a read cut
// short shows the whole elements it has.
func TestDecodeLongs(t *testing.T) {
	hook := bpf.Hook{Kind: "tracepoint", Target: "raw_syscalls/sys_enter", Args: []bpf.Arg{
		{Index: 4, Type: "int64", Encoding: bpf.EncInt},
		{Index: 5, Type: "const_buf", Encoding: bpf.EncBytes, MaxBytes: 4096, Longs: 6},
	}}
	var array bytes.Buffer
	for _, v := range []uint64{1, 0xffffffffffffffff, 3, 1 << 40, 0, 6} {
		binary.Write(&array, binary.LittleEndian, v)
	}
	for _, tc := range []struct {
		data string
		want string
	}{
		{array.String(), `{"long_arg":"8"},{"size_arg":"1"},{"size_arg":"18446744073709551615"},{"size_arg":"3"},{"size_arg":"1099511627776"},{"size_arg":"0"},{"size_arg":"6"}`},
		{array.String()[:20], `{"long_arg":"8"},{"size_arg":"1"},{"size_arg":"18446744073709551615"}`},
	} {
		raw := newRecord(0, 0).int(8).bytes(tc.data, uint64(len(tc.data)), 0).raw()
		h, err := parseHeader(raw)
		if err != nil {
			t.Fatal(err)
		}
		args, _, err := decodeArgs(raw, h, &hook, arch.X86_64, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range args {
			j, err := a.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(j))
		}
		if g := strings.Join(got, ","); g != tc.want {
			t.Errorf("%d bytes: args %s, want %s", len(tc.data), g, tc.want)
		}
	}
}
