package codegen

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/fetch"
	"github.com/polc-dev/polc/internal/testenv"
)

func init() {
	// openerr:PATH opens a file and exits with the errno of a failure.
	childVerbs["openerr"] = func(path string) int {
		fd, err := unix.Open(path, unix.O_RDONLY, 0)
		if err != nil {
			var errno unix.Errno
			if errors.As(err, &errno) {
				return int(errno)
			}
			return 255
		}
		unix.Close(fd)
		return 0
	}
	// dupwrite:PATH writes "first" to a new fd of PATH, dup3s it to fd 100
	// and writes "second" there, and closes both.
	childVerbs["dupwrite"] = func(path string) int {
		fd, err := unix.Open(path, unix.O_WRONLY|unix.O_APPEND, 0)
		if err != nil {
			return 3
		}
		unix.Write(fd, []byte("first"))
		if err := unix.Dup3(fd, 100, 0); err != nil {
			return 4
		}
		unix.Write(100, []byte("second"))
		unix.Close(100)
		unix.Close(fd)
		return 0
	}
	// connect:ADDR opens a TCP connection to ADDR and closes it.
	childVerbs["connect"] = func(addr string) int {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return 3
		}
		c.Close()
		return 0
	}
}

// attachAll attaches every program of b as its manifest says, and returns
// a function that detaches them (also called at cleanup).
func attachAll(t *testing.T, l *loaded, b *Bundle) func() {
	t.Helper()
	var links []link.Link
	detach := func() {
		for _, lk := range links {
			lk.Close()
		}
		links = nil
	}
	t.Cleanup(detach)
	for _, h := range b.Manifest.Hooks {
		for _, p := range h.Programs {
			prog := l.coll.Programs[p.Name]
			var lk link.Link
			var err error
			switch p.Attach {
			case "kprobe":
				lk, err = link.Kprobe(h.Target, prog, nil)
			case "kretprobe":
				lk, err = link.Kretprobe(h.Target, prog, nil)
			case "tracepoint":
				group, name, _ := strings.Cut(h.Target, "/")
				lk, err = link.Tracepoint(group, name, prog, nil)
			case "fmod_ret":
				lk, err = link.AttachTracing(link.TracingOptions{Program: prog, AttachType: ebpf.AttachModifyReturn})
			case "lsm":
				lk, err = link.AttachLSM(link.LSMOptions{Program: prog})
			default:
				err = fmt.Errorf("attach kind %q", p.Attach)
			}
			if err != nil {
				t.Fatalf("attach %s (%s %s): %v", p.Name, p.Attach, h.Target, err)
			}
			links = append(links, lk)
		}
	}
	return detach
}

// logVerifier logs the verifier's figures of every program of a test.
func logVerifier(t *testing.T, what string, l *loaded) {
	for name, st := range l.stats {
		t.Logf("VERIFIER %s %s: %d verified instructions in %v", what, name, st.Verified, st.Load)
	}
}

// exitSignal returns the signal that ended a finished command, 0 if it
// exited.
func exitSignal(err error) syscall.Signal {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws := exit.Sys().(syscall.WaitStatus); ws.Signaled() {
			return ws.Signal()
		}
	}
	return 0
}

// exitCode returns the exit status of a finished command, -1 when a signal
// ended it.
func exitCode(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	return -1
}

