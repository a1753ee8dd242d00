package loader

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
)

// DecodeError is a record the reader could not decode.
type DecodeError struct {
	Reason string
}

func (e *DecodeError) Error() string { return "undecodable record: " + e.Reason }

func decodeErr(format string, a ...any) error {
	return &DecodeError{Reason: fmt.Sprintf(format, a...)}
}

// parseHeader reads and checks a record's header.
func parseHeader(rec []byte) (bpf.Header, error) {
	var h bpf.Header
	if len(rec) < bpf.HeaderSize {
		return h, decodeErr("%d bytes, shorter than a header", len(rec))
	}
	// Field by field rather than binary.Decode, which goes through
	// reflection for every record (TestParseHeaderLayout checks the two
	// agree).
	le := binary.LittleEndian
	h = bpf.Header{
		Kind: bpf.EventKind(rec[0]), Version: rec[1], Flags: le.Uint16(rec[2:]), Size: le.Uint32(rec[4:]),
		Ktime: le.Uint64(rec[8:]), PolicyID: le.Uint32(rec[16:]), HookID: le.Uint16(rec[20:]),
		Selector: rec[22], Action: bpf.Action(rec[23]), Tgid: le.Uint32(rec[24:]), Pid: le.Uint32(rec[28:]),
		Ret: int64(le.Uint64(rec[32:])),
	}
	if h.Version != bpf.EventVersion {
		return h, decodeErr("record version %d, this polrun reads %d", h.Version, bpf.EventVersion)
	}
	if h.Size < bpf.HeaderSize || int(h.Size) > len(rec) {
		return h, decodeErr("record size %d, %d bytes read", h.Size, len(rec))
	}
	return h, nil
}

// parseProcEvent reads the ProcEvent following a base record's header.
func parseProcEvent(rec []byte, h bpf.Header) (*bpf.ProcEvent, error) {
	body := rec[bpf.HeaderSize:h.Size]
	if len(body) < bpf.ProcEventSize {
		return nil, decodeErr("%v record: %d bytes after the header, want %d", h.Kind, len(body), bpf.ProcEventSize)
	}
	var pe bpf.ProcEvent
	if _, err := binary.Decode(body[:bpf.ProcEventSize], binary.LittleEndian, &pe); err != nil {
		return nil, decodeErr("process record: %v", err)
	}
	return &pe, nil
}

// execData is what an exec record carries after its ProcEvent
// (bpf.ExecData): the working directory and the argument area (argv,
// NUL-separated) the kernel held at exec.
type execData struct {
	cwd, argv          []byte
	cwdFlags, argFlags uint32
}

// parseExecData reads the ExecData of an exec record; ok is false for a
// record without one (a base older than ExecData).
func parseExecData(rec []byte, h bpf.Header) (ed execData, ok bool, err error) {
	body := rec[bpf.HeaderSize+bpf.ProcEventSize : h.Size]
	if len(body) == 0 {
		return ed, false, nil
	}
	if len(body) < bpf.ExecDataSize {
		return ed, false, decodeErr("exec record: %d bytes of exec data, want at least %d", len(body), bpf.ExecDataSize)
	}
	le := binary.LittleEndian
	cwdLen, argLen := le.Uint32(body[bpf.ExecCwdOff:]), le.Uint32(body[bpf.ExecArgsOff:])
	ed.cwdFlags = le.Uint32(body[bpf.ExecCwdOff+bpf.BytesFlagsOff:])
	ed.argFlags = le.Uint32(body[bpf.ExecArgsOff+bpf.BytesFlagsOff:])
	str := body[bpf.ExecDataSize:]
	if uint64(cwdLen)+uint64(argLen) != uint64(len(str)) {
		return ed, false, decodeErr("exec record: cwd of %d bytes and arguments of %d in %d bytes", cwdLen, argLen, len(str))
	}
	ed.cwd, ed.argv = str[:cwdLen], str[cwdLen:]
	return ed, true, nil
}

// argDecoder decodes one policy record's arguments in manifest order.
type argDecoder struct {
	data []byte // the record after the header
	off  int
	arch arch.Arch
}

func (d *argDecoder) take(n int) ([]byte, error) {
	if n < 0 || d.off+n > len(d.data) {
		return nil, decodeErr("argument at offset %d needs %d bytes, the record has %d", bpf.HeaderSize+d.off, n, len(d.data))
	}
	b := d.data[d.off : d.off+n]
	d.off += bpf.Align8(n)
	if d.off > len(d.data) {
		d.off = len(d.data)
	}
	return b, nil
}

