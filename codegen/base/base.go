package base

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
)

// Name is the manifest's policy name of the base object.
const Name = "polc-base"

// Program names.
const (
	ProgExec = "polc_base_exec"
	ProgFork = "polc_base_fork"
	ProgExit = "polc_base_exit"
)

// scratchMap holds the record being built: a header and a ProcEvent, and
// for exec an ExecData and its strings.
const scratchMap = "polc_base_rec"

const (
	recSize  = bpf.HeaderSize + bpf.ProcEventSize
	procOff  = bpf.HeaderSize // the Proc in the scratch record
	exitOff  = procOff + bpf.ProcEventExitCodeOff
	pFlags   = procOff + bpf.ProcFlagsOff
	pPpid    = procOff + bpf.ProcPpidOff
	pStart   = procOff + bpf.ProcStartOff
	pUID     = procOff + bpf.ProcUIDOff
	pNs      = procOff + bpf.ProcNsOff
	pCaps    = procOff + bpf.ProcCapsOff
	pBinLen  = procOff + bpf.ProcBinaryLenOff
	pBinary  = procOff + bpf.ProcBinaryOff
	stKey    = -8
	stTmp    = -16 // and -24: kern scratch
	stTgid   = -32
	stChild  = -40
	stParent = -48
)

// The ExecData of an exec record, and its strings.
const (
	execOff = recSize
	execStr = execOff + bpf.ExecDataSize
	execMax = execStr + bpf.CwdMax + bpf.ArgsMax // the largest exec record
)

// Object builds the base object. It is deterministic: the same polc gives
// the same bytes.
func Object() ([]byte, error) {
	lib := kern.NewLib()
	progs := []struct {
		name, event string
		gen         func(*emit.Builder, *kern.Lib)
	}{
		{ProgExec, "sched_process_exec", execProgram},
		{ProgFork, "sched_process_fork", forkProgram},
		{ProgExit, "sched_process_exit", exitProgram},
	}
	obj := &object.Object{License: "GPL"}
	m := &bpf.Manifest{Format: bpf.ManifestFormat, Policy: Name, Compiler: "polc", Source: "codegen/base",
		Arch: "any", Features: []string{bpf.FeatureBTF, bpf.FeatureBpfLoop, bpf.FeatureRawTracepoint, bpf.FeatureRingbuf}}
	for i, p := range progs {
		var b emit.Builder
		p.gen(&b, lib)
		insns, err := b.Instructions()
		if err != nil {
			return nil, fmt.Errorf("base: %s: %w", p.name, err)
		}
		section := "raw_tracepoint/" + p.event
		obj.Programs = append(obj.Programs, &object.Program{Name: p.name, Section: section, Insns: insns})
		m.Hooks = append(m.Hooks, bpf.Hook{ID: i, Kind: "raw_tracepoint", Target: "sched/" + p.event, Call: p.event,
			Programs: []bpf.Program{{Name: p.name, Section: section, Attach: "raw_tracepoint", Target: p.event}},
			Args:     []bpf.Arg{}})
	}
	obj.Funcs = lib.Funcs()
	obj.Maps = append(codegen.SharedMaps(),
		&object.Map{Name: scratchMap, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: execMax, MaxEntries: 1},
		&object.Map{Name: bpf.CountersMap, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: bpf.CountersSize, MaxEntries: 1},
		prog.CmdArgsMap())
	obj.Maps = append(obj.Maps, lib.Maps()...)
	sum := sha256.Sum256(nil)
	m.SourceSHA256 = hex.EncodeToString(sum[:])
	codegen.Optimize(obj) // the peephole rules every bundle gets
	// Fallbacks for kernels without bpf_loop: the exec program's path walk.
	if _, err := codegen.AddFallbacks(obj, m); err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	return codegen.Seal(obj, m)
}

// prologue finds the scratch record (R9) and keeps the context (R6).
func prologue(b *emit.Builder) {
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R1),
		emit.StoreImm(asm.RFP, stKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(scratchMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "exit"),
		asm.Mov.Reg(asm.R9, asm.R0),
	)
}

