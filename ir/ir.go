package ir

import (
	"fmt"
	"strconv"
)

// Pos is where an IR node came from in the policy YAML: 1-based line and
// column. Every node carries one, so that a verifier rejection or an event
// can be traced back to the line that asked for it.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Policy is one lowered TracingPolicy: every hook after list expansion, with
// its argument fetches, selectors as lists of typed tests, actions, and the
// maps the policy needs. It holds nothing of YAML but positions.
type Policy struct {
	Name      string
	Namespace string // TracingPolicyNamespaced only
	Arch      string // target architecture the syscall symbols were resolved for
	Hooks     []*Hook
	Maps      []*Map // policy maps: large value sets and action state
	// Enforcers are the calls where NotifyEnforcer actions take effect:
	// one per call after list expansion (spec.enforcers).
	Enforcers []*Enforcer
	// Loader: report executable mappings of running processes (spec.loader,
	// Tetragon's loader sensor).
	Loader bool
	// Mode is the policy's default mode (spec.options policy-mode): in
	// ModeMonitor its enforcement actions (ActionKind.Enforces) are not
	// carried out, and its events still report them.
	Mode Mode
	// NoKprobeMulti: spec.options disable-kprobe-multi. The policy's
	// kprobes are attached one link each, never together with one
	// kprobe_multi link (codegen emits no kprobe.multi program).
	NoKprobeMulti bool
	// NodeSelector is spec.nodeSelector (nil: every node): the policy is
	// loaded only on the nodes whose labels it selects.
	NodeSelector *LabelSelector
	// PodSelectors are the fields that restrict the policy to pods or
	// containers (podSelector, containerSelector), which need Kubernetes
	// pod metadata to apply: the loader refuses such a policy.
	PodSelectors []string
	Pos          Pos
}

// LabelSelector is a Kubernetes label selector (matchLabels and
// matchExpressions, ANDed).
type LabelSelector struct {
	MatchLabels      map[string]string
	MatchExpressions []LabelRequirement
}

// LabelRequirement is one matchExpressions entry (In, NotIn, Exists,
// DoesNotExist).
type LabelRequirement struct {
	Key, Operator string
	Values        []string
}

// Mode is a policy's mode, Tetragon's policy-mode option.
type Mode uint8

const (
	ModeEnforce Mode = iota // enforcement actions are carried out (the default)
	ModeMonitor             // enforcement actions are only reported
)

func (m Mode) String() string {
	if m == ModeMonitor {
		return "monitor"
	}
	return "enforce"
}

// HasEnforcement says whether some action of p enforces (at entry or at
// return): only such a policy has a mode to switch; one without is
// "monitor only", as Tetragon calls it.
func (p *Policy) HasEnforcement() bool {
	for _, h := range p.Hooks {
		for _, s := range h.Selectors {
			for _, a := range s.Actions {
				if a.Kind.Enforces() {
					return true
				}
			}
			for _, a := range s.ReturnActions {
				if a.Kind.Enforces() {
					return true
				}
			}
		}
	}
	return false
}

// Enforcer is one call where an enforcer acts: a program there looks up
// what a NotifyEnforcer action recorded for the current thread (MapEnforcer)
// and makes the call fail with that error, or sends that signal.
type Enforcer struct {
	// Target is the kernel symbol, resolved like a kprobe's (syscalls for
	// Policy.Arch); Call is what the policy wrote, List the list it came
	// from ("" if none).
	Target  string
	Call    string
	List    string
	Syscall bool
	ABI     string // the syscall ABI of a Syscall target: x64, i386, arm64
	Pos     Pos
}

// HookKind is how a hook attaches.
type HookKind uint8

const (
	HookKprobe        HookKind = iota + 1 // kprobe (and kretprobe when Hook.Return)
	HookTracepoint                        // tracepoint SUBSYS/EVENT
	HookRawTracepoint                     // raw tracepoint (spec: raw: true)
	HookUprobe                            // uprobe (and uretprobe when Hook.Return) on Path:Symbol
	HookLSM                               // BPF LSM hook
	HookUSDT                              // USDT probe Path:Provider:Name
)

var hookKindNames = map[HookKind]string{
	HookKprobe: "kprobe", HookTracepoint: "tracepoint", HookRawTracepoint: "raw_tracepoint",
	HookUprobe: "uprobe", HookLSM: "lsm", HookUSDT: "usdt",
}

