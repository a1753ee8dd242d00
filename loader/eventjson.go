package loader

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// The JSON encoder of events. polrun prints every event it reads, so the
// encoder appends to a caller's buffer instead of going through
// encoding/json's reflection, and reuses what stays the same from event to
// event: a process's encoded object (procEncoding, kept in the process
// cache) and the date of the timestamps (datePrefix). Its output is byte
// for byte what json.Marshal gives for the same values, field names,
// order, omitempty and string escaping included (eventjson_test.go checks
// it against the reflection encoder it replaced).

// AppendJSON appends the event's line of Tetragon's JSON export (without
// the newline) to dst and returns the extended buffer. It is what
// MarshalJSON returns, without the copy json.Marshal makes.
func (e *Event) AppendJSON(dst []byte) []byte {
	var message string
	var tags []string
	var target, symbol string
	if h := e.Hook; h != nil {
		message, tags, target, symbol = h.Message, h.Tags, h.Target, h.Symbol
	}
	action := e.Action.String()
	dst = append(dst, `{"`...)
	dst = append(dst, e.Kind...)
	dst = append(dst, `":`...)
	o := object{dst: dst}
	o.begin()
	o.process("process", e.Process, e.procEnc)
	if e.Kind != KindLoader {
		o.process("parent", e.Parent, e.parentEnc)
	}
	// Fields in the order of Tetragon's messages (their field numbers).
	switch e.Kind {
	case KindExec:
		o.processes("ancestors", e.Ancestors)
	case KindExit:
		o.str("signal", e.Signal)
		o.u32("status", e.Status)
		o.key("time")
		o.dst = appendTimestamp(o.dst, e.Time)
		o.processes("ancestors", e.Ancestors)
	case KindLoader:
		o.str("path", e.LoaderPath)
		o.bytes("buildid", e.BuildID)
		o.process("parent", e.Parent, e.parentEnc)
	case KindKprobe:
		o.str("function_name", target)
		o.args(e.Args)
		o.ret(e.Return)
		o.str("action", action)
		o.stack("kernel_stack_trace", e.KernelStackTrace)
		o.str("policy_name", e.Policy)
		o.str("message", message)
		o.strs("tags", tags)
		o.stack("user_stack_trace", e.UserStackTrace)
		o.argList("data", e.Data)
	case KindTracepoint:
		subsys, event := splitTracepoint(target)
		o.str("subsys", subsys)
		o.str("event", event)
		o.args(e.Args)
		o.str("policy_name", e.Policy)
		o.str("action", action)
		o.str("message", message)
		o.strs("tags", tags)
	case KindUprobe:
		// Tetragon's ProcessUprobe has no action field.
		o.str("path", target)
		o.str("symbol", symbol)
		o.str("policy_name", e.Policy)
		o.str("message", message)
		o.args(e.Args)
		o.strs("tags", tags)
		o.argList("data", e.Data)
	case KindUSDT:
		provider, name, _ := strings.Cut(symbol, ":")
		o.str("path", target)
		o.str("provider", provider)
		o.str("name", name)
		o.str("policy_name", e.Policy)
		o.str("message", message)
		o.args(e.Args)
		o.strs("tags", tags)
		o.str("action", action)
	default:
		o.str("function_name", target)
		o.str("policy_name", e.Policy)
		o.str("message", message)
		o.args(e.Args)
		o.str("action", action)
		o.strs("tags", tags)
		o.str("ima_hash", e.ImaHash)
		o.argList("data", e.Data)
	}
	dst = o.end()
	if e.NodeName != "" {
		dst = append(dst, `,"node_name":`...)
		dst = appendString(dst, e.NodeName)
	}
	dst = append(dst, `,"time":`...)
	dst = appendTimestamp(dst, e.Time)
	return append(dst, '}')
}

// object appends a JSON object's members, writing the separators.
type object struct {
	dst   []byte
	first bool
}

func (o *object) begin() {
	o.dst = append(o.dst, '{')
	o.first = true
}

func (o *object) end() []byte { return append(o.dst, '}') }

