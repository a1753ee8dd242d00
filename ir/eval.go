package ir

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"slices"
)

// Event is a synthetic event at a hook, the input of Eval: what the hook's
// arguments held, what the function returned, and the state of the process
// that made the call.
type Event struct {
	Args    []ArgValue // by slot (Hook.Args)
	Return  ArgValue   // the return value (Hook.Ret), for matchReturnArgs
	Process Process
	Host    Host
}

// ArgValue is the value of one argument, in the field its type's class uses.
type ArgValue struct {
	// Int holds integers (the bits as read; Eval truncates them to the
	// type's width and extends them as its signedness says), capability
	// sets, and for other types the raw 64-bit argument (a pointer), which
	// Equal and NotEqual compare.
	Int int64
	// Bytes holds strings and buffers, the path of file-like arguments
	// (for fd: the path FollowFD recorded), and the path of a sockaddr_un
	// (an abstract name without its leading NUL, up to its first NUL, as
	// Tetragon compares it).
	Bytes []byte
	// Sock holds what sock, skb, socket and sockaddr arguments are tested
	// on, and a sockaddr_un's Family.
	Sock *Sock
	// Mode is the mode of a file or path argument's inode (FileType tests
	// its S_IFMT bits).
	Mode uint16
	// File is the identity of a file or path argument's inode, which
	// SameFile compares; zero when the argument has no inode.
	File FileID
}

// FileID identifies a file on a machine: its inode number and the device
// of its file system, as the kernel numbers devices (MAJOR<<20 | MINOR,
// the super_block's s_dev), not as stat(2) encodes st_dev.
type FileID struct {
	Ino uint64
	Dev uint32
}

// Sock is the network view of a socket, packet or address argument. A
// sockaddr holds one address: it is SAddr and SPort.
type Sock struct {
	Family   uint16
	Protocol uint16
	State    uint8
	SAddr    netip.Addr
	DAddr    netip.Addr
	SPort    uint16
	DPort    uint16
}

// Process is the calling process as the process table knows it.
type Process struct {
	PID   uint32 // as the host sees it
	NsPID uint32 // in the process's own PID namespace (1 for a container's init)
	// Binary is the path of the executable the process runs: a process
	// that forked without exec runs its parent's, which is how "child
	// processes" match matchBinaries without followChildren.
	Binary string
	// Ancestors are the parent, its parent, and so on.
	Ancestors []Ancestor
	// NS and ExecNS are the namespace inodes now and when the process
	// executed its binary (0: unknown), by Namespace.
	NS, ExecNS [NumNamespaces]uint32
	// Caps and ExecCaps are the capability sets now and at exec, by CapSet.
	Caps, ExecCaps [3]uint64
	// Args is the process's argument area after argv[0] as the kernel
	// held it at the process's exec (a fork keeps its parent's): argv[1],
	// argv[2], ... each NUL-terminated. Nil when unknown.
	Args []byte
}

// Ancestor is one process up the parent chain.
type Ancestor struct {
	PID    uint32
	NsPID  uint32
	Binary string
	PidNS  uint32 // inode of its PID namespace
}

// Host is what Eval needs of the machine: the inodes of its initial
// namespaces, for host_ns values and isNamespaceCapability. A process is
// in the host user namespace when its NS[NsUser] equals Host.NS[NsUser].
type Host struct {
	NS [NumNamespaces]uint32
	// Files are the identities of files on the machine that loaded the
	// policy, by path: what the values of SameFile tests named there when
	// the policy was loaded.
	Files map[string]FileID
}

// Result is what a hook does with an event.
type Result struct {
	// Matched: a selector matched (or the hook has none). Selector is the
	// one that matched, nil when the hook has no selectors or none matched.
	Matched  bool
	Selector *Selector
	// Actions run at entry: the matching selector's Actions.
	Actions []*Action
	// ReturnPassed: the selector's return tests passed (true when it has
	// none). ReturnActions run then.
	ReturnPassed  bool
	ReturnActions []*Action
	// Posted: an event reaches user space.
	Posted bool
}

