package loader

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// TestDuplicateHooksAndArgs runs, on raw_syscalls/sys_enter, what Tetragon
// loads and polc once refused (issue 15): the same hook listed twice (each
// entry attaches on its own and reports its own event), the same argument
// index declared twice with different types (each entry is read and
// reported), a field without a type (auto: the id, a long, reads as int64
// without a target), matchArgs args naming an argument by its position in args,
// and a matchBinaries without values (ignored, as Tetragon ignores it: the
// second hook tests only the PID and the syscall).
func TestDuplicateHooksAndArgs(t *testing.T) {
	o := testOptions(t)
	h := newHelper(t)
	h.start(t, "getppid")
	yaml := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "fidelity-dup"
spec:
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    tags: ["first"]
    args:
    - index: 4
      type: "int64"
    - index: 4
      type: "uint32"
    selectors:
    - matchBinaries:
      - operator: "In"
        values: [%q]
      matchArgs:
      - index: 4
        operator: "Equal"
        values: ["%d"]
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    tags: ["second"]
    args:
    - index: 4
    selectors:
    - matchBinaries:
      - operator: "In"
        values: []
      matchPIDs:
      - operator: "In"
        values: [%d]
      matchArgs:
      - args: [0]
        operator: "Equal"
        values: ["%d"]
`, h.path, syscall.SYS_GETPPID, h.pid(), syscall.SYS_GETPPID)
	b := compilePolicy(t, "fidelity-dup.yaml", yaml)
	if len(b.Manifest.Hooks) != 2 {
		t.Fatalf("%d hooks, want 2", len(b.Manifest.Hooks))
	}
	s := loadAndStream(t, o, b)
	h.run(t)
	byHook := map[int]int{}
	for _, ev := range collect(t, s, "fidelity-dup", 2*time.Second) {
		if *ev.Process.PID != h.pid() {
			continue
		}
		byHook[ev.Hook.ID]++
		want := []any{int64(syscall.SYS_GETPPID), uint32(syscall.SYS_GETPPID)}
		if ev.Hook.ID == 1 {
			want = want[:1]
		}
		if len(ev.Args) != len(want) {
			t.Fatalf("hook %d: %d arguments, want %d: %+v", ev.Hook.ID, len(ev.Args), len(want), ev.Args)
		}
		for i, w := range want {
			if ev.Args[i].Value != w {
				t.Errorf("hook %d argument %d: %#v, want %#v", ev.Hook.ID, i, ev.Args[i].Value, w)
			}
		}
	}
	if byHook[0] != 3 || byHook[1] != 3 {
		t.Errorf("getppid events by hook %v, want 3 from each", byHook)
	}
}
