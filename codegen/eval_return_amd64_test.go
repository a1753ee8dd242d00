package codegen

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/internal/uprobetarget"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestEvalReturns is the differential test of return probes: random
// policies with a uprobe and a uretprobe on a C-ABI function of this test
// binary (an integer and a user-memory string argument, returning the
// integer plus one), with matchArgs and matchReturnArgs over every integer
// operator and type, and calls with edge values. The record the return
// program posts (or its absence) must be what ir.Eval says of the hook
// before folding; the YAML, the IR and the disassembly are printed on a
// mismatch. Same seed and flags as TestEvalPolicies; it runs an eighth of
// its policies.
func TestEvalReturns(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Uprobes)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	off, err := uprobetarget.FileOffset() // go test strips the symbols
	if err != nil {
		t.Fatal(err)
	}
	ex, err := link.OpenExecutable(exe)
	if err != nil {
		t.Fatal(err)
	}
	seed := *evalSeed
	if seed == 0 {
		seed = rand.Uint64()
	}
	policies, events := max(*evalPolicies/8, 20), *evalEvents
	if testenv.InVM() && !flagSet("eval.policies") && !flagSet("eval.events") {
		policies, events = 20, 10
	}
	t.Logf("seed %d (rerun with -eval.seed=%d), %d policies of %d calls", seed, seed, policies, events)
	r := rand.New(rand.NewPCG(seed, 0x726574))
	g := &policyGen{r: r, pid: os.Getpid(), covered: map[typeOp]int{}}
	pin := pinDir(t)
	start := time.Now()
	cases, posted := 0, 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tid := uint32(unix.Gettid())
	for n := 0; n < policies; n++ {
		p, arg, ret := g.returnPolicy(n, exe)
		c, ok := p.compile(t)
		if !ok {
			return
		}
		if c.hook == nil {
			continue // lowering found no selector can match: nothing to attach
		}
		spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(c.b.Object))
		if err != nil {
			t.Fatal(err)
		}
		l := loadSpecIn(t, c.b, spec, pin)
		progs := c.b.Manifest.Hooks[0].Programs
		opts := &link.UprobeOptions{Address: off}
		up, err := ex.Uprobe(uprobetarget.Symbol, l.coll.Programs[progs[0].Name], opts)
		if err != nil {
			t.Fatal(err)
		}
		uret, err := ex.Uretprobe(uprobetarget.Symbol, l.coll.Programs[progs[1].Name], opts)
		if err != nil {
			t.Fatal(err)
		}
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < events; k++ {
			a := g.edgeInt(arg)
			arg.ints = arg.ints[:len(arg.ints)-1]
			if r.IntN(4) == 0 {
				a = int64(r.Uint64())
			}
			s := g.eventString(&evalArg{typ: ir.TypeString, strs: arg.strs}, false)
			s = s[:min(len(s), ir.MaxMatchLen)]
			cstr := append([]byte(s), 0)
			if got := uprobetarget.Call(a, &cstr[0]); got != a+1 {
				t.Fatalf("Call(%d) = %d", a, got)
			}
			runtime.KeepAlive(cstr)
			ev := &evalEvent{model: ir.Event{
				Args:    []ir.ArgValue{{Int: a}, {Bytes: []byte(s)}},
				Return:  ir.ArgValue{Int: a + 1},
				Process: ir.Process{PID: uint32(g.pid)},
			}, desc: []string{fmt.Sprintf("0:%s=%#x", arg.typ, uint64(a)), "1:string=" + short(s), fmt.Sprintf("return %s=%#x", ret.typ, uint64(a+1))}}
			want, err := ir.Eval(c.ref, ev.forHook(c.ref))
			if err != nil {
				t.Fatalf("policy %d call %d: eval: %v", n, k, err)
			}
			got := -1
			for {
				rd.SetDeadline(time.Now()) // the return program ran before Call returned
				raw, err := rd.Read()
				if errors.Is(err, os.ErrDeadlineExceeded) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rec, err := decodeRecord(raw.RawSample, c.b)
				if err != nil {
					t.Fatal(err)
				}
				if rec.Pid != tid {
					continue // another thread's call
				}
				if rec.Flags&bpf.FlagReturn == 0 || rec.Ret != a+1 {
					t.Fatalf("policy %d call %d: record without the return value %#x: %+v", n, k, a+1, rec.Header)
				}
				got = int(rec.Selector) - 1
				posted++
			}
			wantSel := -1
			if want.Posted {
				wantSel = want.Selector.Index
			}
			cases++
			if got != wantSel {
				t.Fatalf("policy %d call %d: the return program posted selector %d, ir.Eval says %d\nevent: %s\n%s\nbefore folding:\n%s\nlowered:\n%s\n%s",
					n, k, got, wantSel, ev, p.yaml, c.refText, c.ir.String(), disasm(c.b))
			}
		}
		rd.Close()
		uret.Close()
		up.Close()
		l.coll.Close()
	}
	t.Logf("%d calls (%d posted) of %d policies in %v", cases, posted, policies, time.Since(start).Round(time.Millisecond))
}

