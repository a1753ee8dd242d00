package loader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
)

// StreamOptions say what to read. A nil *StreamOptions means the defaults.
type StreamOptions struct {
	// PinRoot is polrun's directory in bpffs, bpf.DefaultPinRoot when "".
	PinRoot string
	// Policy, when set, keeps only that policy's events.
	Policy string
	// NodeName is the events' node_name and part of every exec_id; the
	// host name when "".
	NodeName string
	// Procfs is the procfs mount point, "/proc" when "".
	Procfs string
	// Lock is the pin root's reader lock (LockReader), held by the
	// caller for longer than the stream (polrun serve opens a stream
	// again after a failure). When nil, OpenStream takes the lock itself
	// for Command ("polrun" when "") and Close releases it.
	Lock    *ReaderLock
	Command string
	// ProcessEvents makes the stream return process_exec and process_exit
	// events (Tetragon's base events, KindExec and KindExit), besides
	// the policies' events. Without it the base's records only keep the
	// process cache.
	ProcessEvents bool
	// Ancestors gives process_exec and process_exit events the list of
	// the process's ancestors beyond its parent (Tetragon's
	// --enable-ancestors).
	Ancestors bool
}

// StreamStats counts what a Stream read. Nothing it reads is dropped
// without being counted here.
type StreamStats struct {
	Records     uint64 // records read from the ring buffer
	Events      uint64 // events returned (policy and process events)
	BaseRecords uint64 // exec, fork and exit records
	Filtered    uint64 // policy events of other policies (StreamOptions.Policy)
	// UnknownExits are exits of processes nothing was known about (no
	// exec, fork or /proc entry seen): no process_exit is made for them.
	UnknownExits uint64
	// RepeatedExits are second exit records of one process (two of its
	// threads ending at once each saw the last thread gone): dropped.
	RepeatedExits uint64
	// Undecodable records could not be decoded: unknown policy, bad
	// layout; LastUndecodable says why the last one was.
	Undecodable     uint64
	LastUndecodable string
	// ReadErrors are errors of the ring buffer reader.
	ReadErrors uint64
	// Dropped counts the records programs could not post because the
	// ring buffer was full, since the stream opened; DroppedBefore, those
	// dropped before (since the base was loaded). HasDropCounter is false
	// when the base has no drop counter (bpf.DropsMap): then losses in the
	// kernel cannot be seen.
	Dropped, DroppedBefore uint64
	HasDropCounter         bool
	// Reopened counts how often the base was replaced under the reader
	// (the last policy unloaded, another loaded) and the reader followed.
	Reopened uint64
	// Desyncs counts the times the reader found garbage at the ring
	// buffer's consumer position (a record shorter than a header, or
	// zeroed): another consumer moved the position. The reader then
	// skipped to the producer position, dropping SkippedBytes in all,
	// instead of decoding every 8 bytes of garbage as a record.
	Desyncs, SkippedBytes uint64
}

// ErrNoBase: no base is loaded under the pin root, so there are no events
// to read.
var ErrNoBase = errors.New("no base loaded (load a policy first)")

