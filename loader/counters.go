package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// The policy's counters (bpf.CountersMap): its programs count the records
// they posted and lost and the enforcement actions they carried out, per
// CPU; List sums them into PolicyStatus.Counters.

// checkCountersMap checks that a bundle declaring bpf.CountersMap declares
// it with the contract's layout (a bundle built before the counters has
// none).
func checkCountersMap(spec *ebpf.CollectionSpec, members int) error {
	ms := spec.Maps[bpf.CountersMap]
	if ms == nil {
		return nil
	}
	if ms.Type != ebpf.PerCPUArray || ms.KeySize != 4 || ms.ValueSize != bpf.CountersSize || ms.MaxEntries != uint32(max(members, 1)) {
		return fmt.Errorf("%w: %s is a %s of %d entries, key %d and value %d bytes; the contract is a per-CPU array of %d %d-byte values (one per member of a policy set)",
			ErrBadBundle, bpf.CountersMap, ms.Type, ms.MaxEntries, ms.KeySize, ms.ValueSize, max(members, 1), bpf.CountersSize)
	}
	return nil
}

// countersOf reads the counters of the loaded policy whose pins are in
// dir, summed over CPUs; nil without error when the bundle has none.
func countersOf(dir string) (*bpf.Counters, error) {
	return countersAt(filepath.Join(dir, bpf.MapsDir, bpf.CountersMap))
}

// countersAt reads the counters pinned at path (a policy's, or the
// base's), summed over CPUs; nil without error when there are none.
func countersAt(path string) (*bpf.Counters, error) {
	all, err := countersEntries(path, 1)
	if all == nil {
		return nil, err
	}
	return &all[0], err
}

// countersEntries reads the first n entries of the counters pinned at path
// (a policy set's members' have one each), each summed over CPUs; nil
// without error when there are none.
func countersEntries(path string, n int) ([]bpf.Counters, error) {
	mp, err := ebpf.LoadPinnedMap(path, &ebpf.LoadPinOptions{ReadOnly: true})
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", bpf.CountersMap, err)
	}
	defer mp.Close()
	if mp.Type() != ebpf.PerCPUArray || mp.ValueSize() != bpf.CountersSize {
		return nil, fmt.Errorf("%s is a %s with %d-byte values, not the per-CPU counters", bpf.CountersMap, mp.Type(), mp.ValueSize())
	}
	out := make([]bpf.Counters, n)
	for k := range out {
		var per []bpf.Counters
		if err := mp.Lookup(uint32(k), &per); err != nil {
			return nil, fmt.Errorf("read %s: %w", bpf.CountersMap, err)
		}
		for _, c := range per {
			out[k].Add(c)
		}
	}
	return out, nil
}
