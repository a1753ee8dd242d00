package loader

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
)

// The tests in this file load bundles compiled from policy YAML by the real
// compiler and codegen (test-only imports: polrun does not link them).

// compilePolicy builds policy YAML into a bundle and reads it back.
func compilePolicy(t *testing.T, name, yaml string) *Bundle {
	t.Helper()
	src := compiler.NewSource(name, []byte(yaml))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.Host()})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("check %s: %+v", name, res.Diagnostics)
	}
	pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.Host()})
	if pol == nil {
		t.Fatalf("lower %s: %+v", name, diags)
	}
	b, err := codegen.Build(pol, codegen.Options{Source: name, SourceData: []byte(yaml), Compiler: "loader-test"})
	if err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	bundle, err := ReadBundle(b.Object)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return bundle
}

// loadAndStream loads bundles and opens the event stream of o's pins,
// closed when the test ends.
func loadAndStream(t *testing.T, o *Options, bundles ...*Bundle) *Stream {
	t.Helper()
	if _, err := Load(bundles, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// helperMain runs when the test binary is started as a helper program
// (POLC_LOADER_HELPER=mode): it waits for a line on stdin, then acts.
func helperMain(mode string) int {
	bufio.NewReader(os.Stdin).ReadString('\n')
	switch mode {
	case "getppid":
		for range 3 {
			syscall.Getppid()
		}
	case "open", "open-wait":
		for _, f := range strings.Split(os.Getenv("POLC_LOADER_FILES"), ":") {
			if fd, err := syscall.Open(f, syscall.O_RDONLY, 0); err == nil {
				syscall.Close(fd)
			}
		}
		if mode == "open-wait" {
			// Stay until told, for what reads /proc/PID (stack_test.go).
			bufio.NewReader(os.Stdin).ReadString('\n')
		}
	case "write":
		// Appends a line to each file (mode_test.go).
		for _, f := range strings.Split(os.Getenv("POLC_LOADER_FILES"), ":") {
			fd, err := syscall.Open(f, syscall.O_WRONLY|syscall.O_APPEND, 0)
			if err != nil {
				return 1
			}
			syscall.Write(fd, []byte("written\n"))
			syscall.Close(fd)
		}
	case "mkdir":
		// Exits with the errno of the first mkdir that fails.
		for _, f := range strings.Split(os.Getenv("POLC_LOADER_FILES"), ":") {
			if err := syscall.Mkdir(f, 0o755); err != nil {
				if errno, ok := err.(syscall.Errno); ok {
					return int(errno)
				}
				return 1
			}
		}
	case "ids":
		// One of each syscall of kmulti_test.go's list.
		syscall.Getppid()
		syscall.Getpid()
		syscall.Gettid()
	case "getppid6":
		getppid6() // rawargs_test.go
	case "proc":
		return procHelper() // procevents_test.go
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		return 2
	}
	return 0
}

// helper is a copy of this test binary started as a helper program,
// waiting for go() to act. Being a copy, it has a path of its own for
// matchBinaries.
type helper struct {
	path  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

func startHelper(t *testing.T, mode string, env ...string) *helper {
	t.Helper()
	h := newHelper(t)
	h.start(t, mode, env...)
	return h
}

// newHelper copies this test binary; start runs the copy.
func newHelper(t *testing.T) *helper {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	h := &helper{path: filepath.Join(t.TempDir(), "polc-helper")}
	if err := os.WriteFile(h.path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *helper) start(t *testing.T, mode string, env ...string) {
	t.Helper()
	h.cmd = exec.Command(h.path, "helper-arg-1", "helper arg 2")
	h.cmd.Env = append(append(os.Environ(), "POLC_LOADER_HELPER="+mode), env...)
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

func (h *helper) pid() uint32 { return uint32(h.cmd.Process.Pid) }

// run lets the helper act and waits for it to exit.
func (h *helper) run(t *testing.T) {
	t.Helper()
	h.stdin.Write([]byte("go\n"))
	if err := h.cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
}

// collect returns the events of policy until none came for quiet.
func collect(t *testing.T, s *Stream, policy string, quiet time.Duration) []*Event {
	t.Helper()
	return collectAfter(t, s, policy, quiet, quiet)
}

// collectAfter is collect that waits up to first for the first event of
// any policy: for streams whose first event may take long on a slow guest.
func collectAfter(t *testing.T, s *Stream, policy string, first, quiet time.Duration) []*Event {
	t.Helper()
	var out []*Event
	for wait := first; ; wait = quiet {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		ev, err := s.Next(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if ev.Policy == policy {
			out = append(out, ev)
		}
	}
}

// A raw_syscalls/sys_enter policy with matchBinaries on a program yields
// that program's events and no other's, with the syscall ids it made:
// for a program running before the policy was loaded (the base seeds the
// process table from /proc) and for one started after (the base's exec
// program records it).
func TestMatchBinariesRawSyscalls(t *testing.T) {
	for _, before := range []bool{true, false} {
		name := "started-after-load"
		if before {
			name = "running-before-load"
		}
		t.Run(name, func(t *testing.T) { testMatchBinaries(t, before) })
	}
}

func testMatchBinaries(t *testing.T, startBeforeLoad bool) {
	o := testOptions(t)
	h := newHelper(t)
	if startBeforeLoad {
		h.start(t, "getppid")
	}
	yaml := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "helper-syscalls"
spec:
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "syscall64"
      label: "id"
    selectors:
    - matchBinaries:
      - operator: "In"
        values:
        - %q
`, h.path)
	b := compilePolicy(t, "helper-syscalls.yaml", yaml)
	s := loadAndStream(t, o, b)
	if !startBeforeLoad {
		h.start(t, "getppid")
	}
	// This process runs the same code from another path: none of its
	// syscalls may show up.
	syscall.Getppid()
	// Let the stream handle the helper's exec record while the helper
	// waits for its go: the process cache reads the arguments from /proc,
	// which a process that already exited no longer has.
	evs := collect(t, s, "helper-syscalls", 300*time.Millisecond)
	h.run(t)
	evs = append(evs, collect(t, s, "helper-syscalls", time.Second)...)
	getppid := 0
	for _, ev := range evs {
		if *ev.Process.PID != h.pid() || ev.Process.Binary != h.path {
			t.Errorf("event of pid %d (%s), want only the helper %d", *ev.Process.PID, ev.Process.Binary, h.pid())
		}
		id, ok := ev.Args[0].Value.(SyscallIDArg)
		if !ok || id.ABI != string(arch.Host().NativeABI()) {
			t.Errorf("argument %+v", ev.Args[0])
		}
		if id.ID == uint32(syscall.SYS_GETPPID) {
			getppid++
		}
	}
	if getppid != 3 {
		t.Errorf("%d getppid events among %d, want 3", getppid, len(evs))
	}
	if len(evs) == 0 {
		return
	}
	// The process cache knows the helper: seeded from /proc, or from the
	// exec record, with its arguments and its parent, this test.
	p := evs[0].Process
	wantFlags := "procFS"
	if !startBeforeLoad {
		wantFlags = "execve clone"
	}
	if p.Flags != wantFlags || p.Arguments != "helper-arg-1 helper arg 2" || p.StartTime == nil || p.ExecID == "" {
		t.Errorf("process %+v, want flags %q", p, wantFlags)
	}
	if evs[0].Parent == nil || *evs[0].Parent.PID != uint32(os.Getpid()) || p.ParentExecID != evs[0].Parent.ExecID {
		t.Errorf("parent %+v of %+v", evs[0].Parent, p)
	}
	line, _ := evs[0].MarshalJSON()
	t.Logf("%d events; first: %s", len(evs), line)
	if st := s.Stats(); st.Undecodable > 0 || st.ReadErrors > 0 {
		t.Errorf("stats %+v", st)
	}
}

// The spec's fd_install example reports {"file_arg":{"path":"/etc/passwd"}}
// when a process opens /etc/passwd, and nothing for other files. Kprobes:
// runs under make vmtest.
func TestFdInstallPasswd(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes)
	if _, err := os.Stat("/etc/passwd"); errors.Is(err, os.ErrNotExist) {
		// The vmtest guest's root is a bare initramfs.
		os.MkdirAll("/etc", 0o755)
		if err := os.WriteFile("/etc/passwd", []byte("root:x:0:0:root:/root:/bin/sh\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(t.TempDir(), "other")
	if err := os.WriteFile(other, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	const yaml = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "fd-install"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/etc/passwd"
`
	b := compilePolicy(t, "fd-install.yaml", yaml)
	h := startHelper(t, "open", "POLC_LOADER_FILES="+other+":/etc/passwd:"+other)
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %+v", res[0])
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.run(t)
	var mine []*Event
	for _, ev := range collect(t, s, "fd-install", 2*time.Second) {
		if *ev.Process.PID == h.pid() {
			mine = append(mine, ev)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("%d fd_install events of the helper, want 1 (for /etc/passwd): %v", len(mine), mine)
	}
	ev := mine[0]
	line, err := ev.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", line)
	if ev.Kind != KindKprobe || ev.FunctionName() != "fd_install" || !strings.Contains(string(line), `{"file_arg":{"path":"/etc/passwd"}}`) {
		t.Errorf("event %s", line)
	}
	if _, ok := ev.Args[0].Value.(int32); !ok {
		t.Errorf("fd argument %+v", ev.Args[0])
	}
}

// TestEmptyPolicy: a policy without hooks is a valid policy (Tetragon loads
// it): it builds a bundle with no programs, which loads, is listed with no
// programs, and unloads leaving nothing.
func TestEmptyPolicy(t *testing.T) {
	o := testOptions(t)
	b := compilePolicy(t, "empty.yaml", "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: \"empty\"\n")
	if len(b.Manifest.Hooks) != 0 || len(b.Spec.Programs) != 0 {
		t.Fatalf("an empty policy built %d hooks, %d programs", len(b.Manifest.Hooks), len(b.Spec.Programs))
	}
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Programs != 0 {
		t.Errorf("%d programs attached", res[0].Programs)
	}
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Policies) != 1 || st.Policies[0].Name != "empty" || len(st.Policies[0].Programs) != 0 || st.Policies[0].Err != nil {
		t.Errorf("list: %+v", st.Policies)
	}
	if err := Unload([]string{"empty"}, o); err != nil {
		t.Fatal(err)
	}
	if left := pinsUnder(t, filepath.Join(o.PinRoot, bpf.PoliciesDir)); len(left) > 0 {
		t.Errorf("left after unload: %v", left)
	}
}
