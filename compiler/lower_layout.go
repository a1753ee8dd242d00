package compiler

import (
	"fmt"
	"strings"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// Beyond these many values a test keeps its values in a map: compares cost
// instructions (and verifier work) per value, a lookup costs one call.
const (
	maxIntCompares    = 8 // integers, inodes, PIDs
	maxStringCompares = 4 // strings and string prefixes: each is a byte loop
	maxAddrCompares   = 8 // address prefixes of one family
)

// stateEntries sizes the maps that hold state across events (followed fds,
// tracked sockets, rate limits, pending return probes, enforcer notices).
const stateEntries = 32768

// layoutMaps moves large value sets into maps and declares the state maps
// the actions need. Maps with the same contents are shared (a list
// expands to many hooks with the same selectors). Names are stable: a
// kind prefix and the order of first use among maps of the kind.
func layoutMaps(l *lowering) {
	byContent := map[string]*ir.Map{}
	perKind := map[ir.MapKind]int{}
	l.forEachTest(func(_ *ir.Hook, _ *ir.Selector, t *ir.Test) {
		kind, inMap, rest := mapSplit(t)
		if kind == 0 {
			return
		}
		m := &ir.Map{Kind: kind, KeySize: keySize(kind, inMap), MaxEntries: len(inMap), Values: inMap, Pos: t.Pos}
		if kind == ir.MapIntSet {
			m.ValueType = t.Type
		}
		key := mapKey(m)
		if prev, ok := byContent[key]; ok {
			m = prev
		} else {
			m.Name = fmt.Sprintf("%s_%d", setPrefix[kind], perKind[kind])
			perKind[kind]++
			byContent[key] = m
			l.p.Maps = append(l.p.Maps, m)
		}
		t.Map, t.Values = m, rest
	})
	state := map[ir.MapKind]ir.Pos{}
	need := func(k ir.MapKind, pos ir.Pos) {
		if _, ok := state[k]; !ok {
			state[k] = pos
		}
	}
	for _, h := range l.p.Hooks {
		if h.Return {
			need(ir.MapRetProbe, h.Pos)
		}
		if h.RetAction != 0 {
			need(ir.MapSock, h.Pos)
		}
		for _, a := range h.Args {
			if a.Type == ir.TypeFd {
				need(ir.MapFD, a.Pos)
			}
		}
		for _, s := range h.Selectors {
			for _, a := range append(append([]*ir.Action(nil), s.Actions...), s.ReturnActions...) {
				switch a.Kind {
				case ir.ActFollowFD, ir.ActUnfollowFD, ir.ActCopyFD:
					need(ir.MapFD, a.Pos)
				case ir.ActTrackSock, ir.ActUntrackSock:
					need(ir.MapSock, a.Pos)
				case ir.ActNotifyEnforcer, ir.ActCleanupEnforcer:
					need(ir.MapEnforcer, a.Pos)
				case ir.ActPost:
					if a.RateLimitMs > 0 {
						need(ir.MapRateLimit, a.Pos)
					}
				}
			}
		}
	}
	for _, e := range l.p.Enforcers {
		need(ir.MapEnforcer, e.Pos)
	}
	for _, k := range []ir.MapKind{ir.MapFD, ir.MapSock, ir.MapRateLimit, ir.MapRetProbe, ir.MapEnforcer} {
		if pos, ok := state[k]; ok {
			l.p.Maps = append(l.p.Maps, &ir.Map{Name: k.String(), Kind: k, MaxEntries: stateEntries, Pos: pos})
		}
	}
}

var setPrefix = map[ir.MapKind]string{
	ir.MapIntSet: "iset", ir.MapStringSet: "sset", ir.MapStringPrefix: "spfx", ir.MapPrefix4: "pfx4", ir.MapPrefix6: "pfx6",
	ir.MapFileID: "fid",
}

// mapSplit decides which of t's values go into a map of which kind; rest
// stay compares.
func mapSplit(t *ir.Test) (kind ir.MapKind, inMap, rest []ir.Value) {
	split := func(limit int, match func(ir.Value) bool) {
		var in, out []ir.Value
		for _, v := range t.Values {
			if match(v) {
				in = append(in, v)
			} else {
				out = append(out, v)
			}
		}
		if len(in) > limit && len(in) > 0 {
			kind, inMap, rest = ir.MapKindFor(t, in[0]), in, out
		}
	}
	isInt := func(v ir.Value) bool { return v.Kind == ir.ValInt }
	// Keys are NUL-padded, so a string with a NUL in it ("a\x00" from a
	// char_buf value) would collide with a shorter one: it stays a compare.
	isStr := func(v ir.Value) bool { return v.Kind == ir.ValString && !strings.Contains(v.Str, "\x00") }
	switch t.Kind {
	case ir.TestPID, ir.TestNamespace:
		split(maxIntCompares, isInt)
	case ir.TestBinary, ir.TestParentBinary:
		switch t.Op {
		case ir.OpIn, ir.OpNotIn, ir.OpPrefix, ir.OpNotPrefix:
			split(maxStringCompares, isStr)
		}
	case ir.TestArg, ir.TestReturn:
		switch t.Op {
		case ir.OpInMap, ir.OpNotInMap:
			split(0, isInt) // the policy asked for a map
		case ir.OpEqual, ir.OpNotEqual:
			if c := t.Type.Class(); c == ir.ClassString || c == ir.ClassPath {
				split(maxStringCompares, isStr)
			} else {
				split(maxIntCompares, isInt)
			}
		case ir.OpPrefix, ir.OpNotPrefix:
			split(maxStringCompares, isStr)
		case ir.OpSameFile, ir.OpNotSameFile:
			// The files' identities are the loading machine's: the
			// program can only look them up, in a map polrun fills.
			split(0, func(v ir.Value) bool { return v.Kind == ir.ValString })
		case ir.OpSAddr, ir.OpNotSAddr, ir.OpDAddr, ir.OpNotDAddr:
			v4 := func(v ir.Value) bool { return v.Kind == ir.ValPrefix && v.Net.Addr().Is4() }
			n4 := 0
			for _, v := range t.Values {
				if v4(v) {
					n4++
				}
			}
			if 2*n4 >= len(t.Values) {
				split(maxAddrCompares, v4)
			} else {
				split(maxAddrCompares, func(v ir.Value) bool { return v.Kind == ir.ValPrefix && v.Net.Addr().Is6() })
			}
		}
	}
	if kind == 0 {
		return 0, nil, t.Values
	}
	return kind, inMap, rest
}

// keySize is the key (or, for string prefixes, data) size of a set map in
// bytes: strings are NUL-padded to a multiple of 8 that holds the longest
// with its NUL; a longer argument cannot be in the set.
func keySize(kind ir.MapKind, vals []ir.Value) int {
	longest := 0
	for _, v := range vals {
		longest = max(longest, len(v.Str))
	}
	switch kind {
	case ir.MapIntSet:
		return 8
	case ir.MapPrefix4:
		return 4
	case ir.MapPrefix6:
		return 16
	case ir.MapStringSet:
		return (longest + 1 + 7) &^ 7
	case ir.MapStringPrefix:
		return max(8, (longest+7)&^7)
	case ir.MapFileID:
		return bpf.FileIDKeySize
	}
	return 0
}

func mapKey(m *ir.Map) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d/%s", m.Kind, m.KeySize, m.ValueType)
	for _, v := range m.Values {
		b.WriteByte(' ')
		b.WriteString(ir.FormatValue(v, ir.TypeInvalid))
	}
	return b.String()
}

