package codegen

import (
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestVerifyBundles loads every bundle that builds from the golden inputs
// and the corpus into the kernel, which runs the verifier on each program.
func TestVerifyBundles(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	for _, dir := range []string{goldenCopyDir, corpusDir} {
		for _, f := range globYAML(t, dir) {
			for _, c := range compileFile(t, f) {
				if c.Err != nil || c.Bundle.Manifest.Arch != string(arch.Host()) {
					continue
				}
				t.Run(filepath.Base(f)+"/"+c.Bundle.Name, func(t *testing.T) {
					spec, n := loadableSpec(t, c.Bundle)
					if n == 0 {
						return
					}
					l := loadSpec(t, c.Bundle, spec)
					for name, st := range l.stats {
						t.Logf("%s: %d verified instructions in %v", name, st.Verified, st.Load)
					}
				})
			}
		}
	}
}
