package codegen

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestEvalCel runs CelExpr filters chosen for their edges (each type's
// wrapping, signed and unsigned order, casts that truncate, bool values,
// the deepest expression polc evaluates) on a raw tracepoint with
// arguments of every CEL type, with events at those edges, by
// BPF_PROG_TEST_RUN, and compares the selector posted with ir.Eval's.
// TestEvalPolicies draws random expressions; this one does not leave the
// edges to chance.
func TestEvalCel(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	types := []ir.ArgType{ir.TypeInt, ir.TypeUint32, ir.TypeInt64, ir.TypeUint64, ir.TypeInt32}
	deep := "arg2"
	for range 5 {
		deep = "(" + deep + " + " + deep + ")"
	}
	exprs := []string{
		"arg0 - int32(10) == arg4 + int32(5)", // Tetragon's example, on int and int32
		"arg0 + int32(1) < arg0",
		"arg0 - int32(1) > arg0",
		"arg1 - uint32(1u) > arg1",
		"arg1 + uint32(4294967295u) < arg1",
		"arg2 + 1 < arg2",
		"arg3 - 1u > arg3",
		"int32(arg2) == arg0",
		"uint32(arg3) == arg1",
		"int32(arg2 + 2147483648) < int32(0)",
		"arg0 < int32(0) && arg1 > uint32(2147483647u)",
		"arg2 < 0 || arg3 > 9223372036854775807u",
		"arg0 <= arg4 && arg4 >= arg0",
		"(arg0 == int32(1)) == (arg1 == uint32(1u))",
		"!(arg2 != 5) || false",
		"!(arg0 > int32(-2147483648)) || !(arg3 < 18446744073709551615u)",
		"arg3 == 0xffffffffffffffffu || arg2 == -9223372036854775808 || arg2 == 9223372036854775807",
		deep + " == arg2 - arg2",
		"true",
	}
	edges := []int64{0, 1, -1, 2, 5, 10, -10, -11, -16, math.MaxInt32, math.MinInt32, math.MaxInt32 - 1, math.MinInt32 + 1,
		math.MaxUint32, math.MaxUint32 - 1, 1 << 32, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, 2147483648}
	r := rand.New(rand.NewPCG(1, 0x63656c))
	pin := pinDir(t)
	for _, e := range exprs {
		var y strings.Builder
		y.WriteString("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: eval-cel\nspec:\n")
		y.WriteString("  tracepoints:\n  - subsystem: polc\n    event: eval\n    raw: true\n    args:\n")
		for i, typ := range types {
			fmt.Fprintf(&y, "    - index: %d\n      type: %q\n", i, typ)
		}
		fmt.Fprintf(&y, "    selectors:\n    - matchArgs:\n      - args: [0, 1, 2, 3, 4]\n        operator: CelExpr\n        values: [%s]\n", strconv.Quote(e))
		p := &genPolicy{yaml: y.String()}
		c, ok := p.compile(t)
		if !ok {
			return
		}
		if c.hook == nil {
			t.Fatalf("%s: the hook was dropped", e)
		}
		spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(c.b.Object))
		if err != nil {
			t.Fatal(err)
		}
		l := loadSpecIn(t, c.b, spec, pin)
		prog := l.coll.Programs[c.b.Manifest.Hooks[0].Programs[0].Name]
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		posted := 0
		const events = 400
		for k := 0; k < events; k++ {
			ctx := make([]uint64, len(types))
			ev := &ir.Event{Process: ir.Process{PID: 1}}
			for i := range types {
				v := edges[r.IntN(len(edges))]
				switch r.IntN(4) {
				case 0:
					v = int64(r.Uint64())
				case 1:
					v += int64(r.IntN(7) - 3)
				case 2:
					if i > 0 { // near the previous argument: equal ones
						v = int64(ctx[i-1]) + int64(r.IntN(3)-1)
					}
				}
				ctx[i] = uint64(v)
				ev.Args = append(ev.Args, ir.ArgValue{Int: v})
			}
			want, err := ir.Eval(c.ref, ev)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := runRawTP(t, prog, rd, c.b, ctx)
			if err != nil {
				t.Fatal(err)
			}
			if (rec != nil) != want.Posted {
				t.Fatalf("%s on args %#x: the program posted: %v, ir.Eval: %v\n%s\n%s", e, ctx, rec != nil, want.Posted, c.ir.String(), disasm(c.b))
			}
			if want.Posted {
				posted++
			}
		}
		rd.Close()
		l.coll.Close()
		if e != "true" && (posted == 0 || posted == events) {
			t.Errorf("%s: %d of %d events matched: the edges do not decide it both ways", e, posted, events)
		}
		t.Logf("%s: %d of %d events matched", e, posted, events)
	}
}
