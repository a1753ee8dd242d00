package codegen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// Tgids of made-up ancestors, above any pid_max: only the test's own
// process table knows them.
const (
	fakeParent      = 1<<23 + 1
	fakeGrandparent = 1<<23 + 2
	fakeInit        = 1<<23 + 3
)

// tableEntry is one process of a made-up process table.
type tableEntry struct {
	tgid, ppid uint32
	binary     string
}

// parentScenario is a process table as seen from this process (tgid
// self): what matchParentBinaries reads.
type parentScenario struct {
	name    string
	entries []tableEntry
}

func parentScenarios(self uint32) []parentScenario {
	return []parentScenario{
		{"chain", []tableEntry{{self, fakeParent, "/usr/bin/self"}, {fakeParent, fakeGrandparent, "/usr/bin/bash"},
			{fakeGrandparent, fakeInit, "/usr/sbin/sshd"}, {fakeInit, 0, "/sbin/init"}}},
		{"no entry of its own", []tableEntry{{fakeParent, 0, "/usr/bin/bash"}}},
		{"ppid 0", []tableEntry{{self, 0, "/usr/bin/self"}}},
		{"parent not in the table", []tableEntry{{self, fakeParent, "/usr/bin/self"}}},
		{"parent without a known parent", []tableEntry{{self, fakeParent, "/usr/bin/self"}, {fakeParent, fakeGrandparent, "/usr/sbin/sshd"}}},
		{"parent's binary unknown", []tableEntry{{self, fakeParent, "/usr/bin/self"}, {fakeParent, fakeInit, ""}, {fakeInit, 0, "/sbin/init"}}},
		{"parent its own parent", []tableEntry{{self, fakeParent, "/usr/bin/self"}, {fakeParent, fakeParent, "/usr/bin/bash"}}},
		{"a cycle above the parent", []tableEntry{{self, fakeParent, "/usr/bin/self"}, {fakeParent, fakeGrandparent, "/bin/dash"},
			{fakeGrandparent, fakeParent, "/usr/sbin/sshd"}}},
	}
}

// process is what ir.Eval sees of self in the scenario: the ancestors the
// table's parent links reach, each once.
func (sc parentScenario) process(self uint32) ir.Process {
	byTgid := map[uint32]tableEntry{}
	for _, e := range sc.entries {
		byTgid[e.tgid] = e
	}
	p := ir.Process{PID: self}
	own, ok := byTgid[self]
	if !ok {
		return p
	}
	p.Binary = own.binary
	seen := map[uint32]bool{self: true}
	for next := own.ppid; next != 0 && !seen[next]; {
		e, ok := byTgid[next]
		if !ok {
			break
		}
		seen[next] = true
		p.Ancestors = append(p.Ancestors, ir.Ancestor{PID: e.tgid, Binary: e.binary})
		next = e.ppid
	}
	return p
}

