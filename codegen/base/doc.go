// Package base builds polc's base object: the programs that keep the
// process table (bpf.ProcsMap) every policy's process filters read, and
// post exec, fork and exit records to the shared ring buffer
// (bpf.EventsMap).
//
// The object is generated, committed as bpf/base.bpf.o and embedded in
// polrun by package bpf; TestCommittedObject fails when the committed file
// is not what Object builds. Regenerate it with `go generate ./bpf`.
//
// # Hooks
//
// The programs are raw tracepoints on sched_process_exec, sched_process_fork
// and sched_process_exit. Raw tracepoints work on every kernel polc
// targets (the 6.18 host, Debian 6.1 and 6.12), receive the tracepoint's
// arguments (the task, the linux_binprm) rather than its formatted record,
// whose layout changed between these kernels (sched_process_fork's comm
// fields became __data_loc strings in 6.14), and may call every helper the
// path walk needs (bpf_probe_read_kernel, bpf_loop). bpf_d_path is not
// allowed there, so the executable's path is walked by kern.FuncPath.
//
//   - exec: the entry of the current process is (re)filled: its parent,
//     uid, namespaces and capabilities at exec, and the real path of the
//     executed file (bprm->file), walked through dentries and mounts. The
//     record also carries a bpf.ExecData: the working directory
//     (current->fs->pwd, walked the same way) and the new program's
//     argument area (mm->arg_start..arg_end, read with
//     bpf_probe_read_user), each bounded (bpf.CwdMax, bpf.ArgsMax) with a
//     truncation flag, so that a process that exits at once is reported
//     whole, without polrun reading /proc.
//   - fork: a new process (not a thread) gets a copy of its parent's
//     entry, with its own tgid, parent and start time.
//   - exit: when the last thread of a process exits (signal->live is 0),
//     its entry is posted with the exit code and deleted.
//
// Beside the table the programs keep the processes' arguments for
// matchCmdArgs (bpf.CmdArgsMap, a bpf.CmdArgs per tgid): exec writes the
// bytes after argv[0] of the new program's argument area, at most
// bpf.CmdArgsMax (argv[0] is skipped with bpf_probe_read_user_str in
// chunks, up to 16 of 255 bytes, without a loop); fork copies the
// parent's entry to the child; exit deletes it. Exec and fork write it
// before the table, so that a policy's cached verdict computed at the
// table's new generation saw the new arguments.
//
// After each change to the table (exec, fork, exit) the programs add 1 to
// the table's generation (bpf.ProcsGenMap) and to the changed tgid's own
// (its bucket of bpf.ProcGensMap), which the policies' verdict caches
// check (codegen/verdicts.go).
//
// Each record is a bpf.Header (Kind EventExec, EventFork or EventExit;
// Tgid and Pid of the process the event is about: the child for fork)
// followed by a bpf.ProcEvent, and for exec the ExecData and its strings
// (the record's size then depends on their lengths). The programs count
// the records the ring buffer took and those it did not in the base's own
// per-CPU bpf.Counters (map bpf.CountersMap, pinned in the base's
// directory for polrun list), besides the shared drop counter.
package base
