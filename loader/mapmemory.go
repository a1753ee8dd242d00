package loader

import (
	"errors"
	"fmt"
	"sort"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// DefaultMaxMapMemory is Options.MaxMapMemory when it is 0: room for
// several of the largest bundles polc builds (bpf.MaxBundleMapBytes each,
// per-CPU maps counted once there and once per CPU here).
const DefaultMaxMapMemory = 512 << 20

// ErrMapMemory: the bundles' maps would take more memory than allowed.
var ErrMapMemory = errors.New("maps too large")

// checkMapMemory refuses, before any map is created, bundles whose own
// maps (not the base's shared ones) would take more than max bytes
// together, naming the largest map. polc never builds such a bundle; one
// from elsewhere could ask the kernel for gigabytes.
func checkMapMemory(bundles []*Bundle, max uint64) error {
	cpus, err := ebpf.PossibleCPU()
	if err != nil {
		cpus = 1
	}
	type sized struct {
		policy, name string
		bytes        uint64
	}
	var all []sized
	var total uint64
	for _, b := range bundles {
		for name, m := range b.Spec.Maps {
			if bpf.IsSharedMap(name) {
				continue
			}
			n := bpf.MapBytes(m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags, cpus)
			all = append(all, sized{b.Name(), name, n})
			total += n
		}
	}
	if total <= max {
		return nil
	}
	sort.Slice(all, func(i, j int) bool { return all[i].bytes > all[j].bytes })
	big := all[0]
	return fmt.Errorf("%w: the maps of %d bundle(s) would take %d bytes, more than the %d allowed (--max-map-memory); the largest is map %s of policy %s, %d bytes",
		ErrMapMemory, len(bundles), total, max, big.name, big.policy, big.bytes)
}
