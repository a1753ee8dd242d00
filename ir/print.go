package ir

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The text form of a policy is line-oriented: one node per line, children
// indented by two spaces, every line that stands for a YAML node ending in
// "@file:line:col". It is the one printer of the IR: String, polc dump
// --stage ir and the golden files all use it, so it must stay stable.
// Orders that carry meaning (hooks, arguments, selectors, tests, actions,
// values as normalized) are kept; maps are sorted by name.
//
//	policy NAME arch=ARCH [namespace=NS] [loader] @POS
//	  map NAME KIND key=BYTES max=ENTRIES @POS
//	    values V...
//	  enforcer TARGET [call=CALL] [list=LIST] [syscall abi=ABI] @POS
//	  hook ID KIND TARGET [symbol=SYM] ... [syscall abi=ABI] [return] [ignore-missing] @POS
//	    message "TEXT"
//	    tags "TAG"...
//	    arg SLOT index=N TYPE [label="L"] [size=slot N|size=return|size=raw N] [elems=N] [returncopy] [maxdata] [resolve=A.B] @POS
//	    ret TYPE @POS
//	    retaction TrackSock
//	    selector INDEX @POS
//	      TEST @POS           (entry tests; ANDed)
//	      action KIND ... @POS
//	      return TEST @POS    (matchReturnArgs)
//	      return-action KIND ... @POS

// String returns the text form of p.
func (p *Policy) String() string {
	var b strings.Builder
	Fprint(&b, p)
	return b.String()
}

// Fprint writes the text form of p to w.
func Fprint(w io.Writer, p *Policy) error {
	return FprintWith(w, p, PrintOptions{})
}

// PrintOptions choose what the text form leaves out.
type PrintOptions struct {
	// NoPos leaves out the " @file:line:col" ending lines: golden files and
	// diffs then change when the IR does, not when a comment line is added
	// above a policy or the file is named by another path.
	NoPos bool
}

// FprintWith writes the text form of p to w, as o asks.
func FprintWith(w io.Writer, p *Policy, o PrintOptions) error {
	bw := bufio.NewWriter(w)
	pr := &printer{w: bw, noPos: o.NoPos}
	pr.policy(p)
	return bw.Flush()
}

type printer struct {
	w     *bufio.Writer
	noPos bool
}

// line writes one line: indentation, the words, and the position.
func (pr *printer) line(depth int, pos *Pos, words ...string) {
	pr.w.WriteString(strings.Repeat("  ", depth))
	first := true
	for _, w := range words {
		if w == "" {
			continue
		}
		if !first {
			pr.w.WriteByte(' ')
		}
		pr.w.WriteString(w)
		first = false
	}
	if pos != nil && !pr.noPos {
		pr.w.WriteString(" @")
		pr.w.WriteString(pos.String())
	}
	pr.w.WriteByte('\n')
}

// flag returns name when b is set.
func flag(b bool, name string) string {
	if b {
		return name
	}
	return ""
}

func kv(key, val string) string {
	if val == "" {
		return ""
	}
	return key + "=" + val
}

func (pr *printer) policy(p *Policy) {
	if p == nil {
		pr.line(0, nil, "policy <nil>")
		return
	}
	pr.line(0, &p.Pos, "policy", p.Name, kv("arch", p.Arch), kv("namespace", p.Namespace), flag(p.Loader, "loader"), flag(p.Mode == ModeMonitor, "mode=monitor"), flag(p.NoKprobeMulti, "no-kprobe-multi"))
	maps := slices.Clone(p.Maps)
	slices.SortStableFunc(maps, func(a, b *Map) int {
		if a == nil || b == nil {
			return 0
		}
		return strings.Compare(a.Name, b.Name)
	})
	for _, m := range maps {
		pr.mapDef(m)
	}
	for _, e := range p.Enforcers {
		if e == nil {
			pr.line(1, nil, "enforcer <nil>")
			continue
		}
		pr.line(1, &e.Pos, "enforcer", e.Target, callWords(e.Target, e.Call, e.List, e.Syscall, e.ABI))
	}
	for _, h := range p.Hooks {
		pr.hook(h)
	}
}

