package bpf

// The process table (map ProcsMap) holds one Proc per live process (thread
// group), keyed by its tgid (uint32). The base programs maintain it: exec
// fills it, fork copies the parent's entry, exit deletes it; polrun seeds it
// from /proc when it loads the base, marking those entries ProcFromProcfs.
// Policy programs read it for matchBinaries, followForks and the *Changes
// filters; polrun reads it to enrich events.

// BinaryMax is the room for the executable's path, NUL included.
const BinaryMax = 256

// NumNamespaces is the number of namespace kinds recorded, indexed as
// ir.Namespace: Uts, Ipc, Mnt, Pid, PidForChildren, Net, Time,
// TimeForChildren, Cgroup, User.
const NumNamespaces = 10

// Proc flags.
const (
	ProcFromProcfs = 1 << 0 // seeded from /proc, not seen exec'ing
	ProcTruncated  = 1 << 1 // Binary was longer than BinaryMax-1
	ProcExeced     = 1 << 2 // the process exec'd since polrun started
)

// Proc is the value of the process table.
//
//	offset size field
//	0      4    Tgid
//	4      4    Ppid        parent's tgid
//	8      8    StartKtime  bpf_ktime_get_boot_ns() at fork (or task start time for seeded entries)
//	16     4    Flags
//	20     4    UID         real uid at exec
//	24     40   Ns          namespace inodes at exec
//	64     24   Caps        capability sets at exec: permitted, effective, inheritable
//	88     4    BinaryLen   bytes of Binary before its NUL
//	92     4    _
//	96     256  Binary      absolute path of the executable, NUL-terminated
type Proc struct {
	Tgid       uint32
	Ppid       uint32
	StartKtime uint64
	Flags      uint32
	UID        uint32
	Ns         [NumNamespaces]uint32
	Caps       [3]uint64
	BinaryLen  uint32
	_          uint32
	Binary     [BinaryMax]byte
}

// ProcSize is the size of Proc in the map.
const ProcSize = 352

// Offsets of Proc's fields, in the map and in a ProcEvent.
const (
	ProcTgidOff      = 0  // Tgid
	ProcPpidOff      = 4  // Ppid
	ProcStartOff     = 8  // StartKtime
	ProcFlagsOff     = 16 // Flags
	ProcUIDOff       = 20 // UID
	ProcNsOff        = 24 // Ns, 4 bytes each
	ProcCapsOff      = 64 // Caps, 8 bytes each
	ProcBinaryLenOff = 88 // BinaryLen
	ProcBinaryOff    = 96 // Binary
)

// Capability set indexes of Proc.Caps.
const (
	CapPermitted   = 0
	CapEffective   = 1
	CapInheritable = 2
)

// ProcEvent follows the Header of EventExec, EventFork and EventExit
// records: the process's table entry after the event (for EventExit, before
// its removal), and for EventExit the exit code.
//
// In these records the Header's Tgid and Pid are those of the process the
// event is about (for EventFork: the child), and ExitCode is the kernel's
// exit_code of the task, a wait(2) status (exit status << 8, or the
// number of the signal that killed it). An EventExit is posted when the
// last thread of a process exits, also for processes the table did not
// know (their Proc then has only Tgid set).
type ProcEvent struct {
	Proc     Proc
	ExitCode int32
	_        uint32
}

// ProcEventSize is the size of ProcEvent in a record.
const ProcEventSize = ProcSize + 8

// ProcEventExitCodeOff is the offset of ProcEvent.ExitCode.
const ProcEventExitCodeOff = ProcSize

// ExecData follows the ProcEvent of EventExec records: what the kernel
// held at exec, read by the exec program so that a process that exits at
// once is still reported whole.
//
//	offset size field
//	0      16   Cwd   BytesHeader: Len bytes of the working directory
//	16     16   Args  BytesHeader: Len bytes of the argument area
//	32     Cwd.Len bytes of the working directory (no NUL), then Args.Len
//	       bytes of the argument area
//
// The argument area is the new program's mm->arg_start..arg_end: argv as
// NUL-terminated strings, argv[0] first. Args.Total is the area's full
// size; at most ArgsMax bytes are kept, BytesTruncated set when it was
// longer (the last string kept is then cut). The working directory is
// walked like the executable's path, at most CwdMax bytes
// (BytesTruncated when longer). BytesFault in either says it could not be
// read. The record's Header.Size covers the bytes present; a base older
// than ExecData posts exec records without it.
type ExecData struct {
	Cwd  BytesHeader
	Args BytesHeader
}

// ExecDataSize is the size of ExecData in a record, before the strings.
const ExecDataSize = 2 * BytesHeaderSize

// Offsets of ExecData's fields from its start.
const (
	ExecCwdOff  = 0               // Cwd
	ExecArgsOff = BytesHeaderSize // Args
)

// Room for the strings of ExecData.
const (
	ArgsMax = 4096 // a power of two: the exec program bounds lengths with it
	CwdMax  = 4096 // PATH_MAX
)
