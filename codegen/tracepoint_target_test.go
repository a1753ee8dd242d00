package codegen

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/fetch"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/target"
	"github.com/polc-dev/polc/target/capture"
)

// buildFor checks, lowers and builds the policy text for target prof, as
// polc build --target does.
func buildFor(t testing.TB, name, text string, prof *target.Profile) *Bundle {
	t.Helper()
	src := compiler.NewSource(name, []byte(text))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: prof.Arch, Target: prof})
	if res.Errors() > 0 {
		t.Fatalf("%s does not check: %v", name, res.Diagnostics)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: prof.Arch, Target: prof})
	if compiler.Count(diags, compiler.Error) > 0 {
		t.Fatalf("%s does not lower: %v", name, diags)
	}
	b, err := Build(p, Options{Arch: prof.Arch, Source: name, SourceData: []byte(text), Target: prof,
		SourceLine: func(pos ir.Pos) string { return src.Line(pos.Line) }})
	if err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	return b
}

// fieldIndex is the policy index of a tracepoint's field in prof.
func fieldIndex(t testing.TB, prof *target.Profile, event, field string) int {
	t.Helper()
	subsys, name, _ := strings.Cut(event, "/")
	ev, err := prof.Event(subsys, name)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range ev.Fields {
		if f.Name == field {
			return i
		}
	}
	t.Fatalf("%s has no field %s", event, field)
	return 0
}

// attachTracepoints attaches every program of b to its tracepoint.
func attachTracepoints(t testing.TB, l *loaded, b *Bundle) {
	t.Helper()
	for _, h := range b.Manifest.Hooks {
		group, name, _ := strings.Cut(h.Target, "/")
		tp, err := link.Tracepoint(group, name, l.coll.Programs[h.Programs[0].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tp.Close() })
	}
}

// TestTracepointFields builds, for a profile of the running kernel, a
// policy on tracepoints polc knows only from that profile, with type auto
// everywhere: a __data_loc string (sched_process_exec filename), char
// arrays (signal_generate comm, task_rename newcomm), integers of several
// widths and a pointer, and an event whose struct is its class's
// (netif_receive_skb, a net_dev_template, with a __data_loc device name).
// Selectors filter on each kind; the records hold what the kernel saw.
func TestTracepointFields(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.RingBuf, testenv.KernelBTF)
	prof, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	exe := childBinary(t, "polc-tp-exec")
	const payload = 777
	idx := func(event, field string) int { return fieldIndex(t, prof, event, field) }
	policy := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tp-fields
spec:
  tracepoints:
  - subsystem: sched
    event: sched_process_exec
    args:
    - {index: %[1]d, type: auto}
    - {index: %[2]d, type: auto}
    selectors:
    - matchArgs:
      - {index: %[1]d, operator: Postfix, values: ["/polc-tp-exec"]}
  - subsystem: signal
    event: signal_generate
    args:
    - {index: %[3]d, type: auto}
    - {index: %[4]d, type: auto}
    - {index: %[5]d, type: auto}
    selectors:
    - matchPIDs:
      - {operator: In, values: [%[6]d]}
      matchArgs:
      - {index: %[3]d, operator: Equal, values: ["10"]}
      - {index: %[4]d, operator: Prefix, values: ["polc-tp-"]}
  - subsystem: task
    event: task_rename
    args:
    - {index: %[7]d, type: auto}
    selectors:
    - matchArgs:
      - {index: %[7]d, operator: Equal, values: ["polc-renamed"]}
  - subsystem: net
    event: netif_receive_skb
    args:
    - {index: %[8]d, type: auto}
    - {index: %[9]d, type: auto}
    - {index: %[10]d, type: auto}
    selectors:
    - matchArgs:
      - {index: %[9]d, operator: Equal, values: ["%[11]d"]}
      - {index: %[10]d, operator: Equal, values: ["lo"]}
