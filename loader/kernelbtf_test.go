package loader

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// A load with Options.KernelBTF reads the kernel's types from that file:
// here a copy of the host's /sys/kernel/btf/vmlinux (raw BTF, what
// bpftool btf dump file /sys/kernel/btf/vmlinux format raw writes).
func TestLoadWithKernelBTFFile(t *testing.T) {
	testenv.Require(t, testenv.KernelBTF)
	raw, err := os.ReadFile(sysfsBTF)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "vmlinux.btf")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { UseKernelBTF("") })

	o := testOptions(t)
	o.KernelBTF = file
	b := syscallBundle("ldrtest-btf-file", uint32(os.Getpid())).bundle(t)
	if _, err := Load([]*Bundle{b}, o); err != nil {
		t.Fatal(err)
	}
	defer Unload([]string{"ldrtest-btf-file"}, o)
	spec, err := kernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec != kernelTypes() || spec == nil {
		t.Error("the load did not use the given BTF file")
	}
	var s *btf.Struct
	if err := spec.TypeByName("task_struct", &s); err != nil {
		t.Errorf("task_struct in the given BTF: %v", err)
	}
	if err := checkFeature(bpf.FeatureBTF); err != nil {
		t.Errorf("BTF feature with a given file: %v", err)
	}
}

func TestUseKernelBTFRefusesOtherFiles(t *testing.T) {
	t.Cleanup(func() { UseKernelBTF("") })
	dir := t.TempDir()
	notBTF := filepath.Join(dir, "not-btf")
	if err := os.WriteFile(notBTF, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := UseKernelBTF(notBTF); err == nil || !strings.Contains(err.Error(), "give raw BTF or a vmlinux") {
		t.Errorf("a file that is not BTF: %v", err)
	}
	// Valid BTF that describes no kernel: a bundle's own types.
	var buf bytes.Buffer
	b, err := btf.NewBuilder([]btf.Type{&btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := b.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	buf.Write(data)
	small := filepath.Join(dir, "small.btf")
	if err := os.WriteFile(small, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := UseKernelBTF(small); err == nil || !strings.Contains(err.Error(), "not a vmlinux's BTF") {
		t.Errorf("BTF without kernel functions: %v", err)
	}
	if err := UseKernelBTF(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	if kernelTypes() != nil {
		t.Error("a refused file is in use")
	}
}

// A missing fmod_ret or LSM names what to use instead.
func TestFeatureErrorNamesFallback(t *testing.T) {
	for _, f := range []string{bpf.FeatureFmodRet, bpf.FeatureLSM, bpf.FeatureBTF} {
		e := &FeatureError{Feature: f, Reason: "not supported", Fallback: featureFallbacks[f]}
		if e.Fallback == "" || !strings.Contains(e.Error(), "; fallback: "+e.Fallback) {
			t.Errorf("%s: %q names no fallback", f, e.Error())
		}
	}
	if got := (&FeatureError{Feature: "x", Reason: "r"}).Error(); strings.Contains(got, "fallback") {
		t.Errorf("no fallback known: %q", got)
	}
}
