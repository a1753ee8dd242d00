package codegen

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/fetch"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/internal/kmem"
	"github.com/polc-dev/polc/ir"
)

// evalEvent is one event of a generated policy: the raw tracepoint's
// arguments, and what ir.Eval is given, which is what the program reads
// through them.
type evalEvent struct {
	ctx   []uint64
	model ir.Event
	// desc says what each argument holds, for messages.
	desc []string
	// dns holds the payload of each dns argument, by index.
	dns map[int][]byte
}

func (e *evalEvent) String() string { return strings.Join(e.desc, "; ") }

// forHook is the event as ir.Eval wants it for h: arguments by slot.
func (e *evalEvent) forHook(h *ir.Hook) *ir.Event {
	ev := e.model
	ev.Args = make([]ir.ArgValue, len(h.Args))
	for _, a := range h.Args {
		ev.Args[a.Slot] = e.model.Args[a.Index]
	}
	return &ev
}

// event lays out a random event in mem and returns it. Integer arguments
// come first: a char_buf's length is one of them.
func (p *genPolicy) event(t *testing.T, g *policyGen, mem *arena) *evalEvent {
	mem.reset()
	ev := &evalEvent{ctx: make([]uint64, len(p.args)), desc: make([]string, len(p.args))}
	ev.model.Args = make([]ir.ArgValue, len(p.args))
	ev.model.Process = ir.Process{PID: uint32(g.pid)}
	ev.model.Host.Files = g.files
	for _, a := range p.args {
		if a.typ.IsInteger() {
			v := g.edgeInt(a)
			a.ints = a.ints[:len(a.ints)-1] // events do not add filter values
			if g.r.IntN(5) == 0 {
				v = int64(g.r.Uint64()) // high bits the type drops
			}
			ev.ctx[a.index] = uint64(v)
			model := v
			if a.typ == ir.TypeSyscall64 {
				model = v & (1<<31 - 1) // the number keeps 31 bits; bit 31 is the compat ABI
			}
			ev.model.Args[a.index] = ir.ArgValue{Int: model}
			ev.desc[a.index] = fmt.Sprintf("%d:%s=%#x", a.index, a.typ, uint64(v))
		}
	}
	for _, a := range p.args {
		if a.typ.IsInteger() {
			continue
		}
		ptr, val, desc := g.layout(t, p, a, ev, mem)
		ev.ctx[a.index] = ptr
		ev.model.Args[a.index] = val
		ev.desc[a.index] = fmt.Sprintf("%d:%s=%s", a.index, a.typ, desc)
	}
	mem.flush(t)
	return ev
}