// header fills the record header for an event about the task in R7.
func header(b *emit.Builder, kind bpf.EventKind) {
	b.Emit(
		emit.StoreImm(asm.R9, bpf.HeaderKindOff, int64(kind)|bpf.EventVersion<<(8*bpf.HeaderVersionOff), asm.Word),
		emit.StoreImm(asm.R9, bpf.HeaderSizeOff, recSize, asm.Word),
		asm.FnKtimeGetBootNs.Call(),
		asm.StoreMem(asm.R9, bpf.HeaderKtimeOff, asm.R0, asm.DWord),
		// PolicyID, HookID, Selector and Action: 0 in one store.
		emit.StoreImm(asm.R9, bpf.HeaderPolicyIDOff, 0, asm.DWord),
		emit.StoreImm(asm.R9, bpf.HeaderRetOff, 0, asm.DWord),
	)
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "tgid", asm.Word, stTmp)
	b.Emit(asm.StoreMem(asm.R9, bpf.HeaderTgidOff, asm.R1, asm.Word))
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "pid", asm.Word, stTmp)
	b.Emit(asm.StoreMem(asm.R9, bpf.HeaderPidOff, asm.R1, asm.Word))
}

// output posts the scratch record.
func output(b *emit.Builder) {
	b.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Reg(asm.R2, asm.R9),
		asm.Mov.Imm(asm.R3, recSize),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnRingbufOutput.Call(),
	)
	countPosted(b)
}

// countPosted emits, after the bpf_ringbuf_output whose result is in R0,
// the count of the record in the base's own counters (bpf.CountersMap,
// pinned in the base's directory: polrun list's base row): Posted when
// the ring took it, else Lost and the shared drop counter. R0 is 0 after.
func countPosted(b *emit.Builder) {
	lost, done := b.Fresh("post_lost"), b.Fresh("post_counted")
	b.Emit(asm.JNE.Imm(asm.R0, 0, lost))
	countAdd(b, bpf.CountersPostedOff)
	b.Emit(asm.Ja.Label(done))
	b.Label(lost)
	kern.CountDrop(b, stKey)
	countAdd(b, bpf.CountersLostOff)
	b.Label(done)
	b.Emit(asm.Mov.Imm(asm.R0, 0))
}

// countAdd emits counters[off] += 1 on this CPU, atomically (a program
// interrupting another on the same CPU loses no count).
func countAdd(b *emit.Builder, off int16) {
	done := b.Fresh("counted")
	b.Emit(
		emit.StoreImm(asm.RFP, stKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.CountersMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, done),
		asm.Mov.Imm(asm.R1, 1),
		asm.AddAtomic.Mem(asm.R0, asm.R1, asm.DWord, off),
	)
	b.Label(done)
}

// lookupProcInto copies the table entry of the tgid at fp+stTgid into the
// scratch Proc, or zeroes it when there is none.
func lookupProcInto(b *emit.Builder) {
	b.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ProcsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stTgid),
		asm.FnMapLookupElem.Call(),
		asm.Mov.Reg(asm.R3, asm.R0),
		asm.Mov.Reg(asm.R1, asm.R9),
		asm.Add.Imm(asm.R1, procOff),
		asm.Mov.Imm(asm.R2, bpf.ProcSize),
		asm.FnProbeReadKernel.Call(),
	)
}

// storeProc writes the scratch Proc into the table under fp+stTgid.
func storeProc(b *emit.Builder) {
	b.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ProcsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stTgid),
		asm.Mov.Reg(asm.R3, asm.R9),
		asm.Add.Imm(asm.R3, procOff),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
	bumpGeneration(b)
}

