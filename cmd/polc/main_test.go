package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "fd-install"
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/etc/passwd"
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runPolc(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	good := writeFile(t, "good.yaml", goodPolicy)
	bad := writeFile(t, "bad.yaml", strings.Replace(goodPolicy, `"Equal"`, `"Equall"`, 1))
	warn := writeFile(t, "warn.yaml", strings.Replace(goodPolicy, `"/etc/passwd"`, `"etc/passwd"`, 1))
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"validate", good}, exitOK},
		{"error", []string{"validate", bad}, exitFound},
		{"lint warning", []string{"lint", warn}, exitOK},
		{"lint warning strict", []string{"lint", "--strict", warn}, exitFound},
		{"missing file", []string{"validate", filepath.Join(t.TempDir(), "nope.yaml")}, exitUsage},
		{"no input", []string{"validate"}, exitUsage},
		{"bad flag", []string{"validate", "--frobnicate", good}, exitUsage},
		{"bad format", []string{"validate", "--format", "xml", good}, exitUsage},
		{"bad arch", []string{"validate", "--target-arch", "mips", good}, exitUsage},
		{"bad compat", []string{"lint", "--compat", "falco", good}, exitUsage},
		{"unknown command", []string{"frob"}, exitUsage},
		{"help", []string{"validate", "-h"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, out, errs := runPolc(tc.args...); code != tc.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.want, out, errs)
			}
		})
	}
}

func TestStdin(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old }()
	go func() {
		w.WriteString(strings.Replace(goodPolicy, "index: 1\n        operator", "index: 7\n        operator", 1))
		w.Close()
	}()
	code, out, _ := runPolc("validate", "--format", "json", "-")
	if code != exitFound {
		t.Fatalf("exit %d, want %d: %s", code, exitFound, out)
	}
	var rep struct {
		Diagnostics []struct {
			File string `json:"file"`
			Line int    `json:"line"`
			Code string `json:"code"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Code != "unknown-arg" || rep.Diagnostics[0].Line != 16 ||
		rep.Diagnostics[0].File != "<stdin>" {
		t.Errorf("diagnostics = %+v, want one unknown-arg at <stdin>:16", rep.Diagnostics)
	}
}

func TestDirectoryRecursion(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "b", "p.yml"), []byte(goodPolicy), 0o644)
	os.WriteFile(filepath.Join(dir, "a", "q.yaml"), []byte(strings.Replace(goodPolicy, "fd-install", "Fd", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "a", "notes.txt"), []byte("not yaml: ["), 0o644)
	code, out, _ := runPolc("validate", "--format", "text", "--color", "never", dir)
	if code != exitFound || !strings.Contains(out, "q.yaml:4:9: error[bad-name]") || !strings.Contains(out, "in 2 files") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// TestFlagsAnywhere: flags may follow the files, as in most tools
// (`polc validate policies/ --format json` failed with "stat --format").
func TestFlagsAnywhere(t *testing.T) {
	p := writeFile(t, "p.yaml", goodPolicy)
	code, out, errOut := runPolc("validate", p, "--format", "json", "--strict")
	if code != exitOK || !strings.HasPrefix(out, "{") {
		t.Errorf("validate FILE --format json: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runPolc("validate", p, "--format"); code != exitUsage || !strings.Contains(errOut, "format") {
		t.Errorf("a flag without its value after the file: exit %d: %s", code, errOut)
	}
}
