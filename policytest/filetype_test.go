package policytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// fileTypePolicy posts opens of directories under /etc, not of files.
const fileTypePolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "etc-dirs"
spec:
  kprobes:
  - call: "security_file_open"
    syscall: false
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Prefix"
        values: ["/etc"]
      - index: 0
        operator: "FileType"
        values: ["dir"]
`

// fileTypeTests gives file arguments with their type ({path, type}); a
// plain path has no type, so FileType never matches it.
const fileTypeTests = `apiVersion: polc.dev/v1alpha1
kind: PolicyTest
cases:
- name: a directory
  args: {0: {path: /etc/ssl, type: dir}}
  expect: {selector: 0, posted: true}
- name: a regular file
  args: {0: {path: /etc/passwd, type: reg}}
  expect: {selector: none, posted: false}
- name: a directory elsewhere
  args: {0: {path: /usr/lib, type: dir}}
  expect: {selector: none}
- name: no type given
  args: {0: /etc/ssl}
  expect: {selector: none}
`

// writeFileTypeSuite writes the policy and tests into a directory of
// their own and returns the test file.
func writeFileTypeSuite(t *testing.T, tests string) []string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "etc-dirs.yaml"), []byte(fileTypePolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "etc-dirs_test.yaml")
	if err := os.WriteFile(f, []byte(tests), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{f}
}

// checkFileTypeSuite runs the suite and wants every case passed (and run
// in the kernel when k is given).
func checkFileTypeSuite(t *testing.T, k *Kernel) {
	rep, err := Run(writeFileTypeSuite(t, fileTypeTests), Options{Kernel: k})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Suites[0]
	if len(s.Diagnostics) != 0 || len(s.Results) != 4 {
		t.Fatalf("diagnostics %v, %d results", s.Diagnostics, len(s.Results))
	}
	for _, r := range s.Results {
		if !r.Passed {
			t.Errorf("%s failed: %+v", r.Name, r)
		}
		if k != nil && (r.Kernel == nil || r.Kernel.Skipped != "" || r.Kernel.Mismatch != "") {
			t.Errorf("%s: in the kernel: %+v", r.Name, r.Kernel)
		}
	}
}

// TestFileTypeCases: a case can give a file argument's type, which
// FileType reads; a misspelt type is reported at its position.
func TestFileTypeCases(t *testing.T) {
	checkFileTypeSuite(t, nil)

	bad := strings.Replace(fileTypeTests, "/usr/lib, type: dir", "/usr/lib, type: directory", 1)
	rep, err := Run(writeFileTypeSuite(t, bad), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := rep.Suites[0].Diagnostics; len(d) != 1 || d[0].Pos.Line != 11 || !strings.Contains(d[0].Msg, `"directory" is not a file type`) {
		t.Fatalf("diagnostics %v, want one at line 11 naming the type \"directory\"", d)
	}
}

// TestFileTypeCasesKernel: the same cases through the program polc
// generates (BPF_PROG_TEST_RUN), the inode laid out with the case's type.
func TestFileTypeCasesKernel(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.KernelBTF, testenv.RingBuf)
	k, err := NewKernel()
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	checkFileTypeSuite(t, k)
}
