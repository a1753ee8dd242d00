package codegen

import (
	"testing"

	"github.com/cilium/ebpf/ringbuf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestRateLimit: a Post with a rate limit posts the first record of a key
// (hook, selector, scope, arguments) and drops the next ones within the
// interval; other arguments make another key.
func TestRateLimit(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	for _, scope := range []ir.RateLimitScope{ir.ScopeThread, ir.ScopeProcess, ir.ScopeGlobal} {
		h := &ir.Hook{Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
			Args:      []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize}},
			Selectors: []*ir.Selector{{Actions: []*ir.Action{{Kind: ir.ActPost, RateLimitMs: 3600_000, RateLimitScope: scope}}}}}
		pol := &ir.Policy{Name: "ratelimit", Arch: "x86_64", Hooks: []*ir.Hook{h},
			Maps: []*ir.Map{{Name: "ratelimit", Kind: ir.MapRateLimit, MaxEntries: 32768}}}
		b, err := Build(pol, Options{})
		if err != nil {
			t.Fatal(err)
		}
		l := loadBundle(t, b)
		prog := l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range []struct {
			arg    uint64
			posted bool
		}{{1, true}, {1, false}, {2, true}, {1, false}, {2, false}, {3, true}} {
			rec, err := runRawTP(t, prog, rd, b, []uint64{c.arg})
			if err != nil {
				t.Fatal(err)
			}
			if (rec != nil) != c.posted {
				t.Errorf("scope %d, call %d with %d: posted %v, want %v", scope, i, c.arg, rec != nil, c.posted)
			}
		}
		rd.Close()
	}
}
