package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/polc-dev/polc/compiler"
)

// addRootFlag adds --root, the directory files are named relative to in
// SARIF, dumps and bundles.
func addRootFlag(fs *flag.FlagSet) *string {
	return fs.String("root", "", "directory that SARIF output, dumps and bundles name files relative to (default: the enclosing git repository's root, else the current directory)")
}

// recordedName is how dumps and bundles name a policy's file: relative to
// root, with '/', when the file is under it, so that the same policy
// builds to the same bytes from any directory and by any path; else the
// name as given (stdin, or a file outside the repository).
func recordedName(name, root string) string {
	if name == compiler.StdinName || root == "" {
		return name
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return name
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return name
	}
	return filepath.ToSlash(rel)
}

// sourceRoot is the absolute directory that reports name files relative to:
// dir when given, else the root of the git repository around the current
// directory (the nearest parent holding .git, a directory or a worktree's
// file), else the current directory. Code scanning resolves SARIF paths
// against the repository's root, so a run from a subdirectory must still
// name files from there.
func sourceRoot(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("--root: %w", err)
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return "", fmt.Errorf("--root %s: not a directory", dir)
		}
		return abs, nil
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("current directory: %w", err)
	}
	for d := cwd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return cwd, nil
		}
	}
}
