package ir

import "sort"

// ArgType is the type a policy declares for an argument: how the program
// reads it, how the event encodes it and which operators can filter it.
type ArgType uint8

const (
	TypeInvalid ArgType = iota
	TypeAuto            // tracepoints only: the field's type from its format
	TypeInt             // int: 32-bit signed
	TypeInt8
	TypeUint8
	TypeInt16
	TypeUint16
	TypeInt32
	TypeUint32
	TypeInt64
	TypeUint64
	TypeSizeT     // size_t: 64-bit unsigned
	TypeLong      // long: 64-bit signed
	TypeSyscall64 // a syscall id with its ABI (raw_syscalls)
	TypeCapability
	TypeBpfCmd
	TypeString // NUL-terminated string (user or kernel pointer)
	TypeCharBuf
	TypeCharIovec
	TypeConstBuf
	TypeDataLoc
	TypeFilename
	TypeFd // a file descriptor: matched and printed as the path FollowFD recorded
	TypeFile
	TypePath
	TypeDentry
	TypeLinuxBinprm
	TypeSock
	TypeSkb
	TypeSockaddr
	TypeSocket
	TypeNetDevice
	TypeKernelCap
	TypeCapInheritable
	TypeCapPermitted
	TypeCapEffective
	TypeCred
	TypeModule
	TypeUserNamespace
	TypeBpfAttr
	TypePerfEvent
	TypeBpfMap
	TypeKiocb
	TypeIovIter
	TypeLoadInfo
	TypeBpfProg
	TypeInt32Arr
	TypeSockaddrUn // a struct sockaddr_un: its family and path
	TypeDNS        // a struct msghdr of a UDP send: the DNS question it carries
	TypeNop
	numTypes
)

// Class groups types by how they are filtered.
type Class uint8

const (
	ClassNone   Class = iota // not filterable (nop, or a struct only printed)
	ClassInt                 // integers: Equal, GT, Mask, InMap, InRange, ...
	ClassString              // byte strings: Equal, Prefix, Postfix, ...
	ClassPath                // file-like: matched on their path as a string
	ClassNet                 // sockets and packets: SAddr, DPort, Protocol, ...
	ClassCaps                // capability sets: Equal (a mask), CapabilitiesGained
)

type typeInfo struct {
	name   string
	class  Class
	signed bool
	size   int // bytes of the integer value, for ClassInt
}