// Eval is the reference semantics of a hook's selectors, the executable
// form of the specification's "Selector Semantics". Generated code is
// tested against it. It decides which selector matches ev and what follows:
//
//   - Selectors are ORed in order; the first whose entry tests all pass is
//     chosen and only its actions run. A hook without selectors matches
//     every call and posts its event.
//   - The tests of a selector are ANDed. A test with several values passes
//     when any value matches, except for the negated operators (NotEqual,
//     NotIn, NotPrefix, NotPostfix, NotInMap, NotInRange, NotSAddr,
//     NotDAddr, NotSPort, NotDPort), which pass when no value matches. The
//     values of a test are its Values together with its Map's.
//   - Integers compare at the width and signedness of the argument's type:
//     a uint32 0xffffffff is 4294967295, an int32 0xffffffff is -1. GT and
//     LT pass when the argument is above (below) any value; Mask when
//     arg&v != 0 for any v; InRange and InMap ranges are inclusive.
//   - Strings compare as bytes: Equal exactly, Prefix and Postfix at the
//     start and end. File-like arguments compare their path.
//   - SameFile: the identity (inode number and device) of the file or
//     path argument's inode is that of one of the values, the paths of
//     files on the machine that loaded the policy (Host.Files); a hard
//     link or a bind mount of a file is the same file. NotSameFile: none.
//     An argument without an inode is no file of the values.
//   - SAddr/DAddr: the address lies in a prefix; SPort/DPort, Protocol,
//     Family, State: the number lies in a range; SPortPriv/DPortPriv: the
//     port is below 1024 (the Not forms: 1024 or above). A capability set
//     Equal compares the whole set; CapabilitiesGained passes when the new
//     set (Slot) has a capability the old (Slot2) lacks.
//   - matchPIDs compares the host PID, or the PID in the process's PID
//     namespace with isNamespacePID. With followForks the process and its
//     ancestors form a chain, and In passes when any member's PID is listed,
//     NotIn when none is. For namespace PIDs the chain stops at the PID
//     namespace's boundary: ancestors in another PID namespace are not in it.
//     That is what makes "NotIn 0, 1, followForks, isNamespacePID" pass for
//     a process started by kubectl exec (whose parent is outside the
//     container) and fail for the descendants of the container's init.
//   - matchBinaries compares the executable's path; with followChildren the
//     binaries of the ancestors count too (In: any, NotIn: none).
//   - matchParentBinaries compares the path of the parent's executable (the
//     first of Ancestors, as the process table records it); with
//     followChildren the binaries of the parent's ancestors count too. When
//     the table does not know the parent (no Ancestors) the test fails
//     whatever its operator: NotIn cannot vouch for a parent it never saw.
//   - matchCmdArgs compares one argument of the process (Process.Args, at
//     index: 0 is the first after argv[0]) with the values: Equal, Prefix
//     or Postfix, any value. Only the first CmdArgsMax bytes of the
//     arguments are seen (an argument cut there compares as its cut
//     part), and at most CmdArgsIndexMax arguments. When the argument does
//     not exist, or the arguments are unknown, the test fails. The tests
//     of one selector are ANDed, as all its filters.
//   - matchNamespaces compares the inode of the namespace of that kind;
//     host_ns stands for the host's inode of the kind.
//   - matchCapabilities: In passes when the set holds any listed
//     capability, NotIn when it holds none. With isNamespaceCapability the
//     test fails for a process in the host user namespace.
//   - matchNamespaceChanges: In passes when the inode of a listed kind
//     differs from its inode at exec; NotIn when that of a kind not listed
//     does. Kinds whose exec-time inode is unknown (0) never count.
//   - matchCapabilityChanges: In passes when the listed capabilities of the
//     set differ from exec time; NotIn when they are unchanged but the set
//     changed in other capabilities. isNamespaceCapability as above.
//   - matchReturnArgs are tested when the function returns: the chosen
//     selector's entry actions have run, and its return actions run and
//     the event is posted only if they pass.
//   - The event is posted unless NoPost is among the actions that ran.
//     Rate limits (Post rateLimit) are state across events and out of
//     Eval's scope: Eval answers as if the limit let the event through.
//
// Eval returns an error when ev lacks what a test reads (an argument slot,
// a socket), never panics, and does not modify h or ev.
func Eval(h *Hook, ev *Event) (Result, error) {
	if h == nil || ev == nil {
		return Result{}, errors.New("eval: nil hook or event")
	}
	if len(h.Selectors) == 0 {
		return Result{Matched: true, ReturnPassed: true, Posted: true}, nil
	}
	for _, s := range h.Selectors {
		ok, err := allPass(h, s.Tests, ev)
		if err != nil {
			return Result{}, fmt.Errorf("eval: selector %d: %w", s.Index, err)
		}
		if !ok {
			continue
		}
		res := Result{Matched: true, Selector: s, Actions: s.Actions}
		res.ReturnPassed, err = allPass(h, s.ReturnTests, ev)
		if err != nil {
			return Result{}, fmt.Errorf("eval: selector %d: %w", s.Index, err)
		}
		if res.ReturnPassed {
			res.ReturnActions = s.ReturnActions
		}
		noPost := slices.ContainsFunc(res.Actions, isNoPost) || slices.ContainsFunc(res.ReturnActions, isNoPost)
		res.Posted = res.ReturnPassed && !noPost
		return res, nil
	}
	return Result{}, nil
}

