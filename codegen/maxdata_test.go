package codegen

import (
	"bytes"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestMaxData: a maxData char_buf posts up to MaxDataBytes of the buffer
// (the record is built in the ring buffer), filters see its start, and
// the arguments after it follow it in the record.
func TestMaxData(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.KernelBTF, testenv.RingBuf)
	pos := ir.Pos{File: "write.yaml", Line: 1}
	h := &ir.Hook{Kind: ir.HookTracepoint, Target: "syscalls/sys_enter_write", Call: "syscalls/sys_enter_write", Pos: pos,
		Args: []*ir.Arg{
			{Slot: 0, Index: 5, Type: ir.TypeInt, SizeSlot: ir.NoSize, Pos: pos},
			{Slot: 1, Index: 6, Type: ir.TypeCharBuf, SizeSlot: 2, MaxData: true, Pos: pos},
			{Slot: 2, Index: 7, Type: ir.TypeSizeT, SizeSlot: ir.NoSize, Pos: pos},
		},
		Selectors: []*ir.Selector{{Pos: pos, Tests: []*ir.Test{
			{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(os.Getpid())}}},
			{Kind: ir.TestArg, Op: ir.OpEqual, Slot: 0, Type: ir.TypeInt, Values: []ir.Value{{Kind: ir.ValInt, Int: -78}}},
			{Kind: ir.TestArg, Op: ir.OpPrefix, Slot: 1, Type: ir.TypeCharBuf, Values: []ir.Value{{Kind: ir.ValString, Str: "polc"}}},
		}}}}
	b, err := Build(&ir.Policy{Name: "maxdata", Arch: "x86_64", Hooks: []*ir.Hook{h}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	tp, err := link.Tracepoint("syscalls", "sys_enter_write", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	big := bytes.Repeat([]byte("polc maxData "), 30000) // 390000 bytes
	sizes := []int{5, 5000, 200000, len(big)}
	runtime.LockOSThread()
	for _, n := range sizes {
		unix.Write(-78, big[:n]) // EBADF: only the tracepoint sees it
	}
	unix.Write(-78, []byte("other data"))
	runtime.UnlockOSThread()
	tp.Close()
	var got []record
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind == bpf.EventPolicy {
			got = append(got, r)
		}
	}
	if len(got) != len(sizes) {
		t.Fatalf("%d records, want %d", len(got), len(sizes))
	}
	for i, n := range sizes {
		data, flags, total := bytesArg(got[i].Args[1])
		want := min(n, ir.MaxDataBytes)
		if !bytes.Equal(data, big[:want]) || total != uint64(n) || (flags&bpf.BytesTruncated != 0) != (n > want) {
			t.Errorf("write of %d: %d bytes (flags %#x, total %d)", n, len(data), flags, total)
		}
		if size := intArg(got[i].Args[2]); size != int64(n) {
			t.Errorf("write of %d: size argument %d after the buffer", n, size)
		}
	}
}