func callWords(target, call, list string, syscall bool, abi string) string {
	words := []string{}
	if call != target && call != "" {
		words = append(words, "call="+call)
	}
	if list != "" {
		words = append(words, "list="+list)
	}
	if syscall {
		words = append(words, "syscall")
		if abi != "" {
			words = append(words, "abi="+abi)
		}
	}
	return strings.Join(words, " ")
}

func (pr *printer) mapDef(m *Map) {
	if m == nil {
		pr.line(1, nil, "map <nil>")
		return
	}
	key := ""
	if m.KeySize > 0 {
		key = "key=" + strconv.Itoa(m.KeySize)
	}
	pr.line(1, &m.Pos, "map", m.Name, m.Kind.String(), key, "max="+strconv.Itoa(m.MaxEntries))
	if len(m.Values) > 0 {
		pr.wrapped(2, "values", formatValues(m.Values, m.ValueType, false))
	}
}

// wrapped writes words after a head word, several lines if need be.
func (pr *printer) wrapped(depth int, head string, words []string) {
	const width = 100
	cur := head
	for _, w := range words {
		if len(cur)+1+len(w) > width && cur != head {
			pr.line(depth, nil, cur)
			cur = strings.Repeat(" ", len(head))
		}
		cur += " " + w
	}
	pr.line(depth, nil, cur)
}

func (pr *printer) hook(h *Hook) {
	if h == nil {
		pr.line(1, nil, "hook <nil>")
		return
	}
	var extra []string
	if h.Symbol != "" {
		extra = append(extra, "symbol="+h.Symbol)
	}
	if h.Offset != 0 {
		extra = append(extra, fmt.Sprintf("offset=%#x", h.Offset))
	}
	if h.Addr != 0 {
		extra = append(extra, fmt.Sprintf("addr=%#x", h.Addr))
	}
	if h.RefCtrOffset != 0 {
		extra = append(extra, fmt.Sprintf("refctr=%#x", h.RefCtrOffset))
	}
	if h.BTFPath != "" {
		extra = append(extra, "btf="+strconv.Quote(h.BTFPath))
	}
	for _, d := range h.BinaryDigests {
		extra = append(extra, "digest="+d)
	}
	if h.IgnoreDigestMismatch {
		extra = append(extra, "ignore-digest-mismatch")
	}
	target := h.Target
	if target == "" {
		target = "-"
	}
	pr.line(1, &h.Pos, "hook", strconv.Itoa(h.ID), h.Kind.String(), target, strings.Join(extra, " "),
		callWords(h.Target, h.Call, h.List, h.Syscall, h.ABI), flag(h.Fentry, "fentry"), flag(h.Return, "return"), flag(h.IgnoreMissing, "ignore-missing"))
	if h.Message != "" {
		pr.line(2, nil, "message", strconv.Quote(h.Message))
	}
	if len(h.Tags) > 0 {
		tags := make([]string, len(h.Tags))
		for i, t := range h.Tags {
			tags[i] = strconv.Quote(t)
		}
		pr.line(2, nil, "tags", strings.Join(tags, " "))
	}
	for _, a := range h.Args {
		pr.arg(a, "arg")
	}
	if h.Ret != nil {
		pr.arg(h.Ret, "ret")
	}
	if h.RetAction != 0 {
		pr.line(2, nil, "retaction", h.RetAction.String())
	}
	for _, s := range h.Selectors {
		pr.selector(s)
	}
}