func (d *argDecoder) fixed(n int, v any) error {
	b, err := d.take(n)
	if err != nil {
		return err
	}
	_, err = binary.Decode(b, binary.LittleEndian, v)
	return err
}

// decodeArgs decodes the arguments of hook h from rec, appending them to
// args (a reused slice, or nil); the return value, when there is one, is
// decoded into retRoom and returned as ret. ok is false for arguments that
// produce nothing (nop).
func decodeArgs(rec []byte, h bpf.Header, hook *bpf.Hook, a arch.Arch, args []Arg, retRoom *Arg) (_ []Arg, ret *Arg, err error) {
	d := argDecoder{data: rec[bpf.HeaderSize:h.Size], arch: a}
	for _, spec := range hook.Args {
		arg, ok, err := d.decode(spec)
		if err != nil {
			return nil, nil, fmt.Errorf("argument %d (%s): %w", spec.Index, spec.Type, err)
		}
		switch {
		case ok && spec.Longs > 0:
			args = appendLongs(args, arg, spec.Longs)
		case ok:
			args = append(args, arg)
		}
	}
	if hook.Return != nil && h.Flags&bpf.FlagReturn != 0 {
		var r Arg
		if hook.Return.Encoding == bpf.EncInt {
			r = intArg(*hook.Return, uint64(h.Ret), a)
		} else {
			var ok bool
			if r, ok, err = d.decode(*hook.Return); err != nil {
				return nil, nil, fmt.Errorf("return value (%s): %w", hook.Return.Type, err)
			} else if !ok {
				return args, nil, nil
			}
		}
		if retRoom == nil {
			retRoom = new(Arg)
		}
		*retRoom = r
		ret = retRoom
	}
	return args, ret, nil
}

// splitData splits decoded arguments into the hook's arguments and its
// data entries, which the manifest lists last.
func splitData(hook *bpf.Hook, args []Arg) (_, data []Arg) {
	n := 0 // decoded arguments before the data entries
	for _, spec := range hook.Args {
		if spec.Data {
			break
		}
		switch {
		case spec.Longs > 0: // one argument per element (appendLongs)
			n += spec.Longs
		case spec.Encoding != bpf.EncNone:
			n++
		}
	}
	if n >= len(args) {
		return args, nil
	}
	return args[:n], args[n:]
}

