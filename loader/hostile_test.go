package loader

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// Every directory is made before any program is attached: a policy that
// forbids mkdir (the corpus's override-security.yaml overrides
// security_inode_mkdir for every process) must not stop polrun pinning it.
// Found by the corpus conformance run, where that policy's load failed on
// 6.1 and 6.12 with "create staging directory: operation not permitted".
func TestDirectoriesBeforeAttach(t *testing.T) {
	o := testOptions(t)
	var atAttach []string
	o.failAt = func(step string) error {
		if step == "attach:ldrtest_enter" {
			atAttach = pinsUnder(t, o.PinRoot)
		}
		return nil
	}
	if _, err := Load([]*Bundle{syscallBundle("ldrtest-dirs", uint32(os.Getpid())).bundle(t)}, o); err != nil {
		t.Fatal(err)
	}
	var staging string
	for _, p := range atAttach {
		if strings.HasPrefix(p, stagingPrefix+"ldrtest-dirs_") && !strings.Contains(p, "/") {
			staging = p
		}
	}
	if staging == "" || !slices.Contains(atAttach, "policies") ||
		!slices.Contains(atAttach, staging+"/links") || !slices.Contains(atAttach, staging+"/maps") {
		t.Errorf("directories when attaching: %q", atAttach)
	}
}
