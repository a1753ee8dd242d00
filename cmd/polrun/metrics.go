package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/loader/metrics"
)

// metricsFlags are the flags of the commands that stream events.
type metricsFlags struct {
	addr           *string
	bpfStats       *bool
	readerDeadline *time.Duration
}

func addMetricsFlags(fs *flag.FlagSet) metricsFlags {
	return metricsFlags{
		addr:           fs.String("metrics-addr", "", "serve Prometheus metrics on http://ADDR/metrics, liveness on /healthz and readiness on /readyz: HOST:PORT, or :PORT for 127.0.0.1:PORT (give 0.0.0.0:PORT to serve every interface): events by policy and hook, lost events, load failures, loaded policies, per-program run count and time (those need the sysctl kernel.bpf_stats_enabled=1, or --bpf-stats)"),
		readerDeadline: fs.Duration("reader-deadline", metrics.DefaultReaderDeadline, "/readyz on the metrics listener fails when the event reader has not caught up with the ring buffer for this long (it checks at least every second)"),
		bpfStats:       fs.Bool("bpf-stats", false, "make the kernel count program runs and run time while polrun runs (as kernel.bpf_stats_enabled=1; it costs a little on every program run)"),
	}
}

// start turns on what the flags ask for. The returned Metrics is nil
// without --metrics-addr (its methods do nothing then); stop undoes
// everything.
func (f metricsFlags) start(pinRoot string, stderr io.Writer) (m *metrics.Metrics, stop func(), err error) {
	var closers []io.Closer
	stop = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i].Close()
		}
	}
	if *f.bpfStats {
		c, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME))
		if err != nil {
			return nil, stop, fmt.Errorf("--bpf-stats: %w", err)
		}
		closers = append(closers, c)
	}
	if *f.addr == "" {
		return nil, stop, nil
	}
	m = metrics.New(pinRoot)
	if f.readerDeadline != nil {
		m.SetReaderDeadline(*f.readerDeadline)
	}
	if *f.bpfStats {
		m.StatsHeld()
	}
	srv, err := m.Listen(metricsListenAddr(*f.addr))
	if err != nil {
		stop()
		return nil, func() {}, err
	}
	closers = append(closers, srv)
	fmt.Fprintf(stderr, "polrun: metrics on http://%s/metrics\n", srv.Addr)
	return m, stop, nil
}

// metricsListenAddr is where --metrics-addr ADDR listens: an address
// without a host (":9090") means the loopback interface, not every
// interface as it does to net.Listen, so that metrics are not exposed to
// the network unless asked for by naming a host ("0.0.0.0:9090").
func metricsListenAddr(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "127.0.0.1" + addr
	}
	return addr
}
