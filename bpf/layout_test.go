package bpf

import (
	"encoding/binary"
	"testing"
	"unsafe"
)

// The offsets programs store fields at are the Go structs' offsets, which
// binary.Read decodes: the structs are naturally aligned, without hidden
// padding (TestLayoutSizes).
func TestLayoutOffsets(t *testing.T) {
	var h Header
	var b BytesHeader
	var ima ImaHash
	var st StackIDs
	var pr Proc
	var pe ProcEvent
	var ed ExecData
	var ctr Counters
	var (
		sk  Sock
		skb Skb
		sa  Sockaddr
		su  SockaddrUn
		dn  DNS
		cr  Cred
		uns UserNamespace
		ba  BpfAttr
		bm  BpfMap
		pev PerfEvent
		bp  BpfProg
		ia  Int32Arr
	)
	for _, tc := range []struct {
		name      string
		got, want uintptr
	}{
		{"Header.Kind", HeaderKindOff, unsafe.Offsetof(h.Kind)},
		{"Header.Version", HeaderVersionOff, unsafe.Offsetof(h.Version)},
		{"Header.Flags", HeaderFlagsOff, unsafe.Offsetof(h.Flags)},
		{"Header.Size", HeaderSizeOff, unsafe.Offsetof(h.Size)},
		{"Header.Ktime", HeaderKtimeOff, unsafe.Offsetof(h.Ktime)},
		{"Header.PolicyID", HeaderPolicyIDOff, unsafe.Offsetof(h.PolicyID)},
		{"Header.HookID", HeaderHookIDOff, unsafe.Offsetof(h.HookID)},
		{"Header.Selector", HeaderSelectorOff, unsafe.Offsetof(h.Selector)},
		{"Header.Action", HeaderActionOff, unsafe.Offsetof(h.Action)},
		{"Header.Tgid", HeaderTgidOff, unsafe.Offsetof(h.Tgid)},
		{"Header.Pid", HeaderPidOff, unsafe.Offsetof(h.Pid)},
		{"Header.Ret", HeaderRetOff, unsafe.Offsetof(h.Ret)},
		{"BytesHeader.Len", BytesLenOff, unsafe.Offsetof(b.Len)},
		{"BytesHeader.Flags", BytesFlagsOff, unsafe.Offsetof(b.Flags)},
		{"BytesHeader.Total", BytesTotalOff, unsafe.Offsetof(b.Total)},
		{"ImaHash.Algo", ImaAlgoOff, unsafe.Offsetof(ima.Algo)},
		{"ImaHash.Ret", ImaRetOff, unsafe.Offsetof(ima.Ret)},
		{"ImaHash.Digest", ImaDigestOff, unsafe.Offsetof(ima.Digest)},
		{"StackIDs.Kernel", StackKernelOff, unsafe.Offsetof(st.Kernel)},
		{"StackIDs.User", StackUserOff, unsafe.Offsetof(st.User)},
		{"Proc.Tgid", ProcTgidOff, unsafe.Offsetof(pr.Tgid)},
		{"Proc.Ppid", ProcPpidOff, unsafe.Offsetof(pr.Ppid)},
		{"Proc.StartKtime", ProcStartOff, unsafe.Offsetof(pr.StartKtime)},
		{"Proc.Flags", ProcFlagsOff, unsafe.Offsetof(pr.Flags)},
		{"Proc.UID", ProcUIDOff, unsafe.Offsetof(pr.UID)},
		{"Proc.Ns", ProcNsOff, unsafe.Offsetof(pr.Ns)},
		{"Proc.Caps", ProcCapsOff, unsafe.Offsetof(pr.Caps)},
		{"Proc.BinaryLen", ProcBinaryLenOff, unsafe.Offsetof(pr.BinaryLen)},
		{"Proc.Binary", ProcBinaryOff, unsafe.Offsetof(pr.Binary)},
		{"ProcEvent.ExitCode", ProcEventExitCodeOff, unsafe.Offsetof(pe.ExitCode)},
		{"ExecData.Cwd", ExecCwdOff, unsafe.Offsetof(ed.Cwd)},
		{"ExecData.Args", ExecArgsOff, unsafe.Offsetof(ed.Args)},
		{"Counters.Posted", CountersPostedOff, unsafe.Offsetof(ctr.Posted)},
		{"Counters.Enforced", CountersEnforcedOff, unsafe.Offsetof(ctr.Enforced)},
		{"Counters.Lost", CountersLostOff, unsafe.Offsetof(ctr.Lost)},
		{"Sock.Family", SockFamilyOff, unsafe.Offsetof(sk.Family)},
		{"Sock.Type", SockTypeOff, unsafe.Offsetof(sk.Type)},
		{"Sock.Protocol", SockProtocolOff, unsafe.Offsetof(sk.Protocol)},
		{"Sock.State", SockStateOff, unsafe.Offsetof(sk.State)},
		{"Sock.Mark", SockMarkOff, unsafe.Offsetof(sk.Mark)},
		{"Sock.Priority", SockPriorityOff, unsafe.Offsetof(sk.Priority)},
		{"Sock.Sport", SockSportOff, unsafe.Offsetof(sk.Sport)},
		{"Sock.Dport", SockDportOff, unsafe.Offsetof(sk.Dport)},
		{"Sock.Saddr", SockSaddrOff, unsafe.Offsetof(sk.Saddr)},
		{"Sock.Daddr", SockDaddrOff, unsafe.Offsetof(sk.Daddr)},
		{"Sock.Cookie", SockCookieOff, unsafe.Offsetof(sk.Cookie)},
		{"Skb.Hash", SkbHashOff, unsafe.Offsetof(skb.Hash)},
		{"Skb.Len", SkbLenOff, unsafe.Offsetof(skb.Len)},
		{"Skb.Priority", SkbPriorityOff, unsafe.Offsetof(skb.Priority)},
		{"Skb.Mark", SkbMarkOff, unsafe.Offsetof(skb.Mark)},
		{"Skb.Family", SkbFamilyOff, unsafe.Offsetof(skb.Family)},
		{"Skb.Protocol", SkbProtocolOff, unsafe.Offsetof(skb.Protocol)},
		{"Skb.Sport", SkbSportOff, unsafe.Offsetof(skb.Sport)},
		{"Skb.Dport", SkbDportOff, unsafe.Offsetof(skb.Dport)},
		{"Skb.Saddr", SkbSaddrOff, unsafe.Offsetof(skb.Saddr)},
		{"Skb.Daddr", SkbDaddrOff, unsafe.Offsetof(skb.Daddr)},
		{"Sockaddr.Family", SockaddrFamilyOff, unsafe.Offsetof(sa.Family)},
		{"Sockaddr.Port", SockaddrPortOff, unsafe.Offsetof(sa.Port)},
		{"Sockaddr.Addr", SockaddrAddrOff, unsafe.Offsetof(sa.Addr)},
		{"SockaddrUn.Family", SockaddrUnFamilyOff, unsafe.Offsetof(su.Family)},
		{"SockaddrUn.Abstract", SockaddrUnAbstractOff, unsafe.Offsetof(su.Abstract)},
		{"SockaddrUn.Path", SockaddrUnPathOff, unsafe.Offsetof(su.Path)},
		{"SockaddrUn.Data", SockaddrUnPathOff + BytesHeaderSize, unsafe.Offsetof(su.Data)},
		{"DNS.TxID", DNSTxIDOff, unsafe.Offsetof(dn.TxID)},
		{"DNS.Flags", DNSFlagsOff, unsafe.Offsetof(dn.Flags)},
		{"DNS.QType", DNSQTypeOff, unsafe.Offsetof(dn.QType)},
		{"DNS.QClass", DNSQClassOff, unsafe.Offsetof(dn.QClass)},
		{"DNS.Response", DNSResponseOff, unsafe.Offsetof(dn.Response)},
		{"DNS.Parsed", DNSParsedOff, unsafe.Offsetof(dn.Parsed)},
		{"DNS.Truncated", DNSTruncatedOff, unsafe.Offsetof(dn.Truncated)},
		{"DNS.Name", DNSNameOff, unsafe.Offsetof(dn.Name)},
		{"DNS.Data", DNSDataOff, unsafe.Offsetof(dn.Data)},
		{"Cred.UID", CredUIDOff, unsafe.Offsetof(cr.UID)},
		{"Cred.FSGID", CredUIDOff + 4*7, unsafe.Offsetof(cr.FSGID)},
		{"Cred.Securebits", CredSecurebitsOff, unsafe.Offsetof(cr.Securebits)},
		{"Cred.UserNSLevel", CredUserNSLevelOff, unsafe.Offsetof(cr.UserNSLevel)},
		{"Cred.CapPermitted", CredCapPermittedOff, unsafe.Offsetof(cr.CapPermitted)},
		{"Cred.CapEffective", CredCapEffectiveOff, unsafe.Offsetof(cr.CapEffective)},
		{"Cred.CapInheritable", CredCapInheritableOff, unsafe.Offsetof(cr.CapInheritable)},
		{"Cred.UserNSInum", CredUserNSInumOff, unsafe.Offsetof(cr.UserNSInum)},
		{"Cred.UserNSOwner", CredUserNSOwnerOff, unsafe.Offsetof(cr.UserNSOwner)},
		{"UserNamespace.Level", UserNamespaceLevelOff, unsafe.Offsetof(uns.Level)},
		{"UserNamespace.Owner", UserNamespaceOwnerOff, unsafe.Offsetof(uns.Owner)},
		{"UserNamespace.Group", UserNamespaceGroupOff, unsafe.Offsetof(uns.Group)},
		{"UserNamespace.Inum", UserNamespaceInumOff, unsafe.Offsetof(uns.Inum)},
		{"BpfAttr.ProgType", BpfAttrProgTypeOff, unsafe.Offsetof(ba.ProgType)},
		{"BpfAttr.InsnCnt", BpfAttrInsnCntOff, unsafe.Offsetof(ba.InsnCnt)},
		{"BpfAttr.ProgName", BpfAttrProgNameOff, unsafe.Offsetof(ba.ProgName)},
		{"BpfMap.MapType", BpfMapMapTypeOff, unsafe.Offsetof(bm.MapType)},
		{"BpfMap.KeySize", BpfMapKeySizeOff, unsafe.Offsetof(bm.KeySize)},
		{"BpfMap.ValueSize", BpfMapValueSizeOff, unsafe.Offsetof(bm.ValueSize)},
		{"BpfMap.MaxEntries", BpfMapMaxEntriesOff, unsafe.Offsetof(bm.MaxEntries)},
		{"BpfMap.Name", BpfMapNameOff, unsafe.Offsetof(bm.Name)},
		{"PerfEvent.Type", PerfEventTypeOff, unsafe.Offsetof(pev.Type)},
		{"PerfEvent.Config", PerfEventConfigOff, unsafe.Offsetof(pev.Config)},
		{"PerfEvent.ProbeOffset", PerfEventProbeOffsetOff, unsafe.Offsetof(pev.ProbeOffset)},
		{"PerfEvent.KprobeFunc", PerfEventKprobeFuncOff, unsafe.Offsetof(pev.KprobeFunc)},
		{"BpfProg.ProgType", BpfProgProgTypeOff, unsafe.Offsetof(bp.ProgType)},
		{"BpfProg.InsnCnt", BpfProgInsnCntOff, unsafe.Offsetof(bp.InsnCnt)},
		{"BpfProg.Name", BpfProgNameOff, unsafe.Offsetof(bp.Name)},
		{"Int32Arr.Count", Int32ArrCountOff, unsafe.Offsetof(ia.Count)},
		{"Int32Arr.Values", Int32ArrValuesOff, unsafe.Offsetof(ia.Values)},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: constant %d, struct offset %d", tc.name, tc.got, tc.want)
		}
	}
	if unsafe.Sizeof(h) != HeaderSize || unsafe.Sizeof(b) != BytesHeaderSize {
		t.Errorf("Header or BytesHeader has padding the record does not")
	}
}

