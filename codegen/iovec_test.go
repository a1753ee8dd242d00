package codegen

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestCharIovec reads the buffers of writev(2) from its iovec array on
// syscalls/sys_enter_writev: they are concatenated up to the slot's room,
// and Total is the sum of their lengths.
func TestCharIovec(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.KernelBTF, testenv.RingBuf)
	pos := ir.Pos{File: "writev.yaml", Line: 1}
	h := &ir.Hook{Kind: ir.HookTracepoint, Target: "syscalls/sys_enter_writev", Call: "syscalls/sys_enter_writev", Pos: pos,
		Args: []*ir.Arg{
			{Slot: 0, Index: 5, Type: ir.TypeInt, SizeSlot: ir.NoSize, Pos: pos},
			{Slot: 1, Index: 6, Type: ir.TypeCharIovec, SizeSlot: 2, Pos: pos},
			{Slot: 2, Index: 7, Type: ir.TypeUint64, SizeSlot: ir.NoSize, Pos: pos},
		},
		Selectors: []*ir.Selector{{Pos: pos, Tests: []*ir.Test{
			{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(os.Getpid())}}},
			{Kind: ir.TestArg, Op: ir.OpEqual, Slot: 0, Type: ir.TypeInt, Values: []ir.Value{{Kind: ir.ValInt, Int: -77}}},
		}}}}
	b, err := Build(&ir.Policy{Name: "writev", Arch: "x86_64", Hooks: []*ir.Hook{h}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	for name, st := range l.stats {
		t.Logf("%s: %d verified instructions", name, st.Verified)
	}
	// The program with bpf_loop where the kernel has it, and its fallback
	// without (noloop.go), which the kernel verifies and runs alike.
	p := b.Manifest.Hooks[0].Programs[0]
	if p.Fallback == "" {
		t.Fatal("no fallback without bpf_loop")
	}
	for _, name := range []string{p.Name, p.Fallback} {
		if name == p.Name && !haveBpfLoop() {
			continue
		}
		t.Run(name, func(t *testing.T) { charIovec(t, b, l, name) })
	}
}

func charIovec(t *testing.T, b *Bundle, l *loaded, prog string) {
	tp, err := link.Tracepoint("syscalls", "sys_enter_writev", l.coll.Programs[prog], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	long := strings.Repeat("x", 5000)
	cases := [][]string{{"hello ", "iovec ", "world"}, {}, {"", "a"}, {"first", long, "never"}}
	runtime.LockOSThread()
	for _, bufs := range cases {
		iovs := make([][]byte, len(bufs))
		for i, s := range bufs {
			iovs[i] = []byte(s)
		}
		unix.Writev(-77, iovs) // EBADF: only the tracepoint sees it
	}
	runtime.UnlockOSThread()
	tp.Close()
	recs := readRecords(t, l, b, time.Second, nil)
	var got []record
	for _, r := range recs {
		if r.Kind == bpf.EventPolicy {
			got = append(got, r)
		}
	}
	if len(got) != len(cases) {
		t.Fatalf("%d records, want %d", len(got), len(cases))
	}
	for i, bufs := range cases {
		data, flags, total := bytesArg(got[i].Args[1])
		all := strings.Join(bufs, "")
		want := all
		if len(want) > ir.DefaultDataBytes {
			want = want[:ir.DefaultDataBytes]
		}
		if string(data) != want || total != uint64(len(all)) || (flags&bpf.BytesTruncated != 0) != (len(all) > len(want)) {
			t.Errorf("case %d: %d bytes (flags %#x, total %d), want %d of %d", i, len(data), flags, total, len(want), len(all))
		}
	}
}
