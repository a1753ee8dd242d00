package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
)

// RunBase is where the run directories of pin roots are: bpffs holds only
// BPF objects and directories, so the reader's lock file and the socket
// its clients attach to live on a normal filesystem.
var RunBase = "/run/polrun"

// RunDir is the run directory of a pin root: RunBase/ID, ID being a hash
// of the pin root's absolute path (short enough for a Unix socket path,
// whatever the pin root's length). The lock file inside names the pin
// root.
func RunDir(pinRoot string) string {
	if pinRoot == "" {
		pinRoot = bpf.DefaultPinRoot
	}
	if abs, err := filepath.Abs(pinRoot); err == nil {
		pinRoot = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(pinRoot)))
	return filepath.Join(RunBase, hex.EncodeToString(sum[:8]))
}

// Files of a run directory.
const (
	readerLockFile = "reader.lock"
	// ReaderSocket is the Unix socket the reader serves its events on
	// (package eventbus).
	ReaderSocket = "events.sock"
)

// ErrReaderBusy: another process reads the pin root's ring buffer. The
// ring buffer has one consumer position: two readers would split its
// records between them and, racing on the position, read garbage.
var ErrReaderBusy = errors.New("the events of this pin root are read by another process")

// ReaderBusyError says who holds the reader lock, and how to attach to
// its event stream instead.
type ReaderBusyError struct {
	PinRoot string
	PID     int    // 0 when the holder has not written it yet
	Command string // what the holder said it is ("polrun serve")
	Socket  string // where it serves its events
}

func (e *ReaderBusyError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("pid %d", e.PID)
		if e.Command != "" {
			who += " (" + e.Command + ")"
		}
	}
	return fmt.Sprintf("%s already reads the events of %s: there is one reader per pin root; "+
		"attach to its stream with 'polrun events --pin-root %s' (socket %s)", who, e.PinRoot, e.PinRoot, e.Socket)
}

func (e *ReaderBusyError) Unwrap() error { return ErrReaderBusy }

// ReaderLock is the exclusive right to read a pin root's ring buffer: an
// flock on RunDir/reader.lock, which holds the owner's pid and command.
// The kernel releases it when the owner dies.
type ReaderLock struct {
	f       *os.File
	dir     string
	pinRoot string
}

// LockReader takes the reader lock of a pin root without waiting; command
// names the taker for the message others get. A held lock is a
// *ReaderBusyError.
func LockReader(pinRoot, command string) (*ReaderLock, error) {
	if pinRoot == "" {
		pinRoot = bpf.DefaultPinRoot
	}
	dir := RunDir(pinRoot)
	// /run itself may be missing on a minimal system (an initramfs, a
	// container without it): made as every distribution has it.
	if err := os.MkdirAll(filepath.Dir(RunBase), 0o755); err != nil {
		return nil, fmt.Errorf("run directory: %w", err)
	}
	for range 100 {
		if err := privateDir(RunBase); err != nil {
			return nil, err
		}
		if err := privateDir(dir); errors.Is(err, os.ErrNotExist) {
			continue // made, then removed by the last owner's Release before we looked
		} else if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, readerLockFile)
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o600)
		if errors.Is(err, os.ErrNotExist) {
			continue // the last owner removed the directory meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("reader lock: %w", err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, readerBusy(pinRoot, dir)
			}
			return nil, fmt.Errorf("reader lock %s: %w", path, err)
		}
		// The owner before us removes the file when it stops, after
		// which a lock on the inode we opened is no one's: take the
		// lock on the file now at path.
		var locked, current unix.Stat_t
		if unix.Fstat(int(f.Fd()), &locked) != nil || unix.Lstat(path, &current) != nil ||
			locked.Ino != current.Ino || locked.Dev != current.Dev {
			f.Close()
			continue
		}
		if locked.Uid != uint32(os.Geteuid()) || locked.Mode&0o077 != 0 {
			f.Close()
			return nil, fmt.Errorf("reader lock %s: not owned by this user with mode 0600", path)
		}
		info := fmt.Sprintf("pid=%d\ncommand=%s\npin_root=%s\n", os.Getpid(), oneLine(command), pinRoot)
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, fmt.Errorf("reader lock: %w", err)
		}
		if _, err := f.WriteAt([]byte(info), 0); err != nil {
			f.Close()
			return nil, fmt.Errorf("reader lock: %w", err)
		}
		return &ReaderLock{f: f, dir: dir, pinRoot: pinRoot}, nil
	}
	return nil, fmt.Errorf("reader lock of %s: the lock file keeps being replaced", pinRoot)
}

// Dir is the run directory the lock is in.
func (l *ReaderLock) Dir() string { return l.dir }

// PinRoot is the pin root whose reader the lock's holder is.
func (l *ReaderLock) PinRoot() string { return l.pinRoot }

// Release removes the lock file and the run directory (when nothing else
// is left in it), then unlocks. A process that opened the file before it
// was removed sees, once it has the lock, that the file is gone and tries
// again (LockReader).
func (l *ReaderLock) Release() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(filepath.Join(l.dir, readerLockFile))
	os.Remove(l.dir) // fails while a socket is still there
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
	l.f = nil
}

// readerBusy reads who holds the lock.
func readerBusy(pinRoot, dir string) error {
	e := &ReaderBusyError{PinRoot: pinRoot, Socket: filepath.Join(dir, ReaderSocket)}
	data, _ := os.ReadFile(filepath.Join(dir, readerLockFile))
	for line := range strings.SplitSeq(string(data), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "pid":
			e.PID, _ = strconv.Atoi(v)
		case "command":
			e.Command = v
		}
	}
	return e
}

// privateDir makes dir a directory only its owner, this user, can enter
// (0700), refusing one that is a symlink, someone else's or open to
// others: the socket inside is checked by the credentials of who
// connects, but the lock file could be replaced.
func privateDir(dir string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("run directory: %w", err)
	}
	var st unix.Stat_t
	if err := unix.Lstat(dir, &st); err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR || st.Uid != uint32(os.Geteuid()) || st.Mode&0o077 != 0 {
		return fmt.Errorf("run directory %s: not a directory of this user with mode 0700 (mode %o, uid %d): remove it", dir, st.Mode, st.Uid)
	}
	return nil
}

// oneLine keeps s on one line of the lock file.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' {
			return ' '
		}
		return r
	}, s)
}
