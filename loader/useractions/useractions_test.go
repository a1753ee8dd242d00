package useractions

import (
	"context"
	"encoding/binary"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// dnsResponder is a UDP DNS server on 127.0.0.1 that counts the queries
// for each name and answers them with the rcode rcodes gives the name
// (NOERROR by default), or not at all for names in silent.
type dnsResponder struct {
	Addr   string
	conn   net.PacketConn
	mu     sync.Mutex
	counts map[string]int
	rcodes map[string]int
	silent map[string]bool
}

// startDNSResponder starts a dnsResponder.
func startDNSResponder(t testing.TB) *dnsResponder {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dnsResponder{Addr: conn.LocalAddr().String(), conn: conn, counts: map[string]int{},
		rcodes: map[string]int{}, silent: map[string]bool{}}
	t.Cleanup(func() { conn.Close() })
	go d.serve()
	return d
}

func (d *dnsResponder) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		name, ok := questionName(buf[:n])
		if !ok {
			continue
		}
		d.mu.Lock()
		d.counts[name]++
		rcode, silent := d.rcodes[name], d.silent[name]
		d.mu.Unlock()
		if silent {
			continue
		}
		// The answer: the query with QR, RA and the rcode set, and no
		// records.
		resp := append([]byte(nil), buf[:n]...)
		flags := binary.BigEndian.Uint16(resp[2:]) | 1<<15 | 1<<7 | uint16(rcode)
		binary.BigEndian.PutUint16(resp[2:], flags)
		d.conn.WriteTo(resp, from)
	}
}

// questionName decodes the name of a query's question.
func questionName(msg []byte) (string, bool) {
	if len(msg) < 12 || binary.BigEndian.Uint16(msg[4:]) != 1 {
		return "", false
	}
	var labels []string
	for i := 12; i < len(msg); {
		n := int(msg[i])
		if n == 0 {
			return strings.Join(labels, "."), true
		}
		if i+1+n > len(msg) {
			return "", false
		}
		labels = append(labels, string(msg[i+1:i+1+n]))
		i += 1 + n
	}
	return "", false
}

// answer sets how the responder answers name: with that rcode, or not at
// all when it is negative.
func (d *dnsResponder) answer(name string, rcode int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if rcode < 0 {
		d.silent[name] = true
		return
	}
	d.rcodes[name] = rcode
}

func (d *dnsResponder) count(name string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.counts[name]
}

// httpCounter serves 127.0.0.1 and counts the requests by path.
type httpCounter struct {
	*httptest.Server
	mu     sync.Mutex
	counts map[string]int
}

func startHTTP(t testing.TB, handler func(w http.ResponseWriter, r *http.Request)) *httpCounter {
	t.Helper()
	h := &httpCounter{counts: map[string]int{}}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.counts[r.URL.Path]++
		h.mu.Unlock()
		if handler != nil {
			handler(w, r)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *httpCounter) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[path]
}

// event is an event of hook whose selector (1-based, 0: none) matched.
func event(hook *bpf.Hook, selector uint8) *loader.Event {
	return &loader.Event{Hook: hook, Header: bpf.Header{Kind: bpf.EventPolicy, Selector: selector}}
}

func closeRunner(t *testing.T, r *Runner) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r.Close(ctx)
}

