package loader

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The two sets of six arguments the getppid6 helper passes to getppid,
// which ignores them; raw_syscalls/sys_enter records them all the same.
var rawArgSets = [2][6]uint64{
	{0x5eed0001, 2, 3, 1 << 40, ^uint64(1), 6},
	{0x5eed0002, 20, 30, 40, 50, 60},
}

func getppid6() {
	for _, a := range rawArgSets {
		syscall.RawSyscall6(syscall.SYS_GETPPID, uintptr(a[0]), uintptr(a[1]), uintptr(a[2]), uintptr(a[3]), uintptr(a[4]), uintptr(a[5]))
	}
}

// raw_syscalls/sys_enter's "unsigned long args[6]": read without a type
// (auto), each event shows the six values as six size_args, after the
// syscall id, as Tetragon shows them; read as uint64, it is the first
// argument, and a matchArgs filter on it selects the call whose first
// argument it names and not the other.
func TestRawSyscallsArgsArray(t *testing.T) {
	o := testOptions(t)
	h := newHelper(t)
	header := `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
`
	array := fmt.Sprintf(header+`    args:
    - index: 4
    - index: 5
    selectors:
    - matchArgs:
      - index: 4
        operator: "Equal"
        values: ["%d"]
      matchBinaries:
      - operator: "In"
        values: [%q]
`, "raw-args-array", syscall.SYS_GETPPID, h.path)
	first := fmt.Sprintf(header+`    args:
    - index: 4
      type: "syscall64"
    - index: 5
      type: "uint64"
    selectors:
    - matchArgs:
      - index: 5
        operator: "Equal"
        values: ["%d"]
      matchBinaries:
      - operator: "In"
        values: [%q]
`, "raw-args-first", rawArgSets[0][0], h.path)
	bundles := []*Bundle{compilePolicy(t, "raw-args-array.yaml", array), compilePolicy(t, "raw-args-first.yaml", first)}
	if _, err := Load(bundles, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.start(t, "getppid6")
	// Let the stream handle the helper's exec record before it acts
	// (testMatchBinaries says why).
	evs := collectAll(t, s, 300*time.Millisecond)
	h.run(t)
	var arrayEvs, firstEvs []*Event
	for _, ev := range append(evs, collectAll(t, s, time.Second)...) {
		switch ev.Policy {
		case "raw-args-array":
			arrayEvs = append(arrayEvs, ev)
		case "raw-args-first":
			firstEvs = append(firstEvs, ev)
		}
	}

	if len(arrayEvs) != len(rawArgSets) {
		t.Fatalf("%d raw-args-array events, want %d: %v", len(arrayEvs), len(rawArgSets), arrayEvs)
	}
	for i, ev := range arrayEvs {
		line, _ := ev.MarshalJSON()
		t.Logf("%s", line)
		want := []string{fmt.Sprintf(`{"long_arg":"%d"}`, syscall.SYS_GETPPID)}
		for _, v := range rawArgSets[i] {
			want = append(want, fmt.Sprintf(`{"size_arg":"%d"}`, v))
		}
		var got []string
		for _, a := range ev.Args {
			j, err := a.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(j))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("event %d: args\n %s\nwant\n %s", i, strings.Join(got, ","), strings.Join(want, ","))
		}
		if *ev.Process.PID != h.pid() {
			t.Errorf("event %d of pid %d, want the helper %d", i, *ev.Process.PID, h.pid())
		}
	}

	if len(firstEvs) != 1 {
		t.Fatalf("%d raw-args-first events, want 1 (the call whose first argument is %#x): %v", len(firstEvs), rawArgSets[0][0], firstEvs)
	}
	ev := firstEvs[0]
	line, _ := ev.MarshalJSON()
	t.Logf("%s", line)
	if len(ev.Args) != 2 {
		t.Fatalf("args %+v, want the syscall id and the first argument", ev.Args)
	}
	if id, ok := ev.Args[0].Value.(SyscallIDArg); !ok || id.ID != uint32(syscall.SYS_GETPPID) {
		t.Errorf("syscall id %+v, want getppid", ev.Args[0])
	}
	if ev.Args[1].Key != "size_arg" || ev.Args[1].Value != rawArgSets[0][0] {
		t.Errorf("first argument %+v, want size_arg %d", ev.Args[1], rawArgSets[0][0])
	}
	if st := s.Stats(); st.Undecodable > 0 || st.ReadErrors > 0 {
		t.Errorf("stats %+v", st)
	}
}