// TestSignalSelectors: Sigkill and Signal act synchronously on the caller,
// and only the matching selector's actions run: opening the file of the
// Sigkill selector kills, that of the Signal selector (SIGTERM) ends the
// process with SIGTERM, that of the Post selector leaves it alone, each
// record naming its selector and action. On a syscall tracepoint (the
// host) and on a kprobe (the guests).
func TestSignalSelectors(t *testing.T) {
	for _, kind := range []string{"tracepoint", "kprobe"} {
		t.Run(kind, func(t *testing.T) {
			reqs := []testenv.Requirement{testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF, testenv.RingBuf}
			if kind == "kprobe" {
				reqs = append(reqs, testenv.Kprobes)
			} else {
				reqs = append(reqs, testenv.Tracepoints)
			}
			testenv.Require(t, reqs...)
			bin := childBinary(t, "signalled")
			dir := filepath.Dir(bin)
			kill, term, post := filepath.Join(dir, "kill"), filepath.Join(dir, "term"), filepath.Join(dir, "post")
			hook := `  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    args:
    - index: 6
      type: "string"
`
			if kind == "kprobe" {
				hook = `  kprobes:
  - call: "sys_openat"
    syscall: true
    args:
    - index: 1
      type: "string"
`
			}
			b := buildSource(t, "signals.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "signals"
spec:
`+hook+`    selectors:
    - matchArgs:
      - index: `+map[string]string{"tracepoint": "6", "kprobe": "1"}[kind]+`
        operator: "Equal"
        values: ["`+kill+`"]
      matchActions:
      - action: Sigkill
    - matchArgs:
      - index: `+map[string]string{"tracepoint": "6", "kprobe": "1"}[kind]+`
        operator: "Prefix"
        values: ["`+term+`"]
      matchActions:
      - action: Signal
        argSig: 15
    - matchArgs:
      - index: `+map[string]string{"tracepoint": "6", "kprobe": "1"}[kind]+`
        operator: "Prefix"
        values: ["`+dir+`/"]
`)
			l := loadBundle(t, b)
			logVerifier(t, "signals", l)
			detach := attachAll(t, l, b)
			want := map[string]struct {
				sig      syscall.Signal
				selector uint8
				action   bpf.Action
			}{
				kill: {syscall.SIGKILL, 1, bpf.ActionSigkill},
				term: {syscall.SIGTERM, 2, bpf.ActionSignal},
				post: {0, 3, bpf.ActionPost},
			}
			pids := map[uint32]string{}
			for _, path := range []string{kill, term, post} {
				cmd := child(bin, "open:"+path)
				err := cmd.Run()
				if got := exitSignal(err); got != want[path].sig || want[path].sig == 0 && err != nil {
					t.Errorf("child opening %s: %v (signal %v), want signal %v", filepath.Base(path), err, got, want[path].sig)
				}
				pids[uint32(cmd.Process.Pid)] = path
			}
			detach()
			seen := map[string]int{}
			for _, r := range readRecords(t, l, b, time.Second, nil) {
				path, ok := pids[r.Tgid]
				if r.Kind != bpf.EventPolicy || !ok {
					continue
				}
				if got, _, _ := bytesArg(r.Args[0]); string(got) != path {
					continue // the loader's own opens
				}
				seen[path]++
				if w := want[path]; r.Selector != w.selector || r.Action != w.action {
					t.Errorf("record of %s: selector %d action %v, want selector %d action %v",
						filepath.Base(path), r.Selector, r.Action, w.selector, w.action)
				}
			}
			for _, path := range []string{kill, term, post} {
				if seen[path] != 1 {
					t.Errorf("%d records of the child opening %s, want 1", seen[path], filepath.Base(path))
				}
			}
		})
	}
}

// TestOverrideSecurity: Override on a security_* function (compiled to an
// fmod_ret program) makes open(2) fail with argError, for the file the
// selector names only; the return probe still reports the call, with the
// overridden value. And Override on the file_open LSM hook, through the
// LSM program's return value.
func TestOverrideSecurity(t *testing.T) {
	t.Run("fmod_ret", func(t *testing.T) {
		testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.FmodRet, testenv.Kretprobes)
		bin := childBinary(t, "opener")
		denied, allowed := filepath.Join(filepath.Dir(bin), "denied"), filepath.Join(filepath.Dir(bin), "allowed")
		for _, f := range []string{denied, allowed} {
			if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b := buildSource(t, "override.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "override-open"
spec:
  kprobes:
  - call: "security_file_open"
    syscall: false
    return: true
    args:
    - index: 0
      type: "file"
    returnArg:
      index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["`+denied+`"]
      matchActions:
      - action: Override
        argError: -13
`)
		if p := b.Manifest.Hooks[0].Programs[0]; p.Attach != "fmod_ret" || b.Manifest.Hooks[0].Override != bpf.OverrideFmodRet {
			t.Fatalf("entry program %+v, override %q: want fmod_ret", p, b.Manifest.Hooks[0].Override)
		}
		l := loadBundle(t, b)
		logVerifier(t, "override", l)
		detach := attachAll(t, l, b)
		deniedCmd := child(bin, "openerr:"+denied)
		if code := exitCode(deniedCmd.Run()); code != int(unix.EACCES) {
			t.Errorf("opening %s: exit %d, want EACCES (%d)", denied, code, unix.EACCES)
		}
		allowedCmd := child(bin, "openerr:"+allowed)
		if code := exitCode(allowedCmd.Run()); code != 0 {
			t.Errorf("opening %s: exit %d, want 0", allowed, code)
		}
		detach()
		n := 0
		for _, r := range readRecords(t, l, b, time.Second, nil) {
			if r.Kind != bpf.EventPolicy {
				continue
			}
			path, _, _ := bytesArg(r.Args[0])
			if string(path) != denied || r.Tgid != uint32(deniedCmd.Process.Pid) {
				t.Errorf("record of %d for %q", r.Tgid, path)
				continue
			}
			if r.Action != bpf.ActionOverride || r.Flags&bpf.FlagReturn == 0 || r.Ret != -int64(unix.EACCES) {
				t.Errorf("record %+v: want action Override, returned -EACCES", r.Header)
			}
			n++
		}
		if n != 1 {
			t.Errorf("%d records of the denied open, want 1", n)
		}
	})
	t.Run("lsm", func(t *testing.T) {
		testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.LSM)
		bin := childBinary(t, "opener")
		denied := filepath.Join(filepath.Dir(bin), "denied")
		if err := os.WriteFile(denied, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		b := buildSource(t, "override-lsm.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "override-lsm"
spec:
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["`+denied+`"]
      matchActions:
      - action: Override
        argError: -1
`)
		l := loadBundle(t, b)
		logVerifier(t, "override-lsm", l)
		detach := attachAll(t, l, b)
		cmd := child(bin, "openerr:"+denied)
		if code := exitCode(cmd.Run()); code != int(unix.EPERM) {
			t.Errorf("opening %s: exit %d, want EPERM (%d)", denied, code, unix.EPERM)
		}
		if code := exitCode(child(bin, "openerr:"+bin).Run()); code != 0 {
			t.Errorf("opening %s: exit %d, want 0", bin, code)
		}
		detach()
		n := 0
		for _, r := range readRecords(t, l, b, time.Second, nil) {
			if r.Kind == bpf.EventPolicy && r.Tgid == uint32(cmd.Process.Pid) && r.Action == bpf.ActionOverride {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d Override records of the denied open, want 1", n)
		}
	})
}

// followFDPolicy follows the fds of files under dir (fd_install), forgets
// them on close, copies them on dup3, and reports writes to them with the
// fd as a path.
func followFDPolicy(dir string) string {
	return `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "follow-fd"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: int
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Prefix"
        values: ["` + dir + `/"]
      matchActions:
      - action: FollowFD
        argFd: 0
        argName: 1
      - action: NoPost
  - call: "sys_close"
    syscall: true
    args:
    - index: 0
      type: "int"
    selectors:
    - matchActions:
      - action: UnfollowFD
        argFd: 0
        argName: 0
      - action: NoPost
  - call: "sys_dup3"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "int"
    selectors:
    - matchActions:
      - action: CopyFD
        argFd: 0
        argName: 1
      - action: NoPost
  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Prefix"
        values: ["` + dir + `/"]
`
}

// TestFollowFD: FollowFD on fd_install, CopyFD on dup3 and UnfollowFD on
// close keep the fd map so that sys_write's fd argument prints and
// matches as the file's path, for the fd open returned and for its
// duplicate; writes to files not followed do not match; no entry of the
// process is left after it closed its fds.
func TestFollowFD(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	bin := childBinary(t, "writer")
	dir := filepath.Dir(bin)
	target := filepath.Join(dir, "followed")
	other := filepath.Join(t.TempDir(), "not-followed")
	for _, f := range []string{target, other} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := buildSource(t, "followfd.yaml", followFDPolicy(dir))
	l := loadBundle(t, b)
	logVerifier(t, "followfd", l)
	detach := attachAll(t, l, b)
	cmd := child(bin, "dupwrite:"+target)
	if err := cmd.Run(); err != nil {
		t.Fatalf("child writing %s: %v", target, err)
	}
	otherCmd := child(bin, "dupwrite:"+other)
	if err := otherCmd.Run(); err != nil {
		t.Fatalf("child writing %s: %v", other, err)
	}
	detach()
	pid := uint32(cmd.Process.Pid)
	writes := map[string]string{}
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		if r.HookID != 3 {
			t.Errorf("record of hook %d, whose selectors say NoPost", r.HookID)
			continue
		}
		path, flags, _ := bytesArg(r.Args[0])
		data, _, _ := bytesArg(r.Args[1])
		if r.Tgid != pid || string(path) != target {
			t.Errorf("write record of %d (child %d) for %q (flags %#x) with %q", r.Tgid, pid, path, flags, data)
			continue
		}
		writes[string(data)] = string(path)
	}
	if writes["first"] != target || writes["second"] != target || len(writes) != 2 {
		t.Errorf("writes reported: %v; want first and second to %s", writes, target)
	}
	var key [8]byte
	var value []byte
	it := l.coll.Maps[fetch.FDMap].Iterate()
	left := 0
	for it.Next(&key, &value) {
		if tgid := uint32(key[0]) | uint32(key[1])<<8 | uint32(key[2])<<16 | uint32(key[3])<<24; tgid == pid {
			left++
		}
	}
	if left != 0 {
		t.Errorf("%d fd map entries of process %d left after it closed its fds", left, pid)
	}
}

// inNewPIDNamespace starts a child as the init of a new PID namespace and
// returns a function that runs a child in that namespace whose parent is
// outside it, as kubectl exec starts processes in a container.
func inNewPIDNamespace(t *testing.T, bin string) func(what string) (*exec.Cmd, error) {
	t.Helper()
	init := child(bin, "sleep:120s")
	init.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID}
	if err := init.Start(); err != nil {
		t.Fatalf("start a PID namespace: %v", err)
	}
	t.Cleanup(func() { init.Process.Kill(); init.Wait() })
	ns := fmt.Sprintf("/proc/%d/ns/pid", init.Process.Pid)
	return func(what string) (*exec.Cmd, error) {
		type result struct {
			cmd *exec.Cmd
			err error
		}
		done := make(chan result)
		go func() {
			// The thread joins the namespace for its children and is
			// never unlocked: it ends with the goroutine.
			runtime.LockOSThread()
			fd, err := unix.Open(ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
			if err != nil {
				done <- result{nil, err}
				return
			}
			defer unix.Close(fd)
			if err := unix.Setns(fd, unix.CLONE_NEWPID); err != nil {
				done <- result{nil, fmt.Errorf("setns: %w", err)}
				return
			}
			cmd := child(bin, what)
			err = cmd.Run()
			done <- result{cmd, err}
		}()
		r := <-done
		return r.cmd, r.err
	}
}

// TestSigkillSpecExample runs the specification's Sigkill example
// (tracing-policy.md): sys_write to a file under a protected prefix by a
// process that is not a container's init nor one of its descendants (the
// matchPIDs NotIn 0, 1 with followForks and isNamespacePID) is killed
// synchronously. The fd argument is a path through FollowFD on
// fd_install. The protected file is a temporary one instead of
// /etc/passwd. A process started in a PID namespace from outside it, as
// kubectl exec does, is killed when it writes the file and left alone when
// it writes another; a descendant of PID 1 writing the file is left alone,
// as the spec's filter says.
func TestSigkillSpecExample(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	bin := childBinary(t, "writer")
	dir := filepath.Dir(bin)
	protected := filepath.Join(dir, "passwd")
	other := filepath.Join(dir, "other")
	for _, f := range []string{protected, other} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	policy := `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "sigkill-example"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: int
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Prefix"
        values: ["` + dir + `/"]
      matchActions:
      - action: FollowFD
        argFd: 0
        argName: 1
      - action: NoPost
  - call: "sys_close"
    syscall: true
    args:
    - index: 0
      type: "int"
    selectors:
    - matchActions:
      - action: UnfollowFD
        argFd: 0
        argName: 0
      - action: NoPost
  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values:
        - 0
        - 1
      matchArgs:
      - index: 0
        operator: "Prefix"
        values:
        - "` + protected + `"
      matchActions:
      - action: Sigkill
`
	b := buildSource(t, "sigkill-example.yaml", policy)
	l := loadBundle(t, b)
	logVerifier(t, "sigkill-example", l)
	detach := attachAll(t, l, b)
	execIn := inNewPIDNamespace(t, bin)

	descendant := child(bin, "write:"+protected+":init's descendant\n")
	if err := descendant.Run(); err != nil {
		t.Errorf("descendant of PID 1 writing %s: %v, want exit 0 (the spec's filter spares it)", protected, err)
	}
	victim, err := execIn("write:" + protected + ":intruder\n")
	if victim == nil {
		t.Fatalf("start a process in the PID namespace: %v", err)
	}
	if sig := exitSignal(err); sig != syscall.SIGKILL {
		t.Errorf("process exec'd into the namespace writing %s: %v, want killed by SIGKILL", protected, err)
	}
	bystander, err := execIn("write:" + other + ":fine\n")
	if err != nil {
		t.Errorf("process exec'd into the namespace writing %s: %v, want exit 0", other, err)
	}
	detach()
	if bystander == nil {
		t.FailNow()
	}
	if data, _ := os.ReadFile(protected); string(data) != "init's descendant\n" {
		t.Errorf("%s holds %q, want only the descendant's write", protected, data)
	}
	n := 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		path, _, _ := bytesArg(r.Args[0])
		if r.Tgid != uint32(victim.Process.Pid) || string(path) != protected || r.Action != bpf.ActionSigkill {
			t.Errorf("record of %d (victim %d, bystander %d, descendant %d) for %q action %v", r.Tgid,
				victim.Process.Pid, bystander.Process.Pid, descendant.Process.Pid, path, r.Action)
			continue
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d records of the killed write, want 1", n)
	}
}

// upLoopback brings the loopback interface up (it is down in the vmtest
// guest).
func upLoopback(t *testing.T) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		t.Fatalf("flags of lo: %v", err)
	}
	if flags := ifr.Uint16(); flags&unix.IFF_UP == 0 {
		ifr.SetUint16(flags | unix.IFF_UP)
		if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
			t.Fatalf("bring lo up: %v", err)
		}
	}
}

// TestTrackSock: TrackSock on the sock sk_alloc returns (with NoPost, so
// that only the tracking happens) maps the listening socket of this
// process to it; tcp_conn_request, which runs for the listener when a SYN
// arrives, in the context of the connecting child (or a softirq), then
// reports this process as the owner (FlagSockOwner), while a hook on the
// function that calls it, reading only the packet, reports the task it
// ran in.
func TestTrackSock(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes, testenv.Kretprobes)
	bin := childBinary(t, "connector")
	upLoopback(t)
	// A free port, for the policy to filter on: the listener must be
	// created after the policy is attached, for sk_alloc to track it.
	probe, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := probe.Addr().(*net.TCPAddr).Port
	probe.Close()
	policy := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "track-sock"
spec:
  kprobes:
  - call: "sk_alloc"
    syscall: false
    return: true
    args:
    - index: 1
      type: int
      label: "family"
    returnArg:
      index: 0
      type: sock
    returnArgAction: TrackSock
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values: ["2"]
      matchActions:
      - action: NoPost
  - call: "__sk_free"
    syscall: false
    args:
    - index: 0
      type: sock
    selectors:
    - matchActions:
      - action: UntrackSock
        argSock: 0
      - action: NoPost
  - call: "tcp_conn_request"
    syscall: false
    args:
    - index: 2
      type: sock
    selectors:
    - matchArgs:
      - index: 2
        operator: "SPort"
        values: ["%d"]
  - call: "tcp_rcv_state_process"
    syscall: false
    args:
    - index: 1
      type: skb
    selectors:
    - matchArgs:
      - index: 1
        operator: "DPort"
        values: ["%d"]
`, port, port)
	b := buildSource(t, "tracksock.yaml", policy)
	l := loadBundle(t, b)
	logVerifier(t, "tracksock", l)
	detach := attachAll(t, l, b)
	ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Close()
		}
		accepted <- err
	}()
	cmd := child(bin, fmt.Sprintf("connect:127.0.0.1:%d", port))
	if err := cmd.Run(); err != nil {
		t.Fatalf("child connecting: %v", err)
	}
	if err := <-accepted; err != nil {
		t.Fatal(err)
	}
	detach()
	self := uint32(os.Getpid())
	var owner, context int
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		switch r.HookID {
		case 2:
			if r.Tgid != self || r.Flags&bpf.FlagSockOwner == 0 {
				t.Errorf("listener's record: tgid %d flags %#x, want this process (%d) as the owner", r.Tgid, r.Flags, self)
			}
			owner++
		case 3:
			// Without a tracked sock the record names the task the
			// packet was processed in: the connecting child for its own
			// packets, but on loopback also this process (softirq work
			// done in its context), never as an owner.
			if r.Flags&bpf.FlagSockOwner != 0 {
				t.Errorf("record without a sock: tgid %d flags %#x, want the task it ran in, not an owner", r.Tgid, r.Flags)
			}
			t.Logf("tcp_rcv_state_process ran in task %d (child %d, this process %d)", r.Tgid, cmd.Process.Pid, self)
			if r.Tgid == uint32(cmd.Process.Pid) {
				context++
			}
		default:
			t.Errorf("record of hook %d, whose selectors say NoPost", r.HookID)
		}
	}
	if owner != 1 || context == 0 {
		t.Errorf("%d owner records and %d records in the child's context, want 1 and some", owner, context)
	}
}

