package kern

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/codegen/object"
)

// Local BTF types for CO-RE. Each declares only the members polc reads,
// named and nested as in the kernel, so that the loader finds them in the
// target kernel's BTF whatever their offsets there. Pointer members point
// to void: CO-RE matches any two pointers, and every dereference is a
// relocation of its own against the pointee's type.
//
// The offsets written here are only local placeholders: every access
// through these types carries a CO-RE relocation.

var (
	u8   = &btf.Int{Name: "u8", Size: 1}
	u16  = &btf.Int{Name: "u16", Size: 2}
	u32  = &btf.Int{Name: "u32", Size: 4}
	u64  = &btf.Int{Name: "u64", Size: 8}
	s32  = &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	s64  = &btf.Int{Name: "long", Size: 8, Encoding: btf.Signed}
	char = &btf.Int{Name: "char", Size: 1, Encoding: btf.Char}
	ptr  = &btf.Pointer{Target: &btf.Void{}}
)

// member is a member of a local struct being declared.
type member struct {
	name string
	typ  btf.Type
}

func m(name string, typ btf.Type) member { return member{name, typ} }

// declare lays out a struct or union with natural alignment.
func declare(name string, union bool, members ...member) btf.Type {
	var ms []btf.Member
	var off, size, align uint32 = 0, 0, 1
	for _, mem := range members {
		sz, err := btf.Sizeof(mem.typ)
		if err != nil {
			panic(fmt.Sprintf("kern: member %s.%s: %v", name, mem.name, err))
		}
		al := alignment(mem.typ)
		if al > align {
			align = al
		}
		if union {
			off = 0
		} else {
			off = (off + al - 1) / al * al
		}
		ms = append(ms, btf.Member{Name: mem.name, Type: mem.typ, Offset: btf.Bits(off * 8)})
		end := off + uint32(sz)
		if end > size {
			size = end
		}
		if !union {
			off = end
		}
	}
	size = (size + align - 1) / align * align
	if union {
		return &btf.Union{Name: name, Size: size, Members: ms}
	}
	return &btf.Struct{Name: name, Size: size, Members: ms}
}

func strct(name string, members ...member) *btf.Struct {
	return declare(name, false, members...).(*btf.Struct)
}

func union(name string, members ...member) *btf.Union {
	return declare(name, true, members...).(*btf.Union)
}

func array(elem btf.Type, n uint32) *btf.Array {
	return &btf.Array{Index: u32, Type: elem, Nelems: n}
}

func alignment(t btf.Type) uint32 {
	switch t := btf.UnderlyingType(t).(type) {
	case *btf.Int:
		return t.Size
	case *btf.Pointer:
		return 8
	case *btf.Array:
		return alignment(t.Type)
	case *btf.Struct:
		a := uint32(1)
		for _, m := range t.Members {
			a = max(a, alignment(m.Type))
		}
		return a
	case *btf.Union:
		a := uint32(1)
		for _, m := range t.Members {
			a = max(a, alignment(m.Type))
		}
		return a
	case *btf.Enum:
		return t.Size
	}
	return 1
}

// typedef names an anonymous struct the way the kernel does (kuid_t).
func typedef(name string, t btf.Type) *btf.Typedef { return &btf.Typedef{Name: name, Type: t} }

