package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// victim is a syscaller the test can wait for: done closes when it exits,
// and then err says how.
type victim struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startVictim(t *testing.T) *victim {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "POLRUN_TEST_SYSCALLER=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	v := &victim{cmd: cmd, done: make(chan struct{})}
	go func() { v.err = cmd.Wait(); close(v.done) }()
	t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); <-v.done })
	return v
}

func (v *victim) pid() string { return strconv.Itoa(v.cmd.Process.Pid) }

// alive says whether the victim is still running after d.
func (v *victim) alive(d time.Duration) bool {
	select {
	case <-v.done:
		return false
	case <-time.After(d):
		return true
	}
}

// killed says whether the victim dies of SIGKILL within d.
func (v *victim) killed(d time.Duration) bool {
	select {
	case <-v.done:
		var exit *exec.ExitError
		return errors.As(v.err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
	case <-time.After(d):
		return false
	}
}

// modeBundle builds a policy that kills the processes pids at their next
// syscall, with spec.options policy-mode mode ("" for none).
func (e *env) modeBundle(name, mode string, pids ...string) string {
	e.t.Helper()
	options := ""
	if mode != "" {
		options = "  options:\n  - name: policy-mode\n    value: " + mode + "\n"
	}
	yaml := `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "` + name + `"
spec:
` + options + `  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "syscall64"
    selectors:
    - matchPIDs:
      - operator: "In"
        isNamespacePID: false
        values: [` + strings.Join(pids, ", ") + `]
      matchActions:
      - action: Sigkill
`
	src := filepath.Join(e.t.TempDir(), name+".yaml")
	if err := os.WriteFile(src, []byte(yaml), 0o644); err != nil {
		e.t.Fatal(err)
	}
	polc(e.t, "build", "-o", e.dir, src)
	return filepath.Join(e.dir, name+".bpf.o")
}

// listMode is the mode polrun list -o json reports for policy name.
func (e *env) listMode(name string) string {
	e.t.Helper()
	out, errOut, code := e.polrun("list", "-o", "json")
	if code != exitOK {
		e.t.Fatalf("list: exit %d: %s", code, errOut)
	}
	var list struct {
		Policies []struct {
			Name string `json:"name"`
			Mode string `json:"mode"`
		} `json:"policies"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		e.t.Fatalf("%v\n%s", err, out)
	}
	for _, p := range list.Policies {
		if p.Name == name {
			return p.Mode
		}
	}
	e.t.Fatalf("list has no policy %s:\n%s", name, out)
	return ""
}

// TestModeMonitorThenEnforce: a Sigkill policy in monitor mode
// (spec.options policy-mode) lets its processes live and reports the
// Sigkill in its events; polrun set-mode enforce kills them at their next
// syscall, without reloading. polrun load --mode overrides the default.
func TestModeMonitorThenEnforce(t *testing.T) {
	e := newEnv(t)
	a, b := startVictim(t), startVictim(t)
	bundle := e.modeBundle("clitest-monitor", "monitor", a.pid(), b.pid())
	if out, errOut, code := e.polrun("load", bundle); code != exitOK {
		t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
	}
	if m := e.listMode("clitest-monitor"); m != "monitor" {
		t.Errorf("list: mode %q, want monitor", m)
	}
	if out, _, _ := e.polrun("list"); !regexp.MustCompile(`(?m)^clitest-monitor +monitor +enabled `).MatchString(out) {
		t.Errorf("list text has no mode monitor:\n%s", out)
	}

	// The events say what would have happened.
	cmd := exec.Command(polrunBin, "events", "--pin-root", e.root, "-o", "json", "--duration", "2s")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reported := false
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev struct {
			PT *struct {
				Process struct {
					PID int `json:"pid"`
				} `json:"process"`
				Action string `json:"action"`
			} `json:"process_tracepoint"`
		}
		if json.Unmarshal(sc.Bytes(), &ev) == nil && ev.PT != nil && ev.PT.Process.PID == a.cmd.Process.Pid {
			reported = reported || ev.PT.Action == "KPROBE_ACTION_SIGKILL"
		}
	}
	cmd.Wait()
	if !reported {
		t.Error("no event of the monitored process with action KPROBE_ACTION_SIGKILL")
	}
	if !a.alive(0) || !b.alive(0) {
		t.Fatalf("a process was killed in monitor mode: %v, %v", a.err, b.err)
	}

	if out, errOut, code := e.polrun("set-mode", "clitest-monitor", "enforce"); code != exitOK || out != "policy clitest-monitor: mode enforce\n" {
		t.Fatalf("set-mode: exit %d\n%s%s", code, out, errOut)
	}
	if !a.killed(5*time.Second) || !b.killed(5*time.Second) {
		t.Errorf("after set-mode enforce: %v, %v; want both killed by SIGKILL", a.err, b.err)
	}
	if m := e.listMode("clitest-monitor"); m != "enforce" {
		t.Errorf("list after set-mode: mode %q, want enforce", m)
	}

	// --mode overrides the default of a policy that enforces.
	c := startVictim(t)
	bundle = e.modeBundle("clitest-enforce", "", c.pid())
	if out, errOut, code := e.polrun("load", "--mode", "monitor", bundle); code != exitOK {
		t.Fatalf("load --mode monitor: exit %d\n%s%s", code, out, errOut)
	}
	if !c.alive(500 * time.Millisecond) {
		t.Fatalf("killed though loaded with --mode monitor: %v", c.err)
	}
	if m := e.listMode("clitest-enforce"); m != "monitor" {
		t.Errorf("list: mode %q, want monitor", m)
	}
	if _, errOut, code := e.polrun("set-mode", "clitest-enforce", "enforce"); code != exitOK {
		t.Fatalf("set-mode: exit %d: %s", code, errOut)
	}
	if !c.killed(5 * time.Second) {
		t.Errorf("after set-mode enforce: %v, want killed by SIGKILL", c.err)
	}
}

// TestSetModeErrors: bad modes are usage errors; a policy without
// enforcement actions is monitor_only and has no mode to set.
func TestSetModeErrors(t *testing.T) {
	e := newEnv(t)
	if _, errOut, code := e.polrun("load", e.syscallBundle("clitest-watch", 1)); code != exitOK {
		t.Fatalf("load: %s", errOut)
	}
	if m := e.listMode("clitest-watch"); m != "monitor_only" {
		t.Errorf("list: mode %q, want monitor_only", m)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"set-mode", "clitest-watch", "Monitor"}, exitUsage, `invalid mode "Monitor"`},
		{[]string{"set-mode", "clitest-watch"}, exitUsage, "usage"},
		{[]string{"set-mode", "clitest-watch", "enforce"}, exitFail, "monitor_only"},
		{[]string{"set-mode", "clitest-nope", "enforce"}, exitFail, "not loaded"},
		{[]string{"load", "--mode", "audit", "x.bpf.o"}, exitUsage, `polrun: error: --mode: invalid mode "audit"`},
		{[]string{"run", "--mode", "audit", "x.bpf.o"}, exitUsage, `polrun: error: --mode: invalid mode "audit"`},
		{[]string{"serve", "--dir", e.dir, "--mode", "audit"}, exitUsage, `polrun: error: --mode: invalid mode "audit"`},
	} {
		_, errOut, code := e.polrun(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("polrun %v: exit %d, %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	out, _, code := e.polrun("load", "--replace", "--mode", "enforce", e.syscallBundle("clitest-watch", 1))
	if code != exitOK || !strings.Contains(out, "warning: mode enforce has no effect") {
		t.Errorf("load --mode of a monitor_only policy: exit %d\n%s", code, out)
	}
}