func (k HookKind) String() string {
	if s, ok := hookKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("hookkind(%d)", k)
}

// Hook is one attachment point and everything that happens there.
type Hook struct {
	ID   int // index in Policy.Hooks; events carry it
	Kind HookKind
	// Target is the kernel symbol (syscalls resolved for Policy.Arch, e.g.
	// __x64_sys_write), "SUBSYS/EVENT" for tracepoints, the LSM hook name,
	// or the binary path of a uprobe or USDT.
	Target string
	// Symbol is the uprobe symbol, or "PROVIDER:NAME" of a USDT probe.
	Symbol string
	// Call is what the policy wrote before resolution (sys_write, list:dups),
	// for messages and events. After list expansion it is the list's entry
	// (sys_dup) and List names the list.
	Call string
	List string
	// ABI is the syscall ABI whose calls a Syscall hook sees, which decides
	// where its arguments are (arch.ABI.SyscallArgs): x64, i386, arm64.
	ABI string
	// Offset is added to Symbol's address for a uprobe (the file offset
	// when Symbol is empty); RefCtrOffset is the USDT-style semaphore
	// offset of a uprobe, 0 if none. BTFPath is the BTF of the probed
	// binary, for resolve on uprobe arguments.
	Offset       uint64
	RefCtrOffset uint64
	// Addr is a uprobe's virtual address in the binary (spec.uprobes
	// addrs), when it has no Symbol and no Offset: the loader attaches at
	// the file offset the binary's segments map it to.
	Addr    uint64
	BTFPath string
	// Syscall: arguments are read with the syscall ABI (through the pt_regs
	// the syscall wrapper receives).
	Syscall bool
	// Return: a return probe runs too, to read the return value (Ret), to
	// copy returnCopy buffers and to test matchReturnArgs.
	Return bool
	// IgnoreMissing: a missing target is not an error (ignore.callNotFound).
	IgnoreMissing bool
	// BinaryDigests: a uprobe attaches only to a binary whose digest is
	// one of these ("sha256:HEX", "build-id:HEX", ...: bpf.Digest*);
	// IgnoreDigestMismatch: a binary that matches none skips the hook
	// instead of failing the load (ignore.digestVerificationFailure).
	BinaryDigests        []string
	IgnoreDigestMismatch bool
	// Fentry: a kprobe hook of spec.fentries, attached with an fentry
	// program (and fexit for Return) instead of a kprobe: its context is
	// the function's arguments as BTF gives them, not registers.
	Fentry bool
	Args   []*Arg // in event order; Arg.Slot is the position
	Ret    *Arg   // the return value, when Return and the policy declared it; its Slot is -1
	// RetAction is TrackSock or UntrackSock on the returned sock, or 0.
	RetAction ActionKind
	Selectors []*Selector // ORed in order: the first that matches wins
	Message   string
	Tags      []string
	Pos       Pos
}

// Arg is one argument fetch: where to read it, how, and where it goes in
// the event record.
type Arg struct {
	Slot int // position in the event's argument list
	// Index is the source: the function argument number (kprobe, uprobe,
	// LSM, raw tracepoint), or the field number of a tracepoint's format.
	Index int
	Type  ArgType
	Label string
	// SizeSlot is the slot of the argument holding this buffer's length, or
	// SizeFromReturn when the return value is the length (returnCopy), or
	// NoSize. A ReturnCopy buffer is read at return with the return value
	// as its length; a SizeSlot argument, when there is one, caps it.
	SizeSlot int
	// SizeRaw, when not 0, is the 1-based number of the hook's raw
	// argument (sizeArgIndex as written: 1 is argument index 0) whose
	// value is this buffer's length, read as a 64-bit word whatever the
	// policy declares there (Tetragon's e->a0..a4): for a sizeArgIndex
	// naming an argument not declared, or declared as something other than
	// an integer (then the length is that argument's raw register, a
	// pointer for a char_buf). SizeSlot is NoSize then. Not for tracepoints
	// read from their format, whose fields have no raw value.
	SizeRaw    int
	ReturnCopy bool // read when the function returns
	MaxData    bool // read up to MaxDataBytes instead of DefaultDataBytes
	// Elems is how many int32 an int32_arr argument reads through its
	// pointer (the policy's size; 0 when it has none, as in Tetragon);
	// the program keeps at most MaxInt32Elems of them. 0 for other types.
	Elems int
	// Resolve is the member path (resolve: "mm.owner.comm", split on dots)
	// followed from the argument; BTFType the type it is cast to first.
	Resolve []string
	BTFType string
	// Source is where a data entry (the hook's data:, reported apart
	// from the arguments, after them in slot order) is read from;
	// SourceArg for an argument. A SourceCurrentTask entry follows
	// Resolve from the current task_struct; a SourcePtRegs entry reads
	// register Reg of the probed context. Index is not read for them.
	Source ArgSource
	Reg    *Reg
	Pos    Pos
}

