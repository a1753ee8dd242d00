package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/polc-dev/polc/bpf"
)

// TestBuild: polc build writes NAME.bpf.o per policy, with a manifest that
// checks out, and exits 0.
func TestBuild(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"build", "-o", out, writeFile(t, "fd.yaml", goodPolicy)}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	data, err := os.ReadFile(filepath.Join(out, "fd-install.bpf.o"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := bpf.ReadManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Policy != "fd-install" || len(m.Hooks) != 1 || m.Hooks[0].Target != "fd_install" || m.Arch != "x86_64" {
		t.Errorf("manifest %+v", m)
	}
}

// TestBuildUnsupported: what codegen cannot compile (imaHash on a kprobe
// hook) is an error diagnostic ("unsupported") at its line, no bundle is
// written, exit 1.
func TestBuildUnsupported(t *testing.T) {
	policy := strings.Replace(goodPolicy, `        - "/etc/passwd"
`, `        - "/etc/passwd"
      matchActions:
      - action: Post
        imaHash: true
`, 1)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"build", "--color", "never", "-o", out, writeFile(t, "fd.yaml", policy)}, &stdout, &stderr)
	if code != exitFound {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitFound, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "imaHash is reported on LSM hooks") || !strings.Contains(stdout.String(), "[unsupported]") {
		t.Errorf("diagnostics:\n%s", stdout.String())
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("wrote %d files for a policy with errors", len(entries))
	}
}

// TestBuildUsage: bad flags and unreadable inputs exit 2.
func TestBuildUsage(t *testing.T) {
	for _, args := range [][]string{
		{"build", "--target-arch", "mips", writeFile(t, "fd.yaml", goodPolicy)},
		{"build", filepath.Join(t.TempDir(), "missing.yaml")},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestDumpAsm: polc dump --stage asm prints the programs with symbolic
// names.
func TestDumpAsm(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"dump", "--stage", "asm", writeFile(t, "fd.yaml", goodPolicy)}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, want := range []string{"program h0_fd_install section kprobe/fd_install", "call polc_path", "r1 = map[polc_rec]", "goto exit"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("dump lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestBuildSignFailureLeavesNothing: when the signature cannot be written
// (here a directory stands where NAME.bpf.o.sig goes), polc build --sign
// fails and leaves neither the unsigned bundle nor a temporary file
// behind.
func TestBuildSignFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "release")
	if code, out, errOut := runPolc("keygen", "-o", prefix); code != exitOK {
		t.Fatalf("keygen: exit %d\n%s%s", code, out, errOut)
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(filepath.Join(out, "fd-install.bpf.o.sig"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runPolc("build", "--sign", prefix+".key", "-o", out, writeFile(t, "fd.yaml", goodPolicy))
	if code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitUsage, stdout, stderr)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "fd-install.bpf.o.sig" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("a failed signed build left %v in the output directory", names)
	}
}

// TestBuildUTF16: a policy file in UTF-16 with a byte order mark builds as
// its UTF-8 text does (it used to validate and then fail to build with an
// internal error), and the manifest records the sha256 of the file as it
// is.
func TestBuildUTF16(t *testing.T) {
	data := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(goodPolicy)) {
		data = binary.LittleEndian.AppendUint16(data, u)
	}
	path := filepath.Join(t.TempDir(), "fd.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if code, stdout, stderr := runPolc("build", "-o", out, path); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	obj, err := os.ReadFile(filepath.Join(out, "fd-install.bpf.o"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := bpf.ReadManifest(obj)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); m.SourceSHA256 != hex.EncodeToString(sum[:]) || m.Policy != "fd-install" {
		t.Errorf("manifest: policy %s, source sha256 %s", m.Policy, m.SourceSHA256)
	}
}

// TestBuildLongestName: a policy of the longest name validate accepts
// builds and signs (NAME.bpf.o.sig is 255 bytes); one character more is
// refused at validate, before anything is written (it used to pass
// validate and then fail in build, leaving the unsigned bundle).
func TestBuildLongestName(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "release")
	if code, out, errOut := runPolc("keygen", "-o", prefix); code != exitOK {
		t.Fatalf("keygen: exit %d\n%s%s", code, out, errOut)
	}
	name := strings.Repeat("n", bpf.MaxPolicyNameLen)
	out := filepath.Join(dir, "out")
	policy := writeFile(t, "p.yaml", strings.Replace(goodPolicy, `name: "fd-install"`, `name: "`+name+`"`, 1))
	if code, stdout, stderr := runPolc("build", "--sign", prefix+".key", "-o", out, policy); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, name+".bpf.o.sig")); err != nil {
		t.Error(err)
	}
	long := writeFile(t, "p.yaml", strings.Replace(goodPolicy, `name: "fd-install"`, `name: "x`+name+`"`, 1))
	out2 := filepath.Join(dir, "out2")
	code, stdout, _ := runPolc("build", "--sign", prefix+".key", "-o", out2, long)
	if code != exitFound || !strings.Contains(stdout, "[name-too-long]") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(out2); err == nil {
		t.Errorf("a refused build made %s", out2)
	}
}

// TestBuildSet: polc build --set NAME writes one bundle of every policy
// given, its members in order, each hook its member's; a member the set
// cannot hold is an error at its position, and no bundle is written.
func TestBuildSet(t *testing.T) {
	out := t.TempDir()
	second := strings.Replace(goodPolicy, `name: "fd-install"`, `name: "fd-install-2"`, 1)
	if second == goodPolicy {
		t.Fatal("the test policy's name is not written as expected")
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"build", "--set", "pair", "-o", out, writeFile(t, "a.yaml", goodPolicy), writeFile(t, "b.yaml", second)}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "pair.bpf.o" {
		t.Fatalf("wrote %v, want pair.bpf.o alone", entries)
	}
	data, err := os.ReadFile(filepath.Join(out, "pair.bpf.o"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := bpf.ReadManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Policy != "pair" || len(m.Members) != 2 || m.Members[0].Name != "fd-install" || m.Members[1].Name != "fd-install-2" ||
		len(m.Hooks) != 2 || m.PolicyName(&m.Hooks[1]) != "fd-install-2" {
		t.Errorf("manifest: policy %s, members %+v, %d hooks", m.Policy, m.Members, len(m.Hooks))
	}

	// The same policy twice: two members of one name.
	out = t.TempDir()
	stdout.Reset()
	code = run([]string{"build", "--color", "never", "--set", "pair", "-o", out, writeFile(t, "a.yaml", goodPolicy), writeFile(t, "c.yaml", goodPolicy)}, &stdout, &stderr)
	if code != exitFound || !strings.Contains(stdout.String(), "two members named fd-install") {
		t.Errorf("exit %d, diagnostics:\n%s", code, stdout.String())
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("wrote %d files for a set with errors", len(entries))
	}
	if code := run([]string{"build", "--set", "Bad/Name", "-o", out, writeFile(t, "a.yaml", goodPolicy)}, &stdout, &stderr); code != exitUsage {
		t.Errorf("--set Bad/Name: exit %d, want %d", code, exitUsage)
	}
}
