package policytest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/examples"
	"github.com/polc-dev/polc/internal/testenv"
)

// corpusDir is the corpus of Tetragon examples: $POLC_CORPUS (which the
// vmtest guests get), else beside the repository.
func corpusDir() string {
	if d := os.Getenv("POLC_CORPUS"); d != "" {
		return d
	}
	return "../../shared/corpus/tetragon-examples"
}

// corpus requires the corpus. CI machines have it: there its absence
// fails the test instead of skipping it.
var corpus = testenv.Requirement{Name: "the corpus of Tetragon examples", OnCIHost: true, Check: func() error {
	if files, _ := filepath.Glob(filepath.Join(corpusDir(), "*.y*ml")); len(files) == 0 {
		return fmt.Errorf("no policies in %s", corpusDir())
	}
	return nil
}}

// examplesDir writes the embedded examples (policies and test files) into
// a directory: the vmtest guests have the test binary, not the repository.
func examplesDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, examples.Files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// corpusTestsDir is the directory of the corpus policies' test files,
// whose policy: paths lead from testdata/corpus to the corpus beside the
// repository. Where the corpus is elsewhere ($POLC_CORPUS), the test
// files are copied into the same shape around a link to it.
func corpusTestsDir(t testing.TB) string {
	t.Helper()
	testenv.Require(t, corpus)
	const here = "testdata/corpus"
	if os.Getenv("POLC_CORPUS") == "" {
		return here
	}
	root := t.TempDir()
	dir := filepath.Join(root, "repo", "policytest", here)
	if err := os.CopyFS(dir, os.DirFS(here)); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(corpusDir())
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "shared", "corpus", "tetragon-examples")
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(abs, link); err != nil {
		t.Fatal(err)
	}
	return dir
}