// layoutEvents fixes the numbering events carry: hook IDs in order, and
// argument slots in declaration order (the order of the record), with
// every reference to a slot renumbered to match.
func layoutEvents(l *lowering) {
	for i, h := range l.p.Hooks {
		h.ID = i
		slots := map[int]int{}
		for i, a := range h.Args {
			slots[a.Slot] = i
			a.Slot = i
		}
		re := func(s *int) {
			if n, ok := slots[*s]; ok {
				*s = n
			}
		}
		for _, a := range h.Args {
			if a.SizeSlot >= 0 {
				re(&a.SizeSlot)
			}
		}
		for _, s := range h.Selectors {
			for _, t := range append(append([]*ir.Test(nil), s.Tests...), s.ReturnTests...) {
				if t.Kind == ir.TestArg {
					re(&t.Slot)
					if t.Op == ir.OpCapabilitiesGained {
						re(&t.Slot2)
					}
					if t.Cel != nil {
						for i := range t.Cel.Slots {
							re(&t.Cel.Slots[i])
						}
					}
				}
			}
			for _, a := range append(append([]*ir.Action(nil), s.Actions...), s.ReturnActions...) {
				switch a.Kind {
				case ir.ActFollowFD, ir.ActCopyFD:
					re(&a.FdSlot)
					re(&a.NameSlot)
				case ir.ActUnfollowFD:
					re(&a.FdSlot)
				case ir.ActTrackSock, ir.ActUntrackSock:
					re(&a.SockSlot)
				case ir.ActSet:
					re(&a.SetIndex)
				}
			}
		}
	}
}