// layout lays out one pointer argument and returns the pointer and the
// value the program reads through it.
func (g *policyGen) layout(t *testing.T, p *genPolicy, a *evalArg, ev *evalEvent, mem *arena) (uint64, ir.ArgValue, string) {
	r := g.r
	switch a.typ {
	case ir.TypeString:
		s := g.eventString(a, false)
		read := s[:min(len(s), ir.MaxMatchLen)] // the read keeps 4096 bytes and a NUL
		return mem.cstring(t, []byte(s)), ir.ArgValue{Bytes: []byte(read)}, short(s)
	case ir.TypeFilename:
		s := g.eventString(a, false)
		read := s[:min(len(s), ir.MaxMatchLen)]
		name := mem.cstring(t, []byte(s))
		k := kernelStruct(t, "filename")
		addr, b := mem.alloc(t, k.size)
		k.put(t, b, "name", name)
		return addr, ir.ArgValue{Bytes: []byte(read)}, short(s)
	case ir.TypeNetDevice:
		s := g.eventString(a, false)
		if len(s) > 15 {
			s = s[:15]
		}
		k := kernelStruct(t, "net_device")
		addr, b := mem.alloc(t, k.size)
		k.putBytes(t, b, "name", []byte(s))
		return addr, ir.ArgValue{Bytes: []byte(s)}, short(s)
	case ir.TypeCharBuf:
		// The size argument says how much is read: nothing when it is
		// not positive, at most the 4096 bytes a slot holds.
		size := ir.FitInt(p.args[a.sizeOf].typ, int64(ev.ctx[a.sizeOf]))
		n := int(min(max(size, 0), ir.DefaultDataBytes))
		s := g.eventString(a, false)
		data := []byte(strings.Repeat(s+"-", n/(len(s)+1)+1))[:n]
		if len(s) >= n {
			data = []byte(s[:n])
		}
		addr, b := mem.alloc(t, max(n, 1))
		copy(b, data)
		return addr, ir.ArgValue{Bytes: data}, fmt.Sprintf("%d bytes %s", n, short(string(data)))
	case ir.TypeCharIovec:
		// The count argument says how many struct iovec entries are read:
		// none when it is not positive, at most UIO_MAXIOV; their buffers
		// are copied one after the other, at most the slot's 4096 bytes.
		count := ir.FitInt(p.args[a.sizeOf].typ, int64(ev.ctx[a.sizeOf]))
		n := int(min(max(count, 0), fetch.UIOMaxIov))
		if g.noLoop {
			n = min(n, iovecStepsNoLoop)
		}
		iov, entries := mem.alloc(t, 16*max(n, 1))
		var all []byte
		for i := 0; i < n; i++ {
			var data []byte
			switch r.IntN(4) {
			case 0:
			case 1:
				data = []byte(g.eventString(a, false))
				data = data[:min(len(data), 5000)]
			default:
				data = []byte(randWord(r, r.IntN(20)))
			}
			base, b := mem.alloc(t, max(len(data), 1))
			copy(b, data)
			binary.LittleEndian.PutUint64(entries[16*i:], base)
			binary.LittleEndian.PutUint64(entries[16*i+8:], uint64(len(data)))
			all = append(all, data...)
		}
		all = all[:min(len(all), ir.DefaultDataBytes)]
		return iov, ir.ArgValue{Bytes: all}, fmt.Sprintf("%d iovecs %s", n, short(string(all)))
	case ir.TypeFile, ir.TypePath, ir.TypeDentry, ir.TypeLinuxBinprm:
		path := g.eventString(a, true)
		// The inode's mode: a type of Tetragon's table, or none (no inode:
		// the program reads 0), with permission bits that FileType ignores.
		var mode uint16
		if r.IntN(8) != 0 {
			mode = uint16(ir.FileTypes[fileTypeNames[r.IntN(len(fileTypeNames))]]) | uint16(r.IntN(0o7777))
		}
		// Its identity: one of the files SameFile values name, the inode
		// number of one on another device, or another file; none without
		// an inode.
		var id ir.FileID
		if paths := g.filePaths(); mode != 0 && len(paths) > 0 {
			id = g.files[paths[r.IntN(len(paths))]]
			switch r.IntN(6) {
			case 0:
				id.Dev ^= 1 << uint(r.IntN(24))
			case 1:
				id.Ino += 1 + uint64(r.IntN(3))
			case 2:
				id = ir.FileID{Ino: r.Uint64(), Dev: r.Uint32()}
			case 3:
				id.Dev = 0 // no super_block: the device reads 0
			}
		}
		addr := layOut(t, mem, func(l *kmem.Layout) uint64 { return l.FileInode(a.typ, path, mode, id) })
		return addr, ir.ArgValue{Bytes: []byte(path), Mode: mode, File: id}, fmt.Sprintf("%s mode %#o ino %d dev %#x", short(path), mode, id.Ino, id.Dev)
	case ir.TypeSock, ir.TypeSocket:
		s := g.eventSock(a, true)
		addr := layOut(t, mem, func(l *kmem.Layout) uint64 { return l.Sock(*modelSock(s), a.typ == ir.TypeSocket) })
		return addr, ir.ArgValue{Sock: modelSock(s)}, sockString(s)
	case ir.TypeSockaddr:
		s := g.eventSock(a, false)
		addr, b := mem.alloc(t, 28) // sockaddr_in6
		binary.LittleEndian.PutUint16(b, s.Family)
		binary.BigEndian.PutUint16(b[2:], s.SPort)
		switch s.Family {
		case kern.AFInet:
			a4 := s.SAddr.As4()
			copy(b[4:], a4[:])
		case kern.AFInet6:
			a16 := s.SAddr.As16()
			copy(b[8:], a16[:])
		default:
			s.SPort, s.SAddr = 0, netip.Addr{} // only the family is read
		}
		return addr, ir.ArgValue{Sock: modelSock(s)}, sockString(s)
	case ir.TypeSockaddrUn:
		// A struct sockaddr_un: a family (AF_UNIX mostly), then sun_path,
		// a path or, one time in two, an abstract name (a NUL first). The
		// program reads up to the first NUL, at most 107 bytes.
		fam := uint16(1) // AF_UNIX
		if r.IntN(4) == 0 {
			fam = g.eventSock(a, false).Family
		}
		s := g.eventString(a, false)
		if r.IntN(8) == 0 {
			s += "\x00" + randWord(r, 4) // bytes after the NUL are not read
		}
		abstract := r.IntN(2) == 0
		addr, b := mem.alloc(t, 2+108)
		binary.LittleEndian.PutUint16(b, fam)
		path := b[2:]
		if abstract {
			path = path[1:]
		}
		copy(path, s)
		// What the program reads, from the bytes as laid out.
		sun := b[2:]
		if sun[0] == 0 {
			sun = sun[1:]
		}
		read, _, _ := strings.Cut(string(sun), "\x00")
		read = read[:min(len(read), ir.MaxUnixPathLen)]
		desc := fmt.Sprintf("family %d path %s", fam, short(s))
		if abstract {
			desc = fmt.Sprintf("family %d abstract %s", fam, short(s))
		}
		return addr, ir.ArgValue{Bytes: []byte(read), Sock: &ir.Sock{Family: fam}}, desc
	case ir.TypeDNS:
		payload, desc := g.dnsPayload(a)
		if ev.dns == nil {
			ev.dns = map[int][]byte{}
		}
		ev.dns[a.index] = payload
		iovec := r.IntN(3) == 0
		addr := layOut(t, mem, func(l *kmem.Layout) uint64 { return l.DNS(payload, iovec) })
		q := ir.ParseDNS(payload)
		return addr, ir.ArgValue{Bytes: q.Name}, desc
	case ir.TypeSkb:
		return g.layoutSkb(t, a, mem)
	case ir.TypeKernelCap, ir.TypeCapInheritable, ir.TypeCapPermitted, ir.TypeCapEffective:
		m := g.capMask(a)
		if r.IntN(3) == 0 {
			m = r.Uint64()
		}
		addr, b := mem.alloc(t, 8)
		binary.LittleEndian.PutUint64(b, m)
		return addr, ir.ArgValue{Int: int64(m)}, fmt.Sprintf("%#x", m)
	}
	t.Fatalf("no layout for %s", a.typ)
	return 0, ir.ArgValue{}, ""
}

