package codegen

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestKprobeRawSize runs the sizeArgIndex forms of Tetragon's examples on
// syscall kprobes: a length from an argument not declared (write's count,
// writev's entry count: sys_write_follow_fd_etc_pwd, writev-char-iovec),
// and from the buffer's own argument (open_kill's sizeArgIndex: 2), whose
// raw value, the pointer, is taken as the length: the read is cut at the
// buffer limit. Without sizeArgIndex the length is 0 (Tetragon's too): the
// buffer is empty.
func TestKprobeRawSize(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	fd, err := unix.Open("/dev/null", unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	b := buildSource(t, "rawsize.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: rawsize
spec:
  kprobes:
  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 1
      type: "char_buf"
      sizeArgIndex: 2
    - index: 1
      type: "char_buf"
    selectors:
    - matchPIDs:
      - operator: In
        values: [%[1]d]
      matchArgs:
      - index: 0
        operator: Equal
        values: ["%[2]d"]
  - call: "sys_writev"
    syscall: true
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "char_iovec"
      sizeArgIndex: 3
    selectors:
    - matchPIDs:
      - operator: In
        values: [%[1]d]
      matchArgs:
      - index: 0
        operator: Equal
        values: ["%[2]d"]
`, os.Getpid(), fd))
	l := loadBundle(t, b)
	for name, st := range l.stats {
		t.Logf("VERIFIER rawsize %s: %d verified instructions in %v", name, st.Verified, st.Load)
	}
	var links []link.Link
	for _, h := range b.Manifest.Hooks {
		kp, err := link.Kprobe(h.Target, l.coll.Programs[h.Programs[0].Name], nil)
		if err != nil {
			t.Fatal(err)
		}
		defer kp.Close()
		links = append(links, kp)
	}

	buf := make([]byte, 2*ir.DefaultDataBytes)
	for i := range buf {
		buf[i] = byte('a' + i%26)
	}
	if _, err := unix.Write(fd, buf[:5]); err != nil {
		t.Fatal(err)
	}
	if _, err := unix.Writev(fd, [][]byte{buf[10:13], buf[100:104]}); err != nil {
		t.Fatal(err)
	}
	for _, kp := range links {
		kp.Close()
	}
	ptr := uint64(uintptr(unsafe.Pointer(&buf[0])))
	runtime.KeepAlive(buf)

	var writes, writevs int
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy {
			continue
		}
		check := func(slot int, want []byte, flags uint32, total uint64) {
			t.Helper()
			data, f, tot := bytesArg(r.Args[slot])
			if !bytes.Equal(data, want) || f != flags || tot != total {
				t.Errorf("hook %d slot %d: %d bytes %q flags %d total %#x, want %d bytes %q flags %d total %#x",
					r.HookID, slot, len(data), trim(data), f, tot, len(want), trim(want), flags, total)
			}
		}
		switch r.HookID {
		case 0:
			writes++
			check(1, buf[:5], 0, 5)
			check(2, buf[:ir.DefaultDataBytes], bpf.BytesTruncated, ptr)
			check(3, nil, 0, 0)
		case 1:
			writevs++
			check(1, append(slices.Clone(buf[10:13]), buf[100:104]...), 0, 7)
		}
	}
	if writes != 1 || writevs != 1 {
		t.Errorf("%d write and %d writev records, want 1 each", writes, writevs)
	}
}

// trim shortens b for messages.
func trim(b []byte) []byte { return b[:min(len(b), 16)] }
