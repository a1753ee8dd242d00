package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/polc-dev/polc/loader/useractions"
)

var (
	userActionsDesc = prometheus.NewDesc("polrun_user_actions_total",
		"GetUrl and DnsLookup actions taken after events, by result: ok; failed (an error, a timeout, an HTTP status of 400 or more, a DNS answer other than NOERROR); dropped (the queue of actions was full).",
		[]string{"action", "result"}, nil)
	userActionsPendingDesc = prometheus.NewDesc("polrun_user_actions_pending",
		"GetUrl and DnsLookup actions queued or running.", []string{"action"}, nil)
)

// SetUserActions makes r the runner whose counts are exported; nil when
// it is closed. The counts of the runner it replaces are kept.
func (m *Metrics) SetUserActions(r *useractions.Runner) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.userActions != nil {
		st := m.userActions.Stats()
		for k := range st.Kinds {
			p, c := &m.pastActions.Kinds[k], st.Kinds[k]
			p.Queued += c.Queued
			p.Succeeded += c.Succeeded
			p.Failed += c.Failed
			p.Dropped += c.Dropped
		}
	}
	m.userActions = r
}

// userActionState collects the counts of the user-space actions.
type userActionState Metrics

func (s *userActionState) Describe(ch chan<- *prometheus.Desc) {
	ch <- userActionsDesc
	ch <- userActionsPendingDesc
}

func (s *userActionState) Collect(ch chan<- prometheus.Metric) {
	s.mu.Lock()
	total := s.pastActions
	var now useractions.Stats
	if s.userActions != nil {
		now = s.userActions.Stats()
	}
	s.mu.Unlock()
	for _, k := range []useractions.Kind{useractions.GetURL, useractions.DNSLookup} {
		t, c := total.Of(k), now.Of(k)
		action := k.String()
		emit(ch, userActionsDesc, prometheus.CounterValue, float64(t.Succeeded+c.Succeeded), action, "ok")
		emit(ch, userActionsDesc, prometheus.CounterValue, float64(t.Failed+c.Failed), action, "failed")
		emit(ch, userActionsDesc, prometheus.CounterValue, float64(t.Dropped+c.Dropped), action, "dropped")
		emit(ch, userActionsPendingDesc, prometheus.GaugeValue, float64(c.Queued-c.Succeeded-c.Failed), action)
	}
}
