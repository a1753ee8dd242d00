package codegen

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// dnsPayload is the data of a UDP send for a dns argument: mostly a query
// for a name made from a filter value (a prefix, a suffix, an extension of
// one) or of random labels, its letters in mixed case (the program
// lowercases them); sometimes a response, another opcode, no question, a
// name longer than 255 characters, a label longer than 63 bytes or a
// compression pointer, a payload cut short or followed by more bytes.
func (g *policyGen) dnsPayload(a *evalArg) ([]byte, string) {
	r := g.r
	var name string
	if len(a.strs) > 0 && r.IntN(2) == 0 {
		name = a.strs[r.IntN(len(a.strs))]
		switch r.IntN(4) {
		case 0:
			if len(name) > 0 {
				name = name[:r.IntN(len(name))]
			}
		case 1:
			if len(name) > 0 {
				name = name[r.IntN(len(name)):]
			}
		case 2:
			name = randWord(r, 1+r.IntN(3)) + "." + name
		}
	} else {
		var labels []string
		for range r.IntN(5) {
			labels = append(labels, randWord(r, 1+r.IntN(12)))
		}
		name = strings.Join(labels, ".")
	}
	var wire []byte
	for _, label := range strings.Split(name, ".") {
		if label == "" {
			continue // a name has no empty label
		}
		label = label[:min(len(label), 63)]
		b := []byte(label)
		for i, c := range b {
			if c >= 'a' && c <= 'z' && r.IntN(4) == 0 {
				b[i] = c - ('a' - 'A')
			}
		}
		wire = append(wire, byte(len(b)))
		wire = append(wire, b...)
	}
	desc := "query"
	switch r.IntN(12) {
	case 0: // a name longer than 255 characters
		for len(wire) < 200+r.IntN(200) {
			l := 1 + r.IntN(63)
			wire = append(wire, byte(l))
			wire = append(wire, strings.Repeat(string(rune('a'+r.IntN(26))), l)...)
		}
		desc = "long name"
	case 1: // a label longer than 63 bytes, or a compression pointer
		pos := 0
		if len(wire) > 0 {
			pos = r.IntN(len(wire))
		}
		bad := byte(64 + r.IntN(128))
		if r.IntN(2) == 0 {
			bad = byte(0xc0 + r.IntN(64))
		}
		wire = append(wire[:pos:pos], append([]byte{bad, 0x0c}, wire[pos:]...)...)
		desc = fmt.Sprintf("bad label %#x", bad)
	}
	hdr := []byte{byte(r.IntN(256)), byte(r.IntN(256)), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	switch r.IntN(10) {
	case 0:
		hdr[2] |= 0x80 // a response
		desc += ", response"
	case 1:
		hdr[2] |= byte(1+r.IntN(15)) << 3 // another opcode
		desc += ", opcode"
	case 2:
		hdr[5] = 0 // no question
		desc += ", no question"
	}
	qtype := []uint16{1, 28, 5, 12, 15, 16, 33, 65, 255}[r.IntN(9)]
	if r.IntN(5) == 0 {
		qtype = uint16(r.Uint32())
	}
	p := append(hdr, wire...)
	p = append(p, 0, byte(qtype>>8), byte(qtype), 0, 1)
	switch r.IntN(8) {
	case 0: // cut short
		p = p[:r.IntN(len(p)+1)]
		desc += fmt.Sprintf(", cut to %d bytes", len(p))
	case 1: // more bytes after the question (another record, padding)
		for range r.IntN(400) {
			p = append(p, byte(r.IntN(256)))
		}
	}
	q := ir.ParseDNS(p)
	return p, fmt.Sprintf("%s %q parsed %v truncated %v (%d bytes)", desc, q.Name, q.Parsed, q.Truncated, len(p))
}

// checkDNSRecord compares a recorded bpf.DNS with ir.ParseDNS of the
// payload sent.
func checkDNSRecord(raw, payload []byte) error {
	if len(raw) < bpf.DNSSize {
		return fmt.Errorf("%d bytes recorded, not %d", len(raw), bpf.DNSSize)
	}
	var got bpf.DNS
	if err := binary.Read(bytes.NewReader(raw[:bpf.DNSSize]), binary.LittleEndian, &got); err != nil {
		return err
	}
	want := ir.ParseDNS(payload)
	n := int(got.Name.Len)
	if n > bpf.DNSNameMax || uint64(n) != got.Name.Total {
		return fmt.Errorf("name length %d, total %d", n, got.Name.Total)
	}
	name := got.Data[:n]
	if got.TxID != want.TxID || got.Flags != want.Flags || got.QType != want.QType || got.QClass != want.QClass ||
		(got.Response != 0) != want.Response || (got.Parsed != 0) != want.Parsed || (got.Truncated != 0) != want.Truncated ||
		!bytes.Equal(name, want.Name) {
		return fmt.Errorf("recorded id %#x flags %#x type %d class %d response %d parsed %d truncated %d name %q; "+
			"the payload % x parses to %+v", got.TxID, got.Flags, got.QType, got.QClass, got.Response, got.Parsed, got.Truncated, name,
			payload, want)
	}
	return nil
}