// ArgSource is where an Arg is read from.
type ArgSource uint8

const (
	SourceArg         ArgSource = iota // the hook's argument Index
	SourceCurrentTask                  // the current task_struct, through Resolve
	SourcePtRegs                       // a register of the context's struct pt_regs
)

var argSourceNames = map[ArgSource]string{SourceArg: "arg", SourceCurrentTask: "current_task", SourcePtRegs: "pt_regs"}

func (s ArgSource) String() string {
	if n, ok := argSourceNames[s]; ok {
		return n
	}
	return fmt.Sprintf("source(%d)", s)
}

// Data reports whether a is a data entry rather than an argument.
func (a *Arg) Data() bool { return a.Source != SourceArg }

// Reg is a register a SourcePtRegs entry reads: its name in the policy,
// its byte offset in struct pt_regs, and how many low bytes are read
// (sign-extended to 64 bits, as Tetragon does).
type Reg struct {
	Name   string
	Offset int
	Size   int
}

// MaxSizeRaw is the largest Arg.SizeRaw: Tetragon keeps the first five
// raw arguments (e->a0..a4) for buffer lengths.
const MaxSizeRaw = 5

// Special values of Arg.SizeSlot.
const (
	NoSize         = -1
	SizeFromReturn = -2
)

// Limits of int32_arr arguments: the most values read (Tetragon's
// MAX_FILTER_INT_ARGS) and the largest size a policy may give (Tetragon
// packs it into 16 bits of the argument's meta value).
const (
	MaxInt32Elems = 8
	MaxInt32Size  = 0xffff
)

// Limits of matchCmdArgs, as in Tetragon: the arguments are cached at
// exec, their first CmdArgsMax bytes after argv[0], and a test walks at
// most CmdArgsIndexMax of them to find its index (bpf.CmdArgsMax and
// bpf.CmdArgsIndexMax hold the same numbers for the programs).
const (
	CmdArgsMax      = 256
	CmdArgsIndexMax = 32
)

// Buffer read limits (bytes) for char_buf, char_iovec and iov_iter.
const (
	DefaultDataBytes = 4096
	MaxDataBytes     = 327360
)

// Selector is one alternative of a hook: all its tests must pass.
type Selector struct {
	Index         int     // position among the hook's selectors
	Tests         []*Test // ANDed, tested on entry
	Actions       []*Action
	ReturnTests   []*Test // matchReturnArgs, tested when the function returns
	ReturnActions []*Action
	Pos           Pos
}

// TestKind is what a test looks at.
type TestKind uint8

const (
	TestArg          TestKind = iota + 1 // an argument (Slot)
	TestReturn                           // the return value
	TestPID                              // the process ID (matchPIDs)
	TestBinary                           // the executable's path (matchBinaries)
	TestNamespace                        // a namespace inode (matchNamespaces)
	TestCaps                             // a capability set (matchCapabilities)
	TestNSChange                         // namespaces changed since exec (matchNamespaceChanges)
	TestCapChange                        // capabilities changed since exec (matchCapabilityChanges)
	TestParentBinary                     // the parent's executable path (matchParentBinaries)
	TestCmdArg                           // one of the process's command-line arguments (matchCmdArgs)
)

var testKindNames = map[TestKind]string{
	TestArg: "arg", TestReturn: "return", TestPID: "pid", TestBinary: "binary",
	TestNamespace: "namespace", TestCaps: "caps", TestNSChange: "ns-change", TestCapChange: "cap-change",
	TestParentBinary: "parent-binary", TestCmdArg: "cmdarg",
}

func (k TestKind) String() string {
	if s, ok := testKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("testkind(%d)", k)
}

