package fetch

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// zeroSlot clears the bytes of slot s.
func (p *Gen) zeroSlot(s *prog.Slot) {
	for off := 0; off < s.Size; off += 8 {
		p.Emit(emit.StoreImm(prog.RRec, int16(s.Off+off), 0, asm.DWord))
	}
}

// field copies n bytes of the member path of t at base into the record at
// slot offset off.
func (p *Gen) field(s *prog.Slot, off, n int, base asm.Register, t btf.Type, path string) {
	kern.ReadKernelInto(&p.B, prog.RRec, int32(s.Off+off), int32(n), base, t, path)
}

// rawRead copies n bytes at base+from (user or kernel memory) into the
// record at slot offset off.
func (p *Gen) rawRead(s *prog.Slot, off, n int, base asm.Register, from int, user bool) {
	fn := asm.FnProbeReadKernel
	if user {
		fn = asm.FnProbeReadUser
	}
	p.Emit(
		asm.Mov.Reg(asm.R3, base),
		asm.Add.Imm(asm.R3, int32(from)),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off+off)),
		asm.Mov.Imm(asm.R2, int32(n)),
		fn.Call(),
	)
}

// swap16 turns the big-endian u16 at slot offset off into host order.
func (p *Gen) swap16(s *prog.Slot, off int) {
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off+off), asm.Half),
		asm.HostTo(asm.BE, asm.R1, asm.Half),
		asm.StoreMem(prog.RRec, int16(s.Off+off), asm.R1, asm.Half),
	)
}

// readStruct reads the fixed-size encodings, from the pointer in ptr (R7).
func (p *Gen) readStruct(s *prog.Slot, ptr asm.Register) {
	p.zeroSlot(s)
	switch s.Arg.Type {
	case ir.TypeSock:
		p.readSock(s, ptr)
	case ir.TypeSocket:
		kern.ReadKernel(&p.B, ptr, ptr, kern.Socket, "sk", asm.DWord, prog.StTmp)
		p.readSock(s, ptr)
	case ir.TypeSkb:
		p.readSkb(s, ptr)
	case ir.TypeSockaddr:
		p.readSockaddr(s, ptr)
	case ir.TypeSockaddrUn:
		p.readSockaddrUn(s, ptr)
	case ir.TypeCred:
		p.readCred(s, ptr)
	case ir.TypeUserNamespace:
		p.readUserNS(s, 0, ptr)
	case ir.TypeBpfAttr:
		p.field(s, bpf.BpfAttrProgTypeOff, 4, ptr, kern.BpfAttr, "prog_type")
		p.field(s, bpf.BpfAttrInsnCntOff, 4, ptr, kern.BpfAttr, "insn_cnt")
		p.field(s, bpf.BpfAttrProgNameOff, 16, ptr, kern.BpfAttr, "prog_name")
	case ir.TypeBpfMap:
		p.field(s, bpf.BpfMapMapTypeOff, 4, ptr, kern.BpfMapT, "map_type")
		p.field(s, bpf.BpfMapKeySizeOff, 4, ptr, kern.BpfMapT, "key_size")
		p.field(s, bpf.BpfMapValueSizeOff, 4, ptr, kern.BpfMapT, "value_size")
		p.field(s, bpf.BpfMapMaxEntriesOff, 4, ptr, kern.BpfMapT, "max_entries")
		p.field(s, bpf.BpfMapNameOff, 16, ptr, kern.BpfMapT, "name")
	case ir.TypeBpfProg:
		p.field(s, bpf.BpfProgProgTypeOff, 4, ptr, kern.BpfProgT, "type")
		p.field(s, bpf.BpfProgInsnCntOff, 4, ptr, kern.BpfProgT, "len")
		kern.ReadKernel(&p.B, ptr, ptr, kern.BpfProgT, "aux", asm.DWord, prog.StTmp)
		p.field(s, bpf.BpfProgNameOff, 16, ptr, kern.BpfProgAux, "name")
	case ir.TypePerfEvent:
		p.field(s, bpf.PerfEventTypeOff, 4, ptr, kern.PerfEvent, "attr.type")
		p.field(s, bpf.PerfEventConfigOff, 8, ptr, kern.PerfEvent, "attr.config")
		p.field(s, bpf.PerfEventProbeOffsetOff, 8, ptr, kern.PerfEvent, "attr.probe_offset")
		// The kprobe's function name: a string the attr points to.
		kern.ReadKernel(&p.B, asm.R3, ptr, kern.PerfEvent, "attr.kprobe_func", asm.DWord, prog.StTmp)
		p.Emit(
			asm.Mov.Reg(asm.R1, prog.RRec),
			asm.Add.Imm(asm.R1, int32(s.Off+bpf.PerfEventKprobeFuncOff)),
			asm.Mov.Imm(asm.R2, 64),
			asm.FnProbeReadStr.Call(),
		)
	default:
		p.Errorf(s.Arg.Pos, "argument type %s is not supported yet", s.Arg.Type)
	}
}