func isNoPost(a *Action) bool { return a != nil && a.Kind == ActNoPost }

func allPass(h *Hook, tests []*Test, ev *Event) (bool, error) {
	for _, t := range tests {
		ok, err := EvalTest(h, t, ev)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// EvalTest reports whether one test of hook h passes for ev, with the
// semantics Eval documents.
func EvalTest(h *Hook, t *Test, ev *Event) (bool, error) {
	if t == nil {
		return false, errors.New("nil test")
	}
	p := &ev.Process
	switch t.Kind {
	case TestArg:
		v, err := argValue(ev, t.Slot)
		if err != nil {
			return false, err
		}
		return testValue(t, v, ev)
	case TestReturn:
		return testValue(t, ev.Return, nil)
	case TestPID:
		chain := []uint32{p.PID}
		if t.NamespacePID {
			chain[0] = p.NsPID
		}
		if t.FollowForks {
			for _, a := range p.Ancestors {
				if !t.NamespacePID {
					chain = append(chain, a.PID)
				} else if a.PidNS == p.NS[NsPid] {
					chain = append(chain, a.NsPID)
				} else {
					break // the PID namespace's boundary
				}
			}
		}
		found := slices.ContainsFunc(chain, func(pid uint32) bool {
			return anyValue(t, func(v Value) bool { return v.Kind == ValInt && v.Int == int64(pid) })
		})
		return found == (t.Op == OpIn), nil
	case TestBinary:
		chain := []string{p.Binary}
		if t.FollowChildren {
			for _, a := range p.Ancestors {
				chain = append(chain, a.Binary)
			}
		}
		found := slices.ContainsFunc(chain, func(bin string) bool {
			return anyValue(t, func(v Value) bool { return stringOp(t.Op, []byte(bin), v) })
		})
		return found != t.Op.Negated(), nil
	case TestParentBinary:
		if len(p.Ancestors) == 0 {
			return false, nil // the parent is unknown
		}
		chain := []string{p.Ancestors[0].Binary}
		if t.FollowChildren {
			for _, a := range p.Ancestors[1:] {
				chain = append(chain, a.Binary)
			}
		}
		found := slices.ContainsFunc(chain, func(bin string) bool {
			return anyValue(t, func(v Value) bool { return stringOp(t.Op, []byte(bin), v) })
		})
		return found != t.Op.Negated(), nil
	case TestCmdArg:
		arg, ok := CmdArg(p.Args, t.CmdArg)
		if !ok {
			return false, nil // no such argument: fails, whatever the operator
		}
		return anyValue(t, func(v Value) bool { return stringOp(t.Op, arg, v) }), nil
	case TestNamespace:
		if t.Namespace >= NumNamespaces {
			return false, fmt.Errorf("namespace kind %d", t.Namespace)
		}
		inode := int64(p.NS[t.Namespace])
		found := t.HostNS && inode == int64(ev.Host.NS[t.Namespace]) ||
			anyValue(t, func(v Value) bool { return v.Kind == ValInt && v.Int == inode })
		return found == (t.Op == OpIn), nil
	case TestCaps, TestCapChange:
		if int(t.CapSet) >= len(p.Caps) {
			return false, fmt.Errorf("capability set %d", t.CapSet)
		}
		if t.NamespaceCap && p.NS[NsUser] == ev.Host.NS[NsUser] {
			return false, nil
		}
		now := p.Caps[t.CapSet]
		if t.Kind == TestCaps {
			return (now&t.Mask != 0) == (t.Op == OpIn), nil
		}
		exec := p.ExecCaps[t.CapSet]
		if t.Op == OpIn {
			return exec&t.Mask != now&t.Mask, nil
		}
		return exec&t.Mask == now&t.Mask && exec != now, nil
	case TestNSChange:
		for k := Namespace(0); k < NumNamespaces; k++ {
			listed := t.Mask&(1<<k) != 0
			if listed == (t.Op == OpIn) && p.ExecNS[k] != 0 && p.ExecNS[k] != p.NS[k] {
				return true, nil
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("unknown test kind %d", t.Kind)
}

func argValue(ev *Event, slot int) (ArgValue, error) {
	if slot < 0 || slot >= len(ev.Args) {
		return ArgValue{}, fmt.Errorf("event has no argument in slot %d", slot)
	}
	return ev.Args[slot], nil
}

// anyValue reports whether match holds for any value of t, its map's
// included.
func anyValue(t *Test, match func(Value) bool) bool {
	if slices.ContainsFunc(t.Values, match) {
		return true
	}
	return t.Map != nil && slices.ContainsFunc(t.Map.Values, match)
}

// testValue applies an argument test (matchArgs, matchReturnArgs) to v:
// the meaning its operator's row gives (ops.go).
func testValue(t *Test, v ArgValue, ev *Event) (bool, error) {
	eval := t.Op.Info().Eval
	if eval == nil {
		return false, fmt.Errorf("operator %s is not an argument test", t.Op)
	}
	return eval(t, v, ev)
}

// The meanings of the operator table's rows. Most are "any value matches"
// (anyValue), negated for the Not forms.

// anyMatch is the usual shape: the test passes when one of its values
// matches (for a negated operator: when none does).
func anyMatch(t *Test, match func(Value) bool) (bool, error) {
	return anyValue(t, match) != t.Op.Negated(), nil
}

func evalEqual(t *Test, v ArgValue, _ *Event) (bool, error) {
	typ := t.Type
	if c := typ.Class(); c == ClassString || c == ClassPath {
		return anyMatch(t, func(val Value) bool { return val.Kind == ValString && bytes.Equal(v.Bytes, []byte(val.Str)) })
	}
	x := FitInt(typ, v.Int)
	return anyMatch(t, func(val Value) bool { return val.Kind == ValInt && x == FitInt(typ, val.Int) })
}

func evalString(t *Test, v ArgValue, _ *Event) (bool, error) {
	return anyMatch(t, func(val Value) bool { return stringOp(t.Op, v.Bytes, val) })
}

func evalCompare(t *Test, v ArgValue, _ *Event) (bool, error) {
	typ := t.Type
	x, signed := FitInt(typ, v.Int), typ.Signed()
	want := 1
	if t.Op == OpLT {
		want = -1
	}
	return anyMatch(t, func(val Value) bool {
		return val.Kind == ValInt && CompareInts(x, FitInt(typ, val.Int), signed) == want
	})
}

func evalMask(t *Test, v ArgValue, _ *Event) (bool, error) {
	x := FitInt(t.Type, v.Int)
	return anyMatch(t, func(val Value) bool { return val.Kind == ValInt && x&val.Int != 0 })
}

func evalInRange(t *Test, v ArgValue, _ *Event) (bool, error) {
	x := FitInt(t.Type, v.Int)
	return anyMatch(t, func(val Value) bool { return inRange(val, x, t.Type.Signed()) })
}

// evalSock is the meaning of a socket operator testing one field.
func evalSock(field func(s *Sock, val Value) bool) func(*Test, ArgValue, *Event) (bool, error) {
	return func(t *Test, v ArgValue, _ *Event) (bool, error) {
		if v.Sock == nil {
			return false, fmt.Errorf("%s needs a socket value", t.Op)
		}
		return anyMatch(t, func(val Value) bool { return field(v.Sock, val) })
	}
}

func sockSAddr(s *Sock, val Value) bool {
	return val.Kind == ValPrefix && s.SAddr.IsValid() && val.Net.Contains(s.SAddr.Unmap())
}

func sockDAddr(s *Sock, val Value) bool {
	return val.Kind == ValPrefix && s.DAddr.IsValid() && val.Net.Contains(s.DAddr.Unmap())
}

func sockSPort(s *Sock, val Value) bool    { return inRange(val, int64(s.SPort), false) }
func sockDPort(s *Sock, val Value) bool    { return inRange(val, int64(s.DPort), false) }
func sockProtocol(s *Sock, val Value) bool { return inRange(val, int64(s.Protocol), false) }
func sockFamily(s *Sock, val Value) bool   { return inRange(val, int64(s.Family), false) }
func sockState(s *Sock, val Value) bool    { return inRange(val, int64(s.State), false) }

// evalPortPriv: a privileged port is below 1024.
func evalPortPriv(t *Test, v ArgValue, _ *Event) (bool, error) {
	if v.Sock == nil {
		return false, fmt.Errorf("%s needs a socket value", t.Op)
	}
	switch t.Op {
	case OpSPortPriv:
		return v.Sock.SPort < 1024, nil
	case OpNotSPortPriv:
		return v.Sock.SPort >= 1024, nil
	case OpDPortPriv:
		return v.Sock.DPort < 1024, nil
	}
	return v.Sock.DPort >= 1024, nil
}

// evalCapsGained: the new set (the test's slot) holds a capability the
// old one (Slot2) does not.
func evalCapsGained(t *Test, nw ArgValue, ev *Event) (bool, error) {
	if ev == nil {
		return false, fmt.Errorf("%s compares two arguments", t.Op)
	}
	old, err := argValue(ev, t.Slot2)
	if err != nil {
		return false, err
	}
	return uint64(nw.Int)&^uint64(old.Int) != 0, nil
}

// evalSubString: a value occurs in the argument before its first NUL (the
// kernel's strnstr stops there); SubStringIgnCase folds ASCII letters.
func evalSubString(t *Test, v ArgValue, _ *Event) (bool, error) {
	hay := v.Bytes
	if i := bytes.IndexByte(hay, 0); i >= 0 {
		hay = hay[:i]
	}
	fold := t.Op == OpSubStringIgnCase
	if fold {
		hay = asciiLower(hay)
	}
	return anyMatch(t, func(val Value) bool {
		if val.Kind != ValString {
			return false
		}
		needle := []byte(val.Str)
		if fold {
			needle = asciiLower(needle)
		}
		return bytes.Contains(hay, needle)
	})
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// evalFileType: the type bits (S_IFMT) of the file's inode mode are one of
// the values.
func evalFileType(t *Test, v ArgValue, _ *Event) (bool, error) {
	mode := int64(v.Mode) & FileTypeMask
	return anyMatch(t, func(val Value) bool { return val.Kind == ValInt && val.Int == mode })
}

// evalSameFile: the argument's inode is one of the files the values
// named on the machine that loaded the policy (ev.Host.Files). A value
// that named no file there is an error: the policy would not have loaded.
func evalSameFile(t *Test, v ArgValue, ev *Event) (bool, error) {
	if ev == nil {
		return false, fmt.Errorf("%s tests an argument, not a return value", t.Op)
	}
	for _, val := range append(append([]Value(nil), t.Values...), mapValuesOf(t.Map)...) {
		if _, ok := ev.Host.Files[val.Str]; !ok {
			return false, fmt.Errorf("%s value %q: the event's host has no such file (the policy does not load)", t.Op, val.Str)
		}
	}
	found := v.File != FileID{} && anyValue(t, func(val Value) bool { return ev.Host.Files[val.Str] == v.File })
	return found != t.Op.Negated(), nil
}

func mapValuesOf(m *Map) []Value {
	if m == nil {
		return nil
	}
	return m.Values
}

// inRange: x equals an integer value or lies in a range value.
func inRange(v Value, x int64, signed bool) bool {
	switch v.Kind {
	case ValInt:
		return v.Int == x
	case ValRange:
		return CompareInts(v.Int, x, signed) <= 0 && CompareInts(x, v.Hi, signed) <= 0
	}
	return false
}

// CmdArg returns the argument at index of args (an argument area after
// argv[0], see Process.Args) as a matchCmdArgs test sees it, and whether
// there is one: only the first CmdArgsMax bytes are kept (an argument cut
// there is its cut part), and at most CmdArgsIndexMax arguments are
// walked. An empty argument is an argument.
func CmdArg(args []byte, index int) ([]byte, bool) {
	if index < 0 || index >= CmdArgsIndexMax {
		return nil, false
	}
	if len(args) > CmdArgsMax {
		args = args[:CmdArgsMax]
	}
	for i := 0; len(args) > 0; i++ {
		s, rest, _ := bytes.Cut(args, []byte{0})
		if i == index {
			return s, true
		}
		args = rest
	}
	return nil, false
}

func stringOp(op Op, s []byte, v Value) bool {
	if v.Kind != ValString {
		return false
	}
	switch op {
	case OpIn, OpNotIn, OpEqual, OpNotEqual:
		return string(s) == v.Str
	case OpPrefix, OpNotPrefix:
		return bytes.HasPrefix(s, []byte(v.Str))
	case OpPostfix, OpNotPostfix:
		return bytes.HasSuffix(s, []byte(v.Str))
	}
	return false
}

// FitInt reduces the bits x to integer type t: truncated to its width,
// then sign- or zero-extended. Types without a width keep all 64 bits.
func FitInt(t ArgType, x int64) int64 {
	size := t.Size()
	if size == 0 || size >= 8 {
		return x
	}
	shift := uint(64 - 8*size)
	if t.Signed() {
		return x << shift >> shift
	}
	return int64(uint64(x) << shift >> shift)
}
