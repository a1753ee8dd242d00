package compiler

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/target"
)

// syscallTypesPolicy declares syscall arguments and syscall tracepoint
// fields, some of which cannot read what the kernel passes.
const syscallTypesPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: syscall-types
spec:
  kprobes:
  - call: "sys_read"
    syscall: true
    args:
    - index: 0
      type: "file"
    - index: 2
      type: "int"
    - index: 3
      type: "int"
  - call: "sys_getpid"
    syscall: true
    return: true
    returnArg:
      index: 0
      type: "int"
  - call: "sys_mseal"
    syscall: true
    args:
    - index: 0
      type: "string"
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    args:
    - index: 6
      type: "sock"
    - index: 7
      type: "int"
    - index: 9
      type: "int"
  - subsystem: "syscalls"
    event: "sys_exit_openat"
    args:
    - index: 6
      type: "int"
  - subsystem: "syscalls"
    event: "sys_enter_mseal"
    args:
    - index: 5
      type: "file"
  - subsystem: "syscalls"
    event: "sys_enter_fake"
  - subsystem: "sched"
    event: "sched_process_exec"
    args:
    - index: 4
      type: "file"
    - index: 7
      type: "int"
`

// TestTargetBTFAloneCatchesTheSame: against a kernel's BTF alone, the
// syscall hooks get the diagnostics they get against the kernel's full
// profile (its tracepoint formats, kallsyms, features), but for what only
// the features tell.
func TestTargetBTFAloneCatchesTheSame(t *testing.T) {
	key := func(d Diagnostic) string { return fmt.Sprintf("%d %s %s", d.Pos.Line, d.Severity, d.Code) }
	for _, k := range targetKernels {
		full := loadTarget(t, k)
		btfOnly, err := target.FromBTF(full.BTF, arch.X86_64)
		if err != nil {
			t.Fatal(err)
		}
		var got [2][]string
		for i, p := range []*target.Profile{full, btfOnly} {
			res := Check([]*Source{NewSource("p.yaml", []byte(syscallTypesPolicy))}, Options{Target: p})
			for _, d := range res.Diagnostics {
				if d.Code != "unsupported-by-target" && d.Severity != Note {
					got[i] = append(got[i], key(d))
				}
				t.Logf("%s %d: %s", k, i, d)
			}
			slices.Sort(got[i])
		}
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("%s: against the full profile %v, against its BTF alone %v", k, got[0], got[1])
		}
		// What each must catch: the file on an fd, index 3 of read, the
		// sock on a filename, index 9 of sys_enter_openat and 6 of
		// sys_exit_openat, the tracepoint of no syscall, and in
		// sched_process_exec (whose record BTF has) a file on its
		// __data_loc filename and index 7, past its last field.
		for _, want := range []string{"11 warning arg-type-mismatch", "14 error arg-index", "32 error arg-type-mismatch",
			"35 error arg-index", "40 error arg-index", "48 error unknown-tracepoint",
			"53 error arg-type-mismatch", "54 error arg-index"} {
			if !slices.Contains(got[1], want) {
				t.Errorf("%s: no %q in %v", k, want, got[1])
			}
		}
	}
}

// TestSyscallPrototypesWithoutTarget: without a target, the table's
// prototypes find what cannot fit, quoting the prototype, and nothing
// that merely may not (the width of an int), which Tetragon accepts.
func TestSyscallPrototypesWithoutTarget(t *testing.T) {
	res := Check([]*Source{NewSource("p.yaml", []byte(syscallTypesPolicy))}, Options{})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, fmt.Sprintf("%d %s %s: %s", d.Pos.Line, d.Severity, d.Code, d.Msg))
	}
	want := []string{
		`11 warning arg-type-mismatch: read(unsigned int fd, char *buf, size_t count): argument 0 is "unsigned int", not file (Tetragon loads it with a warning; the register is read as declared)`,
		`14 error arg-index: read(unsigned int fd, char *buf, size_t count): there is no argument 3; the function has 3 parameters`,
		`32 error arg-type-mismatch: field 6 (filename) of tracepoint syscalls/sys_enter_openat of openat(int dfd, const char *filename, int flags, umode_t mode) is "const char *", not sock`,
		`35 error arg-index: tracepoint syscalls/sys_enter_openat of openat(int dfd, const char *filename, int flags, umode_t mode) has no field 9; its fields are 0 common_type, 1 common_flags, 2 common_preempt_count, 3 common_pid, 4 __syscall_nr, 5 dfd, 6 filename, 7 flags, 8 mode`,
		`40 error arg-index: tracepoint syscalls/sys_exit_openat of openat(int dfd, const char *filename, int flags, umode_t mode) has no field 6; its fields are 0 common_type, 1 common_flags, 2 common_preempt_count, 3 common_pid, 4 __syscall_nr, 5 ret`,
		`46 error arg-type-mismatch: field 5 (start) of tracepoint syscalls/sys_enter_mseal of mseal(unsigned long start, size_t len, unsigned long flags) is "unsigned long", not file`,
		`48 error unknown-tracepoint: tracepoint syscalls/sys_enter_fake does not exist: "fake" is not a syscall of x86_64`,
		// sched_process_exec's fields are polc's own (target.BuiltinEvents),
		// which codegen reads without a target: checked the same way.
		`53 error bad-type: field filename of sched/sched_process_exec is "__data_loc char[]", whose bytes are in the record: it cannot be read as file`,
		`54 error arg-index: tracepoint sched/sched_process_exec has 7 fields: index 7 is out of range`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// arm64 declares a few syscalls otherwise (clone): the x86_64 table
	// is not applied to it.
	res = Check([]*Source{NewSource("p.yaml", []byte(syscallTypesPolicy))}, Options{Arch: arch.ARM64})
	for _, d := range res.Diagnostics {
		if d.Code == "arg-type-mismatch" {
			t.Errorf("arm64: %s", d)
		}
	}
}

// TestBTFAloneUnknownTracepoint: a tracepoint vmlinux's BTF lacks is a
// warning against BTF alone (a module may define it), an error against a
// profile with the kernel's formats.
func TestBTFAloneUnknownTracepoint(t *testing.T) {
	const src = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: unknown
spec:
  tracepoints:
  - subsystem: "sched"
    event: "sched_process_exce"
  - subsystem: "ftrace"
    event: "print"
`
	full := loadTarget(t, "debian-6.12")
	btfOnly, err := target.FromBTF(full.BTF, arch.X86_64)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p    *target.Profile
		want []string
	}{{full, []string{"8 error unknown-tracepoint"}}, {btfOnly, []string{"8 warning unknown-tracepoint"}}} {
		var got []string
		for _, d := range Check([]*Source{NewSource("p.yaml", []byte(src))}, Options{Target: tc.p}).Diagnostics {
			if d.Code != "unsupported-by-target" && d.Severity != Note {
				got = append(got, fmt.Sprintf("%d %s %s", d.Pos.Line, d.Severity, d.Code))
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.p.Kernel(), got, tc.want)
		}
	}
}