`, idx("sched/sched_process_exec", "filename"), idx("sched/sched_process_exec", "pid"),
		idx("signal/signal_generate", "sig"), idx("signal/signal_generate", "comm"), idx("signal/signal_generate", "pid"), os.Getpid(),
		idx("task/task_rename", "newcomm"),
		idx("net/netif_receive_skb", "skbaddr"), idx("net/netif_receive_skb", "len"), idx("net/netif_receive_skb", "name"), 20+8+payload)
	b := buildFor(t, "tp-fields.yaml", policy, prof)

	// Every field is read through CO-RE against the event's raw struct.
	wantStruct := map[string]string{
		"sched/sched_process_exec": "trace_event_raw_sched_process_exec",
		"signal/signal_generate":   "trace_event_raw_signal_generate",
		"task/task_rename":         "trace_event_raw_task_rename",
		"net/netif_receive_skb":    "trace_event_raw_net_dev_template",
	}
	for _, h := range b.Manifest.Hooks {
		for _, f := range h.TracepointFields {
			if f.Struct != wantStruct[h.Target] || f.Member == "" {
				t.Errorf("%s: field %+v, want it read through %s", h.Target, f, wantStruct[h.Target])
			}
		}
	}
	var types []string
	for _, h := range b.Manifest.Hooks {
		for _, a := range h.Args {
			types = append(types, a.Type)
		}
	}
	if got := strings.Join(types, " "); got != "data_loc int32 int32 string int32 string uint64 uint32 data_loc" {
		t.Errorf("auto types: %s", got)
	}

	l := loadBundle(t, b)
	attachTracepoints(t, l, b)

	// sched_process_exec and signal_generate: a child execs, and is
	// sent SIGUSR1.
	sleeper := childBinary(t, "polc-tp-sleeper")
	cmd := child(sleeper, "sleep:10s")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let it exec: signal_generate names the target's comm
	cmd.Process.Signal(unix.SIGUSR1)   // which a Go program ignores
	cmd.Process.Kill()
	cmd.Wait()
	run := child(exe, "exit:0")
	if err := run.Run(); err != nil {
		t.Fatal(err)
	}
	// task_rename: this thread renames itself, and back.
	runtime.LockOSThread()
	var old [16]byte
	unix.Prctl(unix.PR_GET_NAME, uintptr(unsafe.Pointer(&old[0])), 0, 0, 0)
	name := []byte("polc-renamed\x00")
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&name[0])), 0, 0, 0)
	unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&old[0])), 0, 0, 0)
	runtime.UnlockOSThread()
	// netif_receive_skb: a UDP datagram of payload bytes over loopback.
	loopbackUp(t)
	conn, err := net.Dial("udp4", "127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	conn.Write(make([]byte, payload))
	conn.Close()

	seen := map[string]int{}
	for _, r := range readRecords(t, l, b, 2*time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		h := b.Manifest.Hooks[r.HookID]
		seen[h.Target]++
		switch h.Target {
		case "sched/sched_process_exec":
			file, _, _ := bytesArg(r.Args[0])
			if string(file) != exe || intArg(r.Args[1]) != int64(run.Process.Pid) {
				t.Errorf("exec: filename %q pid %d, want %q %d", file, intArg(r.Args[1]), exe, run.Process.Pid)
			}
		case "signal/signal_generate":
			comm, _, _ := bytesArg(r.Args[1])
			if intArg(r.Args[0]) != int64(unix.SIGUSR1) || string(comm) != filepath.Base(sleeper)[:min(15, len(filepath.Base(sleeper)))] || intArg(r.Args[2]) != int64(cmd.Process.Pid) {
				t.Errorf("signal: sig %d comm %q pid %d, want %d %q %d", intArg(r.Args[0]), comm, intArg(r.Args[2]), unix.SIGUSR1, filepath.Base(sleeper), cmd.Process.Pid)
			}
		case "task/task_rename":
			comm, _, _ := bytesArg(r.Args[0])
			if string(comm) != "polc-renamed" || r.Tgid != uint32(os.Getpid()) {
				t.Errorf("rename: newcomm %q by %d", comm, r.Tgid)
			}
		case "net/netif_receive_skb":
			dev, _, _ := bytesArg(r.Args[2])
			if intArg(r.Args[0]) == 0 || intArg(r.Args[1]) != 20+8+payload || string(dev) != "lo" {
				t.Errorf("netif_receive_skb: skbaddr %#x len %d dev %q", intArg(r.Args[0]), intArg(r.Args[1]), dev)
			}
		}
	}
	for _, h := range b.Manifest.Hooks {
		if seen[h.Target] != 1 {
			t.Errorf("%d records of %s, want 1", seen[h.Target], h.Target)
		}
	}
	t.Logf("records %v; verifier: %+v", seen, l.stats)
}

// TestTracepointOtherLayout builds for a kernel whose sched_process_fork
// has char arrays for the comms (Linux 6.12; 6.18 has __data_loc strings,
// which moves the pids) and runs the bundle on this one: the pids are read
// where this kernel has them (CO-RE), and a comm, which this kernel no
// longer has as an array, is refused at load, by name.
func TestTracepointOtherLayout(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.RingBuf, testenv.KernelBTF)
	prof := forkProfile612(t)
	const policy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: tp-layout
spec:
  tracepoints:
  - subsystem: sched
    event: sched_process_fork
    args:
    - {index: 5, type: auto}
    - {index: 7, type: auto}
    selectors:
    - matchPIDs:
      - {operator: In, values: [%d]}
`
	b := buildFor(t, "tp-layout.yaml", fmt.Sprintf(policy, os.Getpid()), prof)
	fields := b.Manifest.Hooks[0].TracepointFields
	if len(fields) != 2 || fields[1].Name != "child_pid" || fields[1].Offset != 44 || fields[1].Struct != "trace_event_raw_sched_process_fork" {
		t.Fatalf("fields read: %+v", fields)
	}
	l := loadBundle(t, b)
	attachTracepoints(t, l, b)
	// The fork is made by this thread; the Go runtime may make threads
	// too, which are forks of this process as well.
	cmd := child(childBinary(t, "polc-tp-fork"), "exit:0")
	runtime.LockOSThread()
	tid := unix.Gettid()
	err := cmd.Run()
	runtime.UnlockOSThread()
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]int64
	found := 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind == bpf.EventPolicy {
			parent, child := intArg(r.Args[0]), intArg(r.Args[1])
			got = append(got, [2]int64{parent, child})
			if parent == int64(tid) && child == int64(cmd.Process.Pid) {
				found++
			}
		}
	}
	if found != 1 {
		t.Errorf("forks (parent, child) %v: want one (%d, %d)", got, tid, cmd.Process.Pid)
	}

	// child_comm, a char[16] there: polrun loads it where this kernel
	// has the same, and refuses it, naming the field, where it does not.
	comm := buildFor(t, "tp-layout-comm.yaml", strings.Replace(fmt.Sprintf(policy, os.Getpid()), "index: 7,", "index: 6,", 1), prof)
	format, err := os.ReadFile("/sys/kernel/tracing/events/sched/sched_process_fork/format")
	if err != nil {
		t.Fatal(err)
	}
	lb, err := loader.ReadBundle(comm.Object)
	if err != nil {
		t.Fatal(err)
	}
	root := pinDir(t)
	// Links the kernel cannot pin (perf events before 5.15) are held,
	// as polrun run holds them.
	hold := loader.NewHolder()
	t.Cleanup(func() { loader.UnloadAll(&loader.Options{PinRoot: root, Hold: hold}) })
	_, err = loader.Load([]*loader.Bundle{lb}, &loader.Options{PinRoot: root, Hold: hold})
	var fe *loader.TracepointFieldError
	if strings.Contains(string(format), "char child_comm[16]") {
		if err != nil {
			t.Errorf("load on a kernel with char child_comm[16]: %v", err)
		}
	} else if !errors.As(err, &fe) || fe.Field != "child_comm" {
		t.Errorf("load on a kernel without char child_comm[16]: %v, want a TracepointFieldError naming child_comm", err)
	} else {
		t.Logf("refused: %v", err)
	}
}

