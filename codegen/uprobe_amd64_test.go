package codegen

import (
	"bytes"
	"encoding/binary"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/internal/uprobetarget"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestUprobe hooks a C-ABI function of this test binary with a uprobe and
// a uretprobe: an int64 and a string argument (user memory), a filter on
// each and one on the return value.
func TestUprobe(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Uprobes)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pos := ir.Pos{File: "uprobe.yaml", Line: 1}
	h := &ir.Hook{Kind: ir.HookUprobe, Target: exe, Symbol: uprobetarget.Symbol, Call: "target", Return: true, Pos: pos,
		Args: []*ir.Arg{
			{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize, Pos: pos},
			{Slot: 1, Index: 1, Type: ir.TypeString, SizeSlot: ir.NoSize, Pos: pos},
		},
		Ret: &ir.Arg{Slot: -1, Type: ir.TypeInt64, SizeSlot: ir.NoSize, Pos: pos},
		Selectors: []*ir.Selector{{Pos: pos,
			Tests: []*ir.Test{
				{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(os.Getpid())}}},
				{Kind: ir.TestArg, Op: ir.OpPrefix, Slot: 1, Type: ir.TypeString, Values: []ir.Value{{Kind: ir.ValString, Str: "polc-"}}},
			},
			ReturnTests: []*ir.Test{{Kind: ir.TestReturn, Op: ir.OpGT, Type: ir.TypeInt64, Values: []ir.Value{{Kind: ir.ValInt, Int: 10}}}},
		}}}
	b, err := Build(&ir.Policy{Name: "uprobe", Arch: "x86_64", Hooks: []*ir.Hook{h},
		Maps: []*ir.Map{{Name: "retprobe", Kind: ir.MapRetProbe, MaxEntries: 32768, Pos: pos}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	ex, err := link.OpenExecutable(exe)
	if err != nil {
		t.Fatal(err)
	}
	// go test strips the binary's symbols: attach at the function's offset.
	off, err := uprobetarget.FileOffset()
	if err != nil {
		t.Fatal(err)
	}
	opts := &link.UprobeOptions{Address: off}
	progs := b.Manifest.Hooks[0].Programs
	up, err := ex.Uprobe(uprobetarget.Symbol, l.coll.Programs[progs[0].Name], opts)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	uret, err := ex.Uretprobe(uprobetarget.Symbol, l.coll.Programs[progs[1].Name], opts)
	if err != nil {
		t.Fatal(err)
	}
	defer uret.Close()

	calls := []struct {
		a      int64
		s      string
		posted bool // prefix "polc-" and a+1 > 10
	}{{41, "polc-yes", true}, {41, "no", false}, {3, "polc-small", false}, {-5, "polc-neg", false}, {100, "polc-", true}}
	for _, c := range calls {
		p, _ := unix.BytePtrFromString(c.s)
		if got := uprobetarget.Call(c.a, p); got != c.a+1 {
			t.Fatalf("Call(%d) = %d", c.a, got)
		}
	}
	up.Close()
	uret.Close()
	var got []string
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		s, _, _ := bytesArg(r.Args[1])
		if r.Flags&bpf.FlagReturn == 0 || r.Ret != intArg(r.Args[0])+1 {
			t.Errorf("record %+v: return value %d for argument %d", r.Header, r.Ret, intArg(r.Args[0]))
		}
		got = append(got, string(s))
	}
	var want []string
	for _, c := range calls {
		if c.posted {
			want = append(want, c.s)
		}
	}
	if len(got) != len(want) || (len(got) == 2 && (got[0] != want[0] || got[1] != want[1])) {
		t.Errorf("posted %q, want %q", got, want)
	}
	t.Logf("verifier: %+v", l.stats)
}

// TestUprobeRawSize reads buffers whose length is a raw argument, as
// Tetragon does for a sizeArgIndex naming an argument not declared as an
// integer (ir.Arg.SizeRaw): the first argument register (undeclared) sizes
// a char_buf and a char_iovec at the second; the second register, the
// pointer itself, sizes another char_buf, which is cut at its limit. A
// char_buf and a char_iovec without a length are empty, as in Tetragon.
func TestUprobeRawSize(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Uprobes)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pos := ir.Pos{File: "uprobe.yaml", Line: 1}
	h := &ir.Hook{Kind: ir.HookUprobe, Target: exe, Symbol: uprobetarget.Symbol, Call: "target", Pos: pos,
		Args: []*ir.Arg{
			{Slot: 0, Index: 1, Type: ir.TypeCharBuf, SizeSlot: ir.NoSize, SizeRaw: 1, Pos: pos},
			{Slot: 1, Index: 1, Type: ir.TypeCharBuf, SizeSlot: ir.NoSize, SizeRaw: 2, Pos: pos},
			{Slot: 2, Index: 1, Type: ir.TypeCharIovec, SizeSlot: ir.NoSize, SizeRaw: 1, Pos: pos},
			// No length at all: Tetragon's is 0.
			{Slot: 3, Index: 1, Type: ir.TypeCharBuf, SizeSlot: ir.NoSize, Pos: pos},
			{Slot: 4, Index: 1, Type: ir.TypeCharIovec, SizeSlot: ir.NoSize, Pos: pos},
		},
		Selectors: []*ir.Selector{{Pos: pos, Tests: []*ir.Test{
			{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(os.Getpid())}}, Pos: pos},
		}}}}
	pol := &ir.Policy{Name: "uprobe_raw_size", Arch: "x86_64", Hooks: []*ir.Hook{h}, Pos: pos}
	if err := ir.Verify(pol); err != nil {
		t.Fatal(err)
	}
	b, err := Build(pol, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	ex, err := link.OpenExecutable(exe)
	if err != nil {
		t.Fatal(err)
	}
	off, err := uprobetarget.FileOffset()
	if err != nil {
		t.Fatal(err)
	}
	up, err := ex.Uprobe(uprobetarget.Symbol, l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], &link.UprobeOptions{Address: off})
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()

	// An iovec array of two entries at the start of mem, their data
	// further on; mem is long enough for a read at its limit.
	mem := make([]byte, 3*ir.DefaultDataBytes)
	for i := 32; i < len(mem); i++ {
		mem[i] = byte('a' + i%26)
	}
	base := uintptr(unsafe.Pointer(&mem[0]))
	binary.LittleEndian.PutUint64(mem[0:], uint64(base+100))
	binary.LittleEndian.PutUint64(mem[8:], 3)
	binary.LittleEndian.PutUint64(mem[16:], uint64(base+200))
	binary.LittleEndian.PutUint64(mem[24:], 4)
	for _, n := range []int64{2, -1} {
		uprobetarget.Call(n, &mem[0])
	}
	up.Close()
	runtime.KeepAlive(mem)

	var recs []record
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind == bpf.EventPolicy {
			recs = append(recs, r)
		}
	}
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	check := func(r record, slot int, want []byte, flags uint32, total uint64) {
		t.Helper()
		data, f, tot := bytesArg(r.Args[slot])
		if !bytes.Equal(data, want) || f != flags || tot != total {
			t.Errorf("slot %d: %d bytes %q flags %d total %d, want %d bytes %q flags %d total %d",
				slot, len(data), trim(data), f, tot, len(want), trim(want), flags, total)
		}
	}
	// Call(2, mem): two bytes, the whole limit (the pointer is the
	// length), and the two entries.
	check(recs[0], 0, mem[:2], 0, 2)
	check(recs[0], 1, mem[:ir.DefaultDataBytes], bpf.BytesTruncated, uint64(base))
	check(recs[0], 2, append(slices.Clone(mem[100:103]), mem[200:204]...), 0, 7)
	check(recs[0], 3, nil, 0, 0)
	check(recs[0], 4, nil, 0, 0)
	// Call(-1, mem): a negative length reads nothing.
	check(recs[1], 0, nil, 0, 0)
	check(recs[1], 2, nil, 0, 0)
}