// key starts a member.
func (o *object) key(k string) {
	if o.first {
		o.first = false
		o.dst = append(o.dst, '"')
	} else {
		o.dst = append(o.dst, ',', '"')
	}
	o.dst = append(o.dst, k...)
	o.dst = append(o.dst, '"', ':')
}

// The member writers below leave out zero values, as omitempty does.

func (o *object) str(k, v string) {
	if v != "" {
		o.key(k)
		o.dst = appendString(o.dst, v)
	}
}

func (o *object) u32(k string, v uint32) {
	if v != 0 {
		o.key(k)
		o.dst = strconv.AppendUint(o.dst, uint64(v), 10)
	}
}

// u64s is a uint64 with the ",string" option: a decimal in quotes.
func (o *object) u64s(k string, v uint64) {
	if v != 0 {
		o.key(k)
		o.dst = append(o.dst, '"')
		o.dst = strconv.AppendUint(o.dst, v, 10)
		o.dst = append(o.dst, '"')
	}
}

func (o *object) u32p(k string, v *uint32) {
	if v != nil {
		o.key(k)
		o.dst = strconv.AppendUint(o.dst, uint64(*v), 10)
	}
}

func (o *object) i32p(k string, v *int32) {
	if v != nil {
		o.key(k)
		o.dst = strconv.AppendInt(o.dst, int64(*v), 10)
	}
}

func (o *object) boolean(k string, v bool) {
	if v {
		o.key(k)
		o.dst = append(o.dst, "true"...)
	}
}

func (o *object) bytes(k string, v []byte) {
	if len(v) > 0 {
		o.key(k)
		o.dst = appendBase64(o.dst, v)
	}
}

func (o *object) strs(k string, v []string) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.dst = appendStrings(o.dst, v)
}

func (o *object) args(v []Arg) { o.argList("args", v) }

func (o *object) argList(k string, v []Arg) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.dst = append(o.dst, '[')
	for i := range v {
		if i > 0 {
			o.dst = append(o.dst, ',')
		}
		o.dst = v[i].appendJSON(o.dst)
	}
	o.dst = append(o.dst, ']')
}

func (o *object) ret(v *Arg) {
	if v != nil {
		o.key("return")
		o.dst = v.appendJSON(o.dst)
	}
}

func (o *object) stack(k string, v []StackTraceEntry) {
	if len(v) == 0 {
		return
	}
	o.key(k)
	o.dst = append(o.dst, '[')
	for i, f := range v {
		if i > 0 {
			o.dst = append(o.dst, ',')
		}
		s := object{dst: o.dst}
		s.begin()
		s.u64s("address", f.Address)
		s.u64s("offset", f.Offset)
		s.str("symbol", f.Symbol)
		s.str("module", f.Module)
		o.dst = s.end()
	}
	o.dst = append(o.dst, ']')
}

// process writes a Process member, from enc when it was made from the
// same values.
func (o *object) process(k string, p *Process, enc *procEncoding) {
	if p == nil {
		return
	}
	o.key(k)
	if enc != nil && enc.encodes(p) {
		o.dst = append(o.dst, enc.json...)
		if p.TID != nil {
			if len(enc.json) > 1 {
				o.dst = append(o.dst, ',')
			}
			o.dst = append(o.dst, `"tid":`...)
			o.dst = strconv.AppendUint(o.dst, uint64(*p.TID), 10)
		}
		o.dst = append(o.dst, '}')
		return
	}
	o.dst = p.appendJSON(o.dst)
}

// processes writes a list of processes (ancestors), left out when empty.
func (o *object) processes(k string, ps []*Process) {
	if len(ps) == 0 {
		return
	}
	o.key(k)
	o.dst = append(o.dst, '[')
	for i, p := range ps {
		if i > 0 {
			o.dst = append(o.dst, ',')
		}
		if p == nil {
			o.dst = append(o.dst, "null"...)
			continue
		}
		o.dst = p.appendJSON(o.dst)
	}
	o.dst = append(o.dst, ']')
}

// appendJSON appends the process object.
func (p *Process) appendJSON(dst []byte) []byte {
	s := object{dst: dst}
	s.begin()
	p.appendFields(&s)
	s.u32p("tid", p.TID)
	return s.end()
}

