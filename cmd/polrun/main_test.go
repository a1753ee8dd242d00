package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/testbundle"
)

// polrunBin is the polrun binary the tests run, built once in TestMain.
var polrunBin string

func TestMain(m *testing.M) {
	if os.Getenv("POLRUN_TEST_SYSCALLER") != "" {
		syscaller()
	}
	dir, err := os.MkdirTemp("", "polrun-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	polrunBin = filepath.Join(dir, "polrun")
	// Build from this package's sources: the test binary itself cannot
	// double as polrun. Without a go command the tests needing the binary
	// say so (testenv.Tool).
	if _, err := exec.LookPath("go"); err == nil {
		if out, err := exec.Command("go", "build", "-o", polrunBin, ".").CombinedOutput(); err != nil {
			polrunBin = ""
			fmt.Fprintf(os.Stderr, "build polrun: %v\n%s", err, out)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syscaller is what the test binary does as the process the tests'
// policies watch: a getppid every 20ms until its stdin closes. The tests
// cannot watch themselves: reading polrun's output makes syscalls, each an
// event that polrun prints, which the test reads...
func syscaller() {
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	for {
		syscall.Getppid()
		time.Sleep(20 * time.Millisecond)
	}
}

// startSyscaller starts this test binary as a syscaller and returns its pid.
func startSyscaller(t *testing.T) uint32 {
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
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	return uint32(cmd.Process.Pid)
}

// env is a pin root of the test's own and bundles on disk.
type env struct {
	t    *testing.T
	root string
	dir  string
}

func newEnv(t *testing.T) *env {
	testenv.Require(t, testenv.Tool("go"), testenv.Root, testenv.BPFFS, testenv.Tracefs)
	if polrunBin == "" {
		t.Fatal("polrun could not be built (see the test output's start)")
	}
	e := &env{t: t, dir: t.TempDir()}
	e.root = testenv.PinDir(t, "polrun-clitest", true)
	t.Cleanup(func() {
		if err := loader.UnloadAll(&loader.Options{PinRoot: e.root}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return e
}

func (e *env) write(name string, data []byte) string {
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return path
}

// syscallBundle writes a raw_syscalls/sys_enter bundle posting the
// syscalls of the processes targets.
func (e *env) syscallBundle(name string, targets ...uint32) string {
	data, err := testbundle.Syscalls(name, "clitest_enter", targets...).Write()
	if err != nil {
		e.t.Fatal(err)
	}
	return e.write(name+".bpf.o", data)
}

// polrun runs the binary with --pin-root.
func (e *env) polrun(args ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	cmd := exec.Command(polrunBin, e.args(args)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		e.t.Fatalf("polrun %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func (e *env) args(args []string) []string {
	return append([]string{args[0], "--pin-root", e.root}, args[1:]...)
}

func (e *env) pins() []string {
	var out []string
	filepath.Walk(e.root, func(path string, info os.FileInfo, err error) error {
		if err == nil && path != e.root {
			out = append(out, strings.TrimPrefix(path, e.root+"/"))
		}
		return nil
	})
	return out
}

func TestLoadListUnload(t *testing.T) {
	e := newEnv(t)
	b := e.syscallBundle("clitest-list", 1)
	out, errOut, code := e.polrun("load", b)
	if code != exitOK || !strings.HasPrefix(out, "loaded clitest-list (policy id ") {
		t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
	}
	t.Log(out)
	out, errOut, code = e.polrun("load", b)
	if code != exitFail || !strings.Contains(errOut, "already loaded") {
		t.Errorf("second load: exit %d\n%s%s", code, out, errOut)
	}

	out, _, code = e.polrun("list", "-o", "json")
	if code != exitOK {
		t.Fatalf("list: exit %d", code)
	}
	var list struct {
		Base *struct {
			Programs []struct{ Name string } `json:"programs"`
		} `json:"base"`
		Policies []struct {
			Name     string `json:"name"`
			PolicyID uint32 `json:"policy_id"`
			Bundle   string `json:"bundle"`
			Programs []struct {
				Name      string `json:"name"`
				Hook      string `json:"hook"`
				ProgramID uint32 `json:"program_id"`
			} `json:"programs"`
			Maps []struct{ Name string } `json:"maps"`
		} `json:"policies"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if list.Base == nil || len(list.Policies) != 1 {
		t.Fatalf("list: %s", out)
	}
	p := list.Policies[0]
	if p.Name != "clitest-list" || p.PolicyID == 0 || p.Bundle != b || len(p.Programs) != 1 ||
		p.Programs[0].Hook != "tracepoint raw_syscalls/sys_enter" || p.Programs[0].ProgramID == 0 || len(p.Maps) != 3 {
		t.Errorf("list: %s", out)
	}
	checkListTable(t, e, "clitest-list")

	out, errOut, code = e.polrun("unload", "clitest-list")
	if code != exitOK || out != "unloaded clitest-list\n" {
		t.Errorf("unload: exit %d\n%s%s", code, out, errOut)
	}
	if pins := e.pins(); len(pins) > 0 {
		t.Errorf("pins left after unload: %q", pins)
	}
	if _, errOut, code := e.polrun("unload", "clitest-list"); code != exitFail || !strings.Contains(errOut, "not loaded") {
		t.Errorf("unload again: exit %d %s", code, errOut)
	}
}

// polrun events prints Tetragon JSON, one object per line, for the
// syscalls of the target process.
func TestEventsJSONAndCompact(t *testing.T) {
	e := newEnv(t)
	target := startSyscaller(t)
	if _, errOut, code := e.polrun("load", e.syscallBundle("clitest-events", target)); code != exitOK {
		t.Fatalf("load: %s", errOut)
	}
	for _, format := range []string{"json", "compact"} {
		t.Run(format, func(t *testing.T) {
			cmd := exec.Command(polrunBin, "events", "--pin-root", e.root, "-o", format, "--node-name", "n1", "--duration", "3s",
				"--process-events=false") // policy events only (procevents_test.go has the others)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var errOut bytes.Buffer
			cmd.Stderr = &errOut
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			found := false
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				line := sc.Text()
				if format == "compact" {
					found = found || strings.Contains(line, " clitest-events tracepoint raw_syscalls/sys_enter ") && strings.Contains(line, "id=x64/getppid(110) POST")
					continue
				}
				var ev struct {
					PT *struct {
						Process struct {
							PID uint32 `json:"pid"`
						} `json:"process"`
						Args []struct {
							SyscallID *struct {
								ID uint32 `json:"id"`
							} `json:"syscall_id"`
						} `json:"args"`
						PolicyName string `json:"policy_name"`
					} `json:"process_tracepoint"`
					NodeName string `json:"node_name"`
				}
				if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.PT == nil {
					t.Fatalf("not a process_tracepoint event: %q (%v)", line, err)
				}
				if ev.PT.Process.PID != target || ev.PT.PolicyName != "clitest-events" || ev.NodeName != "n1" {
					t.Errorf("event %s", line)
				}
				if len(ev.PT.Args) == 1 && ev.PT.Args[0].SyscallID != nil && ev.PT.Args[0].SyscallID.ID == uint32(syscall.SYS_GETPPID) {
					found = true
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("events: %v\n%s", err, errOut.String())
			}
			if !found {
				t.Errorf("no getppid event in the output; stderr:\n%s", errOut.String())
			}
			if !strings.Contains(errOut.String(), "0 undecodable, 0 read errors, 0 lost") {
				t.Errorf("summary: %s", errOut.String())
			}
		})
	}
}

// polrun run killed with SIGKILL leaves the policy pinned and working;
// a later unload removes every pin.
func TestKill9LeavesPolicyInForce(t *testing.T) {
	e := newEnv(t)
	target := startSyscaller(t)
	cmd := exec.Command(polrunBin, e.args([]string{"run", e.syscallBundle("clitest-kill", target)})...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = new(bytes.Buffer)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "loaded clitest-kill") {
		cmd.Process.Kill()
		t.Fatalf("polrun run said %q", sc.Text())
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	if pins := e.pins(); len(pins) == 0 {
		t.Fatal("no pins after kill -9")
	}
	// The policy still posts events for this process.
	s, err := loader.OpenStream(&loader.StreamOptions{PinRoot: e.root})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		ev, err := s.Next(ctx)
		if err != nil {
			t.Fatalf("no event from the pinned policy: %v", err)
		}
		if ev.Policy == "clitest-kill" && *ev.Process.PID == target {
			break
		}
	}

	if _, errOut, code := e.polrun("unload", "clitest-kill"); code != exitOK {
		t.Fatalf("unload: %s", errOut)
	}
	if pins := e.pins(); len(pins) > 0 {
		t.Errorf("pins left: %q", pins)
	}
}

// polrun run unloads what it loaded when its output pipe is closed
// (polrun run | head).
func TestRunUnloadsOnClosedPipe(t *testing.T) {
	e := newEnv(t)
	cmd := exec.Command(polrunBin, e.args([]string{"run", "--process-events=false", e.syscallBundle("clitest-pipe", startSyscaller(t))})...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read one event, then close the pipe like head does.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "clitest-pipe") {
		t.Fatalf("first line %q: %v", line, err)
	}
	stdout.Close()
	err = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitFail || !strings.Contains(errOut.String(), "broken pipe") {
		t.Errorf("run: %v, exit %d\n%s", err, code, errOut.String())
	}
	if pins := e.pins(); len(pins) > 0 {
		t.Errorf("pins left: %q", pins)
	}
}

// polrun run unloads what it loaded when it gets SIGTERM.
func TestRunUnloadsOnSIGTERM(t *testing.T) {
	e := newEnv(t)
	cmd := exec.Command(polrunBin, e.args([]string{"run", "-o", "compact", e.syscallBundle("clitest-run", startSyscaller(t))})...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "loaded clitest-run") {
		cmd.Process.Kill()
		t.Fatalf("polrun run said %q", sc.Text())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	var rest []string
	for sc.Scan() {
		rest = append(rest, sc.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("run: %v\n%s", err, strings.Join(rest, "\n"))
	}
	if pins := e.pins(); len(pins) > 0 {
		t.Errorf("pins left: %q", pins)
	}
}

func TestUsageAndErrors(t *testing.T) {
	testenv.Require(t, testenv.Tool("go"))
	if polrunBin == "" {
		t.Fatal("polrun could not be built")
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{nil, exitUsage, "polrun: error: no command given\nusage: polrun"},
		{[]string{"frob"}, exitUsage, "polrun: error: unknown command"},
		{[]string{"load"}, exitUsage, "polrun: error: give the bundles to load\nusage: polrun load"},
		{[]string{"run"}, exitUsage, "polrun: error: give the bundles to run\nusage: polrun run"},
		{[]string{"unload"}, exitUsage, "polrun: error: give the names of policies to unload, or --all, not both\nusage: polrun unload"},
		{[]string{"unload", "--all", "x"}, exitUsage, "usage: polrun unload"},
		{[]string{"events", "-o", "xml"}, exitUsage, "polrun: error: unknown output format \"xml\" (want json or compact)\nusage: polrun events"},
		{[]string{"events", "extra"}, exitUsage, "polrun: error: unexpected argument \"extra\""},
		{[]string{"events", "--action-workers", "0"}, exitUsage, "polrun: error: --action-workers must be above 0"},
		{[]string{"list", "-o", "bogus"}, exitUsage, "polrun: error: unknown output format \"bogus\" (want text, json or yaml)\nusage: polrun list"},
		{[]string{"features", "extra"}, exitUsage, "polrun: error: unexpected argument \"extra\""},
		{[]string{"list", "--bogus"}, exitUsage, "polrun: error: flag provided but not defined: -bogus\nusage: polrun list"},
		{[]string{"serve"}, exitUsage, "polrun: error: give the directory of bundles to keep loaded: --dir DIR"},
		{[]string{"profile"}, exitUsage, "polrun: error: give -o FILE"},
		{[]string{"set-mode", "p"}, exitUsage, "polrun: error: want a policy name and a mode, got 1 arguments"},
		{[]string{"completion", "tcsh"}, exitUsage, "polrun: error: unknown shell \"tcsh\""},
		{[]string{"version", "x"}, exitUsage, "polrun: error: version takes no arguments"},
		{[]string{"load", "/nonexistent.bpf.o"}, exitUsage, "polrun: error: stat /nonexistent.bpf.o: no such file"},
		{[]string{"run", "/nonexistent.bpf.o"}, exitUsage, "polrun: error: stat /nonexistent.bpf.o: no such file"},
		{[]string{"load", "/etc/passwd"}, exitFail, "read ELF"},
		{[]string{"load", "--base", "/nonexistent", "/etc/passwd"}, exitFail, "read base object"},
	} {
		cmd := exec.Command(polrunBin, tc.args...)
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(errOut.String(), tc.msg) {
			t.Errorf("polrun %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut.String(), tc.code, tc.msg)
		}
	}
}

// polrun goes onto hosts: it must not link the compiler.
func TestNoCompilerLinked(t *testing.T) {
	testenv.Require(t, testenv.Tool("go"))
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"/compiler", "/codegen", "/ir", "/schema"} {
			if strings.HasPrefix(pkg, "github.com/polc-dev/polc"+banned) {
				t.Errorf("polrun links %s", pkg)
			}
		}
	}
}

// TestHelp: every command's -h shows its usage, examples and exit status,
// and exits 0; completion scripts name every command's flags.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		var out, errOut bytes.Buffer
		if code := run([]string{c.name, "-h"}, &out, &errOut); code != exitOK {
			t.Errorf("%s -h: exit %d", c.name, code)
		}
		for _, want := range []string{"usage: polrun " + c.name, "\nexamples:\n  ", "\nexit status:\n  0  ", "\n  2  a usage error"} {
			if !strings.Contains(errOut.String(), want) {
				t.Errorf("%s -h lacks %q:\n%s", c.name, want, errOut.String())
			}
		}
	}
	var script, errOut bytes.Buffer
	if code := run([]string{"completion", "bash"}, &script, &errOut); code != exitOK {
		t.Fatalf("completion bash: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"serve) flags=", "--dir", "--verify", "--pin-root", "complete -o default -F _polrun polrun"} {
		if !strings.Contains(script.String(), want) {
			t.Errorf("bash completion lacks %q", want)
		}
	}
}
