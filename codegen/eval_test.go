package codegen

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// Differential tests: generated code against ir.Eval, the reference
// semantics, on random hooks and events. Each case prints the hook and the
// program's disassembly when they disagree.

var intTypes = []ir.ArgType{ir.TypeInt, ir.TypeInt8, ir.TypeUint8, ir.TypeInt16, ir.TypeUint16,
	ir.TypeInt32, ir.TypeUint32, ir.TypeInt64, ir.TypeUint64, ir.TypeSizeT, ir.TypeLong}

// typeRange is the smallest and largest value of an integer type, as the
// 64-bit patterns IR values hold.
func typeRange(t ir.ArgType) (lo, hi int64) {
	bits := t.Size() * 8
	if t.Signed() {
		if bits == 64 {
			return math.MinInt64, math.MaxInt64
		}
		return -(1 << (bits - 1)), 1<<(bits-1) - 1
	}
	if bits == 64 {
		return 0, -1 // 0 .. 0xffff_ffff_ffff_ffff
	}
	return 0, 1<<bits - 1
}

// randInt returns a value of type t, often near the interesting ones.
func randInt(r *rand.Rand, t ir.ArgType, near []int64) int64 {
	lo, hi := typeRange(t)
	switch n := r.IntN(10); {
	case n < 4 && len(near) > 0:
		return ir.FitInt(t, near[r.IntN(len(near))]+int64(r.IntN(3)-1))
	case n < 5:
		return lo
	case n < 6:
		return hi
	case n < 7:
		return ir.FitInt(t, int64(r.IntN(5)-2))
	}
	return ir.FitInt(t, int64(r.Uint64()))
}

// randIntTest makes a random integer test of slot on type t.
func randIntTest(r *rand.Rand, slot int, t ir.ArgType, near *[]int64) *ir.Test {
	ops := []ir.Op{ir.OpEqual, ir.OpNotEqual, ir.OpGT, ir.OpLT, ir.OpMask, ir.OpInRange, ir.OpNotInRange, ir.OpInMap, ir.OpNotInMap}
	op := ops[r.IntN(len(ops))]
	test := &ir.Test{Kind: ir.TestArg, Op: op, Slot: slot, Type: t}
	n := 1 + r.IntN(4)
	if r.IntN(4) == 0 {
		n = 9 + r.IntN(6) // enough for a map
	}
	signed := t.Signed()
	for i := 0; i < n; i++ {
		v := randInt(r, t, *near)
		*near = append(*near, v)
		switch op {
		case ir.OpMask:
			lo, hi := typeRange(t)
			_ = lo
			m := uint64(v) & uint64(hi)
			if t.Signed() {
				m = uint64(v) & (1<<(t.Size()*8) - 1)
			}
			if m == 0 {
				m = 1
			}
			test.Values = append(test.Values, ir.Value{Kind: ir.ValInt, Int: int64(m)})
		case ir.OpInRange, ir.OpNotInRange:
			w := randInt(r, t, *near)
			if ir.CompareInts(v, w, signed) > 0 {
				v, w = w, v
			}
			test.Values = append(test.Values, ir.Value{Kind: ir.ValRange, Int: v, Hi: w})
		case ir.OpInMap, ir.OpNotInMap:
			if r.IntN(3) == 0 {
				w := randInt(r, t, *near)
				if ir.CompareInts(v, w, signed) > 0 {
					v, w = w, v
				}
				test.Values = append(test.Values, ir.Value{Kind: ir.ValRange, Int: v, Hi: w})
				continue
			}
			test.Values = append(test.Values, ir.Value{Kind: ir.ValInt, Int: v})
		default:
			test.Values = append(test.Values, ir.Value{Kind: ir.ValInt, Int: v})
		}
	}
	test.Values = ir.SortValues(test.Values, signed)
	// Lowering's rule: InMap values always go to a map, other integer sets
	// when they are many.
	var ints, rest []ir.Value
	for _, v := range test.Values {
		if v.Kind == ir.ValInt && op != ir.OpMask && op != ir.OpGT && op != ir.OpLT && op != ir.OpInRange && op != ir.OpNotInRange {
			ints = append(ints, v)
		} else {
			rest = append(rest, v)
		}
	}
	if len(ints) > 0 && (op == ir.OpInMap || op == ir.OpNotInMap || len(ints) > 8) {
		test.Map = &ir.Map{Kind: ir.MapIntSet, KeySize: 8, MaxEntries: len(ints), Values: ints}
		test.Values = rest
	}
	return test
}

