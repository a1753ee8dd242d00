package testenv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// WriteBTF writes types (and the types they refer to) as a raw BTF file in
// the test's temporary directory, as a probed binary's BTF file (a
// uprobe's btfPath) would hold them, and returns its path.
func WriteBTF(t testing.TB, types ...btf.Type) string {
	t.Helper()
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := b.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "types.btf")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