// Test is one filter of a selector. Values are normalized: parsed, sorted
// and without duplicates. For a negated operator (NotEqual, NotIn, ...) the
// test passes when no value matches; otherwise when any value matches.
type Test struct {
	Kind   TestKind
	Op     Op
	Slot   int     // TestArg: the argument; CapabilitiesGained: the new set
	Slot2  int     // CapabilitiesGained: the old set
	Type   ArgType // type of the tested value (TestArg, TestReturn)
	Values []Value
	// Map, when set, holds some of the values (all of one kind) in a BPF
	// map instead of compares; Values holds the rest (ranges, the other
	// address family). The test's value set is the union of both.
	Map *Map
	// Cel is a CelExpr test's expression, checked, with the slots its
	// arguments read (Values holds its source).
	Cel *CelExpr

	// matchPIDs
	FollowForks  bool // the PID or any ancestor matches
	NamespacePID bool // compare the PID as seen in the process's PID namespace
	// matchBinaries: the binary or the binary of any ancestor matches;
	// matchParentBinaries: the parent's binary or that of any of its
	// ancestors matches.
	FollowChildren bool
	// matchCmdArgs: the argument's index, 0 for the first after argv[0]
	// (below CmdArgsIndexMax).
	CmdArg int
	// matchNamespaces: the kind; Values hold inodes, and HostNS says host_ns
	// is among them (resolved on the host at load time).
	Namespace Namespace
	HostNS    bool
	// matchCapabilities, matchCapabilityChanges
	CapSet       CapSet
	NamespaceCap bool // only when the process is not in the host user namespace
	// matchNamespaceChanges, matchCapabilityChanges: a bit mask of
	// namespaces (1<<Namespace) or capabilities (1<<CAP_*).
	Mask uint64

	Pos Pos
}

// ActionKind is what an action does.
type ActionKind uint8

const (
	ActPost ActionKind = iota + 1
	ActNoPost
	ActSigkill
	ActSignal
	ActOverride
	ActFollowFD
	ActUnfollowFD
	ActCopyFD
	ActGetURL
	ActDNSLookup
	ActTrackSock
	ActUntrackSock
	ActNotifyEnforcer
	ActSet
	ActCleanupEnforcer // CleanupEnforcerNotification: forget a pending NotifyEnforcer
)

var actionNames = map[ActionKind]string{
	ActPost: "Post", ActNoPost: "NoPost", ActSigkill: "Sigkill", ActSignal: "Signal",
	ActOverride: "Override", ActFollowFD: "FollowFD", ActUnfollowFD: "UnfollowFD", ActCopyFD: "CopyFD",
	ActGetURL: "GetUrl", ActDNSLookup: "DnsLookup", ActTrackSock: "TrackSock", ActUntrackSock: "UntrackSock",
	ActNotifyEnforcer: "NotifyEnforcer", ActSet: "Set", ActCleanupEnforcer: "CleanupEnforcerNotification",
}

func (k ActionKind) String() string {
	if s, ok := actionNames[k]; ok {
		return s
	}
	return fmt.Sprintf("action(%d)", k)
}

// Enforces says whether the action enforces: a policy in monitor mode
// skips it (Tetragon's list: the signals, Override and NotifyEnforcer).
// The other actions, Set included, run in every mode, as in Tetragon.
func (k ActionKind) Enforces() bool {
	switch k {
	case ActSigkill, ActSignal, ActOverride, ActNotifyEnforcer:
		return true
	}
	return false
}

