package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
)

func TestParseKallsymsAndMaps(t *testing.T) {
	syms := parseKallsyms(strings.NewReader(`ffffffff81000000 T _stext
ffffffff81001000 t do_one_initcall
ffffffff81002000 D some_data
0000000000000000 T hidden
ffffffffc0000000 t mod_func	[mymod]
`))
	for _, tc := range []struct {
		addr uint64
		name string
		off  uint64
		ok   bool
	}{
		{0xffffffff81000010, "_stext", 0x10, true},
		{0xffffffff81001abc, "do_one_initcall", 0xabc, true},
		{0xffffffff81002004, "do_one_initcall", 0x1004, true}, // data is not a text symbol
		{0xffffffffc0000008, "mod_func", 8, true},
		{0x1000, "", 0, false},
	} {
		s, ok := syms.lookup(tc.addr)
		if ok != tc.ok || ok && (s.name != tc.name || tc.addr-s.addr != tc.off) {
			t.Errorf("%#x: %+v %t", tc.addr, s, ok)
		}
	}
	maps := parseProcMaps(strings.NewReader(`55d000000000-55d000001000 r--p 00000000 08:01 12 /usr/bin/prog
55d000001000-55d000005000 r-xp 00001000 08:01 12 /usr/bin/prog
7f0000000000-7f0000001000 rw-p 00000000 00:00 0
7f0000100000-7f0000200000 r-xp 00020000 08:01 13 /usr/lib/with space.so
`))
	if m, ok := maps.lookup(0x55d000001234); !ok || m.path != "/usr/bin/prog" || 0x55d000001234-m.start+m.offset != 0x1234 {
		t.Errorf("prog: %+v %t", m, ok)
	}
	if m, ok := maps.lookup(0x7f0000100010); !ok || m.path != "/usr/lib/with space.so" {
		t.Errorf("library: %+v %t", m, ok)
	}
	if _, ok := maps.lookup(0x7f0000000010); ok {
		t.Error("an anonymous mapping has no module")
	}
}

// Tetragon's stack_traces example, on fd_install: the kernel stack names
// the functions that called it, the user stack the helper's binary (read
// from its mappings while it runs).
func TestStackTraces(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes)
	file := filepath.Join(t.TempDir(), "stacked")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHelper(t)
	h.start(t, "open-wait", "POLC_LOADER_FILES="+file)
	b := compilePolicy(t, "stacks.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "stacks"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - {index: 1, type: file}
    selectors:
    - matchPIDs:
      - {operator: In, values: [%d]}
      matchArgs:
      - {index: 1, operator: Equal, values: [%q]}
      matchActions:
      - action: Post
        kernelStackTrace: true
        userStackTrace: true
`, h.pid(), file))
	if !b.Manifest.Hooks[0].StackIDs {
		t.Fatal("the manifest does not say the records carry stack ids")
	}
	s := loadAndStream(t, o, b)
	h.stdin.Write([]byte("go\n"))
	// The first event waits for /proc/kallsyms, seconds under emulation.
	evs := collectAfter(t, s, "stacks", 60*time.Second, 3*time.Second)
	h.run(t) // lets it exit
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1 (stream: %+v)", len(evs), s.Stats())
	}
	ev := evs[0]
	var kernel []string
	for _, e := range ev.KernelStackTrace {
		kernel = append(kernel, e.Symbol)
	}
	if len(kernel) == 0 || kernel[0] != "fd_install" || !strings.Contains(strings.Join(kernel, " "), "openat") {
		t.Errorf("kernel stack %v", kernel)
	}
	modules := 0
	for _, e := range ev.UserStackTrace {
		if e.Module == h.path {
			modules++
		}
	}
	if modules == 0 {
		t.Errorf("no user frame in %s: %+v", h.path, ev.UserStackTrace)
	}
	line, _ := ev.MarshalJSON()
	if !strings.Contains(string(line), `"kernel_stack_trace":[{"address":"`) || !strings.Contains(string(line), `"user_stack_trace":[{"address":"`) {
		t.Errorf("event %s", line)
	}
	t.Logf("%s", line)
}
