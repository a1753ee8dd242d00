package codegen

import (
	"encoding/binary"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/target/capture"
)

// TestTracepointByteArrayAsInt reads tcp/tcp_destroy_sock's "__u8
// saddr[4]" and "__u8 daddr[4]" as uint32, as Tetragon's TestUInt16Tracepoint
// does: the 4 bytes of the field (the address in network order) in the
// host's byte order, so 127.0.0.2 is 0x0200007f on a little-endian host.
// A selector filters on the value so read (daddr), another on sport; the
// records of the listener, the accepted socket and the client hold the
// ports and addresses of the connection.
func TestTracepointByteArrayAsInt(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.RingBuf, testenv.KernelBTF)
	prof, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	loopbackUp(t)
	ln, err := net.Listen("tcp4", "127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ip4 := func(s string) uint32 { return binary.NativeEndian.Uint32(net.ParseIP(s).To4()) }
	idx := func(field string) int { return fieldIndex(t, prof, "tcp/tcp_destroy_sock", field) }
	policy := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tcp-destroy
spec:
  tracepoints:
  - subsystem: tcp
    event: tcp_destroy_sock
    args:
    - {index: %d, type: uint16}
    - {index: %d, type: uint16}
    - {index: %d, type: uint32}
    - {index: %d, type: uint32}
    selectors:
    - matchArgs:
      - {index: 0, operator: Equal, values: ["%d"]}
    - matchArgs:
      - {index: 3, operator: Equal, values: ["%d"]}
`, idx("sport"), idx("dport"), idx("saddr"), idx("daddr"), port, ip4("127.0.0.2"))
	b := buildFor(t, "tcp-destroy.yaml", policy, prof)
	l := loadBundle(t, b)
	attachTracepoints(t, l, b)

	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	client := conn.LocalAddr().(*net.TCPAddr).Port
	conn.Close()
	srv.Close()
	ln.Close()

	type rec struct {
		sport, dport int64
		saddr, daddr uint32
	}
	want := map[rec]bool{
		{int64(port), 0, ip4("127.0.0.2"), 0}:                            false, // the listener
		{int64(port), int64(client), ip4("127.0.0.2"), ip4("127.0.0.1")}: false, // the accepted socket
		{int64(client), int64(port), ip4("127.0.0.1"), ip4("127.0.0.2")}: false, // the client
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range readRecords(t, l, b, 500*time.Millisecond, nil) {
			if r.Kind != bpf.EventPolicy {
				continue
			}
			got := rec{intArg(r.Args[0]), intArg(r.Args[1]), uint32(intArg(r.Args[2])), uint32(intArg(r.Args[3]))}
			if _, ok := want[got]; !ok {
				t.Errorf("unexpected record: sport %d dport %d saddr %#x daddr %#x", got.sport, got.dport, got.saddr, got.daddr)
				continue
			}
			want[got] = true
		}
		done := true
		for _, seen := range want {
			done = done && seen
		}
		if done {
			break
		}
	}
	for r, seen := range want {
		if !seen {
			t.Errorf("no record of sport %d dport %d saddr %#x daddr %#x", r.sport, r.dport, r.saddr, r.daddr)
		}
	}
}
