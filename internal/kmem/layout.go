package kmem

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"

	"github.com/polc-dev/polc/ir"
)

// Address families and the protocols whose packets carry ports, as the
// kernel numbers them.
const (
	AFInet  = 2
	AFInet6 = 10
)

// Layout lays out kernel structs in an arena, remembering the first error,
// so that a layout of many members reads as a list of puts.
type Layout struct {
	A   *Arena
	Err error
}

func (l *Layout) fail(err error) {
	if l.Err == nil && err != nil {
		l.Err = err
	}
}

// Alloc is Arena.Alloc; on an error it returns scratch bytes.
func (l *Layout) Alloc(n int) (uint64, []byte) {
	addr, b, err := l.A.Alloc(n)
	if err != nil {
		l.fail(err)
		return 0, make([]byte, max(n, 0))
	}
	return addr, b
}

// CString is Arena.CString.
func (l *Layout) CString(s []byte) uint64 {
	addr, err := l.A.CString(s)
	l.fail(err)
	return addr
}

// New allocates a zeroed kernel struct name and returns its address, its
// bytes and its layout.
func (l *Layout) New(name string) (uint64, []byte, *Struct) {
	k, err := KernelStruct(name)
	if err != nil {
		l.fail(err)
		return 0, nil, nil
	}
	addr, b := l.Alloc(k.Size)
	return addr, b, k
}

// Put is Struct.Put.
func (l *Layout) Put(k *Struct, b []byte, path string, v uint64) {
	if k != nil && b != nil {
		l.fail(k.Put(b, path, v))
	}
}

// PutBytes is Struct.PutBytes.
func (l *Layout) PutBytes(k *Struct, b []byte, path string, data []byte) {
	if k != nil && b != nil {
		l.fail(k.PutBytes(b, path, data))
	}
}

// Dentries lays out the dentries of path (no empty components) up to a
// root whose parent is itself, and returns the last one.
func (l *Layout) Dentries(path string) uint64 { return l.dentries(path, 0) }

// dentries is Dentries whose last dentry's d_inode is inode.
func (l *Layout) dentries(path string, inode uint64) uint64 {
	root, rb, k := l.New("dentry")
	l.Put(k, rb, "d_parent", root)
	parent, last := root, rb
	for _, c := range strings.Split(path, "/") {
		if c == "" {
			continue
		}
		name := l.CString([]byte(c))
		d, b, _ := l.New("dentry")
		l.Put(k, b, "d_parent", parent)
		l.Put(k, b, "d_name.len", uint64(len(c)))
		l.Put(k, b, "d_name.name", name)
		parent, last = d, b
	}
	if inode != 0 {
		l.Put(k, last, "d_inode", inode)
	}
	return parent
}

// File lays out the struct of a file-like type (file, path, dentry,
// linux_binprm) whose dentries spell path, with a NULL mount: the walk
// stops at the root of the file system. The last dentry has no inode.
func (l *Layout) File(t ir.ArgType, path string) uint64 { return l.FileMode(t, path, 0) }

// FileMode is File whose last dentry has an inode of mode (when not 0):
// FileType tests its type bits.
func (l *Layout) FileMode(t ir.ArgType, path string, mode uint16) uint64 {
	return l.FileInode(t, path, mode, ir.FileID{})
}

// FileInode is File whose last dentry has an inode (when mode or id is
// not zero) of mode, inode number id.Ino, and a super_block of device
// id.Dev: FileType tests the mode's type bits, SameFile the identity.
func (l *Layout) FileInode(t ir.ArgType, path string, mode uint16, id ir.FileID) uint64 {
	var inode uint64
	if mode != 0 || id != (ir.FileID{}) {
		var b []byte
		var k *Struct
		inode, b, k = l.New("inode")
		l.Put(k, b, "i_mode", uint64(mode))
		l.Put(k, b, "i_ino", id.Ino)
		if id.Dev != 0 {
			sb, sbb, sk := l.New("super_block")
			l.Put(sk, sbb, "s_dev", uint64(id.Dev))
			l.Put(k, b, "i_sb", sb)
		}
	}
	dentry := l.dentries(path, inode)
	switch t {
	case ir.TypeDentry:
		return dentry
	case ir.TypePath:
		addr, b, k := l.New("path")
		l.Put(k, b, "dentry", dentry)
		return addr
	}
	addr, b, k := l.New("file")
	l.Put(k, b, "f_path.dentry", dentry)
	if t == ir.TypeLinuxBinprm {
		file := addr
		var bp *Struct
		addr, b, bp = l.New("linux_binprm")
		l.Put(bp, b, "file", file)
	}
	return addr
}

