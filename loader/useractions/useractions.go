// Package useractions takes the actions a policy leaves to user space:
// GetUrl (an HTTP GET of the selector's argUrl) and DnsLookup (a DNS query
// for its argFqdn), as Tetragon does after an event arrives, typically to
// trigger a canary token or a webhook.
//
// An action runs once per event, and only for the selector that matched:
// the record names it (bpf.Header.Selector), and the manifest's
// bpf.Selector carries the URL and FQDN. Actions run on a fixed pool of
// workers fed by a bounded queue. Handle never blocks: when the queue is
// full the action is dropped and counted, so that a slow or unreachable
// endpoint never holds up the event stream. Each action has a timeout and
// is tried once; failures are counted, with the last error kept for
// reports.
package useractions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/polc-dev/polc/loader"
)

// Kind is an action taken in user space.
type Kind int

const (
	GetURL Kind = iota
	DNSLookup
	numKinds
)

func (k Kind) String() string {
	if k == GetURL {
		return "GetUrl"
	}
	return "DnsLookup"
}

// Defaults of Options.
const (
	DefaultTimeout = 5 * time.Second
	DefaultWorkers = 4
	DefaultQueue   = 256
)

// Options configure a Runner. The zero value uses the defaults and the
// system's resolver.
type Options struct {
	// DNSServer is the resolver DnsLookup queries, host[:port] (port 53
	// when absent). Empty means the first nameserver of
	// /etc/resolv.conf, or 127.0.0.1:53 without one.
	DNSServer string
	// Timeout bounds each action: the whole HTTP exchange, or the wait
	// for the DNS answer. DefaultTimeout when 0.
	Timeout time.Duration
	// Workers is how many actions run at once; DefaultWorkers when 0.
	Workers int
	// Queue is how many actions may wait for a worker; DefaultQueue when
	// 0. Beyond that, new actions are dropped and counted.
	Queue int
	// Client does the GETs; when nil, a client of its own (which uses
	// the proxy of $HTTP_PROXY and friends, except for loopback).
	Client *http.Client
}

// Counts are what a Runner did with actions of one kind.
type Counts struct {
	Queued    uint64 // accepted into the queue
	Succeeded uint64
	Failed    uint64 // an error, a timeout, HTTP status 400 or more, a DNS rcode other than NOERROR
	Dropped   uint64 // the queue was full
}

// Stats are a Runner's counts, by Kind, and its last failure.
type Stats struct {
	Kinds [numKinds]Counts
	// LastError describes the last failure: the action, its target and
	// why.
	LastError string
}

// Of returns the counts of kind k.
func (s Stats) Of(k Kind) Counts { return s.Kinds[k] }

// Runner runs the user-space actions of events.
type Runner struct {
	o      Options
	dns    string
	client *http.Client
	jobs   chan job
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
	stats  Stats
}

// job is one action to take.
type job struct {
	kind   Kind
	target string // the URL or the FQDN
}

// Start validates o and starts the workers.
func Start(o Options) (*Runner, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Queue <= 0 {
		o.Queue = DefaultQueue
	}
	server := o.DNSServer
	if server == "" {
		server = systemNameserver("/etc/resolv.conf")
	}
	dns, err := dnsAddress(server)
	if err != nil {
		return nil, err
	}
	r := &Runner{o: o, dns: dns, client: o.Client, jobs: make(chan job, o.Queue)}
	if r.client == nil {
		r.client = &http.Client{Transport: &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: o.Timeout}).DialContext,
			MaxIdleConnsPerHost: o.Workers,
			IdleConnTimeout:     30 * time.Second,
		}}
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	for range o.Workers {
		r.wg.Add(1)
		go r.work()
	}
	return r, nil
}

// DNSServer is the resolver address DnsLookup queries.
func (r *Runner) DNSServer() string { return r.dns }

// Handle queues the actions of the selector that matched ev, if it has
// any, and returns how many it queued. It never blocks.
func (r *Runner) Handle(ev *loader.Event) int {
	if r == nil || ev == nil || ev.Hook == nil || ev.Header.Selector == 0 {
		return 0
	}
	index := int(ev.Header.Selector) - 1
	n := 0
	for _, s := range ev.Hook.Selectors {
		if s.Index != index {
			continue
		}
		if s.URL != "" && r.queue(job{GetURL, s.URL}) {
			n++
		}
		if s.FQDN != "" && r.queue(job{DNSLookup, s.FQDN}) {
			n++
		}
		break
	}
	return n
}

func (r *Runner) queue(j job) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		r.stats.Kinds[j.kind].Dropped++
		return false
	}
	select {
	case r.jobs <- j:
		r.stats.Kinds[j.kind].Queued++
		return true
	default:
		r.stats.Kinds[j.kind].Dropped++
		return false
	}
}

// Stats returns the counts so far.
func (r *Runner) Stats() Stats {
	if r == nil {
		return Stats{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// Close stops accepting actions and waits for the queued ones until ctx
// is done; those still running then are cancelled (and count as failed).
func (r *Runner) Close(ctx context.Context) {
	if r == nil {
		return
	}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	close(r.jobs)
	r.mu.Unlock()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		r.cancel()
		<-done
	}
	r.cancel()
}

func (r *Runner) work() {
	defer r.wg.Done()
	for j := range r.jobs {
		err := r.run(j)
		r.mu.Lock()
		if err != nil {
			r.stats.Kinds[j.kind].Failed++
			r.stats.LastError = fmt.Sprintf("%s %s: %v", j.kind, j.target, err)
		} else {
			r.stats.Kinds[j.kind].Succeeded++
		}
		r.mu.Unlock()
	}
}

func (r *Runner) run(j job) error {
	ctx, cancel := context.WithTimeout(r.ctx, r.o.Timeout)
	defer cancel()
	if j.kind == GetURL {
		return r.get(ctx, j.target)
	}
	return lookup(ctx, r.dns, j.target)
}

// maxBody is how much of a response body is read (so that the connection
// can be reused) before it is closed.
const maxBody = 64 << 10

func (r *Runner) get(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "polrun")
	resp, err := r.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("timed out after %v", r.o.Timeout)
		}
		return err
	}
	defer resp.Body.Close()
	io.CopyN(io.Discard, resp.Body, maxBody)
	if resp.StatusCode >= 400 {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	return nil
}
