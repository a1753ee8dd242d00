//go:build linux && (amd64 || arm64)

package arch

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestTablesKnowHostSyscalls: every syscall this kernel has a tracepoint
// for is a syscall of polc's tables (so that validate does not refuse a
// real syscall hook), and, on x86_64, has its parameters in the table with
// the fields of the tracepoint: a newer kernel with a new syscall fails
// here until zsyscalls.go and zsyscall_params.go are generated again.
func TestTablesKnowHostSyscalls(t *testing.T) {
	testenv.Require(t, testenv.Tracefs)
	formats, err := filepath.Glob("/sys/kernel/tracing/events/syscalls/sys_enter_*/format")
	if err != nil || len(formats) == 0 {
		t.Skipf("no syscall tracepoints (CONFIG_FTRACE_SYSCALLS): %v", err)
	}
	a := Host()
	for _, f := range formats {
		name := strings.TrimPrefix(filepath.Base(filepath.Dir(f)), "sys_enter_")
		// The tracepoint is named after the body (newstat for stat):
		// sys_NAME resolves through the tables' entry points.
		if _, _, err := SyscallSymbol(a, "sys_"+name); err != nil {
			t.Errorf("sys_enter_%s: %v", name, err)
		}
		if runtime.GOARCH != "amd64" {
			continue
		}
		params, ok := SyscallParams(name)
		if !ok {
			t.Errorf("sys_enter_%s: no parameters in zsyscall_params.go", name)
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range params {
			if !strings.Contains(string(data), " "+p.Name+";") {
				t.Errorf("sys_enter_%s: the table's parameter %s %s is not a field of\n%s", name, p.Type, p.Name, data)
			}
		}
		if n := strings.Count(string(data), "field:") - 5; n != len(params) { // common x4, __syscall_nr
			t.Errorf("sys_enter_%s has %d parameters, the table %d", name, n, len(params))
		}
	}
}

func TestSyscallParams(t *testing.T) {
	p, ok := SyscallParams("read")
	want := []SyscallParam{{"fd", "unsigned int"}, {"buf", "char *"}, {"count", "size_t"}}
	if !ok || len(p) != len(want) {
		t.Fatalf("read: %v %v", p, ok)
	}
	for i := range want {
		if p[i] != want[i] {
			t.Errorf("read parameter %d: %v, want %v", i, p[i], want[i])
		}
	}
	if p, ok := SyscallParams("execve"); !ok || p[1].Type != "const char *const *" {
		t.Errorf("execve: %v", p)
	}
	if _, ok := SyscallParams("stat"); ok {
		t.Error("stat: the table is by body names (newstat)")
	}
}