// Sock lays out a struct sock (or a struct socket pointing at one) as
// struct sock_common holds s; the ports are in host order.
func (l *Layout) Sock(s ir.Sock, socket bool) uint64 {
	addr, b, k := l.New("sock")
	l.Put(k, b, "__sk_common.skc_family", uint64(s.Family))
	l.Put(k, b, "sk_protocol", uint64(s.Protocol))
	l.Put(k, b, "__sk_common.skc_state", uint64(s.State))
	l.Put(k, b, "__sk_common.skc_num", uint64(s.SPort))
	l.Put(k, b, "__sk_common.skc_dport", uint64(s.DPort>>8|s.DPort<<8))
	switch s.Family {
	case AFInet:
		sa, da := as4(s.SAddr), as4(s.DAddr)
		l.PutBytes(k, b, "__sk_common.skc_rcv_saddr", sa[:])
		l.PutBytes(k, b, "__sk_common.skc_daddr", da[:])
	case AFInet6:
		sa, da := as16(s.SAddr), as16(s.DAddr)
		l.PutBytes(k, b, "__sk_common.skc_v6_rcv_saddr", sa[:])
		l.PutBytes(k, b, "__sk_common.skc_v6_daddr", da[:])
	}
	if !socket {
		return addr
	}
	sk := addr
	addr, b, so := l.New("socket")
	l.Put(so, b, "sk", sk)
	return addr
}

// Sockaddr lays out a sockaddr_in or sockaddr_in6 of s's family holding
// SAddr and SPort (a sockaddr_in6's size, whatever the family).
func (l *Layout) Sockaddr(s ir.Sock) uint64 {
	addr, b := l.Alloc(28)
	binary.LittleEndian.PutUint16(b, s.Family)
	binary.BigEndian.PutUint16(b[2:], s.SPort)
	switch s.Family {
	case AFInet:
		a4 := as4(s.SAddr)
		copy(b[4:], a4[:])
	case AFInet6:
		a16 := as16(s.SAddr)
		copy(b[8:], a16[:])
	}
	return addr
}

// Skb lays out a struct sk_buff whose head holds, at netOff, an IPv4 or
// IPv6 header of s's family and, when withPorts, the ports after it; a
// family that is neither leaves the skb without a network header.
func (l *Layout) Skb(s ir.Sock, netOff int, withPorts bool) uint64 {
	addr, b, k := l.New("sk_buff")
	headAddr, head := l.Alloc(256)
	l.Put(k, b, "head", headAddr)
	var trOff int
	switch s.Family {
	case AFInet:
		ip := head[netOff:]
		ip[0] = 4<<4 | 5
		ip[9] = byte(s.Protocol)
		sa, da := as4(s.SAddr), as4(s.DAddr)
		copy(ip[12:], sa[:])
		copy(ip[16:], da[:])
		trOff = netOff + 20
	case AFInet6:
		ip := head[netOff:]
		ip[0] = 6<<4 | 5
		ip[6] = byte(s.Protocol)
		sa, da := as16(s.SAddr), as16(s.DAddr)
		copy(ip[8:], sa[:])
		copy(ip[24:], da[:])
		trOff = netOff + 40
	default:
		l.Put(k, b, "network_header", 0xffff)
		l.Put(k, b, "transport_header", 0xffff)
		return addr
	}
	l.Put(k, b, "network_header", uint64(netOff))
	if !withPorts {
		l.Put(k, b, "transport_header", 0xffff)
		return addr
	}
	l.Put(k, b, "transport_header", uint64(trOff))
	binary.BigEndian.PutUint16(head[trOff:], s.SPort)
	binary.BigEndian.PutUint16(head[trOff+2:], s.DPort)
	return addr
}

// Unsupported is returned by Arg for a value that no kernel layout reads
// back as given: the caller reports why the event cannot run.
type Unsupported struct{ Reason string }

func (u *Unsupported) Error() string { return u.Reason }

