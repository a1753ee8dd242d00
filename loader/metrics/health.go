package metrics

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/polc-dev/polc/loader"
)

// DefaultReaderDeadline is how long the reader may go without catching up
// with the ring buffer before /readyz says it is not ready.
const DefaultReaderDeadline = 10 * time.Second

// health is what /readyz and polrun_policy_failing read.
type health struct {
	deadline time.Duration
	// reading: this process reads events (as the pin root's reader or
	// a client of it); caughtUp is when it last had nothing waiting.
	reading  bool
	caughtUp time.Time
	// bundleFailures returns the bundle files that fail now (serve).
	bundleFailures func() []BundleFailure
}

// BundleFailure is a bundle file that does not load as it is.
type BundleFailure struct {
	File   string
	Policy string // "" when the file could not be read
	Reason string
}

// SetReaderDeadline sets how long the reader may stay behind (0: the
// default).
func (m *Metrics) SetReaderDeadline(d time.Duration) {
	if m == nil {
		return
	}
	if d <= 0 {
		d = DefaultReaderDeadline
	}
	m.mu.Lock()
	m.health.deadline = d
	m.mu.Unlock()
}

// ReaderStarted says this process reads events from now on;
// ReaderStopped that it no longer does (it waits for a base, or stops).
func (m *Metrics) ReaderStarted() {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.health.reading, m.health.caughtUp = true, time.Now()
	m.mu.Unlock()
}

func (m *Metrics) ReaderStopped() {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.health.reading = false
	m.mu.Unlock()
}

// ReaderProgress is called by the reader after each event it wrote, and
// when it waited for events: caughtUp says that no event was waiting.
// A reader that stops calling it (its output blocks) or is always behind
// is not ready once the deadline has passed.
func (m *Metrics) ReaderProgress(caughtUp bool) {
	if m == nil || !caughtUp {
		return
	}
	m.mu.Lock()
	m.health.caughtUp = time.Now()
	m.mu.Unlock()
}

// SetBundleFailures makes f the source of the bundle files that fail
// now (polrun serve's directory).
func (m *Metrics) SetBundleFailures(f func() []BundleFailure) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.health.bundleFailures = f
	m.mu.Unlock()
}

func (m *Metrics) currentBundleFailures() []BundleFailure {
	m.mu.Lock()
	f := m.health.bundleFailures
	m.mu.Unlock()
	if f == nil {
		return nil
	}
	return f()
}

// Bundle makes the load failure counter of a bundle exist at 0, so that
// increase() sees its first failure.
func (m *Metrics) Bundle(file string) {
	if m == nil {
		return
	}
	m.failures.WithLabelValues(file)
}

// failingPolicies are the policies that fail, with why: their pins
// cannot be read, a program's link is broken, or their load or replace
// from their bundle file failed.
func (m *Metrics) failingPolicies(st *loader.Status, bundles []BundleFailure) map[string]string {
	out := map[string]string{}
	for _, b := range bundles {
		if b.Policy != "" {
			out[b.Policy] = fmt.Sprintf("loading it from %s failed: %s", b.File, b.Reason)
		}
	}
	for _, p := range st.Policies {
		if p.Err != nil {
			out[p.Name] = p.Err.Error()
			continue
		}
		for _, prog := range p.Programs {
			if prog.Err != nil {
				out[p.Name] = fmt.Sprintf("program %s: %v", prog.Name, prog.Err)
				break
			}
		}
	}
	return out
}

// Ready returns why polrun is not ready, or nil: the base must be
// attached, the reader (when this process reads) must have caught up with
// the ring buffer within the deadline, and no policy nor bundle file may
// be failing.
func (m *Metrics) Ready() []string {
	var why []string
	m.mu.Lock()
	h := m.health
	m.mu.Unlock()
	if h.reading {
		if behind := time.Since(h.caughtUp); behind > h.deadline {
			why = append(why, fmt.Sprintf("the reader has not caught up with the events for %v (deadline %v)", behind.Round(time.Millisecond), h.deadline))
		}
	} else {
		why = append(why, "no event reader is running")
	}
	st, err := loader.List(&loader.Options{PinRoot: m.pinRoot})
	if err != nil {
		return append(why, "cannot list the pins: "+err.Error())
	}
	switch {
	case st.Base == nil:
		why = append(why, "no base is loaded (no policy was loaded yet)")
	case st.Base.Err != nil:
		why = append(why, "base: "+st.Base.Err.Error())
	default:
		for _, p := range st.Base.Programs {
			if p.Err != nil {
				why = append(why, fmt.Sprintf("base program %s: %v", p.Name, p.Err))
			}
		}
	}
	bundles := m.currentBundleFailures()
	for _, b := range bundles {
		if b.Policy == "" {
			why = append(why, fmt.Sprintf("bundle %s fails: %s", b.File, b.Reason))
		}
	}
	failing := m.failingPolicies(st, bundles)
	names := make([]string, 0, len(failing))
	for p := range failing {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		why = append(why, fmt.Sprintf("policy %s is failing: %s", p, failing[p]))
	}
	return why
}

// healthz answers while the process serves HTTP: liveness.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readyz is 200 when Ready has nothing against, else 503 with the
// reasons, one a line.
func (m *Metrics) readyz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	why := m.Ready()
	if len(why) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, strings.Join(why, "\n"))
		return
	}
	fmt.Fprintln(w, "ready")
}

var failingDesc = prometheus.NewDesc("polrun_policy_failing",
	"1 for a policy that fails: its pins cannot be read, a program's link is broken, or its load or replace from its bundle file failed (serve); 0 for the other loaded policies.",
	[]string{"policy"}, nil)

var readyDesc = prometheus.NewDesc("polrun_ready", "1 when /readyz says ready.", nil, nil)

// splitHook splits a hook label ("tracepoint raw_syscalls/sys_enter") into
// the kind and target labels.
func splitHook(hook string) (kind, target string) {
	kind, target, _ = strings.Cut(hook, " ")
	return kind, target
}