// bumpGeneration adds 1 to the process table's generation
// (bpf.ProcsGenMap) and to the generation of the tgid at fp+stTgid
// (its bucket of bpf.ProcGensMap), after the change to the table, so that
// a policy program that read an old generation recomputes its cached
// verdicts.
func bumpGeneration(b *emit.Builder) {
	bump := func(m string) {
		b.Emit(
			asm.LoadMapPtr(asm.R1, 0).WithReference(m),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, stKey),
			asm.FnMapLookupElem.Call(),
		)
		skip := b.Fresh("gen_missing")
		b.Emit(
			asm.JEq.Imm(asm.R0, 0, skip),
			asm.Mov.Imm(asm.R1, 1),
			asm.StoreXAdd(asm.R0, asm.R1, asm.DWord),
		)
		b.Label(skip)
	}
	b.Emit(emit.StoreImm(asm.RFP, stKey, 0, asm.Word))
	bump(bpf.ProcsGenMap)
	b.Emit(
		asm.LoadMem(asm.R1, asm.RFP, stTgid, asm.Word),
		asm.And.Imm(asm.R1, bpf.ProcGenBuckets-1),
		asm.StoreMem(asm.RFP, stKey, asm.R1, asm.Word),
	)
	bump(bpf.ProcGensMap)
	b.Emit(asm.Mov.Imm(asm.R0, 0))
}

func exitLabel(b *emit.Builder) {
	b.Label("exit")
	b.Emit(asm.Mov.Imm(asm.R0, 0), asm.Return())
}

// execProgram: raw tracepoint sched_process_exec(task, old_pid, bprm).
func execProgram(b *emit.Builder, lib *kern.Lib) {
	b.Source(object.Line{Text: "sched_process_exec: fill the process table entry"})
	prologue(b)
	b.Emit(asm.LoadMem(asm.R7, asm.R6, 0, asm.DWord)) // the task
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "tgid", asm.Word, stTmp)
	b.Emit(asm.StoreMem(asm.RFP, stTgid, asm.R1, asm.DWord))
	lookupProcInto(b)
	// StartKtime: kept from fork; the process may predate the table.
	b.Emit(
		asm.LoadMem(asm.R1, asm.R9, pStart, asm.DWord),
		asm.JNE.Imm(asm.R1, 0, "started"),
		asm.FnKtimeGetBootNs.Call(),
		asm.StoreMem(asm.R9, pStart, asm.R0, asm.DWord),
	)
	b.Label("started")
	b.Emit(
		asm.LoadMem(asm.R1, asm.RFP, stTgid, asm.DWord),
		asm.StoreMem(asm.R9, procOff, asm.R1, asm.Word),
		emit.StoreImm(asm.R9, pFlags, bpf.ProcExeced, asm.Word),
	)
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "real_parent", asm.DWord, stTmp)
	kern.ReadKernel(b, asm.R1, asm.R1, kern.Task, "tgid", asm.Word, stTmp)
	b.Emit(asm.StoreMem(asm.R9, pPpid, asm.R1, asm.Word))
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "cred", asm.DWord, stTmp)
	kern.ReadKernel(b, asm.R1, asm.R1, kern.Cred, "uid", asm.Word, stTmp)
	b.Emit(asm.StoreMem(asm.R9, pUID, asm.R1, asm.Word))
	for ns := 0; ns < bpf.NumNamespaces; ns++ {
		kern.NamespaceInum(b, asm.R1, asm.R7, ns, stTmp)
		b.Emit(asm.StoreMem(asm.R9, int16(pNs+4*ns), asm.R1, asm.Word))
	}
	for set := 0; set < 3; set++ {
		kern.Caps(b, asm.R1, asm.R7, set, stTmp)
		b.Emit(asm.StoreMem(asm.R9, int16(pCaps+8*set), asm.R1, asm.DWord))
	}
	// The binary: the real path of bprm->file, at most BinaryMax-1 bytes.
	b.Emit(asm.LoadMem(asm.R8, asm.R6, 16, asm.DWord)) // bprm
	kern.ReadKernel(b, asm.R8, asm.R8, kern.Binprm, "file", asm.DWord, stTmp)
	kern.ReadKernel(b, asm.R2, asm.R8, kern.File, "f_path.mnt", asm.DWord, stTmp)
	b.Emit(asm.StoreMem(asm.RFP, stParent, asm.R2, asm.DWord))
	kern.ReadKernel(b, asm.R1, asm.R8, kern.File, "f_path.dentry", asm.DWord, stTmp)
	b.Emit(
		asm.LoadMem(asm.R2, asm.RFP, stParent, asm.DWord),
		asm.Mov.Reg(asm.R3, asm.R9),
		asm.Add.Imm(asm.R3, pBinary),
		asm.Mov.Imm(asm.R4, bpf.BinaryMax-1),
		lib.Call(kern.FuncPath),
		asm.Mov.Reg(asm.R1, asm.R0),
		asm.LSh.Imm(asm.R1, 32),
		asm.RSh.Imm(asm.R1, 32),
		asm.JLE.Imm(asm.R1, bpf.BinaryMax-1, "binary_len_ok"),
		asm.Mov.Imm(asm.R1, 0),
	)
	b.Label("binary_len_ok")
	b.Emit(
		asm.StoreMem(asm.R9, pBinLen, asm.R1, asm.Word),
		// NUL-terminate.
		asm.Mov.Reg(asm.R2, asm.R9),
		asm.Add.Reg(asm.R2, asm.R1),
		emit.StoreImm(asm.R2, pBinary, 0, asm.Byte),
		// The walk's flags are in the high half of R0: Truncated is bit 0.
		asm.RSh.Imm(asm.R0, 32),
		asm.And.Imm(asm.R0, bpf.BytesTruncated),
		asm.JEq.Imm(asm.R0, 0, "binary_whole"),
		emit.StoreImm(asm.R9, pFlags, bpf.ProcExeced|bpf.ProcTruncated, asm.Word),
	)
	b.Label("binary_whole")
	b.Emit(emit.StoreImm(asm.R9, exitOff, 0, asm.DWord))
	cmdArgs(b)
	storeProc(b)
	header(b, bpf.EventExec)
	execData(b, lib)
	exitLabel(b)
}

