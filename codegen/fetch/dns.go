package fetch

import (
	"strconv"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
)

// dns: the DNS question a UDP send carries, as Tetragon's dns argument
// reads it (bpf/process/types/dns.h): the data of the msghdr's iterator,
// its user buffer (ITER_UBUF) or its first iovec (ITER_IOVEC), at most
// bpf.DNSReadMax bytes of it, parsed into a bpf.DNS. Other iterators, an
// empty buffer or a read that faults leave the slot zero (not parsed).
//
// The payload is read into the slot's data, and the name written over it:
// the name's character k comes from the payload's byte 13+k (after the 12
// bytes of the header and the first label's length), a later label's
// length becoming a dot, so the parse reads ahead of what it writes. The
// parse is a function of straight-line code, one step per character (no
// loop: the same code verifies on every kernel, bpf_loop or not), called
// with R1 = the slot and R2 = the bytes read.

// dnsMaxLabel is the longest label (RFC 1035); a length byte with its two
// top bits set is a compression pointer, which a question cannot hold.
const (
	dnsMaxLabel   = 63
	dnsHeaderLen  = 12
	dnsCompressed = 0xc0
)

// readDNS reads the dns argument of slot s, a struct msghdr * in msg
// (R7), into it.
func (p *Gen) readDNS(s *prog.Slot, msg asm.Register) {
	p.zeroSlot(s)
	ubuf, iovec, have, done := p.B.Fresh("dns_ubuf"), p.B.Fresh("dns_iovec"), p.B.Fresh("dns_have"), p.B.Fresh("dns_done")
	typed := p.B.Fresh("dns_typed")
	// msg = &msg->msg_iter. Before 5.14 the iterator has a type (bit 0
	// the direction) instead of iter_type, and no ITER_UBUF: the other
	// layout's relocations fail in a branch the verifier sees is never
	// taken (as in readIovIter).
	p.Emit(
		kern.Off(asm.Add.Imm(msg, 0), kern.Msghdr, "msg_iter"),
		kern.Exists(asm.Mov.Imm(asm.R1, 0), kern.IovIter, "iter_type"),
		asm.JEq.Imm(asm.R1, 0, typed),
	)
	kern.ReadKernel(&p.B, asm.R8, msg, kern.IovIter, "iter_type", asm.Byte, prog.StTmp)
	p.Emit(
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "0", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, ubuf),
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "1", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, iovec),
		asm.Ja.Label(done),
	)
	p.B.Label(typed)
	kern.ReadKernel(&p.B, asm.R8, msg, kern.IovIterTyped, "type", asm.Word, prog.StTmp)
	p.Emit(
		asm.And.Imm(asm.R8, ^1), // the direction
		object.CORE(asm.LoadImm(asm.R1, 0, asm.DWord), kern.IterType, "1", object.EnumValue),
		asm.JEq.Reg(asm.R8, asm.R1, iovec),
		asm.Ja.Label(done),
	)
	// ITER_UBUF: one user buffer of count bytes.
	p.B.Label(ubuf)
	kern.ReadKernel(&p.B, asm.R8, msg, kern.IovIter, "count", asm.DWord, prog.StTmp)
	kern.ReadKernel(&p.B, msg, msg, kern.IovIter, "ubuf", asm.DWord, prog.StTmp)
	p.Emit(asm.Ja.Label(have))
	// ITER_IOVEC: the first struct iovec {base, len} of the array (kernel
	// memory: the kernel's copy of the caller's vector).
	p.B.Label(iovec)
	old := p.B.Fresh("dns_old_iov")
	p.Emit(
		kern.Exists(asm.Mov.Imm(asm.R1, 0), kern.IovIter, "__iov"),
		asm.JEq.Imm(asm.R1, 0, old),
	)
	kern.ReadKernel(&p.B, msg, msg, kern.IovIter, "__iov", asm.DWord, prog.StTmp)
	p.Emit(asm.Ja.Label(old + "_have"))
	p.B.Label(old)
	kern.ReadKernel(&p.B, msg, msg, kern.IovIterOld, "iov", asm.DWord, prog.StTmp)
	p.B.Label(old + "_have")
	p.Emit(
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, prog.StTmp),
		asm.Mov.Imm(asm.R2, 16),
		asm.Mov.Reg(asm.R3, msg),
		asm.FnProbeReadKernel.Call(),
		asm.JNE.Imm(asm.R0, 0, done),
		asm.LoadMem(msg, asm.RFP, prog.StTmp, asm.DWord),      // iov_base
		asm.LoadMem(asm.R8, asm.RFP, prog.StTmp+8, asm.DWord), // iov_len
	)
	// The buffer (msg) and its length (R8): read at most DNSReadMax bytes
	// of it, then parse what was read.
	p.B.Label(have)
	p.Emit(
		asm.JEq.Imm(msg, 0, done),
		asm.JEq.Imm(asm.R8, 0, done),
		asm.JLE.Imm(asm.R8, bpf.DNSReadMax, have+"_len"),
		asm.Mov.Imm(asm.R8, bpf.DNSReadMax),
	)
	p.B.Label(have + "_len")
	p.Emit(
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off+bpf.DNSDataOff)),
		asm.Mov.Reg(asm.R2, asm.R8),
		asm.Mov.Reg(asm.R3, msg),
		asm.FnProbeReadUser.Call(),
		asm.JNE.Imm(asm.R0, 0, done),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off)),
		asm.Mov.Reg(asm.R2, asm.R8),
		asm.Call.Label(p.dnsParser()),
	)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// dnsParser adds the function that parses the payload a bpf.DNS holds