// appendFields writes the members before tid, the one member that differs
// between the events of a process.
func (p *Process) appendFields(s *object) {
	s.str("exec_id", p.ExecID)
	s.u32p("pid", p.PID)
	s.u32p("uid", p.UID)
	s.str("cwd", p.Cwd)
	s.str("binary", p.Binary)
	s.str("arguments", p.Arguments)
	s.str("flags", p.Flags)
	if p.StartTime != nil {
		s.key("start_time")
		s.dst = appendTimestamp(s.dst, time.Time(*p.StartTime))
	}
	s.u32p("auid", p.AUID)
	s.str("parent_exec_id", p.ParentExecID)
}

// procEncoding is a process's object encoded once for all its events: the
// values it was made from (TID left out), and the JSON of its members up
// to tid, without the closing brace.
type procEncoding struct {
	from Process
	json []byte
}

// newProcEncoding encodes p, whose TID is ignored.
func newProcEncoding(p *Process) *procEncoding {
	enc := &procEncoding{from: *p.clone(nil)}
	s := object{}
	s.begin()
	p.appendFields(&s)
	enc.json = s.dst
	return enc
}

// encodes says whether p, but for its TID, holds the values enc was made
// from: an event's Process may have been changed after it was decoded.
func (enc *procEncoding) encodes(p *Process) bool {
	f := &enc.from
	return p.ExecID == f.ExecID && eqU32(p.PID, f.PID) && eqU32(p.UID, f.UID) && p.Cwd == f.Cwd &&
		p.Binary == f.Binary && p.Arguments == f.Arguments && p.Flags == f.Flags &&
		eqTime(p.StartTime, f.StartTime) && eqU32(p.AUID, f.AUID) && p.ParentExecID == f.ParentExecID
}

// clone returns a copy of p that shares no memory with it, with tid as
// its TID: one allocation for the struct and the values its pointers
// point to.
func (p *Process) clone(tid *uint32) *Process { return p.cloneInto(new(processCopy), tid) }

// processCopy is the room for a copy of a Process and the values its
// pointers point to: a pooled event (Stream.Release) keeps one for its
// process and one for its parent, so that copying them allocates nothing.
type processCopy struct {
	p                   Process
	pid, uid, auid, tid uint32
	start               Timestamp
}

// cloneInto copies p into c, with TID tid, and returns c's Process.
func (p *Process) cloneInto(c *processCopy, tid *uint32) *Process {
	c.p = *p
	c.p.PID = copyU32(p.PID, &c.pid)
	c.p.UID = copyU32(p.UID, &c.uid)
	c.p.AUID = copyU32(p.AUID, &c.auid)
	c.p.TID = copyU32(tid, &c.tid)
	c.p.StartTime = nil
	if p.StartTime != nil {
		c.start = *p.StartTime
		c.p.StartTime = &c.start
	}
	return &c.p
}

// copyU32 copies *v to *room and returns room, or nil when v is nil.
func copyU32(v, room *uint32) *uint32 {
	if v == nil {
		return nil
	}
	*room = *v
	return room
}

func eqU32(a, b *uint32) bool { return a == b || a != nil && b != nil && *a == *b }

func eqTime(a, b *Timestamp) bool {
	return a == b || a != nil && b != nil && time.Time(*a).Equal(time.Time(*b))
}

// appendJSON appends the argument: {"KEY":VALUE,"label":LABEL}.
func (a *Arg) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	dst = appendString(dst, a.Key)
	dst = append(dst, ':')
	dst = appendArgValue(dst, a.Value)
	if a.Label != "" {
		dst = append(dst, `,"label":`...)
		dst = appendString(dst, a.Label)
	}
	return append(dst, '}')
}