// execData fills the exec record's ExecData from the task in R7 (the
// working directory, then the new program's argument area) and posts the
// record, whose size depends on their lengths. Registers: R8 holds the
// cwd's length and R6 the arguments' from their reads on, both bounded
// for the verifier, which checks the variable offset and sizes against
// the scratch record.
func execData(b *emit.Builder, lib *kern.Lib) {
	// The working directory: current->fs->pwd, walked like the binary.
	kern.ReadKernel(b, asm.R8, asm.R7, kern.Task, "fs", asm.DWord, stTmp)
	kern.ReadKernel(b, asm.R2, asm.R8, kern.FsT, "pwd.mnt", asm.DWord, stTmp)
	b.Emit(asm.StoreMem(asm.RFP, stParent, asm.R2, asm.DWord))
	kern.ReadKernel(b, asm.R1, asm.R8, kern.FsT, "pwd.dentry", asm.DWord, stTmp)
	b.Emit(
		asm.LoadMem(asm.R2, asm.RFP, stParent, asm.DWord),
		asm.Mov.Reg(asm.R3, asm.R9),
		asm.Add.Imm(asm.R3, execStr),
		asm.Mov.Imm(asm.R4, bpf.CwdMax),
		lib.Call(kern.FuncPath),
		// Len and Flags of the BytesHeader in one store.
		asm.StoreMem(asm.R9, execOff+bpf.ExecCwdOff+bpf.BytesLenOff, asm.R0, asm.DWord),
		asm.Mov.Reg(asm.R8, asm.R0),
		asm.LSh.Imm(asm.R8, 32),
		asm.RSh.Imm(asm.R8, 32),
		asm.JLE.Imm(asm.R8, bpf.CwdMax, "cwd_len_ok"),
		asm.Mov.Imm(asm.R8, 0), // never: the walk keeps to its room
		emit.StoreImm(asm.R9, execOff+bpf.ExecCwdOff+bpf.BytesLenOff, 0, asm.Word),
	)
	b.Label("cwd_len_ok")
	b.Emit(asm.StoreMem(asm.R9, execOff+bpf.ExecCwdOff+bpf.BytesTotalOff, asm.R8, asm.DWord))

	// The arguments: mm->arg_start..arg_end of the new program, copied
	// by exec onto its stack, so present and readable now.
	kern.ReadKernel(b, asm.R6, asm.R7, kern.Task, "mm", asm.DWord, stTmp)
	kern.ReadKernel(b, asm.R1, asm.R6, kern.Mm, "arg_start", asm.DWord, stTmp)
	b.Emit(asm.StoreMem(asm.RFP, stParent, asm.R1, asm.DWord))
	kern.ReadKernel(b, asm.R6, asm.R6, kern.Mm, "arg_end", asm.DWord, stTmp)
	b.Emit(
		asm.LoadMem(asm.R1, asm.RFP, stParent, asm.DWord),
		asm.Sub.Reg(asm.R6, asm.R1),
		asm.StoreMem(asm.R9, execOff+bpf.ExecArgsOff+bpf.BytesTotalOff, asm.R6, asm.DWord),
		emit.StoreImm(asm.R9, execOff+bpf.ExecArgsOff+bpf.BytesFlagsOff, 0, asm.Word),
		asm.JLE.Imm(asm.R6, bpf.ArgsMax, "args_fit"),
		asm.Mov.Imm(asm.R6, bpf.ArgsMax),
		emit.StoreImm(asm.R9, execOff+bpf.ExecArgsOff+bpf.BytesFlagsOff, bpf.BytesTruncated, asm.Word),
	)
	b.Label("args_fit")
	b.Emit(
		asm.StoreMem(asm.R9, execOff+bpf.ExecArgsOff+bpf.BytesLenOff, asm.R6, asm.Word),
		// After the cwd's bytes.
		asm.Mov.Reg(asm.R1, asm.R9),
		asm.Add.Reg(asm.R1, asm.R8),
		asm.Add.Imm(asm.R1, execStr),
		asm.Mov.Reg(asm.R2, asm.R6),
		asm.LoadMem(asm.R3, asm.RFP, stParent, asm.DWord),
		asm.FnProbeReadUser.Call(),
		asm.JEq.Imm(asm.R0, 0, "args_read"),
		asm.Mov.Imm(asm.R6, 0),
		emit.StoreImm(asm.R9, execOff+bpf.ExecArgsOff+bpf.BytesLenOff, 0, asm.Word),
		emit.StoreImm(asm.R9, execOff+bpf.ExecArgsOff+bpf.BytesFlagsOff, bpf.BytesFault, asm.Word),
	)
	b.Label("args_read")
	b.Emit(
		asm.Add.Reg(asm.R6, asm.R8),
		asm.Add.Imm(asm.R6, execStr),
		asm.StoreMem(asm.R9, bpf.HeaderSizeOff, asm.R6, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.EventsMap),
		asm.Mov.Reg(asm.R2, asm.R9),
		asm.Mov.Reg(asm.R3, asm.R6),
		asm.Mov.Imm(asm.R4, 0),
		asm.FnRingbufOutput.Call(),
	)
	countPosted(b)
}

