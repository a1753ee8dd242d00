package codegen

import (
	"bytes"
	"encoding/binary"
	"os"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/internal/uprobetarget"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/loader"
)

// writeUserBTF writes a raw BTF file describing, as a probed binary's BTF
// would, the layout TestUprobeResolveBTFPath builds in memory:
//
//	struct inner    { u32 pad; u32 v32; };                      // 8 bytes
//	struct mystruct { u64 v64; u32 v32; u32 pad;                // 0, 8, 12
//	                  struct inner sub; struct inner *next; };  // 16, 24
func writeUserBTF(t *testing.T) string {
	t.Helper()
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	u64 := &btf.Int{Name: "unsigned long", Size: 8}
	inner := &btf.Struct{Name: "inner", Size: 8, Members: []btf.Member{
		{Name: "pad", Type: u32, Offset: 0},
		{Name: "v32", Type: u32, Offset: 32},
	}}
	my := &btf.Struct{Name: "mystruct", Size: 32, Members: []btf.Member{
		{Name: "v64", Type: u64, Offset: 0},
		{Name: "v32", Type: u32, Offset: 64},
		{Name: "pad", Type: u32, Offset: 96},
		{Name: "sub", Type: inner, Offset: 128},
		{Name: "next", Type: &btf.Pointer{Target: inner}, Offset: 192},
	}}
	return testenv.WriteBTF(t, my)
}

// TestUprobeResolveBTFPath reads a uprobe's pointer argument through
// btfType and resolve with the types of the uprobe's btfPath, as
// Tetragon's TestUprobeResolve does: a u64 and a u32 member, a member of an
// embedded struct, and one behind a pointer (user memory, followed with
// bpf_probe_read_user), and filters on a resolved value.
func TestUprobeResolveBTFPath(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Uprobes)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pos := ir.Pos{File: "uprobe.yaml", Line: 1}
	res := func(slot int, typ ir.ArgType, path ...string) *ir.Arg {
		return &ir.Arg{Slot: slot, Index: 1, Type: typ, SizeSlot: ir.NoSize, BTFType: "mystruct", Resolve: path, Pos: pos}
	}
	h := &ir.Hook{Kind: ir.HookUprobe, Target: exe, Symbol: uprobetarget.Symbol, Call: "target", BTFPath: writeUserBTF(t), Pos: pos,
		Args: []*ir.Arg{
			{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize, Pos: pos},
			res(1, ir.TypeUint64, "v64"),
			res(2, ir.TypeUint32, "v32"),
			res(3, ir.TypeUint32, "sub", "v32"),
			res(4, ir.TypeUint32, "next", "v32"),
		},
		Selectors: []*ir.Selector{{Pos: pos, Tests: []*ir.Test{
			{Kind: ir.TestArg, Op: ir.OpNotEqual, Slot: 3, Type: ir.TypeUint32, Values: []ir.Value{{Kind: ir.ValInt, Int: 99}}, Pos: pos},
			{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(os.Getpid())}}, Pos: pos},
		}}}}
	pol := &ir.Policy{Name: "uprobe_resolve_btf", Arch: "x86_64", Hooks: []*ir.Hook{h}, Pos: pos}
	if err := ir.Verify(pol); err != nil {
		t.Fatal(err)
	}
	b, err := Build(pol, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// polrun sets the path's offsets from btfPath when it loads.
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Object))
	if err != nil {
		t.Fatal(err)
	}
	if err := loader.SetUserResolves(spec, b.Manifest, nil); err != nil {
		t.Fatal(err)
	}
	l := loadSpec(t, b, spec)
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

	type call struct {
		v64            uint64
		v32, sub, next uint32
	}
	calls := []call{
		{0x1122334455667788, 0xdeadbeef, 7, 0xfffffffe},
		{1, 2, 99, 4}, // sub.v32 == 99: filtered out
		{^uint64(0), 0, 3, 0},
	}
	mems := make([][]byte, len(calls))
	for i, c := range calls {
		mem := make([]byte, 128)
		base := uintptr(unsafe.Pointer(&mem[0]))
		binary.LittleEndian.PutUint64(mem[0:], c.v64)
		binary.LittleEndian.PutUint32(mem[8:], c.v32)
		binary.LittleEndian.PutUint32(mem[12:], 0x55555555)
		binary.LittleEndian.PutUint32(mem[16:], 0x66666666)
		binary.LittleEndian.PutUint32(mem[20:], c.sub)
		binary.LittleEndian.PutUint64(mem[24:], uint64(base+64))
		binary.LittleEndian.PutUint32(mem[64:], 0x77777777)
		binary.LittleEndian.PutUint32(mem[68:], c.next)
		mems[i] = mem
		uprobetarget.Call(int64(i), &mem[0])
	}
	up.Close()
	runtime.KeepAlive(mems)

	var got []call
	var idx []int64
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		idx = append(idx, intArg(r.Args[0]))
		got = append(got, call{
			v64:  binary.LittleEndian.Uint64(r.Args[1]),
			v32:  uint32(binary.LittleEndian.Uint64(r.Args[2])),
			sub:  uint32(binary.LittleEndian.Uint64(r.Args[3])),
			next: uint32(binary.LittleEndian.Uint64(r.Args[4])),
		})
	}
	want := []call{calls[0], calls[2]}
	if len(got) != len(want) {
		t.Fatalf("%d records (calls %v), want 2 (calls 0 and 2)", len(got), idx)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
