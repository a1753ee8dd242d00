package loader

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Capabilities loading needs (linux/capability.h).
const (
	capSysAdmin = 21
	capPerfmon  = 38
	capBPF      = 39
)

// checkPrivileges refuses to load without the capabilities loading takes:
// CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON. Without this check the
// first feature probe fails with EPERM, which reads as a kernel lacking
// the feature (ring buffers, tracepoints).
func checkPrivileges() error { return CheckPrivileges("loading") }

// CheckPrivileges returns an ErrPermission error naming what, the missing
// privileges and this process's uid and capabilities, unless the process
// has what polrun needs to use BPF at all: CAP_SYS_ADMIN, or CAP_BPF with
// CAP_PERFMON. Listing, unloading, reading events and probing features
// check it first: without it the kernel's EPERM and bpffs's EACCES read
// as "nothing loaded", "no base loaded" or a kernel lacking a feature.
func CheckPrivileges(what string) error {
	eff, err := effectiveCaps()
	if err != nil {
		return nil // no /proc: the kernel will say
	}
	has := func(c uint) bool { return eff&(1<<c) != 0 }
	if has(capSysAdmin) || has(capBPF) && has(capPerfmon) {
		return nil
	}
	return fmt.Errorf("%w: %s needs root (CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON); this process runs as uid %d with capabilities %#x",
		ErrPermission, what, os.Geteuid(), eff)
}

// ErrPermission: the process lacks the privileges an operation needs.
var ErrPermission = errors.New("permission denied")

// effectiveCaps reads this process's effective capability set.
func effectiveCaps() (uint64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, fmt.Errorf("no CapEff in /proc/self/status")
}
