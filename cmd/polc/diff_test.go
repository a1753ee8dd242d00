package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffPolicies: a one-value change is a diff of a few lines and exit
// 1; the same policy, with a comment added above, is exit 0 and no output.
func TestDiffPolicies(t *testing.T) {
	a := writeFile(t, "a.yaml", goodPolicy)
	same := writeFile(t, "same.yaml", "# a comment\n"+goodPolicy)
	b := writeFile(t, "b.yaml", strings.Replace(goodPolicy, `"/etc/passwd"`, `"/etc/shadow"`, 1))
	if code, out, errs := runPolc("diff", a, same); code != exitOK || out != "" {
		t.Errorf("same policy: exit %d, want 0:\n%s%s", code, out, errs)
	}
	code, out, errs := runPolc("diff", a, b)
	if code != exitFound {
		t.Fatalf("changed value: exit %d, want 1: %s", code, errs)
	}
	var changed []string
	for _, l := range strings.Split(out, "\n") {
		if (strings.HasPrefix(l, "-") || strings.HasPrefix(l, "+")) && !strings.HasPrefix(l, "---") && !strings.HasPrefix(l, "+++") {
			changed = append(changed, l)
		}
	}
	want := []string{`-      arg slot=1 file Equal "/etc/passwd"`, `+      arg slot=1 file Equal "/etc/shadow"`}
	if strings.Join(changed, "\n") != strings.Join(want, "\n") || !strings.HasPrefix(out, "--- "+a+"\n+++ "+b+"\n@@ ") {
		t.Errorf("diff:\n%s", out)
	}
	if n := strings.Count(out, "\n"); n > 12 {
		t.Errorf("a one-value change gives %d lines:\n%s", n, out)
	}
	// An added selector changes the program sizes, which are summed up.
	c := writeFile(t, "c.yaml", goodPolicy+"    - matchPIDs:\n      - operator: NotIn\n        values: [1]\n")
	code, out, _ = runPolc("diff", a, c)
	if code != exitFound || !strings.Contains(out, "+    selector 1") || !strings.Contains(out, "program sizes (instructions):\n  fd-install/h0_fd_install: ") {
		t.Errorf("added selector: exit %d:\n%s", code, out)
	}
}

// TestDiffBundles: bundles compare by their dumps, with each other and
// with policies; a bundle against its own policy is the same.
func TestDiffBundles(t *testing.T) {
	a := writeFile(t, "fd.yaml", goodPolicy)
	b := writeFile(t, "fd.yaml", strings.Replace(goodPolicy, `"/etc/passwd"`, `"/etc/shadow"`, 1))
	outA, outB := t.TempDir(), t.TempDir()
	for _, c := range [][2]string{{outA, a}, {outB, b}} {
		if code, _, errs := runPolc("build", "--root", filepath.Dir(c[1]), "-o", c[0], c[1]); code != exitOK {
			t.Fatalf("build: %s", errs)
		}
	}
	bundleA, bundleB := filepath.Join(outA, "fd-install.bpf.o"), filepath.Join(outB, "fd-install.bpf.o")
	if code, out, errs := runPolc("diff", bundleA, bundleA); code != exitOK || out != "" {
		t.Errorf("same bundle: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runPolc("diff", bundleA, bundleB)
	if code != exitFound || !strings.Contains(out, "\n-") || !strings.Contains(out, `sourceSha256`) {
		t.Errorf("different bundles: exit %d\n%s%s", code, out, errs)
	}
	// A policy is built to compare with a bundle.
	t.Chdir(filepath.Dir(a))
	if code, out, errs := runPolc("diff", bundleA, "fd.yaml"); code != exitOK {
		t.Errorf("a bundle and its policy: exit %d\n%s%s", code, out, errs)
	}
}

// TestDiffErrors: usage and input errors are exit 2, with the reason.
func TestDiffErrors(t *testing.T) {
	a := writeFile(t, "a.yaml", goodPolicy)
	broken := writeFile(t, "broken.yaml", strings.Replace(goodPolicy, `"Equal"`, `"Equall"`, 1))
	junk := writeFile(t, "junk.bpf.o", "\x7fELF not really")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"diff", a}, "polc: error: want two files to compare, got 1"},
		{[]string{"diff", a, broken}, "the policy has errors"},
		{[]string{"diff", a, filepath.Join(t.TempDir(), "none.yaml")}, "no such file"},
		{[]string{"diff", a, junk}, "polc diff: "},
		{[]string{"diff", "-U", "-1", a, a}, "polc: error: -U takes"},
	} {
		code, _, errs := runPolc(c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// TestDumpBundle: polc dump BUNDLE prints its manifest, maps and programs,
// not a YAML error; stage flags are refused for bundles.
func TestDumpBundle(t *testing.T) {
	p := writeFile(t, "fd.yaml", goodPolicy)
	out := t.TempDir()
	if code, _, errs := runPolc("build", "-o", out, p); code != exitOK {
		t.Fatal(errs)
	}
	b := filepath.Join(out, "fd-install.bpf.o")
	code, dump, errs := runPolc("dump", b)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"bundle fd-install\n", "manifest {\n", `"policy": "fd-install"`, "map polc_events RingBuf",
		"program h0_fd_install section kprobe/fd_install (", "Call FnMapLookupElem"} {
		if !strings.Contains(dump, want) {
			t.Errorf("dump lacks %q:\n%s", want, dump)
		}
	}
	if strings.Contains(dump, `"pos"`) {
		t.Errorf("positions without --pos:\n%s", dump)
	}
	if _, withPos, _ := runPolc("dump", "--pos", b); !strings.Contains(withPos, `"pos"`) {
		t.Errorf("--pos: no positions in the manifest")
	}
	if code, _, errs := runPolc("dump", "--stage", "ir", b); code != exitUsage || !strings.Contains(errs, "--stage: not for bundles") {
		t.Errorf("--stage with a bundle: exit %d: %s", code, errs)
	}
	if code, _, errs := runPolc("dump", b, p); code != exitUsage || !strings.Contains(errs, "not both") {
		t.Errorf("a bundle and a policy: exit %d: %s", code, errs)
	}
	data, _ := os.ReadFile(b)
	if code, _, errs := runPolc("dump", writeFile(t, "cut.bpf.o", string(data[:len(data)/2]))); code != exitUsage || errs == "" {
		t.Errorf("a cut bundle: exit %d: %s", code, errs)
	}
}