// readSock fills a bpf.Sock from the struct sock * in sk.
func (p *Gen) readSock(s *prog.Slot, sk asm.Register) {
	p.field(s, bpf.SockFamilyOff, 2, sk, kern.Sock, "__sk_common.skc_family")
	p.field(s, bpf.SockTypeOff, 2, sk, kern.Sock, "sk_type")
	p.field(s, bpf.SockProtocolOff, 2, sk, kern.Sock, "sk_protocol")
	p.field(s, bpf.SockStateOff, 1, sk, kern.Sock, "__sk_common.skc_state")
	p.field(s, bpf.SockMarkOff, 4, sk, kern.Sock, "sk_mark")
	p.field(s, bpf.SockPriorityOff, 4, sk, kern.Sock, "sk_priority")
	p.field(s, bpf.SockSportOff, 2, sk, kern.Sock, "__sk_common.skc_num")
	p.field(s, bpf.SockDportOff, 2, sk, kern.Sock, "__sk_common.skc_dport")
	p.swap16(s, bpf.SockDportOff)
	p.field(s, bpf.SockCookieOff, 8, sk, kern.Sock, "__sk_common.skc_cookie")
	v6, done := p.B.Fresh("sock_v6"), p.B.Fresh("sock_addr_done")
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off+bpf.SockFamilyOff), asm.Half),
		asm.JEq.Imm(asm.R1, kern.AFInet6, v6),
		asm.JNE.Imm(asm.R1, kern.AFInet, done),
	)
	p.field(s, bpf.SockSaddrOff, 4, sk, kern.Sock, "__sk_common.skc_rcv_saddr")
	p.field(s, bpf.SockDaddrOff, 4, sk, kern.Sock, "__sk_common.skc_daddr")
	p.Emit(asm.Ja.Label(done))
	p.B.Label(v6)
	p.field(s, bpf.SockSaddrOff, 16, sk, kern.Sock, "__sk_common.skc_v6_rcv_saddr")
	p.field(s, bpf.SockDaddrOff, 16, sk, kern.Sock, "__sk_common.skc_v6_daddr")
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// readSkb fills a bpf.Skb from the struct sk_buff * in skb: its counters,
// then addresses and ports from the IP and transport headers (wire
// formats, at their fixed offsets).
func (p *Gen) readSkb(s *prog.Slot, skb asm.Register) {
	p.field(s, bpf.SkbHashOff, 4, skb, kern.SkBuff, "hash")
	p.field(s, bpf.SkbLenOff, 4, skb, kern.SkBuff, "len")
	p.field(s, bpf.SkbPriorityOff, 4, skb, kern.SkBuff, "priority")
	p.field(s, bpf.SkbMarkOff, 4, skb, kern.SkBuff, "mark")
	// R8 = head + network_header; transport_header kept at prog.StVal.
	kern.ReadKernel(&p.B, asm.R8, skb, kern.SkBuff, "head", asm.DWord, prog.StTmp)
	kern.ReadKernel(&p.B, asm.R1, skb, kern.SkBuff, "transport_header", asm.Half, prog.StTmp)
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal, asm.R1, asm.DWord))
	kern.ReadKernel(&p.B, asm.R1, skb, kern.SkBuff, "network_header", asm.Half, prog.StTmp)
	done, v6, ports := p.B.Fresh("skb_done"), p.B.Fresh("skb_v6"), p.B.Fresh("skb_ports")
	p.Emit(
		asm.JEq.Imm(asm.R1, 0xffff, done),
		asm.LoadMem(asm.R2, asm.RFP, prog.StVal, asm.DWord),
		asm.StoreMem(asm.RFP, prog.StVal2, asm.R8, asm.DWord), // head
		asm.Add.Reg(asm.R8, asm.R1),
		// The IP version: the high nibble of the first byte.
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, prog.StTmp),
		asm.Mov.Imm(asm.R2, 1),
		asm.Mov.Reg(asm.R3, asm.R8),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(asm.R1, asm.RFP, prog.StTmp, asm.Byte),
		asm.RSh.Imm(asm.R1, 4),
		asm.JEq.Imm(asm.R1, 6, v6),
		asm.JNE.Imm(asm.R1, 4, done),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.SkbFamilyOff), kern.AFInet, asm.Half),
	)
	p.rawRead(s, bpf.SkbProtocolOff, 1, asm.R8, 9, false) // IPv4 header: protocol
	p.rawRead(s, bpf.SkbSaddrOff, 4, asm.R8, 12, false)   // saddr
	p.rawRead(s, bpf.SkbDaddrOff, 4, asm.R8, 16, false)   // daddr
	p.Emit(asm.Ja.Label(ports))
	p.B.Label(v6)
	p.Emit(emit.StoreImm(prog.RRec, int16(s.Off+bpf.SkbFamilyOff), kern.AFInet6, asm.Half))
	p.rawRead(s, bpf.SkbProtocolOff, 1, asm.R8, 6, false) // IPv6 header: next header
	p.rawRead(s, bpf.SkbSaddrOff, 16, asm.R8, 8, false)   // saddr
	p.rawRead(s, bpf.SkbDaddrOff, 16, asm.R8, 24, false)  // daddr
	p.B.Label(ports)
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off+bpf.SkbProtocolOff), asm.Byte),
		asm.JEq.Imm(asm.R1, kern.ProtoTCP, ports+"_read"),
		asm.JEq.Imm(asm.R1, kern.ProtoUDP, ports+"_read"),
		asm.JEq.Imm(asm.R1, kern.ProtoSCTP, ports+"_read"),
		asm.JNE.Imm(asm.R1, kern.ProtoUDPLt, done),
	)
	p.B.Label(ports + "_read")
	kern.ReadKernel(&p.B, asm.R1, skb, kern.SkBuff, "transport_header", asm.Half, prog.StTmp)
	p.Emit(
		asm.JEq.Imm(asm.R1, 0xffff, done),
		asm.LoadMem(asm.R8, asm.RFP, prog.StVal2, asm.DWord),
		asm.Add.Reg(asm.R8, asm.R1),
	)
	p.rawRead(s, bpf.SkbSportOff, 4, asm.R8, 0, false) // both ports
	p.swap16(s, bpf.SkbSportOff)
	p.swap16(s, bpf.SkbDportOff)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// readSockaddr fills a bpf.Sockaddr from a struct sockaddr (UAPI layout:
