package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/loader"
)

// servedEvent is what the serve test reads of an event.
type servedEvent struct {
	message string
	pid     uint32
	time    time.Time
}

// eventLog collects the events polrun prints.
type eventLog struct {
	mu     sync.Mutex
	events []servedEvent
	bad    []string
}

func (l *eventLog) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev struct {
			PT *struct {
				Process struct {
					PID uint32 `json:"pid"`
				} `json:"process"`
				Message string `json:"message"`
			} `json:"process_tracepoint"`
			Time string `json:"time"`
		}
		err := json.Unmarshal(sc.Bytes(), &ev)
		l.mu.Lock()
		if err != nil || ev.PT == nil {
			l.bad = append(l.bad, sc.Text())
		} else if t, err := time.Parse(time.RFC3339Nano, ev.Time); err == nil {
			l.events = append(l.events, servedEvent{ev.PT.Message, ev.PT.Process.PID, t})
		}
		l.mu.Unlock()
	}
}

func (l *eventLog) snapshot() []servedEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]servedEvent(nil), l.events...)
}

func fileSHA(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// install copies a bundle and its signature into dir the way a user should:
// the signature first, then the bundle written aside and renamed in.
func install(t *testing.T, dir, name, src string) {
	t.Helper()
	copyFile := func(from, to string) {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(src + ".sig"); err == nil {
		copyFile(src+".sig", filepath.Join(dir, "."+name+".sig.tmp"))
		if err := os.Rename(filepath.Join(dir, "."+name+".sig.tmp"), filepath.Join(dir, name+".sig")); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(src, filepath.Join(dir, "."+name+".tmp"))
	if err := os.Rename(filepath.Join(dir, "."+name+".tmp"), filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// waitPolicy polls loader.List until cond holds of the policy (nil when
// it is not loaded), and returns how long that took. gap reports whether
// the policy was ever seen without an attached program meanwhile.
func waitPolicy(t *testing.T, root, name string, limit time.Duration, cond func(*loader.PolicyStatus) bool) (took time.Duration, gap bool) {
	t.Helper()
	start := time.Now()
	for {
		st, err := loader.List(&loader.Options{PinRoot: root})
		if err != nil {
			t.Fatal(err)
		}
		var p *loader.PolicyStatus
		for i := range st.Policies {
			if st.Policies[i].Name == name {
				p = &st.Policies[i]
			}
		}
		if cond(p) {
			return time.Since(start), gap
		}
		if p == nil || len(p.Programs) == 0 || p.Programs[0].LinkID == 0 {
			gap = true
		}
		if time.Since(start) > limit {
			t.Fatalf("policy %s: not as expected after %v", name, limit)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func loadedWith(sha string) func(*loader.PolicyStatus) bool {
	return func(p *loader.PolicyStatus) bool {
		return p != nil && p.BundleSHA256 == sha && len(p.Programs) == 1 && p.Programs[0].LinkID != 0
	}
}

func gone(p *loader.PolicyStatus) bool { return p == nil }

// polrun serve, as a DaemonSet runs it: bundles signed by polc build
// --sign are loaded within a second of appearing in the directory,
// swapped without a gap in events when they change, unloaded when they
// go; an unsigned one is refused, reported and retried when its
// signature arrives; SIGTERM leaves the policies in force for the next
// polrun serve, which adopts them.
func TestServe(t *testing.T) {
	e := newEnv(t)
	target := startSyscaller(t)
	keys := t.TempDir()
	polc(t, "keygen", "-o", filepath.Join(keys, "k"))
	sign := []string{"--sign", filepath.Join(keys, "k.key")}
	v1 := e.polcBundle(t.TempDir(), "clitest-serve", target, "v1", sign...)
	v2 := e.polcBundle(t.TempDir(), "clitest-serve", target, "v2", sign...)
	other := e.polcBundle(t.TempDir(), "clitest-other", target, "other", sign...)
	sha1, sha2 := fileSHA(t, v1), fileSHA(t, v2)
	if sha1 == sha2 {
		t.Fatal("the two versions are the same bundle")
	}

	dir := t.TempDir()
	cmd := exec.Command(polrunBin, e.args([]string{"serve", "--dir", dir, "--verify", filepath.Join(keys, "k.pub"),
		"--metrics-addr", "127.0.0.1:0", "-o", "json", "--process-events=false"})...)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	url, logs := metricsURL(t, stderr)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("polrun serve said:\n%s", logs.String())
		}
	})
	var events eventLog
	go events.read(stdout)

	// A new bundle.
	install(t, dir, "clitest-serve.bpf.o", v1)
	// How soon is logged, not asserted: the watcher polls every 100 ms,
	// and a loaded CI machine stretches the load behind it (1.03 s seen).
	took, _ := waitPolicy(t, e.root, "clitest-serve", 10*time.Second, loadedWith(sha1))
	t.Logf("new bundle attached %v after it appeared", took)
	waitEvents(t, &events, target, "v1")

	// A changed bundle: replaced, the new one attached before the old
	// one went, so the process's syscalls are seen throughout.
	swapStart := time.Now()
	install(t, dir, "clitest-serve.bpf.o", v2)
	took, gap := waitPolicy(t, e.root, "clitest-serve", 10*time.Second, loadedWith(sha2))
	t.Logf("changed bundle swapped in %v after it changed", took)
	if gap {
		t.Errorf("the listing had a gap during the swap (%v)", took)
	}
	waitEvents(t, &events, target, "v2")
	time.Sleep(200 * time.Millisecond)
	var times []time.Time
	var lastV1, firstV2 time.Time
	for _, ev := range events.snapshot() {
		if ev.pid != target || ev.time.Before(swapStart.Add(-time.Second)) {
			continue
		}
		times = append(times, ev.time)
		if ev.message == "v1" && ev.time.After(lastV1) {
			lastV1 = ev.time
		}
		if ev.message == "v2" && (firstV2.IsZero() || ev.time.Before(firstV2)) {
			firstV2 = ev.time
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	var maxGap time.Duration
	for i := 1; i < len(times); i++ {
		maxGap = max(maxGap, times[i].Sub(times[i-1]))
	}
	// The syscaller makes a syscall at least every 20ms.
	t.Logf("%d events of the process around the swap; the longest gap between two %v; last v1 event %v after the first v2 one",
		len(times), maxGap, lastV1.Sub(firstV2))
	if maxGap > 100*time.Millisecond || lastV1.IsZero() || firstV2.IsZero() {
		t.Errorf("events around the swap: longest gap %v, last v1 %v, first v2 %v", maxGap, lastV1, firstV2)
	}

	// A bundle that goes.
	os.Remove(filepath.Join(dir, "clitest-serve.bpf.o"))
	os.Remove(filepath.Join(dir, "clitest-serve.bpf.o.sig"))
	took, _ = waitPolicy(t, e.root, "clitest-serve", 10*time.Second, gone)
	t.Logf("removed bundle unloaded %v after it went", took)

	// An unsigned bundle: refused, counted; loaded when its signature
	// comes.
	data, _ := os.ReadFile(other)
	os.WriteFile(filepath.Join(dir, "clitest-other.bpf.o"), data, 0o644)
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(logs.String(), "failed: "+filepath.Join(dir, "clitest-other.bpf.o")+": bundle is not signed") {
		if time.Now().After(deadline) {
			t.Fatalf("no failure reported:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	samples, _ := scrape(t, url)
	if got := samples[`polrun_load_failures_total{bundle="clitest-other.bpf.o"}`]; got != 1 {
		t.Errorf("load failures of clitest-other.bpf.o: %v", got)
	}
	// A failing bundle makes serve not ready, saying which.
	readyz := strings.TrimSuffix(url, "/metrics") + "/readyz"
	if code, body := get(t, readyz); code != http.StatusServiceUnavailable ||
		!strings.Contains(body, "bundle clitest-other.bpf.o fails: ") || !strings.Contains(body, "bundle is not signed") {
		t.Errorf("/readyz with a failing bundle: %d %s", code, body)
	}
	sig, _ := os.ReadFile(other + ".sig")
	os.WriteFile(filepath.Join(dir, "clitest-other.bpf.o.sig"), sig, 0o644)
	waitPolicy(t, e.root, "clitest-other", 3*time.Second, loadedWith(fileSHA(t, other)))
	// The pins are there once the load is; serve counts it right after.
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if samples, _ := scrape(t, url); samples[`polrun_loads_total{policy="clitest-other"}`] == 1 {
			break
		}
	}

	// Loaded: ready again (the base attached, the reader caught up, no
	// bundle failing).
	waitStatus(t, readyz, http.StatusOK, 5*time.Second)
	samples, body := scrape(t, url)
	for name, want := range map[string]float64{
		`polrun_loads_total{policy="clitest-serve"}`:               2,
		`polrun_loads_total{policy="clitest-other"}`:               1,
		`polrun_policies_loaded`:                                   1,
		`polrun_events_lost_total{reason="undecodable"}`:           0,
		`polrun_policy_failing{policy="clitest-other"}`:            0,
		`polrun_load_failures_total{bundle="clitest-serve.bpf.o"}`: 0,
	} {
		if got := samples[name]; got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if samples[`polrun_events_total{kind="tracepoint",policy="clitest-serve",target="raw_syscalls/sys_enter"}`] == 0 {
		t.Errorf("no events counted:\n%s", body)
	}

	// SIGTERM: policies stay.
	st, _ := loader.List(&loader.Options{PinRoot: e.root})
	id := st.Policies[0].PolicyID
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "leaving [clitest-other] loaded") {
		t.Errorf("serve said:\n%s", logs.String())
	}
	if st, _ := loader.List(&loader.Options{PinRoot: e.root}); len(st.Policies) != 1 || st.Policies[0].PolicyID != id {
		t.Errorf("after SIGTERM: %+v", st.Policies)
	}
	if len(events.bad) > 0 {
		t.Errorf("not events: %q", events.bad)
	}
	// The next serve adopts the policy as it is, and unloads it on exit
	// when told to.
	_, errOut, code := e.polrun("serve", "--dir", dir, "--verify", filepath.Join(keys, "k.pub"), "--unload-on-exit", "--duration", "1s")
	if code != exitOK || !strings.Contains(errOut, "adopted clitest-other (clitest-other.bpf.o)") || !strings.Contains(errOut, "unloaded [clitest-other]") ||
		strings.Contains(errOut, "loaded clitest-other from") || strings.Contains(errOut, "replaced") {
		t.Errorf("second serve: exit %d\n%s", code, errOut)
	}
	if pins := e.pins(); len(pins) > 0 {
		t.Errorf("pins left after --unload-on-exit: %q", pins)
	}
	if st, _ := loader.List(&loader.Options{PinRoot: e.root}); len(st.Policies) != 0 {
		t.Errorf("still loaded: %+v", st.Policies)
	}
}

// waitEvents waits until the process's events of the policy version
// message are printed.
func waitEvents(t *testing.T, l *eventLog, pid uint32, message string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		for _, ev := range l.snapshot() {
			if ev.pid == pid && ev.message == message {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no event of %s for pid %d", message, pid)
}

// polrun serve --verify against files anyone who may write into its
// directory can make without the key: a FIFO signature does not stop the
// loop (the other bundles load), a signature linked to /dev/zero is
// refused at once, a signed bundle copied over another policy's file does
// not replace that policy, and an older signed release does not replace
// the newer one loaded.
func TestServeHostileFiles(t *testing.T) {
	e := newEnv(t)
	keys := t.TempDir()
	polc(t, "keygen", "-o", filepath.Join(keys, "k"))
	pub := filepath.Join(keys, "k.pub")
	sign := func(v string) []string { return []string{"--sign", filepath.Join(keys, "k.key"), "--version", v} }
	a2 := e.polcBundle(t.TempDir(), "clitest-sa", 1, "a2", sign("2")...)
	a1 := e.polcBundle(t.TempDir(), "clitest-sa", 1, "a1", sign("1")...)
	b2 := e.polcBundle(t.TempDir(), "clitest-sb", 1, "b2", sign("2")...)
	c := e.polcBundle(t.TempDir(), "clitest-sc", 1, "c2", sign("2")...)

	dir := t.TempDir()
	install(t, dir, "clitest-sa.bpf.o", a2)
	install(t, dir, "clitest-sb.bpf.o", b2)
	data, _ := os.ReadFile(c)
	os.WriteFile(filepath.Join(dir, "clitest-sc.bpf.o"), data, 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "clitest-sc.bpf.o.sig"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "clitest-sd.bpf.o"), data, 0o644)
	os.Symlink("/dev/zero", filepath.Join(dir, "clitest-sd.bpf.o.sig"))

	serve := func() string {
		t.Helper()
		start := time.Now()
		_, errOut, code := e.polrun("serve", "--dir", dir, "--verify", pub, "--follow-symlinks", "--duration", "3s")
		if code != exitOK || time.Since(start) > 15*time.Second {
			t.Fatalf("serve: exit %d after %v\n%s", code, time.Since(start), errOut)
		}
		return errOut
	}
	errOut := serve()
	for _, want := range []string{
		"loaded clitest-sa from clitest-sa.bpf.o",
		"loaded clitest-sb from clitest-sb.bpf.o",
		"failed: read signature: " + filepath.Join(dir, "clitest-sc.bpf.o.sig") + ": not a regular file (a FIFO)",
		"failed: read signature: " + filepath.Join(dir, "clitest-sd.bpf.o.sig") + ": not a regular file (a character device)",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("serve did not say %q:\n%s", want, errOut)
		}
	}

	// clitest-sa's signed bundle copied over clitest-sb's file, and the
	// older clitest-sa over clitest-sa's.
	install(t, dir, "clitest-sb.bpf.o", a2)
	install(t, dir, "clitest-sa.bpf.o", a1)
	errOut = serve()
	for _, want := range []string{
		"failed: clitest-sb.bpf.o: signed for another policy: it holds policy clitest-sa, whose file is clitest-sa.bpf.o",
		"signed version is older than the loaded one: policy clitest-sa: " + filepath.Join(dir, "clitest-sa.bpf.o") + " is version 1, version 2 is loaded",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("serve did not say %q:\n%s", want, errOut)
		}
	}
	st, err := loader.List(&loader.Options{PinRoot: e.root})
	if err != nil || len(st.Policies) != 2 || st.Policies[0].BundleSHA256 != fileSHA(t, a2) || st.Policies[1].BundleSHA256 != fileSHA(t, b2) {
		t.Errorf("after the replays: %+v %v\n%s", st.Policies, err, errOut)
	}
}
