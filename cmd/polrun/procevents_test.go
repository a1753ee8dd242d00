package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// polrun events prints process_exec and process_exit events by default,
// with the arguments and cwd of a process that exits at once, its parent
// and, with --enable-ancestors, its ancestors; an export allowlist on
// event_set PROCESS_EXEC and PROCESS_EXIT keeps them alone.
func TestEventsProcessEvents(t *testing.T) {
	e := newEnv(t)
	if _, errOut, code := e.polrun("load", e.syscallBundle("clitest-proc", startSyscaller(t))); code != exitOK {
		t.Fatalf("load: %s", errOut)
	}
	cwd := filepath.Join(t.TempDir(), "work dir")
	if err := os.Mkdir(cwd, 0o755); err != nil {
		t.Fatal(err)
	}
	trueBin, err := filepath.EvalSymlinks("/bin/true")
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(polrunBin, e.args([]string{"events", "-o", "json", "--duration", "2s", "--enable-ancestors",
		"--export-allowlist", `{"event_set":["PROCESS_EXEC","PROCESS_EXIT"]}`})...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The base posted these records before the reader started, or while
	// it starts: the ring buffer keeps them for it.
	sh := exec.Command("/bin/sh", "-c", "/bin/true one 'two three'; exit 5")
	sh.Dir = cwd
	if err := sh.Run(); sh.ProcessState.ExitCode() != 5 {
		t.Fatalf("sh: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("polrun events: %v\n%s", err, errOut.String())
	}
	type process struct {
		ExecID    string `json:"exec_id"`
		PID       uint32 `json:"pid"`
		Binary    string `json:"binary"`
		Arguments string `json:"arguments"`
		Cwd       string `json:"cwd"`
	}
	type body struct {
		Process   *process  `json:"process"`
		Parent    *process  `json:"parent"`
		Ancestors []process `json:"ancestors"`
		Status    uint32    `json:"status"`
	}
	var trueExec, shExit *body
	var trueExits int
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var ev struct {
			Exec *body `json:"process_exec"`
			Exit *body `json:"process_exit"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Exec == nil && ev.Exit == nil {
			t.Fatalf("not a process event: %s (%v)", line, err)
		}
		switch {
		case ev.Exec != nil && ev.Exec.Process.Binary == trueBin && ev.Exec.Process.Cwd == cwd:
			trueExec = ev.Exec
		case ev.Exit != nil && ev.Exit.Process.PID == uint32(sh.Process.Pid):
			shExit = ev.Exit
		case ev.Exit != nil && trueExec != nil && ev.Exit.Process.ExecID == trueExec.Process.ExecID:
			trueExits++
		}
	}
	if trueExec == nil || shExit == nil || trueExits != 1 {
		t.Fatalf("exec of %s in %s: %+v, exit of the shell %+v, %d exits of true in:\n%s\n%s", trueBin, cwd, trueExec, shExit, trueExits, out.String(), errOut.String())
	}
	if trueExec.Process.Arguments != "one two three" || trueExec.Parent == nil || trueExec.Parent.PID != uint32(sh.Process.Pid) ||
		len(trueExec.Ancestors) == 0 || trueExec.Ancestors[0].PID != uint32(os.Getpid()) {
		t.Errorf("exec of true: %+v parent %+v ancestors %+v", trueExec.Process, trueExec.Parent, trueExec.Ancestors)
	}
	if shExit.Status != 5 {
		t.Errorf("exit of the shell: status %d, want 5", shExit.Status)
	}
}
