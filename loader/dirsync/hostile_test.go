package dirsync

import (
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/loader"
	"github.com/polc-dev/polc/loader/testbundle"
)

// signer makes signed bundles of the test policies.
type signer struct {
	t       *testing.T
	priv    ed25519.PrivateKey
	trusted []bundle.PublicKey
}

func newSigner(t *testing.T) *signer {
	privPEM, pubPEM, _, err := bundle.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	priv, err := bundle.ParsePrivateKey(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	trusted, err := bundle.ParsePublicKeys(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	return &signer{t: t, priv: priv, trusted: trusted}
}

// bundle returns a bundle of policy (target pid tells versions apart) and
// its signature file for envelope e (Policy defaults to policy).
func (s *signer) bundle(policy string, pid uint32, e bundle.Envelope) (data, sig []byte) {
	s.t.Helper()
	data, err := testbundle.Syscalls(policy, "dirsync_enter", pid).Write()
	if err != nil {
		s.t.Fatal(err)
	}
	if e.Policy == "" {
		e.Policy = policy
	}
	sg, err := bundle.Sign(s.priv, data, e)
	if err != nil {
		s.t.Fatal(err)
	}
	return data, sg.Marshal()
}

// put writes a bundle and its signature file into the harness directory.
func (h *harness) put(file string, data, sig []byte) {
	h.t.Helper()
	path := filepath.Join(h.dir, file)
	for p, d := range map[string][]byte{path: data, path + ".sig": sig} {
		os.Remove(p)
		if d != nil {
			if err := os.WriteFile(p, d, 0o644); err != nil {
				h.t.Fatal(err)
			}
		}
	}
}

// timedSync is sync that fails the test if two passes take 5 seconds (a
// load takes milliseconds): a read blocked on a FIFO would stop the loop.
func (h *harness) timedSync() string {
	h.t.Helper()
	done := make(chan string, 1)
	go func() { done <- h.sync() }()
	select {
	case got := <-done:
		return got
	case <-time.After(5 * time.Second):
		h.t.Fatal("a sync blocked for 5 seconds")
	}
	return ""
}

// Files anyone who may write into the directory can make, without the
// key: a FIFO or a link to /dev/zero as signature or bundle, a 1 GB
// signature, symbolic links, a signed bundle renamed over another
// policy's, an older signed release. Each is refused, reported once with
// its file and reason, and the other files are synced in the same passes.
func TestSyncHostileFiles(t *testing.T) {
	sg := newSigner(t)
	var follow bool
	h := newHarness(t, func(o *Options) { o.Trusted = sg.trusted; o.FollowSymlinks = follow })
	good, goodSig := sg.bundle("ds-good", 1, bundle.Envelope{Version: 2})
	h.put("ds-good.bpf.o", good, goodSig)
	h.expect(h.timedSync(), "loaded ds-good ds-good.bpf.o", "ds-good<ds-good.bpf.o")

	path := func(f string) string { return filepath.Join(h.dir, f) }
	data, sig := sg.bundle("ds-x", 3, bundle.Envelope{Version: 1})
	for _, tc := range []struct {
		name  string
		setup func()
		msg   string
	}{
		{"FIFO signature", func() {
			h.put("ds-x.bpf.o", data, nil)
			syscall.Mkfifo(path("ds-x.bpf.o.sig"), 0o644)
		}, path("ds-x.bpf.o.sig") + ": not a regular file (a FIFO)"},
		{"FIFO bundle", func() {
			syscall.Mkfifo(path("ds-x.bpf.o"), 0o644)
			os.WriteFile(path("ds-x.bpf.o.sig"), sig, 0o644)
		}, path("ds-x.bpf.o") + ": not a regular file (a FIFO)"},
		{"signature linked to /dev/zero", func() {
			h.put("ds-x.bpf.o", data, nil)
			os.Symlink("/dev/zero", path("ds-x.bpf.o.sig"))
		}, path("ds-x.bpf.o.sig") + ": is a symbolic link (symbolic links are followed only with --follow-symlinks)"},
		{"signature linked to /dev/zero, links followed", func() {
			follow = true
			h.put("ds-x.bpf.o", data, nil)
			os.Symlink("/dev/zero", path("ds-x.bpf.o.sig"))
		}, path("ds-x.bpf.o.sig") + ": not a regular file (a character device)"},
		{"1 GB signature starting with the good one", func() {
			h.put("ds-x.bpf.o", data, sig)
			os.Truncate(path("ds-x.bpf.o.sig"), 1<<30)
		}, path("ds-x.bpf.o.sig") + ": file too large: 1073741824 bytes, at most 65536 are read"},
		{"directory as bundle", func() {
			os.Mkdir(path("ds-x.bpf.o"), 0o755)
		}, path("ds-x.bpf.o") + ": not a regular file (a directory)"},
		{"symlinked bundle", func() {
			elsewhere := filepath.Join(t.TempDir(), "ds-x.bpf.o")
			os.WriteFile(elsewhere, data, 0o644)
			os.WriteFile(path("ds-x.bpf.o.sig"), sig, 0o644)
			os.Symlink(elsewhere, path("ds-x.bpf.o"))
		}, path("ds-x.bpf.o") + ": is a symbolic link (symbolic links are followed only with --follow-symlinks)"},
		{"expired signature", func() {
			d, s := sg.bundle("ds-x", 3, bundle.Envelope{Version: 1, Expires: time.Now().Add(-time.Second)})
			h.put("ds-x.bpf.o", d, s)
		}, "signature expired at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			follow = false
			os.RemoveAll(path("ds-x.bpf.o"))
			os.RemoveAll(path("ds-x.bpf.o.sig"))
			tc.setup()
			h.s = h.syncer()
			// The new Syncer adopts ds-good and reports ds-x; a new good
			// file is loaded in the same passes.
			other, otherSig := sg.bundle("ds-other", 4, bundle.Envelope{Version: 1})
			h.put("ds-other.bpf.o", other, otherSig)
			h.lastErr = nil
			got := h.timedSync()
			if got != "adopted ds-good ds-good.bpf.o; failed  ds-x.bpf.o; loaded ds-other ds-other.bpf.o" {
				t.Errorf("changes %q", got)
			}
			if h.lastErr == nil || !strings.Contains(h.lastErr.Error(), tc.msg) {
				t.Errorf("error %v, want %q", h.lastErr, tc.msg)
			}
			h.expect(h.timedSync(), "", "ds-good<ds-good.bpf.o ds-other<ds-other.bpf.o")
			os.Remove(path("ds-other.bpf.o"))
			h.expect(h.timedSync(), "unloaded ds-other ds-other.bpf.o", "ds-good<ds-good.bpf.o")
		})
	}
	h.t = t
	os.RemoveAll(path("ds-x.bpf.o"))
	os.RemoveAll(path("ds-x.bpf.o.sig"))

	// With --follow-symlinks, a link to a regular file loads, as in a
	// ConfigMap volume.
	follow = true
	h.s = h.syncer()
	elsewhere := t.TempDir()
	os.WriteFile(filepath.Join(elsewhere, "ds-x.bpf.o"), data, 0o644)
	os.WriteFile(filepath.Join(elsewhere, "ds-x.bpf.o.sig"), sig, 0o644)
	os.Symlink(filepath.Join(elsewhere, "ds-x.bpf.o"), path("ds-x.bpf.o"))
	os.Symlink(filepath.Join(elsewhere, "ds-x.bpf.o.sig"), path("ds-x.bpf.o.sig"))
	h.expect(h.timedSync(), "adopted ds-good ds-good.bpf.o; loaded ds-x ds-x.bpf.o", "ds-good<ds-good.bpf.o ds-x<ds-x.bpf.o")
	os.Remove(path("ds-x.bpf.o"))
	h.expect(h.timedSync(), "unloaded ds-x ds-x.bpf.o", "ds-good<ds-good.bpf.o")
	os.Remove(path("ds-x.bpf.o.sig"))

	// A signed bundle of another policy renamed over ds-good's file:
	// refused (it would replace ds-good by ds-x), and ds-good stays
	// loaded as it was.
	h.put("ds-good.bpf.o", data, sig)
	h.expect(h.timedSync(), "failed  ds-good.bpf.o", "ds-good<ds-good.bpf.o")
	if !errors.Is(h.lastErr, bundle.ErrPolicyMismatch) || !strings.Contains(h.lastErr.Error(), "ds-good.bpf.o: signed for another policy: it holds policy ds-x, whose file is ds-x.bpf.o") {
		t.Errorf("renamed over: %v", h.lastErr)
	}
	// The same with the envelope forged to name ds-good: the signature
	// does not verify.
	forged := strings.Replace(string(sig), "Policy: ds-x", "Policy: ds-good", 1)
	h.put("ds-good.bpf.o", data, []byte(forged))
	h.expect(h.timedSync(), "failed  ds-good.bpf.o", "ds-good<ds-good.bpf.o")
	if !errors.Is(h.lastErr, bundle.ErrSignature) {
		t.Errorf("forged envelope: %v", h.lastErr)
	}

	// An older signed release of ds-good: refused, the loaded version
	// stays; a newer one replaces it.
	old, oldSig := sg.bundle("ds-good", 5, bundle.Envelope{Version: 1})
	h.put("ds-good.bpf.o", old, oldSig)
	h.expect(h.timedSync(), "failed ds-good ds-good.bpf.o", "ds-good<ds-good.bpf.o")
	if !errors.Is(h.lastErr, loader.ErrDowngrade) || !strings.Contains(h.lastErr.Error(), "is version 1, version 2 is loaded") {
		t.Errorf("older release: %v", h.lastErr)
	}
	if st, _ := loader.List(&loader.Options{PinRoot: h.root}); st.Policies[0].BundleSHA256 != sha(good) || st.Policies[0].SignedVersion != 2 {
		t.Errorf("after the refused downgrade: %+v", st.Policies[0])
	}
	// Reported once, not every pass.
	h.expect(h.timedSync(), "", "ds-good<ds-good.bpf.o")
	newer, newerSig := sg.bundle("ds-good", 6, bundle.Envelope{Version: 3})
	h.put("ds-good.bpf.o", newer, newerSig)
	h.expect(h.timedSync(), "replaced ds-good ds-good.bpf.o", "ds-good<ds-good.bpf.o")
	// With AllowDowngrade the rollback goes through.
	h.opts = append(h.opts, func(o *Options) { o.Loader.AllowDowngrade = true })
	h.s = h.syncer()
	h.put("ds-good.bpf.o", old, oldSig)
	h.expect(h.timedSync(), "replaced ds-good ds-good.bpf.o", "ds-good<ds-good.bpf.o")
	if v, err := loader.LoadedVersion(h.root, "ds-good"); v != 1 || err != nil {
		t.Errorf("version after the rollback %d, %v", v, err)
	}
}

func sha(data []byte) string {
	b, err := loader.ReadBundle(data)
	if err != nil {
		return err.Error()
	}
	return b.SHA256
}
