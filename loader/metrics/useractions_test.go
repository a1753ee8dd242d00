package metrics

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/useractions"
)

// TestUserActionMetrics: the GetUrl and DnsLookup counts of the runners
// polrun used, replaced ones included, by result.
func TestUserActionMetrics(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
		}
	}))
	defer web.Close()
	// A DNS server that never answers: its lookups fail by timeout.
	silent, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	hook := &bpf.Hook{Selectors: []bpf.Selector{
		{Index: 0, URL: web.URL + "/ok"},
		{Index: 1, URL: web.URL + "/missing", FQDN: "silent.example"},
	}}
	m := New(filepath.Join(t.TempDir(), "no-pins"))
	run := func(selectors ...uint8) {
		r, err := useractions.Start(useractions.Options{DNSServer: silent.LocalAddr().String(), Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		m.SetUserActions(r)
		for _, s := range selectors {
			r.Handle(&loader.Event{Hook: hook, Header: bpf.Header{Selector: s}})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		r.Close(ctx)
		cancel()
	}
	run(1, 1, 2)
	run(1, 2) // replaces the first runner, whose counts stay
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
		`polrun_user_actions_total{action="GetUrl",result="ok"} 3`,
		`polrun_user_actions_total{action="GetUrl",result="failed"} 2`,
		`polrun_user_actions_total{action="GetUrl",result="dropped"} 0`,
		`polrun_user_actions_total{action="DnsLookup",result="ok"} 0`,
		`polrun_user_actions_total{action="DnsLookup",result="failed"} 2`,
		`polrun_user_actions_pending{action="GetUrl"} 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("no %q in\n%s", want, body)
		}
	}
	var none *Metrics
	none.SetUserActions(nil)
}
