package ir

import (
	"fmt"
	"strings"
)

// DNS is what a dns argument reads of the DNS message a UDP send carries:
// the header's transaction id, flags and QR bit, and the first question,
// as Tetragon's parse_dns_payload (bpf/process/types/dns.h) parses it.
// Name is what matchArgs tests: the query name, each label lowercased,
// labels joined with dots (empty until the labels end).
type DNS struct {
	TxID, Flags   uint16
	QType, QClass uint16
	Response      bool // the header's QR bit
	Parsed        bool // the question was parsed whole
	Truncated     bool // the name is longer than DNSNameMax characters
	Name          []byte
}

// DNS limits, as Tetragon's parser has them.
const (
	DNSNameMax  = 255 // characters of a query name (DNS_MAX_NAME)
	dnsLabelMax = 63
	dnsHeader   = 12
)

// ParseDNS parses payload, the data of a UDP send, as a dns argument does:
// a header of 12 bytes (its fields set), then, for a standard query
// (opcode 0) with at least one question, the first question's name: its
// labels (at most 63 bytes each, no compression pointer) up to the final
// 0, then its type and class. The parse stops at the first thing that is
// not so, keeping what it set; a name longer than DNSNameMax characters
// sets Truncated and leaves Name empty.
func ParseDNS(payload []byte) DNS {
	var d DNS
	if len(payload) < dnsHeader {
		return d
	}
	be := func(i int) uint16 { return uint16(payload[i])<<8 | uint16(payload[i+1]) }
	d.TxID, d.Flags = be(0), be(2)
	d.Response = d.Flags>>15 != 0
	if (d.Flags>>11)&0xf != 0 || be(4) == 0 {
		return d
	}
	var name []byte
	pos := dnsHeader
	for {
		if pos >= len(payload) {
			return d
		}
		n := int(payload[pos])
		pos++
		if n == 0 {
			break
		}
		if n&0xc0 == 0xc0 || n > dnsLabelMax {
			return d
		}
		if len(name) > 0 {
			if len(name) >= DNSNameMax {
				d.Truncated = true
				return d
			}
			name = append(name, '.')
		}
		for range n {
			if pos >= len(payload) {
				return d
			}
			if len(name) >= DNSNameMax {
				d.Truncated = true
				return d
			}
			c := payload[pos]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			name = append(name, c)
			pos++
		}
	}
	d.Name = name
	if pos+4 > len(payload) {
		return d
	}
	d.QType, d.QClass = be(pos), be(pos+2)
	d.Parsed = true
	return d
}

// DNSQueryName is the name a dns argument reads of a query for name (a
// dotted name, a final dot allowed): lowercased, and empty when longer than
// DNSNameMax characters (the read flags it truncated). A name with an
// empty label or a label longer than 63 bytes is no name a query holds.
func DNSQueryName(name string) ([]byte, error) {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return []byte{}, nil
	}
	for _, l := range strings.Split(name, ".") {
		if l == "" || len(l) > dnsLabelMax {
			return nil, fmt.Errorf("%q has an empty label or one longer than %d bytes", name, dnsLabelMax)
		}
	}
	if len(name) > DNSNameMax {
		return []byte{}, nil
	}
	return []byte(asciiLowerString(name)), nil
}

func asciiLowerString(s string) string { return string(asciiLower([]byte(s))) }