// appendArgValue appends an Arg's value as protojson writes it: 64-bit
// integers as strings, bytes as base64.
func appendArgValue(dst []byte, v any) []byte {
	switch x := v.(type) {
	case int32:
		return strconv.AppendInt(dst, int64(x), 10)
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10)
	case uint64:
		dst = append(dst, '"')
		dst = strconv.AppendUint(dst, x, 10)
		return append(dst, '"')
	case int64:
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, x, 10)
		return append(dst, '"')
	case string:
		return appendString(dst, x)
	case []byte:
		return appendBase64(dst, x)
	case FileArg:
		o := object{dst: dst}
		o.begin()
		o.str("mount", x.Mount)
		o.str("path", x.Path)
		o.str("flags", x.Flags)
		return o.end()
	case BinprmArg:
		o := object{dst: dst}
		o.begin()
		o.str("path", x.Path)
		return o.end()
	case NameArg:
		o := object{dst: dst}
		o.begin()
		o.str("name", x.Name)
		return o.end()
	case TruncatedBytesArg:
		o := object{dst: dst}
		o.begin()
		o.bytes("bytes_arg", x.BytesArg)
		o.str("orig_size", x.OrigSize)
		return o.end()
	case SockArg:
		o := object{dst: dst}
		o.begin()
		o.str("family", x.Family)
		o.str("type", x.Type)
		o.str("protocol", x.Protocol)
		o.u32("mark", x.Mark)
		o.u32("priority", x.Priority)
		o.str("saddr", x.Saddr)
		o.str("daddr", x.Daddr)
		o.u32("sport", x.Sport)
		o.u32("dport", x.Dport)
		o.str("cookie", x.Cookie)
		o.str("state", x.State)
		return o.end()
	case SkbArg:
		o := object{dst: dst}
		o.begin()
		o.u32("hash", x.Hash)
		o.u32("len", x.Len)
		o.u32("priority", x.Priority)
		o.u32("mark", x.Mark)
		o.str("saddr", x.Saddr)
		o.str("daddr", x.Daddr)
		o.u32("sport", x.Sport)
		o.u32("dport", x.Dport)
		o.u32("proto", x.Proto)
		o.str("protocol", x.Protocol)
		o.str("family", x.Family)
		return o.end()
	case SockaddrArg:
		o := object{dst: dst}
		o.begin()
		o.str("family", x.Family)
		o.str("addr", x.Addr)
		o.u32("port", x.Port)
		return o.end()
	case SockaddrUnArg:
		o := object{dst: dst}
		o.begin()
		o.str("family", x.Family)
		o.str("path", x.Path)
		return o.end()
	case DNSArg:
		o := object{dst: dst}
		o.begin()
		o.str("query_name", x.QueryName)
		o.u32("query_type", x.QueryType)
		o.str("query_type_str", x.QueryTypeStr)
		o.u32("query_class", x.QueryClass)
		o.u32("tx_id", x.TxID)
		o.u32("flags", x.Flags)
		o.boolean("response", x.Response)
		o.boolean("parsed", x.Parsed)
		o.boolean("truncated", x.Truncated)
		return o.end()
	case SyscallIDArg:
		o := object{dst: dst}
		o.begin()
		o.u32("id", x.ID)
		o.str("abi", x.ABI)
		return o.end()
	case CapabilityArg:
		o := object{dst: dst}
		o.begin()
		o.i32p("value", x.Value)
		o.str("name", x.Name)
		return o.end()
	case *UserNSArg:
		if x == nil {
			return append(dst, "null"...)
		}
		return x.appendJSON(dst)
	case UserNSArg:
		return x.appendJSON(dst)
	case CredArg:
		o := object{dst: dst}
		o.begin()
		o.u32p("uid", x.UID)
		o.u32p("gid", x.GID)
		o.u32p("euid", x.EUID)
		o.u32p("egid", x.EGID)
		o.u32p("suid", x.SUID)
		o.u32p("sgid", x.SGID)
		o.u32p("fsuid", x.FSUID)
		o.u32p("fsgid", x.FSGID)
		o.strs("securebits", x.Securebits)
		if x.Caps != nil {
			o.key("caps")
			c := object{dst: o.dst}
			c.begin()
			c.strs("permitted", x.Caps.Permitted)
			c.strs("effective", x.Caps.Effective)
			c.strs("inheritable", x.Caps.Inheritable)
			o.dst = c.end()
		}
		if x.UserNS != nil {
			o.key("user_ns")
			o.dst = x.UserNS.appendJSON(o.dst)
		}
		return o.end()
	case BpfAttrArg:
		o := object{dst: dst}
		o.begin()
		o.str("ProgType", x.ProgType)
		o.u32("InsnCnt", x.InsnCnt)
		o.str("ProgName", x.ProgName)
		return o.end()
	case BpfMapArg:
		o := object{dst: dst}
		o.begin()
		o.str("MapType", x.MapType)
		o.u32("KeySize", x.KeySize)
		o.u32("ValueSize", x.ValueSize)
		o.u32("MaxEntries", x.MaxEntries)
		o.str("MapName", x.MapName)
		return o.end()
	case PerfEventArg:
		o := object{dst: dst}
		o.begin()
		o.str("KprobeFunc", x.KprobeFunc)
		o.str("Type", x.Type)
		o.str("Config", x.Config)
		o.str("ProbeOffset", x.ProbeOffset)
		return o.end()
	case Int32ListArg:
		o := object{dst: dst}
		o.begin()
		if len(x.Values) > 0 {
			o.key("values")
			o.dst = append(o.dst, '[')
			for i, v := range x.Values {
				if i > 0 {
					o.dst = append(o.dst, ',')
				}
				o.dst = strconv.AppendInt(o.dst, int64(v), 10)
			}
			o.dst = append(o.dst, ']')
		}
		return o.end()
	case nil:
		return append(dst, "null"...)
	}
	// A value of a type the decoder never makes: encoding/json's
	// rendering, which is what this encoder matches.
	b, err := json.Marshal(v)
	if err != nil {
		return append(dst, "null"...)
	}
	return append(dst, b...)
}

