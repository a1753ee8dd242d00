package loader

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/internal/termtext"
)

// Compact renders e as one line for people:
//
//	15:04:05.000 passwd-readers kprobe fd_install 1234 /usr/bin/cat fd=3 file=/etc/passwd POST
func (e *Event) Compact() string {
	var b strings.Builder
	b.WriteString(e.Time.Local().Format("15:04:05.000"))
	b.WriteString(" ")
	b.WriteString(e.Policy)
	b.WriteString(" ")
	b.WriteString(e.Hook.Kind)
	b.WriteString(" ")
	b.WriteString(e.Hook.Target)
	if e.Hook.Symbol != "" {
		b.WriteString(":" + e.Hook.Symbol)
	}
	if e.Process != nil && e.Process.PID != nil {
		fmt.Fprintf(&b, " %d", *e.Process.PID)
		bin := e.Process.Binary
		if bin == "" {
			bin = "?"
		}
		b.WriteString(" " + bin)
	}
	for _, a := range e.Args {
		b.WriteString(" " + a.compact())
	}
	if e.Return != nil {
		b.WriteString(" => " + e.Return.compactValue())
	}
	b.WriteString(" " + strings.TrimPrefix(e.Action.String(), "KPROBE_ACTION_"))
	// Binaries, hook targets and policy names come from processes and
	// bundles: nothing in them may act on the terminal or break the line.
	return termtext.Line(b.String())
}

func (a Arg) compact() string {
	name := a.Label
	if name == "" {
		name = a.Type
	}
	return name + "=" + a.compactValue()
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
