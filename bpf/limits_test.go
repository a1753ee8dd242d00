package bpf_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/loader/dirsync"
	"github.com/polc-dev/polc/loader/testbundle"
)

// A truncated bundle and a manifest beyond MaxManifestSize are refused,
// saying so.
func TestReadManifestLimits(t *testing.T) {
	data, err := testbundle.Syscalls("limits", "limits_enter", 1).Write()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bpf.ReadManifest(data); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, 64, len(data) / 2, len(data) - 1} {
		if _, err := bpf.ReadManifest(data[:n]); err == nil || !strings.Contains(err.Error(), "a truncated bundle") {
			t.Errorf("%d of %d bytes: %v", n, len(data), err)
		}
	}
	s := testbundle.Syscalls("limits", "limits_enter", 1)
	s.Hooks[0].Message = strings.Repeat("x", bpf.MaxManifestSize)
	big, err := s.Write()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bpf.ReadManifest(big); !errors.Is(err, bpf.ErrFormat) || !strings.Contains(err.Error(), "more than the 16777216") {
		t.Errorf("a manifest over the limit: %v", err)
	}
}

// The name limits are derived from the file names that are really made:
// the extensions polc build, polc sign and polrun serve use are bpf's.
func TestNameLimits(t *testing.T) {
	if bundle.SignatureExt != bpf.SignatureExt || dirsync.Suffix != bpf.BundleExt {
		t.Errorf("signature %q, serve's bundles %q: not bpf's %q and %q", bundle.SignatureExt, dirsync.Suffix, bpf.SignatureExt, bpf.BundleExt)
	}
	if bpf.MaxPolicyNameLen != 245 || bpf.MaxPinnedNameLen != 253 {
		t.Errorf("MaxPolicyNameLen %d, MaxPinnedNameLen %d", bpf.MaxPolicyNameLen, bpf.MaxPinnedNameLen)
	}
}
