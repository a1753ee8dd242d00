package eventbus

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/loader"
)

// DefaultQueue is how many events may wait for a client at the owner.
const DefaultQueue = 16384

// HubOptions configure a Hub. Lock is required.
type HubOptions struct {
	// Lock is the pin root's reader lock, held by the caller for longer
	// than the hub: the socket is in its run directory.
	Lock *loader.ReaderLock
	// Command names the owner for clients ("polrun serve").
	Command string
	// Queue is each client's queue length, DefaultQueue when 0.
	Queue int
	// AllowPeer decides from a connection's peer credentials whether it
	// may attach; by default, only processes of the owner's user (root).
	AllowPeer func(*unix.Ucred) error
}

// Hub serves the owner's events to its clients.
type Hub struct {
	o    HubOptions
	ln   *net.UnixListener
	path string

	mu      sync.Mutex // guards what follows, and every client's offer
	clients map[*client]struct{}
	seq     uint64 // the next event's sequence number
	formats map[Format]int
	stats   []byte // the latest stats frame
	closed  bool
	wg      sync.WaitGroup
}

// Listen starts serving on the lock's run directory. A socket left by an
// owner that died is replaced: holding the lock, the caller is the owner.
func Listen(o HubOptions) (*Hub, error) {
	if o.Lock == nil {
		return nil, errors.New("eventbus: no reader lock")
	}
	if o.Queue <= 0 {
		o.Queue = DefaultQueue
	}
	o.Queue = max(o.Queue, 2) // the welcome and the stats go first
	if o.AllowPeer == nil {
		o.AllowPeer = sameUser
	}
	path := filepath.Join(o.Lock.Dir(), loader.ReaderSocket)
	os.Remove(path)
	// 0600 from the start: no moment where others may connect.
	old := unix.Umask(0o177)
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	unix.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("event socket: %w", err)
	}
	ln.SetUnlinkOnClose(true)
	// Until SetStats, clients get "null": the counts are not known yet.
	h := &Hub{o: o, ln: ln, path: path, clients: map[*client]struct{}{}, formats: map[Format]int{},
		stats: appendFrame(nil, frameStats, []byte("null"))}
	h.wg.Add(1)
	go h.accept()
	return h, nil
}

// Socket is the path clients connect to.
func (h *Hub) Socket() string { return h.path }

// sameUser allows the processes of this process's effective user.
func sameUser(c *unix.Ucred) error {
	if int(c.Uid) != os.Geteuid() {
		return fmt.Errorf("uid %d may not read the events (only uid %d)", c.Uid, os.Geteuid())
	}
	return nil
}

func (h *Hub) accept() {
	defer h.wg.Done()
	for {
		conn, err := h.ln.AcceptUnix()
		if err != nil {
			return // closed
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			h.attach(conn)
		}()
	}
}

// attach checks a connection, reads its hello and adds it as a client.
func (h *Hub) attach(conn *net.UnixConn) {
	cred, err := peerCred(conn)
	if err == nil {
		err = h.o.AllowPeer(cred)
	}
	if err != nil {
		bye(conn, "refused: "+err.Error())
		return
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	typ, p, err := readFrame(br)
	var hi hello
	if err == nil && (typ != frameHello || json.Unmarshal(p, &hi) != nil) {
		err = errFrame
	}
	if err == nil && hi.Version != protocolVersion {
		err = fmt.Errorf("protocol version %d, the owner speaks %d (polrun versions differ)", hi.Version, protocolVersion)
	}
	if err == nil && !hi.Format.valid() {
		err = fmt.Errorf("format %q", hi.Format)
	}
	if err != nil {
		bye(conn, "refused: "+err.Error())
		return
	}
	conn.SetReadDeadline(time.Time{})
	c := &client{conn: conn, format: hi.Format, policy: hi.Policy,
		queue: make(chan []byte, h.o.Queue), quit: make(chan struct{}), gone: make(chan struct{})}

	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		bye(conn, "the owner is stopping")
		return
	}
	w := Welcome{Version: protocolVersion, PID: os.Getpid(), Command: h.o.Command, PinRoot: h.o.Lock.PinRoot(), Seq: h.seq, Queue: h.o.Queue}
	welcome, _ := json.Marshal(w)
	// The welcome and the owner's counts are the first frames in the
	// queue, so no event precedes them.
	c.queue <- appendFrame(nil, frameWelcome, welcome)
	c.queue <- h.stats
	h.clients[c] = struct{}{}
	h.formats[c.format]++
	h.mu.Unlock()

	// The client sends nothing more: a read returns when it goes away.
	go func() {
		br.ReadByte()
		close(c.gone)
	}()
	c.write(h)
	h.mu.Lock()
	delete(h.clients, c)
	h.formats[c.format]--
	h.mu.Unlock()
	conn.Close()
}