var (
	nsCommon = strct("ns_common", m("inum", u32))

	kuid       = typedef("kuid_t", strct("", m("val", u32)))
	kgid       = typedef("kgid_t", strct("", m("val", u32)))
	kernelCapT = typedef("kernel_cap_t", strct("", m("val", u64)))
	atomicT    = typedef("atomic_t", strct("", m("counter", s32)))
	atomic64T  = typedef("atomic64_t", strct("", m("counter", s64)))

	// ThreadInfo is x86's struct thread_info (status holds TS_COMPAT)
	// and arm64's (flags holds TIF_32BIT).
	ThreadInfo = strct("thread_info", m("flags", u64), m("status", u32))

	Task = strct("task_struct",
		m("thread_info", ThreadInfo),
		m("flags", u32),
		m("mm", ptr),
		m("exit_code", s32),
		m("pid", s32),
		m("tgid", s32),
		m("real_parent", ptr),
		m("group_leader", ptr),
		m("thread_pid", ptr),
		m("start_time", u64),
		m("real_cred", ptr),
		m("cred", ptr),
		m("fs", ptr),
		m("files", ptr),
		m("nsproxy", ptr),
		m("signal", ptr),
	)

	Upid = strct("upid", m("nr", s32), m("ns", ptr))
	Pid  = strct("pid", m("level", u32), m("numbers", array(Upid, 1)))

	PidNamespace    = strct("pid_namespace", m("ns", nsCommon))
	UtsNamespace    = strct("uts_namespace", m("ns", nsCommon))
	IpcNamespace    = strct("ipc_namespace", m("ns", nsCommon))
	MntNamespace    = strct("mnt_namespace", m("ns", nsCommon))
	NetNamespace    = strct("net", m("ns", nsCommon))
	TimeNamespace   = strct("time_namespace", m("ns", nsCommon))
	CgroupNamespace = strct("cgroup_namespace", m("ns", nsCommon))
	UserNamespace   = strct("user_namespace",
		m("level", u32), m("owner", kuid), m("group", kgid), m("ns", nsCommon))

	Nsproxy = strct("nsproxy",
		m("uts_ns", ptr), m("ipc_ns", ptr), m("mnt_ns", ptr), m("pid_ns_for_children", ptr),
		m("net_ns", ptr), m("time_ns", ptr), m("time_ns_for_children", ptr), m("cgroup_ns", ptr))

	Cred = strct("cred",
		m("uid", kuid), m("gid", kgid), m("suid", kuid), m("sgid", kgid),
		m("euid", kuid), m("egid", kgid), m("fsuid", kuid), m("fsgid", kgid),
		m("securebits", u32),
		m("cap_inheritable", kernelCapT), m("cap_permitted", kernelCapT),
		m("cap_effective", kernelCapT),
		m("user_ns", ptr))

	PathT   = strct("path", m("mnt", ptr), m("dentry", ptr))
	FsT     = strct("fs_struct", m("root", PathT), m("pwd", PathT))
	Qstr    = strct("qstr", m("len", u32), m("name", ptr))
	Dentry  = strct("dentry", m("d_parent", ptr), m("d_name", Qstr), m("d_inode", ptr))
	File    = strct("file", m("f_path", PathT), m("f_inode", ptr))
	Inode   = strct("inode", m("i_mode", u16), m("i_sb", ptr), m("i_ino", u64))
	Super   = strct("super_block", m("s_dev", u32))
	Vfsmnt  = strct("vfsmount", m("mnt_root", ptr))
	Mount   = strct("mount", m("mnt_parent", ptr), m("mnt_mountpoint", ptr), m("mnt", Vfsmnt))
	Mm      = strct("mm_struct", m("exe_file", ptr), m("arg_start", u64), m("arg_end", u64))
	Signal  = strct("signal_struct", m("live", atomicT))
	Binprm  = strct("linux_binprm", m("file", ptr), m("filename", ptr))
	Kiocb   = strct("kiocb", m("ki_filp", ptr))
	Module  = strct("module", m("name", array(char, 56)))
	NetDev  = strct("net_device", m("name", array(char, 16)))
	LoadInf = strct("load_info", m("name", ptr))

	// Sockets. sock_common's members sit in anonymous unions in the kernel;
	// CO-RE finds them by name.
	in6Addr    = strct("in6_addr", m("in6_u", array(u8, 16)))
	SockCommon = strct("sock_common",
		m("skc_daddr", u32), m("skc_rcv_saddr", u32),
		m("skc_dport", u16), m("skc_num", u16),
		m("skc_family", u16), m("skc_state", u8),
		m("skc_v6_daddr", in6Addr), m("skc_v6_rcv_saddr", in6Addr),
		m("skc_cookie", atomic64T))
	Sock = strct("sock",
		m("__sk_common", SockCommon),
		m("sk_protocol", u16), m("sk_type", u16),
		m("sk_mark", u32), m("sk_priority", u32))
	Socket = strct("socket", m("type", u16), m("sk", ptr))
	SkBuff = strct("sk_buff",
		m("len", u32), m("hash", u32), m("priority", u32), m("mark", u32),
		m("protocol", u16), m("transport_header", u16), m("network_header", u16),
		m("head", ptr))

	BpfMapT = strct("bpf_map",
		m("map_type", &btf.Enum{Name: "bpf_map_type", Size: 4}), m("key_size", u32), m("value_size", u32),
		m("max_entries", u32), m("name", array(char, 16)))
	BpfProgAux    = strct("bpf_prog_aux", m("name", array(char, 16)))
	BpfProgT      = strct("bpf_prog", m("type", &btf.Enum{Name: "bpf_prog_type", Size: 4}), m("len", u32), m("aux", ptr))
	PerfEventAttr = strct("perf_event_attr",
		m("type", u32), m("config", u64), m("kprobe_func", u64), m("probe_offset", u64))
	PerfEvent = strct("perf_event", m("attr", PerfEventAttr))
	Filename  = strct("filename", m("name", ptr))

	// IovIter is struct iov_iter of 6.4 and later (the iovec array is
	// __iov); IovIterOld the name before (iov). Every member sits in
	// anonymous unions in the kernel.
	IovIter = strct("iov_iter",
		m("iter_type", u8), m("__iov", ptr), m("ubuf", ptr), m("count", u64), m("nr_segs", u64))
	IovIterOld = strct("iov_iter", m("iov", ptr))
	// IovIterTyped is struct iov_iter before 5.14: no iter_type, but a
	// type whose bit 0 is the direction and the rest an enum iter_type
	// flag (ITER_IOVEC is 4 there).
	IovIterTyped = strct("iov_iter", m("type", u32))
	// IterType is enum iter_type: the values are relocated by name.
	IterType = &btf.Enum{Name: "iter_type", Size: 4, Values: []btf.EnumValue{
		{Name: "ITER_UBUF", Value: 0}, {Name: "ITER_IOVEC", Value: 1}}}

	// Msghdr is struct msghdr: the message of a sendmsg, whose iterator
	// (embedded) describes the data.
	Msghdr = strct("msghdr", m("msg_iter", IovIter))

	// BpfAttr is the BPF_PROG_LOAD part of union bpf_attr.
	BpfAttr = union("bpf_attr", m("prog_type", u32), m("insn_cnt", u32), m("prog_name", array(char, 16)))
)

