package bpf

// CountersMap is a policy's own counters: a per-CPU array of one Counters
// (key 0, uint32), pinned with the policy's other maps
// (maps/polc_counters), that its programs add to as they run and polrun
// sums over CPUs (polrun list's NPOST, NENFORCE and NLOST, and the
// polrun_policy_* metrics). Programs add with atomic adds, so a program
// interrupting another on the same CPU loses no count. A bundle built
// before the counters existed has no such map; polrun then reports none.
//
//   - Posted: records the ring buffer took (bpf_ringbuf_output returned 0,
//     or a reservation was submitted); Tetragon's POLICY_POST.
//   - Enforced: enforcement actions carried out (Sigkill, Signal,
//     Override, NotifyEnforcer), one per action, counted where they run:
//     behind the mode gate, so never in monitor mode, nor in programs
//     built for test runs (which do not carry them out).
//   - Lost: records the policy could not post: the ring buffer was full
//     (these are in the shared DropsMap's count too) or a reserved record
//     was discarded.
const CountersMap = "polc_counters"

// Counters is the value of CountersMap, on one CPU.
type Counters struct {
	Posted   uint64
	Enforced uint64
	Lost     uint64
}

// CountersSize is the size of a Counters value.
const CountersSize = 24

// Offsets of Counters' fields, where programs add (TestLayoutOffsets).
const (
	CountersPostedOff   = 0
	CountersEnforcedOff = 8
	CountersLostOff     = 16
)

// Add adds c's counts to s: the loader sums the CPUs' values.
func (s *Counters) Add(c Counters) {
	s.Posted += c.Posted
	s.Enforced += c.Enforced
	s.Lost += c.Lost
}