// TestNotifyEnforcer: NotifyEnforcer on raw_syscalls/sys_enter marks the
// thread, and the enforcer on sys_dup3 (a kprobe: the policy asks for a
// signal only) kills it there, for the binary the selector names and not
// for another. With an argError as well, the enforcer needs
// bpf_override_return, which the manifest says for the loader to check,
// with a hint.
func TestNotifyEnforcer(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	bin := childBinary(t, "enforced")
	other := childBinary(t, "spared")
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	policy := func(extra string) string {
		return fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "kill-dup3"
spec:
  enforcers:
  - calls:
    - "sys_dup3"
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "syscall64"
    selectors:
    - matchArgs:
      - index: 4
        operator: "Equal"
        values: ["%d"]
      matchBinaries:
      - operator: "In"
        values: ["%s"]
      matchActions:
      - action: "NotifyEnforcer"
        argSig: 9
%s`, unix.SYS_DUP3, bin, extra)
	}
	withError := buildSource(t, "kill-dup3-error.yaml", policy("        argError: -1\n"))
	enf := withError.Manifest.Hooks[1]
	if !enf.Enforcer || enf.Target != "__x64_sys_dup3" || enf.Override != bpf.OverrideReturn || !strings.Contains(enf.OverrideHint, "security_") {
		t.Errorf("enforcer with an error: %+v", enf)
	}

	b := buildSource(t, "kill-dup3.yaml", policy(""))
	if enf := b.Manifest.Hooks[1]; !enf.Enforcer || enf.Override != "" || enf.Programs[0].Attach != "kprobe" {
		t.Fatalf("signal-only enforcer: %+v", enf)
	}
	pin := pinDir(t)
	loadBaseIn(t, pin) // matchBinaries reads the process table
	spec, _ := loadableSpec(t, b)
	l := loadSpecIn(t, b, spec, pin)
	logVerifier(t, "kill-dup3", l)
	detach := attachAll(t, l, b)
	err := child(bin, "dupwrite:"+file).Run()
	if sig := exitSignal(err); sig != syscall.SIGKILL {
		t.Errorf("%s calling dup3: %v, want killed by SIGKILL", bin, err)
	}
	if err := child(other, "dupwrite:"+file).Run(); err != nil {
		t.Errorf("%s calling dup3: %v, want exit 0", other, err)
	}
	detach()
	if data, _ := os.ReadFile(file); string(data) != "firstfirstsecond" {
		t.Errorf("file holds %q: want the killed child's first write only, then the other's two", data)
	}
}
