package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/polc-dev/polc/internal/termtext"
	"github.com/polc-dev/polc/loader/useractions"
)

// actionFlags configure GetUrl and DnsLookup, which polrun takes when it
// reads an event of a selector that has them.
type actionFlags struct {
	dnsServer *string
	timeout   *time.Duration
	workers   *int
	queue     *int
}

func addActionFlags(fs *flag.FlagSet) actionFlags {
	return actionFlags{
		dnsServer: fs.String("dns-server", "", "resolver DnsLookup actions query, host[:port] (default: the first nameserver of /etc/resolv.conf)"),
		timeout:   fs.Duration("action-timeout", useractions.DefaultTimeout, "time limit of each GetUrl and DnsLookup action"),
		workers:   fs.Int("action-workers", useractions.DefaultWorkers, "GetUrl and DnsLookup actions run at once"),
		queue:     fs.Int("action-queue", useractions.DefaultQueue, "GetUrl and DnsLookup actions that may wait; beyond, actions are dropped and counted (events never wait)"),
	}
}

// problem is the usage error in the action flags, "" when there is none.
func (f actionFlags) problem() string {
	switch {
	case *f.timeout <= 0:
		return "--action-timeout must be above 0"
	case *f.workers <= 0:
		return "--action-workers must be above 0"
	case *f.queue <= 0:
		return "--action-queue must be above 0"
	}
	if err := useractions.CheckDNSServer(*f.dnsServer); err != nil {
		return "--dns-server: " + err.Error()
	}
	return ""
}

func (f actionFlags) start() (*useractions.Runner, error) {
	return useractions.Start(useractions.Options{DNSServer: *f.dnsServer, Timeout: *f.timeout,
		Workers: *f.workers, Queue: *f.queue})
}

// stop lets the queued actions finish, for at most one action timeout.
func (f actionFlags) stop(r *useractions.Runner) {
	ctx, cancel := context.WithTimeout(context.Background(), *f.timeout)
	defer cancel()
	r.Close(ctx)
}

// actionFailureInterval is the least time between two reports of failed
// actions: a policy whose GetUrl fails on every event must not flood
// stderr. The counts are cumulative, so nothing is lost in between.
const actionFailureInterval = 10 * time.Second

// actionClock is the reporter's clock (a test's fake one).
var actionClock = time.Now

// maxActionError bounds the last error quoted in a report: it holds the
// action's target (a URL of any length, from the event), often twice.
const maxActionError = 512

// actionReporter returns a function that reports on stderr the actions
// that failed (at most once per actionFailureInterval) or were dropped
// since it last did, and all counts at the end (when there were any
// actions).
func actionReporter(stats func() useractions.Stats, stderr io.Writer) func(final bool) {
	var last useractions.Stats
	var lastFailReport time.Time
	return func(final bool) {
		st := stats()
		failNow := final || actionClock().Sub(lastFailReport) >= actionFailureInterval
		failed := false
		for _, k := range []useractions.Kind{useractions.GetURL, useractions.DNSLookup} {
			c, p := st.Of(k), last.Of(k)
			if c.Failed != p.Failed && failNow {
				failed = true
				fmt.Fprintf(stderr, "polrun: %d %s actions failed (last: %s)\n", c.Failed, k,
					termtext.Line(termtext.Truncate(st.LastError, maxActionError)))
			}
			if c.Dropped != p.Dropped {
				fmt.Fprintf(stderr, "polrun: %d %s actions dropped: the queue was full (--action-queue, --action-workers)\n", c.Dropped, k)
			}
			if final && c.Queued+c.Dropped > 0 {
				fmt.Fprintf(stderr, "polrun: %s: %d done, %d failed, %d dropped\n", k, c.Succeeded, c.Failed, c.Dropped)
			}
		}
		if failed {
			lastFailReport = actionClock()
		}
		if failNow {
			last = st
		} else {
			// Keep the failures unreported for the next report; the
			// dropped ones were reported.
			for _, k := range []useractions.Kind{useractions.GetURL, useractions.DNSLookup} {
				reported := last.Kinds[k].Failed
				last.Kinds[k] = st.Kinds[k]
				last.Kinds[k].Failed = reported
			}
		}
	}
}
