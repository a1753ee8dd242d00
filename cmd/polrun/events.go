package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/polc-dev/polc/internal/cliflags"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/eventbus"
	"github.com/polc-dev/polc/loader/export"
	"github.com/polc-dev/polc/loader/metrics"
	"github.com/polc-dev/polc/loader/useractions"
)

type eventFlags struct {
	format   *string
	policies *policyList
	nodeName *string
	duration *time.Duration
	actions  actionFlags
	export   *exportFlags
	// processEvents and ancestors: process_exec and process_exit events,
	// and their ancestors lists.
	processEvents, ancestors *bool
	// exp writes the events (export.go), made by startExport.
	exp *export.Exporter
}

func addEventFlags(fs *flag.FlagSet) eventFlags {
	ef := eventFlags{
		format:   cliflags.OutputFlag(fs, "json", "output format: json (Tetragon's export, one object per line) or compact"),
		policies: &policyList{},
		nodeName: fs.String("node-name", "", "node_name of events (default: the host name)"),
		duration: fs.Duration("duration", 0, "stop after this long (default: until SIGINT or SIGTERM)"),
		actions:  addActionFlags(fs),
		export:   addExportFlags(fs),
		processEvents: fs.Bool("process-events", true,
			"print process_exec and process_exit events (Tetragon's base events) besides the policies' events"),
		ancestors: fs.Bool("enable-ancestors", false,
			"give process_exec and process_exit events the list of the process's ancestors beyond its parent"),
	}
	fs.Var(ef.policies, "policy", "print only the events of these policies: NAME[,NAME...], or the flag repeated")
	return ef
}

// problem is the usage error in the event flags, "" when there is none.
func (f eventFlags) problem() string {
	if *f.format != "json" && *f.format != "compact" {
		return fmt.Sprintf("unknown output format %q (want json or compact)", *f.format)
	}
	if msg := f.actions.problem(); msg != "" {
		return msg
	}
	if err := f.export.check(*f.format); err != nil {
		return err.Error()
	}
	return ""
}

// startExport opens where events go (stdout or --export-file) into
// ef.exp; stop closes it, saying on stderr what failed.
func (f *eventFlags) startExport(stdout, stderr io.Writer, m *metrics.Metrics) (stop func(), err error) {
	f.exp, err = f.export.open(*f.format, *f.nodeName, stdout, stderr)
	if err != nil {
		return func() {}, err
	}
	m.SetExport(f.exp.Stats)
	return func() {
		if err := f.exp.Close(); err != nil {
			fmt.Fprintf(stderr, "polrun: %s\n", termMessage(err.Error()))
		}
	}, nil
}

