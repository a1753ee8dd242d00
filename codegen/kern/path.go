package kern

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
)

// FuncPath is the subprogram that writes the path of a dentry:
//
//	R1 = struct dentry *, R2 = struct vfsmount * (0: stop at the root of
//	the dentry's file system instead of crossing mounts), R3 = where to
//	write the path (no NUL), R4 = room there (a constant, 1 to PathMax).
//	Returns R0 = length | flags<<32, flags being bpf.BytesTruncated (the
//	path was longer than the room or PathMax, its start is kept) or
//	bpf.BytesFault (nothing could be read).
//
// The low and high halves of R0 are the Len and Flags of a bpf.BytesHeader,
// so callers store R0 as the first 8 bytes of one.
//
// Like the kernel's d_path, it walks d_parent up to the current task's
// root (current->fs->root), crossing from the root of a mount to its
// mount point in the parent mount, and stops at the global root. The walk
// is a bpf_loop of at most PathLoops steps (polc_path_step) writing
// components from the end of a buffer in the TmpMap.
const FuncPath = "polc_path"

// FuncPathStep is FuncPath's bpf_loop callback: one component of the walk.
const FuncPathStep = "polc_path_step"

// PathStepsNoLoop bounds the walk of FuncPath's variant for kernels without
// bpf_loop (codegen.AddFallbacks): each step is verified anew there, so the
// bound is that of a deep path, not PathLoops. A longer path keeps its last
// components and is flagged pathTruncated.
const PathStepsNoLoop = 128

// Flags a path walk returns (bpf.BytesTruncated, bpf.BytesFault).
const (
	pathTruncated = 1
	pathFault     = 2
)

func mustInsns(b *emit.Builder) asm.Instructions {
	insns, err := b.Instructions()
	if err != nil {
		panic(err) // the routines are constant: a test builds every one
	}
	return insns
}

func pathFunc(l *Lib) *object.Func {
	l.UseTmp()
	var b emit.Builder
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R3),
		asm.Mov.Reg(asm.R7, asm.R4),
		asm.StoreMem(asm.RFP, -8, asm.R1, asm.DWord),
		asm.StoreMem(asm.RFP, -16, asm.R2, asm.DWord),
		emit.StoreImm(asm.RFP, -20, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(TmpMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -20),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "fault"),
		asm.Mov.Reg(asm.R8, asm.R0),
		asm.LoadMem(asm.R1, asm.RFP, -8, asm.DWord),
		asm.JEq.Imm(asm.R1, 0, "fault"),
		asm.StoreMem(asm.R8, tmpDentry, asm.R1, asm.DWord),
		asm.LoadMem(asm.R1, asm.RFP, -16, asm.DWord),
		asm.StoreMem(asm.R8, tmpMnt, asm.R1, asm.DWord),
		emit.StoreImm(asm.R8, tmpPos, PathMax, asm.Word),
		emit.StoreImm(asm.R8, tmpFlags, 0, asm.Word),
	)
	// The walk stops at the task's root: current->fs->root.
	CurrentTask(&b, asm.R9)
	ReadKernel(&b, asm.R9, asm.R9, Task, "fs", asm.DWord, -32)
	ReadKernel(&b, asm.R1, asm.R9, FsT, "root.dentry", asm.DWord, -32)
	b.Emit(asm.StoreMem(asm.R8, tmpRootDentry, asm.R1, asm.DWord))
	ReadKernel(&b, asm.R1, asm.R9, FsT, "root.mnt", asm.DWord, -32)
	b.Emit(
		asm.StoreMem(asm.R8, tmpRootMnt, asm.R1, asm.DWord),
		// bpf_loop hands the callback a stack pointer: the TmpMap value's
		// address is passed through the stack.
		asm.StoreMem(asm.RFP, -40, asm.R8, asm.DWord),
		asm.Mov.Imm(asm.R1, PathLoops),
		l.FuncAddr(asm.R2, FuncPathStep),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, -40),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnLoop.Call(),
		// All steps taken and still not at the root: the path is cut.
		asm.JLT.Imm(asm.R0, PathLoops, "walked"),
		asm.LoadMem(asm.R1, asm.R8, tmpFlags, asm.Word),
		asm.Or.Imm(asm.R1, pathTruncated),
		asm.StoreMem(asm.R8, tmpFlags, asm.R1, asm.Word),
	)
	b.Label("walked")
	b.Emit(
		asm.LoadMem(asm.R1, asm.R8, tmpPos, asm.Word),
		asm.JGT.Imm(asm.R1, PathMax, "fault"),
		asm.Mov.Imm(asm.R2, PathMax),
		asm.Sub.Reg(asm.R2, asm.R1),
		asm.JNE.Imm(asm.R2, 0, "copy"),
		// Nothing above the root: the path is "/".
		emit.StoreImm(asm.R6, 0, '/', asm.Byte),
		asm.Mov.Imm(asm.R0, 1),
		asm.Return(),
	)
	b.Label("copy")
	b.Emit(
		asm.JLE.Reg(asm.R2, asm.R7, "fits"),
		asm.Mov.Reg(asm.R2, asm.R7),
		asm.LoadMem(asm.R3, asm.R8, tmpFlags, asm.Word),
		asm.Or.Imm(asm.R3, pathTruncated),
		asm.StoreMem(asm.R8, tmpFlags, asm.R3, asm.Word),
	)
	b.Label("fits")
	b.Emit(
		asm.StoreMem(asm.RFP, -8, asm.R2, asm.DWord),
		asm.Mov.Reg(asm.R3, asm.R8),
		asm.Add.Reg(asm.R3, asm.R1),
		asm.Add.Imm(asm.R3, tmpPathBuf),
		asm.Mov.Reg(asm.R1, asm.R6),
		asm.FnProbeReadKernel.Call(),
		asm.LoadMem(asm.R0, asm.R8, tmpFlags, asm.Word),
		asm.LSh.Imm(asm.R0, 32),
		asm.LoadMem(asm.R1, asm.RFP, -8, asm.DWord),
		asm.Or.Reg(asm.R0, asm.R1),
		asm.Return(),
	)
	b.Label("fault")
	b.Emit(
		asm.LoadImm(asm.R0, pathFault<<32, asm.DWord),
		asm.Return(),
	)
	return &object.Func{Name: FuncPath, Insns: mustInsns(&b)}
}

