package eventbus

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// testLock takes the reader lock of a made-up pin root, with the run
// directories in the test's temporary directory.
func testLock(t *testing.T) *loader.ReaderLock {
	t.Helper()
	old := loader.RunBase
	loader.RunBase = filepath.Join(t.TempDir(), "run")
	t.Cleanup(func() { loader.RunBase = old })
	lk, err := loader.LockReader("/sys/fs/bpf/eventbus-test", "test owner")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lk.Release)
	return lk
}

func testHub(t *testing.T, o HubOptions) *Hub {
	t.Helper()
	if o.Lock == nil {
		o.Lock = testLock(t)
	}
	h, err := Listen(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close("test done") })
	return h
}

// fakeEvent is event n of a fake source: its policy and syscall id say n.
func fakeEvent(n int, policy string) *loader.Event {
	return &loader.Event{
		Kind: loader.KindTracepoint, Time: time.Unix(1700000000, int64(n)), NodeName: "node",
		Policy: policy, Hook: &bpf.Hook{Kind: "tracepoint", Target: "raw_syscalls/sys_enter"},
		Args: []loader.Arg{{Type: "int", Label: "n", Key: "int_arg", Value: int32(n)}},
	}
}

// coverage collects what a client received and lost, and checks that
// every sequence number from the welcome's on is one or the other, once.
type coverage struct {
	mu       sync.Mutex
	first    uint64
	received []uint64
	lost     []Lost
	lines    map[uint64]string
}