// Accessor returns the CO-RE access string of the member path (dotted,
// e.g. "thread_info.status") in t. Paths are constants of this package and
// its callers; a wrong one is a programming error and panics.
func Accessor(t btf.Type, path string) string {
	acc := []string{"0"}
	cur := t
	for _, name := range strings.Split(path, ".") {
		idx, next := memberIndex(cur, name)
		if idx < 0 {
			panic(fmt.Sprintf("kern: %s has no member %q (path %s)", cur.TypeName(), name, path))
		}
		acc = append(acc, strconv.Itoa(idx))
		cur = next
	}
	return strings.Join(acc, ":")
}

func memberIndex(t btf.Type, name string) (int, btf.Type) {
	var members []btf.Member
	switch t := btf.UnderlyingType(t).(type) {
	case *btf.Struct:
		members = t.Members
	case *btf.Union:
		members = t.Members
	case *btf.Array:
		// "numbers.0": an index into an array member.
		if i, err := strconv.Atoi(name); err == nil {
			return i, t.Type
		}
	}
	for i, mem := range members {
		if mem.Name == name {
			return i, mem.Type
		}
	}
	return -1, nil
}

// Off marks ins (a load, store or ALU immediate) with the byte offset of
// the member path in t, relocated at load.
func Off(ins asm.Instruction, t btf.Type, path string) asm.Instruction {
	return object.CORE(ins, t, Accessor(t, path), object.FieldByteOffset)
}

// Size marks ins with the size of type t in the target kernel.
func Size(ins asm.Instruction, t btf.Type) asm.Instruction {
	return object.CORE(ins, t, "0", object.TypeSize)
}

// FieldSize marks ins with the byte size of the member path in t.
func FieldSize(ins asm.Instruction, t btf.Type, path string) asm.Instruction {
	return object.CORE(ins, t, Accessor(t, path), object.FieldByteSize)
}

// Exists marks ins with 1 when the member path of t exists in the target
// kernel, else 0.
func Exists(ins asm.Instruction, t btf.Type, path string) asm.Instruction {
	return object.CORE(ins, t, Accessor(t, path), object.FieldExists)
}

// Address families and IP protocols the readers and the address tests
// compare with.
const (
	AFInet     = 2   // AF_INET
	AFInet6    = 10  // AF_INET6
	ProtoTCP   = 6   // IPPROTO_TCP
	ProtoUDP   = 17  // IPPROTO_UDP
	ProtoSCTP  = 132 // IPPROTO_SCTP
	ProtoUDPLt = 136 // IPPROTO_UDPLITE
)