func (u *UserNSArg) appendJSON(dst []byte) []byte {
	o := object{dst: dst}
	o.begin()
	o.i32p("level", u.Level)
	o.u32p("uid", u.UID)
	o.u32p("gid", u.GID)
	if u.NS != nil {
		o.key("ns")
		n := object{dst: o.dst}
		n.begin()
		n.u32("inum", u.NS.Inum)
		n.boolean("is_host", u.NS.IsHost)
		o.dst = n.end()
	}
	return o.end()
}

func appendStrings(dst []byte, v []string) []byte {
	dst = append(dst, '[')
	for i, s := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

func appendBase64(dst []byte, v []byte) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, v)
	return append(dst, '"')
}

// appendString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML characters, U+2028 and U+2029 included; invalid UTF-8
// becomes U+FFFD).
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if htmlSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// htmlSafe: the ASCII bytes a JSON string holds as they are.
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()

// appendTimestamp appends t as protojson writes a Timestamp, in quotes:
// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits.
func appendTimestamp(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = appendTimestampText(dst, t)
	return append(dst, '"')
}

func appendTimestampText(dst []byte, t time.Time) []byte {
	t = t.UTC()
	sec := t.Unix()
	day := sec / 86400
	if sec%86400 < 0 {
		day--
	}
	d := datePrefix.Load()
	if d == nil || d.day != day {
		// A new day (or the first timestamp): its "2006-01-02T".
		d = &cachedDate{day: day}
		d.text = t.AppendFormat(nil, "2006-01-02T")
		datePrefix.Store(d)
	}
	dst = append(dst, d.text...)
	s := int(sec - day*86400)
	dst = append(dst, byte('0'+s/36000), byte('0'+s/3600%10), ':',
		byte('0'+s/600%6), byte('0'+s/60%10), ':', byte('0'+s/10%6), byte('0'+s%10))
	switch ns := t.Nanosecond(); {
	case ns == 0:
	case ns%1e6 == 0:
		dst = appendFraction(dst, ns/1e6, 3)
	case ns%1e3 == 0:
		dst = appendFraction(dst, ns/1e3, 6)
	default:
		dst = appendFraction(dst, ns, 9)
	}
	return append(dst, 'Z')
}

// appendFraction appends '.' and v in n digits, zero-padded.
func appendFraction(dst []byte, v, n int) []byte {
	dst = append(dst, '.')
	var buf [9]byte
	for i := n - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, buf[:n]...)
}

// cachedDate is the date part of the timestamps of one UTC day.
type cachedDate struct {
	day  int64 // days since 1970-01-01
	text []byte
}

// datePrefix is the day of the last timestamp written. Events come in
// time order, so it changes once a day; readers on several goroutines
// share it through the atomic pointer.
var datePrefix atomic.Pointer[cachedDate]
