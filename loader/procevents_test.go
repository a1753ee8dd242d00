package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
)

// tetragonProcess has the fields of Tetragon's Process message
// (api/v1/tetragon/tetragon.proto, protojson names): decoding polrun's
// JSON into it with unknown fields refused checks that polrun writes
// none that Tetragon does not have.
type tetragonProcess struct {
	ExecID             string          `json:"exec_id"`
	PID                *uint32         `json:"pid"`
	UID                *uint32         `json:"uid"`
	Cwd                string          `json:"cwd"`
	Binary             string          `json:"binary"`
	Arguments          string          `json:"arguments"`
	Flags              string          `json:"flags"`
	StartTime          *time.Time      `json:"start_time"`
	AUID               *uint32         `json:"auid"`
	Pod                json.RawMessage `json:"pod"`
	Docker             string          `json:"docker"`
	ParentExecID       string          `json:"parent_exec_id"`
	Refcnt             uint32          `json:"refcnt"`
	Cap                json.RawMessage `json:"cap"`
	NS                 json.RawMessage `json:"ns"`
	TID                *uint32         `json:"tid"`
	ProcessCredentials json.RawMessage `json:"process_credentials"`
	BinaryProperties   json.RawMessage `json:"binary_properties"`
	User               json.RawMessage `json:"user"`
	InInitTree         *bool           `json:"in_init_tree"`
}

// tetragonEvent is GetEventsResponse with its process_exec (ProcessExec:
// process, parent, ancestors) and process_exit (ProcessExit: process,
// parent, signal, status, time, ancestors) members.
type tetragonEvent struct {
	ProcessExec *struct {
		Process   *tetragonProcess   `json:"process"`
		Parent    *tetragonProcess   `json:"parent"`
		Ancestors []*tetragonProcess `json:"ancestors"`
	} `json:"process_exec"`
	ProcessExit *struct {
		Process   *tetragonProcess   `json:"process"`
		Parent    *tetragonProcess   `json:"parent"`
		Signal    string             `json:"signal"`
		Status    uint32             `json:"status"`
		Time      *time.Time         `json:"time"`
		Ancestors []*tetragonProcess `json:"ancestors"`
	} `json:"process_exit"`
	NodeName string    `json:"node_name"`
	Time     time.Time `json:"time"`
}

// decodeTetragon decodes an event's JSON line as Tetragon's, refusing
// fields Tetragon's messages do not have, and checks that AppendJSON and
// MarshalJSON agree on it.
func decodeTetragon(t *testing.T, ev *Event) *tetragonEvent {
	t.Helper()
	line := ev.AppendJSON(nil)
	if m, err := ev.MarshalJSON(); err != nil || !bytes.Equal(m, line) {
		t.Errorf("MarshalJSON %s (%v), AppendJSON %s", m, err, line)
	}
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	var te tetragonEvent
	if err := d.Decode(&te); err != nil {
		t.Fatalf("decode %s as Tetragon's: %v", line, err)
	}
	return &te
}

// procHelper is the test binary run as a process for the process events
// (POLC_LOADER_HELPER=proc, no stdin): POLC_PROC_ACT says what it does.
//
//	exit:N      exit with status N
//	kill        kill itself with SIGKILL
//	spawn:N     run itself with the arguments "one arg" "two" (to exit 0),
//	            wait for it, exit with status N
//	orphan      start itself to sleep-exec, and exit at once
//	sleep-exec  sleep 300ms (its parent exits: it is reparented), then
//	            exec itself with the argument "reparented" (to exit 0)
func procHelper() int {
	act := os.Getenv("POLC_PROC_ACT")
	self, err := os.Executable()
	if err != nil {
		return 100
	}
	child := func(act string, args ...string) *exec.Cmd {
		c := exec.Command(self, args...)
		c.Env = append(os.Environ(), "POLC_LOADER_HELPER=proc", "POLC_PROC_ACT="+act)
		return c
	}
	switch {
	case strings.HasPrefix(act, "exit:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(act, "exit:"))
		return n
	case act == "kill":
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Second)
	case strings.HasPrefix(act, "spawn:"):
		if err := child("exit:0", "one arg", "two").Run(); err != nil {
			return 101
		}
		n, _ := strconv.Atoi(strings.TrimPrefix(act, "spawn:"))
		return n
	case act == "orphan":
		if err := child("sleep-exec").Start(); err != nil {
			return 102
		}
		return 0
	case act == "sleep-exec":
		time.Sleep(300 * time.Millisecond)
		// (exec.Cmd drops the earlier of two values of a variable;
		// syscall.Exec does not, and getenv takes the first.)
		env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "POLC_PROC_ACT=") })
		syscall.Exec(self, []string{self, "reparented"}, append(env, "POLC_PROC_ACT=exit:0"))
		return 103
	}
	return 104
}

