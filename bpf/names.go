package bpf

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Shared maps. Every bundle declares them with pinning by name, so that all
// policies on a host share one ring buffer and one process table: the loader
// loads bundles with the base pin directory as their map pin path.
const (
	EventsMap = "polc_events" // ring buffer of records
	ProcsMap  = "polc_procs"  // hash: tgid (uint32) -> Proc
)

// DropsMap counts the records programs could not post because the ring
// buffer was full: a per-CPU array of one uint64 (key 0, uint32), which a
// program increments when bpf_ringbuf_output or bpf_ringbuf_reserve fails.
// Like the other shared maps it is declared with pinning by name, by the
// base and by every bundle that posts records, and polrun reports the sum
// over CPUs, so that lost events are never silent. Optional for now: a
// base without it is loaded, and then a bundle that declares it is
// refused (the base must be reloaded first).
const DropsMap = "polc_drops"

// ProcsGenMap is the process table's generation: an array of one uint64
// (key 0, uint32) that the base's programs add 1 to after every change
// they make to ProcsMap (exec, fork, exit). Policy programs keep, per CPU,
// the verdict of their process filters for the last process they saw
// with the generation it was computed at, and use it while the generation
// is unchanged, so that a rejected event needs no table lookup. Shared and
// optional like DropsMap: a base without it is loaded, and then a bundle
// that declares it is refused (the base must be reloaded first). Nothing
// but the base may change ProcsMap once the base is loaded.
const ProcsGenMap = "polc_procs_gen"

// ProcGensMap holds the processes' own generations: an array of
// ProcGenBuckets uint64s, where the base's programs add 1 to entry
// tgid % ProcGenBuckets after every change they make to the tgid's entry
// in ProcsMap (as well as to ProcsGenMap). A cached verdict that depends
// only on a process's own entry (and its parent's) checks these instead of
// ProcsGenMap, so that process churn elsewhere on the host leaves it valid
// (codegen/verdicts.go). Processes whose tgids share a bucket invalidate
// each other's verdicts: harmless, and rare. Shared and optional like
// ProcsGenMap.
const ProcGensMap = "polc_proc_gens"

// ProcGenBuckets is the number of entries of ProcGensMap, a power of two.
const ProcGenBuckets = 1024

// LoopBoundsMap counts the walks of a bundle's Fallback programs (see
// Program.Fallback) that stopped at their bound (Manifest.LoopBounds)
// before their end: a per-CPU array of one uint64 (key 0, uint32), the
// bundle's own. Bundles without fallback programs do not declare it.
const LoopBoundsMap = "polc_loop_bounds"

// IsSharedMap says whether name is one of the base's maps, which every
// bundle declares and the loader replaces by the pinned ones.
func IsSharedMap(name string) bool {
	return name == EventsMap || name == ProcsMap || name == DropsMap || name == ProcsGenMap || name == ProcGensMap ||
		name == CmdArgsMap
}

// Sizes of the shared maps. A bundle must declare them exactly so, or
// loading it against the pinned maps fails.
const (
	EventsRingBytes = 8 << 20 // must be a power of two and a multiple of the page size
	ProcsMaxEntries = 131072
)

// Load-time variables (.rodata) the loader sets before loading a bundle.
const (
	// VarPolicyID is the uint32 id polrun assigns the policy; records carry it.
	VarPolicyID = "polc_policy_id"
	// VarHostNSPrefix + lower-case namespace kind ("polc_host_ns_pid") is the
	// uint32 inode of the host's namespace of that kind, for host_ns values.
	VarHostNSPrefix = "polc_host_ns_"
	// VarUprobeJumpPrefix + a hook's ID ("polc_uprobe_jump_3") is the
	// int64 distance, in the hook's binary, from the probed instruction
	// to the code its Override jumps to (Hook.Jump): the loader reads it
	// from the binary it attaches to.
	VarUprobeJumpPrefix = "polc_uprobe_jump_"
	// VarUserResolvePrefix starts the uint32 variables of a uprobe
	// argument's member path (Hook.UserResolves), read through the types of
	// the hook's btfPath, which the loader reads on the host: see
	// UserResolveVar.
	VarUserResolvePrefix = "polc_uresolve_"
)

// UserResolveVar names a load-time variable of step seg of the member
// path of argument slot of hook: field is "off" (bytes added to the
// address so far) or "load" (bytes then read there: 8 to follow a
// pointer, 1 to 8 for the last member's value, 0 for none).
func UserResolveVar(hook, slot, seg int, field string) string {
	return fmt.Sprintf("%s%d_%d_%d_%s", VarUserResolvePrefix, hook, slot, seg, field)
}

// Waking polrun's reader. A program that posts an event wakes the reader
// (BPF_RB_FORCE_WAKEUP) only once the ring's size >> WakeupShift or more
// waits in it (256 KiB of the default 8 MiB), and posts with
// BPF_RB_NO_WAKEUP below that: a wakeup (the kernel's irq_work, then the
// reader's scheduling) costs several times the rest of an emitted event
// (docs/BENCHMARKS.md). The reader reads what waits at least every
// ReaderPoll, so an event waits at most that long.
const (
	WakeupShift        = 5
	RingbufNoWakeup    = 1 // BPF_RB_NO_WAKEUP
	RingbufForceWakeup = 2 // BPF_RB_FORCE_WAKEUP
	RingbufAvailData   = 0 // BPF_RB_AVAIL_DATA, for bpf_ringbuf_query
	RingbufRingSize    = 1 // BPF_RB_RING_SIZE, for bpf_ringbuf_query

	ReaderPoll = 100 * time.Millisecond
)

// Pin layout under bpffs (DefaultPinRoot by default).
const (
	// DefaultPinRoot is polrun's directory in bpffs.
	DefaultPinRoot = "/sys/fs/bpf/polrun"
	// BaseDir holds the shared maps (by name) and, under links/, the base
	// programs' links.
	BaseDir = "base"
	// PoliciesDir holds one directory per loaded policy, named as the
	// policy, with links/ (one pinned link per attached program, named as
	// the program) and maps/ (the policy's own maps, named as the map).
	PoliciesDir = "policies"
	LinksDir    = "links"
	MapsDir     = "maps"
	// ManifestMap is the array map, pinned in a policy's maps/, that holds
	// the policy's manifest so that any polrun process can decode its
	// events: key 0, value the manifest JSON, NUL-padded; key 1, the
	// loader's own state of the policy (its id and load time), JSON,
	// NUL-padded.
	ManifestMap = "polc_manifest"
)

// PinName turns a policy, program or map name into a bpffs file name:
// bpffs refuses dots in names, so every '.' becomes '_' (policy "a.b" is
// pinned as policies/a_b, map ".rodata" as maps/_rodata). Two policies whose
// names differ only there cannot be loaded together.
func PinName(name string) string {
	return strings.ReplaceAll(name, ".", "_")
}

// BasePinDir returns root/base.
func BasePinDir(root string) string { return filepath.Join(root, BaseDir) }

// PolicyPinDir returns root/policies/PinName(name).
func PolicyPinDir(root, name string) string { return filepath.Join(root, PoliciesDir, PinName(name)) }