func attach(t *testing.T, h *Hub, o ClientOptions) (*Client, *coverage) {
	t.Helper()
	cov := &coverage{lines: map[uint64]string{}}
	o.OnLost = func(l Lost) {
		cov.mu.Lock()
		cov.lost = append(cov.lost, l)
		cov.mu.Unlock()
	}
	c, err := Dial(filepath.Dir(h.Socket()), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	cov.first = c.Welcome.Seq
	return c, cov
}

// readAll reads events until the owner goes or ctx ends.
func (cov *coverage) readAll(c *Client, ctx context.Context, keep bool) error {
	for {
		ev, err := c.Next(ctx)
		if err != nil {
			return err
		}
		cov.mu.Lock()
		cov.received = append(cov.received, ev.Seq)
		if keep {
			cov.lines[ev.Seq] = string(ev.Line)
		}
		cov.mu.Unlock()
	}
}

// check says whether the sequence numbers first..end-1 were each received
// or reported lost exactly once, in order.
func (cov *coverage) check(end uint64) error {
	cov.mu.Lock()
	defer cov.mu.Unlock()
	seen := map[uint64]int{}
	for _, s := range cov.received {
		seen[s]++
	}
	var lost uint64
	for _, l := range cov.lost {
		n := uint64(0)
		for s := l.First; s <= l.Last; s++ {
			if seen[s] == 0 {
				seen[s]++
				n++
			}
		}
		if n != l.Count {
			return fmt.Errorf("lost run %+v: %d not received in it", l, n)
		}
		lost += l.Count
	}
	for s := cov.first; s < end; s++ {
		if seen[s] != 1 {
			return fmt.Errorf("seq %d seen %d times (received %d, lost %d, first %d, end %d)", s, seen[s], len(cov.received), lost, cov.first, end)
		}
	}
	if uint64(len(seen)) != end-cov.first {
		return fmt.Errorf("%d sequence numbers outside %d..%d", uint64(len(seen))-(end-cov.first), cov.first, end)
	}
	for i := 1; i < len(cov.received); i++ {
		if cov.received[i] <= cov.received[i-1] {
			return fmt.Errorf("out of order: %d after %d", cov.received[i], cov.received[i-1])
		}
	}
	return nil
}

// Three clients of a fast enough owner each receive every event, in
// order, with the lines the owner encoded; a client that goes away is
// forgotten; Close ends the streams with the owner's reason after the last
// event.
func TestFanOut(t *testing.T) {
	h := testHub(t, HubOptions{Command: "test owner", Queue: 1 << 16})
	var covs []*coverage
	var clients []*Client
	for i := range 3 {
		f := FormatJSON
		if i == 2 {
			f = FormatCompact
		}
		c, cov := attach(t, h, ClientOptions{Format: f})
		if c.Welcome.PID == 0 || c.Welcome.Command != "test owner" || c.Welcome.PinRoot != "/sys/fs/bpf/eventbus-test" {
			t.Errorf("welcome %+v", c.Welcome)
		}
		clients, covs = append(clients, c), append(covs, cov)
	}
	waitClients(t, h, 3)
	const n = 20000
	errs := make(chan error, 3)
	for i := range clients {
		go func() { errs <- covs[i].readAll(clients[i], context.Background(), true) }()
	}
	want := map[uint64][2]string{}
	for i := range n {
		ev := fakeEvent(i, "p")
		want[uint64(i)] = [2]string{string(ev.AppendJSON(nil)), ev.Compact()}
		h.Publish(ev, nil)
	}
	h.SetStats(loader.StreamStats{Dropped: 7})
	h.Close("owner stopping")
	for range clients {
		err := <-errs
		var gone *OwnerGoneError
		if !errors.As(err, &gone) || gone.Reason != "owner stopping" {
			t.Errorf("end of stream: %v", err)
		}
	}
	for i, cov := range covs {
		if err := cov.check(n); err != nil {
			t.Errorf("client %d: %v", i, err)
		}
		if len(cov.lost) > 0 || len(cov.received) != n {
			t.Errorf("client %d lost %v", i, cov.lost)
		}
		format := 0 // client 2 asked for compact lines
		if i == 2 {
			format = 1
		}
		for seq, line := range cov.lines {
			if w := want[seq][format]; line != w {
				t.Fatalf("client %d seq %d: %q, want %q", i, seq, line, w)
			}
		}
		if st, known := clients[i].OwnerStats(); !known || st.Dropped != 7 {
			t.Errorf("client %d: owner stats %+v", i, st)
		}
	}
}

func waitClients(t *testing.T, h *Hub, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for h.Clients() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients, want %d", h.Clients(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A client that does not read loses events, counted and reported to it in
// order, while the owner never waits and the other clients lose nothing
// on its account.
func TestSlowClient(t *testing.T) {
	h := testHub(t, HubOptions{Queue: 4096})
	slow, slowCov := attach(t, h, ClientOptions{})
	fast, fastCov := attach(t, h, ClientOptions{})
	waitClients(t, h, 2)
	fastErr := make(chan error, 1)
	go func() { fastErr <- fastCov.readAll(fast, context.Background(), false) }()

	const n = 200000
	start := time.Now()
	for i := range n {
		h.Publish(fakeEvent(i, "p"), []byte(`{}`))
		if i%32 == 0 {
			time.Sleep(time.Microsecond) // let the fast client keep up
		}
	}
	took := time.Since(start)
	// Now read the slow client: it gets its queue, then the lost run.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	slowCov.readAll(slow, ctx, false)
	cancel()
	h.Close("done")
	<-fastErr
	if err := slowCov.check(n); err != nil {
		t.Errorf("slow client: %v", err)
	}
	if err := fastCov.check(n); err != nil {
		t.Errorf("fast client: %v", err)
	}
	// It received its queue and what the socket's buffers held.
	if slow.Lost() < n/2 {
		t.Errorf("slow client lost %d of %d with a queue of 4096", slow.Lost(), n)
	}
	t.Logf("published %d events in %v; slow client lost %d, fast client %d", n, took, slow.Lost(), fast.Lost())
	if fast.Lost() > n/10 {
		t.Errorf("fast client lost %d", fast.Lost())
	}
}

// A client that goes away is dropped; publishing goes on.
func TestClientDisconnect(t *testing.T) {
	h := testHub(t, HubOptions{})
	a, _ := attach(t, h, ClientOptions{})
	b, bCov := attach(t, h, ClientOptions{Policy: "keep"})
	waitClients(t, h, 2)
	a.Close()
	waitClients(t, h, 1)
	for i := range 100 {
		policy := "keep"
		if i%2 == 1 {
			policy = "other"
		}
		h.Publish(fakeEvent(i, policy), nil)
	}
	h.Close("bye")
	bCov.readAll(b, context.Background(), false)
	if len(bCov.received) != 50 {
		t.Errorf("client of policy keep received %d events, want 50", len(bCov.received))
	}
	for _, s := range bCov.received {
		if s%2 != 0 {
			t.Errorf("client of policy keep received event %d, of policy other", s)
		}
	}
}

// Peers the owner does not allow are refused with its reason.
func TestPeerRefused(t *testing.T) {
	var got *unix.Ucred
	h := testHub(t, HubOptions{AllowPeer: func(c *unix.Ucred) error {
		got = c
		return fmt.Errorf("uid %d is not allowed here", c.Uid)
	}})
	_, err := Dial(filepath.Dir(h.Socket()), ClientOptions{})
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "is not allowed here") {
		t.Errorf("dial: %v", err)
	}
	if got == nil || got.Pid == 0 {
		t.Errorf("peer credentials %+v", got)
	}
	if h.Clients() != 0 {
		t.Errorf("%d clients", h.Clients())
	}
}

// BenchmarkPublish is the owner's cost of an event (encoded as JSON by
// the owner already) with 0 and 3 clients reading.
func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{0, 3} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			old := loader.RunBase
			loader.RunBase = filepath.Join(b.TempDir(), "run")
			defer func() { loader.RunBase = old }()
			lk, err := loader.LockReader("/sys/fs/bpf/eventbus-bench", "bench")
			if err != nil {
				b.Fatal(err)
			}
			defer lk.Release()
			h, err := Listen(HubOptions{Lock: lk})
			if err != nil {
				b.Fatal(err)
			}
			done := make(chan uint64, n)
			for range n {
				c, err := Dial(lk.Dir(), ClientOptions{})
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					var got uint64
					for {
						if _, err := c.Next(context.Background()); err != nil {
							done <- got
							return
						}
						got++
					}
				}()
			}
			for h.Clients() != n {
				time.Sleep(time.Millisecond)
			}
			ev := fakeEvent(1, "p")
			line := ev.AppendJSON(nil)
			b.ResetTimer()
			for range b.N {
				h.Publish(ev, line)
			}
			b.StopTimer()
			h.Close("bench done")
			for range n {
				<-done
			}
		})
	}
}

// By default only the owner's user may attach (besides, the run
// directory is 0700: others cannot reach the socket).
func TestSameUser(t *testing.T) {
	if err := sameUser(&unix.Ucred{Uid: uint32(os.Geteuid())}); err != nil {
		t.Error(err)
	}
	if err := sameUser(&unix.Ucred{Uid: uint32(os.Geteuid()) + 1000}); err == nil {
		t.Error("another uid may attach")
	}
}
