package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/loader/testbundle"
)

// keygen, build --sign and inspect, as a user runs them.
func TestKeygenSignInspect(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "release")
	code, out, errOut := runPolc("keygen", "-o", prefix)
	if code != exitOK || !strings.Contains(out, "key id sha256:") {
		t.Fatalf("keygen: exit %d\n%s%s", code, out, errOut)
	}
	if st, err := os.Stat(prefix + ".key"); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("private key mode: %v %v", st.Mode(), err)
	}
	if code, _, errOut := runPolc("keygen", "-o", prefix); code != exitUsage || !strings.Contains(errOut, "not overwriting") {
		t.Errorf("keygen over a key: exit %d %s", code, errOut)
	}
	keyID := strings.TrimSpace(out[strings.Index(out, "key id ")+len("key id "):])

	policy := writeFile(t, "p.yaml", goodPolicy)
	outDir := filepath.Join(dir, "out")
	if code, out, errOut := runPolc("build", "--sign", prefix+".key", "-o", outDir, policy); code != exitOK {
		t.Fatalf("build --sign: exit %d\n%s%s", code, out, errOut)
	}
	bundlePath := filepath.Join(outDir, "fd-install.bpf.o")
	if _, err := os.Stat(bundlePath + ".sig"); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runPolc("build", "--sign", prefix+".pub", "-o", outDir, policy); code != exitUsage || !strings.Contains(errOut, "public key") {
		t.Errorf("build --sign with the public key: exit %d %s", code, errOut)
	}

	code, out, errOut = runPolc("inspect", "--key", prefix+".pub", bundlePath)
	if code != exitOK || !strings.Contains(out, "signed    yes, by key "+keyID+" (verified)") ||
		!regexp.MustCompile(`h0_fd_install +kprobe/fd_install +kprobe +0 .* with bpf_loop\n`).MatchString(out) ||
		!regexp.MustCompile(`h0_fd_install_noloop +kprobe/fd_install/noloop +kprobe +0 .* without bpf_loop\n`).MatchString(out) ||
		!strings.Contains(out, fmt.Sprintf("variants  bpf_loop where the kernel has it, else the no-bpf_loop fallbacks, whose walks take at most: path %d steps", kern.PathStepsNoLoop)) ||
		!strings.Contains(out, "matches the manifest") {
		t.Errorf("inspect: exit %d\n%s%s", code, out, errOut)
	}

	// Without --version the version is the signing time; --version and
	// --expires are signed, inspect shows them, and a build signed again
	// with the same flags writes the same files.
	if v := regexp.MustCompile(`envelope  policy fd-install, version (\d+), expires never`).FindStringSubmatch(out); v == nil {
		t.Errorf("inspect: no envelope:\n%s", out)
	} else if n, _ := strconv.ParseInt(v[1], 10, 64); n < time.Now().Add(-time.Hour).Unix() || n > time.Now().Unix() {
		t.Errorf("default version %s is not the signing time", v[1])
	}
	signed := func() (bundle, sig string) {
		t.Helper()
		if code, out, errOut := runPolc("build", "--sign", prefix+".key", "--version", "3", "--expires", "2099-01-01T00:00:00Z", "-o", outDir, policy); code != exitOK {
			t.Fatalf("build --sign --version: exit %d\n%s%s", code, out, errOut)
		}
		b, _ := os.ReadFile(bundlePath)
		s, _ := os.ReadFile(bundlePath + ".sig")
		return string(b), string(s)
	}
	b1, s1 := signed()
	if b2, s2 := signed(); b1 != b2 || s1 != s2 {
		t.Errorf("signing twice with the same flags wrote other files")
	}
	code, out, errOut = runPolc("inspect", "--key", prefix+".pub", bundlePath)
	if code != exitOK || !strings.Contains(out, "envelope  policy fd-install, version 3, expires 2099-01-01T00:00:00Z") {
		t.Errorf("inspect --version 3: exit %d\n%s%s", code, out, errOut)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--sign", prefix + ".key", "--version", "0"}, `--version "0": a whole number, 1 or more`},
		{[]string{"--sign", prefix + ".key", "--version", "v2"}, `--version "v2"`},
		{[]string{"--sign", prefix + ".key", "--expires", "2001-01-01T00:00:00Z"}, "already past"},
		{[]string{"--sign", prefix + ".key", "--expires", "soon"}, "neither an RFC 3339 time"},
		{[]string{"--version", "4"}, "--version and --expires go with --sign"},
	} {
		if code, _, errOut := runPolc(append(append([]string{"build"}, tc.args...), "-o", t.TempDir(), policy)...); code != exitUsage || !strings.Contains(errOut, tc.msg) {
			t.Errorf("build %q: exit %d %s, want %q", tc.args, code, errOut, tc.msg)
		}
	}

	// The JSON's top-level fields are a contract for tools.
	code, out, _ = runPolc("inspect", "-o", "json", bundlePath)
	var infos []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &infos); err != nil || code != exitOK || len(infos) != 1 {
		t.Fatalf("inspect -o json: exit %d, %v\n%s", code, err, out)
	}
	var keys []string
	for k := range infos[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, " "); got != "features file hashes hooks manifest maps policy programs signature sizes" {
		t.Errorf("inspect -o json fields: %s", got)
	}

	// One byte changed: inspect says so and exits 1.
	data, _ := os.ReadFile(bundlePath)
	data[len(data)-9] ^= 0x01
	os.WriteFile(bundlePath, data, 0o644)
	code, out, _ = runPolc("inspect", "--key", prefix+".pub", bundlePath)
	if code != exitFound || !strings.Contains(out, "NOT VERIFIED: bundle signature does not verify: the bundle was modified after it was signed") {
		t.Errorf("inspect tampered: exit %d\n%s", code, out)
	}
	if code, _, errOut := runPolc("inspect", filepath.Join(dir, "missing.bpf.o")); code != exitUsage || !strings.Contains(errOut, "open bundle") {
		t.Errorf("inspect missing: exit %d %s", code, errOut)
	}

	// Built again unsigned: the old signature goes with the old bundle.
	if code, out, errOut := runPolc("build", "-o", outDir, policy); code != exitOK {
		t.Fatalf("build: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(bundlePath + ".sig"); !os.IsNotExist(err) {
		t.Errorf("an unsigned build left %s.sig behind (%v)", bundlePath, err)
	}
	if code, out, _ := runPolc("inspect", bundlePath); code != exitOK || !strings.Contains(out, "signed    no") {
		t.Errorf("inspect unsigned: exit %d\n%s", code, out)
	}
}

// polc inspect escapes what a terminal would act on in a bundle's manifest
// (here the hook's target).
func TestInspectEscapes(t *testing.T) {
	s := testbundle.Syscalls("esc", "esc_enter", 1)
	s.Hooks[0].Target = "raw_syscalls/\x1b]0;owned\x07\x1b[2J"
	data, err := s.Write()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "esc.bpf.o")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, errOut := runPolc("inspect", path)
	if strings.ContainsAny(out+errOut, "\x1b\x07") || !strings.Contains(out, `raw_syscalls/\x1b]0;owned\a\x1b[2J`) {
		t.Errorf("stdout %q\nstderr %q", out, errOut)
	}
}
