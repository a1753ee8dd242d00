package filter

import (
	"encoding/binary"
	"net/netip"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// netLayout says where a socket-like encoding keeps what filters test.
type netLayout struct {
	family, protocol, state    int // offsets; -1: absent
	sport, dport, saddr, daddr int
}

func netFields(t ir.ArgType) netLayout {
	switch t {
	case ir.TypeSkb:
		return netLayout{family: bpf.SkbFamilyOff, protocol: bpf.SkbProtocolOff, state: -1,
			sport: bpf.SkbSportOff, dport: bpf.SkbDportOff, saddr: bpf.SkbSaddrOff, daddr: bpf.SkbDaddrOff}
	case ir.TypeSockaddr:
		return netLayout{family: bpf.SockaddrFamilyOff, protocol: -1, state: -1,
			sport: bpf.SockaddrPortOff, dport: -1, saddr: bpf.SockaddrAddrOff, daddr: -1}
	case ir.TypeSockaddrUn:
		return netLayout{family: bpf.SockaddrUnFamilyOff, protocol: -1, state: -1,
			sport: -1, dport: -1, saddr: -1, daddr: -1}
	}
	return netLayout{family: bpf.SockFamilyOff, protocol: bpf.SockProtocolOff, state: bpf.SockStateOff,
		sport: bpf.SockSportOff, dport: bpf.SockDportOff, saddr: bpf.SockSaddrOff, daddr: bpf.SockDaddrOff}
}

// netTest tests a sock, socket, skb or sockaddr argument (ir.EvalTest's
// socket operators).
func (p *Gen) netTest(t *ir.Test, s *prog.Slot, fail string) {
	f := netFields(s.Arg.Type)
	base := s.Off
	var off, size int
	switch t.Op {
	case ir.OpSAddr, ir.OpNotSAddr, ir.OpDAddr, ir.OpNotDAddr:
		addr := f.saddr
		if t.Op == ir.OpDAddr || t.Op == ir.OpNotDAddr {
			addr = f.daddr
		}
		if addr < 0 {
			p.Errorf(t.Pos, "%s has no destination address", s.Arg.Type)
			return
		}
		p.addrTest(t, base+f.family, base+addr, fail)
		return
	case ir.OpSPortPriv, ir.OpNotSPortPriv, ir.OpDPortPriv, ir.OpNotDPortPriv:
		port := f.sport
		if t.Op == ir.OpDPortPriv || t.Op == ir.OpNotDPortPriv {
			port = f.dport
		}
		if port < 0 {
			p.Errorf(t.Pos, "%s has no destination port", s.Arg.Type)
			return
		}
		p.Emit(asm.LoadMem(asm.R4, prog.RRec, int16(base+port), asm.Half))
		if t.Op == ir.OpSPortPriv || t.Op == ir.OpDPortPriv {
			p.Emit(asm.JGE.Imm(asm.R4, 1024, fail))
		} else {
			p.Emit(asm.JLT.Imm(asm.R4, 1024, fail))
		}
		return
	case ir.OpSPort, ir.OpNotSPort:
		off, size = f.sport, 2
	case ir.OpDPort, ir.OpNotDPort:
		off, size = f.dport, 2
	case ir.OpProtocol:
		off, size = f.protocol, 2
	case ir.OpFamily:
		off, size = f.family, 2
	case ir.OpState:
		off, size = f.state, 1
	default:
		p.Errorf(t.Pos, "operator %s on a %s argument is not supported", t.Op, s.Arg.Type)
		return
	}
	if off < 0 {
		p.Errorf(t.Pos, "%s arguments have no value for %s", s.Arg.Type, t.Op)
		return
	}
	ld := asm.Half
	if size == 1 {
		ld = asm.Byte
	}
	p.Emit(asm.LoadMem(asm.R4, prog.RRec, int16(base+off), ld))
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		p.intValues(asm.R4, t.Values, ir.TypeUint64, false, hit)
	})
}

