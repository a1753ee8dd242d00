package bundle

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readWithin runs ReadSigned and fails the test if it takes longer than a
// second (it would block on a FIFO) or allocates more than 1 MiB (it would
// read a device or a huge file).
func readWithin(t *testing.T, path string, o *VerifyOptions) (*Verified, error) {
	t.Helper()
	type result struct {
		v   *Verified
		err error
	}
	done := make(chan result, 1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	go func() {
		v, err := ReadSigned(path, o)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		runtime.ReadMemStats(&after)
		// The bundle itself is read (tens of KB); a signature file of a
		// device or of 1 GB would show here.
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20+uint64(MaxSignatureSize) {
			t.Errorf("ReadSigned %s allocated %d bytes", path, grew)
		}
		return r.v, r.err
	case <-time.After(10 * time.Second):
		// A FIFO or a device would block for ever: any deadline finds it.
		t.Fatalf("ReadSigned %s blocked for 10 s", path)
	}
	return nil, nil
}

// A signature file that is not a small regular file holding one PEM block
// is refused at once, naming the file and the reason: what anyone who may
// write into a directory of bundles could put there.
func TestSignatureFileHostile(t *testing.T) {
	path, data := build(t, "inspect.yaml")
	priv, trusted := newKey(t)
	writeSig(t, priv, path, data)
	good, err := os.ReadFile(SignatureFile(path))
	if err != nil {
		t.Fatal(err)
	}
	sigPath := SignatureFile(path)
	o := &VerifyOptions{Trusted: trusted}
	if _, err := readWithin(t, path, o); err != nil {
		t.Fatalf("the good signature: %v", err)
	}
	put := func(content []byte) {
		t.Helper()
		os.Remove(sigPath)
		if err := os.WriteFile(sigPath, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		setup func()
		is    error
		msg   string
	}{
		{"symlink to /dev/zero", func() { os.Remove(sigPath); os.Symlink("/dev/zero", sigPath) }, ErrFileType, sigPath + ": not a regular file (a character device)"},
		{"FIFO", func() { os.Remove(sigPath); syscall.Mkfifo(sigPath, 0o644) }, ErrFileType, sigPath + ": not a regular file (a FIFO)"},
		{"directory", func() { os.Remove(sigPath); os.Mkdir(sigPath, 0o755) }, ErrFileType, "(a directory)"},
		{"1 GB starting with the valid signature", func() {
			put(good)
			if err := os.Truncate(sigPath, 1<<30); err != nil {
				t.Fatal(err)
			}
		}, ErrTooLarge, sigPath + ": file too large: 1073741824 bytes, at most 65536 are read"},
		{"64 KB + 1 of white space after the block", func() { put(append(bytes.Clone(good), bytes.Repeat([]byte("\n"), MaxSignatureSize+1-len(good))...)) }, ErrTooLarge, "at most 65536"},
		{"junk after the block", func() { put(append(bytes.Clone(good), "junk\n"...)) }, ErrSignature, "5 bytes after the PEM block"},
		{"junk before the block", func() { put(append([]byte("junk\n"), good...)) }, ErrSignature, "not a PEM"},
		{"two blocks", func() { put(append(bytes.Clone(good), good...)) }, ErrSignature, "after the PEM block"},
		{"another PEM type", func() { put([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")) }, ErrSignature, `a PEM "PUBLIC KEY" block`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(sigPath)
			tc.setup()
			// readWithin checks that the refusal read no more than the
			// bundle and a signature's worth (allocations) and did not
			// block; a wall-clock bound here failed on loaded machines.
			_, err := readWithin(t, path, o)
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v with %q", err, tc.is, tc.msg)
			}
		})
	}
	os.RemoveAll(sigPath)

	// White space around the one block is fine.
	put(append(append([]byte("\n\n"), good...), "\n  \n"...))
	if _, err := readWithin(t, path, o); err != nil {
		t.Errorf("white space around the block: %v", err)
	}

	// Symbolic links: followed unless NoFollow, and then the target
	// must be a regular file too.
	real := filepath.Join(t.TempDir(), "real.sig")
	os.WriteFile(real, good, 0o644)
	os.Remove(sigPath)
	os.Symlink(real, sigPath)
	if _, err := readWithin(t, path, o); err != nil {
		t.Errorf("symlink to the signature: %v", err)
	}
	if _, err := readWithin(t, path, &VerifyOptions{Trusted: trusted, NoFollow: true}); !errors.Is(err, ErrSymlink) || !strings.Contains(err.Error(), sigPath) {
		t.Errorf("symlink with NoFollow: %v", err)
	}

	// The bundle itself: a link to /dev/zero or a FIFO is refused the
	// same way.
	put(good)
	bundleDir := t.TempDir()
	zero := filepath.Join(bundleDir, "zero.bpf.o")
	os.Symlink("/dev/zero", zero)
	if _, err := readWithin(t, zero, o); !errors.Is(err, ErrFileType) || !strings.Contains(err.Error(), zero) {
		t.Errorf("bundle linked to /dev/zero: %v", err)
	}
	fifo := filepath.Join(bundleDir, "fifo.bpf.o")
	syscall.Mkfifo(fifo, 0o644)
	if _, err := readWithin(t, fifo, o); !errors.Is(err, ErrFileType) || !strings.Contains(err.Error(), "a FIFO") {
		t.Errorf("bundle FIFO: %v", err)
	}
}

// The envelope: a signature holds for one policy, one version and until
// its expiry, and the first format, which had none of that, is refused.
func TestEnvelope(t *testing.T) {
	path, data := build(t, "inspect.yaml")
	priv, trusted := newKey(t)
	policy := policyOf(t, data)
	write := func(s *Signature) {
		t.Helper()
		if err := os.WriteFile(SignatureFile(path), s.Marshal(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	o := &VerifyOptions{Trusted: trusted, Now: now}

	write(mustSign(t, priv, data, Envelope{Version: 7, Expires: now.Add(time.Hour + 300*time.Millisecond)}))
	v, err := ReadSigned(path, o)
	if err != nil || v.Policy != policy || v.Version != 7 || !v.Expires.Equal(now.Add(time.Hour)) || v.Key.ID != trusted[0].ID {
		t.Fatalf("ReadSigned: %+v, %v", v, err)
	}
	raw, _ := os.ReadFile(SignatureFile(path))
	for _, h := range []string{"Envelope: polc-bundle-signature-v2", "Policy: " + policy, "Version: 7", "Expires: 2026-01-02T04:04:05Z"} {
		if !strings.Contains(string(raw), h+"\n") {
			t.Errorf("signature file has no %q:\n%s", h, raw)
		}
	}
	// Signing is deterministic: same key, bundle and envelope, same file.
	if again := mustSign(t, priv, data, Envelope{Version: 7, Expires: now.Add(time.Hour)}).Marshal(); !bytes.Equal(again, raw) {
		t.Errorf("signing again gave another file:\n%s\n%s", raw, again)
	}

	// Expired: at and after the expiry.
	for _, at := range []time.Time{now.Add(time.Hour), now.Add(48 * time.Hour)} {
		if _, err := ReadSigned(path, &VerifyOptions{Trusted: trusted, Now: at}); !errors.Is(err, ErrExpired) || !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), "signature expired at 2026-01-02T04:04:05Z") {
			t.Errorf("at %v: %v", at, err)
		}
	}

	// Each header of the envelope is signed: changing one breaks the
	// signature.
	for _, edit := range [][2]string{{"Version: 7", "Version: 8"}, {"Expires: 2026-01-02T04:04:05Z", "Expires: 2036-01-02T04:04:05Z"}, {"Policy: " + policy, "Policy: other"}} {
		os.WriteFile(SignatureFile(path), bytes.Replace(raw, []byte(edit[0]), []byte(edit[1]), 1), 0o644)
		if _, err := ReadSigned(path, o); !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), "modified after signing") {
			t.Errorf("%s -> %s: %v", edit[0], edit[1], err)
		}
	}
	// Dropping the expiry too.
	noExp := bytes.Replace(raw, []byte("Expires: 2026-01-02T04:04:05Z\n"), nil, 1)
	os.WriteFile(SignatureFile(path), noExp, 0o644)
	if _, err := ReadSigned(path, o); !errors.Is(err, ErrSignature) {
		t.Errorf("expiry removed: %v", err)
	}

	// Signed for another policy: a bundle renamed to stand in for it.
	write(mustSign(t, priv, data, Envelope{Policy: "another-policy", Version: 1}))
	if _, err := ReadSigned(path, o); !errors.Is(err, ErrPolicyMismatch) || !strings.Contains(err.Error(), `signed for policy "another-policy", the bundle holds policy "`+policy+`"`) {
		t.Errorf("another policy: %v", err)
	}

	// The first format, the signature of the bytes alone: refused with
	// the way out.
	sum := mustSign(t, priv, data, Envelope{Version: 1}).SHA256
	write(&Signature{KeyID: trusted[0].ID, SHA256: sum, Legacy: true, Sig: ed25519.Sign(priv, data)})
	if _, err := ReadSigned(path, o); !errors.Is(err, ErrLegacySignature) || !strings.Contains(err.Error(), "sign the bundle again") {
		t.Errorf("old format: %v", err)
	}
	info, err := InspectFile(path, &InspectOptions{Trusted: trusted})
	if err != nil || !info.Signature.Legacy || info.Signature.Verified {
		t.Errorf("inspect old format: %+v %v", info.Signature, err)
	}

	// What Sign refuses.
	for _, e := range []Envelope{{Policy: policy}, {Policy: "", Version: 1}, {Policy: "a b", Version: 1}, {Policy: "a\nVersion: 9", Version: 1}, {Policy: "a:b", Version: 1}} {
		if _, err := Sign(priv, data, e); err == nil {
			t.Errorf("Sign %+v: no error", e)
		}
	}
}
