// Package fetch reads a hook's arguments into the record: the phase of a
// program between its process filters and its argument filters. It owns
// where arguments come from (context.go: registers, the syscall wrapper's
// pt_regs, fmod_ret and BTF contexts, tracepoint records, USDT specs, data
// entries) and how each type is encoded in its slot: integers, strings
// and buffers (args.go), paths through the routine library's walk, fd
// paths (fd.go), sockets, addresses and credentials (structs.go), iovec
// arrays and iov_iters (iovec.go), BTF resolve paths (resolve.go),
// tracepoint fields (tracepoints.go, tracepoint_read.go) and USDT
// arguments (usdt.go).
//
// A Plan is made once per build by the driver (package codegen): the
// architecture, the kernel target, the tracepoint formats found and the
// resolve paths planned while the layout is made. A Gen is made per
// program, on the program's *prog.Ctx; the driver calls CtxPrologue,
// ReadArgs, LoadArg and LoadRet where the program skeleton has them, and
// hands the Gen to codegen/action as its action.Reads.
//
// Rules: it imports codegen/prog (the program context) and the leaf
// packages (arch, bpf, ir, target, codegen/emit, codegen/kern,
// codegen/object), never package codegen (the driver) nor the other phases
// (codegen/action, codegen/filter).
package fetch
