// Package testenv decides whether a test can run on this machine.
//
// A test names what it needs (root, bpffs, tracefs, a hook kind, a kernel
// version) with Require. When something is missing the test is skipped with
// the exact reason, except where the machine is expected to have it:
//
//   - with CI=true, requirements every CI host has (root, bpffs, tracefs,
//     tracepoints, uprobes, ringbuf, BTF) fail instead of skipping, because CI
//     machines are root on the same kernel as our development hosts;
//   - inside the vmtest guest (POLC_VMTEST=1) every requirement fails instead
//     of skipping unless the test also declared the guest kernel unsupported
//     with a version bound, because the guest kernels are chosen to have them.
//
// Mounting bpffs and tracefs is done here, once, so tests never do it ad hoc.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// Requirement is something a test needs from the machine.
type Requirement struct {
	// Name is what the skip or failure message calls it.
	Name string
	// OnCIHost is true when every CI host (root on kernel 6.18) has it, so
	// that its absence under CI=true is a failure, not a skip.
	OnCIHost bool
	// Check returns nil when the requirement is met, or the reason it is not.
	Check func() error
}

// InVM reports whether the test runs inside the vmtest guest.
func InVM() bool { return os.Getenv("POLC_VMTEST") == "1" }

// InCI reports whether the test runs under CI (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }

// Require skips or fails t unless every requirement is met.
func Require(t testing.TB, reqs ...Requirement) {
	t.Helper()
	for _, r := range reqs {
		err := r.Check()
		if err == nil {
			continue
		}
		var ns notSupportedHere
		switch {
		case errors.As(err, &ns):
			// A declared kernel bound: never a failure.
			t.Skipf("needs %s: %v", r.Name, err)
		case InVM():
			t.Fatalf("needs %s inside the vmtest guest: %v", r.Name, err)
		case InCI() && r.OnCIHost:
			t.Fatalf("needs %s, which CI hosts have (CI=true): %v", r.Name, err)
		default:
			t.Skipf("needs %s: %v", r.Name, err)
		}
	}
}

// notSupportedHere marks a reason that is expected on this kernel (a test's
// declared kernel bound), so it is a skip even in CI and in the guest.
type notSupportedHere struct{ reason string }

func (n notSupportedHere) Error() string { return n.reason }

// Root: the test runs as uid 0.
var Root = Requirement{Name: "root", OnCIHost: true, Check: func() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("running as uid %d", os.Geteuid())
	}
	return nil
}}

// BPFFS: a bpf filesystem at /sys/fs/bpf, mounted here if missing.
var BPFFS = Requirement{Name: "bpffs at /sys/fs/bpf", OnCIHost: true, Check: func() error {
	return mountOnce(&bpffsOnce, "/sys/fs/bpf", "bpf", unix.BPF_FS_MAGIC)
}}

// Tracefs: tracefs at /sys/kernel/tracing, mounted here if missing.
var Tracefs = Requirement{Name: "tracefs at /sys/kernel/tracing", OnCIHost: true, Check: func() error {
	return mountOnce(&tracefsOnce, "/sys/kernel/tracing", "tracefs", unix.TRACEFS_MAGIC)
}}

// KernelBTF: the kernel exposes its BTF at /sys/kernel/btf/vmlinux.
var KernelBTF = Requirement{Name: "kernel BTF", OnCIHost: true, Check: func() error {
	_, err := os.Stat("/sys/kernel/btf/vmlinux")
	return err
}}

type onceResult struct {
	once sync.Once
	err  error
}

var bpffsOnce, tracefsOnce onceResult

func mountOnce(o *onceResult, dir, fstype string, magic int64) error {
	o.once.Do(func() { o.err = ensureMounted(dir, fstype, magic) })
	return o.err
}

func ensureMounted(dir, fstype string, magic int64) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err == nil && int64(st.Type) == magic {
		return nil
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%s is not mounted at %s and mounting it needs root", fstype, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := unix.Mount(fstype, dir, fstype, 0, ""); err != nil {
		return fmt.Errorf("mount %s at %s: %w", fstype, dir, err)
	}
	return nil
}
