package policytest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// sameFilePolicy posts opens of /usr/bin/true, by any of its names
// (selector 0), and of other files under /usr/bin (selector 1).
const sameFilePolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "true-open"
spec:
  kprobes:
  - call: "security_file_open"
    syscall: false
    args:
    - {index: 0, type: file}
    selectors:
    - matchArgs:
      - {index: 0, operator: SameFile, values: ["/usr/bin/true"]}
    - matchArgs:
      - {index: 0, operator: NotSameFile, values: ["/usr/bin/true"]}
      - {index: 0, operator: Prefix, values: ["/usr/bin/"]}
`

// sameFileTests: a file is the file at its path unless its case says
// which file it is (same), as a hard link or a bind mount would be.
const sameFileTests = `apiVersion: polc.dev/v1alpha1
kind: PolicyTest
cases:
- name: the file itself
  args: {0: /usr/bin/true}
  expect: {selector: 0}
- name: a hard link of it
  args: {0: {path: /tmp/t, same: /usr/bin/true}}
  expect: {selector: 0}
- name: another file
  args: {0: {path: /usr/bin/false, type: reg}}
  expect: {selector: 1}
- name: the path, but another file
  args: {0: {path: /usr/bin/true, same: /opt/true}}
  expect: {selector: 1}
- name: elsewhere
  args: {0: /opt/true}
  expect: {selector: none}
`

func checkSameFileSuite(t *testing.T, k *Kernel) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "true-open.yaml"), []byte(sameFilePolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "true-open_test.yaml")
	if err := os.WriteFile(f, []byte(sameFileTests), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Run([]string{f}, Options{Kernel: k})
	if err != nil {
		t.Fatal(err)
	}
	s := rep.Suites[0]
	if len(s.Diagnostics) != 0 || len(s.Results) != 5 {
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

// TestSameFileCases: SameFile against the identities tests give files.
func TestSameFileCases(t *testing.T) { checkSameFileSuite(t, nil) }

// TestSameFileCasesKernel: the same cases through the program polc
// generates, the map filled and the inode laid out with those identities.
func TestSameFileCasesKernel(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.KernelBTF, testenv.RingBuf)
	k, err := NewKernel()
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	checkSameFileSuite(t, k)
}
