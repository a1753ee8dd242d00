// Package metrics exports what polrun does as Prometheus metrics
// (github.com/prometheus/client_golang), for `polrun run|events|serve
// --metrics-addr`. It is apart from package loader so that users of the
// loader library do not link Prometheus.
//
// Counted as it happens:
//
//	polrun_events_total{policy,kind,target}  events read and printed, by policy
//	                                         and hook: kind "tracepoint", target
//	                                         "raw_syscalls/sys_enter"; process
//	                                         events with policy "" and kind
//	                                         "process_exec" or "process_exit"
//	polrun_load_failures_total{bundle}       bundles that failed to load (file name);
//	                                         0 from the start for the bundles given
//	                                         or found (Bundle)
//	polrun_loads_total{policy}               policies loaded or replaced
//
// Read when scraped, from the stream's counts and the pins (loader.List):
//
//	polrun_events_lost_total{reason}         ring_buffer_full (the base's polc_drops
//	                                         counter, since the base was loaded),
//	                                         undecodable, read_error
//	polrun_policies_loaded                   policies under the pin root
//	polrun_policy_info{policy,policy_id,bundle_sha256}  1 per loaded policy
//	polrun_policy_failing{policy}            1 for a policy that fails (pins
//	                                         unreadable, a broken link, its load
//	                                         or replace from its file failed)
//	polrun_policy_events_posted_total{policy}    the policy's counters, kept by
//	polrun_policy_enforcements_total{policy}     its programs (bpf.CountersMap):
//	polrun_policy_events_lost_total{policy}      records posted, enforcement
//	                                         actions carried out, records the ring
//	                                         buffer did not take; since the policy
//	                                         was loaded, 0 from the start; the
//	                                         base's exec, fork and exit records
//	                                         (posted, lost) with policy=""
//	polrun_ready                             1 when /readyz says ready
//	polrun_program_runs_total{policy,program,kind,target}
//	polrun_program_run_seconds_total{policy,program,kind,target}
//	polrun_program_verified_instructions{policy,program,kind,target}
//	polrun_bpf_stats_enabled                 1 when the kernel counts program runs
//	polrun_kernel_memory_bytes{policy,part}  memlock of a policy's maps or programs
//	                                         (part), the base's with policy=""
//	polrun_user_actions_total{action,result} GetUrl and DnsLookup actions: ok,
//	                                         failed, dropped (queue full)
//	polrun_user_actions_pending{action}      queued or running
//
// Programs count runs and run time only while kernel.bpf_stats_enabled is
// 1 (sysctl -w kernel.bpf_stats_enabled=1, or polrun --bpf-stats, which
// enables it for as long as polrun runs); otherwise those counters stay 0
// and polrun_bpf_stats_enabled says why. The base's programs have
// policy="". Go runtime and process metrics are included.
//
//	polrun_export_events_total{result}       written, filtered, rate_limited
//
// The listener serves /healthz (liveness: 200 while the process answers)
// and /readyz (readiness, health.go: 200 when the base is attached, the
// reader caught up with the ring buffer within its deadline and no policy
// nor bundle file fails; 503 with the reasons otherwise).
//
// Every method is safe for concurrent use and does nothing on a nil
// *Metrics, so callers need not check whether metrics are on.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/export"
	"github.com/polc-dev/polc/loader/useractions"
)

// Metrics is polrun's registry.
type Metrics struct {
	pinRoot  string
	reg      *prometheus.Registry
	events   *prometheus.CounterVec
	failures *prometheus.CounterVec
	loads    *prometheus.CounterVec

	mu sync.Mutex
	// stream is the stream being read, if any; closed streams' counts
	// are kept in past so that the lost-events counters never go back.
	stream *loader.Stream
	past   loader.StreamStats
	// statsHeld: this process keeps the kernel's run statistics on (a
	// BPF_ENABLE_STATS descriptor), which the sysctl does not show.
	statsHeld bool
	// userActions runs GetUrl and DnsLookup; pastActions keeps the
	// counts of runners it replaced (useractions.go).
	userActions *useractions.Runner
	pastActions useractions.Stats
	// exportStats are the counts of the export (export.go).
	exportStats func() export.Stats
	health      health
}

