package codegen

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
	"github.com/polc-dev/polc/target/capture"
)

// procComm is the comm of process pid.
func procComm(t testing.TB, pid int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// TestResolve follows members from raw tracepoint arguments, built for a
// profile of this kernel: pointers (task to mm to its owner, a member in an
// anonymous struct, to its parents), an array last (comm, read as a
// string), an embedded struct last (a file's f_path, read as a path) and
// integers last.
func TestResolve(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.RingBuf, testenv.KernelBTF)
	prof, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	const policy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: resolve
spec:
  tracepoints:
  - subsystem: sched
    event: sched_process_exec
    raw: true
    args:
    - {index: 0, type: string, resolve: "mm.owner.real_parent.real_parent.comm"}
    - {index: 2, type: path, resolve: "file.f_path"}
    selectors:
    - matchArgs:
      - {index: 2, operator: Postfix, values: ["/polc-resolve-exec"]}
  - subsystem: sched
    event: sched_process_fork
    raw: true
    args:
    - {index: 0, type: int32, resolve: "tgid"}
    - {index: 1, type: int32, resolve: "real_parent.tgid"}
    selectors:
    - matchArgs:
      - {index: 0, operator: Equal, values: ["%d"]}
`
	text := fmt.Sprintf(policy, os.Getpid())
	b := buildFor(t, "resolve.yaml", text, prof)
	l := loadBundle(t, b)
	for _, h := range b.Manifest.Hooks {
		_, event, _ := strings.Cut(h.Target, "/")
		rt, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: event, Program: l.coll.Programs[h.Programs[0].Name]})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rt.Close() })
	}
	exe := childBinary(t, "polc-resolve-exec")
	cmd := child(exe, "exit:0")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	grandparent := procComm(t, os.Getppid())
	var execs, forks int
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		switch b.Manifest.Hooks[r.HookID].Target {
		case "sched/sched_process_exec":
			execs++
			comm, _, _ := bytesArg(r.Args[0])
			path, _, _ := bytesArg(r.Args[1])
			if string(comm) != grandparent || string(path) != exe {
				t.Errorf("exec: grandparent %q, file %q; want %q, %q", comm, path, grandparent, exe)
			}
		case "sched/sched_process_fork":
			forks++
			if intArg(r.Args[0]) != int64(os.Getpid()) || intArg(r.Args[1]) != int64(os.Getpid()) {
				t.Errorf("fork: parent tgid %d, child's parent's tgid %d; want %d", intArg(r.Args[0]), intArg(r.Args[1]), os.Getpid())
			}
		}
	}
	if execs != 1 || forks == 0 {
		t.Errorf("%d exec records (want 1), %d fork records (want some)", execs, forks)
	}
	t.Logf("verifier: %+v", l.stats)
}

// TestResolveErrors: what resolve refuses, and why.
func TestResolveErrors(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Tracefs, testenv.KernelBTF)
	prof, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	pos := ir.Pos{File: "r.yaml", Line: 2, Col: 3}
	hook := func(kind ir.HookKind, target string, syscall bool, a *ir.Arg) *ir.Policy {
		a.SizeSlot, a.Pos = ir.NoSize, pos
		return &ir.Policy{Name: "r", Arch: "x86_64", Pos: pos, Hooks: []*ir.Hook{{Kind: kind, Target: target, Call: target,
			Syscall: syscall, Pos: pos, Args: []*ir.Arg{a}}}}
	}
	raw := func(index int, path string) *ir.Policy {
		return hook(ir.HookRawTracepoint, "sched/sched_process_exec", false,
			&ir.Arg{Index: index, Type: ir.TypeString, Resolve: strings.Split(path, ".")})
	}
	for _, tc := range []struct {
		name string
		pol  *ir.Policy
		prof *target.Profile
		want string
	}{
		{"no target, no member", raw(0, "mm.no_such_member"), nil, "struct mm_struct has no member no_such_member in the reference kernel " + target.ReferenceRelease},
		{"no member", raw(0, "mm.no_such_member"), prof, "struct mm_struct has no member no_such_member"},
		{"through an integer", raw(0, "pid.x"), prof, "member pid of struct task_struct is an integer"},
		{"array not indexed", raw(0, "comm.x"), prof, "is an array: index it"},
		{"index beyond", raw(0, "comm[16]"), prof, "has 16 elements"},
		{"not a pointer", raw(1, "x"), prof, "is not a pointer to a struct"},
		{"no such argument", raw(7, "x"), prof, "there is no argument 7"},
		{"syscall", hook(ir.HookKprobe, "__x64_sys_openat", true, &ir.Arg{Index: 1, Type: ir.TypeString, Resolve: []string{"x"}}), prof, "user memory"},
		{"tracepoint", hook(ir.HookTracepoint, "sched/sched_process_exec", false, &ir.Arg{Index: 5, Type: ir.TypeInt, Resolve: []string{"x"}}), prof, "raw: true"},
		{"btfType", hook(ir.HookRawTracepoint, "sched/sched_process_exec", false, &ir.Arg{Index: 0, Type: ir.TypeString, BTFType: "polc_no_such_type", Resolve: []string{"comm"}}), prof, `no type "polc_no_such_type"`},
	} {
		_, err := Build(tc.pol, Options{Target: tc.prof})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	// An index into an array of structs, then a member of the element.
	pol := raw(0, "signal.rlim[3].rlim_cur")
	pol.Hooks[0].Args[0].Type = ir.TypeUint64
	if _, err := Build(pol, Options{Target: prof}); err != nil {
		t.Errorf("signal.rlim[3].rlim_cur: %v", err)
	}
}

// TestResolveLSM builds Tetragon's lsm_track_grandparent example for a
// profile of this kernel: bprm_check_security's new mm, its owner (the
// task calling exec), that task's grandparent's comm. Runs in the guests.
func TestResolveLSM(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.LSM)
	prof, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	const policy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "lsm"
spec:
  lsmhooks:
  - hook: "bprm_check_security"
    args:
      - index: 0
        type: "string"
        resolve: "mm.owner.real_parent.real_parent.comm"
    selectors:
      - matchPIDs:
        - {operator: In, followForks: true, isNamespacePID: false, values: [%d]}
        matchActions:
        - action: Post
`
	b := buildFor(t, "lsm_track_grandparent.yml", fmt.Sprintf(policy, os.Getpid()), prof)
	pin := pinDir(t)
	loadBaseIn(t, pin)
	spec, _ := loadableSpec(t, b)
	l := loadSpecIn(t, b, spec, pin)
	lsm, err := link.AttachLSM(link.LSMOptions{Program: l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]})
	if err != nil {
		t.Fatal(err)
	}
	defer lsm.Close()
	if err := child(childBinary(t, "polc-resolve-lsm"), "exit:0").Run(); err != nil {
		t.Fatal(err)
	}
	lsm.Close()
	grandparent := procComm(t, os.Getppid())
	n := 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		n++
		if comm, _, _ := bytesArg(r.Args[0]); string(comm) != grandparent {
			t.Errorf("grandparent comm %q, want %q", comm, grandparent)
		}
	}
	if n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}