// procCommand runs the test binary as procHelper doing act, with args,
// in dir.
func procCommand(act, dir string, args ...string) *exec.Cmd {
	self, _ := os.Executable()
	c := exec.Command(self, args...)
	c.Env = append(os.Environ(), "POLC_LOADER_HELPER=proc", "POLC_PROC_ACT="+act)
	c.Dir = dir
	return c
}

// TestProcessEvents runs short-lived processes (copies of the test
// binary): one that runs a child and exits 3, and one that kills itself,
// and checks their process_exec and process_exit events: binary,
// arguments and cwd as given (taken from the exec records: the stream's
// procfs is an empty directory, so /proc cannot have supplied them, and
// the child exits at once), the parent across fork and exec, ancestors,
// exit status and signal, and Tetragon's field names.
func TestProcessEvents(t *testing.T) {
	o := testOptions(t)
	b := compilePolicy(t, "empty.yaml", "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: \"empty\"\n")
	if _, err := Load([]*Bundle{b}, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot, ProcessEvents: true, Ancestors: true, Procfs: t.TempDir(), NodeName: "node-a"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	cwd := filepath.Join(t.TempDir(), "a dir")
	if err := os.Mkdir(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	parentCmd := procCommand("spawn:3", cwd, "parent", "arg")
	var exitErr *exec.ExitError
	if err := parentCmd.Run(); !errors.As(err, &exitErr) || exitErr.ExitCode() != 3 {
		t.Fatalf("parent: %v", err)
	}
	parentPid := uint32(parentCmd.Process.Pid)
	killed := procCommand("kill", cwd, "killed")
	killed.Run()
	killedPid := uint32(killed.Process.Pid)

	// The events of the three processes, in order. (Also exits of
	// processes the Go runtime forks without exec'ing, to probe for
	// pidfd: left out below.)
	var execs, exits []*Event
	execExited := func() int {
		n := 0
		for _, x := range exits {
			for _, e := range execs {
				if x.Process.ExecID == e.Process.ExecID {
					n++
				}
			}
		}
		return n
	}
	deadline := time.Now().Add(5 * time.Second)
	for (len(execs) < 3 || execExited() < 3) && time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		ev, err := s.Next(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		p := ev.Process
		if p == nil || p.PID == nil {
			continue
		}
		pid := *p.PID
		mine := pid == parentPid || pid == killedPid || ev.Parent != nil && ev.Parent.PID != nil && *ev.Parent.PID == parentPid
		if !mine {
			continue
		}
		switch ev.Kind {
		case KindExec:
			execs = append(execs, ev)
		case KindExit:
			exits = append(exits, ev)
		default:
			t.Errorf("event of kind %s", ev.Kind)
		}
	}
	if len(execs) != 3 || execExited() != 3 {
		t.Fatalf("%d exec and %d exit events of the 3 processes, want 3 each", len(execs), execExited())
	}

	parentExec, childExec, killedExec := execs[0], execs[1], execs[2]
	for _, tc := range []struct {
		ev           *Event
		pid          uint32
		args         string
		parentPid    uint32
		ancestorsPid uint32
	}{
		{parentExec, parentPid, "parent arg", uint32(os.Getpid()), 0},
		{childExec, 0, "one arg two", parentPid, uint32(os.Getpid())},
		{killedExec, killedPid, "killed", uint32(os.Getpid()), 0},
	} {
		te := decodeTetragon(t, tc.ev)
		if te.ProcessExec == nil || te.NodeName != "node-a" || te.Time.IsZero() {
			t.Fatalf("not a process_exec of node-a: %+v", te)
		}
		p, parent := te.ProcessExec.Process, te.ProcessExec.Parent
		if tc.pid != 0 && *p.PID != tc.pid {
			t.Errorf("exec of pid %d, want %d", *p.PID, tc.pid)
		}
		if p.Binary != self || p.Arguments != tc.args || p.Cwd != cwd || !strings.HasPrefix(p.Flags, "execve") {
			t.Errorf("process binary %q arguments %q cwd %q flags %q, want %q %q %q", p.Binary, p.Arguments, p.Cwd, p.Flags, self, tc.args, cwd)
		}
		if p.ExecID == "" || p.StartTime == nil || p.UID == nil || *p.UID != uint32(os.Getuid()) {
			t.Errorf("process %+v", p)
		}
		if parent == nil || *parent.PID != tc.parentPid || parent.Binary != self || p.ParentExecID != parent.ExecID {
			t.Errorf("parent %+v of %q, want pid %d binary %s", parent, p.Arguments, tc.parentPid, self)
		}
		if tc.ancestorsPid != 0 {
			if a := te.ProcessExec.Ancestors; len(a) == 0 || *a[0].PID != tc.ancestorsPid || a[0].ExecID != parent.ParentExecID {
				t.Errorf("ancestors %+v, want first pid %d", a, tc.ancestorsPid)
			}
		}
	}
	// The child's parent is the parent's exec, not its fork.
	if childExec.Parent.ExecID != parentExec.Process.ExecID {
		t.Errorf("parent exec id %s, want %s", childExec.Parent.ExecID, parentExec.Process.ExecID)
	}

	// Exits: the child (0), the parent (3), the killed one (SIGKILL).
	want := map[string]struct {
		status uint32
		signal string
	}{childExec.Process.ExecID: {0, ""}, parentExec.Process.ExecID: {3, ""}, killedExec.Process.ExecID: {0, "SIGKILL"}}
	for _, ev := range exits {
		te := decodeTetragon(t, ev)
		x := te.ProcessExit
		if x == nil || x.Time == nil {
			t.Fatalf("not a process_exit with a time: %+v", te)
		}
		w, ok := want[x.Process.ExecID]
		if !ok {
			if !strings.HasSuffix(x.Process.Flags, "clone") || x.Parent == nil || *x.Parent.PID != parentPid && *x.Parent.PID != killedPid {
				t.Errorf("exit of %+v, not one of the execs nor a fork of theirs", x.Process)
			}
			continue
		}
		delete(want, x.Process.ExecID)
		if x.Status != w.status || x.Signal != w.signal || x.Process.Cwd != cwd || x.Parent == nil {
			t.Errorf("exit of %q: status %d signal %q cwd %q parent %v, want %d %q", x.Process.Arguments, x.Status, x.Signal, x.Process.Cwd, x.Parent, w.status, w.signal)
		}
	}

	// The compact form says the same.
	if line := childExec.Compact(); !strings.Contains(line, " process_exec ") || !strings.Contains(line, self+` args="one arg two" cwd="`+cwd+`"`) {
		t.Errorf("compact %q", line)
	}
}

// TestProcessEventsOff: without StreamOptions.ProcessEvents, the stream
// returns no process events (polrun --process-events=false).
func TestProcessEventsOff(t *testing.T) {
	o := testOptions(t)
	b := compilePolicy(t, "empty.yaml", "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: \"empty\"\n")
	s := loadAndStream(t, o, b)
	if err := procCommand("exit:0", "").Run(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if ev, err := s.Next(ctx); err == nil {
		t.Errorf("event %s", ev.AppendJSON(nil))
	}
	if st := s.Stats(); st.BaseRecords < 3 {
		t.Errorf("%d base records read, want the fork, exec and exit of the helper at least", st.BaseRecords)
	}
}

// TestProcessEventsReparented: a process whose parent exits before it
// execs (the kernel reparents it to a reaper) keeps, in its process_exec,
// the parent that made it.
func TestProcessEventsReparented(t *testing.T) {
	o := testOptions(t)
	b := compilePolicy(t, "empty.yaml", "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: \"empty\"\n")
	if _, err := Load([]*Bundle{b}, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot, ProcessEvents: true, Ancestors: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd := procCommand("orphan", "")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	orphanerPid := uint32(cmd.Process.Pid)
	var orphanerExec, reparentedExec *Event
	var orphanerExited bool
	deadline := time.Now().Add(5 * time.Second)
	for reparentedExec == nil && time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		ev, err := s.Next(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		p := ev.Process
		switch {
		case p == nil || p.PID == nil:
		case ev.Kind == KindExec && *p.PID == orphanerPid:
			orphanerExec = ev
		case ev.Kind == KindExit && *p.PID == orphanerPid:
			orphanerExited = true
		case ev.Kind == KindExec && p.Arguments == "reparented" && ev.Parent != nil && *ev.Parent.PID == orphanerPid:
			reparentedExec = ev
		case ev.Kind == KindExec && p.Arguments == "reparented":
			t.Errorf("exec with parent %+v, want pid %d", ev.Parent, orphanerPid)
		}
	}
	if orphanerExec == nil || reparentedExec == nil || !orphanerExited {
		t.Fatalf("exec of the parent %v, its exit before the child's exec %v, exec of the child %v", orphanerExec != nil, orphanerExited, reparentedExec != nil)
	}
	if reparentedExec.Parent == nil || *reparentedExec.Parent.PID != orphanerPid || reparentedExec.Parent.ExecID != orphanerExec.Process.ExecID ||
		reparentedExec.Process.ParentExecID != orphanerExec.Process.ExecID {
		t.Errorf("parent %+v, want the exited parent's exec %s", reparentedExec.Parent, orphanerExec.Process.ExecID)
	}
	if len(reparentedExec.Ancestors) == 0 || *reparentedExec.Ancestors[0].PID != uint32(os.Getpid()) {
		t.Errorf("ancestors %+v, want the test first", reparentedExec.Ancestors)
	}
}

// TestExecDataDecode checks parseExecData on records made by hand: the
// strings split by the lengths, flags, and refusals of bad lengths.
func TestExecDataDecode(t *testing.T) {
	rec := func(cwd, argv string, cwdFlags, argFlags uint32, extra int) ([]byte, bpf.Header) {
		n := bpf.HeaderSize + bpf.ProcEventSize + bpf.ExecDataSize
		raw := make([]byte, n, n+len(cwd)+len(argv))
		le := func(off int, v uint32) {
			raw[off], raw[off+1], raw[off+2], raw[off+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
		}
		base := bpf.HeaderSize + bpf.ProcEventSize
		le(base+bpf.ExecCwdOff, uint32(len(cwd)+extra))
		le(base+bpf.ExecCwdOff+bpf.BytesFlagsOff, cwdFlags)
		le(base+bpf.ExecArgsOff, uint32(len(argv)))
		le(base+bpf.ExecArgsOff+bpf.BytesFlagsOff, argFlags)
		raw = append(append(raw, cwd...), argv...)
		return raw, bpf.Header{Kind: bpf.EventExec, Size: uint32(len(raw))}
	}
	raw, h := rec("/tmp/x", "/bin/ls\x00-l\x00a b\x00", 0, bpf.BytesTruncated, 0)
	ed, ok, err := parseExecData(raw, h)
	if err != nil || !ok || string(ed.cwd) != "/tmp/x" || formatArgs(ed.argv) != "-l a b" || ed.argFlags != bpf.BytesTruncated {
		t.Errorf("parsed %+v ok %v err %v", ed, ok, err)
	}
	var p bpf.Proc
	if f := execFlags(&p, &ed, "/", true); f != "execve truncArgs rootcwd clone" {
		t.Errorf("flags %q", f)
	}
	// An older base: no exec data.
	old := raw[:bpf.HeaderSize+bpf.ProcEventSize]
	if _, ok, err := parseExecData(old, bpf.Header{Kind: bpf.EventExec, Size: uint32(len(old))}); ok || err != nil {
		t.Errorf("record without exec data: ok %v err %v", ok, err)
	}
	// Lengths that do not add up.
	raw, h = rec("/tmp/x", "ls\x00", 0, 0, 5)
	if _, _, err := parseExecData(raw, h); err == nil {
		t.Error("bad lengths decoded")
	}
}

// TestRepeatedExitDropped: two threads of a process ending at once may
// each find the last thread gone and post its exit; one process_exit is
// reported, the second record counted and dropped. A new process with the
// same tgid exits again normally.
func TestRepeatedExitDropped(t *testing.T) {
	s := reuseStream(t)
	s.o.ProcessEvents = true
	record := func(kind bpf.EventKind, tgid uint32, bin string) *Event {
		t.Helper()
		var pe bpf.ProcEvent
		pe.Proc.Tgid, pe.Proc.Ppid = tgid, 1
		copy(pe.Proc.Binary[:], bin)
		r := newRecord(0, 0)
		r.h.Kind, r.h.Tgid, r.h.Pid = kind, tgid, tgid
		r.fixed(pe)
		ev, err := s.decode(r.raw())
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	if ev := record(bpf.EventExit, 4242, "/usr/bin/cat"); ev == nil || ev.Kind != KindExit {
		t.Fatalf("first exit: %+v, want a process_exit", ev)
	}
	if ev := record(bpf.EventExit, 4242, "/usr/bin/cat"); ev != nil {
		t.Fatalf("second exit of the same process: %+v, want none", ev)
	}
	if st := s.Stats(); st.RepeatedExits != 1 {
		t.Errorf("RepeatedExits %d, want 1", st.RepeatedExits)
	}
	// The tgid is reused by a new process: its exit is its own.
	if ev := record(bpf.EventExec, 4242, "/usr/bin/ls"); ev == nil || ev.Kind != KindExec {
		t.Fatalf("exec: %+v", ev)
	}
	if ev := record(bpf.EventExit, 4242, "/usr/bin/ls"); ev == nil || ev.Kind != KindExit || ev.Process.Binary != "/usr/bin/ls" {
		t.Fatalf("exit of the new process: %+v", ev)
	}
}