// New makes the metrics of a polrun working under pinRoot.
func New(pinRoot string) *Metrics {
	m := &Metrics{
		pinRoot: pinRoot,
		reg:     prometheus.NewRegistry(),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polrun_events_total", Help: "Events read from the ring buffer and printed, by policy and hook (kind and target); process_exec and process_exit events have kind process_exec or process_exit and no policy.",
		}, []string{"policy", "kind", "target"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polrun_load_failures_total", Help: "Bundles that failed to load (or to verify), by file name.",
		}, []string{"bundle"}),
		loads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polrun_loads_total", Help: "Policies loaded or replaced, by policy.",
		}, []string{"policy"}),
		health: health{deadline: DefaultReaderDeadline},
	}
	m.reg.MustRegister(m.events, m.failures, m.loads, (*state)(m), (*userActionState)(m), (*exportState)(m),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where the metrics are registered, for adding more.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// StatsHeld says that this process keeps the kernel's program statistics
// on through a BPF_ENABLE_STATS descriptor (polrun --bpf-stats), so that
// polrun_bpf_stats_enabled is 1 although the sysctl reads 0.
func (m *Metrics) StatsHeld() {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.statsHeld = true
	m.mu.Unlock()
}

// Event counts a policy event.
func (m *Metrics) Event(ev *loader.Event) {
	if m == nil || ev == nil {
		return
	}
	if ev.Hook == nil {
		m.EventOf(ev.Policy, ev.Kind, "") // process_exec, process_exit
		return
	}
	m.EventOf(ev.Policy, ev.Hook.Kind, ev.Hook.Target)
}

// EventOf counts a policy event of a hook, for readers that get events
// already decoded (a client of the pin root's reader, package eventbus).
func (m *Metrics) EventOf(policy, hookKind, hookTarget string) {
	if m == nil {
		return
	}
	m.events.WithLabelValues(policy, hookKind, hookTarget).Inc()
}

// LoadFailed counts a bundle that failed to load.
func (m *Metrics) LoadFailed(bundle string) {
	if m == nil {
		return
	}
	m.failures.WithLabelValues(bundle).Inc()
}

// Loaded counts a policy loaded or replaced.
func (m *Metrics) Loaded(policy string) {
	if m == nil {
		return
	}
	m.loads.WithLabelValues(policy).Inc()
}

// SetStream makes s the stream whose counts of lost records are exported;
// nil when the stream is closed. The counts of the stream it replaces are
// kept.
func (m *Metrics) SetStream(s *loader.Stream) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stream != nil {
		st := m.stream.Stats()
		m.past.Dropped += st.DroppedBefore + st.Dropped
		m.past.Undecodable += st.Undecodable
		m.past.ReadErrors += st.ReadErrors
	}
	m.stream = s
}