// ParseAction accepts an action name in any case, as Tetragon does.
func ParseAction(s string) (ActionKind, bool) {
	for k, n := range actionNames {
		if equalFoldASCII(n, s) {
			return k, true
		}
	}
	return 0, false
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// RateLimitScope is what a Post rate limit counts.
type RateLimitScope uint8

const (
	ScopeThread RateLimitScope = iota
	ScopeProcess
	ScopeGlobal
)

// Action is one entry of matchActions or matchReturnActions.
type Action struct {
	Kind     ActionKind
	FdSlot   int    // FollowFD, UnfollowFD, CopyFD: the fd argument
	NameSlot int    // FollowFD, CopyFD: the name (or new fd) argument
	SockSlot int    // TrackSock, UntrackSock
	Error    int32  // Override, NotifyEnforcer
	Signal   int    // Signal (Sigkill is Signal 9), NotifyEnforcer
	URL      string // GetUrl
	FQDN     string // DnsLookup
	// Post
	RateLimitMs    uint32
	RateLimitScope RateLimitScope
	KernelStack    bool
	UserStack      bool
	ImaHash        bool
	// Set (USDT): the slot of the argument to write, and the value.
	SetIndex int
	SetValue int64
	// Regs: Override on a uprobe writes these registers of the user
	// task, in order (each reads the registers as the ones before left
	// them). argError stands for the assignments that return it at once
	// (arch.OverrideReturn).
	Regs []RegAssign
	// Jump: Override on a uprobe makes the call run other code of the
	// binary instead (argNewSymbol, argNewAddr, argNewOffset): the
	// program adds to the task's instruction pointer the distance the
	// loader reads from the binary. Regs is then empty.
	Jump *UprobeJump
	Pos  Pos
}

// UprobeJump is where Override on a uprobe sends the call: one of a
// symbol of the binary, a virtual address in it, or a file offset in it.
type UprobeJump struct {
	Symbol       string
	Addr, Offset uint64
}

// String is the jump as dumps show it.
func (j UprobeJump) String() string {
	switch {
	case j.Symbol != "":
		return "symbol:" + strconv.Quote(j.Symbol)
	case j.Addr != 0:
		return fmt.Sprintf("addr:%#x", j.Addr)
	}
	return fmt.Sprintf("offset:%#x", j.Offset)
}

// RegAssignKind is the form of a register assignment's value.
type RegAssignKind uint8

const (
	RegConst  RegAssignKind = iota + 1 // Dst = Off
	RegCopy                            // Dst = Src
	RegAddOff                          // Dst = Src + Off
	RegLoad                            // Dst = *(u64 *)(Src + Off) in user memory; kept when unreadable
)

// RegAssign is one register assignment of Override on a uprobe. Registers
// are byte offsets in the user task's struct pt_regs: Dst's low DstSize
// bytes are written (1, 2, 4 or 8), Src reads as its low SrcSize bytes,
// zero-extended.
type RegAssign struct {
	Kind         RegAssignKind
	Dst, DstSize int
	Src, SrcSize int
	Off          uint64
	Text         string // as the policy wrote it, for dumps
}

// MapKind is the kind of a policy map.
type MapKind uint8

const (
	MapIntSet       MapKind = iota + 1 // hash set of 64-bit values
	MapStringSet                       // hash set of strings (fixed-size, NUL-padded keys)
	MapPrefix4                         // LPM trie of IPv4 prefixes
	MapPrefix6                         // LPM trie of IPv6 prefixes
	MapStringPrefix                    // LPM trie of string prefixes
	MapFD                              // FollowFD state: (tgid, fd) -> path
	MapSock                            // TrackSock state: sock -> owning process
	MapRateLimit                       // Post rate limiting state
	MapRetProbe                        // per-thread state from entry to return probe
	MapEnforcer                        // NotifyEnforcer state: thread -> error and signal
	// MapCounters is the policy's counters of posted records, enforcement
	// actions and lost records (bpf.CountersMap). Every program that
	// posts has it and its size is fixed, so the lowering does not lay it
	// out: codegen declares it from its shape alone.
	MapCounters
	// MapFileID is a hash set of file identities (inode number and
	// device, bpf.FileIDKeySize bytes), which SameFile tests look the
	// argument's up in. Its Values are paths on the machine that loads
	// the policy: polrun fills the map with their identities there, at
	// load (bpf.Manifest.FileIDs).
	MapFileID
)

var mapKindNames = map[MapKind]string{
	MapIntSet: "int-set", MapStringSet: "string-set", MapPrefix4: "prefix4", MapPrefix6: "prefix6",
	MapStringPrefix: "string-prefix", MapFD: "fd", MapSock: "sock", MapRateLimit: "ratelimit", MapRetProbe: "retprobe",
	MapEnforcer: "enforcer", MapCounters: "counters", MapFileID: "file-id",
}

func (k MapKind) String() string {
	if s, ok := mapKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("mapkind(%d)", k)
}

// Map is a BPF map a policy needs. Sets are filled at load from Values;
// state maps start empty.
type Map struct {
	Name       string // unique in the policy, stable across builds
	Kind       MapKind
	KeySize    int // bytes, for string sets and string prefixes
	MaxEntries int
	Values     []Value // the contents of a set
	// ValueType is the argument type of an int set's values, which says
	// how they sort and print; TypeInvalid for PIDs and inodes.
	ValueType ArgType
	Pos       Pos
}
