package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// TestProcessEvents runs short-lived processes, a shell that forks and
// execs /bin/true, and one killed by a signal, and checks their
// process_exec and process_exit events: binary, arguments and cwd as
// given (taken from the exec records: the stream's procfs is an empty
// directory, so /proc cannot have supplied them, and /bin/true exits at
// once), the parent across fork and exec, ancestors, exit status and
// signal, and Tetragon's field names.
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
	realpath := func(p string) string {
		r, err := filepath.EvalSymlinks(p)
		if err != nil {
			t.Skipf("%s: %v", p, err)
		}
		return r
	}
	sh, trueBin := realpath("/bin/sh"), realpath("/bin/true")
	script := `/bin/true "one arg" two; exit 3`
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Dir = cwd
	var exitErr *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &exitErr) || exitErr.ExitCode() != 3 {
		t.Fatalf("sh: %v", err)
	}
	shPid := uint32(cmd.Process.Pid)
	killed := exec.Command("/bin/sh", "-c", "kill -9 $$")
	killed.Dir = cwd
	killed.Run()
	killedPid := uint32(killed.Process.Pid)

	// The events of the three processes, in order.
	var execs, exits []*Event
	byPid := map[uint32]*Event{}
	deadline := time.Now().Add(5 * time.Second)
	for len(exits) < 3 && time.Now().Before(deadline) {
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
		mine := pid == shPid || pid == killedPid || ev.Parent != nil && ev.Parent.PID != nil && *ev.Parent.PID == shPid
		if !mine {
			continue
		}
		switch ev.Kind {
		case KindExec:
			execs = append(execs, ev)
			byPid[pid] = ev
		case KindExit:
			exits = append(exits, ev)
		default:
			t.Errorf("event of kind %s", ev.Kind)
		}
	}
	if len(execs) != 3 || len(exits) != 3 {
		t.Fatalf("%d exec and %d exit events of the 3 processes, want 3 each", len(execs), len(exits))
	}

	self, _ := os.Executable()
	shExec, trueExec, killedExec := execs[0], execs[1], execs[2]
	for _, tc := range []struct {
		ev               *Event
		pid              uint32
		binary, args     string
		parentPid        uint32
		parentBinary     string
		wantAncestorsPid uint32
	}{
		{shExec, shPid, sh, "-c " + script, uint32(os.Getpid()), self, 0},
		{trueExec, 0, trueBin, "one arg two", shPid, sh, uint32(os.Getpid())},
		{killedExec, killedPid, sh, "-c kill -9 $$", uint32(os.Getpid()), self, 0},
	} {
		te := decodeTetragon(t, tc.ev)
		if te.ProcessExec == nil || te.NodeName != "node-a" || te.Time.IsZero() {
			t.Fatalf("not a process_exec of node-a: %+v", te)
		}
		p, parent := te.ProcessExec.Process, te.ProcessExec.Parent
		if tc.pid != 0 && *p.PID != tc.pid {
			t.Errorf("exec of pid %d, want %d", *p.PID, tc.pid)
		}
		if p.Binary != tc.binary || p.Arguments != tc.args || p.Cwd != cwd || !strings.HasPrefix(p.Flags, "execve") {
			t.Errorf("process binary %q arguments %q cwd %q flags %q, want %q %q %q", p.Binary, p.Arguments, p.Cwd, p.Flags, tc.binary, tc.args, cwd)
		}
		if p.ExecID == "" || p.StartTime == nil || p.UID == nil || *p.UID != uint32(os.Getuid()) {
			t.Errorf("process %+v", p)
		}
		if parent == nil || *parent.PID != tc.parentPid || parent.Binary != tc.parentBinary || p.ParentExecID != parent.ExecID {
			t.Errorf("parent %+v of %s, want pid %d binary %s", parent, p.Binary, tc.parentPid, tc.parentBinary)
		}
		if tc.wantAncestorsPid != 0 {
			if a := te.ProcessExec.Ancestors; len(a) == 0 || *a[0].PID != tc.wantAncestorsPid || a[0].ExecID != parent.ParentExecID {
				t.Errorf("ancestors %+v, want first pid %d", a, tc.wantAncestorsPid)
			}
		}
	}
	// /bin/true's parent is the shell's exec, not its fork.
	if trueExec.Parent.ExecID != shExec.Process.ExecID {
		t.Errorf("parent exec id %s, want the shell's %s", trueExec.Parent.ExecID, shExec.Process.ExecID)
	}

	// Exits: /bin/true (0), the shell (3), the killed shell (SIGKILL).
	want := map[string]struct {
		status uint32
		signal string
	}{trueExec.Process.ExecID: {0, ""}, shExec.Process.ExecID: {3, ""}, killedExec.Process.ExecID: {0, "SIGKILL"}}
	for _, ev := range exits {
		te := decodeTetragon(t, ev)
		x := te.ProcessExit
		if x == nil || x.Time == nil {
			t.Fatalf("not a process_exit with a time: %+v", te)
		}
		w, ok := want[x.Process.ExecID]
		if !ok {
			t.Errorf("exit of exec id %s, not one of the execs", x.Process.ExecID)
			continue
		}
		delete(want, x.Process.ExecID)
		if x.Status != w.status || x.Signal != w.signal || x.Process.Cwd != cwd || x.Parent == nil {
			t.Errorf("exit of %s %q: status %d signal %q cwd %q parent %v, want %d %q", x.Process.Binary, x.Process.Arguments, x.Status, x.Signal, x.Process.Cwd, x.Parent, w.status, w.signal)
		}
	}

	// The compact form says the same.
	if line := trueExec.Compact(); !strings.Contains(line, " process_exec ") || !strings.Contains(line, trueBin+` args="one arg two" cwd="`+cwd+`"`) {
		t.Errorf("compact %q", line)
	}
}