// forkProgram: raw tracepoint sched_process_fork(parent, child).
func forkProgram(b *emit.Builder, lib *kern.Lib) {
	b.Source(object.Line{Text: "sched_process_fork: copy the parent's entry"})
	prologue(b)
	b.Emit(asm.LoadMem(asm.R7, asm.R6, 8, asm.DWord)) // the child
	// Threads share their process's entry.
	kern.ReadKernel(b, asm.R8, asm.R7, kern.Task, "tgid", asm.Word, stTmp)
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "pid", asm.Word, stTmp)
	b.Emit(asm.JNE.Reg(asm.R1, asm.R8, "exit"))
	b.Emit(asm.LoadMem(asm.R1, asm.R6, 0, asm.DWord)) // the parent
	kern.ReadKernel(b, asm.R1, asm.R1, kern.Task, "tgid", asm.Word, stTmp)
	b.Emit(asm.StoreMem(asm.RFP, stTgid, asm.R1, asm.DWord))
	lookupProcInto(b)
	copyCmdArgs(b)
	b.Emit(
		asm.LoadMem(asm.R1, asm.RFP, stTgid, asm.DWord),
		asm.StoreMem(asm.R9, pPpid, asm.R1, asm.Word),
		asm.StoreMem(asm.R9, procOff, asm.R8, asm.Word),
		asm.StoreMem(asm.RFP, stTgid, asm.R8, asm.DWord),
		asm.FnKtimeGetBootNs.Call(),
		asm.StoreMem(asm.R9, pStart, asm.R0, asm.DWord),
		// Not seeded from /proc, and has not exec'd yet.
		asm.LoadMem(asm.R1, asm.R9, pFlags, asm.Word),
		asm.And.Imm(asm.R1, bpf.ProcTruncated),
		asm.StoreMem(asm.R9, pFlags, asm.R1, asm.Word),
		emit.StoreImm(asm.R9, exitOff, 0, asm.DWord),
	)
	storeProc(b)
	header(b, bpf.EventFork)
	output(b)
	exitLabel(b)
}

