package loader

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/internal/testenv"
)

// int32ArrSizes are the sizes Tetragon's TestKprobePipe2Return tries (0:
// no size field), with the count of values each reports.
var int32ArrSizes = []struct {
	size, count int
}{{0, 0}, {1, 1}, {2, 2}, {5, 5}, {12, 8}}

// int32ArrPolicy is a policy reading pipe2's fds (argument 0, filled by
// the call) with size n at return, for the process pid.
func int32ArrPolicy(name, hook string, n int, pid uint32) string {
	size := ""
	if n > 0 {
		size = fmt.Sprintf("\n      size: %d", n)
	}
	return fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  %s
    args:
    - index: 0
      type: "int32_arr"%s
      returnCopy: true
      label: "pipefd"
    selectors:
    - matchPIDs:
      - operator: In
        values: [%d]
`, name, hook, size, pid)
}

// loadInt32ArrPolicies loads one policy per size of int32ArrSizes on hook
// (the YAML of a hook list) for pid and opens the stream.
func loadInt32ArrPolicies(t *testing.T, o *Options, hook string, pid uint32) *Stream {
	t.Helper()
	var bundles []*Bundle
	for _, c := range int32ArrSizes {
		name := fmt.Sprintf("int32arr-size-%d", c.size)
		bundles = append(bundles, compilePolicy(t, name+".yaml", int32ArrPolicy(name, hook, c.size, pid)))
	}
	return loadAndStream(t, o, bundles...)
}

// checkInt32ArrEvents checks that each policy reported one pipe2 call
// whose int32_list_arg holds the fds the call returned, as many values as
// the size asks (at most 8; the values past the array are whatever
// memory follows it, unchecked).
func checkInt32ArrEvents(t *testing.T, s *Stream, fds [2]int32) {
	t.Helper()
	got := map[string][]*Event{}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && len(got) < len(int32ArrSizes) {
		evs := collectAll(t, s, time.Second)
		for _, ev := range evs {
			got[ev.Policy] = append(got[ev.Policy], ev)
		}
	}
	for _, c := range int32ArrSizes {
		name := fmt.Sprintf("int32arr-size-%d", c.size)
		evs := got[name]
		if len(evs) != 1 {
			t.Errorf("%s: %d events, want 1", name, len(evs))
			continue
		}
		ev := evs[0]
		line, _ := ev.MarshalJSON()
		t.Logf("%s: %s", name, line)
		if len(ev.Args) != 1 || ev.Args[0].Key != "int32_list_arg" || ev.Args[0].Label != "pipefd" {
			t.Errorf("%s: args %+v, want one int32_list_arg labelled pipefd", name, ev.Args)
			continue
		}
		v := ev.Args[0].Value.(Int32ListArg).Values
		if len(v) != c.count {
			t.Errorf("%s: %d values %v, want %d", name, len(v), v, c.count)
			continue
		}
		if n := min(c.count, 2); !slices.Equal(v[:n], fds[:n]) {
			t.Errorf("%s: values %v, want the fds %v first", name, v, fds[:n])
		}
		want := fmt.Sprintf(`"int32_list_arg":{"values":[%d,%d]}`, fds[0], fds[1])
		switch c.count {
		case 0:
			want = `"int32_list_arg":{}`
		case 1:
			want = fmt.Sprintf(`"int32_list_arg":{"values":[%d]}`, fds[0])
		case 2:
		default:
			want = want[:len(want)-2] + ","
		}
		if !strings.Contains(string(line), want) {
			t.Errorf("%s: JSON lacks %s", name, want)
		}
	}
}

// An int32_arr argument of a kprobe on pipe2 with returnCopy reports the
// two fds the call returned (read at return, as pipe2 fills them during
// the call), for each size Tetragon's test tries. Kprobes: the vmtest
// guests.
func TestInt32ArrKprobePipe2(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes, testenv.Kretprobes)
	checkPipe2(t, loadInt32ArrPolicies(t, o, "kprobes:\n  - call: \"sys_pipe2\"\n    syscall: true", uint32(os.Getpid())))
}

// The same on an fentry (spec.fentries): polrun attaches the fentry and
// fexit programs to the syscall's wrapper, whose pt_regs is the first u64
// of their context; fexit reads the return value with bpf_get_func_ret
// (5.17). The events are process_kprobe, as in Tetragon.
func TestInt32ArrFentryPipe2(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Fentry, testenv.KernelAtLeast(5, 17))
	checkPipe2(t, loadInt32ArrPolicies(t, o, "fentries:\n  - call: \"sys_pipe2\"\n    syscall: true", uint32(os.Getpid())))
}

// checkPipe2 calls pipe2 on this thread and checks that the policies of s
// reported the two descriptors it returned.
func checkPipe2(t *testing.T, s *Stream) {
	t.Helper()
	runtime.LockOSThread()
	var p [2]int
	err := unix.Pipe2(p[:], unix.O_CLOEXEC)
	runtime.UnlockOSThread()
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	checkInt32ArrEvents(t, s, [2]int32{int32(p[0]), int32(p[1])})
}

// The same on a uprobe on the C library's pipe2, called by a Python
// program (os.pipe2): uprobes run on the host.
func TestInt32ArrUprobePipe2(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Uprobes, testenv.Tool("python3"))
	cmd := exec.Command("python3", "-c", `import os, sys
print("ready", flush=True)
sys.stdin.readline()
r, w = os.pipe2(os.O_CLOEXEC)
print(r, w, flush=True)
sys.stdin.readline()
`)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() })
	out := bufio.NewReader(stdout)
	if line, err := out.ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("python3: %q, %v", line, err)
	}
	pid := uint32(cmd.Process.Pid)
	libc := libcOf(t, pid)
	s := loadInt32ArrPolicies(t, o, fmt.Sprintf("uprobes:\n  - path: %q\n    symbols: [\"pipe2\"]", libc), pid)
	stdin.Write([]byte("go\n"))
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var fds [2]int32
	if _, err := fmt.Sscan(line, &fds[0], &fds[1]); err != nil {
		t.Fatalf("python3 printed %q: %v", line, err)
	}
	checkInt32ArrEvents(t, s, fds)
}

// libcOf returns the path of the C library process pid maps.
func libcOf(t *testing.T, pid uint32) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) == 6 && strings.Contains(f[5], "/libc.so") || len(f) == 6 && strings.Contains(f[5], "/libc-") {
			return f[5]
		}
	}
	t.Skip("python3 maps no libc.so (a static build?)")
	return ""
}
