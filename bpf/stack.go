package bpf

import "encoding/binary"

// Stack traces (contract between codegen and the loader).
//
// A Post action with kernelStackTrace or userStackTrace records the stack
// of the event with bpf_get_stackid into the bundle's StackMap, a
// BPF_MAP_TYPE_STACK_TRACE of StackDepth return addresses per entry, and
// the ids in the record: a hook whose manifest has StackIDs ends its
// records with a StackIDs. polrun reads the addresses from the policy's
// pinned StackMap and names them: kernel addresses by /proc/kallsyms, user
// addresses by the process's mappings (/proc/PID/maps).
const (
	StackMap        = "polc_stacks"
	StackDepth      = 127 // PERF_MAX_STACK_DEPTH: return addresses per stack
	StackMaxEntries = 4096
	StackIDsSize    = 8
	// StackUser is bpf_get_stackid's BPF_F_USER_STACK.
	StackUser = 1 << 8
)

// StackIDs are the stacks of one event: ids in StackMap, or negative when
// the selector did not ask for that stack (StackNone) or the kernel could
// not record it (-errno: -EEXIST when the map's bucket held another stack,
// -EFAULT when the stack could not be walked).
type StackIDs struct {
	Kernel int32
	User   int32
}

// Offsets of StackIDs' fields from the start of the slot.
const (
	StackKernelOff = 0 // Kernel
	StackUserOff   = 4 // User
)

// StackNone: the stack was not asked for.
const StackNone = -1

// ParseStackIDs reads the StackIDs at the end of a record.
func ParseStackIDs(rec []byte) (StackIDs, bool) {
	if len(rec) < HeaderSize+StackIDsSize {
		return StackIDs{}, false
	}
	b := rec[len(rec)-StackIDsSize:]
	return StackIDs{Kernel: int32(binary.LittleEndian.Uint32(b)), User: int32(binary.LittleEndian.Uint32(b[4:]))}, true
}
