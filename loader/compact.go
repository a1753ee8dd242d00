package loader

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/internal/termtext"
)

// Compact renders e as one line for people:
//
//	15:04:05.000 passwd-readers kprobe fd_install 1234 /usr/bin/cat fd=3 file=/etc/passwd POST
//	15:04:05.000 process_exec 1234 /usr/bin/cat args="/etc/passwd" cwd=/root
//	15:04:05.000 process_exit 1234 /usr/bin/cat status=0
func (e *Event) Compact() string { return string(e.AppendCompact(nil)) }

// AppendCompact appends Compact's line to dst and returns the extended
// buffer; for an event whose arguments are integers and whose strings are
// printable ASCII, without allocating.
func (e *Event) AppendCompact(dst []byte) []byte {
	start := len(dst)
	dst = appendLocalClock(dst, e.Time)
	if e.Kind == KindExec || e.Kind == KindExit {
		dst = e.appendCompactProcess(dst)
		if line := dst[start:]; !printableASCII(line) {
			dst = append(dst[:start], termtext.Line(string(line))...)
		}
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, e.Policy...)
	dst = append(dst, ' ')
	dst = append(dst, e.Hook.Kind...)
	dst = append(dst, ' ')
	dst = append(dst, e.Hook.Target...)
	if e.Hook.Symbol != "" {
		dst = append(dst, ':')
		dst = append(dst, e.Hook.Symbol...)
	}
	if e.Process != nil && e.Process.PID != nil {
		dst = append(dst, ' ')
		dst = strconv.AppendUint(dst, uint64(*e.Process.PID), 10)
		bin := e.Process.Binary
		if bin == "" {
			bin = "?"
		}
		dst = append(dst, ' ')
		dst = append(dst, bin...)
	}
	for i := range len(e.Args) + len(e.Data) {
		var a *Arg
		if i < len(e.Args) {
			a = &e.Args[i]
		} else {
			a = &e.Data[i-len(e.Args)]
		}
		dst = append(dst, ' ')
		if a.Label != "" {
			dst = append(dst, a.Label...)
		} else {
			dst = append(dst, a.Type...)
		}
		dst = append(dst, '=')
		dst = a.appendCompactValue(dst)
	}
	if e.Return != nil {
		dst = append(dst, " => "...)
		dst = e.Return.appendCompactValue(dst)
	}
	dst = append(dst, ' ')
	dst = append(dst, strings.TrimPrefix(e.Action.String(), "KPROBE_ACTION_")...)
	// Binaries, hook targets and policy names come from processes and
	// bundles: nothing in them may act on the terminal or break the line.
	if line := dst[start:]; !printableASCII(line) {
		dst = append(dst[:start], termtext.Line(string(line))...)
	}
	return dst
}

// appendCompactProcess appends the rest of a process_exec or
// process_exit event's line, after its time.
func (e *Event) appendCompactProcess(dst []byte) []byte {
	dst = append(dst, ' ')
	dst = append(dst, e.Kind...)
	p := e.Process
	if p == nil {
		return dst
	}
	if p.PID != nil {
		dst = append(dst, ' ')
		dst = strconv.AppendUint(dst, uint64(*p.PID), 10)
	}
	bin := p.Binary
	if bin == "" {
		bin = "?"
	}
	dst = append(dst, ' ')
	dst = append(dst, bin...)
	if e.Kind == KindExit {
		if e.Signal != "" {
			dst = append(dst, " signal="...)
			return append(dst, e.Signal...)
		}
		dst = append(dst, " status="...)
		return strconv.AppendUint(dst, uint64(e.Status), 10)
	}
	if p.Arguments != "" {
		dst = append(dst, " args="...)
		dst = strconv.AppendQuote(dst, p.Arguments)
	}
	if p.Cwd != "" {
		dst = append(dst, " cwd="...)
		dst = append(dst, quoteIfNeeded(p.Cwd)...)
	}
	return dst
}

