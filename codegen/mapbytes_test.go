package codegen

import (
	"testing"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
)

// The maps a bundle declares are bounded by bpf.MaxBundleMapBytes; the
// base's shared maps do not count.
func TestBundleMapBytes(t *testing.T) {
	maps := []*object.Map{
		{Name: bpf.EventsMap, Type: ebpf.RingBuf, MaxEntries: bpf.EventsRingBytes},
		{Name: "set", Type: ebpf.Hash, KeySize: 8, ValueSize: 1, MaxEntries: 65536},
		{Name: "scratch", Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 408, MaxEntries: 1},
		// Allocated on use: only its buckets count.
		{Name: "ret", Type: ebpf.Hash, KeySize: 8, ValueSize: 4096, MaxEntries: 32768, Flags: bpfNoPrealloc},
	}
	got, big, _ := bundleMapBytes(maps)
	if want := uint64(65536*16 + 65536*(48+8+8) + 408 + 32768*16); got != want || big != "set" {
		t.Errorf("%d bytes, largest %s, want %d, set", got, big, want)
	}
	if n, _, _ := bundleMapBytes(maps); n > bpf.MaxBundleMapBytes {
		t.Errorf("a set of 65536 values takes %d bytes, more than the bound", n)
	}
}
