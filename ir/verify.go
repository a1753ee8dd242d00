package ir

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Stage is how far lowering has taken a policy. Each stage adds invariants
// to those of the stages before it; VerifyStage checks the invariants of a
// stage, Verify those of a finished policy, which is what code generation
// may rely on.
type Stage uint8

const (
	// StageBuilt: straight from the policy. Kprobes on "list:NAME" have no
	// Target yet, InMap values may be "list:NAME" references, syscall
	// targets are as written and values in the order written.
	StageBuilt Stage = iota + 1
	// StageExpanded: no list references remain; every hook has a Target.
	StageExpanded
	// StageResolved: syscall targets are kernel symbols of Policy.Arch and
	// carry their ABI.
	StageResolved
	// StageNormalized: every value list is sorted (CompareValues) without
	// duplicates.
	StageNormalized
	// StageFolded: no selector follows one without entry tests (it could
	// never be chosen).
	StageFolded
	// StageMapped: large value sets and action state live in Maps.
	StageMapped
	// StageFinal: slots and IDs are final; the policy is ready for code
	// generation.
	StageFinal
)

var stageNames = map[Stage]string{
	StageBuilt: "built", StageExpanded: "expanded", StageResolved: "resolved", StageNormalized: "normalized",
	StageFolded: "folded", StageMapped: "mapped", StageFinal: "final",
}

func (s Stage) String() string {
	if n, ok := stageNames[s]; ok {
		return n
	}
	return fmt.Sprintf("stage(%d)", s)
}

// maxVerifyErrors bounds the problems one Verify reports.
const maxVerifyErrors = 20

// Verify checks the invariants of a finished policy (StageFinal). The error
// lists every problem found (up to 20), each naming the node at fault and
// its position. A policy that fails Verify is a compiler bug, never a user
// error.
func Verify(p *Policy) error { return VerifyStage(p, StageFinal) }

// VerifyStage checks the invariants a policy must hold once lowering has
// reached stage s.
func VerifyStage(p *Policy, s Stage) error {
	v := &verifier{p: p, stage: s, maps: map[*Map]bool{}, used: map[*Map]bool{}}
	v.policy()
	return errors.Join(v.errs...)
}

type verifier struct {
	p     *Policy
	stage Stage
	errs  []error
	maps  map[*Map]bool // maps of the policy
	used  map[*Map]bool // set maps some test refers to
}