// printableASCII says that termtext.Line would leave b as it is (it
// escapes everything else, and then allocates).
func printableASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// appendCompactValue appends compactValue, integers without allocating.
func (a *Arg) appendCompactValue(dst []byte) []byte {
	switch v := a.Value.(type) {
	case int32:
		return strconv.AppendInt(dst, int64(v), 10)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case uint32:
		return strconv.AppendUint(dst, uint64(v), 10)
	case uint64:
		return strconv.AppendUint(dst, v, 10)
	case SyscallIDArg:
		// abi/name(id), or abi/id for a number without a name.
		dst = append(dst, v.ABI...)
		dst = append(dst, '/')
		if n, err := arch.SyscallName(arch.ABI(v.ABI).Arch(), arch.ABI(v.ABI), int(v.ID)); err == nil {
			dst = append(dst, n...)
			dst = append(dst, '(')
			dst = strconv.AppendUint(dst, uint64(v.ID), 10)
			return append(dst, ')')
		}
		return strconv.AppendUint(dst, uint64(v.ID), 10)
	}
	return append(dst, a.compactValue()...)
}

func (a Arg) compactValue() string {
	switch v := a.Value.(type) {
	case int32, uint32, int64, uint64:
		return fmt.Sprint(v)
	case string:
		return quoteIfNeeded(v)
	case []byte:
		return quoteIfNeeded(shorten(string(v)))
	case FileArg:
		return quoteIfNeeded(v.Path)
	case BinprmArg:
		return quoteIfNeeded(v.Path)
	case NameArg:
		return v.Name
	case TruncatedBytesArg:
		return quoteIfNeeded(shorten(string(v.BytesArg))) + "…(" + v.OrigSize + " bytes)"
	case SyscallIDArg:
		if n, err := arch.SyscallName(arch.ABI(v.ABI).Arch(), arch.ABI(v.ABI), int(v.ID)); err == nil {
			return fmt.Sprintf("%s/%s(%d)", v.ABI, n, v.ID)
		}
		return fmt.Sprintf("%s/%d", v.ABI, v.ID)
	case CapabilityArg:
		if v.Value != nil {
			return capName(*v.Value)
		}
	case SockArg:
		return flow(v.Protocol, v.Saddr, v.Sport, v.Daddr, v.Dport)
	case SkbArg:
		return flow(v.Protocol, v.Saddr, v.Sport, v.Daddr, v.Dport)
	case SockaddrArg:
		return net.JoinHostPort(v.Addr, strconv.FormatUint(uint64(v.Port), 10))
	case SockaddrUnArg:
		return v.Path
	case DNSArg:
		if !v.Parsed {
			return "dns(unparsed)"
		}
		return v.QueryName + " " + v.QueryTypeStr
	}
	// Structs without a short form print as their JSON.
	b, err := json.Marshal(a.Value)
	if err != nil {
		return "?"
	}
	return string(b)
}

// flow is "TCP 10.0.0.1:40000->1.1.1.1:53".
func flow(proto, saddr string, sport uint32, daddr string, dport uint32) string {
	return fmt.Sprintf("%s:%s->%s", strings.TrimPrefix(proto, "IPPROTO_"),
		net.JoinHostPort(saddr, strconv.FormatUint(uint64(sport), 10)), net.JoinHostPort(daddr, strconv.FormatUint(uint64(dport), 10)))
}

func shorten(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return s[:max]
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"=") || !strconv.CanBackquote(s) {
		return strconv.Quote(s)
	}
	return s
}

// appendLocalClock appends t's local time of day as "15:04:05.000". The
// "15:04:05" of the last second written is kept: events come in time
// order, so it is formatted once a second, not for every event.
func appendLocalClock(dst []byte, t time.Time) []byte {
	sec := t.Unix()
	c := localClock.Load()
	if c == nil || c.sec != sec {
		c = &cachedClock{sec: sec}
		t.Local().AppendFormat(c.text[:0], "15:04:05")
		localClock.Store(c)
	}
	dst = append(dst, c.text[:]...)
	ms := t.Nanosecond() / 1e6
	return append(dst, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
}

// cachedClock is the local "15:04:05" of one Unix second.
type cachedClock struct {
	sec  int64
	text [8]byte
}

// localClock is the second of the last compact line; readers on several
// goroutines share it through the atomic pointer.
var localClock atomic.Pointer[cachedClock]
