package metrics

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

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
	m.Bundle("good.bpf.o")
	m.Loaded("p")
	m.SetBundleFailures(func() []BundleFailure {
		return []BundleFailure{{File: "q.bpf.o", Policy: "q", Reason: "verifier says no"}, {File: "r.bpf.o", Reason: "not signed"}}
	})
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
		`polrun_events_total{kind="tracepoint",policy="p",target="raw_syscalls/sys_enter"} 3`,
		`polrun_load_failures_total{bundle="bad.bpf.o"} 1`,
		`polrun_load_failures_total{bundle="good.bpf.o"} 0`,
		`polrun_policy_failing{policy="q"} 1`,
		`polrun_export_events_total{result="rate_limited"} 0`,
		`polrun_ready 0`,
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
	// The metrics pass Prometheus' linter (promtool check metrics).
	problems, err := promlint.New(bytes.NewReader(body)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	// Liveness answers; readiness does not with nothing loaded and no
	// reader, saying why.
	for path, want := range map[string][]string{
		"/healthz": {"200", "ok"},
		"/readyz":  {"503", "no event reader is running\n", "no base is loaded", "policy q is failing: loading it from q.bpf.o failed: verifier says no", "bundle r.bpf.o fails: not signed"},
	} {
		resp, err := http.Get("http://" + srv.Addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strconv.Itoa(resp.StatusCode) != want[0] {
			t.Errorf("%s: %s\n%s", path, resp.Status, b)
		}
		for _, w := range want[1:] {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s: no %q in\n%s", path, w, b)
			}
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
	none.Bundle("x")
	none.SetBundleFailures(nil)
	none.ReaderStarted()
	none.ReaderProgress(true)
	none.ReaderStopped()
	none.SetExport(nil)
}
