package ir_test

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

const verifyPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: verify
spec:
  kprobes:
  - call: "sys_write"
    syscall: true
    return: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    returnArg:
      index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Prefix"
        values: ["/etc/"]
      - index: 2
        operator: "Equal"
        values: ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
      matchPIDs:
      - operator: NotIn
        followForks: true
        values: [1]
      matchReturnArgs:
      - operator: "LT"
        values: ["0"]
      matchActions:
      - action: FollowFD
        argFd: 2
        argName: 0
    - matchBinaries:
      - operator: In
        values: ["/bin/sh"]
`

// TestVerify: a lowered policy verifies; each way of breaking it is caught
// with a message that names the problem.
func TestVerify(t *testing.T) {
	if err := ir.Verify(lowerSpec(t, verifyPolicy)); err != nil {
		t.Fatalf("valid policy: %v", err)
	}
	for _, tc := range []struct {
		name   string
		break_ func(p *ir.Policy)
		want   string
	}{
		{"no name", func(p *ir.Policy) { p.Name = "" }, "no name"},
		{"bad arch", func(p *ir.Policy) { p.Arch = "mips" }, "unknown arch"},
		{"hook ID", func(p *ir.Policy) { p.Hooks[0].ID = 3 }, "ID 3 at index 0"},
		{"no position", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Tests[0].Pos = ir.Pos{} }, "no position"},
		{"action without position", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Actions[0].Pos.Line = 0 }, "no position"},
		{"slot out of range", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Tests[0].Slot = 7 }, "slot 7 out of range"},
		{"op invalid for type", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Tests[0].Op = ir.OpMask }, "does not apply to type"},
		{"test type differs", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Tests[0].Type = ir.TypeInt }, "test type int"},
		{"value kind", func(p *ir.Policy) {
			p.Hooks[0].Selectors[0].Tests[0].Values = []ir.Value{{Kind: ir.ValInt, Int: 3}}
		}, "is not a value of Prefix"},
		{"no values", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Tests[0].Values = nil }, "without values"},
		{"unsorted values", func(p *ir.Policy) {
			t := p.Hooks[0].Selectors[0].Tests[0]
			t.Values = append(t.Values, ir.Value{Kind: ir.ValString, Str: "/a"})
		}, "not sorted"},
		{"list left", func(p *ir.Policy) {
			p.Hooks[0].Selectors[0].Tests[2].Values = []ir.Value{{Kind: ir.ValList, List: "dups"}}
		}, "is not a value of"},
		{"unexpanded call", func(p *ir.Policy) { p.Hooks[0].Call = "list:dups" }, "was not expanded"},
		{"unresolved syscall", func(p *ir.Policy) { p.Hooks[0].Target = "sys_write" }, "is not a symbol of x86_64"},
		{"arm64 symbol on x86_64", func(p *ir.Policy) { p.Hooks[0].Target = "__arm64_sys_write" }, "is not a symbol"},
		{"syscall without ABI", func(p *ir.Policy) { p.Hooks[0].ABI = "" }, "without ABI"},
		{"map not in policy", func(p *ir.Policy) {
			p.Hooks[0].Selectors[0].Tests[1].Map = &ir.Map{Name: "stray", Kind: ir.MapIntSet}
		}, "not among the policy's maps"},
		{"duplicate map name", func(p *ir.Policy) {
			p.Maps = append(p.Maps, &ir.Map{Name: p.Maps[0].Name, Kind: ir.MapFD, MaxEntries: 1, Pos: p.Pos})
		}, "not unique"},
		{"unused set map", func(p *ir.Policy) {
			p.Maps = append(p.Maps, &ir.Map{Name: "iset_9", Kind: ir.MapIntSet, MaxEntries: 1, Values: iv(1), Pos: p.Pos})
		}, "no test uses this"},
		{"map of the wrong kind", func(p *ir.Policy) {
			for _, m := range p.Maps {
				if m.Kind == ir.MapIntSet {
					m.Kind = ir.MapStringSet
				}
			}
		}, "does not belong in a string-set map"},
		{"missing state map", func(p *ir.Policy) {
			var keep []*ir.Map
			for _, m := range p.Maps {
				if m.Kind != ir.MapFD {
					keep = append(keep, m)
				}
			}
			p.Maps = keep
		}, "needs a fd map"},
		{"action slot type", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Actions[0].FdSlot = 1 }, "fd of FollowFD is a char_buf"},
		{"size slot", func(p *ir.Policy) { p.Hooks[0].Args[1].SizeSlot = 0 }, "holds a fd, not an integer"},
		{"size from return without returnCopy", func(p *ir.Policy) { p.Hooks[0].Args[1].SizeSlot = ir.SizeFromReturn }, "without returnCopy"},
		{"size from slot and raw argument", func(p *ir.Policy) { p.Hooks[0].Args[1].SizeRaw = 3 }, "both slot 2 and raw argument 3"},
		{"raw size out of range", func(p *ir.Policy) {
			p.Hooks[0].Args[1].SizeSlot, p.Hooks[0].Args[1].SizeRaw = ir.NoSize, 6
		}, "raw size argument 6 out of range 1..5"},
		{"raw size on a non-buffer", func(p *ir.Policy) { p.Hooks[0].Args[2].SizeRaw = 1 }, "a size_t has no length argument"},
		{"raw size on a tracepoint", func(p *ir.Policy) {
			p.Hooks[0].Kind, p.Hooks[0].Syscall = ir.HookTracepoint, false
			p.Hooks[0].Args[1].SizeSlot, p.Hooks[0].Args[1].SizeRaw = ir.NoSize, 3
		}, "a tracepoint's fields have no raw argument"},
		{"arg slot", func(p *ir.Policy) { p.Hooks[0].Args[2].Slot = 5 }, "slot 5 at position 2"},
		{"return test without return value", func(p *ir.Policy) { p.Hooks[0].Ret = nil }, "without a return value"},
		{"return value without return probe", func(p *ir.Policy) { p.Hooks[0].Return = false }, "without a return probe"},
		{"selector order", func(p *ir.Policy) { p.Hooks[0].Selectors[1].Index = 0 }, "index 0 after 0"},
		{"tests out of order", func(p *ir.Policy) {
			s := p.Hooks[0].Selectors[0]
			s.Tests[0], s.Tests[len(s.Tests)-1] = s.Tests[len(s.Tests)-1], s.Tests[0]
		}, "canonical order"},
		{"followForks on an arg test", func(p *ir.Policy) { p.Hooks[0].Selectors[0].Tests[0].FollowForks = true }, "followForks"},
		{"Sigkill signal", func(p *ir.Policy) {
			p.Hooks[0].Selectors[1].Actions = append(p.Hooks[0].Selectors[1].Actions, &ir.Action{Kind: ir.ActSigkill, Pos: p.Pos})
		}, "Sigkill with signal 0"},
		{"Override at return", func(p *ir.Policy) {
			p.Hooks[0].Selectors[1].ReturnActions = []*ir.Action{{Kind: ir.ActOverride, Pos: p.Pos}}
		}, "Override on a kprobe at return"},
		{"selector after a catch-all", func(p *ir.Policy) {
			s := p.Hooks[0].Selectors
			s[0].Tests = nil
			_ = s
		}, "selectors follow it"},
		{"empty mask", func(p *ir.Policy) {
			s := p.Hooks[0].Selectors[1]
			s.Tests = append(s.Tests, &ir.Test{Kind: ir.TestCaps, Op: ir.OpIn, Pos: p.Pos})
		}, "empty mask"},
		{"parent-binary Prefix followChildren", func(p *ir.Policy) {
			s := p.Hooks[0].Selectors[1]
			s.Tests = append(s.Tests, &ir.Test{Kind: ir.TestParentBinary, Op: ir.OpPrefix, FollowChildren: true, Values: sv("/usr/"), Pos: p.Pos})
		}, "operator Prefix on a parent-binary test"},
		{"parent-binary with integers", func(p *ir.Policy) {
			s := p.Hooks[0].Selectors[1]
			s.Tests = append(s.Tests, &ir.Test{Kind: ir.TestParentBinary, Op: ir.OpIn, Values: iv(1), Pos: p.Pos})
		}, "is not a value of In"},
		{"nil hook", func(p *ir.Policy) { p.Hooks = append(p.Hooks, nil) }, "nil hook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := lowerSpec(t, verifyPolicy)
			tc.break_(p)
			err := ir.Verify(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v; want an error with %q", err, tc.want)
			}
		})
	}
}

// TestVerifyStages: invariants apply from the stage that establishes them.
func TestVerifyStages(t *testing.T) {
	p := lowerSpec(t, verifyPolicy)
	p.Maps = nil
	for _, s := range p.Hooks[0].Selectors {
		for _, t := range s.Tests {
			if t.Map != nil {
				t.Values, t.Map = t.Map.Values, nil
			}
		}
	}
	if err := ir.VerifyStage(p, ir.StageFolded); err != nil {
		t.Fatalf("without maps, the folded stage holds: %v", err)
	}
	if err := ir.VerifyStage(p, ir.StageMapped); err == nil || !strings.Contains(err.Error(), "needs a") {
		t.Errorf("without state maps, the mapped stage must not hold: %v", err)
	}
	h := p.Hooks[0]
	h.Call, h.Target, h.ABI = "list:writes", "", ""
	h.Selectors[0].Tests[1].Op = ir.OpInMap
	h.Selectors[0].Tests[1].Values = []ir.Value{{Kind: ir.ValInt, Int: 1}, {Kind: ir.ValList, List: "ids"}}
	if err := ir.VerifyStage(p, ir.StageBuilt); err != nil {
		t.Errorf("list references are fine when built: %v", err)
	}
	err := ir.VerifyStage(p, ir.StageExpanded)
	for _, want := range []string{"was not expanded", "is not a value of InMap"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("expanded stage: got %v, want %q", err, want)
		}
	}
	if got := ir.StageFinal.String(); got != "final" {
		t.Errorf("StageFinal prints %q", got)
	}
}

func TestVerifyLimitsErrors(t *testing.T) {
	p := lowerSpec(t, verifyPolicy)
	for i := 0; i < 50; i++ {
		p.Hooks = append(p.Hooks, nil)
	}
	err := ir.Verify(p)
	if err == nil {
		t.Fatal("no error")
	}
	if n := strings.Count(err.Error(), "\n") + 1; n > 21 {
		t.Errorf("%d problems reported; Verify stops at 20", n)
	}
}