func (d *argDecoder) decode(spec bpf.Arg) (Arg, bool, error) {
	switch spec.Encoding {
	case bpf.EncNone:
		return Arg{}, false, nil
	case bpf.EncInt:
		b, err := d.take(8)
		if err != nil {
			return Arg{}, false, err
		}
		return intArg(spec, binary.LittleEndian.Uint64(b), d.arch), true, nil
	case bpf.EncBytes:
		var bh bpf.BytesHeader
		if d.off+bpf.BytesHeaderSize > len(d.data) {
			return Arg{}, false, decodeErr("bytes header at offset %d past the record's end", bpf.HeaderSize+d.off)
		}
		binary.Decode(d.data[d.off:d.off+bpf.BytesHeaderSize], binary.LittleEndian, &bh)
		if spec.MaxBytes > 0 && int(bh.Len) > spec.MaxBytes {
			return Arg{}, false, decodeErr("%d bytes, the manifest allows %d", bh.Len, spec.MaxBytes)
		}
		// The data follows the header directly; the two are padded as one.
		all, err := d.take(bpf.BytesHeaderSize + int(bh.Len))
		if err != nil {
			return Arg{}, false, err
		}
		return bytesArg(spec, bh, all[bpf.BytesHeaderSize:]), true, nil
	case bpf.EncSock:
		var s bpf.Sock
		if err := d.fixed(bpf.SockSize, &s); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "sock_arg", Value: SockArg{
			Family: lookupName(familyNames, s.Family), Type: lookupName(sockTypeNames, s.Type),
			Protocol: lookupName(protocolNames, s.Protocol), Mark: s.Mark, Priority: s.Priority,
			Saddr: ipString(s.Family, s.Saddr), Daddr: ipString(s.Family, s.Daddr),
			Sport: uint32(s.Sport), Dport: uint32(s.Dport), Cookie: nonZero(s.Cookie),
			State: stateName(s.State),
		}}, true, nil
	case bpf.EncSkb:
		var s bpf.Skb
		if err := d.fixed(bpf.SkbSize, &s); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "skb_arg", Value: SkbArg{
			Hash: s.Hash, Len: s.Len, Priority: s.Priority, Mark: s.Mark,
			Saddr: ipString(s.Family, s.Saddr), Daddr: ipString(s.Family, s.Daddr),
			Sport: uint32(s.Sport), Dport: uint32(s.Dport), Proto: uint32(s.Protocol),
			Protocol: lookupName(protocolNames, s.Protocol), Family: lookupName(familyNames, s.Family),
		}}, true, nil
	case bpf.EncSockaddr:
		var s bpf.Sockaddr
		if err := d.fixed(bpf.SockaddrSize, &s); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "sockaddr_arg", Value: SockaddrArg{
			Family: lookupName(familyNames, s.Family), Addr: ipString(s.Family, s.Addr), Port: uint32(s.Port),
		}}, true, nil
	case bpf.EncSockaddrUn:
		var s bpf.SockaddrUn
		if err := d.fixed(bpf.SockaddrUnSize, &s); err != nil {
			return Arg{}, false, err
		}
		n := min(int(s.Path.Len), bpf.SockaddrUnPathMax)
		path := cString(s.Data[:n])
		if s.Abstract != 0 {
			path = "@" + path
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "sockaddrun_arg", Value: SockaddrUnArg{
			Family: lookupName(familyNames, s.Family), Path: path,
		}}, true, nil
	case bpf.EncDNS:
		var q bpf.DNS
		if err := d.fixed(bpf.DNSSize, &q); err != nil {
			return Arg{}, false, err
		}
		n := min(int(q.Name.Len), bpf.DNSNameMax)
		return Arg{Type: spec.Type, Label: spec.Label, Key: "dns_arg", Value: DNSArg{
			QueryName: string(q.Data[:n]), QueryType: uint32(q.QType), QueryTypeStr: dnsTypeName(q.QType, q.Parsed != 0),
			QueryClass: uint32(q.QClass), TxID: uint32(q.TxID), Flags: uint32(q.Flags),
			Response: q.Response != 0, Parsed: q.Parsed != 0, Truncated: q.Truncated != 0,
		}}, true, nil
	case bpf.EncCred:
		var c bpf.Cred
		if err := d.fixed(bpf.CredSize, &c); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "process_credentials_arg", Value: CredArg{
			UID: u32(c.UID), GID: u32(c.GID), EUID: u32(c.EUID), EGID: u32(c.EGID),
			SUID: u32(c.SUID), SGID: u32(c.SGID), FSUID: u32(c.FSUID), FSGID: u32(c.FSGID),
			Securebits: securebits(c.Securebits),
			Caps:       &CapsArg{Permitted: capSet(c.CapPermitted), Effective: capSet(c.CapEffective), Inheritable: capSet(c.CapInheritable)},
			UserNS:     userNS(c.UserNSLevel, c.UserNSOwner, 0, c.UserNSInum, false),
		}}, true, nil
	case bpf.EncUserNamespace:
		var u bpf.UserNamespace
		if err := d.fixed(bpf.UserNamespaceSize, &u); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "user_ns_arg", Value: userNS(u.Level, u.Owner, u.Group, u.Inum, true)}, true, nil
	case bpf.EncBpfAttr, bpf.EncBpfProg:
		// Both are a program type, an instruction count and a name;
		// Tetragon has no message of its own for bpf_prog.
		var a bpf.BpfAttr
		if err := d.fixed(bpf.BpfAttrSize, &a); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "bpf_attr_arg", Value: BpfAttrArg{
			ProgType: name(progTypeNames, a.ProgType), InsnCnt: a.InsnCnt, ProgName: cString(a.ProgName[:]),
		}}, true, nil
	case bpf.EncBpfMap:
		var m bpf.BpfMap
		if err := d.fixed(bpf.BpfMapSize, &m); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "bpf_map_arg", Value: BpfMapArg{
			MapType: name(mapTypeNames, m.MapType), KeySize: m.KeySize, ValueSize: m.ValueSize,
			MaxEntries: m.MaxEntries, MapName: cString(m.Name[:]),
		}}, true, nil
	case bpf.EncPerfEvent:
		var p bpf.PerfEvent
		if err := d.fixed(bpf.PerfEventSize, &p); err != nil {
			return Arg{}, false, err
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "perf_event_arg", Value: PerfEventArg{
			KprobeFunc: cString(p.KprobeFunc[:]), Type: perfTypeName(p.Type),
			Config: nonZero(p.Config), ProbeOffset: nonZero(p.ProbeOffset),
		}}, true, nil
	case bpf.EncInt32Arr:
		var x bpf.Int32Arr
		if err := d.fixed(bpf.Int32ArrSize, &x); err != nil {
			return Arg{}, false, err
		}
		if x.Count > bpf.Int32ArrMax {
			return Arg{}, false, decodeErr("int32_arr of %d values, at most %d", x.Count, bpf.Int32ArrMax)
		}
		return Arg{Type: spec.Type, Label: spec.Label, Key: "int32_list_arg",
			Value: Int32ListArg{Values: append([]int32(nil), x.Values[:x.Count]...)}}, true, nil
	}
	return Arg{}, false, decodeErr("unknown encoding %d", spec.Encoding)
}