func (pr *printer) arg(a *Arg, head string) {
	if a == nil {
		pr.line(2, nil, head, "<nil>")
		return
	}
	words := []string{head}
	if head == "arg" {
		words = append(words, strconv.Itoa(a.Slot), "index="+strconv.Itoa(a.Index))
	}
	words = append(words, a.Type.String())
	if a.Label != "" {
		words = append(words, "label="+strconv.Quote(a.Label))
	}
	switch {
	case a.SizeSlot == SizeFromReturn:
		words = append(words, "size=return")
	case a.SizeSlot >= 0:
		words = append(words, "size=slot"+strconv.Itoa(a.SizeSlot))
	case a.SizeRaw != 0:
		words = append(words, "size=raw"+strconv.Itoa(a.SizeRaw))
	}
	if a.Elems != 0 {
		words = append(words, "elems="+strconv.Itoa(a.Elems))
	}
	words = append(words, flag(a.ReturnCopy, "returncopy"), flag(a.MaxData, "maxdata"))
	if len(a.Resolve) > 0 {
		words = append(words, "resolve="+strings.Join(a.Resolve, "."))
	}
	if a.BTFType != "" {
		words = append(words, "btftype="+a.BTFType)
	}
	if a.Source != SourceArg {
		words = append(words, "source="+a.Source.String())
	}
	if a.Reg != nil {
		words = append(words, fmt.Sprintf("reg=%s@%d/%d", a.Reg.Name, a.Reg.Offset, a.Reg.Size))
	}
	pr.line(2, &a.Pos, words...)
}

func (pr *printer) selector(s *Selector) {
	if s == nil {
		pr.line(2, nil, "selector <nil>")
		return
	}
	pr.line(2, &s.Pos, "selector", strconv.Itoa(s.Index))
	for _, t := range s.Tests {
		pr.test(t, "")
	}
	for _, a := range s.Actions {
		pr.action(a, "action")
	}
	for _, t := range s.ReturnTests {
		pr.test(t, "return")
	}
	for _, a := range s.ReturnActions {
		pr.action(a, "return-action")
	}
}

func (pr *printer) test(t *Test, prefix string) {
	if t == nil {
		pr.line(3, nil, prefix, "<nil>")
		return
	}
	pr.line(3, &t.Pos, testWords(t, prefix)...)
}

