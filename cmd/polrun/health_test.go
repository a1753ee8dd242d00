package main

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// get returns the status and body of url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// waitStatus polls url until it answers want, for at most d; it returns
// how long that took.
func waitStatus(t *testing.T, url string, want int, d time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		code, body := get(t, url)
		if code == want {
			return time.Since(start)
		}
		if time.Since(start) > d {
			t.Fatalf("%s: %d after %v, want %d:\n%s", url, code, d, want, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A reader whose output is not read (a stalled pipe: its writes block)
// turns /readyz red within its deadline, while /healthz stays green; once
// the output is read again, /readyz turns green.
func TestReadyzStalledReader(t *testing.T) {
	e := newEnv(t)
	target := startSyscaller(t)
	cmd := exec.Command(polrunBin, e.args([]string{"run", "--metrics-addr", "127.0.0.1:0", "--reader-deadline", "1s",
		e.syscallBundle("clitest-ready", target)})...)
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
	base := strings.TrimSuffix(url, "/metrics")
	if code, body := get(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz: %d %s", code, body)
	}
	// Read the events for a while: ready.
	reading := make(chan bool)
	go func() {
		buf := make([]byte, 4096)
		for <-reading {
			deadline := time.Now().Add(200 * time.Millisecond)
			for time.Now().Before(deadline) {
				if _, err := stdout.Read(buf); err != nil {
					return
				}
			}
			go func() { reading <- true }()
		}
	}()
	reading <- true
	waitStatus(t, base+"/readyz", http.StatusOK, 5*time.Second)
	// Stop reading: the pipe fills (some 50 events a second), polrun's
	// writes block, and within the deadline of the last time it caught
	// up, /readyz says why it is not ready.
	reading <- false
	took := waitStatus(t, base+"/readyz", http.StatusServiceUnavailable, 10*time.Second)
	_, body := get(t, base+"/readyz")
	if !strings.Contains(body, "the reader has not caught up with the events for") || !strings.Contains(body, "(deadline 1s)") {
		t.Errorf("/readyz: %s", body)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz of a stalled reader: %d", code)
	}
	samples, _ := scrape(t, url)
	if samples["polrun_ready"] != 0 {
		t.Errorf("polrun_ready = %v while not ready", samples["polrun_ready"])
	}
	t.Logf("red %v after the reading stopped (the pipe takes a while to fill)", took)
	// Read again: green within a deadline or two.
	go io.Copy(io.Discard, stdout)
	took = waitStatus(t, base+"/readyz", http.StatusOK, 5*time.Second)
	t.Logf("green %v after reading again; polrun said:\n%s", took, logs.String())
}
