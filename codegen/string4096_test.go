package codegen

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestStringMatch4096 matches a path of 4096 characters with Equal, as
// Tetragon's TestKprobeStringMatchHash10Max does (its strings hold
// MAX_STRING, 4096 characters): openat's filename read at the tracepoint
// keeps all of it. Its 4095-character prefix does not match.
func TestStringMatch4096(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Tracefs)
	long := "/" + strings.Repeat("A", ir.MaxMatchLen-len("/testfile")-1) + "/testfile"
	if len(long) != 4096 {
		t.Fatalf("path of %d bytes", len(long))
	}
	b := buildSource(t, "string4096.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: string4096
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    args:
    - index: 6
      type: "string"
    selectors:
    - matchPIDs:
      - operator: In
        values: [%d]
      matchArgs:
      - index: 6
        operator: Equal
        values: ["%s"]
`, os.Getpid(), long))
	l := loadBundle(t, b)
	tp, err := link.Tracepoint("syscalls", "sys_enter_openat", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	for _, p := range []string{long, long[:4095], long + "x"} {
		// ENAMETOOLONG: the tracepoint runs at entry all the same.
		if fd, err := unix.Open(p, unix.O_RDONLY, 0); err == nil {
			unix.Close(fd)
		}
	}
	tp.Close()
	var got []int
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		data, _, _ := bytesArg(r.Args[0])
		if string(data) != long[:len(data)] {
			t.Errorf("record holds %q...", trim(data))
		}
		got = append(got, len(data))
	}
	// The path of 4097 characters is read up to 4096, which is all the
	// read keeps, as in Tetragon: it matches too.
	if len(got) != 2 || got[0] != 4096 || got[1] != 4096 {
		t.Errorf("records with paths of %v characters, want two of 4096", got)
	}
}

// TestStringEmpty reads an empty path from user memory: the record holds
// an empty string, not a fault, on every kernel (before a fix to
// strncpy_from_user_nofault, 6.1's and 6.12's bpf_probe_read_user_str
// return 0 for it, which the program once took for a fault).
func TestStringEmpty(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Tracefs)
	b := buildSource(t, "string-empty.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: string-empty
spec:
  tracepoints:
  - subsystem: "syscalls"
    event: "sys_enter_openat"
    args:
    - index: 6
      type: "string"
    selectors:
    - matchPIDs:
      - operator: In
        values: [%d]
`, os.Getpid()))
	l := loadBundle(t, b)
	tp, err := link.Tracepoint("syscalls", "sys_enter_openat", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	for _, p := range []string{"", "/"} {
		// ENOENT for "": the tracepoint runs at entry all the same.
		if fd, err := unix.Open(p, unix.O_RDONLY, 0); err == nil {
			unix.Close(fd)
		}
	}
	tp.Close()
	var got []string
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		data, flags, _ := bytesArg(r.Args[0])
		got = append(got, fmt.Sprintf("%q flags %d", data, flags))
	}
	// Another thread of the test may open a file meanwhile: its record
	// may come between.
	for _, want := range []string{`"" flags 0`, `"/" flags 0`} {
		if !slices.Contains(got, want) {
			t.Errorf("records %v, want one of %s", got, want)
		}
	}
}