// (R1: the bpf.DNS, R2: the bytes read, at most bpf.DNSReadMax) and
// returns its name. It sets the fields as Tetragon's parse_dns_payload
// does: the header's once 12 bytes are there; the name's length once its
// labels end; the type, the class and Parsed once they follow; Truncated
// when the name is longer than bpf.DNSNameMax characters (its length then
// stays 0). Opcodes other than a standard query, no question, labels
// longer than 63 bytes, compression pointers and a payload that ends
// early leave the parse there.
//
// Its code is the same for every hook, so the bundle has one, which each
// dns hook's program calls.
func (p *Gen) dnsParser() string { return p.SharedFunc("dns_parse", writeDNSParser) }

func writeDNSParser(sub *prog.Ctx) {
	b := &sub.B
	const (
		r   = asm.R6 // the bpf.DNS
		n   = asm.R7 // the bytes read
		rem = asm.R2 // bytes left in the current label
		c   = asm.R3 // the byte read
		out = asm.R4 // the name's length
	)
	data := int16(bpf.DNSDataOff)
	// be16 loads the big-endian u16 of the payload at off into dst.
	be16 := func(dst asm.Register, off int16) {
		b.Emit(
			asm.LoadMem(dst, r, data+off, asm.Half),
			asm.HostTo(asm.BE, dst, asm.Half),
		)
	}
	b.Emit(
		asm.Mov.Reg(r, asm.R1),
		asm.Mov.Reg(n, asm.R2),
		asm.JLT.Imm(n, dnsHeaderLen, "done"),
	)
	be16(asm.R1, 0)
	b.Emit(asm.StoreMem(r, bpf.DNSTxIDOff, asm.R1, asm.Half))
	be16(asm.R1, 2)
	b.Emit(
		asm.StoreMem(r, bpf.DNSFlagsOff, asm.R1, asm.Half),
		asm.Mov.Reg(asm.R5, asm.R1),
		asm.RSh.Imm(asm.R5, 15),
		asm.StoreMem(r, bpf.DNSResponseOff, asm.R5, asm.Byte),
		asm.RSh.Imm(asm.R1, 11),
		asm.And.Imm(asm.R1, 0xf),
		asm.JNE.Imm(asm.R1, 0, "done"), // not a standard query
	)
	be16(asm.R1, 4)
	b.Emit(
		asm.JEq.Imm(asm.R1, 0, "done"), // no question
		// The first label's length: no dot before it.
		asm.JLE.Imm(n, dnsHeaderLen, "done"),
		asm.LoadMem(c, r, data+dnsHeaderLen, asm.Byte),
		asm.JEq.Imm(c, 0, "empty"),
		asm.JGE.Imm(c, dnsCompressed, "done"),
		asm.JGT.Imm(c, dnsMaxLabel, "done"),
		asm.Mov.Reg(rem, c),
	)
	for k := 0; k <= bpf.DNSNameMax; k++ {
		step := func(k int) string { return "step" + strconv.Itoa(k) }
		lenByte := "len" + strconv.Itoa(k)
		store := "store" + strconv.Itoa(k)
		b.Label(step(k))
		b.Emit(
			asm.JLE.Imm(n, int32(dnsHeaderLen+1+k), "done"), // the payload ends
			asm.LoadMem(c, r, data+int16(dnsHeaderLen+1+k), asm.Byte),
			asm.JEq.Imm(rem, 0, lenByte),
		)
		// A character of the label, lowercased.
		if k == bpf.DNSNameMax {
			b.Emit(asm.Ja.Label("truncated"))
		} else {
			b.Emit(
				asm.Sub.Imm(rem, 1),
				asm.JLT.Imm(c, 'A', store),
				asm.JGT.Imm(c, 'Z', store),
				asm.Add.Imm(c, 'a'-'A'),
			)
			b.Label(store)
			b.Emit(
				asm.StoreMem(r, data+int16(k), c, asm.Byte),
				asm.Ja.Label(step(k+1)),
			)
		}
		// A length: the name's end, or a dot and the next label.
		b.Label(lenByte)
		b.Emit(
			asm.JNE.Imm(c, 0, lenByte+"_label"),
			asm.Mov.Imm(out, int32(k)),
			asm.Ja.Label("named"),
		)
		b.Label(lenByte + "_label")
		b.Emit(
			asm.JGE.Imm(c, dnsCompressed, "done"),
			asm.JGT.Imm(c, dnsMaxLabel, "done"),
		)
		if k == bpf.DNSNameMax {
			b.Emit(asm.Ja.Label("truncated"))
		} else {
			b.Emit(
				emit.StoreImm(r, data+int16(k), '.', asm.Byte),
				asm.Mov.Reg(rem, c),
			)
		}
	}
	b.Label("truncated")
	b.Emit(
		emit.StoreImm(r, bpf.DNSTruncatedOff, 1, asm.Byte),
		asm.Ja.Label("done"),
	)
	// The name ends (out: its length, at least 1); the type and the class
	// follow the final 0, at 12 + 1 + out + 1.
	b.Label("named")
	b.Emit(
		asm.StoreMem(r, bpf.DNSNameOff+bpf.BytesLenOff, out, asm.Word),
		asm.StoreMem(r, bpf.DNSNameOff+bpf.BytesTotalOff, out, asm.DWord),
		asm.Mov.Reg(asm.R1, out),
		asm.Add.Imm(asm.R1, dnsHeaderLen+2+4),
		asm.JGT.Reg(asm.R1, n, "done"),
		asm.Mov.Reg(asm.R5, r),
		asm.Add.Reg(asm.R5, out),
	)
	// be16 from the byte pair at R5+off, one byte at a time (the offset
	// is not known aligned).
	pair := func(off int16, to int16) {
		b.Emit(
			asm.LoadMem(asm.R1, asm.R5, data+off, asm.Byte),
			asm.LSh.Imm(asm.R1, 8),
			asm.LoadMem(asm.R3, asm.R5, data+off+1, asm.Byte),
			asm.Or.Reg(asm.R1, asm.R3),
			asm.StoreMem(r, to, asm.R1, asm.Half),
		)
	}
	pair(dnsHeaderLen+2, bpf.DNSQTypeOff)
	pair(dnsHeaderLen+4, bpf.DNSQClassOff)
	b.Emit(emit.StoreImm(r, bpf.DNSParsedOff, 1, asm.Byte), asm.Ja.Label("done"))
	// The root name (a first length of 0): the type and the class follow
	// at 13.
	b.Label("empty")
	b.Emit(
		asm.JLT.Imm(n, dnsHeaderLen+1+4, "done"),
		asm.Mov.Reg(asm.R5, r),
	)
	pair(dnsHeaderLen+1, bpf.DNSQTypeOff)
	pair(dnsHeaderLen+3, bpf.DNSQClassOff)
	b.Emit(emit.StoreImm(r, bpf.DNSParsedOff, 1, asm.Byte))
	b.Label("done")
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
}