// lost returns the totals of lost records.
func (m *Metrics) lost() (ringFull, undecodable, readErrors uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ringFull, undecodable, readErrors = m.past.Dropped, m.past.Undecodable, m.past.ReadErrors
	if m.stream != nil {
		st := m.stream.Stats()
		ringFull += st.DroppedBefore + st.Dropped
		undecodable += st.Undecodable
		readErrors += st.ReadErrors
	}
	return
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Server serves /metrics on a listening address.
type Server struct {
	// Addr is the address it listens on (with the port chosen, for ":0").
	Addr string
	srv  *http.Server
	done chan error
}

// Listen starts serving /metrics on addr. Failing to listen is an error
// here, not later.
func (m *Metrics) Listen(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	mux.HandleFunc("/healthz", healthz)
	mux.HandleFunc("/readyz", m.readyz)
	s := &Server{Addr: ln.Addr().String(), done: make(chan error, 1),
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Close stops serving, letting scrapes in progress finish for a moment.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// state collects, at each scrape, what is read from the stream and the
// pins.
type state Metrics

var (
	lostDesc = prometheus.NewDesc("polrun_events_lost_total",
		"Records lost: ring_buffer_full counts what programs could not post (the base's polc_drops counter, since the base was loaded), undecodable what polrun could not decode, read_error failed reads.",
		[]string{"reason"}, nil)
	policiesDesc = prometheus.NewDesc("polrun_policies_loaded", "Policies loaded under the pin root.", nil, nil)
	policyDesc   = prometheus.NewDesc("polrun_policy_info", "1 for each loaded policy.",
		[]string{"policy", "policy_id", "bundle_sha256"}, nil)
	runsDesc = prometheus.NewDesc("polrun_program_runs_total",
		"Times a program ran; counted only while kernel.bpf_stats_enabled=1 (see polrun_bpf_stats_enabled). policy is empty for the base's programs.",
		[]string{"policy", "program", "kind", "target"}, nil)
	runTimeDesc = prometheus.NewDesc("polrun_program_run_seconds_total",
		"Time programs ran; counted only while kernel.bpf_stats_enabled=1.",
		[]string{"policy", "program", "kind", "target"}, nil)
	insnsDesc = prometheus.NewDesc("polrun_program_verified_instructions",
		"Instructions the verifier processed when the program was loaded.",
		[]string{"policy", "program", "kind", "target"}, nil)
	statsDesc = prometheus.NewDesc("polrun_bpf_stats_enabled",
		"1 when kernel.bpf_stats_enabled is on, so that programs count runs and run time.", nil, nil)
	postedDesc = prometheus.NewDesc("polrun_policy_events_posted_total",
		"Records the policy's programs posted to the ring buffer, since it was loaded.", []string{"policy"}, nil)
	enforcedDesc = prometheus.NewDesc("polrun_policy_enforcements_total",
		"Enforcement actions (Sigkill, Signal, Override, NotifyEnforcer) the policy's programs carried out, since it was loaded; none in monitor mode.",
		[]string{"policy"}, nil)
	policyLostDesc = prometheus.NewDesc("polrun_policy_events_lost_total",
		"Records the policy's programs could not post (ring buffer full), since it was loaded.", []string{"policy"}, nil)
	scrapeErrDesc = prometheus.NewDesc("polrun_scrape_error",
		"1 when the pins could not be listed at this scrape.", nil, nil)
	memoryDesc = prometheus.NewDesc("polrun_kernel_memory_bytes",
		"Kernel memory (memlock) of a policy's own maps and programs, or of the base's (policy empty: the shared ring buffer and process table, and the base's programs).",
		[]string{"policy", "part"}, nil)
)

func (s *state) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{lostDesc, policiesDesc, policyDesc, runsDesc, runTimeDesc, insnsDesc, statsDesc, scrapeErrDesc, failingDesc, readyDesc, memoryDesc,
		postedDesc, enforcedDesc, policyLostDesc} {
		ch <- d
	}
}

// emit sends a metric; label values that Prometheus refuses (not UTF-8:
// pin names come from bpffs) leave it out rather than fail the scrape.
func emit(ch chan<- prometheus.Metric, d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
	if m, err := prometheus.NewConstMetric(d, t, v, labels...); err == nil {
		ch <- m
	}
}

func (s *state) Collect(ch chan<- prometheus.Metric) {
	ringFull, undecodable, readErrors := (*Metrics)(s).lost()
	s.mu.Lock()
	held := s.statsHeld
	s.mu.Unlock()
	emit(ch, lostDesc, prometheus.CounterValue, float64(ringFull), "ring_buffer_full")
	emit(ch, lostDesc, prometheus.CounterValue, float64(undecodable), "undecodable")
	emit(ch, lostDesc, prometheus.CounterValue, float64(readErrors), "read_error")

	st, err := loader.List(&loader.Options{PinRoot: s.pinRoot})
	if err != nil {
		emit(ch, scrapeErrDesc, prometheus.GaugeValue, 1)
		return
	}
	emit(ch, scrapeErrDesc, prometheus.GaugeValue, 0)
	emit(ch, statsDesc, prometheus.GaugeValue, bool01(st.StatsEnabled || held))
	emit(ch, policiesDesc, prometheus.GaugeValue, float64(len(st.Policies)))
	programs := func(policy string, ps []loader.ProgramStatus) {
		for _, p := range ps {
			if p.Err != nil {
				continue
			}
			kind, target := splitHook(p.Hook)
			emit(ch, runsDesc, prometheus.CounterValue, float64(p.RunCount), policy, p.Name, kind, target)
			emit(ch, runTimeDesc, prometheus.CounterValue, p.RunTime.Seconds(), policy, p.Name, kind, target)
			emit(ch, insnsDesc, prometheus.GaugeValue, float64(p.VerifiedInsns), policy, p.Name, kind, target)
		}
	}
	memory := func(policy string, k loader.KernelMemory) {
		emit(ch, memoryDesc, prometheus.GaugeValue, float64(k.Maps), policy, "maps")
		emit(ch, memoryDesc, prometheus.GaugeValue, float64(k.Programs), policy, "programs")
	}
	if st.Base != nil {
		programs("", st.Base.Programs)
		memory("", st.Base.Memory)
		if c := st.Base.Counters; c != nil {
			emit(ch, postedDesc, prometheus.CounterValue, float64(c.Posted), "")
			emit(ch, policyLostDesc, prometheus.CounterValue, float64(c.Lost), "")
		}
	}
	failing := (*Metrics)(s).failingPolicies(st, (*Metrics)(s).currentBundleFailures())
	for _, p := range st.Policies {
		emit(ch, policyDesc, prometheus.GaugeValue, 1,
			p.Name, strconv.FormatUint(uint64(p.PolicyID), 10), p.BundleSHA256)
		_, bad := failing[p.Name]
		emit(ch, failingDesc, prometheus.GaugeValue, bool01(bad), p.Name)
		if c := p.Counters; c != nil {
			emit(ch, postedDesc, prometheus.CounterValue, float64(c.Posted), p.Name)
			emit(ch, enforcedDesc, prometheus.CounterValue, float64(c.Enforced), p.Name)
			emit(ch, policyLostDesc, prometheus.CounterValue, float64(c.Lost), p.Name)
		}
		programs(p.Name, p.Programs)
		memory(p.Name, p.Memory)
	}
	// Policies whose first load failed are not loaded, but failing.
	loaded := map[string]bool{}
	for _, p := range st.Policies {
		loaded[p.Name] = true
	}
	for p := range failing {
		if !loaded[p] {
			emit(ch, failingDesc, prometheus.GaugeValue, 1, p)
		}
	}
	emit(ch, readyDesc, prometheus.GaugeValue, bool01(len((*Metrics)(s).Ready()) == 0))
}

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
