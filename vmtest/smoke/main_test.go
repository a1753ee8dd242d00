package smoke

import (
	"os"
	"testing"

	"github.com/cilium/ebpf/rlimit"
)

// TestMain lifts RLIMIT_MEMLOCK: kernels before 5.11 (the 5.10 guests)
// charge BPF maps and programs to it. Without root it fails, and the tests
// that need BPF skip saying why.
func TestMain(m *testing.M) {
	_ = rlimit.RemoveMemlock()
	os.Exit(m.Run())
}
