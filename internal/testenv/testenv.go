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
	// that its absence under CI=true is a failure, not a skip. False means
	// the host lacks it and the vmtest guests have it: off the guest it
	// skips with a reason ending in "runs under make vmtest".
	OnCIHost bool
	// Check returns nil when the requirement is met, or the reason it is not.
	Check func() error
}

// InVM reports whether the test runs inside the vmtest guest.
func InVM() bool { return os.Getenv("POLC_VMTEST") == "1" }

// InCI reports whether the test runs under CI (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }

// Require skips or fails t unless every requirement is met.
//
// Kernel version bounds are checked before anything else, so a test that
// needs both a newer kernel and a feature only that kernel has is skipped,
// not failed, on the older guest kernel whatever order it lists them in.
func Require(t testing.TB, reqs ...Requirement) {
	t.Helper()
	for _, r := range reqs {
		var ns notSupportedHere
		if err := r.Check(); errors.As(err, &ns) {
			t.Skipf("needs %s: %v", r.Name, err)
		}
	}
	for _, r := range reqs {
		err := r.Check()
		if err == nil {
			continue
		}
		switch {
		case InVM():
			t.Fatalf("needs %s inside the vmtest guest: %v", r.Name, err)
		case InCI() && r.OnCIHost:
			t.Fatalf("needs %s, which CI hosts have (CI=true): %v", r.Name, err)
		case !r.OnCIHost:
			t.Skipf("needs %s: %v; runs under make vmtest", r.Name, err)
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
var Root = Requirement{Name: "root", OnCIHost: true, Check: checkRoot}

func checkRoot() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("running as uid %d", os.Geteuid())
	}
	return nil
}

// BPFFS: a bpf filesystem at /sys/fs/bpf, mounted here if missing.
var BPFFS = Requirement{Name: "bpffs at /sys/fs/bpf", OnCIHost: true, Check: func() error {
	return mountOnce(&bpffsOnce, "/sys/fs/bpf", "bpf", unix.BPF_FS_MAGIC)
}}

// Tracefs: tracefs at /sys/kernel/tracing, mounted here if missing.
var Tracefs = Requirement{Name: "tracefs at /sys/kernel/tracing", OnCIHost: true, Check: mountTracefs}

func mountTracefs() error {
	return mountOnce(&tracefsOnce, "/sys/kernel/tracing", "tracefs", unix.TRACEFS_MAGIC)
}

// KernelBTF: the kernel exposes its BTF at /sys/kernel/btf/vmlinux.
var KernelBTF = Requirement{Name: "kernel BTF", OnCIHost: true, Check: checkKernelBTF}

func checkKernelBTF() error {
	_, err := os.Stat("/sys/kernel/btf/vmlinux")
	return err
}

// mountSecurityfs mounts securityfs, which lists the active LSMs.
func mountSecurityfs() error {
	return mountOnce(&securityfsOnce, "/sys/kernel/security", "securityfs", unix.SECURITYFS_MAGIC)
}

type onceResult struct {
	once sync.Once
	err  error
}

// do runs fn the first time and returns its result every time: probes and
// mounts are answered once per test binary.
func (o *onceResult) do(fn func() error) error {
	o.once.Do(func() { o.err = fn() })
	return o.err
}

var bpffsOnce, tracefsOnce, securityfsOnce onceResult

func mountOnce(o *onceResult, dir, fstype string, magic int64) error {
	return o.do(func() error { return ensureMounted(dir, fstype, magic) })
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
