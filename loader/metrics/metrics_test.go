package metrics

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// Counters served over HTTP, with nothing loaded (the kernel side is
// tested by cmd/polrun's TestMetricsLive).
func TestServe(t *testing.T) {
	m := New(filepath.Join(t.TempDir(), "no-pins"))
	hook := &bpf.Hook{Kind: "tracepoint", Target: "raw_syscalls/sys_enter"}
	for range 3 {
		m.Event(&loader.Event{Policy: "p", Hook: hook})
	}
	m.LoadFailed("bad.bpf.o")
	m.Loaded("p")
	srv, err := m.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + srv.Addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`polrun_events_total{hook="tracepoint raw_syscalls/sys_enter",policy="p"} 3`,
		`polrun_load_failures_total{bundle="bad.bpf.o"} 1`,
		`polrun_loads_total{policy="p"} 1`,
		`polrun_events_lost_total{reason="ring_buffer_full"} 0`,
		`polrun_policies_loaded 0`,
		`polrun_scrape_error 0`,
		`go_goroutines `,
		`process_open_fds `,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("no %q in\n%s", want, body)
		}
	}
	if _, err := m.Listen(srv.Addr); err == nil {
		t.Error("listening twice on one address: no error")
	}

	// A nil *Metrics does nothing.
	var none *Metrics
	none.Event(&loader.Event{Policy: "p", Hook: hook})
	none.LoadFailed("x")
	none.Loaded("x")
	none.SetStream(nil)
	none.StatsHeld()
}
