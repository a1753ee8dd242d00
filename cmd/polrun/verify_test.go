package main

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/loader"
)

// polrun load --verify loads a bundle polc build --sign signed, and
// refuses, before loading anything, one that is unsigned, signed by
// another key or changed by one byte.
func TestLoadVerify(t *testing.T) {
	e := newEnv(t)
	keys := t.TempDir()
	polc(t, "keygen", "-o", filepath.Join(keys, "release"))
	polc(t, "keygen", "-o", filepath.Join(keys, "other"))
	pub := filepath.Join(keys, "release.pub")
	signed := t.TempDir()
	good := e.polcBundle(signed, "clitest-signed", 1, "signed", "--sign", filepath.Join(keys, "release.key"))

	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := os.ReadFile(good + ".sig")
	if err != nil {
		t.Fatal(err)
	}
	bad := t.TempDir()
	put := func(name string, bundle, sig []byte) string {
		p := filepath.Join(bad, name)
		os.WriteFile(p, bundle, 0o644)
		if sig != nil {
			os.WriteFile(p+".sig", sig, 0o644)
		}
		return p
	}
	tampered := append([]byte(nil), data...)
	tampered[len(tampered)/2] ^= 0x10
	otherSigned := e.polcBundle(t.TempDir(), "clitest-signed", 1, "signed", "--sign", filepath.Join(keys, "other.key"))
	otherSig, _ := os.ReadFile(otherSigned + ".sig")

	for _, tc := range []struct {
		name, path, msg string
	}{
		{"unsigned", put("unsigned.bpf.o", data, nil), "bundle is not signed: no signature file " + filepath.Join(bad, "unsigned.bpf.o.sig")},
		{"one byte changed", put("tampered.bpf.o", tampered, sig), "bundle signature does not verify: the bundle was modified after it was signed"},
		{"another key", put("other.bpf.o", data, otherSig), "which is not trusted"},
	} {
		for _, cmd := range []string{"load", "run"} {
			out, errOut, code := e.polrun(cmd, "--verify", pub, tc.path)
			if code != exitFail || !strings.Contains(errOut, tc.msg) {
				t.Errorf("%s %s: exit %d\n%s%s\nwant %q", cmd, tc.name, code, out, errOut, tc.msg)
			}
			if pins := e.pins(); len(pins) > 0 {
				t.Fatalf("%s %s: pins left: %q", cmd, tc.name, pins)
			}
		}
	}
	// Without --verify the unchanged unsigned bundle loads; the
	// tampered one is refused by the manifest's digest.
	if _, errOut, code := e.polrun("load", filepath.Join(bad, "tampered.bpf.o")); code != exitFail || !strings.Contains(errOut, "modified after it was built") {
		t.Errorf("load tampered without --verify: exit %d %s", code, errOut)
	}

	out, errOut, code := e.polrun("load", "--verify", pub, good)
	if code != exitOK || !strings.HasPrefix(out, "loaded clitest-signed") {
		t.Fatalf("load --verify of the signed bundle: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := e.polrun("unload", "clitest-signed"); code != exitOK {
		t.Fatalf("unload: %s", errOut)
	}
	if _, errOut, code := e.polrun("load", "--verify", filepath.Join(keys, "release.key"), good); code != exitFail || !strings.Contains(errOut, "this is a private key") {
		t.Errorf("--verify with the private key: exit %d %s", code, errOut)
	}
}

// Replay: an older signed release of a loaded policy is refused by
// load --verify --replace unless --allow-downgrade; the version is
// recorded with the pins. A signature made for another policy, an expired
// one and one of the old format (no envelope) are refused.
func TestLoadVerifyReplay(t *testing.T) {
	e := newEnv(t)
	keys := t.TempDir()
	polc(t, "keygen", "-o", filepath.Join(keys, "release"))
	pub, key := filepath.Join(keys, "release.pub"), filepath.Join(keys, "release.key")
	v1 := e.polcBundle(t.TempDir(), "clitest-replay", 1, "one", "--sign", key, "--version", "1")
	v2 := e.polcBundle(t.TempDir(), "clitest-replay", 1, "two", "--sign", key, "--version", "2")
	if out, errOut, code := e.polrun("load", "--verify", pub, v2); code != exitOK {
		t.Fatalf("load v2: exit %d\n%s%s", code, out, errOut)
	}
	if v, err := loader.LoadedVersion(e.root, "clitest-replay"); err != nil || v != 2 {
		t.Errorf("recorded version %d, %v", v, err)
	}
	if out, _, _ := e.polrun("list", "--verbose"); !strings.Contains(out, v2+" (signed version 2)") {
		t.Errorf("list does not show the signed version:\n%s", out)
	}
	if out, _, _ := e.polrun("list", "-o", "json"); !strings.Contains(out, `"signed_version": 2`) && !strings.Contains(out, `"signed_version":2`) {
		t.Errorf("list -o json does not show the signed version:\n%s", out)
	}
	out, errOut, code := e.polrun("load", "--verify", pub, "--replace", v1)
	if code != exitFail || !strings.Contains(errOut, "signed version is older than the loaded one: policy clitest-replay: "+v1+" is version 1, version 2 is loaded") ||
		!strings.Contains(errOut, "--allow-downgrade") {
		t.Errorf("replay of v1 over v2: exit %d\n%s%s", code, out, errOut)
	}
	st, err := loader.List(&loader.Options{PinRoot: e.root})
	if err != nil || len(st.Policies) != 1 || st.Policies[0].Bundle != v2 || st.Policies[0].SignedVersion != 2 {
		t.Fatalf("after the refused replay: %+v %v", st, err)
	}
	// The same version again (a restart, a reload) is not a downgrade.
	if out, errOut, code := e.polrun("load", "--verify", pub, "--replace", v2); code != exitOK {
		t.Errorf("v2 over v2: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := e.polrun("load", "--verify", pub, "--replace", "--allow-downgrade", v1); code != exitOK || !strings.HasPrefix(out, "replaced clitest-replay") {
		t.Errorf("v1 with --allow-downgrade: exit %d\n%s%s", code, out, errOut)
	}
	if v, err := loader.LoadedVersion(e.root, "clitest-replay"); err != nil || v != 1 {
		t.Errorf("recorded version after the rollback %d, %v", v, err)
	}
	if _, errOut, code := e.polrun("unload", "clitest-replay"); code != exitOK {
		t.Fatalf("unload: %s", errOut)
	}

	// Signatures that verify but say the wrong thing.
	priv, err := bundle.ReadPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(v1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	put := func(name string, sig *bundle.Signature) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		os.WriteFile(p+".sig", sig.Marshal(), 0o644)
		return p
	}
	sign := func(e bundle.Envelope) *bundle.Signature {
		s, err := bundle.Sign(priv, data, e)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	legacy := sign(bundle.Envelope{Policy: "x", Version: 1})
	legacy.Legacy, legacy.Sig = true, ed25519.Sign(priv, data)
	for _, tc := range []struct {
		name, path, msg string
	}{
		{"another policy", put("other.bpf.o", sign(bundle.Envelope{Policy: "clitest-other", Version: 9})), `signed for policy "clitest-other", the bundle holds policy "clitest-replay"`},
		{"expired", put("expired.bpf.o", sign(bundle.Envelope{Policy: "clitest-replay", Version: 9, Expires: time.Now().Add(-time.Minute)})), "signature expired at "},
		{"old format", put("legacy.bpf.o", legacy), "signature of the old format"},
	} {
		out, errOut, code := e.polrun("load", "--verify", pub, tc.path)
		if code != exitFail || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%s: exit %d\n%s%s\nwant %q", tc.name, code, out, errOut, tc.msg)
		}
		if pins := e.pins(); len(pins) > 0 {
			t.Fatalf("%s: pins left: %q", tc.name, pins)
		}
	}
}
