package codegen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestCountersMap: a bundle declares the counters map once, in the shape
// of bpf's contract, and every program adds to it: Posted and Lost on its
// post path, Enforced behind the mode gate only when it has enforcement
// actions that run (not in a test-run build, which carries none out).
func TestCountersMap(t *testing.T) {
	pol := modePolicy("/x", ir.ModeEnforce)
	post := modePolicy("/y", ir.ModeEnforce).Hooks[0]
	post.ID = 1
	post.Selectors[0].Actions = post.Selectors[0].Actions[1:] // Post only
	pol.Hooks = append(pol.Hooks, post)
	for _, tc := range []struct {
		name     string
		opts     Options
		enforced []bool // per program: adds to Enforced
	}{
		{"enforce", Options{}, []bool{true, false}},
		{"test run", Options{TestRun: true}, []bool{false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Build(pol, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range b.Maps {
				if m.Name != bpf.CountersMap {
					continue
				}
				n++
				if m.Type != ebpf.PerCPUArray || m.KeySize != 4 || m.ValueSize != bpf.CountersSize || m.MaxEntries != 1 {
					t.Errorf("%s: %s key %d value %d entries %d; the contract is a per-CPU array of one Counters",
						m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries)
				}
			}
			if n != 1 {
				t.Fatalf("%s declared %d times", bpf.CountersMap, n)
			}
			if len(b.Programs) != len(tc.enforced) {
				t.Fatalf("%d programs, want %d", len(b.Programs), len(tc.enforced))
			}
			for i, p := range b.Programs {
				adds := counterAdds(p.Insns)
				want := map[int16]bool{bpf.CountersPostedOff: true, bpf.CountersLostOff: true, bpf.CountersEnforcedOff: tc.enforced[i]}
				for off, w := range want {
					if adds[off] != w {
						t.Errorf("program %s: adds at counter offset %d: %v, want %v", p.Name, off, adds[off], w)
					}
				}
			}
		})
	}
}

// counterAdds returns the offsets of the atomic adds of insns into the
// values of the counters map (found by the lookup they follow).
func counterAdds(insns asm.Instructions) map[int16]bool {
	out := map[int16]bool{}
	counters := false
	for _, ins := range insns {
		if ins.IsLoadFromMap() {
			counters = ins.Reference() == bpf.CountersMap
		}
		if counters && ins.OpCode.Class().IsStore() && ins.OpCode.Mode() == asm.AtomicMode {
			out[ins.Offset] = true
		}
	}
	return out
}

// readCounters sums the counters map of a loaded bundle over CPUs.
func readCounters(t testing.TB, l *loaded) bpf.Counters {
	t.Helper()
	var per []bpf.Counters
	if err := l.coll.Maps[bpf.CountersMap].Lookup(uint32(0), &per); err != nil {
		t.Fatalf("read %s: %v", bpf.CountersMap, err)
	}
	var sum bpf.Counters
	for _, c := range per {
		sum.Add(c)
	}
	return sum
}

// TestCountersLost: with a ring buffer of one page that nobody reads, the
// records that do not fit are counted Lost, as many as the shared drop
// counter counts, and every matching call is counted once, Posted or
// Lost.
func TestCountersLost(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.KernelBTF, testenv.RingBuf)
	missing := filepath.Join(t.TempDir(), "missing")
	b, err := Build(modePolicy(missing, ir.ModeMonitor), Options{})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Object))
	if err != nil {
		t.Fatal(err)
	}
	spec.Maps[bpf.EventsMap].MaxEntries = uint32(os.Getpagesize())
	l := loadSpec(t, b, spec)
	tp, err := link.Tracepoint("syscalls", "sys_enter_openat", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	const calls = 200
	for range calls {
		if f, err := os.Open(missing); err == nil {
			f.Close()
		}
	}
	tp.Close()
	c := readCounters(t, l)
	var per []uint64
	if err := l.coll.Maps[bpf.DropsMap].Lookup(uint32(0), &per); err != nil {
		t.Fatal(err)
	}
	var drops uint64
	for _, n := range per {
		drops += n
	}
	t.Logf("%d calls: %d posted, %d lost, %d dropped, %d enforced", calls, c.Posted, c.Lost, drops, c.Enforced)
	if c.Posted+c.Lost != calls || c.Lost == 0 || c.Lost != drops || c.Enforced != 0 {
		t.Errorf("%d calls: %d posted, %d lost, %d in the drop counter, %d enforced (monitor mode)", calls, c.Posted, c.Lost, drops, c.Enforced)
	}
}