// bye sends a goodbye and closes the connection.
func bye(conn *net.UnixConn, reason string) {
	conn.SetWriteDeadline(time.Now().Add(time.Second))
	conn.Write(appendFrame(nil, frameBye, []byte(reason)))
	conn.Close()
}

func peerCred(conn *net.UnixConn) (*unix.Ucred, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return nil, err
	}
	if cerr != nil {
		return nil, fmt.Errorf("peer credentials: %w", cerr)
	}
	return cred, nil
}

// Clients is the number of clients attached.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Publish gives ev the next sequence number and queues it for every
// client (of its policy). line is ev's JSON line when the caller has
// encoded it, else nil. It never waits: a client whose queue is full loses
// the event, and is told so.
func (h *Hub) Publish(ev *loader.Event, line []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	seq := h.seq
	h.seq++
	if len(h.clients) == 0 {
		return
	}
	// A process event has no hook: its kind (process_exec) says what it is.
	kind, target := ev.Kind, ""
	if ev.Hook != nil {
		kind, target = ev.Hook.Kind, ev.Hook.Target
	}
	var frames [2][]byte // JSON, compact: encoded once, for the clients that want it
	for c := range h.clients {
		if c.policy != "" && c.policy != ev.Policy {
			continue
		}
		i := 0
		if c.format == FormatCompact {
			i = 1
		}
		if frames[i] == nil {
			if i == 0 {
				if line == nil {
					line = ev.AppendJSON(nil)
				}
				frames[i] = eventFrame(seq, ev.Policy, kind, target, line)
			} else {
				frames[i] = eventFrame(seq, ev.Policy, kind, target, []byte(ev.Compact()))
			}
		}
		c.offer(frames[i], seq)
	}
}

// SetStats sets the owner's counts that clients receive every second.
func (h *Hub) SetStats(st loader.StreamStats) {
	p, _ := json.Marshal(st)
	f := appendFrame(nil, frameStats, p)
	h.mu.Lock()
	h.stats = f
	h.mu.Unlock()
}

func (h *Hub) statsFrame() []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats
}

// Close stops accepting clients, sends each what is in its queue (for at
// most a second, to a client that reads too slowly) and a goodbye saying
// why, and removes the socket.
func (h *Hub) Close(reason string) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	h.ln.Close()
	for c := range h.clients {
		c.bye = reason
		close(c.quit)
		// Unblocks a writer waiting on a client that does not read.
		c.conn.SetWriteDeadline(time.Now().Add(time.Second))
	}
	h.mu.Unlock()
	h.wg.Wait()
}

// client is one attached client at the owner.
type client struct {
	conn   *net.UnixConn
	format Format
	policy string
	queue  chan []byte   // frames; only the publisher adds, holding mu
	quit   chan struct{} // closed by Close
	gone   chan struct{} // closed when the client hung up
	bye    string

	mu   sync.Mutex
	lost Lost // the current run of lost events, not yet in the queue
}

// offer queues an event frame or counts it lost. A run of lost events
// goes into the queue, before the next event that fits, so that the
// client learns of it in order.
func (c *client) offer(frame []byte, seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	need := 1
	if c.lost.Count > 0 {
		need = 2
	}
	if cap(c.queue)-len(c.queue) < need {
		if c.lost.Count == 0 {
			c.lost.First = seq
		}
		c.lost.Last = seq
		c.lost.Count++
		return
	}
	if c.lost.Count > 0 {
		c.queue <- lostFrame(c.lost)
		c.lost = Lost{}
	}
	c.queue <- frame
}

// takeLost returns the frame of the current run of lost events when the
// queue is empty (the run is then the last thing the client missed).
func (c *client) takeLost() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lost.Count == 0 || len(c.queue) > 0 {
		return nil
	}
	f := lostFrame(c.lost)
	c.lost = Lost{}
	return f
}

// write sends the queue's frames until the client goes or the hub
// closes, the owner's stats every second and what it lost as soon as its
// queue has drained.
func (c *client) write(h *Hub) {
	bw := bufio.NewWriterSize(c.conn, 64<<10)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	send := func(f []byte) bool {
		_, err := bw.Write(f)
		return err == nil
	}
	flush := func() bool {
		if len(c.queue) > 0 {
			return true // more to come: write in batches
		}
		if f := c.takeLost(); f != nil && !send(f) {
			return false
		}
		return bw.Flush() == nil
	}
	for {
		select {
		case f := <-c.queue:
			if !send(f) || !flush() {
				return
			}
		case <-tick.C:
			if !send(h.statsFrame()) || !flush() {
				return
			}
		case <-c.gone:
			return
		case <-c.quit:
			// Drain, in a second at most (Close set the deadline), then
			// say goodbye.
			for len(c.queue) > 0 {
				if !send(<-c.queue) {
					return
				}
			}
			if f := c.takeLost(); f != nil {
				send(f)
			}
			send(h.statsFrame())
			send(appendFrame(nil, frameBye, []byte(c.bye)))
			bw.Flush()
			return
		}
	}
}