// eventString is a string for an event: often a filter value or a prefix,
// suffix or extension of one, sometimes longer than what is read.
func (g *policyGen) eventString(a *evalArg, path bool) string {
	r := g.r
	saved := a.strs
	s := g.str(a, path)
	if !path && r.IntN(30) == 0 {
		s += randWord(r, 5000) // longer than a read keeps
	}
	a.strs = saved
	return s
}

// layOut runs a kmem layout in the test's arena, failing the test on an
// error.
func layOut(t *testing.T, mem *arena, f func(l *kmem.Layout) uint64) uint64 {
	t.Helper()
	l := &kmem.Layout{A: mem.a}
	addr := f(l)
	if l.Err != nil {
		t.Fatal(l.Err)
	}
	return addr
}

// evSock is what an event's socket-like argument holds.
type evSock struct {
	Family, Protocol uint16
	State            uint8
	SAddr, DAddr     netip.Addr // as laid out: 4 bytes for AF_INET, 16 for AF_INET6
	SPort, DPort     uint16
}

// eventSock is a socket near the filters' values: addresses in, at the
// edge of or just outside their prefixes, IPv4-mapped IPv6 ones, ports,
// protocols, families and states at the edges.
func (g *policyGen) eventSock(a *evalArg, withState bool) evSock {
	r := g.r
	num := func(edges []int64, keep []int64, maxVal int64) int64 {
		switch k := r.IntN(6); {
		case k < 2 && len(keep) > 0:
			return min(max(keep[r.IntN(len(keep))]+int64(r.IntN(3)-1), 0), maxVal)
		case k < 5:
			return edges[r.IntN(len(edges))]
		}
		return r.Int64N(maxVal + 1)
	}
	s := evSock{
		Protocol: uint16(num(edgeProtocols, a.nums, 65535)),
		SPort:    uint16(num(edgePorts, a.ports, 65535)),
		DPort:    uint16(num(edgePorts, a.ports, 65535)),
	}
	if withState {
		s.State = uint8(num(edgeStates, a.nums, 255))
	}
	switch k := r.IntN(10); {
	case k < 5:
		s.Family = kern.AFInet
	case k < 9:
		s.Family = kern.AFInet6
	default:
		s.Family = uint16(num(edgeFamilies, a.nums, 65535))
	}
	s.SAddr, s.DAddr = g.eventAddr(a, s.Family), g.eventAddr(a, s.Family)
	return s
}

