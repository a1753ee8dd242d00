package ir

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// ValueKind says which field of a Value is set.
type ValueKind uint8

const (
	ValInt    ValueKind = iota // Int
	ValRange                   // Int..Hi, inclusive
	ValString                  // Str
	ValPrefix                  // Net: an address or CIDR, host bits cleared
	ValList                    // List: a "list:NAME" reference, expanded by lowering
)

// Value is one parsed entry of a filter's values. Integers are kept as
// 64-bit patterns: an unsigned value above MaxInt64 keeps its bits, and the
// argument's type says how to compare.
type Value struct {
	Kind ValueKind
	Int  int64
	Hi   int64
	Str  string
	Net  netip.Prefix
	List string
}

// MaxMatchLen bounds string values: the longest string a program reads,
// a string argument, holds 4096 characters (Tetragon's MAX_STRING; its
// string maps take values of 4096 bytes on 5.11+). Paths hold PATH_MAX
// bytes with their NUL, buffers their read cap.
const MaxMatchLen = 4096

// MaxUnixPathLen bounds a sockaddr_un's path as read: sun_path's 108
// bytes less the NUL the read stores (an abstract name's leading NUL is
// not part of it).
const MaxUnixPathLen = 107

// ParseArgValue parses one matchArgs (or matchReturnArgs) value for operator
// op on an argument of type t. The error says what is wrong with s, in
// words a policy author can act on.
func ParseArgValue(op Op, t ArgType, s string) (Value, error) {
	if parse := op.Info().Parse; parse != nil {
		return parse(t, s)
	}
	return Value{}, fmt.Errorf("operator %s takes no values", op)
}

// The value parsers of the operator table (ops.go).

func parseEqual(t ArgType, s string) (Value, error) {
	switch t.Class() {
	case ClassString, ClassPath:
		return parseString(t, s)
	case ClassCaps:
		m, err := parseCapMask(s)
		return Value{Kind: ValInt, Int: int64(m)}, err
	}
	return parseTypedInt(t, s)
}

func parseMask(t ArgType, s string) (Value, error) {
	u, err := parseUintBits(s, t.Size())
	return Value{Kind: ValInt, Int: int64(u)}, err
}

func parseInMap(t ArgType, s string) (Value, error) {
	if name, ok := strings.CutPrefix(s, "list:"); ok {
		if name == "" {
			return Value{}, errors.New(`"list:" needs a list name, as in "list:dups"`)
		}
		return Value{Kind: ValList, List: name}, nil
	}
	if strings.Contains(s, ":") {
		return parseRange(t, s)
	}
	return parseTypedInt(t, s)
}

func parseAddrValue(_ ArgType, s string) (Value, error) {
	p, err := ParseAddr(s)
	return Value{Kind: ValPrefix, Net: p}, err
}

func parsePort(_ ArgType, s string) (Value, error) {
	return parseNamedRange(s, nil, 65535, "a port number 0-65535 or a range such as 8000:8080")
}

func parseProtocol(_ ArgType, s string) (Value, error) {
	return parseNamedRange(s, Protocols, 65535, "a protocol number or name such as IPPROTO_TCP")
}

func parseFamily(_ ArgType, s string) (Value, error) {
	return parseNamedRange(s, Families, 65535, "an address family number or name such as AF_INET")
}

func parseState(_ ArgType, s string) (Value, error) {
	return parseNamedRange(s, TCPStates, 255, "a TCP state number or name such as TCP_ESTABLISHED")
}

func parseString(t ArgType, s string) (Value, error) {
	if t == TypeString || t == TypeSockaddrUn || t.Class() == ClassPath {
		// Tetragon's documentation writes "/etc/passwd\0" for strings; the
		// NUL is the terminator, not part of the text.
		s = strings.TrimSuffix(s, "\x00")
	}
	if len(s) > MaxMatchLen {
		return Value{}, fmt.Errorf("string of %d bytes is longer than the %d bytes an argument holds", len(s), MaxMatchLen)
	}
	if t == TypeSockaddrUn && len(s) > MaxUnixPathLen {
		return Value{}, fmt.Errorf("path of %d bytes is longer than the %d bytes a sockaddr_un's path holds", len(s), MaxUnixPathLen)
	}
	if strings.IndexByte(s, 0) >= 0 && t != TypeCharBuf && t != TypeCharIovec {
		return Value{}, errors.New("a NUL byte can only end a string value")
	}
	return Value{Kind: ValString, Str: s}, nil
}

