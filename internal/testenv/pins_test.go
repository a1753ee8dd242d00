package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
)

// cleanupTB records what PinDir's check reports instead of failing the
// test that runs it.
type cleanupTB struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (c *cleanupTB) Cleanup(f func()) { c.cleanups = append(c.cleanups, f) }
func (c *cleanupTB) Errorf(format string, args ...any) {
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
}
func (c *cleanupTB) end() {
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
}

func pinMap(t *testing.T, path string) {
	t.Helper()
	m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 4, MaxEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Pin(path); err != nil {
		t.Fatal(err)
	}
}

// TestPinDir: PinDir's check fails a test that leaves something pinned in
// its directory (when asked) or a directory of its own at the bpffs root,
// and removes both, so that nothing outlives the test either way.
func TestPinDir(t *testing.T) {
	Require(t, Root, BPFFS)
	t.Run("clean", func(t *testing.T) {
		tb := &cleanupTB{TB: t}
		dir := PinDir(tb, "polc-testenv", true)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		tb.end()
		if len(tb.errors) > 0 {
			t.Errorf("an empty pin directory reported: %q", tb.errors)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s not removed: %v", dir, err)
		}
	})
	t.Run("left-pinned", func(t *testing.T) {
		tb := &cleanupTB{TB: t}
		dir := PinDir(tb, "polc-testenv", true)
		if err := os.MkdirAll(filepath.Join(dir, "policies"), 0o700); err != nil {
			t.Fatal(err)
		}
		pinMap(t, filepath.Join(dir, "policies", "m"))
		tb.end()
		if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "policies, policies/m") {
			t.Errorf("reported %q, want what was left pinned", tb.errors)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s not removed: %v", dir, err)
		}
	})
	t.Run("scratch", func(t *testing.T) {
		tb := &cleanupTB{TB: t}
		dir := PinDir(tb, "polc-testenv", false)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		pinMap(t, filepath.Join(dir, "m"))
		tb.end()
		if len(tb.errors) > 0 {
			t.Errorf("a scratch directory's pins reported: %q", tb.errors)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s not removed: %v", dir, err)
		}
	})
	t.Run("left-at-root", func(t *testing.T) {
		tb := &cleanupTB{TB: t}
		PinDir(tb, "polc-testenv", true)
		// What a helper that names its directory after the test's, and
		// forgets it, leaves: found by this process's id.
		stray := filepath.Join(BPFFSRoot, fmt.Sprintf("polc-testenv-stray-%d-x", os.Getpid()))
		if err := os.Mkdir(stray, 0o700); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(stray)
		tb.end()
		if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], stray) {
			t.Errorf("reported %q, want %s", tb.errors, stray)
		}
	})
}
