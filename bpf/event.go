package bpf

// EventVersion is the version of the record layouts below. The header
// carries it; a reader refuses records of another version.
const EventVersion = 1

// EventKind says what produced a record.
type EventKind uint8

const (
	EventPolicy EventKind = 1 // a policy hook matched (process_kprobe, _tracepoint, _uprobe, _lsm)
	EventExec   EventKind = 2 // base: a process executed a binary (sched_process_exec)
	EventFork   EventKind = 3 // base: a process was created (sched_process_fork)
	EventExit   EventKind = 4 // base: a process exited (sched_process_exit)
)

// Header flags.
const (
	FlagReturn    = 1 << 0 // posted from the return probe: Ret is valid
	FlagTruncated = 1 << 1 // an argument was cut to fit the record
	FlagSockOwner = 1 << 2 // Tgid/Pid were replaced by the owner of a tracked socket
)

// Header is the start of every ring buffer record. Size covers the header
// and everything after it. For EventPolicy records the arguments follow, in
// the order of the manifest's Hook.Args, each encoded as its Encoding says;
// base records are followed by a ProcEvent.
//
//	offset size field
//	0      1    Kind
//	1      1    Version
//	2      2    Flags
//	4      4    Size
//	8      8    Ktime     bpf_ktime_get_boot_ns() at the hook
//	16     4    PolicyID  polc_policy_id of the bundle (0 for base records)
//	20     2    HookID    index into Manifest.Hooks
//	22     1    Selector  index of the matched selector + 1; 0: the hook has no selectors
//	23     1    Action    the Action taken (the strongest of the selector's actions)
//	24     4    Tgid      process id (as the host sees it)
//	28     4    Pid       thread id
//	32     8    Ret       return value, when FlagReturn
type Header struct {
	Kind     EventKind
	Version  uint8
	Flags    uint16
	Size     uint32
	Ktime    uint64
	PolicyID uint32
	HookID   uint16
	Selector uint8
	Action   Action
	Tgid     uint32
	Pid      uint32
	Ret      int64
}

// HeaderSize is the size of Header in a record.
const HeaderSize = 40

// Offsets of Header's fields in a record: programs store the header
// through these (TestLayoutOffsets holds them to the struct).
const (
	HeaderKindOff     = 0  // Kind; Version is the next byte, Flags the next two
	HeaderVersionOff  = 1  // Version
	HeaderFlagsOff    = 2  // Flags
	HeaderSizeOff     = 4  // Size
	HeaderKtimeOff    = 8  // Ktime
	HeaderPolicyIDOff = 16 // PolicyID
	HeaderHookIDOff   = 20 // HookID
	HeaderSelectorOff = 22 // Selector
	HeaderActionOff   = 23 // Action
	HeaderTgidOff     = 24 // Tgid; Pid is the next word
	HeaderPidOff      = 28 // Pid
	HeaderRetOff      = 32 // Ret
)

// Action is what a policy did about an event, as reported in it. When a
// selector has several actions, the record carries the strongest (Strength): Sigkill,
// then Override, Signal, NotifyEnforcer, Set, the fd and socket actions, and
// last Post. The names are Tetragon's (KPROBE_ACTION_*).
type Action uint8

const (
	ActionPost           Action = 1
	ActionSigkill        Action = 2
	ActionSignal         Action = 3
	ActionOverride       Action = 4
	ActionFollowFD       Action = 5
	ActionUnfollowFD     Action = 6
	ActionCopyFD         Action = 7
	ActionGetURL         Action = 8
	ActionDNSLookup      Action = 9
	ActionTrackSock      Action = 10
	ActionUntrackSock    Action = 11
	ActionNotifyEnforcer Action = 12
	ActionSet            Action = 13
)

var actionNames = map[Action]string{
	ActionPost: "KPROBE_ACTION_POST", ActionSigkill: "KPROBE_ACTION_SIGKILL", ActionSignal: "KPROBE_ACTION_SIGNAL",
	ActionOverride: "KPROBE_ACTION_OVERRIDE", ActionFollowFD: "KPROBE_ACTION_FOLLOWFD",
	ActionUnfollowFD: "KPROBE_ACTION_UNFOLLOWFD", ActionCopyFD: "KPROBE_ACTION_COPYFD",
	ActionGetURL: "KPROBE_ACTION_GETURL", ActionDNSLookup: "KPROBE_ACTION_DNSLOOKUP",
	ActionTrackSock: "KPROBE_ACTION_TRACKSOCK", ActionUntrackSock: "KPROBE_ACTION_UNTRACKSOCK",
	ActionNotifyEnforcer: "KPROBE_ACTION_NOTIFYENFORCER", ActionSet: "KPROBE_ACTION_SET",
}

