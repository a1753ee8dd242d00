package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polc-dev/polc/loader/useractions"
)

// udpDNS is a DNS responder on 127.0.0.1 that answers every query
// NOERROR, without records, and counts the queries by name.
type udpDNS struct {
	addr   string
	mu     sync.Mutex
	counts map[string]int
}

func startUDPDNS(t *testing.T) *udpDNS {
	t.Helper()
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	d := &udpDNS{addr: conn.LocalAddr().String(), counts: map[string]int{}}
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 13 {
				continue
			}
			var labels []string
			for i := 12; i < n && buf[i] != 0 && i+1+int(buf[i]) <= n; i += 1 + int(buf[i]) {
				labels = append(labels, string(buf[i+1:i+1+int(buf[i])]))
			}
			d.mu.Lock()
			d.counts[strings.Join(labels, ".")]++
			d.mu.Unlock()
			resp := append([]byte(nil), buf[:n]...)
			binary.BigEndian.PutUint16(resp[2:], binary.BigEndian.Uint16(resp[2:])|1<<15|1<<7)
			conn.WriteTo(resp, from)
		}
	}()
	return d
}

func (d *udpDNS) count(name string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.counts[name]
}

// TestUserActions: polrun run takes GetUrl and DnsLookup when it reads an
// event, once per event and only for the selector that matched: two
// processes making getppid calls match one selector each, one with a
// GetUrl to an HTTP server on 127.0.0.1, the other with a DnsLookup sent
// to a DNS responder on 127.0.0.1 (--dns-server); each server sees exactly
// as many requests as polrun printed events of its process.
func TestUserActions(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	gets := map[string]int{}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gets[r.URL.Path]++
		mu.Unlock()
	}))
	defer web.Close()
	dns := startUDPDNS(t)
	a, b := startSyscaller(t), startSyscaller(t)
	src := filepath.Join(t.TempDir(), "canaries.yaml")
	policy := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "canaries"
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_getppid"
    selectors:
    - matchPIDs:
      - operator: "In"
        values: [%d]
      matchActions:
      - action: GetUrl
        argUrl: "%s/canary"
    - matchPIDs:
      - operator: "In"
        values: [%d]
      matchActions:
      - action: DnsLookup
        argFqdn: "canary.polc.test"
`, a, web.URL, b)
	if err := os.WriteFile(src, []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	polc(t, "build", "-o", e.dir, src)
	out, errOut, code := e.polrun("run", "--duration", "2s", "--process-events=false", "--dns-server", dns.addr, "--action-timeout", "2s",
		filepath.Join(e.dir, "canaries.bpf.o"))
	if code != exitOK {
		t.Fatalf("run: exit %d\n%s", code, errOut)
	}
	t.Logf("stderr:\n%s", errOut)
	events := map[uint32]int{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev struct {
			Tracepoint struct {
				Process struct {
					PID uint32 `json:"pid"`
				} `json:"process"`
				Action string `json:"action"`
			} `json:"process_tracepoint"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		events[ev.Tracepoint.Process.PID]++
	}
	mu.Lock()
	gotGets := gets["/canary"]
	mu.Unlock()
	t.Logf("events of %d: %d, GETs: %d; events of %d: %d, DNS queries: %d", a, events[a], gotGets, b, events[b], dns.count("canary.polc.test"))
	if events[a] == 0 || events[b] == 0 || len(events) != 2 {
		t.Fatalf("events by pid: %v, want those of %d and %d", events, a, b)
	}
	if gotGets != events[a] || len(gets) != 1 {
		t.Errorf("GETs %v for %d events of %d", gets, events[a], a)
	}
	if n := dns.count("canary.polc.test"); n != events[b] {
		t.Errorf("%d DNS queries for %d events of %d", n, events[b], b)
	}
	for _, want := range []string{fmt.Sprintf("polrun: GetUrl: %d done, 0 failed, 0 dropped", events[a]),
		fmt.Sprintf("polrun: DnsLookup: %d done, 0 failed, 0 dropped", events[b])} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
}

// TestUserActionsFlags: bad action flags are usage errors.
func TestUserActionsFlags(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{
		{"events", "--dns-server", ":53"},
		{"events", "--action-workers", "0"},
		{"events", "--action-queue", "-1"},
		{"events", "--action-timeout", "0s"},
	} {
		if _, errOut, code := e.polrun(args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, code, exitUsage, errOut)
		}
	}
}

// Failed actions are reported at most once per actionFailureInterval, with
// the last error escaped and cut short (a 1 MB URL with escapes was
// printed twice per report), and the final report counts them all.
func TestActionFailureReports(t *testing.T) {
	url := "http://x/\x1b[2J" + strings.Repeat("a", 1<<20)
	now := time.Unix(1000, 0)
	actionClock = func() time.Time { return now }
	defer func() { actionClock = time.Now }()
	var st useractions.Stats
	stats := func() useractions.Stats { return st }
	var stderr strings.Builder
	report := actionReporter(stats, &stderr)
	for i := range 30 {
		st.Kinds[useractions.GetURL].Queued++
		st.Kinds[useractions.GetURL].Failed++
		st.LastError = fmt.Sprintf("GetUrl %s: Get %q: connection refused", url, url)
		report(i == 29)
		now = now.Add(100 * time.Millisecond) // 30 failures in 3 s
	}
	out := stderr.String()
	if n := strings.Count(out, "actions failed"); n != 2 { // the first and the final one
		t.Errorf("%d failure reports for 30 failures in a moment:\n%.500s", n, out)
	}
	if len(out) > 4096 || strings.Contains(out, "\x1b") || !strings.Contains(out, `\x1b[2J`) {
		t.Errorf("%d bytes, escapes raw: %v:\n%.500s", len(out), strings.Contains(out, "\x1b"), out)
	}
	if !strings.Contains(out, "polrun: 30 GetUrl actions failed") || !strings.Contains(out, "GetUrl: 0 done, 30 failed, 0 dropped") {
		t.Errorf("counts:\n%.2000s", out)
	}
}
