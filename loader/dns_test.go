package loader

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/ir"
)

// dnsRecord is the bpf.DNS a program records for payload: the payload as
// read (at most DNSReadMax bytes), the name written over its start, the
// fields ir.ParseDNS gives (codegen's TestEvalPolicies holds the program
// to it).
func dnsRecord(payload []byte) bpf.DNS {
	var d bpf.DNS
	copy(d.Data[:], payload)
	q := ir.ParseDNS(payload)
	d.TxID, d.Flags, d.QType, d.QClass = q.TxID, q.Flags, q.QType, q.QClass
	if q.Response {
		d.Response = 1
	}
	if q.Parsed {
		d.Parsed = 1
	}
	if q.Truncated {
		d.Truncated = 1
	}
	copy(d.Data[:], q.Name)
	d.Name = bpf.BytesHeader{Len: uint32(len(q.Name)), Total: uint64(len(q.Name))}
	return d
}

// TestDecodeDNS decodes dns arguments of real DNS messages (the query of
// Tetragon's TestKprobeDnsExample, an AAAA response, a name longer than
// 255 characters, a message cut short) and prints them as KprobeDns.
func TestDecodeDNS(t *testing.T) {
	query := []byte{0x42, 0x42, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1}
	response := []byte{0xbe, 0xef, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0,
		3, 'W', 'W', 'W', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'C', 'O', 'M', 0, 0, 28, 0, 1,
		0xc0, 0x0c, 0, 28, 0, 1, 0, 0, 0x0e, 0x10, 0, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	long := append([]byte{}, query[:12]...)
	for range 5 {
		long = append(long, 63)
		long = append(long, strings.Repeat("x", 63)...)
	}
	long = append(long, 0, 0, 1, 0, 1)
	cases := []struct {
		name    string
		payload []byte
		json    string
		compact string
	}{
		{"query", query, `{"query_name":"example.test","query_type":1,"query_type_str":"A","query_class":1,"tx_id":16962,"flags":256,"parsed":true}`, "example.test A"},
		{"response", response, `{"query_name":"www.example.com","query_type":28,"query_type_str":"AAAA","query_class":1,"tx_id":48879,"flags":33152,"response":true,"parsed":true}`, "www.example.com AAAA"},
		{"long", long, `{"tx_id":16962,"flags":256,"truncated":true}`, "dns(unparsed)"},
		{"cut", query[:20], `{"tx_id":16962,"flags":256}`, "dns(unparsed)"},
	}
	for _, c := range cases {
		hook := bpf.Hook{ID: 0, Kind: "kprobe", Target: "udp_sendmsg", Call: "udp_sendmsg",
			Args: []bpf.Arg{{Index: 1, Type: "dns", Label: "dns", Encoding: bpf.EncDNS, MaxBytes: bpf.DNSNameMax}}}
		raw := newRecord(0, 0).fixed(dnsRecord(c.payload)).raw()
		h, err := parseHeader(raw)
		if err != nil {
			t.Fatal(err)
		}
		args, _, err := decodeArgs(raw, h, &hook, arch.X86_64, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(args) != 1 || args[0].Key != "dns_arg" || args[0].Label != "dns" {
			t.Fatalf("%s: decoded %+v", c.name, args)
		}
		got := appendArgValue(nil, args[0].Value)
		if string(got) != c.json {
			t.Errorf("%s: JSON\n%s\nwant\n%s", c.name, got, c.json)
		}
		std, err := json.Marshal(args[0].Value)
		if err != nil || string(std) != c.json {
			t.Errorf("%s: encoding/json writes %s (%v), the writer %s", c.name, std, err, got)
		}
		if s := args[0].compactValue(); s != c.compact {
			t.Errorf("%s: compact %q, want %q", c.name, s, c.compact)
		}
	}
}