// appendLongs appends the elements of an array of n longs read as bytes
// (arg, a const_buf: bpf.Arg.Longs), each as its own size_arg, as Tetragon
// shows raw_syscalls/sys_enter's args. Bytes that do not fill an element
// (a read cut short) are left out.
func appendLongs(args []Arg, arg Arg, n int) []Arg {
	var data []byte
	switch v := arg.Value.(type) {
	case []byte:
		data = v
	case TruncatedBytesArg:
		data = v.BytesArg
	}
	for i := 0; i < n && 8*(i+1) <= len(data); i++ {
		args = append(args, Arg{Type: arg.Type, Label: arg.Label, Key: "size_arg", Value: binary.LittleEndian.Uint64(data[8*i:])})
	}
	return args
}

// intArg turns an EncInt value into the argument Tetragon prints for the
// policy's type.
func intArg(spec bpf.Arg, v uint64, a arch.Arch) Arg {
	arg := Arg{Type: spec.Type, Label: spec.Label}
	switch spec.Type {
	case "int", "int8", "sint8", "int16", "sint16", "int32", "sint32", "fd":
		arg.Key, arg.Value = "int_arg", int32(v)
	case "uint8", "uint16", "uint32":
		arg.Key, arg.Value = "uint_arg", uint32(v)
	case "uint64", "ulong", "unsigned long", "size_t":
		arg.Key, arg.Value = "size_arg", v
	case "syscall64":
		abi, nr := arch.DecodeSyscall64(a, v)
		arg.Key, arg.Value = "syscall_id", syscallIDValue(uint32(nr), string(abi))
	case "capability":
		c := int32(v)
		arg.Key, arg.Value = "capability_arg", CapabilityArg{Value: &c, Name: capNameNonZero(c)}
	case "bpf_cmd":
		arg.Key, arg.Value = "bpf_cmd_arg", name(bpfCmdNames, uint32(v))
	case "kernel_cap_t":
		arg.Key, arg.Value = "kernel_cap_t_arg", fmt.Sprintf("%016x", v)
	case "cap_inheritable":
		arg.Key, arg.Value = "cap_inheritable_arg", fmt.Sprintf("%016x", v)
	case "cap_permitted":
		arg.Key, arg.Value = "cap_permitted_arg", fmt.Sprintf("%016x", v)
	case "cap_effective":
		arg.Key, arg.Value = "cap_effective_arg", fmt.Sprintf("%016x", v)
	default: // long, int64, auto (tracepoint fields) and anything wider
		arg.Key, arg.Value = "long_arg", int64(v)
	}
	return arg
}

// syscallIDBoxes holds SyscallIDArg values already put in an interface,
// by ABI and number: an Arg.Value made of a struct is allocated, and a
// syscall id is the argument of many events (raw_syscalls). The values
// are never changed, so events share them. At most a few thousand: the
// syscalls of each ABI.
var syscallIDBoxes = struct {
	sync.RWMutex
	m map[syscallKey]any
}{m: map[syscallKey]any{}}

// syscallIDTables hold, for the first few ABIs seen (a machine has one
// or two: native and compat), the boxed SyscallIDArg of each syscall
// number below 1024, the fast path of syscallIDValue.
var (
	syscallIDTables   atomic.Pointer[[]*syscallIDBoxTable]
	syscallIDTablesMu sync.Mutex
)

