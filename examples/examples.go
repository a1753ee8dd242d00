// Package examples holds the example policies of the README and their
// tests (NAME.yaml, NAME_test.yaml), embedded for tests that run where the
// repository is not: the vmtest guests run `polc test --kernel`'s test on
// them (package policytest).
package examples

import "embed"

// Files are the examples' YAML files, at the root of the FS.
//
//go:embed *.yaml
var Files embed.FS