// Arg lays out the value v of an argument of type t the way a program
// reading a pointer argument of that type finds it, and returns the
// pointer and the value the program reads through it (a socket's
// addresses as the family stores them). size is the value of the argument's size argument (char_buf:
// bytes, char_iovec: entries), or -1 when it has none. Integer types are
// not pointers: Arg returns v.Int. A value the program would read back
// differently (a string with a NUL, a buffer longer than its size says) is
// an *Unsupported error.
func (l *Layout) Arg(t ir.ArgType, v ir.ArgValue, size int64) (uint64, ir.ArgValue, error) {
	switch {
	case t.IsInteger():
		return uint64(v.Int), v, nil
	case t == ir.TypeNop:
		return 0, v, nil // not read
	}
	sock := func() ir.Sock {
		if v.Sock == nil {
			return ir.Sock{}
		}
		return *v.Sock
	}
	var addr uint64
	switch t {
	case ir.TypeString, ir.TypeFilename, ir.TypeNetDevice:
		if bytes.IndexByte(v.Bytes, 0) >= 0 {
			return 0, v, &Unsupported{fmt.Sprintf("a %s with a NUL byte is read up to the NUL", t)}
		}
		limit := ir.MaxMatchLen
		if t == ir.TypeNetDevice {
			limit = 15
		}
		if len(v.Bytes) > limit {
			return 0, v, &Unsupported{fmt.Sprintf("a %s of %d bytes is read up to %d", t, len(v.Bytes), limit)}
		}
		switch t {
		case ir.TypeString:
			addr = l.CString(v.Bytes)
		case ir.TypeFilename:
			name := l.CString(v.Bytes)
			var b []byte
			var k *Struct
			addr, b, k = l.New("filename")
			l.Put(k, b, "name", name)
		default:
			var b []byte
			var k *Struct
			addr, b, k = l.New("net_device")
			l.PutBytes(k, b, "name", v.Bytes)
		}
	case ir.TypeCharBuf, ir.TypeCharIovec:
		if size < 0 {
			return 0, v, &Unsupported{fmt.Sprintf("a %s without a size argument", t)}
		}
		if t == ir.TypeCharBuf {
			if want := min(size, ir.DefaultDataBytes); int64(len(v.Bytes)) != want {
				return 0, v, &Unsupported{fmt.Sprintf("the %s has %d bytes, its size argument reads %d", t, len(v.Bytes), want)}
			}
			var b []byte
			addr, b = l.Alloc(max(len(v.Bytes), 1))
			copy(b, v.Bytes)
			break
		}
		// char_iovec: the first entry holds every byte, the others none.
		if size <= 0 && len(v.Bytes) > 0 || len(v.Bytes) > ir.DefaultDataBytes {
			return 0, v, &Unsupported{fmt.Sprintf("the %s has %d bytes, its count argument is %d", t, len(v.Bytes), size)}
		}
		n := int(min(max(size, 0), 1024)) // UIO_MAXIOV
		var entries []byte
		addr, entries = l.Alloc(16 * max(n, 1))
		if n > 0 {
			base, b := l.Alloc(max(len(v.Bytes), 1))
			copy(b, v.Bytes)
			binary.LittleEndian.PutUint64(entries, base)
			binary.LittleEndian.PutUint64(entries[8:], uint64(len(v.Bytes)))
		}
	case ir.TypeFile, ir.TypePath, ir.TypeDentry, ir.TypeLinuxBinprm:
		p := string(v.Bytes)
		if p != "" && (!strings.HasPrefix(p, "/") || strings.Contains(p, "//") || len(p) > 1 && strings.HasSuffix(p, "/")) {
			return 0, v, &Unsupported{fmt.Sprintf("the path %q is not absolute and clean, as a dentry walk spells paths", p)}
		}
		addr = l.FileInode(t, p, v.Mode, v.File)
	case ir.TypeSock, ir.TypeSocket:
		s := sock()
		addr = l.Sock(s, t == ir.TypeSocket)
		s.SAddr, s.DAddr = readAddr(s.Family, s.SAddr), readAddr(s.Family, s.DAddr)
		v = ir.ArgValue{Sock: &s}
	case ir.TypeSockaddr:
		s := sock()
		addr = l.Sockaddr(s)
		if s.Family != AFInet && s.Family != AFInet6 {
			s.SPort = 0 // only the family is read
		}
		s.SAddr, s.DAddr = readAddr(s.Family, s.SAddr), netip.Addr{}
		v = ir.ArgValue{Sock: &ir.Sock{Family: s.Family, SAddr: s.SAddr, SPort: s.SPort}}
	case ir.TypeSkb:
		s := sock()
		if s.State != 0 {
			return 0, v, &Unsupported{"a packet has no socket state"}
		}
		s.Protocol &= 0xff // one byte on the wire
		// Only TCP, UDP, SCTP and UDP-Lite packets have ports.
		ports := s.Protocol == 6 || s.Protocol == 17 || s.Protocol == 132 || s.Protocol == 136
		if !ports {
			s.SPort, s.DPort = 0, 0
		}
		addr = l.Skb(s, 14, ports)
		switch s.Family {
		case AFInet, AFInet6:
			s.SAddr, s.DAddr = readAddr(s.Family, s.SAddr), readAddr(s.Family, s.DAddr)
		default:
			s = ir.Sock{}
		}
		v = ir.ArgValue{Sock: &s}
	case ir.TypeDNS:
		// The payload is a query for the name v holds (type A, class IN),
		// which the program reads back as the name.
		q, err := DNSQuery(string(v.Bytes), 1)
		if err != nil {
			return 0, v, &Unsupported{err.Error()}
		}
		addr = l.DNS(q, false)
	case ir.TypeKernelCap, ir.TypeCapInheritable, ir.TypeCapPermitted, ir.TypeCapEffective:
		var b []byte
		addr, b = l.Alloc(8)
		binary.LittleEndian.PutUint64(b, uint64(v.Int))
	default:
		return 0, v, &Unsupported{fmt.Sprintf("arguments of type %s are not laid out yet", t)}
	}
	return addr, v, l.Err
}