// sockaddr_in and sockaddr_in6) in user or kernel memory.
func (p *Gen) readSockaddr(s *prog.Slot, sa asm.Register) {
	user := p.UserPointers()
	v6, done := p.B.Fresh("sa_v6"), p.B.Fresh("sa_done")
	p.rawRead(s, bpf.SockaddrFamilyOff, 2, sa, 0, user)
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off+bpf.SockaddrFamilyOff), asm.Half),
		asm.JEq.Imm(asm.R1, kern.AFInet6, v6),
		asm.JNE.Imm(asm.R1, kern.AFInet, done),
	)
	p.rawRead(s, bpf.SockaddrPortOff, 2, sa, 2, user)
	p.rawRead(s, bpf.SockaddrAddrOff, 4, sa, 4, user)
	p.swap16(s, bpf.SockaddrPortOff)
	p.Emit(asm.Ja.Label(done))
	p.B.Label(v6)
	p.rawRead(s, bpf.SockaddrPortOff, 2, sa, 2, user)
	p.rawRead(s, bpf.SockaddrAddrOff, 16, sa, 8, user)
	p.swap16(s, bpf.SockaddrPortOff)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// readSockaddrUn fills a bpf.SockaddrUn from a struct sockaddr_un (UAPI
// layout: a u16 family, then sun_path) in user or kernel memory, as
// Tetragon reads it: a sun_path starting with a NUL is an abstract name,
// read from its second byte; the path ends at its first NUL.
func (p *Gen) readSockaddrUn(s *prog.Slot, sa asm.Register) {
	user := p.UserPointers()
	fs := p.B.Fresh("sun_fs")
	p.rawRead(s, bpf.SockaddrUnFamilyOff, 2, sa, 0, user)
	// sun_path's first byte, in the Abstract byte until it says abstract.
	p.rawRead(s, bpf.SockaddrUnAbstractOff, 1, sa, 2, user)
	p.Emit(
		asm.LoadMem(asm.R1, prog.RRec, int16(s.Off+bpf.SockaddrUnAbstractOff), asm.Byte),
		asm.Add.Imm(sa, 2),
		asm.Mov.Imm(asm.R2, 0),
		asm.JNE.Imm(asm.R1, 0, fs),
		asm.Add.Imm(sa, 1),
		asm.Mov.Imm(asm.R2, 1),
	)
	p.B.Label(fs)
	p.Emit(asm.StoreMem(prog.RRec, int16(s.Off+bpf.SockaddrUnAbstractOff), asm.R2, asm.Byte))
	path := *s
	path.Off += bpf.SockaddrUnPathOff
	p.readString(&path, sa, user)
}

