package loader

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/polc-dev/polc/loader/testbundle"
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
	staging := newPrefix + "0"
	if !slices.Contains(atAttach, staging) || !slices.Contains(atAttach, "policies") ||
		!slices.Contains(atAttach, staging+"/links") || !slices.Contains(atAttach, staging+"/maps") {
		t.Errorf("directories when attaching: %q", atAttach)
	}
}

// A manifest filling a map with more entries than it holds is refused when
// the bundle is read, naming the map, not when the kernel says E2BIG
// ("key too big for map") half way through loading.
func TestReadBundleMapTooSmall(t *testing.T) {
	targets := make([]uint32, 65) // the targets map holds 64
	for i := range targets {
		targets[i] = uint32(i + 1)
	}
	data, err := testbundle.Syscalls("ldrtest-full", "ldrtest_enter", targets...).Write()
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadBundle(data)
	if !errors.Is(err, ErrBadBundle) || !strings.Contains(err.Error(), "fills map targets with 65 entries; it holds 64") {
		t.Errorf("got %v", err)
	}
	if _, err := ReadBundle(syscallBundle("ldrtest-full", targets[:64]...).write(t)); err != nil {
		t.Errorf("64 entries: %v", err)
	}
}