// signalContext is cancelled on SIGINT or SIGTERM, or after d if d > 0.
// A closed stdout (polrun run | head) is an error of the next write, not a
// SIGPIPE that would kill polrun before run unloads.
func signalContext(d time.Duration) (context.Context, context.CancelFunc) {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if d <= 0 {
		return ctx, stop
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, func() { cancel(); stop() }
}

func runEvents(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("events", "", stderr)
	root := pinRootFlag(fs)
	ef := addEventFlags(fs)
	mf := addMetricsFlags(fs)
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return usageError(fs, fmt.Sprintf("unexpected argument %q: events takes none (--policy NAME selects a policy)", rest[0]))
	}
	if msg := ef.problem(); msg != "" {
		return usageError(fs, msg)
	}
	// The ring buffer, and the reader's socket in a root-only directory,
	// are root's: without privileges say so, not what fails first.
	if err := loader.CheckPrivileges("reading events"); err != nil {
		return fail(stderr, err)
	}
	warnNotLoaded(*root, *ef.policies, stderr)
	ctx, cancel := signalContext(*ef.duration)
	defer cancel()
	m, stopMetrics, err := mf.start(*root, stderr)
	defer stopMetrics()
	if err != nil {
		return fail(stderr, err)
	}
	stopExport, err := ef.startExport(stdout, stderr, m)
	defer stopExport()
	if err != nil {
		return fail(stderr, err)
	}
	if err := readEvents(ctx, *root, ef, readerMode{command: "polrun events"}, stdout, stderr, m); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// warnNotLoaded says on stderr which policies --policy names are not
// loaded: events waits for them (they may be loaded later), but a
// misspelt name would otherwise print nothing, forever, without a word.
func warnNotLoaded(root string, policies policyList, stderr io.Writer) {
	if len(policies) == 0 {
		return
	}
	st, err := loader.List(&loader.Options{PinRoot: root})
	if err != nil {
		return // reading events reports what is wrong with the pin root
	}
	var names []string
	loadedNames := map[string]bool{}
	for _, p := range st.Policies {
		names = append(names, p.Name)
		loadedNames[p.Name] = true
		for _, m := range p.Members { // a policy set's events name its members
			loadedNames[m.Name] = true
		}
	}
	loaded := "none is loaded"
	if len(names) > 0 {
		loaded = "loaded: " + strings.Join(names, ", ")
	}
	for _, policy := range policies {
		if !loadedNames[policy] {
			fmt.Fprintf(stderr, "polrun events: policy %s is not loaded (%s); waiting for its events\n", termMessage(policy), termMessage(loaded))
		}
	}
}

func runRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", "BUNDLE...", stderr)
	lf := addLoadFlags(fs)
	ef := addEventFlags(fs)
	mf := addMetricsFlags(fs)
	paths, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		return usageError(fs, "give the bundles to run")
	}
	if msg := ef.problem(); msg != "" {
		return usageError(fs, msg)
	}
	o, err := lf.options()
	if err != nil {
		return optionsError(fs, stderr, err)
	}
	// Attachments a kernel before 5.15 cannot pin stay while run runs.
	o.Hold = loader.NewHolder()
	defer o.Hold.Close()
	if code, ok := checkInputs(paths, stderr); !ok {
		return code
	}
	ctx, cancel := signalContext(*ef.duration)
	defer cancel()
	trusted, err := trustedKeys(*lf.verify)
	if err != nil {
		return fail(stderr, err)
	}
	m, stopMetrics, err := mf.start(o.PinRoot, stderr)
	defer stopMetrics()
	if err != nil {
		return fail(stderr, err)
	}
	stopExport, err := ef.startExport(stdout, stderr, m)
	defer stopExport()
	if err != nil {
		return fail(stderr, err)
	}
	for _, p := range paths {
		m.Bundle(filepath.Base(p))
	}
	// Status lines go to stderr: stdout carries only events.
	loaded, err := load(paths, o, trusted, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	var names []string
	for _, l := range loaded {
		names = append(names, l.Name)
		m.Loaded(l.Name)
	}
	// Unload even when streaming failed: run leaves nothing behind. As
	// the reader, run unloads before telling its clients it stops.
	var unloadErr error
	unloaded := false
	unload := func() {
		if unloaded {
			return
		}
		unloaded = true
		if err := loader.Unload(names, o); err != nil {
			unloadErr = fmt.Errorf("unload: %w", err)
			return
		}
		fmt.Fprintf(stderr, "unloaded %v\n", names)
	}
	streamErr := readEvents(ctx, o.PinRoot, ef, readerMode{command: "polrun run", beforeClose: unload}, stdout, stderr, m)
	unload()
	if unloadErr != nil {
		return fail(stderr, unloadErr)
	}
	if streamErr != nil {
		return fail(stderr, streamErr)
	}
	return exitOK
}

// writeError: the events could not be written (a closed pipe).
type writeError struct{ err error }

