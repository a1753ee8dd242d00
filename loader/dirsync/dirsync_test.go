package dirsync

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/testbundle"
)

// harness is a directory, a pin root and a Syncer, driven pass by pass.
type harness struct {
	t       *testing.T
	dir     string
	root    string
	s       *Syncer
	changes []string
	lastErr error
	opts    []func(*Options)
}

func newHarness(t *testing.T, opts ...func(*Options)) *harness {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs)
	h := &harness{t: t, dir: t.TempDir(), root: testenv.PinDir(t, "dirsync-test", true), opts: opts}
	t.Cleanup(func() {
		if err := loader.UnloadAll(&loader.Options{PinRoot: h.root}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	h.s = h.syncer()
	return h
}

func (h *harness) syncer() *Syncer {
	o := Options{Dir: h.dir, Loader: loader.Options{PinRoot: h.root}, Report: func(c Change) {
		h.changes = append(h.changes, c.Kind.String()+" "+c.Policy+" "+c.File)
		if c.Err != nil {
			h.lastErr = c.Err
		}
	}}
	for _, f := range h.opts {
		f(&o)
	}
	s, err := New(o)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// write puts a bundle of policy into the directory as file.
func (h *harness) write(file, policy string) {
	h.t.Helper()
	data, err := testbundle.Syscalls(policy, "dirsync_enter", 1).Write()
	if err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, file), data, 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// sync runs two passes (a change is acted on once it held for one) and
// returns what they reported.
func (h *harness) sync() string {
	h.changes = nil
	h.s.Sync()
	h.s.Sync()
	return strings.Join(h.changes, "; ")
}

func (h *harness) loaded() string {
	st, err := loader.List(&loader.Options{PinRoot: h.root})
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for _, p := range st.Policies {
		names = append(names, p.Name+"<"+filepath.Base(p.Bundle))
	}
	return strings.Join(names, " ")
}

func (h *harness) expect(got, want, loaded string) {
	h.t.Helper()
	if got != want {
		h.t.Errorf("changes %q, want %q", got, want)
	}
	if l := h.loaded(); l != loaded {
		h.t.Errorf("loaded %q, want %q", l, loaded)
	}
}

func TestSync(t *testing.T) {
	h := newHarness(t)
	h.write("a.bpf.o", "ds-a")
	h.write("ignored.txt", "ds-x")
	os.WriteFile(filepath.Join(h.dir, ".hidden.bpf.o"), []byte("x"), 0o644)
	h.expect(h.sync(), "loaded ds-a a.bpf.o", "ds-a<a.bpf.o")
	h.expect(h.sync(), "", "ds-a<a.bpf.o")

	// Touched, same bytes: nothing happens.
	later := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(h.dir, "a.bpf.o"), later, later)
	h.expect(h.sync(), "", "ds-a<a.bpf.o")

	// A second file of the same policy is a standby, reported once; the
	// first stays.
	h.write("b.bpf.o", "ds-a")
	h.expect(h.sync(), "conflict ds-a b.bpf.o", "ds-a<a.bpf.o")
	if !strings.Contains(fmt.Sprint(h.lastErr), "b.bpf.o holds policy ds-a, which a.bpf.o provides") {
		t.Errorf("error: %v", h.lastErr)
	}
	h.expect(h.sync(), "", "ds-a<a.bpf.o")
	// ... and loaded when it changes to another policy.
	h.write("b.bpf.o", "ds-b")
	h.expect(h.sync(), "loaded ds-b b.bpf.o", "ds-a<a.bpf.o ds-b<b.bpf.o")

	// A file that now holds another policy: the new one comes, the old
	// one goes.
	h.write("a.bpf.o", "ds-c")
	h.expect(h.sync(), "loaded ds-c a.bpf.o; unloaded ds-a a.bpf.o", "ds-b<b.bpf.o ds-c<a.bpf.o")

	// A broken file: reported once, retried when it changes.
	os.WriteFile(filepath.Join(h.dir, "c.bpf.o"), []byte("not ELF"), 0o644)
	h.expect(h.sync(), "failed  c.bpf.o", "ds-b<b.bpf.o ds-c<a.bpf.o")
	h.expect(h.sync(), "", "ds-b<b.bpf.o ds-c<a.bpf.o")
	// Failing says so for as long as it fails (for readiness), and no
	// more once it loads.
	if f := h.s.Failing(); len(f) != 1 || f[0].File != "c.bpf.o" || f[0].Policy != "" || f[0].Err == nil {
		t.Errorf("Failing() = %+v", f)
	}
	h.write("c.bpf.o", "ds-d")
	h.expect(h.sync(), "loaded ds-d c.bpf.o", "ds-b<b.bpf.o ds-c<a.bpf.o ds-d<c.bpf.o")
	if f := h.s.Failing(); len(f) != 0 {
		t.Errorf("Failing() after the file loaded = %+v", f)
	}

	// A file that goes: its policy goes.
	os.Remove(filepath.Join(h.dir, "c.bpf.o"))
	h.expect(h.sync(), "unloaded ds-d c.bpf.o", "ds-b<b.bpf.o ds-c<a.bpf.o")

	// A policy loaded by hand is left alone, unless a file has its name:
	// then the file's replaces it.
	data, err := testbundle.Syscalls("ds-e", "dirsync_enter", 1).Write()
	if err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "e.bpf.o")
	os.WriteFile(elsewhere, data, 0o644)
	b, err := loader.OpenBundle(elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.Load([]*loader.Bundle{b}, &loader.Options{PinRoot: h.root}); err != nil {
		t.Fatal(err)
	}
	h.expect(h.sync(), "", "ds-b<b.bpf.o ds-c<a.bpf.o ds-e<e.bpf.o")
	h.write("e.bpf.o", "ds-e")
	h.expect(h.sync(), "replaced ds-e e.bpf.o", "ds-b<b.bpf.o ds-c<a.bpf.o ds-e<e.bpf.o")
	if st, _ := loader.List(&loader.Options{PinRoot: h.root}); st.Policies[2].Bundle != filepath.Join(h.dir, "e.bpf.o") {
		t.Errorf("ds-e loaded from %s", st.Policies[2].Bundle)
	}
	os.Remove(filepath.Join(h.dir, "e.bpf.o"))
	h.expect(h.sync(), "unloaded ds-e e.bpf.o", "ds-b<b.bpf.o ds-c<a.bpf.o")

	// A new Syncer (polrun serve restarted) adopts what is loaded from
	// unchanged files, and unloads what was loaded from files that went
	// while it was away.
	os.Remove(filepath.Join(h.dir, "b.bpf.o"))
	h.s = h.syncer()
	h.expect(h.sync(), "unloaded ds-b b.bpf.o; adopted ds-c a.bpf.o", "ds-c<a.bpf.o")
	if err := h.s.UnloadAll(); err != nil {
		t.Fatal(err)
	}
	h.expect("", "", "")
}

// TestNotThisNode: with the node's labels, a bundle whose nodeSelector
// selects another node is not loaded and not a failure (one directory
// serves every node: readiness stays), and one that selects this node
// loads.
func TestNotThisNode(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Loader.NodeLabels = map[string]string{"kubernetes.io/arch": "amd64"} })
	for file, arch := range map[string]string{"arm.bpf.o": "arm64", "amd.bpf.o": "amd64"} {
		spec := testbundle.Syscalls("ds-"+arch, "dirsync_enter", 1)
		spec.NodeSelector = &bpf.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/arch": arch}}
		data, err := spec.Write()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(h.dir, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h.expect(h.sync(), "loaded ds-amd64 amd.bpf.o; not for this node ds-arm64 arm.bpf.o", "ds-amd64<amd.bpf.o")
	if !errors.Is(h.lastErr, loader.ErrNotThisNode) {
		t.Errorf("error %v is not ErrNotThisNode", h.lastErr)
	}
	if f := h.s.Failing(); len(f) != 0 {
		t.Errorf("Failing() = %+v: a policy for other nodes is not a failure", f)
	}
	h.expect(h.sync(), "", "ds-amd64<amd.bpf.o")
}
