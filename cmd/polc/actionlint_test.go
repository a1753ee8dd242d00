package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// actionlint checks GitHub Actions workflows. It runs from the Go module
// proxy at a pinned version, so that polc's own module does not depend on
// it.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// TestWorkflowActionlint: the recipe in docs/github-actions passes
// actionlint (syntax, expressions, action inputs, runner labels), and
// actionlint does find a mistake put into it.
func TestWorkflowActionlint(t *testing.T) {
	testenv.Require(t, testenv.Tool("go"))
	workflow, err := filepath.Abs(workflowFile)
	if err != nil {
		t.Fatal(err)
	}
	lint := func(path string) (string, error) {
		cmd := exec.Command("go", "run", actionlint, "-no-color", path)
		cmd.Dir = t.TempDir() // outside polc's module: the pinned version alone
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := lint(workflow); err != nil {
		t.Fatalf("actionlint %s: %v\n%s", workflowFile, err, out)
	}
	data, err := os.ReadFile(workflow)
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "broken.yml")
	os.WriteFile(broken, []byte(strings.Replace(string(data), "runs-on:", "runs-onn:", 1)), 0o644)
	if out, err := lint(broken); err == nil || !strings.Contains(out, `"runs-on" section is missing`) {
		t.Errorf("actionlint passed a broken workflow (%v):\n%s", err, out)
	}
}