type syscallIDBoxTable struct {
	abi string
	ids [1024]atomic.Pointer[any]
}

// syscallIDTable is abi's table, made if there are fewer than four; nil
// beyond.
func syscallIDTable(abi string) *syscallIDBoxTable {
	if l := syscallIDTables.Load(); l != nil {
		for _, t := range *l {
			if t.abi == abi {
				return t
			}
		}
	}
	syscallIDTablesMu.Lock()
	defer syscallIDTablesMu.Unlock()
	var l []*syscallIDBoxTable
	if p := syscallIDTables.Load(); p != nil {
		l = *p
	}
	for _, t := range l {
		if t.abi == abi {
			return t
		}
	}
	if len(l) >= 4 {
		return nil
	}
	t := &syscallIDBoxTable{abi: abi}
	l = append(l[:len(l):len(l)], t)
	syscallIDTables.Store(&l)
	return t
}

type syscallKey struct {
	abi string
	id  uint32
}

func syscallIDValue(id uint32, abi string) any {
	// The syscalls of the first ABIs seen, without a lock or a hash.
	if t := syscallIDTable(abi); t != nil && id < uint32(len(t.ids)) {
		if p := t.ids[id].Load(); p != nil {
			return *p
		}
		var v any = SyscallIDArg{ID: id, ABI: abi}
		t.ids[id].Store(&v) // two decoders storing equal values is no harm
		return v
	}
	k := syscallKey{abi, id}
	syscallIDBoxes.RLock()
	v, ok := syscallIDBoxes.m[k]
	syscallIDBoxes.RUnlock()
	if ok {
		return v
	}
	v = SyscallIDArg{ID: id, ABI: abi}
	syscallIDBoxes.Lock()
	syscallIDBoxes.m[k] = v
	syscallIDBoxes.Unlock()
	return v
}

// capNameNonZero is the capability's name, "" for capability 0: protojson
// leaves an enum's zero value out, and Tetragon's events do too.
func capNameNonZero(c int32) string {
	if c == 0 {
		return ""
	}
	return capName(c)
}

// bytesArg turns an EncBytes value into the argument Tetragon prints for
// the policy's type.
func bytesArg(spec bpf.Arg, bh bpf.BytesHeader, data []byte) Arg {
	arg := Arg{Type: spec.Type, Label: spec.Label}
	data = bytes.Clone(data)
	switch spec.Type {
	case "string", "filename", "data_loc":
		arg.Key, arg.Value = "string_arg", string(bytes.TrimRight(data, "\x00"))
	case "file", "fd", "kiocb":
		arg.Key, arg.Value = "file_arg", FileArg{Path: string(data)}
	case "path", "dentry":
		arg.Key, arg.Value = "path_arg", FileArg{Path: string(data)}
	case "linux_binprm":
		arg.Key, arg.Value = "linux_binprm_arg", BinprmArg{Path: string(data)}
	case "net_device":
		arg.Key, arg.Value = "net_dev_arg", NameArg{Name: cString(data)}
	case "module", "load_info":
		arg.Key, arg.Value = "module_arg", NameArg{Name: cString(data)}
	default: // char_buf, char_iovec, const_buf, iov_iter
		if bh.Total > uint64(len(data)) {
			arg.Key, arg.Value = "truncated_bytes_arg", TruncatedBytesArg{BytesArg: data, OrigSize: strconv.FormatUint(bh.Total, 10)}
		} else {
			arg.Key, arg.Value = "bytes_arg", data
		}
	}
	return arg
}

func userNS(level, owner, group, inum uint32, withGroup bool) *UserNSArg {
	l := int32(level)
	u := &UserNSArg{Level: &l, UID: u32(owner), NS: &NamespaceArg{Inum: inum, IsHost: level == 0}}
	if withGroup {
		u.GID = u32(group)
	}
	return u
}

func ipString(family uint16, addr [16]byte) string {
	switch family {
	case 2: // AF_INET
		return netip.AddrFrom4([4]byte(addr[:4])).String()
	case 10: // AF_INET6
		return netip.AddrFrom16(addr).String()
	}
	return ""
}

func stateName(s uint8) string {
	if s == 0 {
		return ""
	}
	return lookupName(tcpStateNames, s)
}

func nonZero(v uint64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatUint(v, 10)
}

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
