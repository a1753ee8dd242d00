package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// addRootFlag adds --root, the directory SARIF names files relative to.
func addRootFlag(fs *flag.FlagSet) *string {
	return fs.String("root", "", "directory that SARIF output names files relative to (default: the enclosing git repository's root, else the current directory)")
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