// The documented sizes are what programs and readers use; the Go structs
// must agree with them.
func TestLayoutSizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want int
	}{
		{"Header", Header{}, HeaderSize},
		{"BytesHeader", BytesHeader{}, BytesHeaderSize},
		{"Sock", Sock{}, SockSize},
		{"Skb", Skb{}, SkbSize},
		{"Sockaddr", Sockaddr{}, SockaddrSize},
		{"SockaddrUn", SockaddrUn{}, SockaddrUnSize},
		{"DNS", DNS{}, DNSSize},
		{"Cred", Cred{}, CredSize},
		{"UserNamespace", UserNamespace{}, UserNamespaceSize},
		{"BpfAttr", BpfAttr{}, BpfAttrSize},
		{"BpfMap", BpfMap{}, BpfMapSize},
		{"PerfEvent", PerfEvent{}, PerfEventSize},
		{"BpfProg", BpfProg{}, BpfProgSize},
		{"Int32Arr", Int32Arr{}, Int32ArrSize},
		{"Proc", Proc{}, ProcSize},
		{"ProcEvent", ProcEvent{}, ProcEventSize},
		{"ExecData", ExecData{}, ExecDataSize},
		{"Counters", Counters{}, CountersSize},
	} {
		if got := binary.Size(tc.v); got != tc.want {
			t.Errorf("%s: binary size %d, documented %d", tc.name, got, tc.want)
		}
		if tc.want%8 != 0 {
			t.Errorf("%s: size %d is not a multiple of 8", tc.name, tc.want)
		}
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := &Manifest{Format: ManifestFormat, Policy: "p", Features: []string{FeatureRingbuf, FeatureKprobe},
		Hooks: []Hook{{ID: 0, Kind: "kprobe", Target: "fd_install", Programs: []Program{{Name: "p0", Section: "kprobe/fd_install", Attach: "kprobe"}},
			Args: []Arg{{Slot: 0, Type: "file", Encoding: EncBytes, MaxBytes: 4096}}}}}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseManifest(append(data, 0, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if back.Features[0] != FeatureKprobe || back.Hooks[0].Args[0].Encoding != EncBytes {
		t.Errorf("round trip: %+v", back)
	}
	m.Format = 99
	data, _ = m.Marshal()
	if _, err := ParseManifest(data); err == nil {
		t.Error("format 99 accepted")
	}
}

// TestActionStrength: every action has a rank, and the documented order
// (Action's comment) holds.
func TestActionStrength(t *testing.T) {
	for a := range actionNames {
		if a.Strength() <= 0 {
			t.Errorf("%s has no strength", a)
		}
	}
	order := []Action{ActionSigkill, ActionOverride, ActionSignal, ActionNotifyEnforcer, ActionSet, ActionFollowFD, ActionPost}
	for i := 1; i < len(order); i++ {
		if order[i-1].Strength() <= order[i].Strength() {
			t.Errorf("%s is not stronger than %s", order[i-1], order[i])
		}
	}
}