// TestProcessEventsOff: without StreamOptions.ProcessEvents, the stream
// returns no process events (polrun --process-events=false).
func TestProcessEventsOff(t *testing.T) {
	o := testOptions(t)
	b := compilePolicy(t, "empty.yaml", "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: \"empty\"\n")
	if _, err := Load([]*Bundle{b}, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := exec.Command("/bin/true").Run(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if ev, err := s.Next(ctx); err == nil {
		t.Errorf("event %s", ev.AppendJSON(nil))
	}
	if st := s.Stats(); st.BaseRecords < 3 {
		t.Errorf("%d base records read, want the fork, exec and exit of /bin/true at least", st.BaseRecords)
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

// TestProcessEventsReparented: a process whose parent exits before it
// execs (the kernel reparents it to a reaper) keeps, in its process_exec,
// the parent that made it: the shell's exec.
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
	cmd := exec.Command("/bin/sh", "-c", "(sleep 0.3; exec /bin/true reparented) & exit 0")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	shPid := uint32(cmd.Process.Pid)
	var shExec, trueExec *Event
	var shExited bool
	deadline := time.Now().Add(5 * time.Second)
	for trueExec == nil && time.Now().Before(deadline) {
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
		case ev.Kind == KindExec && *p.PID == shPid:
			shExec = ev
		case ev.Kind == KindExit && *p.PID == shPid:
			shExited = true
		case ev.Kind == KindExec && p.Arguments == "reparented":
			trueExec = ev
		}
	}
	if shExec == nil || trueExec == nil || !shExited {
		t.Fatalf("exec of the shell %v, its exit %v, exec of true %v", shExec != nil, shExited, trueExec != nil)
	}
	if trueExec.Parent == nil || *trueExec.Parent.PID != shPid || trueExec.Parent.ExecID != shExec.Process.ExecID ||
		trueExec.Process.ParentExecID != shExec.Process.ExecID {
		t.Errorf("parent %+v, want the shell's exec %s", trueExec.Parent, shExec.Process.ExecID)
	}
	if len(trueExec.Ancestors) == 0 || *trueExec.Ancestors[0].PID != uint32(os.Getpid()) {
		t.Errorf("ancestors %+v, want the test first", trueExec.Ancestors)
	}
}
