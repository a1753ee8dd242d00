package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/polc-dev/polc/loader/export"
)

var exportDesc = prometheus.NewDesc("polrun_export_events_total",
	"Events offered to the export (stdout or --export-file), by result: written; filtered (by --export-allowlist or --export-denylist); rate_limited (dropped by --export-rate-limit, also reported in rate_limit_info events).",
	[]string{"result"}, nil)

// SetExport makes stats the source of the export's counts.
func (m *Metrics) SetExport(stats func() export.Stats) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.exportStats = stats
	m.mu.Unlock()
}

// exportState collects the export's counts, 0 until there is an export.
type exportState Metrics

func (s *exportState) Describe(ch chan<- *prometheus.Desc) { ch <- exportDesc }

func (s *exportState) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	f := s.exportStats
	s.mu.Unlock()
	var st export.Stats
	if f != nil {
		st = f()
	}
	emit(ch, exportDesc, prometheus.CounterValue, float64(st.Written), "written")
	emit(ch, exportDesc, prometheus.CounterValue, float64(st.Filtered), "filtered")
	emit(ch, exportDesc, prometheus.CounterValue, float64(st.RateLimited), "rate_limited")
}