// Stream reads and decodes the events of every policy loaded under a pin
// root. One Stream per pin root: the ring buffer has a single consumer
// position, so two readers would split the records between them and,
// racing on the position, read garbage. OpenStream takes the pin root's
// reader lock (LockReader) to make sure; other processes attach to the
// owner's event stream instead (package eventbus).
//
// A goroutine drains the ring buffer as records arrive, whether or not
// Next is being called, so that exec records are matched with /proc (for
// arguments and cwd) while the process still runs; policy events wait in
// a queue for Next. When the queue is full the goroutine waits, and the
// ring buffer fills up in the kernel instead.
type Stream struct {
	// queue carries batches of decoded events from the reading goroutine
	// to Next: one channel operation (and at most one wakeup) per batch,
	// not per event. batch is the one being filled (the reading
	// goroutine's), cur what Next returns from (the caller's), and
	// spare the emptied batches going back to be filled again.
	queue  chan []*Event
	batch  []*Event
	cur    []*Event
	curPos int // the next event of cur
	spare  chan []*Event
	errc   chan error
	done   chan struct{}
	exited chan struct{}
	mu     sync.Mutex // guards stats
	// records and events count StreamStats.Records and Events, the two
	// counts taken for every event, without the lock.
	records, events atomic.Uint64

	o        StreamOptions
	arch     arch.Arch
	base     *baseMaps
	eventsID ebpf.MapID
	// lastDrops is the drop counter's sum when last read.
	lastDrops     uint64
	lastDropsRead time.Time
	rd            *ringbuf.Reader
	pos           ringPosition // rd's positions, to skip garbage
	lock          *ReaderLock  // held for the stream's life
	ownLock       bool         // taken by OpenStream, released by Close
	cache         *procCache
	policies      map[uint32]*policyEntry
	// pending holds, in arrival order, records of policy ids not (yet)
	// known: a policy's programs post records from the moment they are
	// attached, before Load renames its pins into place.
	pending    []pendingRecord
	pendingIDs map[uint32]int // policy id -> records in pending
	lastScan   time.Time
	lastBase   time.Time
	bootWall   time.Time // wall-clock time of boot, for record times
	// bootWallK is the CLOCK_BOOTTIME reading (the records' clock) when
	// bootWall was computed: toWall computes it again when a record is a
	// minute younger, without reading a clock for every record.
	bootWallK uint64
	stats     StreamStats
	// ksyms are /proc/kallsyms' text symbols, read for the first kernel
	// stack trace (stack.go).
	ksymsOnce sync.Once
	ksyms     ksyms
	// buildIDs caches the build IDs of files (loadersensor.go).
	buildIDs map[buildIDKey][]byte
	// Events given back by Release go back to the reading goroutine in
	// batches, for decode to reuse: in steady state a record is decoded
	// without allocating. (Not a sync.Pool: the garbage collector empties
	// those, and at full rate collections come often.) freed is the
	// batch being filled by Release (under relMu), recycled carries full
	// ones to pool, the reading goroutine's, and emptied the empty
	// slices back.
	relMu             sync.Mutex
	freed, pool       []*Event
	recycled, emptied chan []*Event
}

// pendingRecord is a record waiting for its policy to appear.
type pendingRecord struct {
	raw     []byte
	id      uint32
	arrived time.Time
}

// Records of an unknown policy wait at most pendingWait for its pins, and
// at most pendingMax of them wait; beyond that they are undecodable.
const (
	pendingWait = 2 * time.Second
	pendingMax  = 4096
)

// errUnknownPolicy: a record of a policy id that is not loaded.
type errUnknownPolicy uint32

func (e errUnknownPolicy) Error() string { return e.decodeError().Error() }

func (e errUnknownPolicy) decodeError() error {
	return decodeErr("record of policy id %d, which is not loaded", uint32(e))
}

type policyEntry struct {
	name     string
	manifest *bpf.Manifest
	dir      string    // under the pin root's policies
	stacks   *ebpf.Map // its bpf.StackMap, opened for the first stack trace
}

// OpenStream opens the base's ring buffer and seeds the process cache from
// /proc.
func OpenStream(opts *StreamOptions) (*Stream, error) {
	if err := CheckPrivileges("reading events"); err != nil {
		return nil, err
	}
	s := &Stream{arch: arch.Host(), policies: map[uint32]*policyEntry{}, pendingIDs: map[uint32]int{}}
	if opts != nil {
		s.o = *opts
	}
	if s.o.PinRoot == "" {
		s.o.PinRoot = bpf.DefaultPinRoot
	}
	if s.o.Procfs == "" {
		s.o.Procfs = "/proc"
	}
	if s.o.NodeName == "" {
		s.o.NodeName, _ = os.Hostname()
	}
	s.bootWall, s.bootWallK = bootTime()
	// Finish or roll back what a killed polrun left (journal.go), and
	// check that the pin root is polrun's, before reading from it.
	lk, _, err := openRoot(s.o.PinRoot, false)
	if err != nil {
		return nil, err
	}
	lk.unlock()
	s.lock = s.o.Lock
	if s.lock == nil {
		cmd := s.o.Command
		if cmd == "" {
			cmd = "polrun"
		}
		lk, err := LockReader(s.o.PinRoot, cmd)
		if err != nil {
			return nil, err
		}
		s.lock, s.ownLock = lk, true
	}
	if err := s.openBase(); err != nil {
		s.releaseLock()
		return nil, err
	}
	s.cache = newProcCache(s.o.NodeName, s.o.Procfs, s.toWall, s.base.procs)
	_, s.stats.HasDropCounter = s.base.dropped()
	s.stats.DroppedBefore = s.lastDrops
	if err := s.cache.seed(); err != nil {
		s.Close()
		return nil, fmt.Errorf("seed process cache: %w", err)
	}
	s.scanPolicies()
	s.makeQueues()
	s.errc = make(chan error, 1)
	s.done = make(chan struct{})
	s.exited = make(chan struct{})
	go s.drain()
	return s, nil
}