// actionStrength ranks the actions: a record whose selector took several
// reports the strongest (Header.Action); of actions of one rank, the first
// the selector lists.
var actionStrength = map[Action]int{
	ActionSigkill: 9, ActionOverride: 8, ActionSignal: 7, ActionNotifyEnforcer: 6,
	ActionSet: 5, ActionFollowFD: 4, ActionUnfollowFD: 4, ActionCopyFD: 4,
	ActionTrackSock: 4, ActionUntrackSock: 4, ActionGetURL: 2, ActionDNSLookup: 2,
	ActionPost: 1,
}

// Strength ranks a among the actions (higher is stronger; 0 for a code
// that is not an action): a record reports the strongest action its
// selector took.
func (a Action) Strength() int { return actionStrength[a] }

// actionNameList is actionNames by code, "" for a code that is not an
// action: String is called for every event printed, and indexing costs
// less than a map lookup.
var actionNameList = func() (l [256]string) {
	for a, s := range actionNames {
		l[a] = s
	}
	return l
}()

// String returns Tetragon's name of the action, as events print it.
func (a Action) String() string {
	if s := actionNameList[a]; s != "" {
		return s
	}
	return "KPROBE_ACTION_UNKNOWN"
}

// Encoding is how one argument is laid out in a record. Every encoded
// argument starts 8-byte aligned and is padded to a multiple of 8.
type Encoding uint8

const (
	// EncNone: nothing is written (nop arguments).
	EncNone Encoding = iota
	// EncInt: 8 bytes, sign- or zero-extended from the argument's type.
	EncInt
	// EncBytes: a BytesHeader, then Len bytes, then padding. Strings,
	// buffers (char_buf, char_iovec, iov_iter), paths of file, path,
	// dentry, linux_binprm, fd and kiocb arguments, and the names of
	// net_device, module and load_info arguments.
	EncBytes
	// EncSock: a Sock (sock and socket arguments).
	EncSock
	// EncSkb: an Skb.
	EncSkb
	// EncSockaddr: a Sockaddr.
	EncSockaddr
	// EncCred: a Cred.
	EncCred
	// EncUserNamespace: a UserNamespace.
	EncUserNamespace
	// EncBpfAttr: a BpfAttr.
	EncBpfAttr
	// EncBpfMap: a BpfMap.
	EncBpfMap
	// EncPerfEvent: a PerfEvent.
	EncPerfEvent
	// EncBpfProg: a BpfProg.
	EncBpfProg
	// EncStackIDs: StackIDs, the last 8 bytes of the record of a hook
	// whose manifest says StackIDs (stack.go).
	EncStackIDs
	// EncImaHash: an ImaHash, the last bytes of the record of a hook
	// whose manifest says ImaHash (ima.go).
	EncImaHash
	// EncInt32Arr: an Int32Arr (int32_arr arguments).
	EncInt32Arr
	// EncSockaddrUn: a SockaddrUn (sockaddr_un arguments).
	EncSockaddrUn
	// EncDNS: a DNS (dns arguments).
	EncDNS
)

// BytesHeader starts an EncBytes argument.
type BytesHeader struct {
	Len   uint32 // bytes that follow (before padding)
	Flags uint32 // BytesTruncated, BytesFault, BytesUnknownFD
	Total uint64 // length before truncation (buffers); Len otherwise
}

// BytesHeaderSize is the size of BytesHeader in a record.
const BytesHeaderSize = 16

// Offsets of BytesHeader's fields from the start of an EncBytes argument.
const (
	BytesLenOff   = 0 // Len
	BytesFlagsOff = 4 // Flags
	BytesTotalOff = 8 // Total
)

// BytesHeader flags.
const (
	BytesTruncated = 1 << 0 // the value was longer than the bytes kept
	BytesFault     = 1 << 1 // reading the value failed (a bad user pointer): Len is 0
	BytesUnknownFD = 1 << 2 // an fd argument with no FollowFD entry: Len is 0
)

// Sock is the encoding of sock and socket arguments. Ports are in host byte
// order; addresses are IPv4 in the first 4 bytes, or IPv6.
type Sock struct {
	Family   uint16
	Type     uint16
	Protocol uint16
	State    uint8
	_        uint8
	Mark     uint32
	Priority uint32
	Sport    uint16
	Dport    uint16
	_        uint32
	Saddr    [16]byte
	Daddr    [16]byte
	Cookie   uint64
}

