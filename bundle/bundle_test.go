package bundle

import (
	"bytes"
	"crypto/ed25519"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
)

// The bundles of these tests are compiled from testdata policies by the
// real compiler, as polc build does (test-only imports).

// build compiles a testdata policy into a bundle and writes it to a
// temporary directory.
func build(t *testing.T, name string) (path string, data []byte) {
	t.Helper()
	yaml, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	src := compiler.NewSource(name, yaml)
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.X86_64})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("check %s: %+v", name, res.Diagnostics)
	}
	pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.X86_64})
	if pol == nil {
		t.Fatalf("lower %s: %+v", name, diags)
	}
	b, err := codegen.Build(pol, codegen.Options{Arch: arch.X86_64, Source: name, SourceData: yaml, Compiler: "bundle-test"})
	if err != nil {
		t.Fatalf("build %s: %v", name, err)
	}
	path = filepath.Join(t.TempDir(), b.FileName())
	if err := os.WriteFile(path, b.Object, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b.Object
}

func newKey(t *testing.T) (ed25519.PrivateKey, []PublicKey) {
	t.Helper()
	privPEM, pubPEM, id, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ParsePrivateKey(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublicKeys(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	if len(pub) != 1 || pub[0].ID != id || !pub[0].Key.Equal(priv.Public()) {
		t.Fatalf("public key %+v, id %s", pub, id)
	}
	return priv, pub
}

// policyOf returns the policy name in a bundle's manifest.
func policyOf(t *testing.T, data []byte) string {
	t.Helper()
	m, err := bpf.ReadManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	return m.Policy
}

// mustSign signs data for its own policy with the envelope e (whose
// Policy, when empty, is the bundle's).
func mustSign(t *testing.T, priv ed25519.PrivateKey, data []byte, e Envelope) *Signature {
	t.Helper()
	if e.Policy == "" {
		e.Policy = policyOf(t, data)
	}
	sig, err := Sign(priv, data, e)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func writeSig(t *testing.T, priv ed25519.PrivateKey, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(SignatureFile(path), mustSign(t, priv, data, Envelope{Version: 1}).Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readSigned is ReadSigned with trusted keys and nothing else.
func readSigned(path string, trusted []PublicKey) ([]byte, PublicKey, error) {
	v, err := ReadSigned(path, &VerifyOptions{Trusted: trusted})
	if err != nil {
		return nil, PublicKey{}, err
	}
	return v.Data, v.Key, nil
}

func TestSignAndVerify(t *testing.T) {
	path, data := build(t, "inspect.yaml")
	priv, trusted := newKey(t)
	_, other := newKey(t)
	writeSig(t, priv, path, data)

	got, signer, err := readSigned(path, trusted)
	if err != nil || !bytes.Equal(got, data) || signer.ID != trusted[0].ID {
		t.Fatalf("ReadSigned: %v, signer %s", err, signer.ID)
	}
	// A key file holding several keys verifies with any of them.
	if _, signer, err := readSigned(path, append(other, trusted...)); err != nil || signer.ID != trusted[0].ID {
		t.Errorf("ReadSigned with two trusted keys: %v, signer %s", err, signer.ID)
	}
	if _, _, err := readSigned(path, other); !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("wrong key: %v", err)
	}

	// One byte changed anywhere: in code, in the manifest, in the ELF
	// header, at the end.
	for _, off := range []int{0, 17, len(data) / 3, len(data) / 2, len(data) - 1} {
		tampered := bytes.Clone(data)
		tampered[off] ^= 0x01
		if err := os.WriteFile(path, tampered, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := readSigned(path, trusted)
		if !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), "modified after it was signed") {
			t.Errorf("byte %d changed: %v", off, err)
		}
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}

	// The signature changed.
	sig := mustSign(t, priv, data, Envelope{Version: 1})
	sig.Sig[5] ^= 0x80
	os.WriteFile(SignatureFile(path), sig.Marshal(), 0o644)
	if _, _, err := readSigned(path, trusted); !errors.Is(err, ErrSignature) || !strings.Contains(err.Error(), "signature was modified") {
		t.Errorf("signature changed: %v", err)
	}
	os.WriteFile(SignatureFile(path), []byte("not a signature\n"), 0o644)
	if _, _, err := readSigned(path, trusted); !errors.Is(err, ErrSignature) {
		t.Errorf("garbage signature: %v", err)
	}
	os.Remove(SignatureFile(path))
	if _, _, err := readSigned(path, trusted); !errors.Is(err, ErrUnsigned) || !strings.Contains(err.Error(), ".bpf.o.sig") {
		t.Errorf("unsigned: %v", err)
	}
}

func TestKeyFileErrors(t *testing.T) {
	privPEM, pubPEM, _, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		fn   func() error
		msg  string
	}{
		{"public as private", func() error { _, err := ParsePrivateKey(pubPEM); return err }, "this is a public key"},
		{"private as public", func() error { _, err := ParsePublicKeys(privPEM); return err }, "this is a private key"},
		{"empty", func() error { _, err := ParsePublicKeys(nil); return err }, "no PEM"},
		{"encrypted", func() error {
			_, err := ParsePrivateKey([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
			return err
		}, "encrypted"},
	} {
		if err := tc.fn(); !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
	}
}

// openssl makes keys polc signs with, and verifies polc's signatures:
// the formats are the ones documented, not polc's own.
func TestOpenSSLInterop(t *testing.T) {
	testenv.Require(t, testenv.Tool("openssl"))
	dir := t.TempDir()
	path, data := build(t, "inspect.yaml")
	openssl := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("openssl", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	key, pub := filepath.Join(dir, "k.pem"), filepath.Join(dir, "k.pub")
	openssl("genpkey", "-algorithm", "ed25519", "-out", key)
	openssl("pkey", "-in", key, "-pubout", "-out", pub)
	priv, err := ReadPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	trusted, err := ReadPublicKeys(pub)
	if err != nil {
		t.Fatal(err)
	}
	writeSig(t, priv, path, data)
	if _, _, err := readSigned(path, trusted); err != nil {
		t.Fatal(err)
	}
	// The documented recipe: the PEM body is the raw signature of the
	// message the package doc spells out, rebuilt here from the headers
	// and the bundle's sha256 as a shell script would.
	raw, _ := os.ReadFile(SignatureFile(path))
	sig, err := ParseSignature(raw)
	if err != nil {
		t.Fatal(err)
	}
	sigBin, msg := filepath.Join(dir, "sig.bin"), filepath.Join(dir, "msg")
	os.WriteFile(sigBin, sig.Sig, 0o644)
	sum := strings.Fields(openssl("dgst", "-sha256", "-r", path))[0]
	os.WriteFile(msg, fmt.Appendf(nil, "polc-bundle-signature-v2\npolicy: %s\nversion: %d\nexpires: never\nbundle-sha256: %s\n", policyOf(t, data), 1, sum), 0o644)
	if out := openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", msg, "-sigfile", sigBin); !strings.Contains(out, "Signature Verified Successfully") {
		t.Errorf("openssl: %s", out)
	}
	// The key id is the sha256 of the PKIX DER, as the doc says.
	der := filepath.Join(dir, "k.der")
	openssl("pkey", "-pubin", "-in", pub, "-outform", "DER", "-out", der)
	if out := openssl("dgst", "-sha256", "-r", der); "sha256:"+strings.Fields(out)[0] != trusted[0].ID {
		t.Errorf("key id %s, openssl says %s", trusted[0].ID, out)
	}
}

func TestInspect(t *testing.T) {
	path, data := build(t, "inspect.yaml")
	priv, trusted := newKey(t)
	info, err := InspectFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := info.Manifest
	if info.Policy != "inspect-me" || info.File != path || info.Sizes.File != len(data) || !info.Hashes.ObjectOK ||
		info.Hashes.Object != m.ObjectSHA256 || info.Hashes.Source != m.SourceSHA256 || info.Signature.Signed {
		t.Errorf("info: %+v", info)
	}
	// bpf_loop is not required: the path walk's program has a fallback.
	if got := strings.Join(info.Features, ","); got != "btf,kprobe,kretprobe,ringbuf,tracepoint" {
		t.Errorf("features %s", got)
	}
	if len(info.Hooks) != 2 || info.Hooks[0].Kind != "kprobe" || info.Hooks[1].Target != "raw_syscalls/sys_enter" ||
		strings.Join(info.Hooks[0].Args, " ") != "arg0:int arg1:file return:int" {
		t.Errorf("hooks %+v", info.Hooks)
	}

	// Sizes and instruction counts against the ELF, read independently.
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Sizes.Sections) != len(f.Sections)-1 {
		t.Errorf("%d sections, the ELF has %d", len(info.Sizes.Sections), len(f.Sections)-1)
	}
	for _, s := range info.Sizes.Sections {
		if es := f.Section(s.Name); es == nil || es.Size != s.Size {
			t.Errorf("section %s: %d bytes", s.Name, s.Size)
		}
	}
	text := f.Section(".text")
	progs := map[string]ProgramInfo{}
	for _, p := range info.Programs {
		progs[p.Name] = p
		sec := f.Section(p.Section)
		if sec == nil {
			t.Fatalf("program %s: no section %s", p.Name, p.Section)
		}
		// A program is its section plus, when it calls functions, those
		// of .text it calls: never more than all of .text.
		own := int(sec.Size / 8)
		switch {
		case p.Functions == 1 && p.Instructions != own:
			t.Errorf("program %s: %d instructions, its section has %d", p.Name, p.Instructions, own)
		case p.Functions > 1 && (text == nil || p.Instructions <= own || p.Instructions > own+int(text.Size/8)):
			t.Errorf("program %s: %d instructions in %d functions, its section has %d", p.Name, p.Instructions, p.Functions, own)
		}
	}
	if len(progs) != 4 || progs["h0_fd_install_ret"].Attach != "kretprobe" || progs["h1_sys_enter"].Hook != 1 ||
		progs["h0_fd_install"].Variant != VariantBpfLoop || progs["h0_fd_install_noloop"].Variant != VariantNoLoop ||
		progs["h0_fd_install_noloop"].Hook != 0 || progs["h1_sys_enter"].Variant != "" {
		t.Errorf("programs %+v", info.Programs)
	}

	// Maps: the manifest's fills counted; the shared ones marked.
	fills := map[string]int{}
	for _, mi := range m.Maps {
		fills[mi.Map] = len(mi.Entries)
	}
	if len(fills) == 0 {
		t.Fatal("the test policy should fill maps from the manifest")
	}
	for _, mp := range info.Maps {
		if n, ok := fills[mp.Name]; ok && mp.Entries != n {
			t.Errorf("map %s: %d entries, the manifest fills %d", mp.Name, mp.Entries, n)
		}
		if shared := mp.Pinning == "by_name"; shared != mp.Shared {
			t.Errorf("map %s: pinning %s, shared %v", mp.Name, mp.Pinning, mp.Shared)
		}
	}

	// Signed, then verified or not.
	writeSig(t, priv, path, data)
	info, _ = InspectFile(path, nil)
	if s := info.Signature; !s.Signed || s.Verified || s.KeyID != trusted[0].ID || s.File != SignatureFile(path) {
		t.Errorf("signed, not verified: %+v", s)
	}
	info, _ = InspectFile(path, &InspectOptions{Trusted: trusted})
	if s := info.Signature; !s.Verified || s.Error != "" {
		t.Errorf("verified: %+v", s)
	}

	// A changed byte in the code: described, flagged.
	prog := f.Section(info.Programs[0].Section)
	tampered := bytes.Clone(data)
	tampered[prog.Offset+3] ^= 0x01
	os.WriteFile(path, tampered, 0o644)
	info, err = InspectFile(path, &InspectOptions{Trusted: trusted})
	if err != nil {
		t.Fatal(err)
	}
	if info.Hashes.ObjectOK || info.Hashes.ObjectActual == "" || info.Signature.Verified || !strings.Contains(info.Signature.Error, "modified") {
		t.Errorf("tampered: hashes %+v, signature %+v", info.Hashes, info.Signature)
	}

	if _, err := Inspect([]byte("\x7fELF nonsense"), nil, nil); err == nil {
		t.Error("not an ELF: no error")
	}
}

// TestInspectUSDTVariants: a USDT program whose selector walks the
// ancestors has four variants, each named by the features it is for.
func TestInspectUSDTVariants(t *testing.T) {
	path, _ := build(t, "inspect-usdt.yaml")
	info, err := InspectFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range info.Programs {
		if p.Hook != 0 || p.Attach != "usdt" {
			t.Errorf("program %+v", p)
		}
		got[p.Name] = p.Variant
	}
	const name = "h0_nginx_request_start"
	want := map[string]string{
		name:                      VariantCookie + ", " + VariantBpfLoop,
		name + "_noloop":          VariantCookie + ", " + VariantNoLoop,
		name + "_nocookie":        VariantNoCookie + ", " + VariantBpfLoop,
		name + "_nocookie_noloop": VariantNoCookie + ", " + VariantNoLoop,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("variants %v, want %v", got, want)
	}
}