// TestOncePerEvent: each event runs the actions of the selector that
// matched, once, and no other selector's.
func TestOncePerEvent(t *testing.T) {
	web := startHTTP(t, nil)
	dns := startDNSResponder(t)
	r, err := Start(Options{DNSServer: dns.Addr})
	if err != nil {
		t.Fatal(err)
	}
	hook := &bpf.Hook{Selectors: []bpf.Selector{
		{Index: 0, URL: web.URL + "/first", FQDN: "first.canary.example"},
		{Index: 1, URL: web.URL + "/second"},
		{Index: 2, FQDN: "third.canary.example."},
		{Index: 3},
	}}
	sent := map[uint8]int{0: 1, 1: 3, 2: 2, 3: 4, 4: 5}
	queued := 0
	for sel, n := range sent {
		for range n {
			queued += r.Handle(event(hook, sel))
		}
	}
	closeRunner(t, r)
	st := r.Stats()
	if queued != 3*2+2+4 {
		t.Errorf("Handle queued %d actions, want %d", queued, 3*2+2+4)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"GET /first", web.count("/first"), 3},
		{"GET /second", web.count("/second"), 2},
		{"queries for first.canary.example", dns.count("first.canary.example"), 3},
		{"queries for third.canary.example", dns.count("third.canary.example"), 4},
		{"GetUrl succeeded", int(st.Of(GetURL).Succeeded), 5},
		{"DnsLookup succeeded", int(st.Of(DNSLookup).Succeeded), 7},
		{"failed", int(st.Of(GetURL).Failed + st.Of(DNSLookup).Failed), 0},
		{"dropped", int(st.Of(GetURL).Dropped + st.Of(DNSLookup).Dropped), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	if st.LastError != "" {
		t.Errorf("last error %q", st.LastError)
	}
}

// TestFailures: an unreachable URL, an HTTP error status, NXDOMAIN and a
// server that never answers (within the timeout) count as failures, and
// the last one is described.
func TestFailures(t *testing.T) {
	web := startHTTP(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
		}
	})
	dns := startDNSResponder(t)
	dns.answer("nx.example", 3)
	dns.answer("silent.example", -1)
	closed, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + closed.Addr().String() + "/"
	closed.Close()

	r, err := Start(Options{DNSServer: dns.Addr, Timeout: 300 * time.Millisecond, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	hook := &bpf.Hook{Selectors: []bpf.Selector{
		{Index: 0, URL: deadURL},
		{Index: 1, URL: web.URL + "/missing"},
		{Index: 2, FQDN: "nx.example"},
		{Index: 3, FQDN: "silent.example"},
		{Index: 4, URL: web.URL + "/ok", FQDN: "ok.example"},
	}}
	for sel := uint8(1); sel <= 5; sel++ {
		r.Handle(event(hook, sel))
	}
	start := time.Now()
	closeRunner(t, r)
	st := r.Stats()
	if g, d := st.Of(GetURL), st.Of(DNSLookup); g.Failed != 2 || g.Succeeded != 1 || d.Failed != 2 || d.Succeeded != 1 {
		t.Errorf("GetUrl %+v, DnsLookup %+v: want 2 failed and 1 succeeded each", g, d)
	}
	if dns.count("silent.example") != 1 || dns.count("nx.example") != 1 {
		t.Errorf("queries: silent %d, nx %d; want one each (no retries)", dns.count("silent.example"), dns.count("nx.example"))
	}
	if !strings.Contains(st.LastError, "ok.example") && !strings.Contains(st.LastError, "silent.example") &&
		!strings.Contains(st.LastError, "NXDOMAIN") && !strings.Contains(st.LastError, "404") && !strings.Contains(st.LastError, deadURL) {
		t.Errorf("last error %q names no failed action", st.LastError)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("closing took %v: the timeout does not bound actions", elapsed)
	}
	t.Logf("stats %+v", st)
}

// TestQueueFull: with one worker stuck on a slow server and a queue of 2,
// Handle keeps returning at once, accepts what fits and drops and counts
// the rest; the queued actions still run once each.
func TestQueueFull(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 16)
	web := startHTTP(t, func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	})
	r, err := Start(Options{DNSServer: "127.0.0.1:9", Workers: 1, Queue: 2, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	hook := &bpf.Hook{Selectors: []bpf.Selector{{Index: 0, URL: web.URL + "/slow"}}}
	r.Handle(event(hook, 1))
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the first GET never arrived")
	}
	start := time.Now()
	queued := 0
	for range 9 {
		queued += r.Handle(event(hook, 1))
	}
	if elapsed := time.Since(start); elapsed > 100*time.Millisecond {
		t.Errorf("9 Handle calls took %v with the queue full", elapsed)
	}
	close(release)
	closeRunner(t, r)
	st := r.Stats().Of(GetURL)
	if queued != 2 || st.Queued != 3 || st.Dropped != 7 || st.Succeeded != 3 || web.count("/slow") != 3 {
		t.Errorf("queued %d; stats %+v; server saw %d GETs: want 2 more queued, 7 dropped, 3 done", queued, st, web.count("/slow"))
	}
}

// TestDNSServerAddress: the forms --dns-server accepts.
func TestDNSServerAddress(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1": "127.0.0.1:53", "127.0.0.1:5353": "127.0.0.1:5353", "::1": "[::1]:53",
		"[::1]:5353": "[::1]:5353", "dns.example": "dns.example:53", "dns.example:54": "dns.example:54",
	} {
		if got, err := dnsAddress(in); err != nil || got != want {
			t.Errorf("dnsAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", ":53", "a:b:c"} {
		if got, err := dnsAddress(bad); err == nil {
			t.Errorf("dnsAddress(%q) = %q, want an error", bad, got)
		}
	}
	if _, err := Start(Options{DNSServer: ":53"}); err == nil {
		t.Error("Start with a bad DNS server address: no error")
	}
}
