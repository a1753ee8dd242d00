package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/target"
)

func profilePath(name string) string {
	return filepath.Join("..", "..", "testdata", "targets", name+".tar.gz")
}

// newHooks names a function that came in Linux 6.9 and declares file for
// its integer argument.
const newHooks = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: new-hooks
spec:
  kprobes:
  - call: "security_file_post_open"
    syscall: false
    args:
    - index: 0
      type: "file"
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "file"
`

// TestValidateTarget: polc validate --target fails at the line naming a
// function the kernel lacks, and at the argument declared file for an
// integer (a warning: Tetragon loads it with one), with the kernel's
// prototype; --target-btf does the same from the BTF alone. The function
// exists on 6.12, so there the policy passes with the argument's warning.
func TestValidateTarget(t *testing.T) {
	pol := writeFile(t, "new.yaml", newHooks)
	btf := filepath.Join(t.TempDir(), "vmlinux.btf")
	p, err := target.ReadFile(profilePath("debian-6.1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(btf, p.BTF, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
		not  []string
		code int
	}{
		{[]string{"--target", profilePath("debian-6.1")}, []string{
			`new.yaml:7:11: error[unknown-function]: kernel 6.1.0-56-amd64 has no function "security_file_post_open"`,
			`new.yaml:16:13: warning[arg-type-mismatch]: fd_install(unsigned int fd, struct file *file): argument 0 is "unsigned int", not file`,
		}, nil, exitFound},
		{[]string{"--target-btf", btf}, []string{
			`new.yaml:7:11: error[unknown-function]: the target kernel has no function "security_file_post_open"`,
			`new.yaml:16:13: warning[arg-type-mismatch]: fd_install(unsigned int fd, struct file *file): argument 0 is "unsigned int", not file`,
		}, nil, exitFound},
		{[]string{"--target", profilePath("debian-6.12")}, []string{
			`new.yaml:16:13: warning[arg-type-mismatch]: fd_install(unsigned int fd, struct file *file)`,
		}, []string{"unknown-function", "new.yaml:11"}, exitOK},
	} {
		code, out, errOut := runPolc(append(append([]string{"validate", "--color", "never"}, tc.args...), pol)...)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tc.args, code, tc.code, out, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tc.args, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: output has %q:\n%s", tc.args, n, out)
			}
		}
	}

	// Fixed, the policy is accepted for the kernels that have the function.
	fixed := writeFile(t, "fixed.yaml", strings.Replace(newHooks, "fd_install\"\n    syscall: false\n    args:\n    - index: 0", "fd_install\"\n    syscall: false\n    args:\n    - index: 1", 1))
	for _, k := range []string{"debian-6.12", "host-6.18"} {
		args := []string{"validate", "--color", "never", "--target", profilePath(k), fixed}
		code, out, _ := runPolc(args...)
		// 6.18 has no kprobes: the only errors there say so.
		if k == "host-6.18" {
			out = strings.ReplaceAll(out, "error[unsupported-by-target]", "")
		}
		if code == exitUsage || strings.Contains(out, "error[") {
			t.Errorf("%s: exit %d:\n%s", k, code, out)
		}
	}
}

func TestTargetFlagErrors(t *testing.T) {
	pol := writeFile(t, "p.yaml", goodPolicy)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--target", profilePath("debian-6.1"), "--target-btf", "x"}, "not both"}, // validate, lint: read both
		{[]string{"--target", profilePath("debian-6.1"), "--target-arch", "arm64"}, "x86_64 kernel"},
		{[]string{"--target", "/nonexistent"}, "no such file"},
		{[]string{"--target-btf", pol}, "neither raw BTF nor an ELF file"},
	} {
		for _, cmd := range []string{"validate", "lint", "dump", "build"} {
			want := tc.want
			if want == "not both" && (cmd == "validate" || cmd == "lint") {
				want = "open x: no such file"
			}
			code, _, errOut := runPolc(append(append([]string{cmd}, tc.args...), pol)...)
			if code != exitUsage || !strings.Contains(errOut, want) {
				t.Errorf("%s %v: exit %d, %q; want usage error with %q", cmd, tc.args, code, errOut, want)
			}
		}
	}
}

const allSyscalls = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: all-syscalls
spec:
  lists:
  - name: "all"
    type: "generated_syscalls"
  kprobes:
  - call: "list:all"
    selectors:
    - matchBinaries:
      - operator: "In"
        values:
        - "/usr/bin/kill"
`