// readCred fills a bpf.Cred from a struct cred *.
func (p *Gen) readCred(s *prog.Slot, cred asm.Register) {
	for i, f := range []string{"uid", "gid", "suid", "sgid", "euid", "egid", "fsuid", "fsgid"} {
		p.field(s, bpf.CredUIDOff+4*i, 4, cred, kern.Cred, f)
	}
	p.field(s, bpf.CredSecurebitsOff, 4, cred, kern.Cred, "securebits")
	p.field(s, bpf.CredCapPermittedOff, 8, cred, kern.Cred, "cap_permitted")
	p.field(s, bpf.CredCapEffectiveOff, 8, cred, kern.Cred, "cap_effective")
	p.field(s, bpf.CredCapInheritableOff, 8, cred, kern.Cred, "cap_inheritable")
	kern.ReadKernel(&p.B, asm.R8, cred, kern.Cred, "user_ns", asm.DWord, prog.StTmp)
	p.field(s, bpf.CredUserNSLevelOff, 4, asm.R8, kern.UserNamespace, "level")
	p.field(s, bpf.CredUserNSInumOff, 4, asm.R8, kern.UserNamespace, "ns.inum")
	p.field(s, bpf.CredUserNSOwnerOff, 4, asm.R8, kern.UserNamespace, "owner")
}

// readUserNS fills a bpf.UserNamespace at slot offset off.
func (p *Gen) readUserNS(s *prog.Slot, off int, ns asm.Register) {
	p.field(s, off+bpf.UserNamespaceLevelOff, 4, ns, kern.UserNamespace, "level")
	p.field(s, off+bpf.UserNamespaceOwnerOff, 4, ns, kern.UserNamespace, "owner")
	p.field(s, off+bpf.UserNamespaceGroupOff, 4, ns, kern.UserNamespace, "group")
	p.field(s, off+bpf.UserNamespaceInumOff, 4, ns, kern.UserNamespace, "ns.inum")
}
