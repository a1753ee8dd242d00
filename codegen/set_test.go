package codegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/compiler"
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

// kprobeMember is a policy named name with one kprobe on call whose
// selector posts the calls of its first argument (an int) equal to value;
// extra is added to the kprobe's fields.
func kprobeMember(t *testing.T, name, call string, syscall bool, value int, extra string) *ir.Policy {
	t.Helper()
	text := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  kprobes:
  - call: %q
    syscall: %v%s
    args:
    - index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["%d"]
`, name, call, syscall, extra, value)
	return lowerYAML(t, name, text)
}

// lowerYAML checks and lowers the policy text for x86_64.
func lowerYAML(t *testing.T, name, text string) *ir.Policy {
	t.Helper()
	src := compiler.NewSource(name+".yaml", []byte(text))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: "x86_64"})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("%s: %v", name, res.Diagnostics)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: "x86_64"})
	if p == nil {
		t.Fatalf("%s: %v", name, diags)
	}
	return p
}

// TestSetKprobes: entry kprobes of different members on one function share
// one program, the others' hooks naming it, and none is a kprobe.multi
// candidate; hooks that differ in what the shared prologue or polrun
// decide for the program (syscall, return probe, ignoreMissing) keep
// programs of their own.
func TestSetKprobes(t *testing.T) {
	for _, syscall := range []bool{false, true} {
		call := "fd_install"
		if syscall {
			call = "sys_dup"
		}
		bun := setOf(t, kprobeMember(t, "a", call, syscall, 1, ""), kprobeMember(t, "b", call, syscall, 2, ""))
		m := bun.Manifest
		if len(bun.Programs) != 1 || len(m.Multi) != 0 {
			t.Errorf("%s: %d programs, %d multi; want 1, 0", call, len(bun.Programs), len(m.Multi))
			continue
		}
		if len(m.Hooks) != 2 || len(m.Hooks[0].Programs) != 1 || m.Hooks[1].Shared != m.Hooks[0].Programs[0].Name ||
			m.Hooks[0].Programs[0].Attach != "kprobe" || m.Hooks[1].Member != 1 {
			t.Errorf("%s: hooks %+v", call, m.Hooks)
		}
	}
	for _, tc := range []struct {
		name string
		b    *ir.Policy
	}{
		// __x64_sys_dup, as sys_dup with syscall: true resolves.
		{"syscall differs", kprobeMember(t, "b", "__x64_sys_dup", false, 2, "")},
		{"return", kprobeMember(t, "b", "sys_dup", true, 2, "\n    return: true\n    returnArg: {index: 0, type: int}")},
		{"ignoreMissing differs", kprobeMember(t, "b", "sys_dup", true, 2, "\n    ignore: {callNotFound: true}")},
	} {
		a := kprobeMember(t, "a", "sys_dup", true, 1, "")
		if a.Hooks[0].Target != tc.b.Hooks[0].Target {
			t.Fatalf("%s: targets %s and %s", tc.name, a.Hooks[0].Target, tc.b.Hooks[0].Target)
		}
		bun := setOf(t, a, tc.b)
		m := bun.Manifest
		if m.Hooks[1].Shared != "" || len(m.Hooks[1].Programs) == 0 {
			t.Errorf("%s: hook 1 shares %q, has %d programs; want its own", tc.name, m.Hooks[1].Shared, len(m.Hooks[1].Programs))
		}
		sections := map[string]bool{}
		for _, p := range bun.Programs {
			if sections[p.Section] {
				t.Errorf("%s: two programs in section %s", tc.name, p.Section)
			}
			sections[p.Section] = true
		}
	}
}

// TestSetKprobeSize: a shared kprobe program of n members is its prologue
// once and n parts, well short of n programs.
func TestSetKprobeSize(t *testing.T) {
	single := setOf(t, kprobeMember(t, "a", "sys_dup", true, 1, ""))
	one := len(single.Programs[0].Insns)
	for _, n := range []int{2, 10} {
		var pols []*ir.Policy
		for i := range n {
			pols = append(pols, kprobeMember(t, fmt.Sprintf("m%d", i), "sys_dup", true, i, ""))
		}
		bun := setOf(t, pols...)
		if len(bun.Programs) != 1 {
			t.Fatalf("%d members: %d programs", n, len(bun.Programs))
		}
		got := len(bun.Programs[0].Insns)
		t.Logf("%d members: one program of %d instructions; a member alone: %d", n, got, one)
		if got >= n*one {
			t.Errorf("%d members: %d instructions, not less than %d programs of %d", n, got, n, one)
		}
	}
}

// TestSetHeaderOnce: the header's fields common to all parts of a shared
// program are written once, before the parts, when no part changes them.
func TestSetHeaderOnce(t *testing.T) {
	bun := setOf(t, kprobeMember(t, "a", "sys_dup", true, 1, ""), kprobeMember(t, "b", "sys_dup", true, 2, ""),
		kprobeMember(t, "c", "sys_dup", true, 3, ""))
	if len(bun.Programs) != 1 {
		t.Fatalf("%d programs, want 1", len(bun.Programs))
	}
	stores := map[int16]int{}
	for _, ins := range bun.Programs[0].Insns {
		if c := ins.OpCode.Class(); (c == asm.StXClass || c == asm.StClass) && ins.Dst == prog.RRec && ins.Offset < bpf.HeaderRetOff+8 {
			stores[ins.Offset]++
		}
	}
	for off, want := range map[int16]int{bpf.HeaderPolicyIDOff: 1, bpf.HeaderTgidOff: 1, bpf.HeaderRetOff: 1, bpf.HeaderKindOff: 3, bpf.HeaderHookIDOff: 3} {
		if stores[off] != want {
			t.Errorf("%d stores at header offset %d, want %d (all: %v)", stores[off], off, want, stores)
		}
	}
}

// TestClobbers: what a part may change for the parts after it.
func TestClobbers(t *testing.T) {
	for _, tc := range []struct {
		name         string
		insns        asm.Instructions
		regs, header bool
	}{
		{"arguments only", asm.Instructions{asm.StoreMem(prog.RRec, 40, asm.R1, asm.DWord), asm.Mov.Reg(asm.R1, prog.RRec)}, false, false},
		{"selector and action", asm.Instructions{asm.StoreImm(prog.RRec, bpf.HeaderSelectorOff, 1, asm.Byte), asm.StoreImm(prog.RRec, bpf.HeaderKindOff, 1, asm.DWord)}, false, false},
		{"the task's ID", asm.Instructions{asm.StoreMem(prog.RRec, bpf.HeaderPidOff, asm.R1, asm.Word)}, false, true},
		{"Ret", asm.Instructions{asm.StoreImm(prog.RRec, bpf.HeaderRetOff+4, 0, asm.Word)}, false, true},
		{"policy ID", asm.Instructions{asm.StoreImm(prog.RRec, bpf.HeaderPolicyIDOff, 0, asm.Word)}, false, true},
		{"another record", asm.Instructions{asm.Mov.Reg(prog.RRec, asm.R0)}, true, false},
		{"the context", asm.Instructions{asm.LoadMem(prog.RCtx, asm.RFP, -8, asm.DWord)}, true, false},
		{"the task's ID elsewhere", asm.Instructions{asm.StoreMem(asm.R7, bpf.HeaderPidOff, asm.R1, asm.Word)}, false, false},
	} {
		regs, header := clobbers(tc.insns)
		if regs != tc.regs || header != tc.header {
			t.Errorf("%s: registers %v, header %v; want %v, %v", tc.name, regs, header, tc.regs, tc.header)
		}
	}
}
