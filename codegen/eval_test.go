package codegen

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

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

// randIntHook is a raw tracepoint hook with one to three integer
// arguments and one to three selectors of random integer tests, the maps
// those tests use, and the values the tests were made near.
func randIntHook(r *rand.Rand) (*ir.Hook, []*ir.Map, []int64) {
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
	return h, maps, near
}

// TestEvalIntegers compares the selectors of random hooks with integer
// arguments, run by BPF_PROG_TEST_RUN as raw tracepoints, with ir.Eval.
func TestEvalIntegers(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	r := rand.New(rand.NewPCG(1, 2))
	pin := pinDir(t) // the shared maps, reused by every round
	for round := 0; round < 40; round++ {
		h, maps, near := randIntHook(r)
		pol := &ir.Policy{Name: "eval-int", Arch: "x86_64", Hooks: []*ir.Hook{h}, Maps: maps}
		b, err := Build(pol, Options{})
		if err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, pol.String())
		}
		spec, _ := loadableSpec(t, b)
		l := loadSpecIn(t, b, spec, pin)
		prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 60; k++ {
			ctx := make([]uint64, len(h.Args))
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

// randPath returns a short path-like string, sometimes a long one.
func randPath(r *rand.Rand, near []string) string {
	if len(near) > 0 && r.IntN(3) == 0 {
		s := near[r.IntN(len(near))]
		switch r.IntN(4) {
		case 0:
			return s
		case 1:
			if len(s) > 0 {
				return s[:r.IntN(len(s))]
			}
		case 2:
			return s + randPath(r, nil)
		case 3:
			return randPath(r, nil) + s
		}
	}
	const alphabet = "/abet.c"
	n := r.IntN(12)
	switch r.IntN(20) {
	case 0:
		n = 4000 + r.IntN(95)
	case 1:
		n = 250 + r.IntN(300)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// TestEvalStrings compares string filters on the filename of
// syscalls/sys_enter_openat with ir.Eval: the test opens random paths
// (relative to an invalid directory fd, so nothing is opened) and reads
// the records of its own thread.
func TestEvalStrings(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.KernelBTF, testenv.RingBuf)
	r := rand.New(rand.NewPCG(3, 4))
	ops := []ir.Op{ir.OpEqual, ir.OpNotEqual, ir.OpPrefix, ir.OpNotPrefix, ir.OpPostfix, ir.OpNotPostfix}
	pid := os.Getpid()
	pin := pinDir(t)
	for round := 0; round < 25; round++ {
		h := &ir.Hook{ID: 0, Kind: ir.HookTracepoint, Target: "syscalls/sys_enter_openat", Call: "syscalls/sys_enter_openat",
			Args: []*ir.Arg{
				{Slot: 0, Index: 5, Type: ir.TypeInt, SizeSlot: ir.NoSize},
				{Slot: 1, Index: 6, Type: ir.TypeString, SizeSlot: ir.NoSize},
			}}
		var near []string
		var maps []*ir.Map
		for i := 0; i < 1+r.IntN(3); i++ {
			s := &ir.Selector{Index: i, Tests: []*ir.Test{{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(pid)}}}}}
			for j := 0; j < 1+r.IntN(2); j++ {
				op := ops[r.IntN(len(ops))]
				test := &ir.Test{Kind: ir.TestArg, Op: op, Slot: 1, Type: ir.TypeString}
				n := 1 + r.IntN(3)
				if r.IntN(3) == 0 {
					n = 5 + r.IntN(5)
				}
				for k := 0; k < n; k++ {
					v := randPath(r, near)
					if len(v) > ir.MaxMatchLen {
						v = v[:ir.MaxMatchLen]
					}
					near = append(near, v)
					test.Values = append(test.Values, ir.Value{Kind: ir.ValString, Str: v})
				}
				test.Values = ir.SortValues(test.Values, false)
				// Lowering's rule: more than 4 strings of Equal or Prefix go
				// to a map.
				if len(test.Values) > 4 && op != ir.OpPostfix && op != ir.OpNotPostfix {
					kind := ir.MapStringSet
					if op == ir.OpPrefix || op == ir.OpNotPrefix {
						kind = ir.MapStringPrefix
					}
					longest := 0
					for _, v := range test.Values {
						longest = max(longest, len(v.Str))
					}
					keySize := (longest + 1 + 7) &^ 7
					if kind == ir.MapStringPrefix {
						keySize = max(8, (longest+7)&^7)
					}
					test.Map = &ir.Map{Name: fmt.Sprintf("sset_%d", len(maps)), Kind: kind, KeySize: keySize,
						MaxEntries: len(test.Values), Values: test.Values}
					test.Values = nil
					maps = append(maps, test.Map)
				}
				s.Tests = append(s.Tests, test)
			}
			h.Selectors = append(h.Selectors, s)
		}
		pol := &ir.Policy{Name: "eval-str", Arch: "x86_64", Hooks: []*ir.Hook{h}, Maps: maps}
		b, err := Build(pol, Options{})
		if err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, pol.String())
		}
		spec, _ := loadableSpec(t, b)
		l := loadSpecIn(t, b, spec, pin)
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		tp, err := link.Tracepoint("syscalls", "sys_enter_openat", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		runtime.LockOSThread()
		tid := unix.Gettid()
		for k := 0; k < 40; k++ {
			path := randPath(r, near)
			if len(path) > ir.MaxMatchLen {
				path = path[:ir.MaxMatchLen] // a longer one is cut in the record
			}
			ev := &ir.Event{Args: []ir.ArgValue{{Int: -1}, {Bytes: []byte(path)}},
				Process: ir.Process{PID: uint32(pid)}}
			want, err := ir.Eval(h, ev)
			if err != nil {
				t.Fatal(err)
			}
			p, err := unix.BytePtrFromString(path)
			if err != nil {
				t.Fatal(err)
			}
			unix.Syscall6(unix.SYS_OPENAT, ^uintptr(0), uintptr(unsafe.Pointer(p)), unix.O_RDONLY, 0, 0, 0)
			got := -1
			for {
				rd.SetDeadline(time.Now())
				raw, err := rd.Read()
				if err != nil {
					break
				}
				rec, err := decodeRecord(raw.RawSample, b)
				if err != nil {
					t.Fatal(err)
				}
				if rec.Pid != uint32(tid) {
					continue // another thread of this process
				}
				data, _, _ := bytesArg(rec.Args[1])
				if string(data) != path {
					continue
				}
				got = int(rec.Selector) - 1
			}
			wantSel := -1
			if want.Posted {
				wantSel = want.Selector.Index
			}
			if got != wantSel {
				runtime.UnlockOSThread()
				t.Fatalf("round %d: path %q: program chose selector %d, Eval %d\n%s\n%s", round, path, got, wantSel, pol.String(), disasm(b))
			}
		}
		runtime.UnlockOSThread()
		tp.Close()
		rd.Close()
	}
}
