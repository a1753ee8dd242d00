package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/loader"
)

// policyVariant builds testdata/syscalls.yaml, watching pid, as policy
// name with edit applied to its text, into dir; it returns the bundle.
func (e *env) policyVariant(dir, name string, pid uint32, edit func(string) string) string {
	e.t.Helper()
	tmpl, err := os.ReadFile("testdata/syscalls.yaml")
	if err != nil {
		e.t.Fatal(err)
	}
	yaml := strings.NewReplacer("__NAME__", name, "__PID__", strconv.FormatUint(uint64(pid), 10), "__MESSAGE__", name).Replace(string(tmpl))
	edited := edit(yaml)
	if edited == yaml {
		e.t.Fatal("the edit changed nothing")
	}
	src := filepath.Join(e.t.TempDir(), name+".yaml")
	if err := os.WriteFile(src, []byte(edited), 0o644); err != nil {
		e.t.Fatal(err)
	}
	polc(e.t, "build", "-o", dir, src)
	return filepath.Join(dir, name+".bpf.o")
}

// TestLoadNamespacedRefused: a TracingPolicyNamespaced applies, in
// Tetragon, to the pods of its namespace only; polrun has no pod metadata
// and refuses it (never loading it for every process), leaving nothing
// pinned.
func TestLoadNamespacedRefused(t *testing.T) {
	e := newEnv(t)
	b := e.policyVariant(t.TempDir(), "clitest-namespaced", uint32(os.Getpid()), func(y string) string {
		return strings.Replace(y, "kind: TracingPolicy\nmetadata:\n", "kind: TracingPolicyNamespaced\nmetadata:\n  namespace: team-a\n", 1)
	})
	before := e.pins()
	_, stderr, code := e.polrun("load", b)
	if code != 1 || !strings.Contains(stderr, "its kind TracingPolicyNamespaced (namespace team-a) restricts it to pods or containers, which needs Kubernetes pod metadata that polrun does not have; not loaded") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if after := e.pins(); !slices.Equal(after, before) {
		t.Errorf("pins changed:\n got %q\nwant %q", after, before)
	}
}

// TestServeNodeLabels: polrun serve --node-labels loads the bundles whose
// nodeSelector selects the node, and passes over the others as not for
// this node (not failures: one directory serves every node).
func TestServeNodeLabels(t *testing.T) {
	e := newEnv(t)
	pid := uint32(os.Getpid())
	withArch := func(arch string) func(string) string {
		return func(y string) string {
			return strings.Replace(y, "spec:\n", "spec:\n  nodeSelector:\n    matchLabels:\n      kubernetes.io/arch: "+arch+"\n", 1)
		}
	}
	build := t.TempDir()
	amd := e.policyVariant(build, "clitest-node-amd", pid, withArch("amd64"))
	arm := e.policyVariant(build, "clitest-node-arm", pid, withArch("arm64"))
	dir := t.TempDir()
	install(t, dir, "amd.bpf.o", amd)
	install(t, dir, "arm.bpf.o", arm)

	cmd := exec.Command(polrunBin, e.args([]string{"serve", "--dir", dir, "--node-labels", "kubernetes.io/arch=amd64", "--duration", "3s", "-o", "json"})...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitPolicy(t, e.root, "clitest-node-amd", 3*time.Second, func(p *loader.PolicyStatus) bool { return p != nil })
	if err := cmd.Wait(); err != nil {
		t.Fatalf("polrun serve: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "not for this node") || !strings.Contains(stderr.String(), "clitest-node-arm") || strings.Contains(stderr.String(), "failed") {
		t.Errorf("polrun serve said:\n%s", stderr.String())
	}
	waitPolicy(t, e.root, "clitest-node-arm", time.Second, gone)
}

// TestLoadEverySelectorEmpty: podSelector: {} with hostSelector: {}
// selects every process, host and pods, as Tetragon reads them: the policy
// needs no pod metadata and loads; podSelector: {} alone (pods, not the
// host) is refused.
func TestLoadEverySelectorEmpty(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	all := e.policyVariant(dir, "clitest-sel-all", uint32(os.Getpid()), func(y string) string {
		return strings.Replace(y, "spec:\n", "spec:\n  podSelector: {}\n  hostSelector: {}\n", 1)
	})
	pods := e.policyVariant(dir, "clitest-sel-pods", uint32(os.Getpid()), func(y string) string {
		return strings.Replace(y, "spec:\n", "spec:\n  podSelector: {}\n", 1)
	})
	if out, stderr, code := e.polrun("load", all); code != 0 {
		t.Fatalf("load: exit %d\n%s%s", code, out, stderr)
	}
	if _, stderr, code := e.polrun("load", pods); code != 1 || !strings.Contains(stderr, "podSelector restricts it to pods or containers") {
		t.Errorf("podSelector alone: exit %d\n%s", code, stderr)
	}
	if out, stderr, code := e.polrun("unload", "clitest-sel-all"); code != 0 {
		t.Errorf("unload: exit %d\n%s%s", code, out, stderr)
	}
}
