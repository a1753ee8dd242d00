package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestPreCommitHook installs this repository's .pre-commit-hooks.yaml, at
// the committed HEAD, into a scratch repository with the real pre-commit
// tool, and checks that a bad policy fails the commit and a good one passes,
// and that a failing policy test fails it too.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds polc through pre-commit; not in -short runs")
	}
	testenv.Require(t, testenv.Tool("git"), testenv.Tool("pre-commit"), testenv.Tool("go"))
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("not in a git checkout: %v", err)
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.Command("git", "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml").Output(); err != nil {
		t.Fatal(".pre-commit-hooks.yaml is not committed at HEAD")
	}
	repo := t.TempDir()
	run := func(wantOK bool, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+filepath.Join(repo, ".cache"),
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if (err == nil) != wantOK {
			t.Fatalf("%s %s: err=%v, want ok=%v\n%s", name, strings.Join(args, " "), err, wantOK, out)
		}
		return string(out)
	}
	config := "repos:\n- repo: " + strings.TrimSpace(string(top)) + "\n  rev: " + strings.TrimSpace(string(head)) +
		"\n  hooks:\n  - id: polc-validate\n  - id: polc-lint\n  - id: polc-test\n"
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(true, "git", "init", "-q")
	write(".pre-commit-config.yaml", config)
	write(".gitignore", ".cache/\n")
	write("workflow.yaml", "name: ci\non: push\n") // not a policy: skipped
	run(true, "git", "add", ".")
	run(true, "pre-commit", "install")
	run(true, "git", "commit", "-qm", "config")

	write("policy.yaml", strings.Replace(goodPolicy, `"Equal"`, `"Equall"`, 1))
	run(true, "git", "add", "policy.yaml")
	out := run(false, "git", "commit", "-qm", "bad policy")
	if !strings.Contains(out, `did you mean "Equal"?`) || !strings.Contains(out, "policy.yaml:17:19") {
		t.Errorf("the hook's output does not point at the mistake:\n%s", out)
	}
	write("policy.yaml", goodPolicy)
	run(true, "git", "add", "policy.yaml")
	run(true, "git", "commit", "-qm", "good policy")

	// What else lives in a repository: a Helm chart (templates are not
	// YAML until rendered), Kubernetes manifests, empty and broken YAML
	// that is not a policy. Committing them passes, and the hooks say
	// nothing about them.
	if err := os.MkdirAll(filepath.Join(repo, "chart", "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n")
	write("chart/values.yaml", "replicas: 2\n")
	write("chart/templates/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n")
	write("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n")
	write("empty.yaml", "")
	write("broken.yml", "key: [unclosed\n")
	run(true, "git", "add", ".")
	out = run(true, "git", "commit", "-qm", "unrelated files")
	for _, f := range []string{"chart", "configmap", "empty", "broken", "not-a-policy"} {
		if strings.Contains(out, f) {
			t.Errorf("the hooks talk about %s on a commit of files that are not policies:\n%s", f, out)
		}
	}

	// A warning is shown but does not block, unless .polc.yaml asks; a
	// polc:ignore comment with a reason silences it.
	warned := strings.Replace(goodPolicy, "    selectors:\n", "    selectors:\n    - {}\n", 1)
	write("policy.yaml", warned)
	run(true, "git", "add", "policy.yaml")
	out = run(true, "git", "commit", "-qm", "a warning")
	if !strings.Contains(out, "empty-selector") {
		t.Errorf("polc-lint did not show the warning:\n%s", out)
	}
	write(".polc.yaml", "strict: true\n")
	write("policy.yaml", warned+"\n")
	run(true, "git", "add", ".")
	out = run(false, "git", "commit", "-qm", "a warning, strict")
	if !strings.Contains(out, "policy.yaml:15") || !strings.Contains(out, "empty-selector") {
		t.Errorf("strict: the hook's output does not point at the warning:\n%s", out)
	}
	write("policy.yaml", strings.Replace(warned, "    - {}\n", "    # polc:ignore empty-selector we watch every fd_install here\n    - {}\n", 1))
	run(true, "git", "add", ".")
	run(true, "git", "commit", "-qm", "a silenced warning, strict")

	// polc-test runs the policy's test file: a wrong expectation fails the
	// commit, pointing at the case.
	test := "apiVersion: polc.dev/v1alpha1\nkind: PolicyTest\ncases:\n- name: passwd\n  args: {1: /etc/passwd}\n  expect: {selector: none}\n"
	write("policy_test.yaml", test)
	run(true, "git", "add", "policy_test.yaml")
	out = run(false, "git", "commit", "-qm", "wrong test")
	if !strings.Contains(out, "--- FAIL: fd-install/passwd (policy_test.yaml:4:3)") {
		t.Errorf("polc-test's output does not point at the failing case:\n%s", out)
	}
	write("policy_test.yaml", strings.Replace(test, "none", "0", 1))
	run(true, "git", "add", "policy_test.yaml")
	run(true, "git", "commit", "-qm", "right test")
}
