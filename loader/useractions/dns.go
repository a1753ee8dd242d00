package useractions

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// DnsLookup sends one query, for the A record of the FQDN, to one server,
// and waits for its answer: exactly one query per action (a resolver
// library would also ask for AAAA, append search domains and retry), with
// the name taken as absolute. The answer's records are not needed, only
// that the server answered, and how.

// systemNameserver returns the first nameserver of a resolv.conf, or
// 127.0.0.1 without one.
func systemNameserver(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "127.0.0.1"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "nameserver" {
			// A link-local IPv6 server may carry a zone: fe80::1%eth0.
			return fields[1]
		}
	}
	return "127.0.0.1"
}

// CheckDNSServer reports whether s is an address Options.DNSServer
// accepts: host[:port], "" for the system's.
func CheckDNSServer(s string) error {
	if s == "" {
		return nil
	}
	_, err := dnsAddress(s)
	return err
}

// dnsAddress turns host[:port] into host:port, port 53 by default.
func dnsAddress(s string) (string, error) {
	if s == "" {
		return "", errors.New("useractions: empty DNS server address")
	}
	if ip := net.ParseIP(strings.SplitN(s, "%", 2)[0]); ip != nil {
		return net.JoinHostPort(s, "53"), nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if strings.Contains(err.Error(), "missing port") {
			return net.JoinHostPort(s, "53"), nil
		}
		return "", fmt.Errorf("useractions: DNS server %q: %w", s, err)
	}
	if host == "" || port == "" {
		return "", fmt.Errorf("useractions: DNS server %q: want host[:port]", s)
	}
	return s, nil
}

// DNS message constants (RFC 1035).
const (
	dnsHeaderLen = 12
	dnsTypeA     = 1
	dnsClassIN   = 1
	dnsFlagQR    = 1 << 15
	dnsFlagRD    = 1 << 8
)

var rcodeNames = map[int]string{1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}

// dnsQuery builds a query with id for the A record of fqdn.
func dnsQuery(id uint16, fqdn string) ([]byte, error) {
	name := strings.TrimSuffix(fqdn, ".")
	if name == "" || len(name) > 253 {
		return nil, fmt.Errorf("invalid FQDN %q", fqdn)
	}
	msg := make([]byte, dnsHeaderLen, dnsHeaderLen+len(name)+6)
	binary.BigEndian.PutUint16(msg[0:], id)
	binary.BigEndian.PutUint16(msg[2:], dnsFlagRD)
	binary.BigEndian.PutUint16(msg[4:], 1) // one question
	for _, label := range strings.Split(name, ".") {
		if len(label) == 0 || len(label) > 63 {
			return nil, fmt.Errorf("invalid FQDN %q: label %q", fqdn, label)
		}
		msg = append(msg, byte(len(label)))
		msg = append(msg, label...)
	}
	msg = append(msg, 0, 0, dnsTypeA, 0, dnsClassIN)
	return msg, nil
}

// lookup sends the query for fqdn to server and waits for the answer
// with its id until ctx is done. It fails unless the server answered
// NOERROR.
func lookup(ctx context.Context, server, fqdn string) error {
	var idb [2]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return err
	}
	id := binary.BigEndian.Uint16(idb[:])
	q, err := dnsQuery(id, fqdn)
	if err != nil {
		return err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", server)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	if _, err := conn.Write(q); err != nil {
		return err
	}
	buf := make([]byte, 1500)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return fmt.Errorf("no answer from %s: %w", server, context.DeadlineExceeded)
			}
			return err
		}
		if n < dnsHeaderLen || binary.BigEndian.Uint16(buf[0:]) != id || binary.BigEndian.Uint16(buf[2:])&dnsFlagQR == 0 {
			continue // not the answer to this query
		}
		if rcode := int(binary.BigEndian.Uint16(buf[2:]) & 0xf); rcode != 0 {
			name := rcodeNames[rcode]
			if name == "" {
				name = fmt.Sprintf("rcode %d", rcode)
			}
			return fmt.Errorf("%s answered %s", server, name)
		}
		return nil
	}
}