// makeQueues makes the channels between the reading goroutine and Next.
func (s *Stream) makeQueues() {
	n := queueLen/batchLen + 2
	s.queue = make(chan []*Event, queueLen/batchLen)
	s.spare = make(chan []*Event, n)
	s.recycled = make(chan []*Event, n)
	s.emptied = make(chan []*Event, n)
}

// queueLen is how many decoded events wait for Next, in batches of at
// most batchLen. A batch is handed over when full or when the ring buffer
// has nothing more to read at the moment.
const (
	queueLen = 4096
	batchLen = 64
)

func (s *Stream) openBase() error {
	dir := bpf.BasePinDir(s.o.PinRoot)
	if !exists(dir) {
		return fmt.Errorf("%w: nothing at %s", ErrNoBase, dir)
	}
	b, err := openBase(s.o.PinRoot)
	if err != nil {
		return err
	}
	rd, err := ringbuf.NewReader(b.events)
	if err != nil {
		b.close()
		return fmt.Errorf("open ring buffer: %w", err)
	}
	// Never without a deadline: programs wake the reader only for
	// batches (bpf.ReaderPoll), so a read waiting for a wakeup could
	// wait for good.
	rd.SetDeadline(time.Now().Add(bpf.ReaderPoll))
	pos, err := mapRingPositions(b.events)
	if err != nil {
		rd.Close()
		b.close()
		return err
	}
	s.closeBase()
	s.base, s.rd, s.pos = b, rd, pos
	s.eventsID = mapID(b.events)
	if s.cache != nil {
		s.cache.table = b.procs
	}
	s.lastDrops, _ = b.dropped()
	return nil
}

func (s *Stream) closeBase() {
	if s.rd != nil {
		s.rd.Close()
		s.rd = nil
	}
	if s.pos != nil {
		s.pos.close()
		s.pos = nil
	}
	s.base.close()
	s.base = nil
}

// readDrops adds what the drop counter counted since it was last read, at
// most once a second unless now. Called by the reader and by Stats (the
// reader may be waiting for Next while the kernel drops), so it takes the
// lock.
func (s *Stream) readDrops(now bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base == nil || !now && time.Since(s.lastDropsRead) < time.Second {
		return
	}
	s.lastDropsRead = time.Now()
	n, ok := s.base.dropped()
	if !ok {
		return
	}
	if n >= s.lastDrops {
		s.stats.Dropped += n - s.lastDrops
	}
	s.lastDrops = n
}

func mapID(m *ebpf.Map) ebpf.MapID {
	if info, err := m.Info(); err == nil {
		if id, ok := info.ID(); ok {
			return id
		}
	}
	return 0
}

// followBase reopens the ring buffer when the pinned one is not the one
// being read: the base was removed with the last policy and loaded again.
func (s *Stream) followBase() {
	if time.Since(s.lastBase) < time.Second {
		return
	}
	s.lastBase = time.Now()
	m, err := ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(s.o.PinRoot), bpf.EventsMap), &ebpf.LoadPinOptions{ReadOnly: true})
	if err != nil {
		return // no base now; keep draining the old buffer
	}
	id := mapID(m)
	m.Close()
	if id != 0 && id != s.eventsID {
		// Nothing is lost by switching: followBase runs only after a read
		// timed out, so the old buffer is empty, and its producers went
		// with the old base.
		s.readDrops(true)
		s.mu.Lock()
		err := s.openBase()
		if err == nil {
			// A new base counts from zero.
			s.lastDrops = 0
			s.stats.Reopened++
		}
		s.mu.Unlock()
	}
}

