package policytest

import (
	"bytes"
	"fmt"
	"net/netip"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/ir"
)

// Generate writes a starting test file for pol, a lowered policy read from
// policyFile (written into the file relative to testFile's directory). For
// each selector it builds an event that the selector matches (a witness),
// then varies one filter at a time with values derived from the policy's
// own: each value, just inside and just outside ranges, prefixes and
// CIDRs, the other side of negated operators. Each case's expectation is
// ir.Eval's answer: the file is a description of what the policy does now,
// for the user to read, keep and edit, not a proof that it is right.
func Generate(pol *ir.Policy, policyFile, testFile string) ([]byte, error) {
	g := &generator{pol: pol, names: map[string]int{}}
	for _, h := range pol.Hooks {
		if err := g.hook(h); err != nil {
			return nil, err
		}
	}
	doc := genFile{APIVersion: "polc.dev/v1alpha1", Kind: "PolicyTest", Cases: g.cases}
	if rel, err := filepath.Rel(filepath.Dir(testFile), policyFile); err == nil && DefaultPolicyPath(testFile) != policyFile {
		doc.Policy = filepath.ToSlash(rel)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Written by polc test --generate: cases derived from the values of policy %s.\n", pol.Name)
	buf.WriteString("# Each expectation is what polc's reference semantics (ir.Eval) answer today:\n")
	buf.WriteString("# read them, keep the cases that say what you mean, fix the ones that do not.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("policytest: generate: %w", err)
	}
	return buf.Bytes(), enc.Close()
}

type genFile struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Policy     string    `yaml:"policy,omitempty"`
	Cases      []genCase `yaml:"cases"`
}

type genCase struct {
	Name           string            `yaml:"name"`
	Hook           string            `yaml:"hook,omitempty"`
	HookIndex      *int              `yaml:"hookIndex,omitempty"`
	Process        *genProcess       `yaml:"process,omitempty,flow"`
	HostNamespaces map[string]uint32 `yaml:"hostNamespaces,omitempty"`
	Args           *yaml.Node        `yaml:"args,omitempty"`
	Return         any               `yaml:"return,omitempty"`
	Expect         genExpect         `yaml:"expect"`
}

type genProcess struct {
	Binary           string              `yaml:"binary,omitempty"`
	PID              uint32              `yaml:"pid,omitempty"`
	NsPID            uint32              `yaml:"nsPid,omitempty"`
	Ancestors        []genAncestor       `yaml:"ancestors,omitempty"`
	Namespaces       map[string]uint32   `yaml:"namespaces,omitempty"`
	ExecNamespaces   map[string]uint32   `yaml:"execNamespaces,omitempty"`
	Capabilities     map[string][]string `yaml:"capabilities,omitempty"`
	ExecCapabilities map[string][]string `yaml:"execCapabilities,omitempty"`
}

type genAncestor struct {
	Binary       string `yaml:"binary,omitempty"`
	PID          uint32 `yaml:"pid,omitempty"`
	NsPID        uint32 `yaml:"nsPid,omitempty"`
	PidNamespace uint32 `yaml:"pidNamespace,omitempty"`
}

type genExpect struct {
	Selector      any      `yaml:"selector"`
	Actions       []string `yaml:"actions,flow"`
	ReturnActions []string `yaml:"returnActions,flow,omitempty"`
	Posted        bool     `yaml:"posted"`
}

type generator struct {
	pol   *ir.Policy
	cases []genCase
	names map[string]int
}

// hostNS is a namespace inode for generated events that need one. Events
// leave namespaces at 0 unless a filter looks at them: then the process is
// in the host's (0 = 0).
const hostNS = 4026531830

// baseEvent is an ordinary process, with zero arguments.
func baseEvent(h *ir.Hook) *ir.Event {
	ev := &ir.Event{Args: make([]ir.ArgValue, len(h.Args))}
	ev.Process = ir.Process{PID: 4242, Binary: "/usr/bin/example"}
	for _, a := range h.Args {
		switch {
		case a.Type.Class() == ir.ClassNet:
			ev.Args[a.Slot].Sock = &ir.Sock{}
		case a.Type == ir.TypeSockaddrUn:
			ev.Args[a.Slot].Sock = &ir.Sock{Family: uint16(ir.Families["AF_UNIX"])}
		}
	}
	if h.Ret != nil && h.Ret.Type.Class() == ir.ClassNet {
		ev.Return.Sock = &ir.Sock{}
	}
	return ev
}

