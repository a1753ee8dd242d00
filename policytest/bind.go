package policytest

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
)

// Bound is a case resolved against the lowered policy: the hook it runs
// at, the event Eval gets, and the outcome it expects.
type Bound struct {
	Case  *Case
	Hook  *ir.Hook
	Event *ir.Event
	Want  Outcome
}

// Outcome is what a hook does with an event, in the words of a test file.
// Fields a case does not give are not compared (nil).
type Outcome struct {
	// Selector is the index of the selector that matched, "none", or
	// "all" for a hook without selectors (every call matches).
	Selector      string    `json:"selector"`
	Actions       *[]string `json:"actions,omitempty"`
	ReturnActions *[]string `json:"returnActions,omitempty"`
	Posted        *bool     `json:"posted,omitempty"`
}

// Selector values of an Outcome besides an index.
const (
	SelectorNone = "none"
	SelectorAll  = "all"
)

// OutcomeOf turns Eval's result into an Outcome with every field set.
func OutcomeOf(r ir.Result) Outcome {
	o := Outcome{Selector: SelectorNone}
	switch {
	case r.Matched && r.Selector == nil:
		o.Selector = SelectorAll
	case r.Matched:
		o.Selector = strconv.Itoa(r.Selector.Index)
	}
	acts, racts := actionNames(r.Actions), actionNames(r.ReturnActions)
	o.Actions, o.ReturnActions, o.Posted = &acts, &racts, &r.Posted
	return o
}

// Only keeps the fields of o that want gives, for comparing.
func (o Outcome) Only(want Outcome) Outcome {
	if want.Actions == nil {
		o.Actions = nil
	}
	if want.ReturnActions == nil {
		o.ReturnActions = nil
	}
	if want.Posted == nil {
		o.Posted = nil
	}
	return o
}

func actionNames(as []*ir.Action) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Kind.String())
	}
	return out
}

// binder collects the diagnostics of binding one case.
type binder struct {
	c     *Case
	diags []compiler.Diagnostic
}