// pathStepFunc is the bpf_loop callback of one step of the walk: R2
// points to the TmpMap value's address. It returns 1 to stop.
func pathStepFunc(l *Lib) *object.Func {
	var b emit.Builder
	b.Emit(
		asm.LoadMem(asm.R6, asm.R2, 0, asm.DWord),
		asm.LoadMem(asm.R7, asm.R6, tmpDentry, asm.DWord),
		asm.JEq.Imm(asm.R7, 0, "stop"),
		asm.LoadMem(asm.R8, asm.R6, tmpMnt, asm.DWord),
		asm.LoadMem(asm.R1, asm.R6, tmpRootDentry, asm.DWord),
		asm.JNE.Reg(asm.R7, asm.R1, "below_root"),
		asm.LoadMem(asm.R1, asm.R6, tmpRootMnt, asm.DWord),
		asm.JEq.Reg(asm.R8, asm.R1, "stop"),
	)
	b.Label("below_root")
	ReadKernel(&b, asm.R9, asm.R7, Dentry, "d_parent", asm.DWord, -8)
	b.Emit(asm.JEq.Imm(asm.R8, 0, "fs_root"))
	ReadKernel(&b, asm.R1, asm.R8, Vfsmnt, "mnt_root", asm.DWord, -8)
	b.Emit(asm.JEq.Reg(asm.R7, asm.R1, "cross"))
	b.Label("fs_root")
	b.Emit(asm.JNE.Reg(asm.R7, asm.R9, "component"))

	// The dentry is the root of its mount: continue from the mount point
	// in the parent mount, unless this is the topmost mount.
	b.Label("cross")
	b.Emit(
		asm.JEq.Imm(asm.R8, 0, "stop"),
		Off(asm.Sub.Imm(asm.R8, 0), Mount, "mnt"),
	)
	ReadKernel(&b, asm.R9, asm.R8, Mount, "mnt_parent", asm.DWord, -8)
	b.Emit(
		asm.JEq.Reg(asm.R9, asm.R8, "stop"),
		asm.JEq.Imm(asm.R9, 0, "stop"),
	)
	ReadKernel(&b, asm.R1, asm.R8, Mount, "mnt_mountpoint", asm.DWord, -8)
	b.Emit(
		asm.StoreMem(asm.R6, tmpDentry, asm.R1, asm.DWord),
		Off(asm.Add.Imm(asm.R9, 0), Mount, "mnt"),
		asm.StoreMem(asm.R6, tmpMnt, asm.R9, asm.DWord),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	)

	// Prepend "/" and the dentry's name, then go to its parent.
	b.Label("component")
	ReadKernel(&b, asm.R8, asm.R7, Dentry, "d_name.len", asm.Word, -8)
	ReadKernel(&b, asm.R1, asm.R7, Dentry, "d_name.name", asm.DWord, -8)
	b.Emit(
		asm.StoreMem(asm.RFP, -16, asm.R1, asm.DWord),
		asm.JGT.Imm(asm.R8, NameMax, "truncated"),
		asm.LoadMem(asm.R1, asm.R6, tmpPos, asm.Word),
		asm.JGT.Imm(asm.R1, PathMax, "stop"),
		asm.Sub.Reg(asm.R1, asm.R8),
		asm.Sub.Imm(asm.R1, 1),
		// Unsigned, so that a negative position is caught too.
		asm.JGT.Imm(asm.R1, PathMax-1, "truncated"),
		asm.StoreMem(asm.R6, tmpPos, asm.R1, asm.Word),
		asm.Add.Reg(asm.R1, asm.R6),
		asm.Add.Imm(asm.R1, tmpPathBuf),
		emit.StoreImm(asm.R1, 0, '/', asm.Byte),
		asm.Add.Imm(asm.R1, 1),
		asm.Mov.Reg(asm.R2, asm.R8),
		asm.LoadMem(asm.R3, asm.RFP, -16, asm.DWord),
		asm.FnProbeReadKernel.Call(),
		asm.StoreMem(asm.R6, tmpDentry, asm.R9, asm.DWord),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	)
	b.Label("truncated")
	b.Emit(
		asm.LoadMem(asm.R1, asm.R6, tmpFlags, asm.Word),
		asm.Or.Imm(asm.R1, pathTruncated),
		asm.StoreMem(asm.R6, tmpFlags, asm.R1, asm.Word),
	)
	b.Label("stop")
	b.Emit(asm.Mov.Imm(asm.R0, 1), asm.Return())
	return &object.Func{Name: FuncPathStep, Insns: mustInsns(&b)}
}
