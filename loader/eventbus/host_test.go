package eventbus

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/testbundle"
)

var soak = flag.Duration("soak", 2*time.Second, "how long TestRingBufferThreeClients makes events")

// keepLines is how many events' lines the test compares (all of a
// 2-second run): keeping every line of a long soak would cost more than
// the stream.
const keepLines = 50000

// The real ring buffer, read by its one owner and served to three clients,
// one of them slow: every client receives every event the owner published
// after it attached, identical to the owner's line, or is told it lost it;
// a second plain reader is refused, saying who reads and how to attach.
func TestRingBufferThreeClients(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs)
	root := filepath.Join("/sys/fs/bpf", fmt.Sprintf("polrun-test-%d-%s", os.Getpid(), t.Name()))
	os.RemoveAll(root)
	o := &loader.Options{PinRoot: root}
	t.Cleanup(func() {
		if err := loader.UnloadAll(o); err != nil {
			t.Errorf("cleanup: %v", err)
		}
		os.RemoveAll(root)
	})
	// The events are a child's: the owner's and the clients' own
	// syscalls (socket writes) are not in the stream.
	child := startSyscaller(t, *soak)
	data, err := testbundle.SyscallsCountingDrops("ebtest-syscalls", "ebtest_enter", uint32(child.cmd.Process.Pid)).Write()
	if err != nil {
		t.Fatal(err)
	}
	b, err := loader.ReadBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load([]*loader.Bundle{b}, o); err != nil {
		t.Fatal(err)
	}

	lk, err := loader.LockReader(root, "eventbus test")
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Release()
	s, err := loader.OpenStream(&loader.StreamOptions{PinRoot: root, Lock: lk})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = loader.OpenStream(&loader.StreamOptions{PinRoot: root})
	var busy *loader.ReaderBusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() ||
		!strings.Contains(err.Error(), fmt.Sprintf("pid %d (eventbus test) already reads the events of %s", os.Getpid(), root)) ||
		!strings.Contains(err.Error(), "polrun events --pin-root "+root) {
		t.Fatalf("second reader: %v", err)
	}
	h, err := Listen(HubOptions{Lock: lk, Command: "eventbus test", Queue: 2048})
	if err != nil {
		t.Fatal(err)
	}

	// The owner publishes every event and keeps its lines by sequence
	// number.
	var owner []string
	var published atomic.Int64
	ownerDone := make(chan struct{})
	ctx, stopOwner := context.WithCancel(context.Background())
	go func() {
		defer close(ownerDone)
		for {
			ev, err := s.Next(ctx)
			if err != nil {
				return
			}
			line := ev.AppendJSON(nil)
			if len(owner) < keepLines {
				owner = append(owner, string(line))
			}
			h.Publish(ev, line)
			published.Add(1)
		}
	}()

	type reader struct {
		c   *Client
		cov *coverage
		err chan error
	}
	var readers []reader
	for i := range 3 {
		c, cov := attach(t, h, ClientOptions{})
		r := reader{c, cov, make(chan error, 1)}
		readers = append(readers, r)
		slow := i == 2
		go func() {
			for {
				ev, err := c.Next(context.Background())
				if err != nil {
					r.err <- err
					return
				}
				cov.mu.Lock()
				cov.received = append(cov.received, ev.Seq)
				if ev.Seq < keepLines {
					cov.lines[ev.Seq] = string(ev.Line)
				}
				cov.mu.Unlock()
				if slow && ev.Seq%100 == 0 { // at most 5,000 events a second
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	waitClients(t, h, 3)

	made := child.run(t)
	// Until the owner has read everything (the machine may be busy).
	for last := int64(-1); published.Load() != last; time.Sleep(500 * time.Millisecond) {
		last = published.Load()
	}
	stopOwner()
	<-ownerDone
	st := s.Stats()
	h.SetStats(st)
	h.Close("test owner stopped")
	end := uint64(published.Load())
	t.Logf("%d getppid calls made by the child, owner: %d events, %d lost to a full ring buffer, %d undecodable, %d desyncs", made, end, st.Dropped, st.Undecodable, st.Desyncs)
	if end < uint64(made)-st.Dropped {
		t.Errorf("owner published %d events for %d getppid calls, %d dropped", end, made, st.Dropped)
	}
	if st.Undecodable != 0 || st.Desyncs != 0 || st.ReadErrors != 0 {
		t.Errorf("owner stats %+v", st)
	}
	for i, r := range readers {
		var gone *OwnerGoneError
		if err := <-r.err; !errors.As(err, &gone) || gone.Reason != "test owner stopped" {
			t.Errorf("client %d ended with %v", i, err)
		}
		if err := r.cov.check(end); err != nil {
			t.Errorf("client %d: %v", i, err)
		}
		for seq, line := range r.cov.lines {
			if line != owner[seq] {
				t.Fatalf("client %d seq %d:\n%s\nowner:\n%s", i, seq, line, owner[seq])
			}
		}
		if ost, known := r.c.OwnerStats(); !known || ost.Dropped != st.Dropped || !ost.HasDropCounter {
			t.Errorf("client %d: owner stats %+v", i, ost)
		}
		t.Logf("client %d: from seq %d, received %d, lost %d in %d runs", i, r.cov.first, len(r.cov.received), r.c.Lost(), len(r.cov.lost))
	}
}

// syscaller is a child process that calls getppid in bursts a reader
// can follow (about 20,000 a second), for a time, once told to start.
type syscaller struct {
	cmd   *exec.Cmd
	start io.WriteCloser
	out   *bytes.Buffer
}

func startSyscaller(t *testing.T, d time.Duration) *syscaller {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "EVENTBUS_SYSCALLER="+d.String())
	start, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := new(bytes.Buffer)
	cmd.Stdout = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return &syscaller{cmd, start, out}
}

// run starts the calls and returns how many getppid calls were made.
func (s *syscaller) run(t *testing.T) int {
	t.Helper()
	s.start.Close()
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("syscaller: %v", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s.out.String()))
	if err != nil {
		t.Fatalf("syscaller said %q", s.out.String())
	}
	return n
}

func TestMain(m *testing.M) {
	if v := os.Getenv("EVENTBUS_SYSCALLER"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			os.Exit(2)
		}
		io.Copy(io.Discard, os.Stdin) // wait for the start
		made := 0
		for end := time.Now().Add(d); time.Now().Before(end); {
			for range 100 {
				syscall.Getppid()
			}
			made += 100
			time.Sleep(5 * time.Millisecond)
		}
		fmt.Println(made)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
