package codegen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// Where the kernel tests read policies, and where the copies come from.
var testdataCopies = []struct{ copy, original string }{
	{"testdata/golden", "../testdata/golden"},
}

// TestTestdataCopies: the policies in testdata/ are those of the corpus and
// of the golden directory.
func TestTestdataCopies(t *testing.T) {
	if testenv.InVM() {
		t.Log("the originals are not in the vmtest guest; their copies are checked on the host")
		return
	}
	for _, c := range testdataCopies {
		originals := globYAML(t, c.original)
		if len(originals) == 0 {
			if c.original == testdataCopies[0].original {
				t.Logf("no corpus at %s: its copy is kept as it is", c.original)
				continue
			}
			t.Fatalf("no policies in %s", c.original)
		}
		want := map[string]bool{}
		for _, f := range originals {
			name := filepath.Base(f)
			want[name] = true
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(c.copy, name)
			have, err := os.ReadFile(dst)
			if *update {
				if err != nil || !bytes.Equal(have, data) {
					if err := os.WriteFile(dst, data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				continue
			}
			if err != nil || !bytes.Equal(have, data) {
				t.Errorf("%s differs from %s (run go test ./codegen -run TestTestdataCopies -update)", dst, f)
			}
		}
		for _, f := range globYAML(t, c.copy) {
			if !want[filepath.Base(f)] {
				if *update {
					os.Remove(f)
					continue
				}
				t.Errorf("%s has no original in %s (run go test ./codegen -run TestTestdataCopies -update)", f, c.original)
			}
		}
	}
}