// returnPolicy writes a uprobe policy on uprobetarget's function: its
// integer argument as a random integer type, its string, and its return
// value as another, with entry and return filters.
func (g *policyGen) returnPolicy(n int, exe string) (*genPolicy, *evalArg, *evalArg) {
	r := g.r
	arg := &evalArg{index: 0, typ: evalIntTypes[r.IntN(len(evalIntTypes))], sizeOf: -1}
	str := &evalArg{index: 1, typ: ir.TypeString, sizeOf: -1}
	ret := &evalArg{index: 0, typ: evalIntTypes[r.IntN(len(evalIntTypes))], sizeOf: -1}
	if ret.typ == ir.TypeSyscall64 {
		ret.typ = ir.TypeInt64 // a syscall number is an argument, not a return value
	}
	if arg.typ == ir.TypeSyscall64 {
		arg.typ = ir.TypeUint64
	}
	p := &genPolicy{args: []*evalArg{arg, str}}
	var y strings.Builder
	fmt.Fprintf(&y, "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: eval-return-%d\nspec:\n", n)
	fmt.Fprintf(&y, "  uprobes:\n  - path: %q\n    symbols: [%q]\n    return: true\n", exe, uprobetarget.Symbol)
	fmt.Fprintf(&y, "    args:\n    - index: 0\n      type: %q\n    - index: 1\n      type: \"string\"\n", arg.typ)
	fmt.Fprintf(&y, "    returnArg:\n      index: 0\n      type: %q\n", ret.typ)
	y.WriteString("    selectors:\n")
	for s := 1 + r.IntN(3); s > 0; s-- {
		y.WriteString("    - ")
		indent := ""
		if k := r.IntN(3); k > 0 {
			y.WriteString("matchArgs:\n")
			for ; k > 0; k-- {
				a := []*evalArg{arg, str}[r.IntN(2)]
				ops := evalOps(a.typ)
				y.WriteString(g.filter(p, a, ops[r.IntN(len(ops))]))
			}
			indent = "      "
		}
		if k := r.IntN(3); k > 0 || indent == "" {
			fmt.Fprintf(&y, "%smatchReturnArgs:\n", indent)
			for k = max(k, 1); k > 0; k-- {
				// CelExpr tests arguments, not the return value.
				ops := slices.DeleteFunc(evalOps(ret.typ), func(o ir.Op) bool { return o == ir.OpCelExpr })
				y.WriteString(g.filter(p, ret, ops[r.IntN(len(ops))]))
			}
			indent = "      "
		}
		action := "Post"
		if r.IntN(8) == 0 {
			action = "NoPost"
		}
		fmt.Fprintf(&y, "%smatchActions:\n      - action: %s\n", indent, action)
	}
	p.yaml = y.String()
	// Events draw the return value from the argument's values too.
	arg.ints = append(arg.ints, ret.ints...)
	return p, arg, ret
}
