package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// Options configure an Exporter.
type Options struct {
	// Allow, when not empty, passes only the events one of its filters
	// matches; Deny drops the events one of its filters matches.
	Allow, Deny Filters
	// Fields are applied in order to every JSON line that passes.
	Fields []*FieldFilter
	// RateLimit is the most events written per minute; 0 for no limit.
	RateLimit int
	// Compact: the lines are polrun's compact format, not JSON (field
	// filters do not apply; rate limit reports are a text line).
	Compact bool
	// NodeName is the node_name of rate_limit_info events.
	NodeName string
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
}

// Exporter filters event lines and writes those that pass: to a File
// (export file) or to a stream (stdout), flushing a stream per line.
type Exporter struct {
	o      Options
	file   *File
	stream *bufio.Writer

	tokens   float64
	lastFill time.Time
	// pendingDrops are the drops not yet reported in the stream.
	pendingDrops uint64

	mu    sync.Mutex
	stats Stats
}

// Stats count what an Exporter did.
type Stats struct {
	Written uint64 // event lines written
	// Filtered: dropped by the allow or deny list.
	Filtered uint64
	// RateLimited: dropped by the rate limit.
	RateLimited uint64
}

// NewFileExporter writes to f, which it closes on Close.
func NewFileExporter(f *File, o Options) *Exporter {
	return newExporter(o, f, nil)
}

// NewStreamExporter writes to w, flushed after each line so that a pipe
// sees events at once (or after the last of a burst: WriteBatched). The
// buffer holds about a hundred events.
func NewStreamExporter(w io.Writer, o Options) *Exporter {
	return newExporter(o, nil, bufio.NewWriterSize(w, 64<<10))
}

func newExporter(o Options, f *File, w *bufio.Writer) *Exporter {
	if o.Now == nil {
		o.Now = time.Now
	}
	e := &Exporter{o: o, file: f, stream: w}
	e.tokens, e.lastFill = float64(o.RateLimit), o.Now()
	return e
}

// Stats returns the counts so far; safe to call from any goroutine.
func (e *Exporter) Stats() Stats {
	if e == nil {
		return Stats{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stats
}

func (e *Exporter) count(f func(*Stats)) {
	e.mu.Lock()
	f(&e.stats)
	e.mu.Unlock()
}

// Write exports one event line (without its newline) whose filter fields
// are m. It returns an error only when writing fails.
func (e *Exporter) Write(m *Meta, line []byte) error { return e.WriteBatched(m, line, false) }

// WriteBatched is Write, saying whether another event follows at once
// (more): a line to a stream is then left in the buffer, written when the
// buffer fills or with a line that has no more after it, so that a burst
// of events costs a system call per buffer, not one per event.
func (e *Exporter) WriteBatched(m *Meta, line []byte, more bool) error {
	if (len(e.o.Allow) > 0 && !e.o.Allow.Match(m)) || e.o.Deny.Match(m) {
		e.count(func(s *Stats) { s.Filtered++ })
		return nil
	}
	if !e.admit() {
		e.pendingDrops++
		e.count(func(s *Stats) { s.RateLimited++ })
		return nil
	}
	if err := e.reportDrops(); err != nil {
		return err
	}
	if len(e.o.Fields) > 0 && !e.o.Compact {
		var err error
		if line, err = ApplyFields(e.o.Fields, line); err != nil {
			return err
		}
	}
	if err := e.writeLine(line, more); err != nil {
		return err
	}
	e.count(func(s *Stats) { s.Written++ })
	return nil
}

// admit takes a token of the rate limit: a bucket of RateLimit tokens,
// refilled at RateLimit per minute.
func (e *Exporter) admit() bool {
	if e.o.RateLimit <= 0 {
		return true
	}
	now := e.o.Now()
	e.tokens += now.Sub(e.lastFill).Minutes() * float64(e.o.RateLimit)
	e.lastFill = now
	if max := float64(e.o.RateLimit); e.tokens > max {
		e.tokens = max
	}
	if e.tokens < 1 {
		return false
	}
	e.tokens--
	return true
}

// reportDrops writes, when the rate limit dropped events since the last
// report, a rate_limit_info event with their number, as Tetragon does.
func (e *Exporter) reportDrops() error {
	if e.pendingDrops == 0 {
		return nil
	}
	n := e.pendingDrops
	e.pendingDrops = 0
	var line []byte
	if e.o.Compact {
		line = fmt.Appendf(nil, "rate limit: %d events dropped (--export-rate-limit %d per minute)", n, e.o.RateLimit)
	} else {
		node, _ := json.Marshal(e.o.NodeName)
		line = fmt.Appendf(nil, `{"rate_limit_info":{"number_of_dropped_process_events":"%s"},"node_name":%s,"time":"%s"}`,
			strconv.FormatUint(n, 10), node, e.o.Now().UTC().Format("2006-01-02T15:04:05.000000000Z"))
	}
	return e.writeLine(line, false)
}

func (e *Exporter) writeLine(line []byte, more bool) error {
	if e.file != nil {
		return e.file.WriteLine(line)
	}
	e.stream.Write(line)
	e.stream.WriteByte('\n')
	if more {
		return nil // a write error stays in the buffer, for the next flush
	}
	return e.stream.Flush()
}

// Idle is called when no event came for a while: it reports the drops of
// the rate limit and writes out buffered lines.
func (e *Exporter) Idle() error {
	if err := e.reportDrops(); err != nil {
		return err
	}
	return e.Flush()
}

// Flush writes out buffered lines.
func (e *Exporter) Flush() error {
	if e.file != nil {
		return e.file.Flush()
	}
	return e.stream.Flush()
}

// Close reports the last drops, flushes, and closes the export file.
func (e *Exporter) Close() error {
	err := e.reportDrops()
	if e.file != nil {
		if cerr := e.file.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if ferr := e.stream.Flush(); err == nil {
		err = ferr
	}
	return err
}
