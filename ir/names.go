package ir

import (
	"sort"
	"strings"
)

// Capabilities maps CAP_* names to their numbers (include/uapi/linux/capability.h).
var Capabilities = map[string]int{
	"CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_FOWNER": 3,
	"CAP_FSETID": 4, "CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8,
	"CAP_LINUX_IMMUTABLE": 9, "CAP_NET_BIND_SERVICE": 10, "CAP_NET_BROADCAST": 11,
	"CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13, "CAP_IPC_LOCK": 14, "CAP_IPC_OWNER": 15,
	"CAP_SYS_MODULE": 16, "CAP_SYS_RAWIO": 17, "CAP_SYS_CHROOT": 18, "CAP_SYS_PTRACE": 19,
	"CAP_SYS_PACCT": 20, "CAP_SYS_ADMIN": 21, "CAP_SYS_BOOT": 22, "CAP_SYS_NICE": 23,
	"CAP_SYS_RESOURCE": 24, "CAP_SYS_TIME": 25, "CAP_SYS_TTY_CONFIG": 26, "CAP_MKNOD": 27,
	"CAP_LEASE": 28, "CAP_AUDIT_WRITE": 29, "CAP_AUDIT_CONTROL": 30, "CAP_SETFCAP": 31,
	"CAP_MAC_OVERRIDE": 32, "CAP_MAC_ADMIN": 33, "CAP_SYSLOG": 34, "CAP_WAKE_ALARM": 35,
	"CAP_BLOCK_SUSPEND": 36, "CAP_AUDIT_READ": 37, "CAP_PERFMON": 38, "CAP_BPF": 39,
	"CAP_CHECKPOINT_RESTORE": 40,
}

// CapabilityName returns the CAP_* name of capability number n.
func CapabilityName(n int) string {
	for name, v := range Capabilities {
		if v == n {
			return name
		}
	}
	return ""
}

// Namespace is a kind of Linux namespace, numbered as Tetragon numbers them
// in matchNamespaceChanges bit masks.
type Namespace uint8

const (
	NsUts Namespace = iota
	NsIpc
	NsMnt
	NsPid
	NsPidForChildren
	NsNet
	NsTime
	NsTimeForChildren
	NsCgroup
	NsUser
	NumNamespaces
)

var nsNames = [NumNamespaces]string{"Uts", "Ipc", "Mnt", "Pid", "PidForChildren", "Net", "Time", "TimeForChildren", "Cgroup", "User"}

func (n Namespace) String() string {
	if n < NumNamespaces {
		return nsNames[n]
	}
	return "invalid"
}

// ParseNamespace accepts a namespace name in any case, as Tetragon does.
func ParseNamespace(s string) (Namespace, bool) {
	for i, n := range nsNames {
		if strings.EqualFold(n, s) {
			return Namespace(i), true
		}
	}
	return 0, false
}

// NamespaceNames lists the namespace names in canonical spelling.
func NamespaceNames() []string { return nsNames[:] }

// CapSet is one of a task's capability sets.
type CapSet uint8

const (
	CapEffective CapSet = iota
	CapInheritable
	CapPermitted
)

var capSetNames = []string{"Effective", "Inheritable", "Permitted"}

func (c CapSet) String() string { return capSetNames[c] }

// ParseCapSet accepts a capability set name in any case; "" is Effective.
func ParseCapSet(s string) (CapSet, bool) {
	if s == "" {
		return CapEffective, true
	}
	for i, n := range capSetNames {
		if strings.EqualFold(n, s) {
			return CapSet(i), true
		}
	}
	return 0, false
}

// Protocols maps IPPROTO_* names to numbers (include/uapi/linux/in.h).
var Protocols = map[string]int{
	"IPPROTO_IP": 0, "IPPROTO_ICMP": 1, "IPPROTO_IGMP": 2, "IPPROTO_IPIP": 4, "IPPROTO_TCP": 6,
	"IPPROTO_EGP": 8, "IPPROTO_PUP": 12, "IPPROTO_UDP": 17, "IPPROTO_IDP": 22, "IPPROTO_TP": 29,
	"IPPROTO_DCCP": 33, "IPPROTO_IPV6": 41, "IPPROTO_RSVP": 46, "IPPROTO_GRE": 47,
	"IPPROTO_ESP": 50, "IPPROTO_AH": 51, "IPPROTO_ICMPV6": 58, "IPPROTO_MTP": 92,
	"IPPROTO_BEETPH": 94, "IPPROTO_ENCAP": 98, "IPPROTO_PIM": 103, "IPPROTO_COMP": 108,
	"IPPROTO_L2TP": 115, "IPPROTO_SCTP": 132, "IPPROTO_UDPLITE": 136, "IPPROTO_MPLS": 137,
	"IPPROTO_ETHERNET": 143, "IPPROTO_RAW": 255, "IPPROTO_MPTCP": 262,
}

// Families maps AF_* names to numbers (include/linux/socket.h).
var Families = map[string]int{
	"AF_UNSPEC": 0, "AF_UNIX": 1, "AF_LOCAL": 1, "AF_INET": 2, "AF_AX25": 3, "AF_IPX": 4,
	"AF_APPLETALK": 5, "AF_NETROM": 6, "AF_BRIDGE": 7, "AF_ATMPVC": 8, "AF_X25": 9,
	"AF_INET6": 10, "AF_ROSE": 11, "AF_DECnet": 12, "AF_NETBEUI": 13, "AF_SECURITY": 14,
	"AF_KEY": 15, "AF_NETLINK": 16, "AF_ROUTE": 16, "AF_PACKET": 17, "AF_ASH": 18,
	"AF_ECONET": 19, "AF_ATMSVC": 20, "AF_RDS": 21, "AF_SNA": 22, "AF_IRDA": 23,
	"AF_PPPOX": 24, "AF_WANPIPE": 25, "AF_LLC": 26, "AF_IB": 27, "AF_MPLS": 28, "AF_CAN": 29,
	"AF_TIPC": 30, "AF_BLUETOOTH": 31, "AF_IUCV": 32, "AF_RXRPC": 33, "AF_ISDN": 34,
	"AF_PHONET": 35, "AF_IEEE802154": 36, "AF_CAIF": 37, "AF_ALG": 38, "AF_NFC": 39,
	"AF_VSOCK": 40, "AF_KCM": 41, "AF_QIPCRTR": 42, "AF_SMC": 43, "AF_XDP": 44, "AF_MCTP": 45,
}

// TCPStates maps TCP_* state names to numbers (include/net/tcp_states.h).
var TCPStates = map[string]int{
	"TCP_ESTABLISHED": 1, "TCP_SYN_SENT": 2, "TCP_SYN_RECV": 3, "TCP_FIN_WAIT1": 4,
	"TCP_FIN_WAIT2": 5, "TCP_TIME_WAIT": 6, "TCP_CLOSE": 7, "TCP_CLOSE_WAIT": 8,
	"TCP_LAST_ACK": 9, "TCP_LISTEN": 10, "TCP_CLOSING": 11, "TCP_NEW_SYN_RECV": 12,
}

// sortedKeys returns the keys of m sorted, for messages.
func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