func (b *binder) errorf(p ir.Pos, code, hint, format string, args ...any) {
	b.diags = append(b.diags, compiler.Diagnostic{Code: code, Severity: compiler.Error, Pos: p,
		Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (b *binder) at(n *yaml.Node) ir.Pos { return pos(b.c.doc, n) }

// Bind resolves c against pol, the policy lowered as polc build lowers it:
// a hook, argument or value the policy does not have is an error at the
// case's line (or the offending entry's).
func Bind(c *Case, pol *ir.Policy) (*Bound, []compiler.Diagnostic) {
	b := &binder{c: c}
	h := b.hook(pol)
	if h == nil {
		return nil, b.diags
	}
	ev := &ir.Event{Args: make([]ir.ArgValue, len(h.Args))}
	// A socket not given is all zero: address family 0, no addresses.
	for _, a := range h.Args {
		if a.Type.Class() == ir.ClassNet {
			ev.Args[a.Slot].Sock = &ir.Sock{}
		}
	}
	if returnType(h).Class() == ir.ClassNet {
		ev.Return.Sock = &ir.Sock{}
	}
	b.process(&ev.Process)
	ev.Host.NS = b.namespaces(c.hostNamespaces, c.Pos)
	if c.args != nil {
		b.args(h, ev)
	}
	fileIdentities(h, ev)
	if c.ret != nil {
		typ := returnType(h)
		if typ == ir.TypeInvalid {
			b.errorf(b.at(c.ret), "test-unknown-arg", "only kretprobes (return: true) and hooks with matchReturnArgs have one",
				"hook %s has no return value", hookName(h))
		} else {
			ev.Return = b.value(c.ret, typ, "the return value")
		}
	}
	want := b.expect(h)
	if len(b.diags) > 0 {
		return nil, b.diags
	}
	return &Bound{Case: c, Hook: h, Event: ev, Want: want}, nil
}

// returnType is the type return tests see: the declared returnArg's, or
// the type of the hook's return tests.
func returnType(h *ir.Hook) ir.ArgType {
	if h.Ret != nil {
		return h.Ret.Type
	}
	for _, s := range h.Selectors {
		for _, t := range s.ReturnTests {
			return t.Type
		}
	}
	if h.Return {
		return ir.TypeLong
	}
	return ir.TypeInvalid
}

// HookNames are the spellings a case may use for h.
func HookNames(h *ir.Hook) []string {
	var names []string
	add := func(s string) {
		if s != "" && !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	add(h.Call)
	if h.List != "" {
		add("list:" + h.List)
	}
	switch h.Kind {
	case ir.HookUprobe, ir.HookUSDT:
		add(h.Target + ":" + h.Symbol)
		add(h.Symbol)
	default:
		add(h.Target)
	}
	return names
}

func hookName(h *ir.Hook) string { return HookNames(h)[0] }

func (b *binder) hook(pol *ir.Policy) *ir.Hook {
	c := b.c
	var cands []*ir.Hook
	for _, h := range pol.Hooks {
		if c.Hook == "" || slices.Contains(HookNames(h), c.Hook) {
			cands = append(cands, h)
		}
	}
	var all []string
	for _, h := range pol.Hooks {
		all = append(all, hookName(h))
	}
	where := c.HookPos
	if c.Hook == "" {
		where = c.Pos
	}
	switch {
	case len(cands) == 0 && len(pol.Hooks) == 0:
		b.errorf(where, "test-unknown-hook", "polc build drops hooks whose selectors can never match: see polc lint",
			"policy %s has no hooks left after lowering", pol.Name)
	case len(cands) == 0:
		b.errorf(where, "test-unknown-hook", "hooks of the policy: "+strings.Join(all, ", "),
			"policy %s has no hook %q", pol.Name, c.Hook)
	case c.HookIndex >= len(cands):
		b.errorf(where, "test-unknown-hook", "",
			"hookIndex %d, but %d hooks of policy %s are %q", c.HookIndex, len(cands), pol.Name, c.Hook)
	case c.HookIndex >= 0:
		return cands[c.HookIndex]
	case len(cands) == 1:
		return cands[0]
	case c.Hook == "":
		b.errorf(where, "test-ambiguous-hook", "hooks of the policy: "+strings.Join(all, ", "),
			"policy %s has %d hooks: name the case's hook", pol.Name, len(cands))
	default:
		b.errorf(where, "test-ambiguous-hook", "add hookIndex: 0 to "+strconv.Itoa(len(cands)-1)+", in the order of the policy",
			"%d hooks of policy %s are %q", len(cands), pol.Name, c.Hook)
	}
	return nil
}

func (b *binder) process(p *ir.Process) {
	rp := b.c.process
	if rp == nil {
		return
	}
	at := b.c.processPos
	if rp.Binary != nil {
		p.Binary = *rp.Binary
	}
	if rp.PID != nil {
		p.PID = *rp.PID
	}
	if rp.NsPID != nil {
		p.NsPID = *rp.NsPID
	}
	for _, a := range rp.Ancestors {
		p.Ancestors = append(p.Ancestors, ir.Ancestor{PID: a.PID, NsPID: a.NsPID, Binary: a.Binary, PidNS: a.PidNamespace})
	}
	if rp.ParentBinary != nil {
		switch {
		case len(p.Ancestors) == 0:
			p.Ancestors = []ir.Ancestor{{Binary: *rp.ParentBinary}}
		case p.Ancestors[0].Binary == "":
			p.Ancestors[0].Binary = *rp.ParentBinary
		case p.Ancestors[0].Binary != *rp.ParentBinary:
			b.errorf(at, "test-bad-value", "give the parent's binary once",
				"parentBinary %q and the first ancestor's binary %q differ", *rp.ParentBinary, p.Ancestors[0].Binary)
		}
	}
	p.NS = b.namespaces(rp.Namespaces, at)
	p.ExecNS = b.namespaces(rp.ExecNamespaces, at)
	p.Caps = b.capSets(rp.Capabilities, at)
	p.ExecCaps = b.capSets(rp.ExecCapabilities, at)
}

func (b *binder) namespaces(m map[string]uint32, at ir.Pos) [ir.NumNamespaces]uint32 {
	var out [ir.NumNamespaces]uint32
	for name, inode := range m {
		k, ok := ir.ParseNamespace(name)
		if !ok { // the schema lists the names; kept for callers without it
			b.errorf(at, "test-bad-value", "namespaces: "+strings.Join(ir.NamespaceNames(), ", "), "%q is not a namespace", name)
			continue
		}
		out[k] = inode
	}
	return out
}

func (b *binder) capSets(m map[string][]string, at ir.Pos) [3]uint64 {
	var out [3]uint64
	for name, caps := range m {
		set, ok := ir.ParseCapSet(name)
		if !ok {
			b.errorf(at, "test-bad-value", "sets: Effective, Inheritable, Permitted", "%q is not a capability set", name)
			continue
		}
		mask, err := capMask(caps)
		if err != nil {
			b.errorf(at, "test-bad-value", "capabilities are CAP_* names such as CAP_SYS_ADMIN", "%s capabilities: %v", set, err)
		}
		out[set] = mask
	}
	return out
}

func capMask(names []string) (uint64, error) {
	var m uint64
	for _, n := range names {
		c, err := ir.ParseCapability(n)
		if err != nil {
			return 0, err
		}
		m |= 1 << c
	}
	return m, nil
}

// args fills ev.Args from the case's mapping: keys are the policy's
// argument index (as in matchArgs) or label.
func (b *binder) args(h *ir.Hook, ev *ir.Event) {
	m := b.c.args
	if m.Kind != yaml.MappingNode {
		return // the schema has said so
	}
	given := map[int]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		a := findArg(h, k.Value)
		if a == nil {
			var have []string
			for _, a := range h.Args {
				s := strconv.Itoa(a.Index)
				if a.Label != "" {
					s += " (" + a.Label + ")"
				}
				have = append(have, s)
			}
			hint := "the hook reads no arguments"
			if len(have) > 0 {
				hint = "its arguments: " + strings.Join(have, ", ")
			}
			b.errorf(b.at(k), "test-unknown-arg", hint, "hook %s has no argument %q", hookName(h), k.Value)
			continue
		}
		if prev, dup := given[a.Slot]; dup {
			b.errorf(b.at(k), "test-bad-value", "give each argument once, by index or by label",
				"argument %d is given twice (also at line %d)", a.Index, prev.Line)
			continue
		}
		given[a.Slot] = k
		ev.Args[a.Slot] = b.value(v, a.Type, "argument "+k.Value)
	}
}

func findArg(h *ir.Hook, key string) *ir.Arg {
	for _, a := range h.Args {
		if a.Label != "" && a.Label == key {
			return a
		}
	}
	if n, err := strconv.Atoi(key); err == nil {
		for _, a := range h.Args {
			if a.Index == n {
				return a
			}
		}
	}
	return nil
}

// value converts one written value to the argument value of type t.
func (b *binder) value(n *yaml.Node, t ir.ArgType, what string) ir.ArgValue {
	bad := func(hint, format string, args ...any) ir.ArgValue {
		b.errorf(b.at(n), "test-bad-value", hint, "%s (%s): "+format, append([]any{what, t}, args...)...)
		return ir.ArgValue{}
	}
	if t == ir.TypeSockaddrUn {
		return b.unixAddr(n, what)
	}
	if t == ir.TypeDNS && n.Kind == yaml.ScalarNode {
		name, err := ir.DNSQueryName(n.Value)
		if err != nil {
			return bad("write the name a query asks for, such as www.example.com", "%v", err)
		}
		return ir.ArgValue{Bytes: name}
	}
	switch t.Class() {
	case ir.ClassNet:
		if n.Kind != yaml.MappingNode {
			return bad("write a socket as a mapping: {family: AF_INET, protocol: IPPROTO_TCP, daddr: 10.0.0.1, dport: 443}",
				"a socket is a mapping, not %s", kindWord(n))
		}
		s, err := sockOf(n, t)
		if err != nil {
			return bad("", "%v", err)
		}
		return ir.ArgValue{Sock: s}
	case ir.ClassPath:
		if n.Kind == yaml.MappingNode {
			v, err := fileOf(n)
			if err != nil {
				return bad("write a file with its type as a mapping, {path: /etc, type: dir}, or with the file it is, {path: /tmp/link, same: /usr/bin/true}", "%v", err)
			}
			return v
		}
	case ir.ClassCaps:
		if n.Kind == yaml.SequenceNode {
			var names []string
			for _, c := range n.Content {
				names = append(names, c.Value)
			}
			m, err := capMask(names)
			if err != nil {
				return bad("capabilities are CAP_* names such as CAP_SYS_ADMIN", "%v", err)
			}
			return ir.ArgValue{Int: int64(m)}
		}
	}
	if n.Kind != yaml.ScalarNode {
		return bad("", "want a single value, not %s", kindWord(n))
	}
	switch t.Class() {
	case ir.ClassString, ir.ClassPath:
		return ir.ArgValue{Bytes: []byte(n.Value)}
	case ir.ClassInt, ir.ClassCaps:
		v, err := ir.ParseArgValue(ir.OpEqual, t, n.Value)
		if err != nil {
			return bad("", "%v", err)
		}
		return ir.ArgValue{Int: v.Int}
	}
	// Types no test reads (pointers such as cred, module): the raw value.
	u, err := strconv.ParseInt(n.Value, 0, 64)
	if err != nil {
		return bad("tests cannot read this type; give an integer (the pointer) or leave it out", "%q is not an integer", n.Value)
	}
	return ir.ArgValue{Int: u}
}

func kindWord(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a scalar"
}

// fileOf reads a file mapping, {path: P, type: T, same: F}: the path, the
// type of its inode, which FileType tests, and the file it is (a hard link
// or a bind mount of file F: its identity is F's), which SameFile tests
// (the schema checked its keys).
func fileOf(n *yaml.Node) (ir.ArgValue, error) {
	var v ir.ArgValue
	var path, typ, same bool
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i].Value, deref(n.Content[i+1])
		switch k {
		case "path":
			v.Bytes, path = []byte(val.Value), true
		case "type":
			m, ok := ir.FileTypes[val.Value]
			if !ok {
				return v, fmt.Errorf("%q is not a file type: write reg, dir, lnk, chr, blk, fifo or sock", val.Value)
			}
			v.Mode, typ = uint16(m), true
		case "same":
			if val.Value == "" {
				return v, fmt.Errorf("same names the file this one is, by a path")
			}
			v.File, same = TestFileID(val.Value), true
		default:
			return v, fmt.Errorf("a file has a path, a type and the file it is the same as (same), not %s", k)
		}
	}
	if !path || !typ && !same {
		return v, fmt.Errorf("a file mapping needs a path, and a type or the file it is the same as (same)")
	}
	return v, nil
}

// TestFileID is the identity tests give the file at path (the file a
// SameFile value names, the file of a file argument's path unless its
// case says which file it is with same): an inode number drawn from the
// path, on device 8:1. Tests run on no machine's files, so two paths are
// two files unless a case says otherwise.
func TestFileID(path string) ir.FileID {
	h := fnv.New64a()
	h.Write([]byte(path))
	return ir.FileID{Ino: h.Sum64() | 1, Dev: 8<<20 | 1}
}

// fileIdentities gives the file and path arguments of ev that have a path
// and no identity the identity of the file at their path, and ev's host
// the identities of the files h's SameFile tests name.
func fileIdentities(h *ir.Hook, ev *ir.Event) {
	for _, a := range h.Args {
		v := &ev.Args[a.Slot]
		if a.Type.Class() == ir.ClassPath && len(v.Bytes) > 0 && v.File == (ir.FileID{}) {
			v.File = TestFileID(string(v.Bytes))
		}
	}
	for _, s := range h.Selectors {
		for _, t := range s.Tests {
			if t.Op != ir.OpSameFile && t.Op != ir.OpNotSameFile {
				continue
			}
			vals := t.Values
			if t.Map != nil {
				vals = append(append([]ir.Value(nil), vals...), t.Map.Values...)
			}
			for _, val := range vals {
				if ev.Host.Files == nil {
					ev.Host.Files = map[string]ir.FileID{}
				}
				ev.Host.Files[val.Str] = TestFileID(val.Str)
			}
		}
	}
}

// sockOf reads a socket mapping (the schema checked its keys).
// unixAddr reads a sockaddr_un: a path (an AF_UNIX address), or a mapping
// {family: AF_UNIX, path: /run/x.sock}. An abstract name is its path
// without the leading NUL (or @), as the program reads and compares it.
func (b *binder) unixAddr(n *yaml.Node, what string) ir.ArgValue {
	bad := func(format string, args ...any) ir.ArgValue {
		b.errorf(b.at(n), "test-bad-value", "write a Unix socket address as its path, or as a mapping: {family: AF_UNIX, path: /run/x.sock}",
			"%s (sockaddr_un): "+format, append([]any{what}, args...)...)
		return ir.ArgValue{}
	}
	v := ir.ArgValue{Sock: &ir.Sock{Family: uint16(ir.Families["AF_UNIX"])}}
	switch n.Kind {
	case yaml.ScalarNode:
		v.Bytes = []byte(n.Value)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i].Value, deref(n.Content[i+1])
			switch k {
			case "family":
				f, err := namedNumber(val.Value, ir.Families, math.MaxUint16, "an address family such as AF_UNIX")
				if err != nil {
					return bad("family: %v", err)
				}
				v.Sock.Family = f
			case "path":
				v.Bytes = []byte(val.Value)
			default:
				return bad("%q is not family or path", k)
			}
		}
	default:
		return bad("want a path or a mapping, not %s", kindWord(n))
	}
	if len(v.Bytes) > ir.MaxUnixPathLen {
		return bad("a path of %d bytes is longer than the %d bytes a sockaddr_un holds", len(v.Bytes), ir.MaxUnixPathLen)
	}
	return v
}