func (v *verifier) errorf(where string, pos Pos, format string, args ...any) {
	if len(v.errs) == maxVerifyErrors {
		v.errs = append(v.errs, errors.New("ir: too many problems; stopping"))
	}
	if len(v.errs) > maxVerifyErrors {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if where != "" {
		msg = where + ": " + msg
	}
	v.errs = append(v.errs, fmt.Errorf("ir: %s (@%s)", msg, pos))
}

func (v *verifier) pos(where string, p Pos) {
	if p.Line <= 0 {
		v.errorf(where, p, "no position")
	}
}

func (v *verifier) policy() {
	p := v.p
	if p == nil {
		v.errs = append(v.errs, errors.New("ir: nil policy"))
		return
	}
	v.pos("policy", p.Pos)
	if p.Name == "" {
		v.errorf("policy", p.Pos, "no name")
	}
	if p.Arch != "x86_64" && p.Arch != "arm64" {
		v.errorf("policy", p.Pos, "unknown arch %q", p.Arch)
	}
	names := map[string]bool{}
	for i, m := range p.Maps {
		where := fmt.Sprintf("map %d", i)
		if m == nil {
			v.errorf(where, p.Pos, "nil map")
			continue
		}
		v.pos(where, m.Pos)
		if m.Name == "" || names[m.Name] {
			v.errorf(where, m.Pos, "map name %q is empty or not unique", m.Name)
		}
		names[m.Name] = true
		v.maps[m] = true
		v.mapContents(where, m)
	}
	for i, h := range p.Hooks {
		if h == nil {
			v.errorf(fmt.Sprintf("hook %d", i), p.Pos, "nil hook")
			continue
		}
		v.hook(i, h)
	}
	for i, e := range p.Enforcers {
		v.enforcer(i, e)
	}
	for _, m := range p.Maps {
		if m != nil && m.Kind.isSet() && !v.used[m] {
			v.errorf("map "+m.Name, m.Pos, "no test uses this %s map", m.Kind)
		}
	}
	if v.stage >= StageMapped {
		v.stateMaps()
	}
}

func (k MapKind) isSet() bool {
	switch k {
	case MapIntSet, MapStringSet, MapPrefix4, MapPrefix6, MapStringPrefix, MapFileID:
		return true
	}
	return false
}

func (v *verifier) mapContents(where string, m *Map) {
	if _, ok := mapKindNames[m.Kind]; !ok {
		v.errorf(where, m.Pos, "unknown map kind %d", m.Kind)
		return
	}
	if m.MaxEntries <= 0 {
		v.errorf(where, m.Pos, "max entries %d", m.MaxEntries)
	}
	if !m.Kind.isSet() {
		if len(m.Values) > 0 {
			v.errorf(where, m.Pos, "a %s state map holds no values", m.Kind)
		}
		return
	}
	if len(m.Values) == 0 {
		v.errorf(where, m.Pos, "empty %s map", m.Kind)
	}
	if len(m.Values) > m.MaxEntries {
		v.errorf(where, m.Pos, "%d values in a map of %d entries", len(m.Values), m.MaxEntries)
	}
	for _, x := range m.Values {
		ok := false
		switch m.Kind {
		case MapIntSet:
			ok = x.Kind == ValInt
		case MapStringSet, MapStringPrefix:
			ok = x.Kind == ValString && len(x.Str) < m.KeySize+boolInt(m.Kind == MapStringPrefix)
		case MapFileID:
			ok = x.Kind == ValString
		case MapPrefix4:
			ok = x.Kind == ValPrefix && x.Net.Addr().Is4()
		case MapPrefix6:
			ok = x.Kind == ValPrefix && x.Net.Addr().Is6()
		}
		if !ok {
			v.errorf(where, m.Pos, "value %s does not belong in a %s map (key size %d)", FormatValue(x, TypeInvalid), m.Kind, m.KeySize)
			break
		}
	}
	if v.stage >= StageNormalized {
		v.sorted(where, m.Pos, m.Values, m.ValueType.Signed())
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// stateMaps checks that every action and hook finds the state map it needs.
func (v *verifier) stateMaps() {
	have := map[MapKind]bool{}
	for _, m := range v.p.Maps {
		if m != nil {
			have[m.Kind] = true
		}
	}
	need := func(k MapKind, why string, pos Pos) {
		if !have[k] {
			v.errorf(why, pos, "needs a %s map", k)
		}
	}
	if len(v.p.Enforcers) > 0 {
		need(MapEnforcer, "enforcers", v.p.Pos)
	}
	for _, h := range v.p.Hooks {
		if h == nil {
			continue
		}
		if h.Return {
			need(MapRetProbe, h.where(), h.Pos)
		}
		if h.RetAction != 0 {
			need(MapSock, h.where(), h.Pos)
		}
		for _, a := range h.Args {
			if a != nil && a.Type == TypeFd {
				need(MapFD, h.where()+" fd argument", a.Pos)
			}
		}
		for _, s := range h.Selectors {
			if s == nil {
				continue
			}
			for _, a := range append(slices.Clone(s.Actions), s.ReturnActions...) {
				if a == nil {
					continue
				}
				switch a.Kind {
				case ActFollowFD, ActUnfollowFD, ActCopyFD:
					need(MapFD, a.Kind.String(), a.Pos)
				case ActTrackSock, ActUntrackSock:
					need(MapSock, a.Kind.String(), a.Pos)
				case ActNotifyEnforcer, ActCleanupEnforcer:
					need(MapEnforcer, a.Kind.String(), a.Pos)
				case ActPost:
					if a.RateLimitMs > 0 {
						need(MapRateLimit, "rate limited Post", a.Pos)
					}
				}
			}
		}
	}
}

func (h *Hook) where() string {
	return fmt.Sprintf("hook %d (%s %s)", h.ID, h.Kind, h.Target)
}

var syscallPrefixes = map[string][]string{
	"x86_64": {"__x64_", "__ia32_"},
	"arm64":  {"__arm64_"},
}

func (v *verifier) hook(i int, h *Hook) {
	where := fmt.Sprintf("hook %d (%s %s)", i, h.Kind, h.Target)
	v.pos(where, h.Pos)
	if h.ID != i {
		v.errorf(where, h.Pos, "ID %d at index %d", h.ID, i)
	}
	if _, ok := hookKindNames[h.Kind]; !ok {
		v.errorf(where, h.Pos, "unknown kind %d", h.Kind)
	}
	listCall := strings.HasPrefix(h.Call, "list:")
	switch {
	case v.stage >= StageExpanded && listCall:
		v.errorf(where, h.Pos, "call %q was not expanded", h.Call)
	case h.Target == "" && !(listCall && v.stage < StageExpanded):
		v.errorf(where, h.Pos, "no target")
	}
	switch h.Kind {
	case HookTracepoint, HookRawTracepoint:
		if strings.Count(h.Target, "/") != 1 {
			v.errorf(where, h.Pos, "tracepoint target %q is not SUBSYS/EVENT", h.Target)
		}
	case HookUprobe:
		if !strings.HasPrefix(h.Target, "/") || h.Symbol == "" && h.Offset == 0 && h.Addr == 0 {
			v.errorf(where, h.Pos, "uprobe needs an absolute path and a symbol, offset or address")
		}
		if h.Addr != 0 && (h.Symbol != "" || h.Offset != 0) {
			v.errorf(where, h.Pos, "uprobe with an address and a symbol or offset")
		}
	case HookUSDT:
		if strings.Count(h.Symbol, ":") != 1 {
			v.errorf(where, h.Pos, "USDT symbol %q is not PROVIDER:NAME", h.Symbol)
		}
	}
	if h.Fentry && h.Kind != HookKprobe {
		v.errorf(where, h.Pos, "only kprobe hooks attach as fentry")
	}
	if h.Syscall && h.Kind != HookKprobe {
		v.errorf(where, h.Pos, "only kprobes hook syscall functions")
	}
	if h.Syscall && v.stage >= StageResolved {
		if !slices.ContainsFunc(syscallPrefixes[v.p.Arch], func(pre string) bool { return strings.HasPrefix(h.Target, pre) }) {
			v.errorf(where, h.Pos, "syscall target %q is not a symbol of %s", h.Target, v.p.Arch)
		}
		if h.ABI == "" {
			v.errorf(where, h.Pos, "syscall hook without ABI")
		}
	}
	if !h.Syscall && h.ABI != "" {
		v.errorf(where, h.Pos, "ABI %q on a hook that is not a syscall", h.ABI)
	}
	if h.Offset != 0 || h.Addr != 0 || h.RefCtrOffset != 0 || h.BTFPath != "" {
		if h.Kind != HookUprobe {
			v.errorf(where, h.Pos, "offsets and BTF path are for uprobes")
		}
	}
	for slot, a := range h.Args {
		v.arg(where, h, slot, a)
	}
	if h.Ret != nil {
		v.pos(where+" return", h.Ret.Pos)
		if !h.Return {
			v.errorf(where, h.Ret.Pos, "return value without a return probe")
		}
		if h.Ret.Slot != -1 {
			v.errorf(where, h.Ret.Pos, "return value has slot %d, want -1", h.Ret.Slot)
		}
		if h.Ret.Type == TypeInvalid || h.Ret.Type >= numTypes {
			v.errorf(where, h.Ret.Pos, "return value of invalid type")
		}
	}
	switch h.RetAction {
	case 0:
	case ActTrackSock, ActUntrackSock:
		if h.Ret == nil || h.Ret.Type != TypeSock {
			v.errorf(where, h.Pos, "%s needs a returned sock", h.RetAction)
		}
	default:
		v.errorf(where, h.Pos, "return action %s", h.RetAction)
	}
	last := -1
	for i, s := range h.Selectors {
		sw := fmt.Sprintf("%s selector %d", where, i)
		if s == nil {
			v.errorf(sw, h.Pos, "nil selector")
			continue
		}
		if s.Index <= last {
			v.errorf(sw, s.Pos, "index %d after %d", s.Index, last)
		}
		last = s.Index
		v.selector(sw, h, s)
		if v.stage >= StageFolded && len(s.Tests) == 0 && i+1 < len(h.Selectors) {
			v.errorf(sw, s.Pos, "matches every call, yet selectors follow it")
		}
	}
}

func (v *verifier) arg(where string, h *Hook, slot int, a *Arg) {
	aw := fmt.Sprintf("%s arg %d", where, slot)
	if a == nil {
		v.errorf(aw, h.Pos, "nil argument")
		return
	}
	v.pos(aw, a.Pos)
	if a.Slot != slot {
		v.errorf(aw, a.Pos, "slot %d at position %d", a.Slot, slot)
	}
	if a.Type == TypeInvalid || a.Type >= numTypes {
		v.errorf(aw, a.Pos, "invalid type")
	}
	if a.Index < 0 {
		v.errorf(aw, a.Pos, "negative index %d", a.Index)
	}
	switch {
	case a.SizeSlot == NoSize:
	case a.SizeSlot == SizeFromReturn:
		if !a.ReturnCopy {
			v.errorf(aw, a.Pos, "length from the return value without returnCopy")
		}
	case a.SizeSlot < 0 || a.SizeSlot >= len(h.Args) || a.SizeSlot == slot:
		v.errorf(aw, a.Pos, "size slot %d out of range", a.SizeSlot)
	default:
		if sz := h.Args[a.SizeSlot]; sz != nil && !sz.Type.IsInteger() && sz.Type != TypeAuto {
			v.errorf(aw, a.Pos, "size slot %d holds a %s, not an integer", a.SizeSlot, sz.Type)
		}
	}
	switch {
	case a.SizeRaw == 0:
	case a.SizeRaw < 0 || a.SizeRaw > MaxSizeRaw:
		v.errorf(aw, a.Pos, "raw size argument %d out of range 1..%d", a.SizeRaw, MaxSizeRaw)
	case a.SizeSlot != NoSize:
		v.errorf(aw, a.Pos, "a length from both slot %d and raw argument %d", a.SizeSlot, a.SizeRaw)
	case !a.Type.IsBuffer():
		v.errorf(aw, a.Pos, "a %s has no length argument", a.Type)
	case h.Kind == HookTracepoint:
		v.errorf(aw, a.Pos, "a tracepoint's fields have no raw argument to take a length from")
	}
	if a.SizeSlot != NoSize && !a.Type.IsBuffer() {
		v.errorf(aw, a.Pos, "a %s has no length argument", a.Type)
	}
	if a.ReturnCopy && (!a.Type.IsBuffer() && a.Type != TypeInt32Arr || !h.Return) {
		v.errorf(aw, a.Pos, "returnCopy needs a buffer or an int32_arr and a return probe")
	}
	switch {
	case a.Elems != 0 && a.Type != TypeInt32Arr:
		v.errorf(aw, a.Pos, "elems on a %s", a.Type)
	case a.Elems < 0 || a.Elems > MaxInt32Size:
		v.errorf(aw, a.Pos, "elems %d out of range", a.Elems)
	}
	if a.MaxData && !a.Type.IsBuffer() && a.Type != TypeIovIter {
		v.errorf(aw, a.Pos, "maxData on a %s", a.Type)
	}
	for _, r := range a.Resolve {
		if r == "" {
			v.errorf(aw, a.Pos, "empty member in resolve path")
		}
	}
	v.dataArg(aw, h, slot, a)
}

// dataArg checks a data entry: after every argument, read from its
// source as it says, and no buffer.
func (v *verifier) dataArg(aw string, h *Hook, slot int, a *Arg) {
	if !a.Data() {
		if slot > 0 && h.Args[slot-1] != nil && h.Args[slot-1].Data() {
			v.errorf(aw, a.Pos, "argument after a data entry")
		}
		if a.Reg != nil {
			v.errorf(aw, a.Pos, "a register on an argument")
		}
		return
	}
	switch a.Source {
	case SourceCurrentTask:
		if len(a.Resolve) == 0 || a.Reg != nil {
			v.errorf(aw, a.Pos, "current_task data without a resolve path, or with a register")
		}
	case SourcePtRegs:
		if a.Reg == nil || len(a.Resolve) > 0 || a.Reg.Offset < 0 || a.Reg.Size < 1 || a.Reg.Size > 8 {
			v.errorf(aw, a.Pos, "pt_regs data without a register, or with a resolve path")
		}
		if !a.Type.IsInteger() {
			v.errorf(aw, a.Pos, "pt_regs data read as a %s", a.Type)
		}
	default:
		v.errorf(aw, a.Pos, "unknown source %s", a.Source)
	}
	if a.SizeSlot != NoSize || a.ReturnCopy || a.BTFType != "" {
		v.errorf(aw, a.Pos, "data entry with a length, returnCopy or btfType")
	}
}

func (v *verifier) selector(where string, h *Hook, s *Selector) {
	v.pos(where, s.Pos)
	for i, t := range s.Tests {
		tw := fmt.Sprintf("%s test %d", where, i)
		if v.stage >= StageNormalized && i > 0 && t != nil && s.Tests[i-1] != nil && CompareTests(s.Tests[i-1], t) > 0 {
			v.errorf(tw, t.Pos, "tests out of canonical order")
		}
		if t != nil && t.Kind == TestReturn {
			v.errorf(tw, t.Pos, "a return test among entry tests")
		}
		v.test(tw, h, t)
	}
	for i, t := range s.ReturnTests {
		tw := fmt.Sprintf("%s return test %d", where, i)
		if t != nil && t.Kind != TestReturn {
			v.errorf(tw, t.Pos, "a %s test among return tests", t.Kind)
		}
		v.test(tw, h, t)
	}
	for i, a := range s.Actions {
		v.action(fmt.Sprintf("%s action %d", where, i), h, a, false)
	}
	for i, a := range s.ReturnActions {
		v.action(fmt.Sprintf("%s return action %d", where, i), h, a, true)
	}
	if (len(s.ReturnTests) > 0 || len(s.ReturnActions) > 0) && !h.Return {
		v.errorf(where, s.Pos, "return tests or actions on a hook without a return probe")
	}
}

// argAt returns the argument in slot, or reports why there is none.
func (v *verifier) argAt(where string, h *Hook, slot int, pos Pos) *Arg {
	if slot < 0 || slot >= len(h.Args) || h.Args[slot] == nil {
		v.errorf(where, pos, "slot %d out of range (%d arguments)", slot, len(h.Args))
		return nil
	}
	return h.Args[slot]
}

func (v *verifier) test(where string, h *Hook, t *Test) {
	if t == nil {
		v.errorf(where, h.Pos, "nil test")
		return
	}
	v.pos(where, t.Pos)
	if t.Op == OpInvalid || t.Op >= numOps {
		v.errorf(where, t.Pos, "invalid operator")
		return
	}
	if t.Kind != TestPID && (t.FollowForks || t.NamespacePID) {
		v.errorf(where, t.Pos, "followForks or isNamespacePID on a %s test", t.Kind)
	}
	if t.Kind != TestBinary && t.Kind != TestParentBinary && t.FollowChildren {
		v.errorf(where, t.Pos, "followChildren on a %s test", t.Kind)
	}
	if t.Kind != TestNamespace && t.HostNS {
		v.errorf(where, t.Pos, "host_ns on a %s test", t.Kind)
	}
	if t.Kind != TestCaps && t.Kind != TestCapChange && t.NamespaceCap {
		v.errorf(where, t.Pos, "isNamespaceCapability on a %s test", t.Kind)
	}
	inNotIn := t.Op == OpIn || t.Op == OpNotIn
	switch t.Kind {
	case TestArg, TestReturn:
		typ := TypeInvalid
		if t.Kind == TestArg {
			if a := v.argAt(where, h, t.Slot, t.Pos); a != nil {
				typ = a.Type
			}
		} else if h.Ret == nil {
			v.errorf(where, t.Pos, "return test on a hook without a return value")
		} else {
			typ = h.Ret.Type
		}
		if typ == TypeInvalid {
			return
		}
		if t.Type != typ {
			v.errorf(where, t.Pos, "test type %s, argument type %s", t.Type, typ)
		}
		if err := CheckArgOp(t.Op, typ); err != nil {
			v.errorf(where, t.Pos, "%v", err)
			return
		}
		if t.Op == OpCapabilitiesGained {
			if old := v.argAt(where, h, t.Slot2, t.Pos); old != nil && old.Type.Class() != ClassCaps {
				v.errorf(where, t.Pos, "CapabilitiesGained old set in slot %d is a %s", t.Slot2, old.Type)
			}
		}
		if t.Op == OpCelExpr {
			v.celExpr(where, h, t)
		}
		v.values(where, t, typ)
	case TestPID, TestBinary, TestParentBinary, TestNamespace:
		ok := inNotIn
		if t.Kind == TestBinary || t.Kind == TestParentBinary {
			switch t.Op {
			case OpPrefix, OpNotPrefix, OpPostfix, OpNotPostfix:
				ok = !t.FollowChildren
			}
		}
		if !ok {
			v.errorf(where, t.Pos, "operator %s on a %s test", t.Op, t.Kind)
			return
		}
		if t.Kind == TestNamespace && t.Namespace >= NumNamespaces {
			v.errorf(where, t.Pos, "invalid namespace %d", t.Namespace)
		}
		v.values(where, t, TypeInvalid)
	case TestCmdArg:
		switch t.Op {
		case OpEqual, OpPrefix, OpPostfix:
		default:
			v.errorf(where, t.Pos, "operator %s on a %s test", t.Op, t.Kind)
			return
		}
		if t.CmdArg < 0 || t.CmdArg >= CmdArgsIndexMax {
			v.errorf(where, t.Pos, "command-line argument index %d out of range [0, %d)", t.CmdArg, CmdArgsIndexMax)
		}
		if t.Map != nil {
			v.errorf(where, t.Pos, "a %s test holds its values in Values", t.Kind)
		}
		if len(t.Values) == 0 {
			v.errorf(where, t.Pos, "a %s test without values", t.Kind)
		}
		for _, x := range t.Values {
			if len(x.Str) > CmdArgsMax {
				v.errorf(where, t.Pos, "value of %d bytes, longer than the %d bytes of arguments kept", len(x.Str), CmdArgsMax)
			}
		}
		v.values(where, t, TypeInvalid)
	case TestCaps, TestCapChange, TestNSChange:
		if !inNotIn {
			v.errorf(where, t.Pos, "operator %s on a %s test", t.Op, t.Kind)
		}
		if len(t.Values) > 0 || t.Map != nil {
			v.errorf(where, t.Pos, "a %s test holds its values in Mask", t.Kind)
		}
		switch {
		case t.Mask == 0:
			v.errorf(where, t.Pos, "empty mask")
		case t.Kind == TestNSChange && t.Mask>>NumNamespaces != 0:
			v.errorf(where, t.Pos, "mask %#x has bits beyond the namespace kinds", t.Mask)
		case t.Kind != TestNSChange && int(t.CapSet) >= len(capSetNames):
			v.errorf(where, t.Pos, "invalid capability set %d", t.CapSet)
		}
	default:
		v.errorf(where, t.Pos, "unknown test kind %d", t.Kind)
	}
}

// valueKinds returns the kinds of value test t may hold, for a test of an
// argument of type typ (TestArg, TestReturn).
func valueKinds(t *Test, typ ArgType) []ValueKind {
	switch t.Kind {
	case TestPID, TestNamespace:
		return []ValueKind{ValInt}
	case TestBinary, TestParentBinary, TestCmdArg:
		return []ValueKind{ValString}
	}
	return valueKindsOf(t.Op, typ)
}

// MapKindFor returns the kind of map that can hold values of kind k (and,
// for prefixes, of p's family) for test t, or 0 if none can.
func MapKindFor(t *Test, x Value) MapKind {
	switch x.Kind {
	case ValInt:
		switch t.Op {
		case OpEqual, OpNotEqual, OpInMap, OpNotInMap, OpIn, OpNotIn:
			return MapIntSet
		}
	case ValString:
		switch t.Op {
		case OpEqual, OpNotEqual, OpIn, OpNotIn:
			return MapStringSet
		case OpPrefix, OpNotPrefix:
			return MapStringPrefix
		case OpSameFile, OpNotSameFile:
			return MapFileID
		}
	case ValPrefix:
		if x.Net.Addr().Is4() {
			return MapPrefix4
		}
		return MapPrefix6
	}
	return 0
}

func (v *verifier) values(where string, t *Test, typ ArgType) {
	n := len(t.Values)
	if t.Map != nil {
		n += len(t.Map.Values)
		if !v.maps[t.Map] {
			v.errorf(where, t.Pos, "map %q is not among the policy's maps", t.Map.Name)
		}
		v.used[t.Map] = true
		if t.Map.Kind == MapIntSet && t.Map.ValueType != typ {
			v.errorf(where, t.Pos, "map %q holds %s values, the test %s", t.Map.Name, t.Map.ValueType, typ)
		}
		for _, x := range t.Map.Values {
			if k := MapKindFor(t, x); k != t.Map.Kind {
				v.errorf(where, t.Pos, "value %s of a %s test in a %s map", FormatValue(x, typ), t.Op, t.Map.Kind)
				break
			}
		}
	}
	takes := t.Op.TakesValues()
	switch {
	case !takes && n > 0:
		v.errorf(where, t.Pos, "%s takes no values", t.Op)
	case takes && n == 0 && !t.HostNS:
		v.errorf(where, t.Pos, "%s without values", t.Op)
	}
	kinds := valueKinds(t, typ)
	for _, x := range t.Values {
		if !slices.Contains(kinds, x.Kind) || x.Kind == ValList && v.stage >= StageExpanded {
			v.errorf(where, t.Pos, "value %s is not a value of %s", FormatValue(x, typ), t.Op)
			return
		}
		if (t.Kind == TestPID || t.Kind == TestNamespace) && (x.Int < 0 || x.Int > 1<<32-1) {
			v.errorf(where, t.Pos, "value %d out of the 32-bit range", x.Int)
		}
		if x.Kind == ValRange && CompareInts(x.Int, x.Hi, typ.Signed()) > 0 {
			v.errorf(where, t.Pos, "range %s starts above its end", FormatValue(x, typ))
		}
	}
	if v.stage >= StageNormalized {
		v.sorted(where, t.Pos, t.Values, typ.Signed())
	}
}

func (v *verifier) sorted(where string, pos Pos, vals []Value, signed bool) {
	for i := 1; i < len(vals); i++ {
		if CompareValues(vals[i-1], vals[i], signed) >= 0 {
			v.errorf(where, pos, "values not sorted and unique at %d: %s, %s", i,
				FormatValue(vals[i-1], TypeInvalid), FormatValue(vals[i], TypeInvalid))
			return
		}
	}
}

// fdTypes can hold a file descriptor; nameTypes can name a file (or, for
// CopyFD, hold the new descriptor).
var (
	fdTypes   = []ArgType{TypeInt, TypeInt32, TypeUint32, TypeInt64, TypeUint64, TypeLong, TypeSizeT, TypeFd}
	nameTypes = []ArgType{TypeFile, TypePath, TypeString, TypeFilename, TypeDentry, TypeFd,
		TypeInt, TypeInt32, TypeUint32, TypeInt64, TypeUint64, TypeLong}
)

func (v *verifier) action(where string, h *Hook, a *Action, onReturn bool) {
	if a == nil {
		v.errorf(where, h.Pos, "nil action")
		return
	}
	v.pos(where, a.Pos)
	slotOf := func(what string, slot int, allowed ...ArgType) {
		if arg := v.argAt(where+" "+what, h, slot, a.Pos); arg != nil && !slices.Contains(allowed, arg.Type) {
			v.errorf(where, a.Pos, "%s of %s is a %s", what, a.Kind, arg.Type)
		}
	}
	switch a.Kind {
	case ActPost, ActNoPost, ActCleanupEnforcer:
	case ActSigkill, ActSignal:
		if a.Signal < 1 || a.Signal > 64 || a.Kind == ActSigkill && a.Signal != 9 {
			v.errorf(where, a.Pos, "%s with signal %d", a.Kind, a.Signal)
		}
	case ActOverride:
		if onReturn || h.Kind != HookKprobe && h.Kind != HookLSM && h.Kind != HookUprobe {
			v.errorf(where, a.Pos, "Override on a %s%s", h.Kind, map[bool]string{true: " at return"}[onReturn])
		}
		switch {
		case a.Jump != nil && (h.Kind != HookUprobe || len(a.Regs) > 0):
			v.errorf(where, a.Pos, "Override jumping on a %s with %d register assignments", h.Kind, len(a.Regs))
		case a.Jump != nil && a.Jump.Symbol == "" && a.Jump.Addr == 0 && a.Jump.Offset == 0:
			v.errorf(where, a.Pos, "Override jumping nowhere")
		case a.Jump == nil && (h.Kind == HookUprobe) != (len(a.Regs) > 0):
			v.errorf(where, a.Pos, "Override on a %s with %d register assignments", h.Kind, len(a.Regs))
		}
		for _, r := range a.Regs {
			v.regAssign(where, a.Pos, r)
		}
	case ActFollowFD, ActCopyFD:
		slotOf("fd", a.FdSlot, fdTypes...)
		slotOf("name", a.NameSlot, nameTypes...)
	case ActUnfollowFD:
		slotOf("fd", a.FdSlot, fdTypes...)
	case ActTrackSock, ActUntrackSock:
		slotOf("sock", a.SockSlot, TypeSock)
	case ActGetURL:
		if a.URL == "" {
			v.errorf(where, a.Pos, "GetUrl without URL")
		}
	case ActDNSLookup:
		if a.FQDN == "" {
			v.errorf(where, a.Pos, "DnsLookup without FQDN")
		}
	case ActNotifyEnforcer:
		if len(v.p.Enforcers) == 0 && v.stage >= StageExpanded {
			v.errorf(where, a.Pos, "NotifyEnforcer without enforcers")
		}
	case ActSet:
		if h.Kind != HookUSDT {
			v.errorf(where, a.Pos, "Set on a %s", h.Kind)
		}
		v.argAt(where+" set", h, a.SetIndex, a.Pos)
	default:
		v.errorf(where, a.Pos, "unknown action %d", a.Kind)
	}
	if a.Kind != ActPost && (a.RateLimitMs != 0 || a.KernelStack || a.UserStack || a.ImaHash) {
		v.errorf(where, a.Pos, "Post options on %s", a.Kind)
	}
}

func (v *verifier) enforcer(i int, e *Enforcer) {
	where := fmt.Sprintf("enforcer %d", i)
	if e == nil {
		v.errorf(where, v.p.Pos, "nil enforcer")
		return
	}
	v.pos(where, e.Pos)
	listCall := strings.HasPrefix(e.Call, "list:")
	if e.Target == "" && !(listCall && v.stage < StageExpanded) || listCall && v.stage >= StageExpanded {
		v.errorf(where, e.Pos, "target %q", e.Target)
	}
	if e.Syscall && v.stage >= StageResolved &&
		!slices.ContainsFunc(syscallPrefixes[v.p.Arch], func(pre string) bool { return strings.HasPrefix(e.Target, pre) }) {
		v.errorf(where, e.Pos, "syscall target %q is not a symbol of %s", e.Target, v.p.Arch)
	}
}

// CompareInts orders two integers as a signed or unsigned type would.
func CompareInts(a, b int64, signed bool) int {
	if signed {
		return cmp.Compare(a, b)
	}
	return cmp.Compare(uint64(a), uint64(b))
}

// CompareValues is the canonical order of values: by kind, then integers
// (as signed or unsigned numbers), ranges by start then end, strings by
// bytes, prefixes by address then length, list names.
func CompareValues(a, b Value, signed bool) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	switch a.Kind {
	case ValInt:
		return CompareInts(a.Int, b.Int, signed)
	case ValRange:
		return cmp.Or(CompareInts(a.Int, b.Int, signed), CompareInts(a.Hi, b.Hi, signed))
	case ValString:
		return strings.Compare(a.Str, b.Str)
	case ValPrefix:
		return cmp.Or(a.Net.Addr().Compare(b.Net.Addr()), cmp.Compare(a.Net.Bits(), b.Net.Bits()))
	case ValList:
		return strings.Compare(a.List, b.List)
	}
	return 0
}

// CompareTests is the canonical order of the tests of a selector, which
// are ANDed and so in no meaningful order: by kind, the argument tested,
// the namespace or capability set, the operator, the flags, then values
// (the test's whole value set: its Values and its Map's, so that moving
// values into a map keeps the order). Tests equal in all of these keep
// the order of the YAML.
func CompareTests(a, b *Test) int {
	if c := cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Slot, b.Slot), cmp.Compare(a.Slot2, b.Slot2),
		cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.CapSet, b.CapSet), cmp.Compare(a.Op, b.Op),
		cmp.Compare(flags(a), flags(b)), cmp.Compare(a.Mask, b.Mask)); c != 0 {
		return c
	}
	signed := a.Type.Signed()
	av, bv := valueSet(a), valueSet(b)
	for i := 0; i < len(av) && i < len(bv); i++ {
		if c := CompareValues(av[i], bv[i], signed); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(av), len(bv))
}

