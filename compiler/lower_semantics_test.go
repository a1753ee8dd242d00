package compiler

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/ir"
)

// TestFoldAndLayoutKeepMeaning: what fold and layout-maps do changes no
// decision. Each policy is captured right after normalize and compared,
// through ir.Eval on generated events, with the finished IR: the same
// selector must match, with the same actions and the same posting. Hooks
// fold dropped must match nothing.
func TestFoldAndLayoutKeepMeaning(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.yaml"))
	corpus, _ := filepath.Glob(filepath.Join(corpusDir(), "*.y*ml"))
	files = append(files, corpus...)
	files = append(files, writeTemp(t, "fold-more.yaml", foldMore))
	compared := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := goldenArch(data)
		res := Check([]*Source{NewSource(f, data)}, Options{Arch: a})
		for _, pol := range res.Policies {
			var before *ir.Policy
			after, _ := Lower(pol, LowerOptions{Arch: a, AfterPass: func(pass string, p *ir.Policy) {
				if pass == "normalize" {
					before = clonePolicy(p)
				}
			}})
			if after == nil {
				continue
			}
			compared += compareEval(t, filepath.Base(f), before, after)
		}
	}
	if compared < 10000 {
		t.Errorf("compared only %d decisions", compared)
	}
}

// foldMore holds selectors for fold to decide, beyond testdata/golden/fold.yaml.
const foldMore = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: fold-more
spec:
  kprobes:
  - call: "security_file_open"
    syscall: false
    return: true
    args:
    - index: 0
      type: "file"
    - index: 1
      type: "int8"
    returnArg:
      index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 1
        operator: "InMap"
        values: ["1", "2", "3"]
      - index: 1
        operator: "NotEqual"
        values: ["1", "2"]
      - index: 0
        operator: "NotPrefix"
        values: ["/tmp"]
    - matchArgs:
      - index: 1
        operator: "LT"
        values: ["-128"]
    - matchArgs:
      - index: 1
        operator: "GT"
        values: ["5", "126"]
      - index: 1
        operator: "LT"
        values: ["100"]
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["/etc/a", "/etc/b", "/tmp/c"]
      - index: 0
        operator: "Prefix"
        values: ["/etc/"]
      - index: 1
        operator: "InRange"
        values: ["-128:127"]
      matchReturnArgs:
      - operator: "GT"
        values: ["2147483647"]
    - matchBinaries:
      - operator: In
        values: ["/bin/a", "/bin/b"]
      - operator: NotPostfix
        values: ["a", "b"]
    - matchNamespaces:
      - namespace: Mnt
        operator: In
        values: ["10", "11"]
      - namespace: Mnt
        operator: NotIn
        values: ["10"]
      matchPIDs:
      - operator: In
        isNamespacePID: true
        values: [3, 4]
      - operator: NotIn
        isNamespacePID: true
        values: [4]
      - operator: NotIn
        values: [3]
    - matchCapabilities:
      - operator: In
        values: ["CAP_KILL", "CAP_CHOWN"]
      - operator: NotIn
        values: ["CAP_KILL"]
      matchNamespaceChanges:
      - operator: NotIn
        values: ["Uts", "Ipc", "Mnt", "Pid", "PidForChildren", "Net", "Time", "TimeForChildren", "Cgroup", "User"]
    - matchBinaries:
      - operator: Prefix
        values: [""]
