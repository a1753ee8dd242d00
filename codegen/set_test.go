package codegen

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// setOf builds policies into a set and fails the test on an error.
func setOf(t *testing.T, pols ...*ir.Policy) *Bundle {
	t.Helper()
	var ms []SetMember
	for _, p := range pols {
		ms = append(ms, SetMember{Policy: p, Source: p.Name + ".yaml", SourceSHA256: strings.Repeat("0", 64)})
	}
	b, err := BuildSet("set", ms, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// named returns p renamed.
func named(p *ir.Policy, name string) *ir.Policy { p.Name = name; return p }

// TestSetShape: hooks of different members on one tracepoint share a
// program, a hook only one member has keeps its own, and the manifest
// says whose each hook is; maps of values are each member's own.
func TestSetShape(t *testing.T) {
	a := named(rawSyscallsPolicy(1), "a")
	b := named(rawSyscallsPolicy(2), "b")
	c := named(modePolicy("/x", ir.ModeMonitor), "c")
	c.Hooks[0].Selectors[0].Actions = c.Hooks[0].Selectors[0].Actions[1:] // Post only
	bun := setOf(t, a, b, c)
	m := bun.Manifest
	if len(m.Members) != 3 || m.Members[1].Name != "b" || m.Policy != "set" {
		t.Fatalf("members %+v of policy %s", m.Members, m.Policy)
	}
	if len(bun.Programs) != 2 {
		t.Errorf("%d programs, want 2 (one shared by a and b, one of c)", len(bun.Programs))
	}
	want := []struct {
		member int
		shared bool
		policy string
	}{{0, false, "a"}, {1, true, "b"}, {2, false, "c"}}
	for i, w := range want {
		h := &m.Hooks[i]
		if h.ID != i || h.Member != w.member || (h.Shared != "") != w.shared || m.PolicyName(h) != w.policy {
			t.Errorf("hook %d: id %d member %d shared %q policy %s; want member %d shared %v policy %s",
				i, h.ID, h.Member, h.Shared, m.PolicyName(h), w.member, w.shared, w.policy)
		}
	}
	if m.Hooks[1].Shared != m.Hooks[0].Programs[0].Name || len(m.Hooks[1].Programs) != 0 {
		t.Errorf("hook 1 shares %q, has %d programs", m.Hooks[1].Shared, len(m.Hooks[1].Programs))
	}
	for _, mp := range bun.Maps {
		switch mp.Name {
		case bpf.MembersMap:
			if mp.MaxEntries != 1 || mp.ValueSize != 12 {
				t.Errorf("%s: %d entries of %d bytes, want 1 of 12", mp.Name, mp.MaxEntries, mp.ValueSize)
			}
		case bpf.CountersMap:
			if mp.MaxEntries != 3 {
				t.Errorf("%s: %d entries, want 3", mp.Name, mp.MaxEntries)
			}
		}
	}
	if !hasMap(bun, bpf.MembersMap) {
		t.Errorf("no %s", bpf.MembersMap)
	}
}

// TestSetRefusals: what a member cannot have is refused, naming it.
func TestSetRefusals(t *testing.T) {
	enforcing := func(name string, mode ir.Mode) *ir.Policy { return named(modePolicy("/x", mode), name) }
	for _, tc := range []struct {
		name string
		pols []*ir.Policy
		want string
	}{
		{"same name", []*ir.Policy{named(rawSyscallsPolicy(1), "a"), named(rawSyscallsPolicy(2), "a")}, "two members named a"},
		{"modes", []*ir.Policy{enforcing("e", ir.ModeEnforce), enforcing("m", ir.ModeMonitor)}, "a set has one mode"},
		{"namespaced", []*ir.Policy{func() *ir.Policy { p := named(rawSyscallsPolicy(1), "n"); p.Namespace = "ns"; return p }()}, "namespaced"},
		{"state", []*ir.Policy{func() *ir.Policy {
			p := named(rawSyscallsPolicy(1), "fd")
			p.Maps = []*ir.Map{{Name: "fd", Kind: ir.MapFD, MaxEntries: 16}}
			return p
		}()}, "keeps fd state"},
	} {
		var ms []SetMember
		for _, p := range tc.pols {
			ms = append(ms, SetMember{Policy: p})
		}
		_, err := BuildSet("set", ms, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
	// The same mode is one set's mode.
	b := setOf(t, enforcing("e1", ir.ModeMonitor), enforcing("e2", ir.ModeMonitor))
	if b.Manifest.Mode != "monitor" || b.Manifest.Members[0].Mode != "monitor" {
		t.Errorf("mode %q, member mode %q", b.Manifest.Mode, b.Manifest.Members[0].Mode)
	}
}