// eventAddr is an address of family fam near a filter prefix.
func (g *policyGen) eventAddr(a *evalArg, fam uint16) netip.Addr {
	r := g.r
	v4 := fam == kern.AFInet
	if fam != kern.AFInet && fam != kern.AFInet6 {
		return netip.Addr{}
	}
	var addr netip.Addr
	var near []netip.Prefix
	for _, p := range a.nets {
		if p.Addr().Is4() == v4 || !v4 {
			near = append(near, p)
		}
	}
	if len(near) > 0 && r.IntN(4) != 0 {
		p := near[r.IntN(len(near))]
		addr = prefixEdge(r, p)
	} else {
		addr = randAddr(r, v4)
	}
	if !v4 && addr.Is4() {
		// An AF_INET6 socket of an IPv4 peer: ::ffff:a.b.c.d.
		return netip.AddrFrom16(addr.As16())
	}
	if !v4 && r.IntN(8) == 0 {
		return netip.AddrFrom16(randAddr(r, true).As16())
	}
	return addr
}

// prefixEdge is an address in p, at its first or last address, or just
// past them.
func prefixEdge(r *rand.Rand, p netip.Prefix) netip.Addr {
	first := p.Masked().Addr()
	last := first
	b := last.AsSlice()
	host := last.BitLen() - p.Bits()
	for i := 0; i < host; i++ {
		b[len(b)-1-i/8] |= 1 << (i % 8)
	}
	last, _ = netip.AddrFromSlice(b)
	switch r.IntN(5) {
	case 0:
		return first
	case 1:
		return last
	case 2:
		if prev := first.Prev(); prev.IsValid() {
			return prev
		}
	case 3:
		if next := last.Next(); next.IsValid() {
			return next
		}
	}
	// Somewhere inside: random host bits.
	rb := randAddr(r, first.Is4()).AsSlice()
	fb := first.AsSlice()
	for i := range fb {
		bitsHere := min(max(p.Bits()-8*i, 0), 8)
		mask := byte(0xff << (8 - bitsHere))
		fb[i] = fb[i]&mask | rb[i]&^mask
	}
	in, _ := netip.AddrFromSlice(fb)
	return in
}

// modelSock is the ir.Sock of what the program reads.
func modelSock(s evSock) *ir.Sock {
	return &ir.Sock{Family: s.Family, Protocol: s.Protocol, State: s.State,
		SAddr: s.SAddr, DAddr: s.DAddr, SPort: s.SPort, DPort: s.DPort}
}

func sockString(s evSock) string {
	return fmt.Sprintf("{family %d proto %d state %d %v:%d -> %v:%d}", s.Family, s.Protocol, s.State, s.SAddr, s.SPort, s.DAddr, s.DPort)
}

// layoutSkb lays out a struct sk_buff whose head holds an IPv4 or IPv6
// header, or none (network_header 0xffff), and ports when the protocol
// has them.
func (g *policyGen) layoutSkb(t *testing.T, a *evalArg, mem *arena) (uint64, ir.ArgValue, string) {
	r := g.r
	s := g.eventSock(a, false)
	k := kernelStruct(t, "sk_buff")
	addr, b := mem.alloc(t, k.size)
	headAddr, head := mem.alloc(t, 256)
	k.put(t, b, "head", headAddr)
	netOff, trOff := 2+r.IntN(16), 0
	version := 4
	switch s.Family {
	case kern.AFInet6:
		version = 6
	case kern.AFInet:
	default:
		// No IP header: either none is set, or its version is neither.
		if r.IntN(2) == 0 {
			k.put(t, b, "network_header", 0xffff)
			k.put(t, b, "transport_header", 0xffff)
			return addr, ir.ArgValue{Sock: &ir.Sock{}}, "no network header"
		}
		version = []int{0, 5, 15}[r.IntN(3)]
	}
	k.put(t, b, "network_header", uint64(netOff))
	ip := head[netOff:]
	ip[0] = byte(version<<4 | 5)
	s.Protocol &= 0xff // one byte on the wire
	switch version {
	case 4:
		ip[9] = byte(s.Protocol)
		sa, da := s.SAddr.As4(), s.DAddr.As4()
		copy(ip[12:], sa[:])
		copy(ip[16:], da[:])
		trOff = netOff + 20
	case 6:
		ip[6] = byte(s.Protocol)
		sa, da := s.SAddr.As16(), s.DAddr.As16()
		copy(ip[8:], sa[:])
		copy(ip[24:], da[:])
		trOff = netOff + 40
	default:
		k.put(t, b, "transport_header", 0xffff)
		return addr, ir.ArgValue{Sock: &ir.Sock{}}, fmt.Sprintf("IP version %d", version)
	}
	ports := s.Protocol == kern.ProtoTCP || s.Protocol == kern.ProtoUDP || s.Protocol == kern.ProtoSCTP || s.Protocol == kern.ProtoUDPLt
	if ports && r.IntN(6) == 0 {
		k.put(t, b, "transport_header", 0xffff)
		ports = false
	} else {
		k.put(t, b, "transport_header", uint64(trOff))
		binary.BigEndian.PutUint16(head[trOff:], s.SPort)
		binary.BigEndian.PutUint16(head[trOff+2:], s.DPort)
	}
	if !ports {
		s.SPort, s.DPort = 0, 0
	}
	if version == 4 {
		s.Family = kern.AFInet
	} else {
		s.Family = kern.AFInet6
	}
	s.State = 0
	return addr, ir.ArgValue{Sock: modelSock(s)}, sockString(s)
}