// SockSize is the size of Sock in a record.
const SockSize = 64

// Offsets of Sock's fields.
const (
	SockFamilyOff   = 0
	SockTypeOff     = 2
	SockProtocolOff = 4
	SockStateOff    = 6
	SockMarkOff     = 8
	SockPriorityOff = 12
	SockSportOff    = 16
	SockDportOff    = 18
	SockSaddrOff    = 24
	SockDaddrOff    = 40
	SockCookieOff   = 56
)

// Skb is the encoding of skb arguments.
type Skb struct {
	Hash     uint32
	Len      uint32
	Priority uint32
	Mark     uint32
	Family   uint16
	Protocol uint16 // IP protocol (IPPROTO_*)
	Sport    uint16
	Dport    uint16
	Saddr    [16]byte
	Daddr    [16]byte
}

// SkbSize is the size of Skb in a record.
const SkbSize = 56

// Offsets of Skb's fields.
const (
	SkbHashOff     = 0
	SkbLenOff      = 4
	SkbPriorityOff = 8
	SkbMarkOff     = 12
	SkbFamilyOff   = 16
	SkbProtocolOff = 18
	SkbSportOff    = 20
	SkbDportOff    = 22
	SkbSaddrOff    = 24
	SkbDaddrOff    = 40
)

// Sockaddr is the encoding of sockaddr arguments.
type Sockaddr struct {
	Family uint16
	Port   uint16 // host byte order
	_      uint32
	Addr   [16]byte
}

// SockaddrSize is the size of Sockaddr in a record.
const SockaddrSize = 24

// Offsets of Sockaddr's fields.
const (
	SockaddrFamilyOff = 0
	SockaddrPortOff   = 2
	SockaddrAddrOff   = 8
)

// SockaddrUn is the encoding of sockaddr_un arguments: the family, whether
// the address is abstract (sun_path starts with a NUL), and the path as an
// EncBytes value: up to its first NUL, an abstract name without its leading
// NUL, at most SockaddrUnPathMax bytes with the NUL the read stores.
type SockaddrUn struct {
	Family   uint16
	Abstract uint8 // 1: an abstract name
	_        [5]byte
	Path     BytesHeader
	Data     [SockaddrUnPathMax + 4]byte // the path, padded to 8
}

// SockaddrUnPathMax is the room of a SockaddrUn's path: sun_path's 108
// bytes (UNIX_PATH_MAX), the terminating NUL included, as Tetragon reads.
const SockaddrUnPathMax = 108

// SockaddrUnSize is the size of SockaddrUn in a record.
const SockaddrUnSize = 136

// Offsets of SockaddrUn's fields; the path's BytesHeader is at
// SockaddrUnPathOff, its bytes right after it.
const (
	SockaddrUnFamilyOff   = 0
	SockaddrUnAbstractOff = 2
	SockaddrUnPathOff     = 8
)

// DNS is the encoding of dns arguments: the question of the DNS message a
// UDP send carries (the first iovec, or the user buffer, of the msghdr's
// iterator), parsed as Tetragon's parse_dns_payload does (bpf/process/
// types/dns.h). The header's fields are set once the message holds a
// header; the name (Name, an EncBytes value) once its labels end, each
// label's bytes lowercased and labels joined with dots; QType and QClass,
// and Parsed, once the question's type and class follow it. A name longer
// than DNSNameMax characters sets Truncated and leaves the name empty.
type DNS struct {
	TxID      uint16
	Flags     uint16
	QType     uint16
	QClass    uint16
	Response  uint8 // the header's QR bit
	Parsed    uint8 // 1: the question was parsed whole
	Truncated uint8 // 1: the name is longer than DNSNameMax
	_         [5]byte
	Name      BytesHeader
	Data      [DNSReadMax]byte // the payload as read; the name overwrites its start
}

// DNSNameMax is the longest query name Tetragon keeps (DNS_MAX_NAME).
const DNSNameMax = 255

// DNSReadMax is how many bytes of the payload are read: the 12 bytes of
// the header, the most a name of DNSNameMax characters takes (its first
// length byte, its characters and the final 0), the type and the class,
// rounded up to 8. Tetragon reads up to 512 bytes; a question that parses
// lies within the first 273.
const DNSReadMax = 280

// DNSSize is the size of DNS in a record.
const DNSSize = 16 + BytesHeaderSize + DNSReadMax

