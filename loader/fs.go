package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
)

// Filesystems polrun needs, mounted by it when missing (it runs as root).
const (
	bpffsDir      = "/sys/fs/bpf"
	tracefsDir    = "/sys/kernel/tracing"
	securityfsDir = "/sys/kernel/security"
)

// ensureMounted mounts fstype at dir unless a filesystem with that magic is
// already there.
func ensureMounted(dir, fstype string, magic int64) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err == nil && int64(st.Type) == magic {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := unix.Mount(fstype, dir, fstype, 0, ""); err != nil {
		return fmt.Errorf("mount %s at %s: %w", fstype, dir, err)
	}
	return nil
}

// ensureBPFFS makes sure root lies on a bpf filesystem, mounting one at
// /sys/fs/bpf when root is under it and nothing is mounted there.
func ensureBPFFS(root string) error {
	if strings.HasPrefix(filepath.Clean(root)+"/", bpffsDir+"/") {
		if err := ensureMounted(bpffsDir, "bpf", unix.BPF_FS_MAGIC); err != nil {
			return err
		}
	}
	dir := root
	for {
		var st unix.Statfs_t
		err := unix.Statfs(dir, &st)
		if err == nil {
			if int64(st.Type) != unix.BPF_FS_MAGIC {
				return fmt.Errorf("pin root %s is not on a bpf filesystem", root)
			}
			return nil
		}
		if !errors.Is(err, unix.ENOENT) {
			return fmt.Errorf("statfs %s: %w", dir, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return fmt.Errorf("pin root %s: no existing parent", root)
		}
		dir = parent
	}
}

func ensureTracefs() error {
	return ensureMounted(tracefsDir, "tracefs", unix.TRACEFS_MAGIC)
}

// lock is an exclusive flock on the pin root, held while loading or
// unloading so that two polrun processes never interleave their changes.
type lock struct{ f *os.File }

func lockRoot(root string) (*lock, error) {
	for {
		if err := os.MkdirAll(root, 0o700); err != nil {
			return nil, fmt.Errorf("create pin root: %w", err)
		}
		f, err := os.Open(root)
		if err != nil {
			return nil, fmt.Errorf("open pin root: %w", err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
			f.Close()
			return nil, fmt.Errorf("lock pin root %s: %w", root, err)
		}
		// The holder before us may have removed the root (the last unload
		// does): then our lock is on a directory no one else will find,
		// so take it again on the new one.
		var locked, current unix.Stat_t
		if unix.Fstat(int(f.Fd()), &locked) == nil && unix.Stat(root, &current) == nil &&
			locked.Ino == current.Ino && locked.Dev == current.Dev {
			return &lock{f}, nil
		}
		f.Close()
	}
}

func (l *lock) unlock() {
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
}

// Directory names under the pin root that are not part of the contract:
// work in progress, removed by whoever next holds the lock. (bpffs refuses
// names with dots, so they cannot be hidden as dot files.)
const (
	stagingPrefix = "staging_"
	trashPrefix   = "trash_"
)

// policyDir is the pin directory of a policy. bpf.PinName maps names to
// ones bpffs accepts; policy names (DNS subdomains) cannot contain '_', so
// the mapping is one to one for them.
func policyDir(root, policy string) string { return bpf.PolicyPinDir(root, policy) }

// removeStale removes staging and trash directories a killed polrun left
// behind. Only called with the lock held, when no other polrun is working.
func removeStale(root string) error {
	ents, err := os.ReadDir(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("read pin root: %w", err)
	}
	var errs []error
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), stagingPrefix) || strings.HasPrefix(e.Name(), trashPrefix) {
			if err := os.RemoveAll(filepath.Join(root, e.Name())); err != nil {
				errs = append(errs, fmt.Errorf("remove stale %s: %w", e.Name(), err))
			}
		}
	}
	return errors.Join(errs...)
}

// removeIfEmpty removes dir if it has no entries; a missing dir is fine.
func removeIfEmpty(dir string) error {
	err := os.Remove(dir)
	if err == nil || errors.Is(err, os.ErrNotExist) || errors.Is(err, unix.ENOTEMPTY) || errors.Is(err, unix.EEXIST) {
		return nil
	}
	return err
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
