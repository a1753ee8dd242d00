package loader

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestMatchCmdArgs loads a policy on syscalls/sys_enter_getppid with
// matchCmdArgs (argument 0 Equal "--mode=watch" and argument 1 Prefix
// "/srv/") and runs helpers, copies of this test binary, with different
// arguments: only the helpers whose arguments match have events, also one
// started before the policy was loaded (its arguments come from
// /proc/PID/cmdline, seeded when the base is loaded). (The base's own
// test, codegen/base TestCmdArgs, checks that a fork keeps its parent's
// arguments.)
func TestMatchCmdArgs(t *testing.T) {
	o := testOptions(t)
	start := func(h *helper, args ...string) {
		h.cmd = exec.Command(h.path, args...)
		h.cmd.Env = append(os.Environ(), "POLC_LOADER_HELPER=getppid")
		h.cmd.Stderr = os.Stderr
		var err error
		if h.stdin, err = h.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := h.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.cmd.Process.Kill(); h.cmd.Wait() })
	}
	before := newHelper(t)
	start(before, "--mode=watch", "/srv/data", "x")
	// Let the exec of the helper started before the load be over, so that
	// only procfs seeding can give the base its arguments.
	time.Sleep(100 * time.Millisecond)

	yaml := `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "cmdargs"
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_getppid"
    selectors:
    - matchCmdArgs:
      - index: 0
        operator: Equal
        values: ["--mode=watch"]
      - index: 1
        operator: Prefix
        values: ["/srv/"]
`
	b := compilePolicy(t, "cmdargs.yaml", yaml)
	s := loadAndStream(t, o, b)

	cases := []struct {
		name  string
		h     *helper
		args  []string
		match bool
	}{
		{"running before the load", before, nil, true},
		{"matching", newHelper(t), []string{"--mode=watch", "/srv/www"}, true},
		{"more arguments", newHelper(t), []string{"--mode=watch", "/srv/", "-v", "--", "z"}, true},
		{"argument 0 differs", newHelper(t), []string{"--mode=watched", "/srv/www"}, false},
		{"argument 1 differs", newHelper(t), []string{"--mode=watch", "/srv"}, false},
		{"swapped", newHelper(t), []string{"/srv/www", "--mode=watch"}, false},
		{"argument 1 missing", newHelper(t), []string{"--mode=watch"}, false},
		{"no arguments", newHelper(t), []string{}, false},
	}
	for _, c := range cases {
		if c.args != nil {
			start(c.h, c.args...)
		}
	}
	// This process calls getppid too, with other arguments.
	syscall.Getppid()
	evs := collect(t, s, "cmdargs", 300*time.Millisecond)
	for _, c := range cases {
		c.h.run(t)
	}
	evs = append(evs, collect(t, s, "cmdargs", time.Second)...)
	got := map[uint32]int{}
	for _, ev := range evs {
		got[*ev.Process.PID]++
	}
	for _, c := range cases {
		want := 0
		if c.match {
			want = 3
		}
		if n := got[c.h.pid()]; n != want {
			t.Errorf("%s (pid %d): %d events, want %d", c.name, c.h.pid(), n, want)
		}
		delete(got, c.h.pid())
	}
	if len(got) > 0 {
		t.Errorf("events of other processes: %v", got)
	}
	t.Logf("%d events", len(evs))
}
