package loader

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/internal/testenv"
)

// dnsMessage is a standard query (recursion desired) for the labels, of
// type qtype, class IN.
func dnsMessage(id uint16, qtype uint16, labels ...string) []byte {
	q := []byte{byte(id >> 8), byte(id), 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0}
	for _, l := range labels {
		q = append(q, byte(len(l)))
		q = append(q, l...)
	}
	return append(q, 0, byte(qtype>>8), byte(qtype), 0, 1)
}

// TestDNSSend: Tetragon's dns example (TestKprobeDnsExample,
// TestKprobeDnsPostfixNoMatch) in a guest. A kprobe on udp_sendmsg reads
// its sock and its msghdr as dns; the selector takes sends to port 53
// whose query name ends in example.test. Three queries go to 127.0.0.1:53
// (no server needed: the send calls udp_sendmsg all the same): one for
// example.test with write (one user buffer), one for WWW.Example.TEST with
// writev of two buffers (an iovec array: the first buffer holds the
// message, the second one more byte, which the parse never reaches), one for other.example.org. The first two post, their names
// lowercased, type A, parsed, not responses; the third does not.
func TestDNSSend(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes)
	yaml := `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "udp-dns-egress"
spec:
  kprobes:
  - call: "udp_sendmsg"
    syscall: false
    args:
    - index: 0
      type: "sock"
    - index: 1
      type: "dns"
      label: "dns"
    selectors:
    - matchArgs:
      - index: 0
        operator: "DPort"
        values:
        - "53"
      - index: 1
        operator: "Postfix"
        values:
        - "example.test"
`
	b := compilePolicy(t, "udp-dns-egress.yaml", yaml)
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %+v", res[0])
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	loopbackUp(t)
	// A socket per send: nothing listens on port 53, and the ICMP error
	// of one send fails the next on the same connected socket.
	send := func(write func(c net.Conn) error) {
		t.Helper()
		c, err := net.Dial("udp4", "127.0.0.1:53")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := write(c); err != nil {
			t.Fatal(err)
		}
	}
	send(func(c net.Conn) error { _, err := c.Write(dnsMessage(0x4242, 1, "example", "test")); return err })
	send(func(c net.Conn) error {
		bufs := net.Buffers{dnsMessage(0x4343, 1, "WWW", "Example", "TEST"), []byte("x")}
		_, err := bufs.WriteTo(c)
		return err
	})
	send(func(c net.Conn) error {
		_, err := c.Write(dnsMessage(0x1234, 1, "other", "example", "org"))
		return err
	})
	var names []string
	for _, ev := range collect(t, s, "udp-dns-egress", 2*time.Second) {
		if *ev.Process.PID != uint32(os.Getpid()) {
			continue
		}
		line, err := ev.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", line)
		if len(ev.Args) != 2 {
			t.Fatalf("%d arguments: %s", len(ev.Args), line)
		}
		if sk, ok := ev.Args[0].Value.(SockArg); !ok || sk.Dport != 53 {
			t.Errorf("argument 0 %+v, want a sock_arg with dport 53: %s", ev.Args[0], line)
		}
		q, ok := ev.Args[1].Value.(DNSArg)
		if !ok || ev.Args[1].Key != "dns_arg" || ev.Args[1].Label != "dns" {
			t.Errorf("argument 1 %+v: %s", ev.Args[1], line)
			continue
		}
		if q.QueryTypeStr != "A" || q.QueryType != 1 || q.QueryClass != 1 || !q.Parsed || q.Response || q.Truncated {
			t.Errorf("dns argument %+v, want type A, class IN, parsed, not a response: %s", q, line)
		}
		if !strings.Contains(string(line), `{"dns_arg":{"query_name":"`+q.QueryName+`","query_type":1,"query_type_str":"A","query_class":1,`) ||
			!strings.Contains(string(line), `"parsed":true},"label":"dns"}`) {
			t.Errorf("JSON shape: %s", line)
		}
		names = append(names, q.QueryName)
	}
	if len(names) != 2 || names[0] != "example.test" || names[1] != "www.example.test" {
		t.Errorf("queries posted %q, want example.test and www.example.test (other.example.org does not end in example.test)", names)
	}
}

// TestDNSEgress: Tetragon's dns-egress example (examples/tracingpolicy/
// dns-egress.yaml) in a guest: udp_sendmsg and udpv6_sendmsg with the same
// selector, one kprobe.multi program where the kernel has them. Queries for
// example.com over IPv4 and IPv6 post, each from its function; queries for
// example.org do not.
func TestDNSEgress(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes)
	hook := func(call string) string {
		return `  - call: "` + call + `"
    syscall: false
    args:
    - index: 0
      type: "sock"
    - index: 1
      type: "dns"
      label: "dns"
    selectors:
    - matchArgs:
      - index: 0
        operator: "DPort"
        values:
        - "53"
      - index: 1
        operator: "Postfix"
        values:
        - "example.com"
`
	}
	yaml := `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "dns-egress"
spec:
  kprobes:
` + hook("udp_sendmsg") + hook("udpv6_sendmsg")
	b := compilePolicy(t, "dns-egress.yaml", yaml)
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %+v", res[0])
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	loopbackUp(t)
	for _, to := range []struct{ network, addr string }{{"udp4", "127.0.0.1:53"}, {"udp6", "[::1]:53"}} {
		for _, name := range [][]string{{"www", "example", "com"}, {"www", "example", "org"}} {
			c, err := net.Dial(to.network, to.addr)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Write(dnsMessage(0x5353, 28, name...)); err != nil {
				t.Fatal(err)
			}
			c.Close()
		}
	}
	var got []string
	for _, ev := range collect(t, s, "dns-egress", 2*time.Second) {
		if *ev.Process.PID != uint32(os.Getpid()) {
			continue
		}
		line, err := ev.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", line)
		q, ok := ev.Args[1].Value.(DNSArg)
		if !ok || q.QueryTypeStr != "AAAA" || !q.Parsed {
			t.Errorf("dns argument %+v: %s", ev.Args[1], line)
		}
		got = append(got, ev.Hook.Call+" "+q.QueryName)
	}
	if want := []string{"udp_sendmsg www.example.com", "udpv6_sendmsg www.example.com"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("posted %q, want %q", got, want)
	}
}

// loopbackUp sets lo up, which the vmtest guest's init leaves down (as
// codegen's test of the same name).
func loopbackUp(t testing.TB) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		t.Fatalf("flags of lo: %v", err)
	}
	if flags := ifr.Uint16(); flags&unix.IFF_UP == 0 {
		ifr.SetUint16(flags | unix.IFF_UP)
		if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
			t.Fatalf("set lo up: %v", err)
		}
	}
}
