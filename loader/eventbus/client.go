package eventbus

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/polc-dev/polc/loader"
)

// Event is an event as a client receives it.
type Event struct {
	Seq                          uint64
	Policy, HookKind, HookTarget string
	// Line is the event in the client's format, without a newline.
	Line []byte
}

// ClientOptions say what a client wants.
type ClientOptions struct {
	Format Format // FormatJSON when ""
	Policy string // only this policy's events, when set
	// OnLost, when set, is called (from Next) with every run of events
	// the client lost, in stream order.
	OnLost func(Lost)
}

// ErrOwnerGone: the owner stopped serving events (it stopped, or the
// connection broke).
var ErrOwnerGone = errors.New("the event owner is gone")

// OwnerGoneError says why the stream ended.
type OwnerGoneError struct {
	PID    int
	Reason string // the owner's goodbye, or what broke
}

func (e *OwnerGoneError) Error() string {
	return fmt.Sprintf("the reader of the events (pid %d) stopped serving them: %s", e.PID, e.Reason)
}

func (e *OwnerGoneError) Unwrap() error { return ErrOwnerGone }

// ErrRefused: the owner refused the client.
var ErrRefused = errors.New("refused by the event owner")

// Client is attached to an owner's event stream.
type Client struct {
	Welcome Welcome
	conn    *net.UnixConn
	o       ClientOptions
	items   chan item
	done    chan struct{}
	closeMu sync.Once

	mu         sync.Mutex
	lost       uint64
	stats      loader.StreamStats
	statsKnown bool
}

type item struct {
	ev   *Event
	lost *Lost
	err  error
}

// Dial attaches to the owner serving on the run directory dir
// (loader.RunDir). The owner must be root or this process's user.
func Dial(dir string, o ClientOptions) (*Client, error) {
	if o.Format == "" {
		o.Format = FormatJSON
	}
	if !o.Format.valid() {
		return nil, fmt.Errorf("eventbus: format %q", o.Format)
	}
	path := filepath.Join(dir, loader.ReaderSocket)
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("attach to %s: %w", path, err)
	}
	cred, err := peerCred(conn)
	if err == nil && cred.Uid != 0 && int(cred.Uid) != os.Geteuid() {
		err = fmt.Errorf("the process serving %s is uid %d, not root", path, cred.Uid)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	hi, _ := json.Marshal(hello{Version: protocolVersion, Format: o.Format, Policy: o.Policy})
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReaderSize(conn, 64<<10)
	// An owner refusing the client writes its goodbye without reading
	// the hello: read the answer even when writing failed.
	_, werr := conn.Write(appendFrame(nil, frameHello, hi))
	typ, p, err := readFrame(br)
	if err != nil && werr != nil {
		err = werr
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("attach to %s: %w", path, err)
	}
	c := &Client{conn: conn, o: o, items: make(chan item, 256), done: make(chan struct{})}
	switch typ {
	case frameWelcome:
		if err := json.Unmarshal(p, &c.Welcome); err != nil {
			conn.Close()
			return nil, fmt.Errorf("attach to %s: welcome: %w", path, err)
		}
	case frameBye:
		conn.Close()
		return nil, fmt.Errorf("%w: %s", ErrRefused, p)
	default:
		conn.Close()
		return nil, fmt.Errorf("attach to %s: %w: type %q", path, errFrame, typ)
	}
	// The owner's counts follow, so that they are known from the start.
	if typ, p, err := readFrame(br); err != nil || typ != frameStats || c.setStats(p) != nil {
		conn.Close()
		return nil, fmt.Errorf("attach to %s: no stats after the welcome (%v)", path, err)
	}
	conn.SetDeadline(time.Time{})
	go c.read(br)
	return c, nil
}

// read turns frames into items until the stream ends.
func (c *Client) read(br *bufio.Reader) {
	defer close(c.items)
	send := func(it item) bool {
		select {
		case c.items <- it:
			return true
		case <-c.done:
			return false
		}
	}
	for {
		typ, p, err := readFrame(br)
		if err != nil {
			send(item{err: &OwnerGoneError{c.Welcome.PID, "connection closed: " + err.Error()}})
			return
		}
		switch typ {
		case frameEvent:
			ev, err := parseEvent(p)
			if err != nil {
				send(item{err: fmt.Errorf("event stream: %w", err)})
				return
			}
			if !send(item{ev: ev}) {
				return
			}
		case frameLost:
			l, err := parseLost(p)
			if err != nil {
				send(item{err: fmt.Errorf("event stream: %w", err)})
				return
			}
			if !send(item{lost: &l}) {
				return
			}
		case frameStats:
			c.setStats(p)
		case frameBye:
			send(item{err: &OwnerGoneError{c.Welcome.PID, string(p)}})
			return
		}
	}
}

// Next returns the next event. It blocks until one arrives or ctx is
// done (then it returns ctx.Err()); when the stream ends it returns an
// *OwnerGoneError, and keeps returning it.
func (c *Client) Next(ctx context.Context) (*Event, error) {
	for {
		select {
		case it, ok := <-c.items:
			if !ok {
				return nil, &OwnerGoneError{c.Welcome.PID, "stream closed"}
			}
			switch {
			case it.err != nil:
				return nil, it.err
			case it.lost != nil:
				c.mu.Lock()
				c.lost += it.lost.Count
				c.mu.Unlock()
				if c.o.OnLost != nil {
					c.o.OnLost(*it.lost)
				}
				continue
			}
			return it.ev, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Lost is the number of events this client lost so far (its queue at the
// owner was full).
func (c *Client) Lost() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lost
}

func (c *Client) setStats(p []byte) error {
	var st *loader.StreamStats
	if err := json.Unmarshal(p, &st); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st != nil {
		c.stats, c.statsKnown = *st, true
	}
	return nil
}

// OwnerStats are the owner's stream counts, as of its last report (every
// second); known is false until the owner has opened its stream.
func (c *Client) OwnerStats() (st loader.StreamStats, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats, c.statsKnown
}

// Close detaches.
func (c *Client) Close() error {
	c.closeMu.Do(func() {
		close(c.done)
		c.conn.Close()
	})
	return nil
}