// exitProgram: raw tracepoint sched_process_exit(task, ...).
func exitProgram(b *emit.Builder, lib *kern.Lib) {
	b.Source(object.Line{Text: "sched_process_exit: remove the process's entry"})
	prologue(b)
	b.Emit(asm.LoadMem(asm.R7, asm.R6, 0, asm.DWord)) // the task
	// Only when the last thread of the process exits.
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "signal", asm.DWord, stTmp)
	kern.ReadKernel(b, asm.R1, asm.R1, kern.Signal, "live.counter", asm.Word, stTmp)
	b.Emit(asm.JNE.Imm(asm.R1, 0, "exit"))
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "tgid", asm.Word, stTmp)
	b.Emit(asm.StoreMem(asm.RFP, stTgid, asm.R1, asm.DWord))
	lookupProcInto(b)
	b.Emit(
		asm.LoadMem(asm.R1, asm.RFP, stTgid, asm.DWord),
		asm.StoreMem(asm.R9, procOff, asm.R1, asm.Word),
	)
	kern.ReadKernel(b, asm.R1, asm.R7, kern.Task, "exit_code", asm.Word, stTmp)
	b.Emit(
		asm.StoreMem(asm.R9, exitOff, asm.R1, asm.DWord),
	)
	header(b, bpf.EventExit)
	output(b)
	b.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.ProcsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stTgid),
		asm.FnMapDeleteElem.Call(),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.CmdArgsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stTgid),
		asm.FnMapDeleteElem.Call(),
	)
	bumpGeneration(b)
	exitLabel(b)
}

// cmdArgsOff is where exec builds the CmdArgs value in the scratch
// record: the room of the exec record's strings, which execData fills
// only afterwards.
const cmdArgsOff = execStr

// cmdArgsChunks bounds the skip over argv[0]: it is read in chunks of
// bpf.CmdArgsMax-1 bytes, so an argv[0] of up to cmdArgsChunks*255 bytes
// is skipped; after a longer one the arguments are not known (Len 0,
// CmdArgsTruncated).
const cmdArgsChunks = 16