// Drain stops reading the ring buffer and returns the events decoded
// but not yet returned by Next, for a reader that hands over to another:
// the records still in the ring buffer stay there for the next reader.
// Call Close next.
func (s *Stream) Drain() []*Event {
	s.stopReading()
	evs := slices.Clone(s.cur[s.curPos:])
	s.cur, s.curPos = nil, 0
	for {
		select {
		case b := <-s.queue:
			evs = append(evs, b...)
		default:
			// The batch being filled when the reader stopped.
			evs = append(evs, s.batch...)
			s.batch = nil
			s.events.Add(uint64(len(evs)))
			return evs
		}
	}
}

func (s *Stream) stopReading() {
	if s.done != nil {
		close(s.done)
		<-s.exited
		s.done = nil
	}
}

// Close stops the reader and releases the ring buffer and maps.
func (s *Stream) Close() error {
	s.stopReading()
	s.mu.Lock()
	s.closeBase()
	s.mu.Unlock()
	s.releaseLock()
	return nil
}

func (s *Stream) releaseLock() {
	if s.ownLock {
		s.lock.Release()
		s.ownLock = false
	}
}

// Stats returns the counts so far.
func (s *Stream) Stats() StreamStats {
	s.readDrops(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Records, st.Events = s.records.Load(), s.events.Load()
	return st
}

func (s *Stream) count(f func(*StreamStats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// Next returns the next policy event. It blocks until an event arrives or
// ctx is done (then it returns ctx.Err()); a failure of the ring buffer
// reader is returned once, and the stream is finished then.
//
// The event is the caller's; a caller done with it may give it back with
// Release, so that the stream reuses it rather than allocating another.
// Next, Backlog and Drain are for one goroutine at a time (events come
// in order); Release and Stats may be called from any.
func (s *Stream) Next(ctx context.Context) (*Event, error) {
	if s.curPos == len(s.cur) {
		if s.cur != nil {
			clear(s.cur)
			select {
			case s.spare <- s.cur[:0]:
			default:
			}
			s.cur, s.curPos = nil, 0
		}
		select {
		case s.cur = <-s.queue:
		case err := <-s.errc:
			// The reader hands over its last batch before failing.
			select {
			case s.cur = <-s.queue:
				s.errc <- err // for the call after the batch
			default:
				return nil, err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	ev := s.cur[s.curPos]
	s.curPos++
	s.events.Add(1)
	return ev, nil
}

// Release gives back an event Next returned, once the caller is done with
// it (ev, its Process, Parent, Args and Return must not be used after),
// for the stream to decode another record into. Optional: an event not
// released is garbage collected.
func (s *Stream) Release(ev *Event) {
	if ev == nil {
		return
	}
	s.relMu.Lock()
	defer s.relMu.Unlock()
	if s.freed == nil {
		select {
		case s.freed = <-s.emptied:
		default:
			s.freed = make([]*Event, 0, batchLen)
		}
	}
	s.freed = append(s.freed, ev)
	if len(s.freed) < batchLen {
		return
	}
	select {
	case s.recycled <- s.freed:
		s.freed = nil
	default:
		// The reading goroutine has events enough: these go to the
		// garbage collector.
		clear(s.freed)
		s.freed = s.freed[:0]
	}
}

// newEvent is a released event, emptied but with its argument slice's
// room kept, or a new one. Called by the reading goroutine.
func (s *Stream) newEvent() *Event {
	if len(s.pool) == 0 {
		if s.pool != nil {
			select {
			case s.emptied <- s.pool:
			default:
			}
			s.pool = nil
		}
		select {
		case s.pool = <-s.recycled:
		default:
			return &Event{}
		}
	}
	ev := s.pool[len(s.pool)-1]
	s.pool[len(s.pool)-1] = nil
	s.pool = s.pool[:len(s.pool)-1]
	args := ev.Args
	clear(args[:cap(args)])
	*ev = Event{Args: args[:0]}
	return ev
}

// Backlog is how many decoded events wait for Next: 0 when the reader
// has caught up (readiness, polrun's /readyz), when polrun events
// flushes its output (it writes in batches while events wait). Events
// are handed over in batches, each waiting one counted as full: above 0
// the figure is an upper bound. For the goroutine calling Next.
func (s *Stream) Backlog() int { return len(s.cur) - s.curPos + len(s.queue)*batchLen }

// drain reads records until Close, decoding them in order: base records
// update the process cache, policy events go to the queue.
func (s *Stream) drain() {
	defer close(s.exited)
	var rec ringbuf.Record
	for {
		select {
		case <-s.done:
			return
		default:
		}
		// The drop counter, about once a second: looked at every 1024
		// records, and whenever the ring buffer is empty.
		if s.records.Load()&1023 == 0 {
			s.readDrops(false)
		}
		// Programs wake the reader only for batches (bpf.ReaderPoll):
		// what waits is read at least this often.
		wait := bpf.ReaderPoll
		if len(s.pending) > 0 {
			if !s.retryPending() {
				return
			}
			wait = 20 * time.Millisecond
		}
		// Nothing to read at the moment: hand over what was decoded
		// before waiting for more, for at most wait (a read of what is
		// there does not wait, so needs no new deadline).
		if s.rd.AvailableBytes() == 0 {
			if !s.sendBatch() {
				return
			}
			s.readDrops(false)
			s.rd.SetDeadline(time.Now().Add(wait))
		}
		err := s.rd.ReadInto(&rec)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if len(s.pending) == 0 {
				s.followBase()
			}
			continue
		}
		if err != nil {
			s.count(func(st *StreamStats) { st.ReadErrors++ })
			if !s.sendBatch() {
				return
			}
			s.errc <- fmt.Errorf("read ring buffer: %w", err)
			return
		}
		s.records.Add(1)
		if garbage(rec.RawSample) {
			s.resync()
			continue
		}
		ev, err := s.decode(rec.RawSample)
		if err != nil {
			// (unknown escapes to the heap: declared here, not for every
			// record.)
			var unknown errUnknownPolicy
			if errors.As(err, &unknown) {
				if len(s.pending) < pendingMax {
					s.pending = append(s.pending, pendingRecord{bytes.Clone(rec.RawSample), uint32(unknown), time.Now()})
					s.pendingIDs[uint32(unknown)]++
					continue
				}
				err = unknown.decodeError()
			}
		}
		if !s.emit(ev, err) {
			return
		}
	}
}

// resync gets back in step after reading garbage: what lies between the
// consumer and producer positions cannot be told apart into records.
func (s *Stream) resync() {
	skipped := s.pos.skipToProducer()
	s.count(func(st *StreamStats) {
		st.Desyncs++
		st.SkippedBytes += skipped
	})
}

// garbage says that a record cannot have been posted by a program, only
// read at a position that is not a record's start: shorter than a header
// (ringbuf.Reader returns a zeroed 8-byte header as a record of 0 bytes),
// or a header of zeros. polc's programs always write a header.
func garbage(raw []byte) bool {
	return len(raw) < bpf.HeaderSize || raw[1] == 0 // raw[1]: the version, never 0
}

// emit counts a decoded record and queues its event; false when the
// stream is closing.
func (s *Stream) emit(ev *Event, err error) bool {
	switch {
	case err != nil:
		s.count(func(st *StreamStats) {
			st.Undecodable++
			st.LastUndecodable = err.Error()
		})
		return true
	case ev == nil:
		return true
	case s.o.Policy != "" && ev.Policy != s.o.Policy:
		s.count(func(st *StreamStats) { st.Filtered++ })
		s.Release(ev)
		return true
	}
	s.batch = append(s.batch, ev)
	if len(s.batch) < batchLen && s.rd.AvailableBytes() > 0 {
		return true // more to read now: hand over a fuller batch
	}
	return s.sendBatch()
}

// sendBatch hands the batch being filled over to Next; false when the
// stream is closing (the batch stays, for Drain).
func (s *Stream) sendBatch() bool {
	if len(s.batch) == 0 {
		return true
	}
	select {
	case s.queue <- s.batch:
	case <-s.done:
		return false
	}
	select {
	case s.batch = <-s.spare:
	default:
		s.batch = make([]*Event, 0, batchLen)
	}
	return true
}

// retryPending decodes the waiting records whose policy has appeared, in
// order, and gives up on those that waited too long; false when the
// stream is closing. It goes through the records only when one of their
// policies appeared or the oldest expired.
func (s *Stream) retryPending() bool {
	expired := time.Since(s.pending[0].arrived) >= pendingWait
	appeared := false
	for id := range s.pendingIDs {
		if s.policy(id) != nil {
			appeared = true
			break
		}
	}
	if !expired && !appeared {
		return true
	}
	keep := s.pending[:0]
	for i, p := range s.pending {
		ev, err := s.decode(p.raw)
		var unknown errUnknownPolicy
		if errors.As(err, &unknown) {
			if time.Since(p.arrived) < pendingWait {
				keep = append(keep, p)
				continue
			}
			err = unknown.decodeError()
		}
		if s.pendingIDs[p.id]--; s.pendingIDs[p.id] <= 0 {
			delete(s.pendingIDs, p.id)
		}
		if !s.emit(ev, err) {
			s.pending = append(keep, s.pending[i+1:]...)
			return false
		}
	}
	clear(s.pending[len(keep):])
	s.pending = keep
	return true
}

// decode turns a record into an event; base records update the process
// cache and yield nil.
func (s *Stream) decode(raw []byte) (*Event, error) {
	h, err := parseHeader(raw)
	if err != nil {
		return nil, err
	}
	switch h.Kind {
	case bpf.EventExec, bpf.EventFork, bpf.EventExit:
		return s.decodeBase(raw, h)
	case bpf.EventPolicy:
	default:
		return nil, decodeErr("record kind %d", h.Kind)
	}
	pol := s.policy(h.PolicyID)
	if pol == nil {
		return nil, errUnknownPolicy(h.PolicyID)
	}
	if int(h.HookID) >= len(pol.manifest.Hooks) {
		return nil, decodeErr("policy %s: hook %d of %d", pol.name, h.HookID, len(pol.manifest.Hooks))
	}
	hook := &pol.manifest.Hooks[h.HookID]
	ev := s.newEvent()
	args, ret, err := decodeArgs(raw, h, hook, s.arch, ev.Args, &ev.retRoom)
	if err != nil {
		s.Release(ev)
		return nil, decodeErr("policy %s hook %d: %v", pol.name, h.HookID, err)
	}
	ev.Kind, ev.Time, ev.NodeName = eventKind(hook.Kind), s.toWall(h.Ktime), s.o.NodeName
	args, data := splitData(hook, args)
	ev.Policy, ev.PolicyID, ev.Hook, ev.Args, ev.Data, ev.Return = pol.manifest.PolicyName(hook), h.PolicyID, hook, args, data, ret
	ev.Action, ev.Header = h.Action, h
	if hook.StackIDs {
		ev.KernelStackTrace, ev.UserStackTrace = s.stacks(pol, raw[:h.Size], h.Tgid)
	}
	if hook.ImaHash {
		if ih, ok := bpf.ParseImaHash(raw[:h.Size]); ok {
			ev.ImaHash = ih.String()
		}
	}
	if hook.Loader && !s.loaderEvent(ev, h.Tgid) {
		s.Release(ev)
		return nil, nil // a file without a build ID, which Tetragon does not report
	}
	s.cache.process(h.Tgid, h.Pid, ev)
	return ev, nil
}

// decodeBase updates the process cache from an exec, fork or exit record
// and returns its process_exec or process_exit event (nil for a fork, or
// without StreamOptions.ProcessEvents).
func (s *Stream) decodeBase(raw []byte, h bpf.Header) (*Event, error) {
	pe, err := parseProcEvent(raw, h)
	if err != nil {
		return nil, err
	}
	var edp *execData
	if h.Kind == bpf.EventExec {
		ed, ok, err := parseExecData(raw, h)
		if err != nil {
			return nil, err
		}
		if ok {
			edp = &ed
		}
	}
	s.count(func(st *StreamStats) { st.BaseRecords++ })
	e, repeated := s.cache.handle(h, pe, edp)
	if repeated {
		s.count(func(st *StreamStats) { st.RepeatedExits++ })
		return nil, nil
	}
	if !s.o.ProcessEvents || h.Kind == bpf.EventFork {
		return nil, nil
	}
	if e == nil {
		// An exit of a process known neither to the cache, nor to /proc,
		// nor to the process table (it ran and ended while polrun loaded
		// its base): nothing to report it with, not even an exec id.
		s.count(func(st *StreamStats) { st.UnknownExits++ })
		return nil, nil
	}
	ev := s.newEvent()
	ev.Kind, ev.Time, ev.NodeName, ev.Header = KindExec, s.toWall(h.Ktime), s.o.NodeName, h
	if h.Kind == bpf.EventExit {
		ev.Kind = KindExit
		ev.Status, ev.Signal = exitStatus(pe.ExitCode)
	}
	s.cache.process(h.Tgid, h.Pid, ev)
	if s.o.Ancestors {
		ev.Ancestors = s.cache.ancestors(e, ev.Ancestors[:0])
	}
	return ev, nil
}

// exitStatus splits a wait(2) status, the task's exit_code, into the
// exit status and the name of the signal that ended the process.
func exitStatus(code int32) (status uint32, signal string) {
	if sig := code & 0x7f; sig != 0 {
		if name := unix.SignalName(syscall.Signal(sig)); name != "" {
			return 0, name
		}
		return 0, "SIG" + strconv.Itoa(int(sig)) // a real-time signal

	}
	return uint32(code>>8) & 0xff, ""
}

func eventKind(hookKind string) string {
	switch hookKind {
	case "tracepoint", "raw_tracepoint":
		return KindTracepoint
	case "uprobe":
		return KindUprobe
	case "usdt":
		return KindUSDT
	case "lsm":
		return KindLSM
	}
	return KindKprobe
}

// policy returns the manifest of a policy id, rescanning the pinned
// policies (at most every 10ms) when the id is new.
func (s *Stream) policy(id uint32) *policyEntry {
	if p := s.policies[id]; p != nil {
		return p
	}
	if time.Since(s.lastScan) < 10*time.Millisecond {
		return nil
	}
	s.scanPolicies()
	return s.policies[id]
}

// scanPolicies reads the manifests of the loaded policies. Entries of
// unloaded policies stay, so their last records still decode.
func (s *Stream) scanPolicies() {
	s.lastScan = time.Now()
	dirs, _ := policyDirs(s.o.PinRoot)
	for _, d := range dirs {
		m, st, err := readPolicyMeta(s.o.PinRoot, d)
		if err != nil {
			continue
		}
		if s.policies[st.PolicyID] == nil {
			s.policies[st.PolicyID] = &policyEntry{name: m.Policy, manifest: m, dir: d}
			if slices.ContainsFunc(m.Hooks, func(h bpf.Hook) bool { return h.StackIDs }) {
				// Kernel stacks are named from /proc/kallsyms, which takes
				// seconds to read on a slow machine: read it now, not when
				// the first event stalls the stream behind it.
				go s.kallsyms()
			}
		}
	}
}

// toWall converts a bpf_ktime_get_boot_ns() time to wall-clock time. The
// boot time is recomputed for records a minute younger than the last
// computation, following clock adjustments: the records' own clock says
// when, so that converting a record reads no clock (older times, a
// process's start, do not count).
func (s *Stream) toWall(ktime uint64) time.Time {
	if int64(ktime-s.bootWallK) > int64(time.Minute) {
		s.bootWall, s.bootWallK = bootTime()
	}
	return s.bootWall.Add(time.Duration(ktime))
}

// bootTime is the wall-clock time CLOCK_BOOTTIME counts from, and
// CLOCK_BOOTTIME's reading in nanoseconds.
func bootTime() (time.Time, uint64) {
	var ts unix.Timespec
	now := time.Now()
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return time.Time{}, 0
	}
	return now.Add(-time.Duration(ts.Nano())), uint64(ts.Nano())
}
