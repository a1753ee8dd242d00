package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// useRunBase points RunBase at a directory of the test's own.
func useRunBase(t *testing.T) string {
	t.Helper()
	old := RunBase
	RunBase = filepath.Join(t.TempDir(), "run")
	t.Cleanup(func() { RunBase = old })
	return RunBase
}

func TestReaderLock(t *testing.T) {
	base := useRunBase(t)
	root := "/sys/fs/bpf/polrun-readerlock-test"
	lk, err := LockReader(root, "polrun serve")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(lk.Dir()) != base || RunDir(root) != lk.Dir() || RunDir(root+"/") != lk.Dir() {
		t.Errorf("run dir %s, RunDir %s", lk.Dir(), RunDir(root))
	}
	if st, err := os.Stat(lk.Dir()); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("run dir: %v %v", st.Mode(), err)
	}
	// A second taker, in this process or another, is refused with the
	// holder's pid and how to attach.
	_, err = LockReader(root, "polrun events")
	var busy *ReaderBusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrReaderBusy) || busy.PID != os.Getpid() || busy.Command != "polrun serve" ||
		busy.Socket != filepath.Join(lk.Dir(), ReaderSocket) {
		t.Fatalf("second lock: %#v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "polrun serve") || !strings.Contains(msg, "polrun events --pin-root "+root) {
		t.Errorf("message %q", msg)
	}
	// Another pin root has its own lock.
	other, err := LockReader(root+"-other", "polrun")
	if err != nil {
		t.Fatal(err)
	}
	other.Release()
	lk.Release()
	if _, err := os.Stat(lk.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("run dir left behind: %v", err)
	}
	lk, err = LockReader(root, "polrun events")
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	lk.Release()
}

// A run directory others may write into is refused: the lock file in it
// could be replaced.
func TestReaderLockRefusesOpenRunDir(t *testing.T) {
	base := useRunBase(t)
	if err := os.Mkdir(base, 0o700); err != nil {
		t.Fatal(err)
	}
	root := "/sys/fs/bpf/polrun-readerlock-open"
	if err := os.Mkdir(RunDir(root), 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(RunDir(root), 0o777)
	if _, err := LockReader(root, "polrun"); err == nil || !strings.Contains(err.Error(), "mode 0700") {
		t.Errorf("lock in a 0777 run directory: %v", err)
	}
}
