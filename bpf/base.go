package bpf

import _ "embed"

//go:generate go run ../codegen/base/genbase -o base.bpf.o

// BaseObject is the base object: the raw tracepoint programs on
// sched_process_exec, sched_process_fork and sched_process_exit that keep
// the process table (ProcsMap) and post EventExec, EventFork and EventExit
// records to the ring buffer (EventsMap). It carries a manifest like a
// bundle (policy "polc-base"), whose hooks list the programs and their
// attach points. Package codegen/base generates it; a test there fails
// when this committed copy is stale.
//
//go:embed base.bpf.o
var BaseObject []byte
