package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// BPFFSRoot is where tests make their pin directories.
const BPFFSRoot = "/sys/fs/bpf"

// PinDir returns a directory under bpffs that is the test's own, named
// PREFIX-PID-N-TEST (N counts the calls in this process, so that a test may
// have several; the test's name with '_' for '/', so that a subtest's
// directory is one entry at the bpffs root, and for '.', which bpffs
// refuses in names). It does not exist yet:
// polrun creates its pin root itself; tests that pin maps there directly
// make it with os.MkdirAll.
//
// When the test ends, after the test's own cleanups (it registers its
// check first, so it runs last), it removes whatever is left under the
// directory and the directory itself, and fails the test when
//
//   - clean is true and anything was still pinned under it: a test of
//     polrun ends with an unload, which must leave nothing;
//   - the directory could not be removed;
//   - new entries of this test binary (named with its process id, as every
//     PinDir is) are at the bpffs root: a subtest's or helper's directory
//     that nobody removes.
//
// Nothing a test pinned outlives it, so a CI machine starts every run with
// the bpffs it booted with.
func PinDir(t testing.TB, prefix string, clean bool) string {
	t.Helper()
	name := fmt.Sprintf("%s-%d-%d-%s", prefix, os.Getpid(), pinDirs.Add(1), pinSafe(t.Name()))
	if len(name) > 200 { // NAME_MAX is 255; polrun adds its staging names below
		name = name[:200]
	}
	dir := filepath.Join(BPFFSRoot, name)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatalf("clear %s: %v", dir, err)
	}
	before := ownRootEntries()
	livePinDirs.add(name)
	t.Cleanup(func() {
		livePinDirs.remove(name)
		if left := PinsUnder(dir); clean && len(left) > 0 {
			t.Errorf("left pinned under %s after the test: %s", dir, strings.Join(left, ", "))
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("remove %s: %v", dir, err)
		}
		for e := range ownRootEntries() {
			if !before[e] && !livePinDirs.has(e) {
				t.Errorf("left at the bpffs root after the test: %s", filepath.Join(BPFFSRoot, e))
			}
		}
	})
	return dir
}

// pinSafe is name with '_' for every byte but letters, digits, '-' and '_'.
func pinSafe(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, name)
}

// PinsUnder lists every file and directory under dir, relative to it,
// sorted; nothing when dir does not exist.
func PinsUnder(dir string) []string {
	var out []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && path != dir {
			out = append(out, strings.TrimPrefix(path, dir+"/"))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// ownRootEntries is the set of entries at the bpffs root that this test
// binary made: their names hold its process id between dashes.
func ownRootEntries() map[string]bool {
	entries, _ := os.ReadDir(BPFFSRoot)
	pid := fmt.Sprintf("-%d-", os.Getpid())
	own := map[string]bool{}
	for _, e := range entries {
		if strings.Contains(e.Name(), pid) {
			own[e.Name()] = true
		}
	}
	return own
}

// pinDirs counts PinDir's calls: each directory's number.
var pinDirs atomic.Int64

// livePinDirs are the PinDirs of tests still running (parallel tests and
// subtests): new at the root while another test ran, but not left behind.
var livePinDirs = nameSet{names: map[string]int{}}

type nameSet struct {
	mu    sync.Mutex
	names map[string]int
}

func (s *nameSet) add(n string) { s.mu.Lock(); s.names[n]++; s.mu.Unlock() }
func (s *nameSet) remove(n string) {
	s.mu.Lock()
	if s.names[n]--; s.names[n] <= 0 {
		delete(s.names, n)
	}
	s.mu.Unlock()
}
func (s *nameSet) has(n string) bool { s.mu.Lock(); defer s.mu.Unlock(); return s.names[n] > 0 }
