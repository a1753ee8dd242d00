// Package prog is the context every phase of code generation shares while
// it writes one program of a hook: the instruction builder, the hook and
// the layout of its record (Layout, Slot), the registers and stack slots
// whose roles hold across the whole program, the labels that end it, and
// the bundle-level services a phase may ask for (Errorf, Need, StateMap),
// behind one Ctx.
//
// A phase (reading arguments, testing them, taking actions) gets a *Ctx
// and keeps to these conventions:
//
//   - RCtx and RRec hold the program's context and the record for the
//     whole program; a phase never writes them. R7 and R8 are the
//     callee-saved scratch registers a phase may use for its own values:
//     they survive helper calls but not the next phase.
//   - Stack slots are at the fixed offsets of frame.go; two that share
//     bytes say so there, and TestFrame holds the table to the 512-byte
//     frame.
//   - A fragment that fails jumps to a label it was given, or to Exit
//     (return without posting) or Drop (return program: discard the
//     saved record) that the driver places.
//   - Record offsets are package bpf's (bpf.HeaderSelectorOff, ...): bpf
//     owns the record layout; prog only says where each argument's slot
//     starts (Slot.Off).
//
// Errors reported through Errorf end up in the Errors codegen.Build
// returns, each with the YAML position of the construct.
package prog