// cmdArgs writes the arguments of the task in R7 (the new program's, at
// exec) into bpf.CmdArgsMap under the tgid at fp+stTgid: the bytes after
// argv[0] in mm->arg_start..arg_end, at most bpf.CmdArgsMax of them
// (bpf.NewCmdArgs is the same in Go). R6 and R8 are free; R7 and R9 are
// kept.
func cmdArgs(b *emit.Builder) {
	b.Source(object.Line{Text: "sched_process_exec: the arguments for matchCmdArgs"})
	val := int16(cmdArgsOff)
	kern.ReadKernel(b, asm.R6, asm.R7, kern.Task, "mm", asm.DWord, stTmp)
	kern.ReadKernel(b, asm.R1, asm.R6, kern.Mm, "arg_start", asm.DWord, stTmp)
	b.Emit(asm.StoreMem(asm.RFP, stParent, asm.R1, asm.DWord))
	kern.ReadKernel(b, asm.R8, asm.R6, kern.Mm, "arg_end", asm.DWord, stTmp)
	b.Emit(
		emit.StoreImm(asm.R9, val+bpf.CmdArgsLenOff, 0, asm.DWord), // Len and Flags
		asm.LoadMem(asm.R6, asm.RFP, stParent, asm.DWord),
	)
	// Skip argv[0]: read it in chunks until one ends before the chunk's
	// room (bpf_probe_read_user_str returns the room when the string
	// fills it, whether or not it ends there: the next chunk then starts
	// at its NUL, and reads 1).
	for k := 0; k < cmdArgsChunks; k++ {
		b.Emit(
			asm.Mov.Reg(asm.R1, asm.R9),
			asm.Add.Imm(asm.R1, int32(val+bpf.CmdArgsArgsOff)),
			asm.Mov.Imm(asm.R2, bpf.CmdArgsMax),
			asm.Mov.Reg(asm.R3, asm.R6),
			asm.FnProbeReadUserStr.Call(),
		)
		b.UserStrLen("cmdargs_fault")
		b.Emit(
			asm.JNE.Imm(asm.R0, bpf.CmdArgsMax, "cmdargs_skipped"),
			asm.Add.Imm(asm.R6, bpf.CmdArgsMax-1),
		)
	}
	// argv[0] is longer than the chunks reach.
	b.Emit(
		emit.StoreImm(asm.R9, val+bpf.CmdArgsFlagsOff, bpf.CmdArgsTruncated, asm.Word),
		asm.Ja.Label("cmdargs_store"),
	)
	b.Label("cmdargs_skipped")
	b.Emit(
		asm.Add.Reg(asm.R6, asm.R0), // the first argument's address
		asm.Sub.Reg(asm.R8, asm.R6), // the bytes left in the area
		asm.JSLE.Imm(asm.R8, 0, "cmdargs_store"),
		asm.JLE.Imm(asm.R8, bpf.CmdArgsMax, "cmdargs_fit"),
		asm.Mov.Imm(asm.R8, bpf.CmdArgsMax),
		emit.StoreImm(asm.R9, val+bpf.CmdArgsFlagsOff, bpf.CmdArgsTruncated, asm.Word),
	)
	b.Label("cmdargs_fit")
	b.Emit(
		asm.StoreMem(asm.R9, val+bpf.CmdArgsLenOff, asm.R8, asm.Word),
		asm.Mov.Reg(asm.R1, asm.R9),
		asm.Add.Imm(asm.R1, int32(val+bpf.CmdArgsArgsOff)),
		asm.Mov.Reg(asm.R2, asm.R8),
		asm.Mov.Reg(asm.R3, asm.R6),
		asm.FnProbeReadUser.Call(),
		asm.JEq.Imm(asm.R0, 0, "cmdargs_store"),
	)
	b.Label("cmdargs_fault")
	b.Emit(
		emit.StoreImm(asm.R9, val+bpf.CmdArgsLenOff, 0, asm.Word),
		emit.StoreImm(asm.R9, val+bpf.CmdArgsFlagsOff, bpf.CmdArgsFault, asm.Word),
	)
	b.Label("cmdargs_store")
	b.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.CmdArgsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stTgid),
		asm.Mov.Reg(asm.R3, asm.R9),
		asm.Add.Imm(asm.R3, int32(val)),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
}

// copyCmdArgs copies the arguments of the process whose tgid is at
// fp+stTgid (the parent) to the child whose tgid is in R8: a fork keeps
// its parent's arguments until it execs. R8 and R9 are kept.
func copyCmdArgs(b *emit.Builder) {
	b.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.CmdArgsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stTgid),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "cmdargs_none"),
		asm.StoreMem(asm.RFP, stChild, asm.R8, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.CmdArgsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stChild),
		asm.Mov.Reg(asm.R3, asm.R0),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
	b.Label("cmdargs_none")
}