// valueSet is a test's Values and its Map's, in canonical order.
func valueSet(t *Test) []Value {
	if t.Map == nil || len(t.Map.Values) == 0 {
		return t.Values
	}
	return SortValues(slices.Concat(t.Values, t.Map.Values), t.Type.Signed())
}

func flags(t *Test) int {
	n := 0
	for i, f := range []bool{t.FollowForks, t.NamespacePID, t.FollowChildren, t.HostNS, t.NamespaceCap} {
		if f {
			n |= 1 << i
		}
	}
	return n
}

// SortValues sorts vals canonically and removes duplicates.
func SortValues(vals []Value, signed bool) []Value {
	slices.SortFunc(vals, func(a, b Value) int { return CompareValues(a, b, signed) })
	return slices.CompactFunc(vals, func(a, b Value) bool { return CompareValues(a, b, signed) == 0 })
}

// ptRegsSize bounds the register offsets of RegAssign: struct pt_regs is
// 168 bytes on x86_64, 336 on arm64.
const ptRegsSize = 336

func (v *verifier) regAssign(where string, pos Pos, r RegAssign) {
	reg := func(what string, off, size int) {
		if size != 1 && size != 2 && size != 4 && size != 8 || off < 0 || off%8 != 0 || off+8 > ptRegsSize {
			v.errorf(where, pos, "register assignment %q: %s at pt_regs offset %d size %d", r.Text, what, off, size)
		}
	}
	reg("destination", r.Dst, r.DstSize)
	switch r.Kind {
	case RegConst:
	case RegCopy, RegAddOff, RegLoad:
		reg("source", r.Src, r.SrcSize)
	default:
		v.errorf(where, pos, "register assignment %q of kind %d", r.Text, r.Kind)
	}
}

