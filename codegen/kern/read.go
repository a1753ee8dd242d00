package kern

import (
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
)

// ReadKernel emits dst = *(size *)(base + offsetof(t, path)) through
// bpf_probe_read_kernel into the stack slot at fp+tmp. A failed read
// yields 0: the helper zeroes its destination on error. base may be any
// register; dst may be base.
func ReadKernel(b *emit.Builder, dst, base asm.Register, t btf.Type, path string, size asm.Size, tmp int16) {
	b.Emit(
		asm.Mov.Reg(asm.R3, base),
		Off(asm.Add.Imm(asm.R3, 0), t, path),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, int32(tmp)),
		asm.Mov.Imm(asm.R2, int32(size.Sizeof())),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(dst, asm.RFP, tmp, size),
	)
}

// ReadKernelInto emits bpf_probe_read_kernel(dst+dstOff, n, base+offsetof(t,
// path)), for members copied as they are into a record. dst must be a
// register other than R1 to R3 that stays valid across the call.
func ReadKernelInto(b *emit.Builder, dst asm.Register, dstOff int32, n int32, base asm.Register, t btf.Type, path string) {
	b.Emit(
		asm.Mov.Reg(asm.R3, base),
		Off(asm.Add.Imm(asm.R3, 0), t, path),
		asm.Mov.Reg(asm.R1, dst),
		asm.Add.Imm(asm.R1, dstOff),
		asm.Mov.Imm(asm.R2, n),
		asm.FnProbeReadKernel.Call(),
	)
}

// CurrentTask emits dst = bpf_get_current_task().
func CurrentTask(b *emit.Builder, dst asm.Register) {
	b.Emit(asm.FnGetCurrentTask.Call())
	if dst != asm.R0 {
		b.Emit(asm.Mov.Reg(dst, asm.R0))
	}
}

// NamespaceInum emits dst = the inode number of the namespace of kind ns
// (ir.Namespace numbering: Uts, Ipc, Mnt, Pid, PidForChildren, Net, Time,
// TimeForChildren, Cgroup, User) of task, or 0 if unreadable. The task
// register is kept.
func NamespaceInum(b *emit.Builder, dst, task asm.Register, ns int, tmp int16) {
	type hop struct {
		t    btf.Type
		path string
	}
	var field hop
	switch ns {
	case 3: // Pid: the active pid namespace, thread_pid->numbers[level].ns
		ReadKernel(b, asm.R4, task, Task, "thread_pid", asm.DWord, tmp)
		b.Emit(asm.Mov.Reg(asm.R5, asm.R4))
		b.Emit(asm.StoreMem(asm.RFP, tmp-8, asm.R4, asm.DWord))
		ReadKernel(b, asm.R0, asm.R4, Pid, "level", asm.Word, tmp)
		// r0 = level * sizeof(struct upid)
		b.Emit(Size(asm.Mul.Imm(asm.R0, 0), Upid))
		b.Emit(asm.LoadMem(asm.R4, asm.RFP, tmp-8, asm.DWord))
		b.Emit(asm.Add.Reg(asm.R4, asm.R0))
		ReadKernel(b, asm.R4, asm.R4, Pid, "numbers.0.ns", asm.DWord, tmp)
		ReadKernel(b, dst, asm.R4, PidNamespace, "ns.inum", asm.Word, tmp)
		return
	case 9: // User: cred->user_ns
		ReadKernel(b, asm.R4, task, Task, "cred", asm.DWord, tmp)
		ReadKernel(b, asm.R4, asm.R4, Cred, "user_ns", asm.DWord, tmp)
		ReadKernel(b, dst, asm.R4, UserNamespace, "ns.inum", asm.Word, tmp)
		return
	case 0:
		field = hop{UtsNamespace, "uts_ns"}
	case 1:
		field = hop{IpcNamespace, "ipc_ns"}
	case 2:
		field = hop{MntNamespace, "mnt_ns"}
	case 4:
		field = hop{PidNamespace, "pid_ns_for_children"}
	case 5:
		field = hop{NetNamespace, "net_ns"}
	case 6:
		field = hop{TimeNamespace, "time_ns"}
	case 7:
		field = hop{TimeNamespace, "time_ns_for_children"}
	case 8:
		field = hop{CgroupNamespace, "cgroup_ns"}
	default:
		panic("kern: namespace kind out of range")
	}
	ReadKernel(b, asm.R4, task, Task, "nsproxy", asm.DWord, tmp)
	ReadKernel(b, asm.R4, asm.R4, Nsproxy, field.path, asm.DWord, tmp)
	ReadKernel(b, dst, asm.R4, field.t, "ns.inum", asm.Word, tmp)
}

// Capability sets, in the order of bpf.Proc.Caps.
const (
	CapPermitted   = 0
	CapEffective   = 1
	CapInheritable = 2
)

var capFields = [3]string{"cap_permitted", "cap_effective", "cap_inheritable"}

// Caps emits dst = the capability set (CapPermitted, ...) of task's
// credentials as a 64-bit mask. kernel_cap_t is u32[2] before 6.3 and u64
// after; both read as the same little-endian 64 bits.
func Caps(b *emit.Builder, dst, task asm.Register, set int, tmp int16) {
	ReadKernel(b, asm.R4, task, Task, "cred", asm.DWord, tmp)
	ReadKernel(b, dst, asm.R4, Cred, capFields[set], asm.DWord, tmp)
}

// NamespacePid emits dst = the tgid of task as its own pid namespace sees
// it: group_leader->thread_pid->numbers[level].nr.
func NamespacePid(b *emit.Builder, dst, task asm.Register, tmp int16) {
	ReadKernel(b, asm.R4, task, Task, "group_leader", asm.DWord, tmp)
	ReadKernel(b, asm.R4, asm.R4, Task, "thread_pid", asm.DWord, tmp)
	b.Emit(asm.StoreMem(asm.RFP, tmp-8, asm.R4, asm.DWord))
	ReadKernel(b, asm.R0, asm.R4, Pid, "level", asm.Word, tmp)
	b.Emit(Size(asm.Mul.Imm(asm.R0, 0), Upid))
	b.Emit(asm.LoadMem(asm.R4, asm.RFP, tmp-8, asm.DWord))
	b.Emit(asm.Add.Reg(asm.R4, asm.R0))
	ReadKernel(b, dst, asm.R4, Pid, "numbers.0.nr", asm.Word, tmp)
}

// CountDrop emits, after a bpf_ringbuf_output, an increment of the shared
// drop counter (bpf.DropsMap) when the output failed. key is a free
// 4-byte stack slot.
func CountDrop(b *emit.Builder, key int16) {
	done := b.Fresh("posted")
	b.Emit(
		asm.JEq.Imm(asm.R0, 0, done),
		emit.StoreImm(asm.RFP, key, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.DropsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, int32(key)),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, done),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.Add.Imm(asm.R1, 1),
		asm.StoreMem(asm.R0, 0, asm.R1, asm.DWord),
	)
	b.Label(done)
	b.Emit(asm.Mov.Imm(asm.R0, 0))
}
