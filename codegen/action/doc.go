// Package action writes the actions of a selector that matched: the
// in-kernel work of each ir.Action (signals, Override, the fd, socket and
// enforcer maps, stack traces, USDT Set, Post's rate limit), the action a
// record reports in its header, the policy's mode gate before enforcement
// actions and the policy's counters.
//
// It owns actionTable, one row per ir.ActionKind: the event code a record
// reports (bpf.Action, whose strength order is bpf's) and the render
// function. Adding an action is a row there and its render function in
// this package (TestActionTable fails when a kind has no row).
//
// Rules: it imports codegen/prog (the program context: builder, record
// layout, stack slots, registers, labels, state maps) and the leaf
// packages (bpf, ir, codegen/emit, codegen/kern, codegen/object), never
// package codegen (the driver) nor the other phases (codegen/fetch,
// codegen/filter). What it needs of the arguments comes through Reads,
// which the driver implements. A Gen is made per program by the driver
// (codegen/program.go), which calls Actions, RateLimit and
// ReturnArgAction where the program skeleton has them.
package action