var types = [numTypes]typeInfo{
	TypeInvalid:        {"invalid", ClassNone, false, 0},
	TypeAuto:           {"auto", ClassNone, false, 0},
	TypeInt:            {"int", ClassInt, true, 4},
	TypeInt8:           {"int8", ClassInt, true, 1},
	TypeUint8:          {"uint8", ClassInt, false, 1},
	TypeInt16:          {"int16", ClassInt, true, 2},
	TypeUint16:         {"uint16", ClassInt, false, 2},
	TypeInt32:          {"int32", ClassInt, true, 4},
	TypeUint32:         {"uint32", ClassInt, false, 4},
	TypeInt64:          {"int64", ClassInt, true, 8},
	TypeUint64:         {"uint64", ClassInt, false, 8},
	TypeSizeT:          {"size_t", ClassInt, false, 8},
	TypeLong:           {"long", ClassInt, true, 8},
	TypeSyscall64:      {"syscall64", ClassInt, false, 8},
	TypeCapability:     {"capability", ClassInt, true, 4},
	TypeBpfCmd:         {"bpf_cmd", ClassInt, true, 4},
	TypeString:         {"string", ClassString, false, 0},
	TypeCharBuf:        {"char_buf", ClassString, false, 0},
	TypeCharIovec:      {"char_iovec", ClassString, false, 0},
	TypeConstBuf:       {"const_buf", ClassNone, false, 0},
	TypeDataLoc:        {"data_loc", ClassString, false, 0},
	TypeFilename:       {"filename", ClassString, false, 0},
	TypeFd:             {"fd", ClassPath, false, 0},
	TypeFile:           {"file", ClassPath, false, 0},
	TypePath:           {"path", ClassPath, false, 0},
	TypeDentry:         {"dentry", ClassPath, false, 0},
	TypeLinuxBinprm:    {"linux_binprm", ClassPath, false, 0},
	TypeSock:           {"sock", ClassNet, false, 0},
	TypeSkb:            {"skb", ClassNet, false, 0},
	TypeSockaddr:       {"sockaddr", ClassNet, false, 0},
	TypeSocket:         {"socket", ClassNet, false, 0},
	TypeNetDevice:      {"net_device", ClassString, false, 0},
	TypeKernelCap:      {"kernel_cap_t", ClassCaps, false, 8},
	TypeCapInheritable: {"cap_inheritable", ClassCaps, false, 8},
	TypeCapPermitted:   {"cap_permitted", ClassCaps, false, 8},
	TypeCapEffective:   {"cap_effective", ClassCaps, false, 8},
	TypeCred:           {"cred", ClassNone, false, 0},
	TypeModule:         {"module", ClassNone, false, 0},
	TypeUserNamespace:  {"user_namespace", ClassNone, false, 0},
	TypeBpfAttr:        {"bpf_attr", ClassNone, false, 0},
	TypePerfEvent:      {"perf_event", ClassNone, false, 0},
	TypeBpfMap:         {"bpf_map", ClassNone, false, 0},
	TypeKiocb:          {"kiocb", ClassNone, false, 0},
	TypeIovIter:        {"iov_iter", ClassNone, false, 0},
	TypeLoadInfo:       {"load_info", ClassNone, false, 0},
	TypeBpfProg:        {"bpf_prog", ClassNone, false, 0},
	TypeInt32Arr:       {"int32_arr", ClassNone, false, 0},
	TypeSockaddrUn:     {"sockaddr_un", ClassString, false, 0},
	TypeDNS:            {"dns", ClassString, false, 0},
	TypeNop:            {"nop", ClassNone, false, 0},
}

// typeAliases are other spellings Tetragon accepts for the same types.
var typeAliases = map[string]ArgType{
	"sint8": TypeInt8, "sint16": TypeInt16, "sint32": TypeInt32, "sint64": TypeInt64,
	"ulong": TypeUint64, "unsigned long": TypeUint64,
}

var typeByName = func() map[string]ArgType {
	m := make(map[string]ArgType, int(numTypes)+len(typeAliases))
	for t := TypeAuto; t < numTypes; t++ {
		m[types[t].name] = t
	}
	for a, t := range typeAliases {
		m[a] = t
	}
	return m
}()

// ParseType returns the type named s, as written in a policy.
func ParseType(s string) (ArgType, bool) {
	t, ok := typeByName[s]
	return t, ok
}

// TypeNames returns every type name a policy may use, sorted.
func TypeNames() []string {
	names := make([]string, 0, len(typeByName))
	for n := range typeByName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (t ArgType) String() string {
	if t < numTypes {
		return types[t].name
	}
	return "invalid"
}

// Class says how values of t are filtered.
func (t ArgType) Class() Class {
	if t < numTypes {
		return types[t].class
	}
	return ClassNone
}

// Signed reports whether an integer type is signed.
func (t ArgType) Signed() bool { return t < numTypes && types[t].signed }

// Size is the width in bytes of an integer or capability-set type, else 0.
func (t ArgType) Size() int {
	if t < numTypes {
		return types[t].size
	}
	return 0
}

// IsInteger reports whether t is an integer type, usable as a size argument.
func (t ArgType) IsInteger() bool { return t.Class() == ClassInt }

// IsBuffer reports whether t is read as a byte buffer with a size argument.
func (t ArgType) IsBuffer() bool { return t == TypeCharBuf || t == TypeCharIovec }