func sockOf(n *yaml.Node, t ir.ArgType) (*ir.Sock, error) {
	s := &ir.Sock{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, deref(n.Content[i+1])
		var err error
		switch k {
		case "family":
			s.Family, err = namedNumber(v.Value, ir.Families, math.MaxUint16, "an address family such as AF_INET")
		case "protocol":
			s.Protocol, err = namedNumber(v.Value, ir.Protocols, math.MaxUint16, "a protocol such as IPPROTO_TCP")
		case "state":
			var st uint16
			st, err = namedNumber(v.Value, ir.TCPStates, math.MaxUint8, "a TCP state such as TCP_ESTABLISHED")
			s.State = uint8(st)
		case "saddr", "addr":
			s.SAddr, err = addr(v.Value)
		case "daddr":
			s.DAddr, err = addr(v.Value)
		case "sport", "port":
			s.SPort, err = namedNumber(v.Value, nil, math.MaxUint16, "a port")
		case "dport":
			s.DPort, err = namedNumber(v.Value, nil, math.MaxUint16, "a port")
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	if t == ir.TypeSockaddr && (s.DAddr.IsValid() || s.DPort != 0) {
		return nil, fmt.Errorf("a sockaddr holds one address: write addr and port")
	}
	if s.Family == 0 {
		// What a socket of that address would be: tests of Family see it.
		switch {
		case s.SAddr.Is4() || s.DAddr.Is4():
			s.Family = uint16(ir.Families["AF_INET"])
		case s.SAddr.Is6() || s.DAddr.Is6():
			s.Family = uint16(ir.Families["AF_INET6"])
		}
	}
	return s, nil
}

func namedNumber(s string, names map[string]int, max uint64, want string) (uint16, error) {
	if n, ok := names[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return uint16(n), nil
	}
	u, err := strconv.ParseUint(strings.TrimSpace(s), 0, 32)
	if err != nil || u > max {
		return 0, fmt.Errorf("%q is not %s", s, want)
	}
	return uint16(u), nil
}

func addr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address", s)
	}
	return a, nil
}

// expect reads the expected outcome, checking selector indexes and action
// names against the hook.
func (b *binder) expect(h *ir.Hook) Outcome {
	e := b.c.expect
	o := Outcome{Actions: e.Actions, ReturnActions: e.ReturnActions, Posted: e.Posted}
	sel := deref(&e.Selector)
	o.Selector = sel.Value
	if sel.Tag == "!!int" {
		i, _ := strconv.Atoi(sel.Value)
		o.Selector = strconv.Itoa(i) // 007 is 7
		if len(h.Selectors) == 0 {
			b.errorf(b.at(sel), "test-bad-expect", "expect selector: all (a hook without selectors matches every call)",
				"hook %s has no selectors", hookName(h))
		}
	}
	for _, list := range []*[]string{e.Actions, e.ReturnActions} {
		if list == nil {
			continue
		}
		for i, name := range *list {
			k, ok := ir.ParseAction(name)
			if !ok {
				b.errorf(b.expectPos(), "test-bad-expect", "actions are named as in matchActions: Post, Sigkill, Override, ...",
					"%q is not an action", name)
				continue
			}
			(*list)[i] = k.String()
		}
	}
	return o
}

func (b *binder) expectPos() ir.Pos { return b.c.expectPos }
