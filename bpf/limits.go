package bpf

import "github.com/cilium/ebpf"

// Limits on names that become file names. A policy's name is a directory
// under the pin root (PolicyPinDir), part of the name of the loader's
// staging and trash directories next to it, and the bundle's file name
// NAME.bpf.o with its signature NAME.bpf.o.sig. polc validate refuses a
// name longer than MaxPolicyNameLen, polc build and polrun check the same
// constant, so that a name that validates can also be built, signed, pinned
// and replaced.

// NameMax is Linux's NAME_MAX: the longest name of one path component that
// any filesystem accepts, bpffs included (longer ones fail with
// ENAMETOOLONG).
const NameMax = 255

// K8sNameMax is the longest Kubernetes object name (a DNS subdomain,
// RFC 1123), which a TracingPolicy's metadata.name is.
const K8sNameMax = 253

// Directory names under the pin root that are not part of the pin layout:
// work in progress of a load, removed by whoever next holds the pin root's
// lock. A staging directory is StagingPrefix + PinName(policy) + "_" + a
// random suffix of at most StagingRandMax characters (os.MkdirTemp's: a
// uint32 in decimal); a trash directory is TrashPrefix + PinName(policy) +
// "_" + TrashRandLen hex digits. (bpffs refuses dots in names, so these
// cannot be hidden as dot files.)
const (
	StagingPrefix  = "staging_"
	StagingRandMax = 10
	TrashPrefix    = "trash_"
	TrashRandLen   = 12
)

// File name extensions of a bundle and of its signature (NAME.bpf.o,
// NAME.bpf.o.sig).
const (
	BundleExt    = ".bpf.o"
	SignatureExt = ".sig"
)

// MaxPolicyNameLen is the longest policy name polc and polrun accept: the
// Kubernetes limit, lowered so that the longest file name made of it fits
// in NameMax. Today that is the staging and trash directories' (19
// characters more than the name), which makes it 236.
const MaxPolicyNameLen = min(K8sNameMax, NameMax-max(
	len(StagingPrefix)+1+StagingRandMax,
	len(TrashPrefix)+1+TrashRandLen,
	len(BundleExt)+len(SignatureExt),
))

// MaxSelectorsPerHook is the most selectors a hook may have: a record's
// Header.Selector holds the matched selector's index + 1 in one byte.
const MaxSelectorsPerHook = 255

// MaxBundleMapBytes bounds the memory of the maps a bundle declares
// itself (not the base's shared ones), per-CPU maps counted for one CPU:
// polc refuses to build a bundle over it, and polrun's default
// --max-map-memory is a few times it.
const MaxBundleMapBytes = 64 << 20

// MapBytes estimates the kernel memory of a map as the kernel sizes it:
// values (and keys, for maps that store them) rounded up to 8 bytes, per
// possible CPU for per-CPU maps, plus the kernel's per-element header for
// hash maps and tries; a ring buffer is its size. It is an estimate to
// refuse absurd sizes with, not an account of every byte.
func MapBytes(typ ebpf.MapType, keySize, valueSize, maxEntries uint32, cpus int) uint64 {
	round := func(n uint32) uint64 { return (uint64(n) + 7) &^ 7 }
	n := uint64(maxEntries)
	c := uint64(max(cpus, 1))
	const elemHeader = 48 // struct htab_elem, struct lpm_trie_node: about
	switch typ {
	case ebpf.RingBuf, ebpf.UserRingbuf:
		return n
	case ebpf.Array, ebpf.ProgramArray, ebpf.PerfEventArray, ebpf.ArrayOfMaps, ebpf.CGroupArray:
		return n * round(valueSize)
	case ebpf.PerCPUArray:
		return n * round(valueSize) * c
	case ebpf.PerCPUHash, ebpf.LRUCPUHash:
		return n * (elemHeader + round(keySize) + round(valueSize)*c)
	default: // hash, LRU hash, LPM trie, hash of maps, queue, stack, ...
		return n * (elemHeader + round(keySize) + round(valueSize))
	}
}
