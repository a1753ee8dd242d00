package dirsync

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/testbundle"
)

// dirModel is what a test expects of the directory: file name -> which
// of the policy's two bundles ("A" or "B") it holds.
type dirModel map[string]string

// provider is the file that must provide the policy: the lexically first
// (both bundles are unsigned, so of one version); "" for none.
func (m dirModel) provider() string {
	names := slices.Sorted(maps.Keys(m))
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// fileOp is one step done to the directory.
type fileOp struct {
	name string
	// files are the files the step changes.
	files []string
	// ok says whether the step applies to the model (a file to remove
	// must be there); model makes it to the model, do to the directory.
	ok    func(dirModel) bool
	model func(dirModel)
	do    func(h *harness)
}

// addOp writes bundle c as file, in place or (rename) written aside and
// renamed in.
func addOp(file, c string, rename bool, data map[string][]byte) fileOp {
	how := "write"
	if rename {
		how = "rename in"
	}
	return fileOp{
		name:  fmt.Sprintf("%s %s(%s)", how, file, c),
		files: []string{file},
		ok:    func(m dirModel) bool { _, there := m[file]; return !there },
		model: func(m dirModel) { m[file] = c },
		do: func(h *harness) {
			path := filepath.Join(h.dir, file)
			tmp := path
			if rename {
				tmp = filepath.Join(h.dir, ".tmp-"+file)
			}
			if err := os.WriteFile(tmp, data[c], 0o644); err != nil {
				h.t.Fatal(err)
			}
			if rename {
				if err := os.Rename(tmp, path); err != nil {
					h.t.Fatal(err)
				}
			}
		},
	}
}

// removeOp removes file, or (rename) renames it to a name that is not a
// bundle's.
func removeOp(file string, rename bool) fileOp {
	how := "remove"
	if rename {
		how = "rename away"
	}
	return fileOp{
		name:  how + " " + file,
		files: []string{file},
		ok:    func(m dirModel) bool { _, there := m[file]; return there },
		model: func(m dirModel) { delete(m, file) },
		do: func(h *harness) {
			path := filepath.Join(h.dir, file)
			var err error
			if rename {
				err = os.Rename(path, path+".old")
			} else {
				err = os.Remove(path)
			}
			if err != nil {
				h.t.Fatal(err)
			}
		},
	}
}

// moveOp renames from to to, replacing to if it is there.
func moveOp(from, to string) fileOp {
	return fileOp{
		name:  "rename " + from + " to " + to,
		files: []string{from, to},
		ok:    func(m dirModel) bool { _, there := m[from]; return there },
		model: func(m dirModel) { m[to] = m[from]; delete(m, from) },
		do: func(h *harness) {
			if err := os.Rename(filepath.Join(h.dir, from), filepath.Join(h.dir, to)); err != nil {
				h.t.Fatal(err)
			}
		},
	}
}

// sequences returns every order of steps from ops, of length n, that
// applies step by step to an empty directory and uses no step twice.
func sequences(ops []fileOp, n int) [][]fileOp {
	var out [][]fileOp
	var walk func(seq []fileOp, used []bool, m dirModel)
	walk = func(seq []fileOp, used []bool, m dirModel) {
		if len(seq) == n {
			out = append(out, slices.Clone(seq))
			return
		}
		for i, op := range ops {
			if used[i] || !op.ok(m) {
				continue
			}
			next := maps.Clone(m)
			op.model(next)
			used[i] = true
			walk(append(seq, op), used, next)
			used[i] = false
		}
	}
	walk(nil, make([]bool, len(ops)), dirModel{})
	return out
}

// Two files of one policy, in every order of adding, removing and
// renaming them: after each step, the policy is loaded from the file that
// should provide it (the lexically first present), with that file's bytes,
// and when the providing file goes while the other stays, the other is
// loaded in the same pass: never nothing.
func TestSyncTwoFilesOfOnePolicy(t *testing.T) {
	data := map[string][]byte{}
	shas := map[string]string{}
	for i, c := range []string{"A", "B"} {
		d, err := testbundle.Syscalls("ds-two", "dirsync_enter", uint32(i+1)).Write()
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(d)
		data[c], shas[c] = d, hex.EncodeToString(sum[:])
	}
	var all [][]fileOp
	// Add both, remove both, in every order, each way of adding and
	// removing.
	for _, rename := range []bool{false, true} {
		ops := []fileOp{addOp("a.bpf.o", "A", rename, data), addOp("b.bpf.o", "B", rename, data),
			removeOp("a.bpf.o", rename), removeOp("b.bpf.o", !rename)}
		all = append(all, sequences(ops, 4)...)
	}
	// Renames of one file over or to the other's name.
	ops := []fileOp{addOp("a.bpf.o", "A", false, data), addOp("b.bpf.o", "B", false, data),
		moveOp("a.bpf.o", "b.bpf.o"), moveOp("b.bpf.o", "a.bpf.o"), moveOp("a.bpf.o", "c.bpf.o"), removeOp("b.bpf.o", false)}
	all = append(all, sequences(ops, 3)...)
	t.Logf("%d sequences", len(all))

	h := newHarness(t)
	for _, seq := range all {
		var names []string
		for _, op := range seq {
			names = append(names, op.name)
		}
		t.Run(strings.Join(names, ", "), func(t *testing.T) {
			h.t = t
			// Start from an empty directory, whatever a failed
			// sequence left.
			clearDir(t, h.dir)
			h.s.Sync()
			h.checkProvider("start", "", "")
			m := dirModel{}
			for _, op := range seq {
				before := maps.Clone(m)
				op.do(h)
				op.model(m)
				want := m.provider()
				// The file to load was there, unchanged, before the step:
				// it takes over in the first pass.
				h.s.Sync()
				if want != "" && before[want] == m[want] && !slices.Contains(op.files, want) {
					h.checkProvider(op.name+", first pass", want, shas[m[want]])
				}
				h.s.Sync()
				h.checkProvider(op.name, want, shas[m[want]])
			}
			for f := range m {
				os.Remove(filepath.Join(h.dir, f))
			}
			h.s.Sync()
			h.checkProvider("all removed", "", "")
		})
	}
}

// checkProvider checks that the policy is loaded from file with the bytes
// of sum, or not loaded when file is "".
func (h *harness) checkProvider(step, file, sum string) {
	h.t.Helper()
	st, err := loader.List(&loader.Options{PinRoot: h.root})
	if err != nil {
		h.t.Fatal(err)
	}
	var got []string
	for _, p := range st.Policies {
		got = append(got, fmt.Sprintf("%s<%s %.8s", p.Name, filepath.Base(p.Bundle), p.BundleSHA256))
	}
	want := []string(nil)
	if file != "" {
		want = []string{fmt.Sprintf("ds-two<%s %.8s", file, sum)}
	}
	if !slices.Equal(got, want) {
		h.t.Fatalf("after %s: loaded %q, want %q", step, got, want)
	}
}

func clearDir(t *testing.T, dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
}