// celExpr checks a CelExpr test: its expression reads the slots it
// lists, of the types it was checked with, and its first slot is the
// test's.
func (v *verifier) celExpr(where string, h *Hook, t *Test) {
	c := t.Cel
	if c == nil || c.Root == nil {
		v.errorf(where, t.Pos, "CelExpr test without its expression")
		return
	}
	if len(c.Slots) == 0 || len(c.Slots) != len(c.Types) || c.Slots[0] != t.Slot {
		v.errorf(where, t.Pos, "CelExpr slots %v (types %v) do not start with the test's slot %d", c.Slots, c.Types, t.Slot)
		return
	}
	for i, s := range c.Slots {
		if a := v.argAt(where, h, s, t.Pos); a != nil && a.Type != c.Types[i] {
			v.errorf(where, t.Pos, "CelExpr arg%d in slot %d is a %s, checked as a %s", i, s, a.Type, c.Types[i])
		}
	}
	var walk func(n *CelNode)
	walk = func(n *CelNode) {
		if n.Kind == CelArg && (n.Arg < 0 || n.Arg >= len(c.Slots)) {
			v.errorf(where, t.Pos, "CelExpr reads arg%d of %d", n.Arg, len(c.Slots))
		}
		for _, a := range n.Args {
			walk(a)
		}
	}
	walk(c.Root)
	if len(t.Values) != 1 {
		v.errorf(where, t.Pos, "CelExpr with %d values", len(t.Values))
	}
}