// mutation changes one thing of an event; what says what, for case names.
type mutation struct {
	what string
	fn   func(*ir.Event)
}

func (g *generator) hook(h *ir.Hook) error {
	base := baseEvent(h)
	var events []*ir.Event
	add := func(name string, ev *ir.Event) error {
		if slices.ContainsFunc(events, func(e *ir.Event) bool { return reflect.DeepEqual(e, ev) }) {
			return nil
		}
		events = append(events, ev)
		return g.addCase(h, name, ev)
	}
	if err := add("an ordinary call", base); err != nil {
		return err
	}
	for _, s := range h.Selectors {
		// The witness: for each filter, the first candidate that keeps
		// every filter so far passing.
		w := cloneEvent(base)
		for i, t := range s.Tests {
			for _, m := range candidates(h, t) {
				try := cloneEvent(w)
				m.fn(try)
				if allPass(h, s.Tests[:i+1], try) {
					w = try
					break
				}
			}
		}
		for _, t := range s.ReturnTests {
			for _, m := range candidates(h, t) {
				try := cloneEvent(w)
				m.fn(try)
				if ok, err := ir.EvalTest(h, t, try); err == nil && ok {
					w = try
					break
				}
			}
		}
		if err := add(fmt.Sprintf("selector %d matches", s.Index), w); err != nil {
			return err
		}
		for _, t := range slices.Concat(s.Tests, s.ReturnTests) {
			for _, m := range candidates(h, t) {
				ev := cloneEvent(w)
				m.fn(ev)
				if err := add(fmt.Sprintf("selector %d, %s", s.Index, m.what), ev); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func allPass(h *ir.Hook, ts []*ir.Test, ev *ir.Event) bool {
	for _, t := range ts {
		if ok, err := ir.EvalTest(h, t, ev); err != nil || !ok {
			return false
		}
	}
	return true
}

func cloneEvent(ev *ir.Event) *ir.Event {
	c := *ev
	c.Args = slices.Clone(ev.Args)
	for i := range c.Args {
		c.Args[i].Bytes = slices.Clone(c.Args[i].Bytes)
		if s := c.Args[i].Sock; s != nil {
			cp := *s
			c.Args[i].Sock = &cp
		}
	}
	if s := c.Return.Sock; s != nil {
		cp := *s
		c.Return.Sock = &cp
	}
	c.Process.Ancestors = slices.Clone(ev.Process.Ancestors)
	return &c
}

// candidates are the boundary values of a filter, as mutations.
func candidates(h *ir.Hook, t *ir.Test) []mutation {
	vals := slices.Clone(t.Values)
	if t.Map != nil {
		vals = append(vals, t.Map.Values...)
	}
	var out []mutation
	switch t.Kind {
	case ir.TestArg, ir.TestReturn:
		name := "the return value"
		get := func(ev *ir.Event) *ir.ArgValue { return &ev.Return }
		if t.Kind == ir.TestArg {
			slot := t.Slot
			if slot < 0 || slot >= len(h.Args) {
				return nil
			}
			name = "argument " + argKey(h.Args[slot])
			get = func(ev *ir.Event) *ir.ArgValue { return &ev.Args[slot] }
		}
		if t.Op == ir.OpCelExpr {
			return celCandidates(h, t)
		}
		if t.Op == ir.OpCapabilitiesGained {
			slot2 := t.Slot2
			return []mutation{
				{name + " gains CAP_SYS_ADMIN", func(ev *ir.Event) { get(ev).Int = 1 << 21; ev.Args[slot2].Int = 0 }},
				{name + " gains nothing", func(ev *ir.Event) { get(ev).Int = 1 << 21; ev.Args[slot2].Int = 1 << 21 }},
			}
		}
		return valueCandidates(t, vals, name, get)
	case ir.TestPID:
		set := func(ev *ir.Event, pid uint32) {
			if t.NamespacePID {
				ev.Process.NsPID = pid
			} else {
				ev.Process.PID = pid
			}
		}
		for _, v := range vals {
			pid := uint32(v.Int)
			out = append(out,
				mutation{fmt.Sprintf("PID %d (%s %d)", pid, t.Op, pid), func(ev *ir.Event) { set(ev, pid) }},
				mutation{fmt.Sprintf("PID %d (next to %s %d)", pid+1, t.Op, pid), func(ev *ir.Event) { set(ev, pid+1) }})
		}
	case ir.TestBinary:
		for _, v := range vals {
			for _, s := range stringVariants(ir.OpEqual, t.Op, v.Str) {
				s := s
				out = append(out, mutation{fmt.Sprintf("binary %q (%s %q)", s.s, t.Op, v.Str), func(ev *ir.Event) { ev.Process.Binary = s.s }})
				if t.FollowChildren && s.inside {
					out = append(out, mutation{fmt.Sprintf("parent binary %q (%s %q, followChildren)", s.s, t.Op, v.Str), func(ev *ir.Event) {
						ev.Process.Ancestors = []ir.Ancestor{{PID: 4000, Binary: s.s}}
					}})
				}
			}
		}
	case ir.TestNamespace:
		k := t.Namespace
		for _, v := range vals {
			ino := uint32(v.Int)
			out = append(out,
				mutation{fmt.Sprintf("%s namespace %d (%s)", k, ino, t.Op), func(ev *ir.Event) { ev.Process.NS[k] = ino }},
				mutation{fmt.Sprintf("%s namespace %d (next to %s %d)", k, ino+1, t.Op, ino), func(ev *ir.Event) { ev.Process.NS[k] = ino + 1 }})
		}
		if t.HostNS {
			out = append(out,
				mutation{fmt.Sprintf("the host's %s namespace (%s host_ns)", k, t.Op), func(ev *ir.Event) { ev.Process.NS[k] = ev.Host.NS[k] }},
				mutation{fmt.Sprintf("another %s namespace than the host's (%s host_ns)", k, t.Op), func(ev *ir.Event) { ev.Process.NS[k] = ev.Host.NS[k] + hostNS }})
		}
	case ir.TestCaps:
		userNS := func(ev *ir.Event) {
			if t.NamespaceCap {
				ev.Process.NS[ir.NsUser] = ev.Host.NS[ir.NsUser] + hostNS
			}
		}
		for c := 0; c < 64; c++ {
			if t.Mask&(1<<c) != 0 {
				bit := uint64(1) << c
				out = append(out, mutation{fmt.Sprintf("%s holds %s (%s)", t.CapSet, ir.CapabilityName(c), t.Op), func(ev *ir.Event) {
					ev.Process.Caps[t.CapSet] |= bit
					userNS(ev)
				}})
			}
		}
		out = append(out, mutation{fmt.Sprintf("%s holds none of them (%s)", t.CapSet, t.Op), func(ev *ir.Event) {
			ev.Process.Caps[t.CapSet] &^= t.Mask
			userNS(ev)
		}})
	case ir.TestCapChange:
		for c := 0; c < 64; c++ {
			if t.Mask&(1<<c) != 0 {
				bit := uint64(1) << c
				out = append(out, mutation{fmt.Sprintf("%s gained %s since exec (%s)", t.CapSet, ir.CapabilityName(c), t.Op), func(ev *ir.Event) {
					ev.Process.ExecCaps[t.CapSet] &^= bit
					ev.Process.Caps[t.CapSet] |= bit
					if t.NamespaceCap {
						ev.Process.NS[ir.NsUser] = ev.Host.NS[ir.NsUser] + hostNS
					}
				}})
			}
		}
		out = append(out, mutation{fmt.Sprintf("%s changed in another capability since exec (%s)", t.CapSet, t.Op), func(ev *ir.Event) {
			other := ^t.Mask & -(^t.Mask) // the lowest capability not listed
			ev.Process.ExecCaps[t.CapSet] &^= other
			ev.Process.Caps[t.CapSet] |= other
		}})
	case ir.TestNSChange:
		for k := ir.Namespace(0); k < ir.NumNamespaces; k++ {
			listed := t.Mask&(1<<k) != 0
			k := k
			note := "listed"
			if !listed {
				note = "not listed"
			}
			out = append(out, mutation{fmt.Sprintf("%s namespace changed since exec (%s, %s)", k, note, t.Op), func(ev *ir.Event) {
				ev.Process.ExecNS[k] = hostNS + uint32(k)
				ev.Process.NS[k] = ev.Process.ExecNS[k] + 1000
			}})
			if !listed {
				break // one kind not listed is enough
			}
		}
	}
	return out
}

type variant struct {
	s      string
	inside bool // the variant matches the value
}

// stringVariants: the value, and strings just outside it for op.
func stringVariants(_, op ir.Op, v string) []variant {
	out := []variant{{v, true}}
	switch op {
	case ir.OpPrefix, ir.OpNotPrefix:
		out = append(out, variant{v + "x", true})
		if v != "" {
			out = append(out, variant{v[:len(v)-1], false})
		}
	case ir.OpPostfix, ir.OpNotPostfix:
		out = append(out, variant{"x" + v, true})
		if v != "" {
			out = append(out, variant{v[1:], false})
		}
	default:
		out = append(out, variant{v + "x", false})
		if v != "" {
			out = append(out, variant{v[:len(v)-1], false})
		}
	}
	return out
}

func valueCandidates(t *ir.Test, vals []ir.Value, name string, get func(*ir.Event) *ir.ArgValue) []mutation {
	var out []mutation
	typ := t.Type
	sock := func(ev *ir.Event) *ir.Sock {
		a := get(ev)
		if a.Sock == nil {
			a.Sock = &ir.Sock{}
		}
		return a.Sock
	}
	num := func(v int64) string { return ir.FormatValue(ir.Value{Kind: ir.ValInt, Int: v}, typ) }
	switch t.Op {
	case ir.OpSPortPriv, ir.OpNotSPortPriv, ir.OpDPortPriv, ir.OpNotDPortPriv:
		src := t.Op == ir.OpSPortPriv || t.Op == ir.OpNotSPortPriv
		for _, p := range []uint16{1023, 1024} {
			p := p
			out = append(out, mutation{fmt.Sprintf("%s port %d (%s)", name, p, t.Op), func(ev *ir.Event) {
				if src {
					sock(ev).SPort = p
				} else {
					sock(ev).DPort = p
				}
			}})
		}
		return out
	}
	for _, v := range vals {
		desc := t.Op.String() + " " + ir.FormatValue(v, typ)
		switch t.Op {
		case ir.OpSAddr, ir.OpNotSAddr, ir.OpDAddr, ir.OpNotDAddr:
			if v.Kind != ir.ValPrefix {
				continue
			}
			src := t.Op == ir.OpSAddr || t.Op == ir.OpNotSAddr
			for _, a := range prefixEdges(v.Net) {
				a := a
				out = append(out, mutation{fmt.Sprintf("%s address %s (%s)", name, a, desc), func(ev *ir.Event) {
					s := sock(ev)
					if src {
						s.SAddr = a
					} else {
						s.DAddr = a
					}
					s.Family = familyOf(a)
				}})
			}
		case ir.OpSPort, ir.OpNotSPort, ir.OpDPort, ir.OpNotDPort, ir.OpProtocol, ir.OpFamily, ir.OpState:
			for _, n := range rangeEdges(v, 0, 65535) {
				n := n
				field := strings.ToLower(strings.TrimPrefix(t.Op.String(), "Not"))
				out = append(out, mutation{fmt.Sprintf("%s %s %d (%s)", name, field, n, desc), func(ev *ir.Event) {
					s := sock(ev)
					switch t.Op {
					case ir.OpSPort, ir.OpNotSPort:
						s.SPort = uint16(n)
					case ir.OpDPort, ir.OpNotDPort:
						s.DPort = uint16(n)
					case ir.OpProtocol:
						s.Protocol = uint16(n)
					case ir.OpFamily:
						s.Family = uint16(n)
					case ir.OpState:
						s.State = uint8(n)
					}
				}})
			}
		default:
			switch c := typ.Class(); {
			case c == ir.ClassString || c == ir.ClassPath:
				if v.Kind != ir.ValString {
					continue
				}
				for _, s := range stringVariants(ir.OpEqual, t.Op, v.Str) {
					b := []byte(s.s)
					out = append(out, mutation{fmt.Sprintf("%s %q (%s)", name, s.s, desc), func(ev *ir.Event) { get(ev).Bytes = slices.Clone(b) }})
				}
			default:
				var ns []int64
				switch {
				case t.Op == ir.OpMask && v.Kind == ir.ValInt:
					ns = []int64{v.Int, 0}
				case t.Op == ir.OpGT || t.Op == ir.OpLT:
					ns = []int64{v.Int - 1, v.Int, v.Int + 1}
				case v.Kind == ir.ValInt || v.Kind == ir.ValRange:
					ns = rangeEdges(v, -1<<63, 1<<63-1)
				}
				for _, n := range ns {
					n := ir.FitInt(typ, n)
					out = append(out, mutation{fmt.Sprintf("%s %s (%s)", name, num(n), desc), func(ev *ir.Event) { get(ev).Int = n }})
				}
			}
		}
	}
	return out
}

// rangeEdges: a range's ends and the numbers just outside, within lo..hi.
func rangeEdges(v ir.Value, lo, hi int64) []int64 {
	a, b := v.Int, v.Int
	if v.Kind == ir.ValRange {
		b = v.Hi
	}
	out := []int64{a}
	if b != a {
		out = append(out, b)
	}
	if a > lo {
		out = append(out, a-1)
	}
	if b < hi {
		out = append(out, b+1)
	}
	return out
}

// prefixEdges: the first address of a prefix and the address after its
// last.
func prefixEdges(p netip.Prefix) []netip.Addr {
	first := p.Masked().Addr()
	out := []netip.Addr{first}
	last := first
	bits := first.BitLen() - p.Bits()
	b := last.AsSlice()
	for i := len(b) - 1; i >= 0 && bits > 0; i-- {
		n := min(bits, 8)
		b[i] |= byte(1<<n - 1)
		bits -= n
	}
	last, _ = netip.AddrFromSlice(b)
	if next := last.Next(); next.IsValid() {
		out = append(out, next)
	}
	if prev := first.Prev(); prev.IsValid() && p.Bits() > 0 {
		out = append(out, prev)
	}
	return out
}

func familyOf(a netip.Addr) uint16 {
	if a.Is4() {
		return uint16(ir.Families["AF_INET"])
	}
	return uint16(ir.Families["AF_INET6"])
}

// addCase evaluates ev and records it as a case.
func (g *generator) addCase(h *ir.Hook, name string, ev *ir.Event) error {
	// The identities of files, as the case will give them when read back
	// (a file is the file at its path), on a copy: ev may be mutated again.
	withIDs := *ev
	withIDs.Args = slices.Clone(ev.Args)
	fileIdentities(h, &withIDs)
	res, err := ir.Eval(h, &withIDs)
	if err != nil {
		return fmt.Errorf("policytest: generate %s: %w", name, err)
	}
	o := OutcomeOf(res)
	if len(g.pol.Hooks) > 1 {
		name = hookName(h) + ": " + name
	}
	if n := g.names[name]; n > 0 {
		g.names[name]++
		name = fmt.Sprintf("%s #%d", name, n+1)
	} else {
		g.names[name] = 1
	}
	c := genCase{Name: name, Hook: hookName(h), Expect: genExpect{Actions: *o.Actions, Posted: *o.Posted}}
	if same := g.sameName(h); len(same) > 1 {
		i := slices.Index(same, h)
		c.HookIndex = &i
	}
	if len(g.pol.Hooks) == 1 {
		c.Hook = ""
	}
	if i, err := strconv.Atoi(o.Selector); err == nil {
		c.Expect.Selector = i
	} else {
		c.Expect.Selector = o.Selector
	}
	if returns(h) {
		c.Expect.ReturnActions = *o.ReturnActions
		if c.Expect.ReturnActions == nil {
			c.Expect.ReturnActions = []string{}
		}
	}
	c.Process, c.HostNamespaces = processOf(ev)
	c.Args = argsOf(h, ev)
	if returns(h) {
		c.Return = valueOf(returnType(h), ev.Return)
	}
	g.cases = append(g.cases, c)
	return nil
}

// sameName: the hooks of the policy a case would name as h's.
func (g *generator) sameName(h *ir.Hook) []*ir.Hook {
	var out []*ir.Hook
	for _, o := range g.pol.Hooks {
		if slices.Contains(HookNames(o), hookName(h)) {
			out = append(out, o)
		}
	}
	return out
}

func returns(h *ir.Hook) bool {
	return returnType(h) != ir.TypeInvalid && slices.ContainsFunc(h.Selectors, func(s *ir.Selector) bool {
		return len(s.ReturnTests) > 0 || len(s.ReturnActions) > 0
	})
}

func argKey(a *ir.Arg) string {
	if a.Label != "" {
		return a.Label
	}
	return strconv.Itoa(a.Index)
}

func argsOf(h *ir.Hook, ev *ir.Event) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, a := range h.Args {
		v := valueOf(a.Type, ev.Args[a.Slot])
		if v == nil {
			continue
		}
		var k, vn yaml.Node
		if err := k.Encode(argKey(a)); err != nil {
			continue
		}
		if a.Label == "" {
			k = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: argKey(a)}
		}
		if err := vn.Encode(v); err != nil {
			continue
		}
		m.Content = append(m.Content, &k, &vn)
	}
	if len(m.Content) == 0 {
		return nil
	}
	return m
}

// valueOf is how a test file writes v of type t; nil for a zero value.
func valueOf(t ir.ArgType, v ir.ArgValue) any {
	if t == ir.TypeSockaddrUn && v.Sock != nil && int(v.Sock.Family) != ir.Families["AF_UNIX"] {
		return map[string]any{"family": nameOf(ir.Families, int(v.Sock.Family)), "path": string(v.Bytes)}
	}
	switch t.Class() {
	case ir.ClassString, ir.ClassPath:
		if len(v.Bytes) == 0 {
			return nil
		}
		return string(v.Bytes)
	case ir.ClassNet:
		s := v.Sock
		if s == nil || *s == (ir.Sock{}) {
			return nil
		}
		m := yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		kv := func(k string, val any) {
			var kn, vn yaml.Node
			kn.Encode(k)
			vn.Encode(val)
			m.Content = append(m.Content, &kn, &vn)
		}
		if s.Family != 0 {
			kv("family", nameOf(ir.Families, int(s.Family)))
		}
		if s.Protocol != 0 {
			kv("protocol", nameOf(ir.Protocols, int(s.Protocol)))
		}
		if s.State != 0 {
			kv("state", nameOf(ir.TCPStates, int(s.State)))
		}
		sa, sp := "saddr", "sport"
		if t == ir.TypeSockaddr {
			sa, sp = "addr", "port"
		}
		if s.SAddr.IsValid() {
			kv(sa, s.SAddr.String())
		}
		if s.DAddr.IsValid() {
			kv("daddr", s.DAddr.String())
		}
		if s.SPort != 0 {
			kv(sp, int(s.SPort))
		}
		if s.DPort != 0 {
			kv("dport", int(s.DPort))
		}
		return &m
	case ir.ClassCaps:
		if v.Int == 0 {
			return nil
		}
		return capNames(uint64(v.Int))
	case ir.ClassInt:
		if v.Int == 0 {
			return nil
		}
		x := ir.FitInt(t, v.Int)
		if !t.Signed() && x < 0 {
			return uint64(x)
		}
		return x
	}
	if v.Int == 0 {
		return nil
	}
	return v.Int
}

func nameOf(names map[string]int, n int) any {
	var found []string
	for k, v := range names {
		if v == n {
			found = append(found, k)
		}
	}
	if len(found) == 0 {
		return n
	}
	slices.Sort(found)
	return found[0]
}

func capNames(m uint64) []string {
	var out []string
	for c := 0; c < 64; c++ {
		if m&(1<<c) != 0 {
			if n := ir.CapabilityName(c); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

func processOf(ev *ir.Event) (*genProcess, map[string]uint32) {
	p := ev.Process
	gp := &genProcess{Binary: p.Binary, PID: p.PID, NsPID: p.NsPID}
	for _, a := range p.Ancestors {
		gp.Ancestors = append(gp.Ancestors, genAncestor{Binary: a.Binary, PID: a.PID, NsPID: a.NsPID, PidNamespace: a.PidNS})
	}
	ns := func(v [ir.NumNamespaces]uint32) map[string]uint32 {
		m := map[string]uint32{}
		for k, ino := range v {
			if ino != 0 {
				m[ir.Namespace(k).String()] = ino
			}
		}
		return m
	}
	gp.Namespaces, gp.ExecNamespaces = ns(p.NS), ns(p.ExecNS)
	caps := func(v [3]uint64) map[string][]string {
		m := map[string][]string{}
		for set, mask := range v {
			if mask != 0 {
				m[ir.CapSet(set).String()] = capNames(mask)
			}
		}
		return m
	}
	gp.Capabilities, gp.ExecCapabilities = caps(p.Caps), caps(p.ExecCaps)
	return gp, ns(ev.Host.NS)
}
