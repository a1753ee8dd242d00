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

// lock is an exclusive flock on the pin root, held while loading,
// unloading, listing or recovering so that two polrun processes never
// interleave their changes and no one reads a half-done one.
type lock struct{ f *os.File }

func (l *lock) unlock() {
	if l == nil {
		return
	}
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
}

// openRoot checks the pin root, creates it when create (owned by root, mode
// 0700; created says this call made it), locks it, and finishes or rolls
// back what a polrun killed in the middle of an operation left (see
// journal.go). Without create, a missing root is (nil, false, nil):
// nothing is loaded.
//
// bpffs is mode 1777: anyone may make directories in it. A pin root made
// by another user, or one others may write to, is refused: its owner could
// move policies/ aside or plant a policy's directory. The root's parents
// must be root's too and not writable by others unless sticky (as
// /sys/fs/bpf is), so that no one else can rename the root away.
func openRoot(root string, create bool) (_ *lock, created bool, err error) {
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, false, fmt.Errorf("pin root: %w", err)
	}
	for {
		if create {
			if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
				return nil, false, fmt.Errorf("create pin root: %w", err)
			}
		}
		if err := checkAncestors(root); err != nil {
			return nil, false, err
		}
		if create {
			switch err := unix.Mkdir(root, 0o700); {
			case err == nil:
				created = true
				faultPoint("create pin root")
			case !errors.Is(err, unix.EEXIST):
				return nil, false, fmt.Errorf("create pin root: %w", err)
			}
		}
		fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		switch {
		case errors.Is(err, unix.ENOENT) && !create:
			return nil, false, nil
		case errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR):
			return nil, false, fmt.Errorf("%w: pin root %s is not a directory (a symbolic link or a pin): polrun did not make it; remove it or use another --pin-root",
				ErrUntrustedDir, root)
		case err != nil:
			return nil, false, fmt.Errorf("open pin root: %w", err)
		}
		f := os.NewFile(uintptr(fd), root)
		// Checked on the descriptor that is locked: what was checked is
		// what is used.
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("stat pin root: %w", err)
		}
		if err := checkOwned(root, &st, true); err != nil {
			f.Close()
			return nil, false, err
		}
		if err := unix.Flock(fd, unix.LOCK_EX); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("lock pin root %s: %w", root, err)
		}
		// The holder before us may have removed the root (the last unload
		// does): then our lock is on a directory no one else will find,
		// so take it again on the new one.
		var current unix.Stat_t
		if unix.Lstat(root, &current) == nil && st.Ino == current.Ino && st.Dev == current.Dev {
			lk := &lock{f}
			if err := recoverRoot(root); err != nil {
				lk.unlock()
				return nil, false, err
			}
			// A load killed before its commit leaves, rolled back, the
			// empty policies/ it made, and the root: remove them as its
			// failure would have, and start again.
			policies := filepath.Join(root, bpf.PoliciesDir)
			if exists(bpf.BasePinDir(root)) || checkDir(policies) != nil || os.Remove(policies) != nil {
				return lk, created, nil
			}
			faultPoint("remove empty policies")
			os.Remove(root)
		}
		f.Close()
		created = false
	}
}

// ErrUntrustedDir: a directory polrun would use is not one it made: not a
// directory, not owned by root, or writable by group or others.
var ErrUntrustedDir = errors.New("untrusted directory")

// checkOwned refuses a directory polrun would not have made: one not owned
// by root, or that group or others may write to (polrun makes its
// directories 0700). isRoot words the hint for the pin root.
func checkOwned(path string, st *unix.Stat_t, isRoot bool) error {
	hint := "polrun did not make it; remove it after checking what it holds"
	if isRoot {
		hint = "polrun makes its pin root owned by root with mode 0700 and did not make this one; remove it after checking what it holds, or use another --pin-root"
	}
	switch {
	case st.Mode&unix.S_IFMT != unix.S_IFDIR:
		return fmt.Errorf("%w: %s is not a directory: %s", ErrUntrustedDir, path, hint)
	case st.Uid != 0:
		return fmt.Errorf("%w: %s is owned by uid %d, not root: %s", ErrUntrustedDir, path, st.Uid, hint)
	case st.Mode&0o022 != 0:
		return fmt.Errorf("%w: %s is writable by group or others (mode %04o): %s (or chmod go-w it if it is polrun's)",
			ErrUntrustedDir, path, st.Mode&0o7777, hint)
	}
	return nil
}

// checkDir is checkOwned for a directory under the pin root; a symbolic
// link there is refused, not followed.
func checkDir(path string) error {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return checkOwned(path, &st, false)
}

// checkAncestors refuses a pin root whose parents someone other than root
// could change: each must be owned by root and not writable by group or
// others unless sticky (then others cannot rename root's entries in it).
func checkAncestors(root string) error {
	for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
		var st unix.Stat_t
		if err := unix.Lstat(dir, &st); err != nil {
			return fmt.Errorf("pin root %s: %w", root, err)
		}
		if st.Uid != 0 || st.Mode&unix.S_IFMT != unix.S_IFLNK && st.Mode&0o022 != 0 && st.Mode&unix.S_ISVTX == 0 {
			return fmt.Errorf("%w: pin root %s: its parent %s (owner uid %d, mode %04o) could be changed by someone other than root, who could move the pin root away; use a pin root whose parents only root can change",
				ErrUntrustedDir, root, dir, st.Uid, st.Mode&0o7777)
		}
		if dir == "/" {
			return nil
		}
	}
}

// ensureDir makes dir (mode 0700) under the pin root if it is missing, or
// checks that it is polrun's. created says this call made it.
func ensureDir(dir string) (created bool, err error) {
	switch err := unix.Mkdir(dir, 0o700); {
	case err == nil:
		faultPoint("mkdir " + filepath.Base(dir))
		return true, nil
	case !errors.Is(err, unix.EEXIST):
		return false, fmt.Errorf("create %s: %w", dir, err)
	}
	return false, checkDir(dir)
}

// policyDir is the pin directory of a policy. bpf.PinName maps names to
// ones bpffs accepts; policy names (DNS subdomains) cannot contain '_', so
// the mapping is one to one for them.
func policyDir(root, policy string) string { return bpf.PolicyPinDir(root, policy) }

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