func (e *writeError) Error() string { return "write events: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// readerMode says who reads events and how.
type readerMode struct {
	// command names this process to others ("polrun serve").
	command string
	// waitForBase: no base loaded yet, or a failure of the ring buffer
	// reader, is not the end: open the stream again (serve).
	waitForBase bool
	// logf reports retries (serve); nil when errors end the stream.
	logf func(format string, args ...any)
	// beforeClose runs, as the reader, before clients are told it
	// stops (run unloads its policies, so that a client taking over
	// does not start reading a base about to go).
	beforeClose func()
}

// readEvents prints events until ctx is done. There is one reader of a
// pin root's ring buffer: the first process to take its reader lock
// reads it and serves the events to the others (package eventbus). So
// when the lock is free this process reads, else it attaches to the
// reader as a client, and takes over when the reader stops.
func readEvents(ctx context.Context, root string, ef eventFlags, mode readerMode, stdout, stderr io.Writer, m *metrics.Metrics) error {
	var failingSince time.Time
	for {
		lk, err := loader.LockReader(root, mode.command)
		if err == nil {
			return ownEvents(ctx, lk, ef, mode, stdout, stderr, m)
		}
		var busy *loader.ReaderBusyError
		if !errors.As(err, &busy) {
			return err
		}
		err = attachEvents(ctx, busy, ef, stdout, stderr, m)
		var gone *eventbus.OwnerGoneError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &gone):
			fmt.Fprintf(stderr, "polrun: %v; taking over\n", err)
			failingSince = time.Time{}
			continue
		case errors.Is(err, errAttach):
			// The reader is starting (no socket yet) or died (the lock
			// is free again): try both for a few seconds.
			if failingSince.IsZero() {
				failingSince = time.Now()
			} else if time.Since(failingSince) > 5*time.Second {
				return fmt.Errorf("pid %d (%s) reads the events of %s but does not serve them (not polrun, or an older one): %w",
					busy.PID, busy.Command, busy.PinRoot, err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		return err
	}
}

// errAttach: the reader's socket could not be reached.
var errAttach = errors.New("cannot attach to the reader")

// attachEvents prints the events a reader serves until it stops (an
// *eventbus.OwnerGoneError) or ctx is done.
func attachEvents(ctx context.Context, busy *loader.ReaderBusyError, ef eventFlags, stdout, stderr io.Writer, m *metrics.Metrics) error {
	// One policy is filtered by the reader; several here. The process
	// events are the reader's: as it was started (with or without them,
	// and their ancestors); this client can leave them out.
	src := &clientSource{policies: *ef.policies, noProcessEvents: !*ef.processEvents}
	one := ""
	if len(*ef.policies) == 1 {
		one = (*ef.policies)[0]
	}
	c, err := eventbus.Dial(filepath.Dir(busy.Socket), eventbus.ClientOptions{
		Format: eventbus.Format(*ef.format), Policy: one, OnLost: src.lostRun})
	if errors.Is(err, eventbus.ErrRefused) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errAttach, err)
	}
	w := c.Welcome
	if *ef.nodeName != "" {
		fmt.Fprintln(stderr, "polrun: --node-name has no effect on a client: the events carry the reader's node name")
	}
	fmt.Fprintf(stderr, "polrun: pid %d (%s) reads the events of %s: printing them from its socket %s, from its event #%d on; it takes the policies' GetUrl and DnsLookup actions\n",
		w.PID, w.Command, w.PinRoot, busy.Socket, w.Seq)
	src.c, src.first, src.end = c, c.Welcome.Seq, c.Welcome.Seq
	return printEvents(ctx, src, ef, stdout, stderr, m)
}

