package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/loader"
)

// A second polrun events attaches to the first, which reads the ring
// buffer, with its own format and policy filter; a plain reader is
// refused, saying who reads; when the first stops, the second takes over
// and goes on printing.
func TestEventsAttachAndTakeOver(t *testing.T) {
	e := newEnv(t)
	target := startSyscaller(t)
	if _, errOut, code := e.polrun("load", e.syscallBundle("clitest-attach", target)); code != exitOK {
		t.Fatalf("load: %s", errOut)
	}
	owner := startEvents(t, e, "-o", "json")
	owner.waitLine(t, owner.stdout, `"policy_name":"clitest-attach"`)

	client := startEvents(t, e, "-o", "compact", "--policy", "clitest-attach")
	client.waitLine(t, client.stderr, fmt.Sprintf("polrun: pid %d (polrun events) reads the events of %s", owner.cmd.Process.Pid, e.root))
	client.waitLine(t, client.stdout, " clitest-attach tracepoint raw_syscalls/sys_enter ")
	other := startEvents(t, e, "--policy", "another")

	_, err := loader.OpenStream(&loader.StreamOptions{PinRoot: e.root})
	if want := fmt.Sprintf("pid %d (polrun events) already reads the events of %s: there is one reader per pin root; attach to its stream with 'polrun events --pin-root %s'",
		owner.cmd.Process.Pid, e.root, e.root); !errors.Is(err, loader.ErrReaderBusy) || !strings.Contains(err.Error(), want) {
		t.Errorf("plain reader: %v\nwant %s", err, want)
	}

	owner.cmd.Process.Signal(syscall.SIGTERM)
	if err := owner.cmd.Wait(); err != nil {
		t.Errorf("owner: %v\n%s", err, owner.errOut.String())
	}
	client.waitLine(t, client.stderr, fmt.Sprintf("polrun: the reader of the events (pid %d) stopped serving them: polrun events stopped; taking over", owner.cmd.Process.Pid))
	// The client now reads the ring buffer itself, or attached to the
	// other client, which may have taken over first: new events come.
	time.Sleep(300 * time.Millisecond)
	for len(client.stdout) > 0 {
		<-client.stdout
	}
	client.waitLine(t, client.stdout, " clitest-attach tracepoint raw_syscalls/sys_enter ")
	for _, p := range []*eventsProc{client, other} {
		p.cmd.Process.Signal(syscall.SIGTERM)
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("%v: %v\n%s", p.cmd.Args, err, p.errOut.String())
		}
	}
	if out := other.out.String(); out != "" {
		t.Errorf("client of policy another printed %.200q", out)
	}
	t.Logf("client's stderr:\n%s", client.errOut.String())
}

// eventsProc is a running polrun events whose output lines the test
// reads as they come.
type eventsProc struct {
	cmd            *exec.Cmd
	stdout, stderr chan string
	out, errOut    *bytes.Buffer // every line, for messages
}

func startEvents(t *testing.T, e *env, args ...string) *eventsProc {
	t.Helper()
	p := &eventsProc{cmd: exec.Command(polrunBin, e.args(append([]string{"events"}, args...))...),
		stdout: make(chan string, 1<<16), stderr: make(chan string, 1<<10), out: new(bytes.Buffer), errOut: new(bytes.Buffer)}
	so, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	se, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	lines := func(r io.Reader, c chan string, all *bytes.Buffer) {
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if all.Len() < 1<<20 {
				all.WriteString(sc.Text() + "\n")
			}
			select {
			case c <- sc.Text():
			default: // the test looks at the first lines only
			}
		}
	}
	go lines(so, p.stdout, p.out)
	go lines(se, p.stderr, p.errOut)
	return p
}

// waitLine waits up to 10 seconds for a line of c containing s.
func (p *eventsProc) waitLine(t *testing.T, c chan string, s string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case line := <-c:
			if strings.Contains(line, s) {
				return
			}
		case <-timeout:
			t.Fatalf("%v: no line with %q; stderr:\n%s", p.cmd.Args, s, p.errOut.String())
		}
	}
}

// A reader that serves no socket (a program using package loader) is
// named when polrun events cannot attach to it.
func TestEventsReaderWithoutSocket(t *testing.T) {
	e := newEnv(t)
	if _, errOut, code := e.polrun("load", e.syscallBundle("clitest-nosocket", startSyscaller(t))); code != exitOK {
		t.Fatalf("load: %s", errOut)
	}
	s, err := loader.OpenStream(&loader.StreamOptions{PinRoot: e.root, Command: "a test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, errOut, code := e.polrun("events")
	if want := fmt.Sprintf("polrun: pid %d (a test) reads the events of %s but does not serve them", os.Getpid(), e.root); code != exitFail || !strings.HasPrefix(errOut, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant %s", code, errOut, want)
	}
}

// TestEventsPolicyNotLoaded: --policy naming a policy that is not loaded
// says so on stderr (it waits for it: it may be loaded later), naming
// those that are, instead of printing nothing without a word.
func TestEventsPolicyNotLoaded(t *testing.T) {
	e := newEnv(t)
	if _, errOut, code := e.polrun("load", e.syscallBundle("clitest-loaded", startSyscaller(t))); code != exitOK {
		t.Fatalf("load: %s", errOut)
	}
	_, errOut, code := e.polrun("events", "--policy", "clitest-nosuch", "--duration", "1s")
	if code != exitOK || !strings.Contains(errOut, "policy clitest-nosuch is not loaded (loaded: clitest-loaded); waiting for its events") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	_, errOut, _ = e.polrun("events", "--policy", "clitest-loaded", "--duration", "1s")
	if strings.Contains(errOut, "not loaded") {
		t.Errorf("a loaded policy said not loaded:\n%s", errOut)
	}
}
