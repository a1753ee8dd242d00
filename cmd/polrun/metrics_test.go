package main

import (
	"bufio"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
)

// scrape GETs url and returns the samples of the Prometheus text format
// by their name and labels, as printed.
func scrape(t *testing.T, url string) (map[string]float64, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s, %v", resp.Status, err)
	}
	samples := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("sample %q: %v", line, err)
		}
		samples[line[:i]] = v
	}
	return samples, string(body)
}

// lockedLog is polrun's stderr as read so far.
type lockedLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *lockedLog) add(line string) {
	l.mu.Lock()
	l.buf.WriteString(line + "\n")
	l.mu.Unlock()
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// metricsURL reads polrun's stderr until it says where the metrics are,
// then keeps draining it into a log the test can print.
func metricsURL(t *testing.T, stderr io.Reader) (string, *lockedLog) {
	t.Helper()
	sc := bufio.NewScanner(stderr)
	var url string
	seen := &lockedLog{}
	for sc.Scan() {
		seen.add(sc.Text())
		if rest, ok := strings.CutPrefix(sc.Text(), "polrun: metrics on "); ok {
			url = rest
			break
		}
	}
	if url == "" {
		t.Fatalf("polrun did not say where its metrics are:\n%s", seen.String())
	}
	go func() {
		for sc.Scan() {
			seen.add(sc.Text())
		}
	}()
	return url, seen
}

// curl on the metrics address shows live counters: while a policy built
// by polc counts a process's syscalls, polrun_events_total and the
// program's run count go up between two scrapes.
func TestMetricsLive(t *testing.T) {
	e := newEnv(t)
	target := startSyscaller(t)
	b := e.polcBundle(t.TempDir(), "clitest-metrics", target, "metrics")
	cmd := exec.Command(polrunBin, e.args([]string{"run", "--metrics-addr", "127.0.0.1:0", "--bpf-stats", "-o", "json", b})...)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	url, logs := metricsURL(t, stderr)
	go io.Copy(io.Discard, stdout)

	events := `polrun_events_total{kind="tracepoint",policy="clitest-metrics",target="raw_syscalls/sys_enter"}`
	runs := `polrun_program_runs_total{kind="tracepoint",policy="clitest-metrics",program="h0_sys_enter",target="raw_syscalls/sys_enter"}`
	// The first scrape after the policy's first event.
	var first map[string]float64
	deadline := time.Now().Add(5 * time.Second)
	for {
		first, _ = scrape(t, url)
		if first[events] > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no events counted in 5s; polrun said:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	second, body := scrape(t, url)
	t.Logf("%s = %v, then %v a second later; %s = %v, then %v", events, first[events], second[events], runs, first[runs], second[runs])
	// The syscaller calls getppid every 20ms: some 50 events a second.
	if second[events]-first[events] < 20 {
		t.Errorf("events counter went from %v to %v in a second", first[events], second[events])
	}
	if second[runs] <= first[runs] || second[runs] < second[events] {
		t.Errorf("run count went from %v to %v (events %v)", first[runs], second[runs], second[events])
	}
	// The program's own count of what it posted moves with the events,
	// ahead of them: a record is counted before polrun reads it (within
	// one scrape, events read after the map may be counted too).
	posted := `polrun_policy_events_posted_total{policy="clitest-metrics"}`
	if second[posted]-first[posted] < 20 || second[posted] < first[events] {
		t.Errorf("%s went from %v to %v (events %v)", posted, first[posted], second[posted], second[events])
	}
	for name, want := range map[string]float64{
		`polrun_policies_loaded`:                                     1,
		`polrun_loads_total{policy="clitest-metrics"}`:               1,
		`polrun_bpf_stats_enabled`:                                   1,
		`polrun_events_lost_total{reason="ring_buffer_full"}`:        0,
		`polrun_events_lost_total{reason="undecodable"}`:             0,
		`polrun_scrape_error`:                                        0,
		`polrun_policy_failing{policy="clitest-metrics"}`:            0,
		`polrun_policy_enforcements_total{policy="clitest-metrics"}`: 0,
		`polrun_policy_events_lost_total{policy="clitest-metrics"}`:  0,
		`polrun_ready`: 1,
		`polrun_export_events_total{result="rate_limited"}`: 0,
	} {
		if got, ok := second[name]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", name, got, ok, want)
		}
	}
	// With a policy loaded, its metrics too pass Prometheus' linter.
	if problems, err := promlint.New(strings.NewReader(body)).Lint(); err != nil || len(problems) > 0 {
		t.Errorf("promlint: %v %v", err, problems)
	}
	if second[`polrun_program_run_seconds_total{kind="tracepoint",policy="clitest-metrics",program="h0_sys_enter",target="raw_syscalls/sys_enter"}`] <= 0 {
		t.Errorf("no run time:\n%s", body)
	}
}

// --metrics-addr :PORT listens on the loopback interface only; a host, even
// 0.0.0.0, is honoured.
func TestMetricsAddrDefaultsToLoopback(t *testing.T) {
	for in, want := range map[string]string{
		":9090": "127.0.0.1:9090", "0.0.0.0:9090": "0.0.0.0:9090", "[::1]:9090": "[::1]:9090",
		"localhost:9090": "localhost:9090", "10.0.0.1:9090": "10.0.0.1:9090",
	} {
		if got := metricsListenAddr(in); got != want {
			t.Errorf("%s listens on %s, want %s", in, got, want)
		}
	}
	addr, bpfStats := ":0", false
	var stderr strings.Builder
	m, stop, err := metricsFlags{addr: &addr, bpfStats: &bpfStats}.start(t.TempDir(), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if m == nil || !strings.HasPrefix(stderr.String(), "polrun: metrics on http://127.0.0.1:") {
		t.Errorf("--metrics-addr :0: %q", stderr.String())
	}
}

// polrun load --max-map-memory refuses a bundle whose maps would take more,
// saying so, and loads nothing; a bad size is a usage error.
func TestMaxMapMemoryFlag(t *testing.T) {
	e := newEnv(t)
	b := e.syscallBundle("clitest-mapmem", 1)
	if _, stderr, code := e.polrun("load", "--max-map-memory", "1KiB", b); code != exitFail ||
		!strings.Contains(stderr, "maps too large") || !strings.Contains(stderr, "more than the 1024 allowed (--max-map-memory)") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	if pins := e.pins(); len(pins) != 0 {
		t.Errorf("a refused load left %v", pins)
	}
	if _, stderr, code := e.polrun("load", "--max-map-memory", "lots", b); code == exitOK || !strings.Contains(stderr, "not a size") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	for in, want := range map[string]uint64{"1": 1, "2KiB": 2048, "512MiB": 512 << 20, "1GiB": 1 << 30} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v", in, got, err)
		}
	}
}