// addrTest: the address at addrOff (4 bytes for AF_INET, 16 for AF_INET6,
// per the family at famOff) lies in a prefix. IPv4-mapped IPv6 addresses
// count as their IPv4 address, as netip.Addr.Unmap has it.
func (p *Gen) addrTest(t *ir.Test, famOff, addrOff int, fail string) {
	p.anyOf(t.Op.Negated(), fail, func(hit string) {
		v4, v6, done := p.B.Fresh("addr_v4"), p.B.Fresh("addr_v6"), p.B.Fresh("addr_done")
		// R4 = the IPv4 address (when there is one), R5 = family: 4 or 6.
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(famOff), asm.Half),
			asm.JEq.Imm(asm.R1, kern.AFInet, v4),
			asm.JNE.Imm(asm.R1, kern.AFInet6, done),
			// ::ffff:a.b.c.d is a.b.c.d
			asm.LoadMem(asm.R1, prog.RRec, int16(addrOff), asm.DWord),
			asm.JNE.Imm(asm.R1, 0, v6),
			asm.LoadMem(asm.R1, prog.RRec, int16(addrOff+8), asm.Word),
			asm.JNE.Imm32(asm.R1, -65536 /* 0xffff0000: bytes 00 00 ff ff */, v6),
			asm.LoadMem(asm.R4, prog.RRec, int16(addrOff+12), asm.Word),
			asm.Ja.Label(v4+"_have"),
		)
		p.B.Label(v4)
		p.Emit(asm.LoadMem(asm.R4, prog.RRec, int16(addrOff), asm.Word))
		p.B.Label(v4 + "_have")
		p.Emit(asm.StoreMem(asm.RFP, prog.StNetKey+4, asm.R4, asm.Word))
		for _, v := range t.Values {
			if v.Kind == ir.ValPrefix && v.Net.Addr().Is4() {
				mask, net := prefixWords4(v.Net)
				next := p.B.Fresh("pfx_next")
				p.Emit(asm.Mov.Reg(asm.R1, asm.R4), asm.And.Imm32(asm.R1, int32(mask)))
				p.Emit(asm.JNE.Imm32(asm.R1, int32(net), next))
				p.Emit(asm.Ja.Label(hit))
				p.B.Label(next)
				p.Emit(asm.Mov.Imm(asm.R0, 0))
			}
		}
		if t.Map != nil && t.Map.Kind == ir.MapPrefix4 {
			p.Emit(emit.StoreImm(asm.RFP, prog.StNetKey, 32, asm.Word))
			p.lpmLookup(t, hit)
		}
		p.Emit(asm.Ja.Label(done))

		p.B.Label(v6)
		for _, v := range t.Values {
			if v.Kind == ir.ValPrefix && v.Net.Addr().Is6() {
				next := p.B.Fresh("pfx6_next")
				mask, net := prefixWords6(v.Net)
				for i := 0; i < 2; i++ {
					if mask[i] == 0 {
						continue
					}
					p.Emit(
						asm.LoadMem(asm.R1, prog.RRec, int16(addrOff+8*i), asm.DWord),
						asm.LoadImm(asm.R2, int64(mask[i]), asm.DWord),
						asm.And.Reg(asm.R1, asm.R2),
						asm.LoadImm(asm.R2, int64(net[i]), asm.DWord),
						asm.JNE.Reg(asm.R1, asm.R2, next),
					)
				}
				p.Emit(asm.Ja.Label(hit))
				p.B.Label(next)
				p.Emit(asm.Mov.Imm(asm.R0, 0))
			}
		}
		if t.Map != nil && t.Map.Kind == ir.MapPrefix6 {
			p.Emit(emit.StoreImm(asm.RFP, prog.StNetKey, 128, asm.Word))
			for i := 0; i < 4; i++ {
				p.Emit(
					asm.LoadMem(asm.R1, prog.RRec, int16(addrOff+4*i), asm.Word),
					asm.StoreMem(asm.RFP, int16(prog.StNetKey+4+4*i), asm.R1, asm.Word),
				)
			}
			p.lpmLookup(t, hit)
		}
		p.B.Label(done)
		p.Emit(asm.Mov.Imm(asm.R0, 0))
	})
}

// lpmLookup looks the key at prog.StNetKey up in t's LPM map.
func (p *Gen) lpmLookup(t *ir.Test, hit string) {
	name := p.g.SetMap(t.Map, t.Type)
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StNetKey),
		asm.FnMapLookupElem.Call(),
		asm.JNE.Imm(asm.R0, 0, hit),
	)
}

// prefixWords4 returns the mask and network of an IPv4 prefix as the
// little-endian u32 its 4 bytes load as.
func prefixWords4(p netip.Prefix) (mask, net uint32) {
	var m [4]byte
	for i := 0; i < p.Bits(); i++ {
		m[i/8] |= 0x80 >> (i % 8)
	}
	a := p.Masked().Addr().As4()
	return binary.LittleEndian.Uint32(m[:]), binary.LittleEndian.Uint32(a[:])
}

// prefixWords6 returns the mask and network of an IPv6 prefix as the two
// little-endian u64 its 16 bytes load as.
func prefixWords6(p netip.Prefix) (mask, net [2]uint64) {
	var m [16]byte
	for i := 0; i < p.Bits(); i++ {
		m[i/8] |= 0x80 >> (i % 8)
	}
	a := p.Masked().Addr().As16()
	for i := 0; i < 2; i++ {
		mask[i] = binary.LittleEndian.Uint64(m[8*i:])
		net[i] = binary.LittleEndian.Uint64(a[8*i:])
	}
	return mask, net
}