// ParseInt parses an integer as Go and Tetragon do (decimal, 0x hex, 0o or
// leading-0 octal, 0b binary) and checks it fits type t.
func parseTypedInt(t ArgType, s string) (Value, error) {
	if t == TypeCapability {
		if n, ok := Capabilities[strings.ToUpper(strings.TrimSpace(s))]; ok {
			return Value{Kind: ValInt, Int: int64(n)}, nil
		}
	}
	size := t.Size()
	if size == 0 {
		size = 8
	}
	bits := size * 8
	s = strings.TrimSpace(s)
	if t.Signed() {
		n, err := strconv.ParseInt(s, 0, bits)
		if err != nil {
			return Value{}, intError(s, t, err)
		}
		return Value{Kind: ValInt, Int: n}, nil
	}
	if strings.HasPrefix(s, "-") {
		return Value{}, fmt.Errorf("%q is negative but %s is unsigned", s, t)
	}
	u, err := strconv.ParseUint(s, 0, bits)
	if err != nil {
		return Value{}, intError(s, t, err)
	}
	return Value{Kind: ValInt, Int: int64(u)}, nil
}

func intError(s string, t ArgType, err error) error {
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("%q does not fit in %s (%d bits)", s, t, t.Size()*8)
	}
	return fmt.Errorf("%q is not an integer (for type %s)", s, t)
}

func parseUintBits(s string, size int) (uint64, error) {
	if size == 0 {
		size = 8
	}
	u, err := strconv.ParseUint(strings.TrimSpace(s), 0, size*8)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("mask %q does not fit in %d bits", s, size*8)
		}
		return 0, fmt.Errorf("mask %q is not a non-negative integer", s)
	}
	return u, nil
}

func parseRange(t ArgType, s string) (Value, error) {
	lo, hi, found := strings.Cut(s, ":")
	if !found {
		hi = lo
	}
	a, err := parseTypedInt(t, lo)
	if err != nil {
		return Value{}, err
	}
	b, err := parseTypedInt(t, hi)
	if err != nil {
		return Value{}, err
	}
	less := a.Int > b.Int
	if !t.Signed() {
		less = uint64(a.Int) > uint64(b.Int)
	}
	if less {
		return Value{}, fmt.Errorf("range %q starts above its end; write min:max", s)
	}
	return Value{Kind: ValRange, Int: a.Int, Hi: b.Int}, nil
}

// parseNamedRange parses a number, a name from names, or a lo:hi range of
// numbers, each at most max.
func parseNamedRange(s string, names map[string]int, max int, want string) (Value, error) {
	s = strings.TrimSpace(s)
	if n, ok := names[s]; ok {
		return Value{Kind: ValRange, Int: int64(n), Hi: int64(n)}, nil
	}
	lo, hi, found := strings.Cut(s, ":")
	if !found {
		hi = lo
	}
	a, err1 := strconv.ParseUint(lo, 10, 32)
	b, err2 := strconv.ParseUint(hi, 10, 32)
	if err1 != nil || err2 != nil || a > uint64(max) || b > uint64(max) {
		return Value{}, fmt.Errorf("%q is not %s", s, want)
	}
	if a > b {
		return Value{}, fmt.Errorf("range %q starts above its end; write min:max", s)
	}
	return Value{Kind: ValRange, Int: int64(a), Hi: int64(b)}, nil
}

// ParseAddr parses an IPv4 or IPv6 address or CIDR. Host bits beyond the
// prefix are cleared: "127.0.0.1/8" means 127.0.0.0/8, as in Tetragon.
func ParseAddr(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8 or fd00::/8", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR", s)
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// parseCapMask parses a capability set value: CAP_* names joined by "|", or
// an integer bit mask.
func parseCapMask(s string) (uint64, error) {
	if u, err := strconv.ParseUint(strings.TrimSpace(s), 0, 64); err == nil {
		return u, nil
	}
	var m uint64
	for _, name := range strings.Split(s, "|") {
		n, ok := Capabilities[strings.ToUpper(strings.TrimSpace(name))]
		if !ok {
			return 0, fmt.Errorf("%q is not a capability name such as CAP_SYS_ADMIN, nor a bit mask", strings.TrimSpace(name))
		}
		m |= 1 << n
	}
	return m, nil
}

// ParseCapability parses a CAP_* name, in any case, as Tetragon does.
func ParseCapability(s string) (int, error) {
	if n, ok := Capabilities[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return n, nil
	}
	return 0, fmt.Errorf("%q is not a capability name such as CAP_SYS_ADMIN", s)
}

// ParsePID parses a matchPIDs value.
func ParsePID(s string) (uint32, error) {
	u, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not a process ID (0 to %d)", s, uint32(math.MaxUint32))
	}
	return uint32(u), nil
}

// HostNS is the matchNamespaces value that stands for the host's namespace
// of that kind, resolved on the host at load time.
const HostNS = "host_ns"

// ParseNamespaceValue parses a matchNamespaces value: an inode number or
// host_ns (returned as ok=false with no error).
func ParseNamespaceValue(s string) (inode uint32, isHost bool, err error) {
	if strings.TrimSpace(s) == HostNS {
		return 0, true, nil
	}
	u, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, false, fmt.Errorf("%q is neither a namespace inode number (see lsns) nor host_ns", s)
	}
	return uint32(u), false, nil
}
