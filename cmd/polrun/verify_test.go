package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