// Offsets of DNS's fields; the name's BytesHeader is at DNSNameOff, its
// bytes right after it (DNSDataOff), where the payload is read first.
const (
	DNSTxIDOff      = 0
	DNSFlagsOff     = 2
	DNSQTypeOff     = 4
	DNSQClassOff    = 6
	DNSResponseOff  = 8
	DNSParsedOff    = 9
	DNSTruncatedOff = 10
	DNSNameOff      = 16
	DNSDataOff      = DNSNameOff + BytesHeaderSize
)

// Cred is the encoding of cred arguments.
type Cred struct {
	UID, GID, SUID, SGID, EUID, EGID, FSUID, FSGID uint32
	Securebits                                     uint32
	UserNSLevel                                    uint32
	CapPermitted, CapEffective, CapInheritable     uint64
	UserNSInum                                     uint32
	UserNSOwner                                    uint32
}

// CredSize is the size of Cred in a record.
const CredSize = 72

// Offsets of Cred's fields. UID to FSGID are eight consecutive u32s.
const (
	CredUIDOff            = 0
	CredSecurebitsOff     = 32
	CredUserNSLevelOff    = 36
	CredCapPermittedOff   = 40
	CredCapEffectiveOff   = 48
	CredCapInheritableOff = 56
	CredUserNSInumOff     = 64
	CredUserNSOwnerOff    = 68
)

// UserNamespace is the encoding of user_namespace arguments.
type UserNamespace struct {
	Level uint32
	Owner uint32
	Group uint32
	Inum  uint32
}

// UserNamespaceSize is the size of UserNamespace in a record.
const UserNamespaceSize = 16

// Offsets of UserNamespace's fields.
const (
	UserNamespaceLevelOff = 0
	UserNamespaceOwnerOff = 4
	UserNamespaceGroupOff = 8
	UserNamespaceInumOff  = 12
)

// BpfAttr is the encoding of bpf_attr arguments (a BPF_PROG_LOAD attr).
type BpfAttr struct {
	ProgType uint32
	InsnCnt  uint32
	ProgName [16]byte
}

// BpfAttrSize is the size of BpfAttr in a record.
const BpfAttrSize = 24

// Offsets of BpfAttr's fields.
const (
	BpfAttrProgTypeOff = 0
	BpfAttrInsnCntOff  = 4
	BpfAttrProgNameOff = 8
)

// BpfMap is the encoding of bpf_map arguments.
type BpfMap struct {
	MapType    uint32
	KeySize    uint32
	ValueSize  uint32
	MaxEntries uint32
	Name       [16]byte
}

// BpfMapSize is the size of BpfMap in a record.
const BpfMapSize = 32

// Offsets of BpfMap's fields.
const (
	BpfMapMapTypeOff    = 0
	BpfMapKeySizeOff    = 4
	BpfMapValueSizeOff  = 8
	BpfMapMaxEntriesOff = 12
	BpfMapNameOff       = 16
)

// PerfEvent is the encoding of perf_event arguments.
type PerfEvent struct {
	Type        uint32
	_           uint32
	Config      uint64
	ProbeOffset uint64
	KprobeFunc  [64]byte
}

// PerfEventSize is the size of PerfEvent in a record.
const PerfEventSize = 88

// Offsets of PerfEvent's fields.
const (
	PerfEventTypeOff        = 0
	PerfEventConfigOff      = 8
	PerfEventProbeOffsetOff = 16
	PerfEventKprobeFuncOff  = 24
)

// BpfProg is the encoding of bpf_prog arguments.
type BpfProg struct {
	ProgType uint32
	InsnCnt  uint32
	Name     [16]byte
}

// BpfProgSize is the size of BpfProg in a record.
const BpfProgSize = 24

// Offsets of BpfProg's fields.
const (
	BpfProgProgTypeOff = 0
	BpfProgInsnCntOff  = 4
	BpfProgNameOff     = 8
)

// Int32Arr is the encoding of int32_arr arguments: Count int32 values
// read through the argument's pointer, at most Int32ArrMax (Tetragon's
// MAX_FILTER_INT_ARGS); the values past Count are not defined. A value
// that could not be read (a bad pointer) is 0, as in Tetragon.
type Int32Arr struct {
	Count  uint32
	_      uint32
	Values [Int32ArrMax]int32
}

// Int32ArrMax is the most values an int32_arr argument keeps: Tetragon
// reads min(size, 8).
const Int32ArrMax = 8

// Int32ArrSize is the size of Int32Arr in a record.
const Int32ArrSize = 40

// Offsets of Int32Arr's fields.
const (
	Int32ArrCountOff  = 0
	Int32ArrValuesOff = 8
)

// Align8 rounds n up to a multiple of 8.
func Align8(n int) int { return (n + 7) &^ 7 }
