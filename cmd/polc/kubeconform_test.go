package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// kubeconform validates Kubernetes manifests against JSON schemas; it runs
// from the Go module proxy at a pinned version (no dependency of polc's
// module).
const kubeconform = "github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0"

// TestSchemaKubeconform: polc schema --kubeconform DIR writes schemas that
// kubeconform finds with the -schema-location polc prints, and with them
// it passes every policy of the corpus and refuses a misspelt field.
func TestSchemaKubeconform(t *testing.T) {
	testenv.Require(t, testenv.Tool("go"))
	dir := t.TempDir()
	code, out, errs := runPolc("schema", "--kubeconform", dir)
	loc, ok := strings.CutPrefix(strings.TrimSpace(out), "-schema-location ")
	if code != exitOK || !ok {
		t.Fatalf("exit %d: %q %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "cilium.io", "tracingpolicy_v1alpha1.json")); err != nil {
		t.Fatal(err)
	}
	run := func(files ...string) (string, error) {
		cmd := exec.Command("go", append([]string{"run", kubeconform, "-strict", "-summary", "-schema-location", loc}, files...)...)
		cmd.Dir = t.TempDir() // outside polc's module: the pinned version alone
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "tetragon-examples", "*.y*ml"))
	if len(corpus) == 0 {
		t.Fatal("the corpus of Tetragon examples is missing")
	}
	abs, _ := filepath.Abs(filepath.Dir(corpus[0]))
	if out, err := run(abs); err != nil || !strings.Contains(out, "Invalid: 0, Errors: 0, Skipped: 0") {
		t.Errorf("kubeconform on the corpus: %v\n%s", err, out)
	}
	namespaced := writeFile(t, "ns.yaml", strings.Replace(goodPolicy, "kind: TracingPolicy", "kind: TracingPolicyNamespaced", 1))
	bad := writeFile(t, "bad.yaml", strings.Replace(goodPolicy, "kprobes:", "kprobs:", 1))
	if out, err := run(namespaced); err != nil || !strings.Contains(out, "Valid: 1,") {
		t.Errorf("kubeconform on a TracingPolicyNamespaced: %v\n%s", err, out)
	}
	if out, err := run(bad); err == nil || !strings.Contains(out, "Invalid: 1") {
		t.Errorf("kubeconform passed a misspelt field (%v):\n%s", err, out)
	}
}
