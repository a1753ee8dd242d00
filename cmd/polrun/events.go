package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/metrics"
)

type eventFlags struct {
	format   *string
	policy   *string
	nodeName *string
	duration *time.Duration
	actions  actionFlags
}

func addEventFlags(fs *flag.FlagSet) eventFlags {
	return eventFlags{
		format:   fs.String("o", "json", "output format: json (Tetragon's export, one object per line) or compact"),
		policy:   fs.String("policy", "", "print only this policy's events"),
		nodeName: fs.String("node-name", "", "node_name of events (default: the host name)"),
		duration: fs.Duration("duration", 0, "stop after this long (default: until SIGINT or SIGTERM)"),
		actions:  addActionFlags(fs),
	}
}

func (f eventFlags) valid() bool {
	return (*f.format == "json" || *f.format == "compact") && f.actions.valid()
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
	if len(rest) > 0 || !ef.valid() {
		fs.Usage()
		return exitUsage
	}
	ctx, cancel := signalContext(*ef.duration)
	defer cancel()
	m, stopMetrics, err := mf.start(*root, stderr)
	defer stopMetrics()
	if err != nil {
		return fail(stderr, err)
	}
	if err := stream(ctx, *root, ef, stdout, stderr, m); err != nil {
		return fail(stderr, err)
	}
	return exitOK
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
	if len(paths) == 0 || !ef.valid() {
		fs.Usage()
		return exitUsage
	}
	ctx, cancel := signalContext(*ef.duration)
	defer cancel()
	o, err := lf.options()
	if err != nil {
		return fail(stderr, err)
	}
	trusted, err := trustedKeys(*lf.verify)
	if err != nil {
		return fail(stderr, err)
	}
	m, stopMetrics, err := mf.start(o.PinRoot, stderr)
	defer stopMetrics()
	if err != nil {
		return fail(stderr, err)
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
	streamErr := stream(ctx, o.PinRoot, ef, stdout, stderr, m)
	// Unload even when streaming failed: run leaves nothing behind.
	if err := loader.Unload(names, o); err != nil {
		return fail(stderr, fmt.Errorf("unload: %w", err))
	}
	fmt.Fprintf(stderr, "unloaded %v\n", names)
	if streamErr != nil {
		return fail(stderr, streamErr)
	}
	return exitOK
}

// writeError: the events could not be written (a closed pipe).
type writeError struct{ err error }

func (e *writeError) Error() string { return "write events: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// stream prints events until ctx is done, and reports on stderr what could
// not be decoded or read, as it happens and at the end.
func stream(ctx context.Context, root string, ef eventFlags, stdout, stderr io.Writer, m *metrics.Metrics) error {
	s, err := loader.OpenStream(ef.streamOptions(root))
	if err != nil {
		return err
	}
	return printEvents(ctx, s, ef, stdout, stderr, m)
}

func (f eventFlags) streamOptions(root string) *loader.StreamOptions {
	return &loader.StreamOptions{PinRoot: root, Policy: *f.policy, NodeName: *f.nodeName}
}

// printEvents prints the events of s until ctx is done, counting them in
// m, and closes s.
func printEvents(ctx context.Context, s *loader.Stream, ef eventFlags, stdout, stderr io.Writer, m *metrics.Metrics) error {
	defer s.Close()
	m.SetStream(s)
	defer m.SetStream(nil)
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	reported := s.Stats()
	switch {
	case !reported.HasDropCounter:
		fmt.Fprintln(stderr, "polrun: the loaded base has no drop counter: records lost to a full ring buffer cannot be counted")
	case reported.DroppedBefore > 0:
		fmt.Fprintf(stderr, "polrun: %d records were lost to a full ring buffer before this reader started\n", reported.DroppedBefore)
	}
	report := func(final bool) {
		st := s.Stats()
		if st.Undecodable != reported.Undecodable || st.ReadErrors != reported.ReadErrors {
			fmt.Fprintf(stderr, "polrun: %d records could not be decoded (last: %s), %d read errors\n",
				st.Undecodable, st.LastUndecodable, st.ReadErrors)
		}
		if st.Dropped != reported.Dropped {
			fmt.Fprintf(stderr, "polrun: %d records lost to a full ring buffer (the reader is too slow)\n", st.Dropped)
		}
		if final {
			fmt.Fprintf(stderr, "polrun: %d events, %d process records, %d undecodable, %d read errors, %d lost to a full ring buffer\n",
				st.Events, st.BaseRecords, st.Undecodable, st.ReadErrors, st.Dropped)
		}
		reported = st
	}
	defer report(true)
	// GetUrl and DnsLookup of the events, stopped (and their counts
	// reported) before the final report.
	actions, err := ef.actions.start()
	if err != nil {
		return err
	}
	m.SetUserActions(actions)
	reportActions := actionReporter(actions, stderr)
	defer reportActions(true)
	defer func() {
		ef.actions.stop(actions)
		m.SetUserActions(nil)
	}()
	var line []byte // the JSON encoder's buffer, reused
	for {
		// Wake up every second to report problems even when no event comes.
		tick, cancel := context.WithTimeout(ctx, time.Second)
		ev, err := s.Next(tick)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, context.DeadlineExceeded) {
				out.Flush()
				report(false)
				reportActions(false)
				continue
			}
			return err
		}
		m.Event(ev)
		actions.Handle(ev)
		if *ef.format == "compact" {
			out.WriteString(ev.Compact())
		} else {
			line = ev.AppendJSON(line[:0])
			out.Write(line)
		}
		out.WriteByte('\n')
		// Flush per event so that a pipe into jq sees events at once.
		if err := out.Flush(); err != nil {
			return &writeError{err}
		}
	}
}
