package codegen

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestMaxDataPostfix: Postfix on a maxData char_buf compares the end of
// the data the record keeps: in the filters' copy for a short buffer,
// read again for a long one, and at MaxDataBytes for a longer one still.
func TestMaxDataPostfix(t *testing.T) {
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
			{Kind: ir.TestArg, Op: ir.OpPostfix, Slot: 1, Type: ir.TypeCharBuf, Values: []ir.Value{
				{Kind: ir.ValString, Str: "<end-a>"}, {Kind: ir.ValString, Str: "a much longer <end-b>"}}},
		}}}}
	b, err := Build(&ir.Policy{Name: "maxdata-postfix", Arch: "x86_64", Hooks: []*ir.Hook{h}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	tp, err := link.Tracepoint("syscalls", "sys_enter_write", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	buf := func(n int, end string) []byte {
		b := bytes.Repeat([]byte{'.'}, n)
		copy(b[n-len(end):], end)
		return b
	}
	atCap := buf(ir.MaxDataBytes+1000, "<end-z>")
	copy(atCap[ir.MaxDataBytes-len("<end-a>"):], "<end-a>")
	writes := []struct {
		data   []byte
		posted bool
	}{
		{buf(100, "<end-a>"), true},
		{buf(100, "<end-c>"), false},
		{buf(200000, "<end-a>"), true},
		{buf(200000, "a much longer <end-b>"), true},
		{buf(200000, "a longer <end-b>"), false},
		{buf(5000, "<end-c>"), false},
		{atCap, true},
	}
	runtime.LockOSThread()
	for _, w := range writes {
		unix.Write(-78, w.data) // EBADF: only the tracepoint sees it
	}
	runtime.UnlockOSThread()
	tp.Close()
	var got []int
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind == bpf.EventPolicy {
			got = append(got, int(intArg(r.Args[2])))
		}
	}
	var want []int
	for _, w := range writes {
		if w.posted {
			want = append(want, len(w.data))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("posted writes of %v bytes, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("posted writes of %v bytes, want %v", got, want)
		}
	}
	t.Logf("verifier: %+v", l.stats)
}

// ttyWriteTakesIter says whether the kernel's tty_write takes a struct
// iov_iter as its second parameter.
func ttyWriteTakesIter(t *testing.T) bool {
	t.Helper()
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	var fn *btf.Func
	if err := spec.TypeByName("tty_write", &fn); err != nil {
		t.Fatalf("tty_write: %v", err)
	}
	proto, _ := fn.Type.(*btf.FuncProto)
	if proto == nil || len(proto.Params) < 2 {
		return false
	}
	ptr, ok := btf.UnderlyingType(proto.Params[1].Type).(*btf.Pointer)
	return ok && ptr.Target.TypeName() == "iov_iter"
}

// ttyWrites builds a policy of one kprobe on tty_write (its args, as
// YAML), attaches it, has a child write to the console as the writer
// child's arg says ("write:..." or "writev:..."), and returns the records
// of the child's calls. It skips where tty_write takes no iov_iter.
func ttyWrites(t *testing.T, args, arg string) []record {
	t.Helper()
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	if !ttyWriteTakesIter(t) {
		// tty_write(file, buf, count, ppos) before 5.11 (Debian's 5.10
		// has the write_iter one): Tetragon's tty.yaml does not fit it.
		t.Skip("tty_write takes no iov_iter on this kernel (before 5.11)")
	}
	if _, err := os.Stat(ttyDevice); err != nil {
		t.Fatalf("no %s to write to: %v", ttyDevice, err)
	}
	b := buildSource(t, "tty.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tty
spec:
  kprobes:
  - call: "tty_write"
    syscall: false
    args:
`+args)
	l := loadBundle(t, b)
	kp, err := link.Kprobe("tty_write", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer kp.Close()
	cmd := child(childBinary(t, "writer"), arg)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	kp.Close()
	var out []record
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind == bpf.EventPolicy && r.Tgid == uint32(cmd.Process.Pid) {
			out = append(out, r)
		}
	}
	return out
}

// ttyDevice is the console the tty tests write to (the amd64 guests'; the
// arm64 guests' ttyS0 carries the results).
const ttyDevice = "/dev/ttyS0"

// TestIovIterMaxData: Tetragon's tty.yaml (maxData on tty_write's
// iov_iter) posts the whole of a write longer than the filters' 4 KiB
// copy: one buffer (ITER_UBUF, or before 6.0 ITER_IOVEC of one iovec),
// read again when posting. Runs in the guests (kprobes).
func TestIovIterMaxData(t *testing.T) {
	msg := strings.Repeat("polc maxData iov_iter test line\n", 300) // 9600 bytes
	records := ttyWrites(t, `    - index: 0
      type: "kiocb"
    - index: 1
      type: "iov_iter"
      maxData: true
`, "write:"+ttyDevice+":"+msg)
	for _, r := range records {
		data, flags, total := bytesArg(r.Args[1])
		if string(data) == msg && total == uint64(len(msg)) && flags == 0 {
			return
		}
		t.Logf("record: %d bytes (flags %#x, total %d)", len(data), flags, total)
	}
	t.Errorf("no tty_write record of the %d bytes written to %s", len(msg), ttyDevice)
}

// TestIovIterIovec: an iov_iter over an array of iovecs (ITER_IOVEC, as
// writev(2) makes, and every write on kernels before 6.0) is read buffer
// after buffer: the kernel's copy of the array, the caller's buffers.
// Runs in the guests (kprobes).
func TestIovIterIovec(t *testing.T) {
	parts := []string{"polc ", "iovec ", "test\n"}
	records := ttyWrites(t, `    - index: 1
      type: "iov_iter"
`, "writev:"+ttyDevice+":"+strings.Join(parts, "|"))
	want := strings.Join(parts, "")
	var got []string
	for _, r := range records {
		data, flags, total := bytesArg(r.Args[0])
		if string(data) == want && total == uint64(len(want)) && flags == 0 {
			return
		}
		got = append(got, fmt.Sprintf("%q (flags %#x, total %d)", data, flags, total))
	}
	t.Errorf("tty_write records %v, want one of %q", got, want)
}
