package codegen

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/codegen/action"
	"github.com/polc-dev/polc/ir"
)

// TestStateMapFromLayout: a state map is declared once, with the size the
// policy's map layout gives it; a policy whose IR lacks a state map its
// hooks need is refused (the lowering lays out every one).
func TestStateMapFromLayout(t *testing.T) {
	hook := func(id int) *ir.Hook {
		return &ir.Hook{ID: id, Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
			Args:      []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize}},
			Selectors: []*ir.Selector{{Actions: []*ir.Action{{Kind: ir.ActPost, RateLimitMs: 1000}}}}}
	}
	pol := &ir.Policy{Name: "state", Arch: "x86_64", Hooks: []*ir.Hook{hook(0), hook(1)},
		Maps: []*ir.Map{{Name: "ratelimit", Kind: ir.MapRateLimit, MaxEntries: 123}}}
	b, err := Build(pol, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range b.Maps {
		if m.Name == action.RateLimitMap {
			n++
			if m.MaxEntries != 123 {
				t.Errorf("%s: %d entries, the layout says 123", m.Name, m.MaxEntries)
			}
		}
	}
	if n != 1 {
		t.Errorf("%s declared %d times", action.RateLimitMap, n)
	}

	pol.Maps = nil
	if _, err := Build(pol, Options{}); err == nil || !strings.Contains(err.Error(), "no ratelimit map") {
		t.Errorf("IR without its ratelimit map: %v", err)
	}
}