// runRawTP runs a raw tracepoint program with ctx as its arguments and
// returns the record it posted, if any.
func runRawTP(t *testing.T, prog *ebpf.Program, rd *ringbuf.Reader, b *Bundle, ctx []uint64) (*record, error) {
	if _, err := prog.Run(&ebpf.RunOptions{Context: ctx}); err != nil {
		return nil, err
	}
	rd.SetDeadline(time.Now())
	raw, err := rd.Read()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rec, err := decodeRecord(raw.RawSample, b)
	return &rec, err
}

// TestEvalIntegers compares the selectors of random hooks with integer
// arguments, run by BPF_PROG_TEST_RUN as raw tracepoints, with ir.Eval.
func TestEvalIntegers(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 40; round++ {
		h := &ir.Hook{ID: 0, Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter"}
		nargs := 1 + r.IntN(3)
		for i := 0; i < nargs; i++ {
			h.Args = append(h.Args, &ir.Arg{Slot: i, Index: i, Type: intTypes[r.IntN(len(intTypes))], SizeSlot: ir.NoSize})
		}
		var near []int64
		var maps []*ir.Map
		for i := 0; i < 1+r.IntN(3); i++ {
			s := &ir.Selector{Index: i}
			for j := 0; j < 1+r.IntN(3); j++ {
				a := h.Args[r.IntN(nargs)]
				test := randIntTest(r, a.Slot, a.Type, &near)
				if test.Map != nil {
					test.Map.Name = fmt.Sprintf("iset_%d", len(maps))
					maps = append(maps, test.Map)
				}
				s.Tests = append(s.Tests, test)
			}
			h.Selectors = append(h.Selectors, s)
		}
		pol := &ir.Policy{Name: "eval-int", Arch: "x86_64", Hooks: []*ir.Hook{h}, Maps: maps}
		b, err := Build(pol, Options{})
		if err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, pol.String())
		}
		l := loadBundle(t, b)
		prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 60; k++ {
			ctx := make([]uint64, nargs)
			ev := &ir.Event{}
			for i, a := range h.Args {
				v := randInt(r, a.Type, near)
				if r.IntN(5) == 0 {
					v = int64(r.Uint64()) // high bits the type drops
				}
				ctx[i] = uint64(v)
				ev.Args = append(ev.Args, ir.ArgValue{Int: v})
			}
			want, err := ir.Eval(h, ev)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := runRawTP(t, prog, rd, b, ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := -1
			if rec != nil {
				got = int(rec.Selector) - 1
				for i, a := range rec.Args {
					if ir.FitInt(h.Args[i].Type, intArg(a)) != ir.FitInt(h.Args[i].Type, ev.Args[i].Int) || intArg(a) != ir.FitInt(h.Args[i].Type, ev.Args[i].Int) {
						t.Errorf("round %d: slot %d recorded %#x for %#x (%s)", round, i, intArg(a), ev.Args[i].Int, h.Args[i].Type)
					}
				}
			}
			wantSel := -1
			if want.Posted {
				wantSel = want.Selector.Index
			}
			if got != wantSel {
				t.Fatalf("round %d: args %#x: program chose selector %d, Eval %d\n%s\n%s", round, ctx, got, wantSel, pol.String(), disasm(b))
			}
		}
		rd.Close()
	}
}