// TestBuildGeneratedSyscalls: a generated_syscalls list builds offline to
// the same bundle every time for a given target, and to another one for a
// kernel with other syscalls.
func TestBuildGeneratedSyscalls(t *testing.T) {
	pol := writeFile(t, "all.yaml", allSyscalls)
	build := func(k string) []byte {
		dir := t.TempDir()
		code, out, errOut := runPolc("build", "-o", dir, "--target", profilePath(k), pol)
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s%s", k, code, out, errOut)
		}
		data, err := os.ReadFile(filepath.Join(dir, "all-syscalls.bpf.o"))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	a, b := build("debian-6.12"), build("debian-6.12")
	if !bytes.Equal(a, b) {
		t.Error("two builds for debian-6.12 differ")
	}
	if old := build("debian-6.1"); bytes.Equal(a, old) {
		t.Error("the bundles for 6.1 and 6.12 are the same, though 6.12 has more syscalls")
	}
	if !bytes.Contains(a, []byte("__x64_sys_mseal")) {
		t.Error("the 6.12 bundle does not hook mseal")
	}
}

// TestTargetOnce: --target given twice to a command that builds for one
// kernel is a usage error, not the last one silently.
func TestTargetOnce(t *testing.T) {
	p := writeFile(t, "p.yaml", goodPolicy)
	for _, cmd := range []string{"build", "dump", "test", "diff"} {
		code, _, errOut := runPolc(cmd, "--target", "a.tar.gz", "--target", "b.tar.gz", p)
		if code != exitUsage || !strings.Contains(errOut, "given twice") {
			t.Errorf("%s: exit %d: %s", cmd, code, errOut)
		}
	}
}

const msealPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: mseal
spec:
  kprobes:
  - call: "sys_mseal"
    syscall: true
`

// TestTargetRepeated: validate and lint check against every --target; a
// finding on some kernels names them, one on all is reported once as is.
func TestTargetRepeated(t *testing.T) {
	p := writeFile(t, "p.yaml", msealPolicy)
	old, cur := profilePath("debian-6.1"), profilePath("debian-6.12")
	if code, out, errOut := runPolc("validate", "--target", cur, p); code != exitOK {
		t.Fatalf("6.12 alone: exit %d\n%s%s", code, out, errOut)
	}
	code, alone, _ := runPolc("validate", "--color", "never", "--target", old, p)
	if code != exitFound {
		t.Fatalf("6.1 alone: exit %d, want 1 (no mseal there)\n%s", code, alone)
	}
	for _, cmd := range []string{"validate", "lint"} {
		code, out, errOut := runPolc(cmd, "--color", "never", "--target", cur, "--target", old, p)
		if code != exitFound || !strings.Contains(out, "(on kernel "+old) || strings.Contains(out, cur) {
			t.Errorf("%s with both: exit %d\n%s%s", cmd, code, out, errOut)
		}
	}
	// The same finding on both kernels is reported once, naming neither.
	bad := writeFile(t, "bad.yaml", strings.Replace(goodPolicy, `"Equal"`, `"Equall"`, 1))
	_, both, _ := runPolc("validate", "--color", "never", "--target", cur, "--target", old, bad)
	_, one, _ := runPolc("validate", "--color", "never", "--target", cur, bad)
	if both != one || strings.Contains(both, "on kernel") {
		t.Errorf("a finding on both kernels:\n%s\n---\n%s", both, one)
	}
	if code, _, errOut := runPolc("validate", "--target", cur, "--target", cur, p); code != exitUsage || !strings.HasPrefix(errOut, "polc: error: kernel") && !strings.Contains(errOut, "given twice") {
		t.Errorf("the same kernel twice: exit %d: %s", code, errOut)
	}
}