// forkProfile612 is a profile of a kernel with Linux 6.12's
// sched_process_fork: its format, and its raw struct in the BTF.
func forkProfile612(t testing.TB) *target.Profile {
	t.Helper()
	char16 := &btf.Array{Index: &btf.Int{Name: "unsigned int", Size: 4}, Type: &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}, Nelems: 16}
	pid := &btf.Typedef{Name: "pid_t", Type: &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}}
	raw := &btf.Struct{Name: "trace_event_raw_sched_process_fork", Size: 48, Members: []btf.Member{
		{Name: "ent", Type: &btf.Struct{Name: "trace_entry", Size: 8}},
		{Name: "parent_comm", Type: char16, Offset: 8 * 8},
		{Name: "parent_pid", Type: pid, Offset: 24 * 8},
		{Name: "child_comm", Type: char16, Offset: 28 * 8},
		{Name: "child_pid", Type: pid, Offset: 44 * 8},
		{Name: "__data", Type: &btf.Array{Index: &btf.Int{Name: "unsigned int", Size: 4}, Type: &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}}, Offset: 48 * 8},
	}}
	bb, err := btf.NewBuilder([]btf.Type{raw}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := bb.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fields := append([]target.Field{}, fetch.CommonFormat...)
	fields = append(fields,
		target.Field{Name: "parent_comm", Type: "char[16]", Offset: 8, Size: 16},
		target.Field{Name: "parent_pid", Type: "pid_t", Offset: 24, Size: 4, Signed: true},
		target.Field{Name: "child_comm", Type: "char[16]", Offset: 28, Size: 16},
		target.Field{Name: "child_pid", Type: "pid_t", Offset: 44, Size: 4, Signed: true})
	return &target.Profile{Release: "6.12-like", Arch: "x86_64", BTF: data,
		Tracepoints: []target.Event{{Subsystem: "sched", Event: "sched_process_fork", Fields: fields}}}
}

// loopbackUp sets lo up, which the vmtest guest's init leaves down.
func loopbackUp(t testing.TB) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
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
			t.Fatalf("set lo up: %v", err)
		}
	}
}
