package bpf

import "github.com/cilium/ebpf"

// Limits on names that become file names. A policy's name is its directory
// under the pin root (PolicyPinDir: policies/PinName(NAME)) and the
// bundle's file name NAME.bpf.o with its signature NAME.bpf.o.sig. polc
// validate (and so build) refuses a name longer than MaxPolicyNameLen, and
// polrun one longer than MaxPinnedNameLen, so that a name that validates
// can also be built, signed and pinned. (The loader's work in progress, new_N,
// old_X and unload_N under the pin root, is not named after the policy;
// unload_N is a symbolic link to the pin name, and a link's target may be
// as long as a path.)

// NameMax is Linux's NAME_MAX: the longest name of one path component that
// any filesystem accepts, bpffs included (longer ones fail with
// ENAMETOOLONG).
const NameMax = 255

// K8sNameMax is the longest Kubernetes object name (a DNS subdomain,
// RFC 1123), which a TracingPolicy's metadata.name is.
const K8sNameMax = 253

// File name extensions of a bundle and of its signature (NAME.bpf.o,
// NAME.bpf.o.sig).
const (
	BundleExt    = ".bpf.o"
	SignatureExt = ".sig"
)

// MaxPinnedNameLen is the longest policy name polrun loads: the Kubernetes
// limit, within NameMax for its directory policies/NAME.
const MaxPinnedNameLen = min(K8sNameMax, NameMax)

// MaxPolicyNameLen is the longest policy name polc validates and builds:
// MaxPinnedNameLen, lowered so that the bundle's files are valid file
// names too. Today the longest is the signature's, NAME.bpf.o.sig, 10 more
// than the name, which makes it 245.
const MaxPolicyNameLen = min(MaxPinnedNameLen, NameMax-len(BundleExt)-len(SignatureExt))

// MaxSelectorsPerHook is the most selectors a hook may have: a record's
// Header.Selector holds the matched selector's index + 1 in one byte.
const MaxSelectorsPerHook = 255

// MaxBundleMapBytes bounds the memory of the maps a bundle declares
// itself (not the base's shared ones), per-CPU maps counted for one CPU:
// polc refuses to build a bundle over it, and polrun's default
// --max-map-memory is a few times it.
const MaxBundleMapBytes = 64 << 20

// MapBytes estimates the kernel memory a map takes when it is created, as
// the kernel sizes it: values (and keys, for maps that store them) rounded
// up to 8 bytes, per possible CPU for per-CPU maps, plus the kernel's
// per-element header for hash maps; a ring buffer is its size. A hash map
// with BPF_F_NO_PREALLOC (and an LPM trie, always) allocates elements as
// programs insert them: at creation it takes its bucket array only, which
// still grows with max_entries. It is an estimate to refuse absurd sizes
// with, not an account of every byte.
func MapBytes(typ ebpf.MapType, keySize, valueSize, maxEntries, flags uint32, cpus int) uint64 {
	const noPrealloc = 1 // BPF_F_NO_PREALLOC
	round := func(n uint32) uint64 { return (uint64(n) + 7) &^ 7 }
	n := uint64(maxEntries)
	c := uint64(max(cpus, 1))
	const elemHeader = 48 // struct htab_elem: about
	const bucket = 16     // struct bucket
	switch typ {
	case ebpf.RingBuf, ebpf.UserRingbuf:
		return n
	case ebpf.Array, ebpf.ProgramArray, ebpf.PerfEventArray, ebpf.ArrayOfMaps, ebpf.CGroupArray:
		return n * round(valueSize)
	case ebpf.PerCPUArray:
		return n * round(valueSize) * c
	case ebpf.LPMTrie:
		return 0
	case ebpf.Hash, ebpf.PerCPUHash, ebpf.HashOfMaps:
		buckets := uint64(1)
		for buckets < n {
			buckets <<= 1
		}
		if flags&noPrealloc != 0 {
			return buckets * bucket
		}
		if typ == ebpf.PerCPUHash {
			return buckets*bucket + n*(elemHeader+round(keySize)+round(valueSize)*c)
		}
		return buckets*bucket + n*(elemHeader+round(keySize)+round(valueSize))
	case ebpf.LRUCPUHash:
		return n * (elemHeader + round(keySize) + round(valueSize)*c)
	default: // LRU hash, queue, stack, ...
		return n * (elemHeader + round(keySize) + round(valueSize))
	}
}