`

func writeTemp(t *testing.T, name, content string) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// goldenArch reads the "# polc-golden: arch=..." line of a golden policy.
func goldenArch(data []byte) arch.Arch {
	first, _, _ := strings.Cut(string(data), "\n")
	if strings.Contains(first, "arch=arm64") {
		return arch.ARM64
	}
	return arch.X86_64
}

// clonePolicy deep-copies a policy before layout-maps (no maps yet).
func clonePolicy(p *ir.Policy) *ir.Policy {
	l := &lowering{nodes: map[any]*yaml.Node{}}
	c := *p
	c.Hooks = nil
	for _, h := range p.Hooks {
		c.Hooks = append(c.Hooks, l.cloneHook(h))
	}
	return &c
}

func hookKey(h *ir.Hook) string {
	return fmt.Sprintf("%s %s %s %#x %s %d:%d", h.Kind, h.Target, h.Symbol, h.Offset, h.List, h.Pos.Line, h.Pos.Col)
}

// compareEval evaluates generated events on both policies' hooks and
// returns the number of decisions compared.
func compareEval(t *testing.T, name string, before, after *ir.Policy) int {
	t.Helper()
	finals := map[string]*ir.Hook{}
	for _, h := range after.Hooks {
		finals[hookKey(h)] = h
	}
	rng := rand.New(rand.NewPCG(1, uint64(len(name))))
	n := 0
	for _, hb := range before.Hooks {
		ha := finals[hookKey(hb)]
		gen := newEventGen(hb, rng)
		for range 60 {
			ev := gen.event()
			rb, err := ir.Eval(hb, ev)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var ra ir.Result
			if ha != nil {
				if ra, err = ir.Eval(ha, ev); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			if d1, d2 := decision(rb), decision(ra); d1 != d2 {
				t.Errorf("%s hook %s: before fold %s, after %s, for %s", name, hookKey(hb), d1, d2, describe(ev))
				return n
			}
			n++
		}
	}
	return n
}

func decision(r ir.Result) string {
	sel := "-"
	if r.Selector != nil {
		sel = fmt.Sprint(r.Selector.Index)
	}
	var acts []string
	for _, a := range append(slices.Clone(r.Actions), r.ReturnActions...) {
		acts = append(acts, a.Kind.String())
	}
	return fmt.Sprintf("matched=%v selector=%s posted=%v actions=%v", r.Matched, sel, r.Posted, acts)
}

func describe(ev *ir.Event) string {
	var b strings.Builder
	for i, a := range ev.Args {
		fmt.Fprintf(&b, "arg%d={%d %q %v} ", i, a.Int, a.Bytes, a.Sock)
	}
	fmt.Fprintf(&b, "ret=%d proc=%+v", ev.Return.Int, ev.Process)
	return b.String()
}

// eventGen makes events that hit a hook's tests: argument values, PIDs,
// binaries, inodes and capabilities taken from its tests' values, their
// neighbours, and a few others.
type eventGen struct {
	h     *ir.Hook
	rng   *rand.Rand
	ints  map[int][]int64 // by slot; -1 is the return value
	strs  map[int][]string
	addrs []netip.Addr
	ports []uint16
	pids  []uint32
	bins  []string
	nodes []uint32
	caps  []uint64
}

func newEventGen(h *ir.Hook, rng *rand.Rand) *eventGen {
	g := &eventGen{h: h, rng: rng, ints: map[int][]int64{}, strs: map[int][]string{},
		pids: []uint32{1, 2, 500}, bins: []string{"/bin/sh", ""}, nodes: []uint32{4026531840, 1}, caps: []uint64{0, 1, 1 << 21},
		addrs: []netip.Addr{netip.MustParseAddr("1.2.3.4"), netip.MustParseAddr("::1")}, ports: []uint16{0, 80, 1023, 1024, 65535}}
	for _, s := range h.Selectors {
		for _, t := range append(slices.Clone(s.Tests), s.ReturnTests...) {
			slot := t.Slot
			if t.Kind == ir.TestReturn {
				slot = -1
			}
			vals := slices.Clone(t.Values)
			if t.Map != nil {
				vals = append(vals, t.Map.Values...)
			}
			for _, v := range vals {
				switch v.Kind {
				case ir.ValInt, ir.ValRange:
					for _, x := range []int64{v.Int - 1, v.Int, v.Int + 1, v.Hi, v.Hi + 1} {
						g.ints[slot] = append(g.ints[slot], x)
					}
					if v.Int >= 0 && v.Int < 1<<32 {
						g.pids = append(g.pids, uint32(v.Int))
						g.nodes = append(g.nodes, uint32(v.Int))
					}
					if v.Int >= 0 && v.Int < 1<<16 {
						g.ports = append(g.ports, uint16(v.Int), uint16(v.Hi))
					}
				case ir.ValString:
					g.strs[slot] = append(g.strs[slot], v.Str, v.Str+"x", "x"+v.Str, strings.TrimSuffix(v.Str, v.Str[len(v.Str)/2:]))
					g.bins = append(g.bins, v.Str, v.Str+"a")
				case ir.ValPrefix:
					g.addrs = append(g.addrs, v.Net.Addr(), v.Net.Masked().Addr().Prev())
				}
			}
			if t.Mask != 0 {
				g.caps = append(g.caps, t.Mask, t.Mask&-t.Mask, ^t.Mask)
			}
		}
	}
	return g
}

func pick[T any](g *eventGen, from []T) T { return from[g.rng.IntN(len(from))] }

func (g *eventGen) value(slot int) ir.ArgValue {
	ints := append([]int64{0, -1, 1 << 40}, g.ints[slot]...)
	strs := append([]string{"", "/etc/passwd"}, g.strs[slot]...)
	addr := func() netip.Addr {
		if a := pick(g, g.addrs); a.IsValid() {
			return a
		}
		return netip.MustParseAddr("9.9.9.9")
	}
	return ir.ArgValue{
		Int:   pick(g, ints),
		Bytes: []byte(pick(g, strs)),
		Sock: &ir.Sock{Family: uint16(pick(g, []int{2, 10})), Protocol: uint16(pick(g, []int{6, 17})), State: uint8(g.rng.IntN(13)),
			SAddr: addr(), DAddr: addr(), SPort: pick(g, g.ports), DPort: pick(g, g.ports)},
	}
}

func (g *eventGen) event() *ir.Event {
	ev := &ir.Event{Return: g.value(-1)}
	for i := range g.h.Args {
		ev.Args = append(ev.Args, g.value(i))
	}
	ev.Host.NS = [ir.NumNamespaces]uint32{}
	for k := range ev.Host.NS {
		ev.Host.NS[k] = 4026531840 + uint32(k)
	}
	p := &ev.Process
	p.PID, p.NsPID, p.Binary = pick(g, g.pids), pick(g, g.pids), pick(g, g.bins)
	for k := range p.NS {
		p.NS[k] = pick(g, append(g.nodes, ev.Host.NS[k]))
		p.ExecNS[k] = pick(g, []uint32{p.NS[k], p.NS[k], 0, 7})
	}
	for i := range p.Caps {
		p.Caps[i], p.ExecCaps[i] = pick(g, g.caps), pick(g, g.caps)
	}
	for range g.rng.IntN(3) {
		p.Ancestors = append(p.Ancestors, ir.Ancestor{PID: pick(g, g.pids), NsPID: pick(g, g.pids), Binary: pick(g, g.bins),
			PidNS: pick(g, []uint32{p.NS[ir.NsPid], 1})})
	}
	return ev
}