// Describe returns t's text form without its position: tests with equal
// descriptions test the same thing.
func (t *Test) Describe() string {
	var words []string
	for _, w := range testWords(t, "") {
		if w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

func testWords(t *Test, prefix string) []string {
	words := []string{prefix}
	switch t.Kind {
	case TestArg:
		words = append(words, "arg", "slot="+strconv.Itoa(t.Slot), t.Type.String(), t.Op.String())
		if t.Op == OpCapabilitiesGained {
			words = append(words, "old=slot"+strconv.Itoa(t.Slot2))
		}
		if t.Op == OpCelExpr && t.Cel != nil {
			slots := make([]string, len(t.Cel.Slots))
			for i, s := range t.Cel.Slots {
				slots[i] = strconv.Itoa(s)
			}
			words = append(words, "args=slot"+strings.Join(slots, ",slot"))
		}
	case TestReturn:
		if prefix == "" {
			words = append(words, "return")
		}
		words = append(words, t.Type.String(), t.Op.String())
	case TestPID:
		words = append(words, "pid", t.Op.String(), flag(t.FollowForks, "followforks"), flag(t.NamespacePID, "nspid"))
	case TestBinary:
		words = append(words, "binary", t.Op.String(), flag(t.FollowChildren, "followchildren"))
	case TestParentBinary:
		words = append(words, "parent-binary", t.Op.String(), flag(t.FollowChildren, "followchildren"))
	case TestCmdArg:
		words = append(words, "cmdarg", strconv.Itoa(t.CmdArg), t.Op.String())
	case TestNamespace:
		words = append(words, "namespace", t.Namespace.String(), t.Op.String(), flag(t.HostNS, HostNS))
	case TestCaps, TestCapChange:
		words = append(words, t.Kind.String(), t.CapSet.String(), t.Op.String(), flag(t.NamespaceCap, "nscap"), capMaskString(t.Mask))
	case TestNSChange:
		words = append(words, t.Kind.String(), t.Op.String(), nsMaskString(t.Mask))
	default:
		words = append(words, t.Kind.String(), t.Op.String())
	}
	if t.Map != nil {
		words = append(words, "map="+t.Map.Name)
	}
	hex := t.Op.Info().HexValues || t.Type.Class() == ClassCaps
	return append(words, formatValues(t.Values, t.Type, hex)...)
}

func (pr *printer) action(a *Action, head string) {
	if a == nil {
		pr.line(3, nil, head, "<nil>")
		return
	}
	words := []string{head, a.Kind.String()}
	slot := func(key string, s int) { words = append(words, key+"=slot"+strconv.Itoa(s)) }
	switch a.Kind {
	case ActSignal:
		words = append(words, "signal="+strconv.Itoa(a.Signal))
	case ActOverride:
		switch {
		case a.Jump != nil:
			words = append(words, "jump="+a.Jump.String())
		case a.Regs == nil:
			words = append(words, "error="+strconv.Itoa(int(a.Error)))
		}
		for _, r := range a.Regs {
			words = append(words, "reg="+strconv.Quote(r.Text))
		}
	case ActFollowFD, ActCopyFD:
		slot("fd", a.FdSlot)
		slot("name", a.NameSlot)
	case ActUnfollowFD:
		slot("fd", a.FdSlot)
	case ActTrackSock, ActUntrackSock:
		slot("sock", a.SockSlot)
	case ActGetURL:
		words = append(words, "url="+strconv.Quote(a.URL))
	case ActDNSLookup:
		words = append(words, "fqdn="+strconv.Quote(a.FQDN))
	case ActNotifyEnforcer:
		words = append(words, "error="+strconv.Itoa(int(a.Error)), "signal="+strconv.Itoa(a.Signal))
	case ActSet:
		slot("arg", a.SetIndex)
		words = append(words, "value="+strconv.FormatInt(a.SetValue, 10))
	case ActPost:
		if a.RateLimitMs > 0 {
			words = append(words, fmt.Sprintf("ratelimit=%dms", a.RateLimitMs), "scope="+a.RateLimitScope.String())
		}
		words = append(words, flag(a.KernelStack, "kernelstack"), flag(a.UserStack, "userstack"), flag(a.ImaHash, "imahash"))
	}
	pr.line(3, &a.Pos, words...)
}

func (s RateLimitScope) String() string {
	switch s {
	case ScopeThread:
		return "thread"
	case ScopeProcess:
		return "process"
	case ScopeGlobal:
		return "global"
	}
	return fmt.Sprintf("scope(%d)", s)
}

// capMaskString spells a capability mask as CAP_ names joined by "|".
func capMaskString(m uint64) string {
	var names []string
	for i := 0; i < 64; i++ {
		if m&(1<<i) == 0 {
			continue
		}
		if n := CapabilityName(i); n != "" {
			names = append(names, n)
		} else {
			names = append(names, "cap"+strconv.Itoa(i))
		}
	}
	return strings.Join(names, "|")
}

// nsMaskString spells a namespace mask as kinds joined by "|".
func nsMaskString(m uint64) string {
	var names []string
	for i := 0; i < 64; i++ {
		if m&(1<<i) != 0 {
			names = append(names, Namespace(i).String())
		}
	}
	return strings.Join(names, "|")
}

func formatValues(vals []Value, t ArgType, hex bool) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		if hex && v.Kind == ValInt {
			out[i] = fmt.Sprintf("%#x", uint64(v.Int))
			continue
		}
		out[i] = FormatValue(v, t)
	}
	return out
}

// FormatValue spells a value as the printer does: integers in decimal (as
// t's signedness says; TypeInvalid is signed), ranges as lo:hi, strings
// quoted, prefixes in CIDR notation, list references as list:NAME.
func FormatValue(v Value, t ArgType) string {
	num := func(n int64) string {
		if t != TypeInvalid && !t.Signed() && t.Class() != ClassNone {
			return strconv.FormatUint(uint64(n), 10)
		}
		return strconv.FormatInt(n, 10)
	}
	switch v.Kind {
	case ValInt:
		return num(v.Int)
	case ValRange:
		if v.Int == v.Hi {
			return num(v.Int)
		}
		return num(v.Int) + ":" + num(v.Hi)
	case ValString:
		return strconv.Quote(v.Str)
	case ValPrefix:
		return v.Net.String()
	case ValList:
		return "list:" + v.List
	}
	return fmt.Sprintf("value(kind %d)", v.Kind)
}
