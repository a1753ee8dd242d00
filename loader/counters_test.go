package loader

import (
	"errors"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// TestCheckCountersMap: a bundle may lack the counters map (built before
// it); one it declares must have the contract's layout.
func TestCheckCountersMap(t *testing.T) {
	for _, tc := range []struct {
		name string
		ms   *ebpf.MapSpec
		ok   bool
	}{
		{"none", nil, true},
		{"good", &ebpf.MapSpec{Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: bpf.CountersSize, MaxEntries: 1}, true},
		{"shared", &ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: bpf.CountersSize, MaxEntries: 1}, false},
		{"short", &ebpf.MapSpec{Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 16, MaxEntries: 1}, false},
		{"entries", &ebpf.MapSpec{Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: bpf.CountersSize, MaxEntries: 2}, false},
	} {
		spec := &ebpf.CollectionSpec{Maps: map[string]*ebpf.MapSpec{}}
		if tc.ms != nil {
			tc.ms.Name = bpf.CountersMap
			spec.Maps[bpf.CountersMap] = tc.ms
		}
		err := checkCountersMap(spec, 0)
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, ErrBadBundle) {
			t.Errorf("%s: %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
