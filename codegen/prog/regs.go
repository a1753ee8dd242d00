package prog

import "github.com/cilium/ebpf/asm"

// Registers every generated program keeps from its prologue to its end.
const (
	RCtx = asm.R6 // the program's context (R1 at entry)
	RRec = asm.R9 // the record being built (polc_rec, or the saved one)
)