// ownEvents reads the ring buffer, holding the reader lock lk, prints its
// events and serves them to clients, until ctx is done.
func ownEvents(ctx context.Context, lk *loader.ReaderLock, ef eventFlags, mode readerMode, stdout, stderr io.Writer, m *metrics.Metrics) error {
	defer lk.Release()
	hub, err := eventbus.Listen(eventbus.HubOptions{Lock: lk, Command: mode.command})
	if err != nil {
		return err
	}
	defer func() {
		if mode.beforeClose != nil {
			mode.beforeClose()
		}
		hub.Close(fmt.Sprintf("%s stopped", mode.command))
	}()
	var lastErr string
	for {
		// Every policy's events, for the clients; --policy filters what
		// this process prints.
		s, err := loader.OpenStream(&loader.StreamOptions{PinRoot: lk.PinRoot(), NodeName: *ef.nodeName, Lock: lk,
			ProcessEvents: *ef.processEvents, Ancestors: *ef.ancestors})
		if err == nil {
			lastErr = ""
			err = printEvents(ctx, &streamSource{s: s, hub: hub, format: *ef.format, policies: *ef.policies}, ef, stdout, stderr, m)
			if err == nil || ctx.Err() != nil {
				return nil
			}
		}
		var werr *writeError
		if !mode.waitForBase || errors.As(err, &werr) {
			return err
		}
		if !errors.Is(err, loader.ErrNoBase) && err.Error() != lastErr {
			mode.logf("events: %v (retrying)", err)
			lastErr = err.Error()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// eventSource is where printEvents gets its events: the ring buffer, as
// the pin root's reader, or the reader's socket, as a client.
type eventSource interface {
	// next returns the next event's line, appended to buf, and the event
	// when it was decoded here (for GetUrl and DnsLookup actions).
	// The event is valid until the next call.
	next(ctx context.Context, buf []byte) ([]byte, sourceEvent, error)
	// caughtUp says that no event waits (for readiness, and to flush the
	// output then, writing in batches while events wait); a client
	// cannot tell, and says true for each event it gets.
	caughtUp() bool
	stats() sourceStats
	setMetrics(m *metrics.Metrics)
	close()
}

type sourceEvent struct {
	ev                           *loader.Event // nil for a client
	policy, hookKind, hookTarget string
}

// sourceStats are the stream's counts, and what a client lost.
type sourceStats struct {
	loader.StreamStats
	known      bool // false until a client's reader has read a base
	client     bool
	clientLost uint64
	// first, end: the reader's events a client covered (#first to
	// #end-1, each received or counted lost, unless of another policy).
	first, end uint64
}

// streamSource reads the ring buffer and publishes each event to the
// reader's clients.
type streamSource struct {
	s      *loader.Stream
	hub    *eventbus.Hub
	format string
	// policies are the policies whose events this process prints (all
	// when empty); the stream reads every policy's, for the clients.
	policies          policyList
	printed, filtered uint64
	lastStats         time.Time
	calls             uint64 // of next
	// last is the event next returned last, given back to the stream for
	// reuse at the next call.
	last *loader.Event
}

func (r *streamSource) next(ctx context.Context, buf []byte) ([]byte, sourceEvent, error) {
	r.s.Release(r.last)
	r.last = nil
	// The clients' counts, once a second: the clock is looked at when the
	// reader has caught up or every 64 events, not for every event.
	if r.calls++; (r.calls&63 == 0 || r.s.Backlog() == 0) && time.Since(r.lastStats) >= time.Second {
		r.hub.SetStats(r.s.Stats())
		r.lastStats = time.Now()
	}
	ev, err := r.s.Next(ctx)
	for err == nil && !r.policies.has(ev.Policy) {
		r.hub.Publish(ev, nil) // for the clients of that policy
		r.filtered++
		r.s.Release(ev)
		ev, err = r.s.Next(ctx)
	}
	if err != nil {
		return buf, sourceEvent{}, err
	}
	r.printed++
	r.last = ev
	if r.format == "compact" {
		buf = ev.AppendCompact(buf)
		r.hub.Publish(ev, nil)
	} else {
		buf = ev.AppendJSON(buf)
		r.hub.Publish(ev, buf)
	}
	se := sourceEvent{ev: ev, policy: ev.Policy, hookKind: ev.Kind}
	if ev.Hook != nil {
		se.hookKind, se.hookTarget = ev.Hook.Kind, ev.Hook.Target
	}
	return buf, se, nil
}

func (r *streamSource) caughtUp() bool { return r.s.Backlog() == 0 }

// stats are the stream's, but with the events this reader printed.
func (r *streamSource) stats() sourceStats {
	st := sourceStats{StreamStats: r.s.Stats(), known: true}
	st.Events, st.Filtered = r.printed, st.Filtered+r.filtered
	return st
}

func (r *streamSource) setMetrics(m *metrics.Metrics) {
	if r.s == nil {
		m.SetStream(nil)
		return
	}
	m.SetStream(r.s)
}

// close gives the clients the events decoded but not printed (the reader
// stops): a client taking over reads on from the ring buffer, without a
// gap.
func (r *streamSource) close() {
	r.last = nil
	for _, ev := range r.s.Drain() {
		r.hub.Publish(ev, nil)
	}
	r.hub.SetStats(r.s.Stats())
	r.s.Close()
	r.s = nil
}

// clientSource reads the events a reader serves.
type clientSource struct {
	c               *eventbus.Client
	policies        policyList
	noProcessEvents bool
	events          uint64 // received
	// first and end are the reader's sequence numbers this client
	// received or was told it lost: every one from first to end-1.
	first, end uint64
}

func (r *clientSource) next(ctx context.Context, buf []byte) ([]byte, sourceEvent, error) {
	ev, err := r.c.Next(ctx)
	for err == nil && (!r.policies.has(ev.Policy) || r.noProcessEvents && isProcessKind(ev.HookKind)) {
		r.end = ev.Seq + 1
		ev, err = r.c.Next(ctx)
	}
	if err != nil {
		return buf, sourceEvent{}, err
	}
	r.events++
	r.end = ev.Seq + 1
	return append(buf, ev.Line...), sourceEvent{policy: ev.Policy, hookKind: ev.HookKind, hookTarget: ev.HookTarget}, nil
}

// isProcessKind says that an event of the reader's socket is a process
// event: its kind is process_exec or process_exit (a policy event's is
// its hook's).
func isProcessKind(kind string) bool { return kind == loader.KindExec || kind == loader.KindExit }

func (r *clientSource) lostRun(l eventbus.Lost) { r.end = l.Last + 1 }

func (r *clientSource) caughtUp() bool { return true }

// stats are the reader's counts of the stream, but the events this
// client received.
func (r *clientSource) stats() sourceStats {
	st := sourceStats{client: true, clientLost: r.c.Lost()}
	st.StreamStats, st.known = r.c.OwnerStats()
	st.Events, st.first, st.end = r.events, r.first, r.end
	return st
}

func (r *clientSource) setMetrics(*metrics.Metrics) {} // the reader exports the stream's losses
func (r *clientSource) close()                      { r.c.Close() }

// printEvents prints the events of src until ctx is done, counting them
// in m, and closes src. It reports on stderr what could not be decoded or
// read, or was lost, as it happens and at the end.
func printEvents(ctx context.Context, src eventSource, ef eventFlags, stdout, stderr io.Writer, m *metrics.Metrics) error {
	defer src.close()
	src.setMetrics(m)
	defer m.SetStream(nil)
	m.ReaderStarted()
	defer m.ReaderStopped()
	exp := ef.exp
	defer exp.Flush()
	needProcess := ef.export.needsProcess()
	// What the base cannot count, or lost before, said once it is known.
	announced := false
	announce := func(st sourceStats) {
		if announced || !st.known {
			return
		}
		announced = true
		switch {
		case !st.HasDropCounter:
			fmt.Fprintln(stderr, "polrun: the loaded base has no drop counter: records lost to a full ring buffer cannot be counted")
		case st.DroppedBefore > 0:
			fmt.Fprintf(stderr, "polrun: %d records were lost to a full ring buffer before this reader started\n", st.DroppedBefore)
		}
	}
	reported := src.stats()
	announce(reported)
	report := func(final bool) {
		st := src.stats()
		announce(st)
		if st.Undecodable != reported.Undecodable || st.ReadErrors != reported.ReadErrors {
			fmt.Fprintf(stderr, "polrun: %d records could not be decoded (last: %s), %d read errors\n",
				st.Undecodable, st.LastUndecodable, st.ReadErrors)
		}
		if st.Desyncs != reported.Desyncs {
			fmt.Fprintf(stderr, "polrun: another consumer moved the ring buffer's read position %d times: skipped %d bytes of records to get back in step\n",
				st.Desyncs, st.SkippedBytes)
		}
		if st.Dropped != reported.Dropped {
			fmt.Fprintf(stderr, "polrun: %d records lost to a full ring buffer (the reader is too slow)\n", st.Dropped)
		}
		if st.clientLost != reported.clientLost {
			fmt.Fprintf(stderr, "polrun: %d events lost: this client read too slowly (its queue at the reader was full)\n", st.clientLost)
		}
		switch {
		case final && st.client:
			fmt.Fprintf(stderr, "polrun: %d events, %d lost by this client (of the reader's events #%d to #%d); the reader counted %d undecodable, %d read errors, %d lost to a full ring buffer\n",
				st.Events, st.clientLost, st.first, int64(st.end)-1, st.Undecodable, st.ReadErrors, st.Dropped)
		case final:
			fmt.Fprintf(stderr, "polrun: %d events, %d process records, %d undecodable, %d read errors, %d lost to a full ring buffer\n",
				st.Events, st.BaseRecords, st.Undecodable, st.ReadErrors, st.Dropped)
			if st.UnknownExits > 0 {
				fmt.Fprintf(stderr, "polrun: %d exits of processes that ran and ended while the base was loaded, unknown: no process_exit for them\n", st.UnknownExits)
			}
		}
		reported = st
	}
	defer report(true)
	// GetUrl and DnsLookup of the events, stopped (and their counts
	// reported) before the final report. A client leaves them to the
	// reader, which takes them once.
	var actions *useractions.Runner
	reportActions := func(bool) {}
	if _, client := src.(*clientSource); !client {
		var err error
		if actions, err = ef.actions.start(); err != nil {
			return err
		}
		m.SetUserActions(actions)
		reportActions = actionReporter(actions.Stats, stderr)
		defer reportActions(true)
		defer func() {
			ef.actions.stop(actions)
			m.SetUserActions(nil)
		}()
	}
	var line []byte // the encoder's buffer, reused
	// Wake up every second to report problems even when no event comes,
	// or when events keep coming: tick is done a second after it was
	// made, and made again then (one context a second, not one an event).
	var tick secondTick
	tick.reset(ctx)
	defer tick.cancel()
	// periodic reports, and writes out what is buffered, once a second;
	// idle: no event came in that second.
	periodic := func(idle bool) error {
		if err := exp.Idle(); err != nil {
			return &writeError{err}
		}
		if idle {
			m.ReaderProgress(true)
		}
		report(false)
		reportActions(false)
		tick.reset(ctx)
		return nil
	}
	for {
		var ev sourceEvent
		var err error
		line, ev, err = src.next(tick.ctx, line[:0])
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, context.DeadlineExceeded) {
				if err := periodic(true); err != nil {
					return err
				}
				continue
			}
			return err
		}
		m.EventOf(ev.policy, ev.hookKind, ev.hookTarget)
		actions.Handle(ev.ev)
		// To stdout or to the export file; written in batches while
		// events wait, and flushed when none does, so that a pipe into
		// jq sees every event at once.
		meta := lineMeta(ev, line, needProcess)
		caughtUp := src.caughtUp()
		if err := exp.WriteBatched(&meta, line, !caughtUp); err != nil {
			return &writeError{err}
		}
		m.ReaderProgress(caughtUp)
		if tick.ctx.Err() != nil {
			if err := periodic(false); err != nil {
				return err
			}
		}
	}
}

// secondTick is a context done a second after reset, or with its parent.
type secondTick struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (t *secondTick) reset(parent context.Context) {
	if t.cancel != nil {
		t.cancel()
	}
	t.ctx, t.cancel = context.WithTimeout(parent, time.Second)
}