// TestEvalParentBinaries is the differential test of matchParentBinaries:
// every operator, with and without followChildren, with values that hit
// the parent, an ancestor above it or nothing, few (compares) and many (a
// map), written as YAML and compiled, run by BPF_PROG_TEST_RUN against
// made-up process tables (a known chain, no entry, Ppid 0, a parent the
// table lacks, an unknown binary, loops) and compared with ir.Eval of the
// lowered hook and of the hook before folding. Every operator must be seen
// both to pass and to fail.
func TestEvalParentBinaries(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	self := uint32(os.Getpid())
	many := []string{"/usr/bin/bash"}
	for i := range 11 {
		many = append(many, fmt.Sprintf("/opt/tool%d/bin/", i))
	}
	valueSets := [][]string{
		{"/usr/bin/bash"},
		{"/usr/sbin/sshd"},
		{"/nope"},
		{"/usr/", "sh"},
		{"/sbin/init", "dash"},
		many,
	}
	type variant struct {
		op     string
		follow bool
	}
	var variants []variant
	for _, op := range []string{"In", "NotIn", "Prefix", "NotPrefix", "Postfix", "NotPostfix"} {
		variants = append(variants, variant{op, false})
	}
	variants = append(variants, variant{"In", true}, variant{"NotIn", true})

	pin := pinDir(t)
	outcomes := map[variant][2]int{}
	for _, v := range variants {
		for _, values := range valueSets {
			quoted := make([]string, len(values))
			for i, s := range values {
				quoted[i] = fmt.Sprintf("%q", s)
			}
			yaml := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: parent-binaries
spec:
  tracepoints:
  - subsystem: polc
    event: eval
    raw: true
    args:
    - index: 0
      type: int
    selectors:
    - matchParentBinaries:
      - operator: %s
        followChildren: %v
        values: [%s]
`, v.op, v.follow, strings.Join(quoted, ", "))
			c := compileParentPolicy(t, yaml)
			if c.hook == nil {
				t.Fatalf("%s: lowering dropped the hook\n%s", v.op, yaml)
			}
			// The raw tracepoint polc/eval does not exist: the program is
			// only run, never attached.
			spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(c.b.Object))
			if err != nil {
				t.Fatalf("read back: %v", err)
			}
			l := loadSpecIn(t, c.b, spec, pin)
			rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range programAndFallback(c.b.Manifest.Hooks[0].Programs[0]) {
				prog := l.coll.Programs[name]
				for _, sc := range parentScenarios(self) {
					setTable(t, l.coll.Maps[bpf.ProcsMap], sc.entries, self)
					// New generations, as the base moves them after changing
					// these entries: a verdict cached for an earlier table
					// must not answer for this one.
					moveGenerations(t, l.coll, self, fakeParent, fakeGrandparent, fakeInit)
					ev := &ir.Event{Args: []ir.ArgValue{{Int: 1}}, Process: sc.process(self)}
					want, err := ir.Eval(c.hook, ev)
					if err != nil {
						t.Fatal(err)
					}
					ref, err := ir.Eval(c.ref, ev)
					if err != nil {
						t.Fatal(err)
					}
					if ref.Posted != want.Posted {
						t.Fatalf("%s followChildren=%v %q, %s: folded hook posts %v, the hook before folding %v\n%s\n%s",
							v.op, v.follow, values, sc.name, want.Posted, ref.Posted, c.refText, c.ir.String())
					}
					rec, err := runRawTP(t, prog, rd, c.b, []uint64{1})
					if err != nil {
						t.Fatal(err)
					}
					if got := rec != nil; got != want.Posted {
						t.Fatalf("%s followChildren=%v %q, %s: %s posts %v, ir.Eval %v\nprocess %+v\n%s\n%s",
							v.op, v.follow, values, sc.name, name, got, want.Posted, ev.Process, c.ir.String(), disasm(c.b))
					}
					o := outcomes[v]
					if want.Posted {
						o[1]++
					} else {
						o[0]++
					}
					outcomes[v] = o
				}
			}
			setTable(t, l.coll.Maps[bpf.ProcsMap], nil, self)
			rd.Close()
		}
	}
	for _, v := range variants {
		if o := outcomes[v]; o[0] == 0 || o[1] == 0 {
			t.Errorf("%s followChildren=%v: %d failing and %d passing cases; want both", v.op, v.follow, o[0], o[1])
		}
	}
}

// setTable makes the process table hold exactly entries (of the tgids the
// scenarios use).
func setTable(t *testing.T, m *ebpf.Map, entries []tableEntry, self uint32) {
	t.Helper()
	for _, tgid := range []uint32{self, fakeParent, fakeGrandparent, fakeInit} {
		m.Delete(tgid)
	}
	for _, e := range entries {
		p := bpf.Proc{Tgid: e.tgid, Ppid: e.ppid, BinaryLen: uint32(len(e.binary))}
		copy(p.Binary[:], e.binary)
		if err := m.Put(e.tgid, &p); err != nil {
			t.Fatal(err)
		}
	}
}

// compileParentPolicy checks, lowers (keeping the hook as normalized,
// before folding) and builds a one-hook policy.
func compileParentPolicy(t *testing.T, yaml string) *compiledPolicy {
	t.Helper()
	src := compiler.NewSource("parent.yaml", []byte(yaml))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("the policy does not check: %v\n%s", res.Diagnostics, yaml)
	}
	c := &compiledPolicy{}
	pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Verify: true, AfterPass: func(pass string, p *ir.Policy) {
		if pass == "normalize" && len(p.Hooks) == 1 {
			c.ref = cloneHook(p.Hooks[0])
			c.refText = (&ir.Policy{Name: p.Name, Hooks: []*ir.Hook{c.ref}}).String()
		}
	}})
	if compiler.Count(diags, compiler.Error) > 0 || c.ref == nil {
		t.Fatalf("the policy does not lower: %v\n%s", diags, yaml)
	}
	c.ir = pol
	if len(pol.Hooks) == 0 {
		return c
	}
	b, err := Build(pol, Options{Source: "parent.yaml"})
	if err != nil {
		t.Fatalf("the policy does not build: %v\n%s\n%s", err, yaml, pol.String())
	}
	c.hook, c.b = pol.Hooks[0], b
	return c
}

func init() {
	// chain:P1|P2|...: run P1 as the child "chain:P2|...", and so on; the
	// last one calls getpgid three times. Each process of the chain is
	// the parent of the next.
	childVerbs["chain"] = func(arg string) int {
		if arg == "" {
			for range 3 {
				unix.Getpgid(0)
			}
			return 0
		}
		next, rest, _ := strings.Cut(arg, "|")
		if err := child(next, "chain:"+rest).Run(); err != nil {
			return 3
		}
		return 0
	}
}

// TestParentBinariesLive: matchParentBinaries on a real process tree with
// the base maintaining the process table. This test starts grand, which
// starts parent, which starts kid; kid calls getpgid. The hook (on
// raw_syscalls/sys_enter, only for kid's binary) records kid's calls
// when its parent filter passes.
func TestParentBinariesLive(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.RingBuf, testenv.KernelBTF)
	grand, parent, kid := childBinary(t, "pgrand"), childBinary(t, "pparent"), childBinary(t, "pchild")
	pin := pinDir(t)
	loadBaseIn(t, pin)
	for _, c := range []struct {
		op     ir.Op
		follow bool
		value  string
		want   bool
	}{
		{ir.OpIn, false, parent, true},
		{ir.OpIn, false, grand, false},
		{ir.OpIn, false, kid, false}, // its own binary is not its parent's
		{ir.OpIn, true, grand, true},
		{ir.OpNotIn, false, parent, false},
		{ir.OpNotIn, false, grand, true},
		{ir.OpNotIn, true, grand, false},
		{ir.OpPostfix, false, "/pparent", true},
		{ir.OpNotPrefix, false, filepath.Dir(parent), false},
	} {
		pol := rawSyscallsPolicy(0)
		pos := pol.Pos
		pol.Hooks[0].Selectors[0].Tests = []*ir.Test{
			{Kind: ir.TestBinary, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValString, Str: kid}}, Pos: pos},
			{Kind: ir.TestParentBinary, Op: c.op, FollowChildren: c.follow, Values: []ir.Value{{Kind: ir.ValString, Str: c.value}}, Pos: pos},
		}
		b, err := Build(pol, Options{Source: "raw.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := loadableSpec(t, b)
		l := loadSpecIn(t, b, spec, pin)
		tp, err := link.Tracepoint("raw_syscalls", "sys_enter", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		err = child(grand, "chain:"+parent+"|"+kid).Run()
		tp.Close()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range readRecords(t, l, b, time.Second, nil) {
			if r.Kind == bpf.EventPolicy && intArg(r.Args[0]) == unix.SYS_GETPGID {
				n++
			}
		}
		if got := n >= 3; got != c.want || !c.want && n > 0 {
			t.Errorf("parent-binary %s followChildren=%v %q: %d getpgid records of kid, want them: %v", c.op, c.follow, c.value, n, c.want)
		}
	}
}
