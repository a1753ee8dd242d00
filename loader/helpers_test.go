package loader

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/rlimit"

	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader/testbundle"
)

// bundleSpec wraps testbundle.Spec for tests that fail on errors.
type bundleSpec struct{ *testbundle.Spec }

func syscallBundle(name string, targets ...uint32) bundleSpec {
	return bundleSpec{testbundle.Syscalls(name, "ldrtest_enter", targets...)}
}

// syscallBundleOf is syscallBundle posting only system call id.
func syscallBundleOf(name string, id int64, targets ...uint32) bundleSpec {
	return bundleSpec{testbundle.SyscallsOf(name, "ldrtest_enter", id, targets...)}
}

func (bs bundleSpec) write(t testing.TB) []byte {
	t.Helper()
	data, err := bs.Write()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func (bs bundleSpec) bundle(t testing.TB) *Bundle {
	t.Helper()
	b, err := ReadBundle(bs.write(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testOptions returns options with a pin root of the test's own, removed
// (with everything under it) when the test ends.
func testOptions(t *testing.T) *Options { return testOptionsN(t, 0) }

// testOptionsN returns the options of the test's n-th pin root.
func testOptionsN(t *testing.T, n int) *Options {
	t.Helper()
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs)
	root := testenv.PinDir(t, fmt.Sprintf("polrun-test%d", n), true)
	// Attachments the kernel cannot pin (perf events before 5.15) are
	// held, as polrun run and serve hold them.
	hold := NewHolder()
	t.Cleanup(func() {
		if err := UnloadAll(&Options{PinRoot: root, Hold: hold}); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return &Options{PinRoot: root, Hold: hold}
}

// pinsUnder lists every file and directory under root.
func pinsUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err == nil && path != root {
			out = append(out, strings.TrimPrefix(path, root+"/"))
		}
		return nil
	})
	return out
}

// loadedPrograms counts the kernel's programs named name (truncated to
// the kernel's 15 characters).
func loadedPrograms(t *testing.T, name string) int {
	t.Helper()
	if len(name) > 15 {
		name = name[:15]
	}
	n := 0
	var id ebpf.ProgramID
	for {
		next, err := ebpf.ProgramGetNextID(id)
		if err != nil {
			return n
		}
		id = next
		p, err := ebpf.NewProgramFromID(id)
		if err != nil {
			continue
		}
		if info, err := p.Info(); err == nil && info.Name == name {
			n++
		}
		p.Close()
	}
}

// testBase is a base object whose one program is called ldrtest_exec.
func testBase(t testing.TB) []byte {
	t.Helper()
	data, err := testbundle.Base("ldrtest_exec", false)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// waitProgramsGone waits until the kernel has freed the programs of ids.
func waitProgramsGone(t *testing.T, ids []uint32) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, id := range ids {
		for {
			p, err := ebpf.NewProgramFromID(ebpf.ProgramID(id))
			if err != nil {
				break
			}
			p.Close()
			if time.Now().After(deadline) {
				t.Fatalf("program %d still loaded", id)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// waitNoPrograms waits until the kernel has freed every program named
// name: freeing happens after the last reference goes, asynchronously.
func waitNoPrograms(t *testing.T, name string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for loadedPrograms(t, name) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d programs named %s still loaded", loadedPrograms(t, name), name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// funcPC is the entry address of a Go function value.
func funcPC(f any) uintptr { return reflect.ValueOf(f).Pointer() }

func TestMain(m *testing.M) {
	if mode := os.Getenv("POLC_LOADER_HELPER"); mode != "" {
		os.Exit(helperMain(mode))
	}
	// Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK; the tests
	// that make maps and programs without Load need it lifted too.
	_ = rlimit.RemoveMemlock()
	os.Exit(m.Run())
}

// collectAll returns the events of every policy until none comes for quiet.
func collectAll(t *testing.T, s *Stream, quiet time.Duration) []*Event {
	t.Helper()
	var out []*Event
	for {
		ctx, cancel := context.WithTimeout(context.Background(), quiet)
		ev, err := s.Next(ctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
}
