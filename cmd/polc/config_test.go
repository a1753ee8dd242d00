package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfig: the .polc.yaml nearest above each file applies to it:
// disabled codes, strict, compat; flags add to it; mistakes in it are
// usage errors that name the file.
func TestConfig(t *testing.T) {
	warned := strings.Replace(goodPolicy, "    selectors:\n", "    selectors:\n    - {}\n", 1)
	root := t.TempDir()
	write := func(rel, content string) string {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	loose := write("a/p.yaml", warned)
	quiet := write("b/c/p.yaml", strings.Replace(warned, "fd-install", "fd-install-b", 1))
	write("b/.polc.yaml", "disable: [empty-selector]\n")
	strict := write("s/p.yaml", strings.Replace(warned, "fd-install", "fd-install-s", 1))
	write("s/.polc.yaml", "strict: true\n")

	code, out, errOut := runPolc("lint", loose, quiet)
	if code != exitOK || strings.Count(out, "empty-selector") != 1 || !strings.Contains(out, "a/p.yaml") || !strings.Contains(out, "1 silenced") {
		t.Errorf("lint a/ and b/: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := runPolc("lint", strict); code != exitFound || !strings.Contains(out, "empty-selector") {
		t.Errorf("strict: true in .polc.yaml: exit %d, want %d\n%s", code, exitFound, out)
	}
	if code, out, _ := runPolc("lint", "--disable", "empty-selector", loose); code != exitOK || strings.Contains(out, "empty-selector") {
		t.Errorf("--disable: exit %d\n%s", code, out)
	}
	if code, _, errOut := runPolc("lint", "--disable", "empty-selectr", loose); code != exitUsage || !strings.Contains(errOut, `did you mean "empty-selector"`) {
		t.Errorf("--disable with a typo: exit %d: %s", code, errOut)
	}
	bad := write("x/.polc.yaml", "disabled: [empty-selector]\n")
	pol := write("x/p.yaml", warned)
	if code, _, errOut := runPolc("lint", pol); code != exitUsage || !strings.Contains(errOut, bad) || !strings.Contains(errOut, "disabled") {
		t.Errorf("a .polc.yaml with an unknown key: exit %d: %s", code, errOut)
	}
}
