package codegen

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target/capture"
)

// TestEvalCurrentTaskData compares matchData filters on current_task data
// entries (tgid, pid, comm of the task running the program, read through
// resolve against a profile of this kernel) run by BPF_PROG_TEST_RUN with ir.Eval on what the test
// knows of its own thread. The entries also land in the record.
func TestEvalCurrentTaskData(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF, testenv.RingBuf)
	prof, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	proc, host := thisProcess(t)
	tgid, tid := int64(os.Getpid()), int64(unix.Gettid())
	commRaw, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/comm", tid))
	if err != nil {
		t.Fatal(err)
	}
	comm := strings.TrimSuffix(string(commRaw), "\n")
	data := []*ir.Arg{
		{Slot: 1, Type: ir.TypeInt, Source: ir.SourceCurrentTask, Resolve: []string{"tgid"}, SizeSlot: ir.NoSize},
		{Slot: 2, Index: 1, Type: ir.TypeInt, Source: ir.SourceCurrentTask, Resolve: []string{"pid"}, SizeSlot: ir.NoSize},
		{Slot: 3, Index: 2, Type: ir.TypeString, Source: ir.SourceCurrentTask, Resolve: []string{"comm"}, SizeSlot: ir.NoSize},
	}
	ev := &ir.Event{Args: []ir.ArgValue{{Int: 1}, {Int: tgid}, {Int: tid}, {Bytes: []byte(comm)}}, Process: proc, Host: host}
	r := rand.New(rand.NewPCG(15, 16))
	pin := pinDir(t)
	intOps := []ir.Op{ir.OpEqual, ir.OpNotEqual, ir.OpGT, ir.OpLT}
	strOps := []ir.Op{ir.OpEqual, ir.OpNotEqual, ir.OpPrefix, ir.OpNotPrefix, ir.OpPostfix, ir.OpNotPostfix}
	strVals := []string{comm, comm[:3], comm[len(comm)-2:], comm + "y", "x"}
	posted := 0
	for round := range 30 {
		h := &ir.Hook{Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
			Args: append([]*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize}}, data...)}
		for i := range 1 + r.IntN(3) {
			s := &ir.Selector{Index: i}
			for range 1 + r.IntN(3) {
				slot := 1 + r.IntN(3)
				test := &ir.Test{Kind: ir.TestArg, Slot: slot, Type: h.Args[slot].Type}
				if slot == 3 {
					test.Op = strOps[r.IntN(len(strOps))]
					for range 1 + r.IntN(2) {
						test.Values = append(test.Values, ir.Value{Kind: ir.ValString, Str: strVals[r.IntN(len(strVals))]})
					}
				} else {
					test.Op = intOps[r.IntN(len(intOps))]
					v := []int64{tgid, tid, tgid + 1, tid - 1, 0}[r.IntN(5)]
					test.Values = []ir.Value{{Kind: ir.ValInt, Int: v}}
				}
				test.Values = ir.SortValues(test.Values, true)
				s.Tests = append(s.Tests, test)
			}
			h.Selectors = append(h.Selectors, s)
		}
		pol := &ir.Policy{Name: "eval-data", Arch: "x86_64", Hooks: []*ir.Hook{h}}
		b, err := Build(pol, Options{Target: prof})
		if err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, pol.String())
		}
		spec, _ := loadableSpec(t, b)
		l := loadSpecIn(t, b, spec, pin)
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		want, err := ir.Eval(h, ev)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range programAndFallback(b.Manifest.Hooks[0].Programs[0]) {
			rec, err := runRawTP(t, l.coll.Programs[name], rd, b, []uint64{1})
			if err != nil {
				t.Fatal(err)
			}
			got, wantSel := -1, -1
			if rec != nil {
				got = int(rec.Selector) - 1
				posted++
				for slot, w := range map[int]int64{1: tgid, 2: tid} {
					if v := int64(int32(binary.LittleEndian.Uint64(rec.Args[slot]))); v != w {
						t.Fatalf("round %d: data slot %d = %d, want %d\n%s", round, slot, v, w, disasm(b))
					}
				}
				if !strings.Contains(string(rec.Args[3]), comm) {
					t.Fatalf("round %d: comm %q, want %q", round, rec.Args[3], comm)
				}
			}
			if want.Posted {
				wantSel = want.Selector.Index
			}
			if got != wantSel {
				t.Fatalf("round %d: %s chose selector %d, Eval %d (tgid %d tid %d comm %q)\n%s\n%s", round, name, got, wantSel, tgid, tid, comm, pol.String(), disasm(b))
			}
		}
		rd.Close()
	}
	if posted == 0 {
		t.Fatal("no round posted: the comparison tested nothing")
	}
	t.Logf("%d records posted", posted)
}