func short(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%q... (%d bytes)", s[:40], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// checkRecord compares what the program recorded of each argument with
// what the event laid out: a mismatch is a wrong read (or a wrong model of
// it), which would make the verdicts compare the wrong things.
func (p *genPolicy) checkRecord(h *ir.Hook, rec *record, ev *evalEvent) error {
	for _, arg := range h.Args {
		if arg.Slot >= len(rec.Args) {
			return fmt.Errorf("slot %d missing", arg.Slot)
		}
		raw := rec.Args[arg.Slot]
		want := ev.model.Args[arg.Index]
		switch c := arg.Type.Class(); {
		case arg.Type == ir.TypeSockaddrUn:
			fam := binary.LittleEndian.Uint16(raw[bpf.SockaddrUnFamilyOff:])
			data, _, _ := bytesArg(raw[bpf.SockaddrUnPathOff:])
			if fam != want.Sock.Family || !bytes.Equal(data, want.Bytes) {
				return fmt.Errorf("slot %d (%s): recorded family %d path %s, laid out family %d path %s", arg.Slot, arg.Type,
					fam, short(string(data)), want.Sock.Family, short(string(want.Bytes)))
			}
		case arg.Type == ir.TypeDNS:
			if err := checkDNSRecord(raw, ev.dns[arg.Index]); err != nil {
				return fmt.Errorf("slot %d (dns): %v", arg.Slot, err)
			}
		case c == ir.ClassInt || c == ir.ClassCaps:
			if got := intArg(raw); got != ir.FitInt(arg.Type, want.Int) {
				return fmt.Errorf("slot %d (%s): recorded %#x, laid out %#x", arg.Slot, arg.Type, got, want.Int)
			}
		case c == ir.ClassString || c == ir.ClassPath:
			data, _, _ := bytesArg(raw)
			if !bytes.Equal(data, want.Bytes) {
				return fmt.Errorf("slot %d (%s): recorded %s, laid out %s", arg.Slot, arg.Type, short(string(data)), short(string(want.Bytes)))
			}
		case c == ir.ClassNet:
			got, err := recordedSock(arg.Type, raw)
			if err != nil {
				return err
			}
			w := *want.Sock
			if arg.Type == ir.TypeSockaddr {
				w.Protocol, w.State, w.DAddr, w.DPort = 0, 0, netip.Addr{}, 0
			}
			if got != w {
				return fmt.Errorf("slot %d (%s): recorded %+v, laid out %+v", arg.Slot, arg.Type, got, w)
			}
		}
	}
	return nil
}

// recordedSock decodes a sock, skb or sockaddr record argument into the
// fields ir.Sock has.
func recordedSock(t ir.ArgType, raw []byte) (ir.Sock, error) {
	addr := func(fam uint16, b [16]byte) netip.Addr {
		switch fam {
		case kern.AFInet:
			return netip.AddrFrom4([4]byte(b[:4]))
		case kern.AFInet6:
			return netip.AddrFrom16(b)
		}
		return netip.Addr{}
	}
	switch t {
	case ir.TypeSkb:
		var s bpf.Skb
		if _, err := binary.Decode(raw, binary.LittleEndian, &s); err != nil {
			return ir.Sock{}, err
		}
		return ir.Sock{Family: s.Family, Protocol: s.Protocol, SAddr: addr(s.Family, s.Saddr), DAddr: addr(s.Family, s.Daddr), SPort: s.Sport, DPort: s.Dport}, nil
	case ir.TypeSockaddr:
		var s bpf.Sockaddr
		if _, err := binary.Decode(raw, binary.LittleEndian, &s); err != nil {
			return ir.Sock{}, err
		}
		return ir.Sock{Family: s.Family, SAddr: addr(s.Family, s.Addr), SPort: s.Port}, nil
	}
	var s bpf.Sock
	if _, err := binary.Decode(raw, binary.LittleEndian, &s); err != nil {
		return ir.Sock{}, err
	}
	return ir.Sock{Family: s.Family, Protocol: s.Protocol, State: s.State, SAddr: addr(s.Family, s.Saddr),
		DAddr: addr(s.Family, s.Daddr), SPort: s.Sport, DPort: s.Dport}, nil
}
