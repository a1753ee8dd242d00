package codegen

import (
	"os"
	"testing"
	"time"

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