// DNSQuery is the DNS message of a standard query for name (dotted, in
// lower case) of type qtype, class IN: what a test writes for a dns
// argument the program reads name back from.
func DNSQuery(name string, qtype uint16) ([]byte, error) {
	if len(name) > ir.DNSNameMax {
		return nil, fmt.Errorf("a DNS name has at most %d characters, not %d", ir.DNSNameMax, len(name))
	}
	if strings.ToLower(name) != name {
		return nil, fmt.Errorf("a dns argument's name is read in lower case: %q", name)
	}
	q := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	if name != "" {
		for _, label := range strings.Split(name, ".") {
			if label == "" || len(label) > 63 {
				return nil, fmt.Errorf("the DNS name %q has an empty label or one longer than 63 bytes", name)
			}
			q = append(q, byte(len(label)))
			q = append(q, label...)
		}
	}
	q = append(q, 0, byte(qtype>>8), byte(qtype), 0, 1)
	return q, nil
}

// DNS lays out the struct msghdr of a UDP send of payload, whose
// iterator is an ITER_UBUF (one user buffer) or, with iovec, an
// ITER_IOVEC of one entry, and returns its address. The payload is in
// user memory.
func (l *Layout) DNS(payload []byte, iovec bool) uint64 {
	buf, b, err := l.A.AllocUser(max(len(payload), 1))
	if err != nil {
		l.fail(err)
		return 0
	}
	copy(b, payload)
	addr, mb, k := l.New("msghdr")
	if k == nil {
		return 0
	}
	// Before 5.14 the iterator has a type (the direction in bit 0, WRITE
	// for a send) and no ITER_UBUF; before 6.4 the iovec array is iov.
	_, _, typed := k.Field("msg_iter.iter_type")
	if typed != nil {
		iovec = true
	}
	kind := "ITER_UBUF"
	if iovec {
		kind = "ITER_IOVEC"
	}
	typ, err := KernelEnumValue("iter_type", kind)
	l.fail(err)
	if typed != nil {
		l.Put(k, mb, "msg_iter.type", typ|1)
	} else {
		l.Put(k, mb, "msg_iter.iter_type", typ)
	}
	l.Put(k, mb, "msg_iter.count", uint64(len(payload)))
	if !iovec {
		l.Put(k, mb, "msg_iter.ubuf", buf)
		return addr
	}
	iov, e := l.Alloc(16)
	binary.LittleEndian.PutUint64(e, buf)
	binary.LittleEndian.PutUint64(e[8:], uint64(len(payload)))
	member := "msg_iter.__iov"
	if _, _, err := k.Field(member); err != nil {
		member = "msg_iter.iov"
	}
	l.Put(k, mb, member, iov)
	l.Put(k, mb, "msg_iter.nr_segs", 1)
	return addr
}

// readAddr is the address a program reads from the field of a socket of
// family fam that a was written into: 4 bytes for AF_INET, 16 for
// AF_INET6 (an IPv4 address mapped), none for other families.
func readAddr(fam uint16, a netip.Addr) netip.Addr {
	switch fam {
	case AFInet:
		return netip.AddrFrom4(as4(a))
	case AFInet6:
		return netip.AddrFrom16(as16(a))
	}
	return netip.Addr{}
}

// as4 and as16 are an address's bytes; the zero Addr is all zeros.
func as4(a netip.Addr) [4]byte {
	if !a.IsValid() {
		return [4]byte{}
	}
	return a.Unmap().As4()
}

func as16(a netip.Addr) [16]byte {
	if !a.IsValid() {
		return [16]byte{}
	}
	return a.As16()
}
