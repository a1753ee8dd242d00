// Package codegen compiles a policy's IR into a bundle: one BPF ELF object
// with a specialized program per attachment, the maps they use and the
// manifest the loader reads.
//
// # How a hook is compiled
//
// Each hook becomes one program (two when it has a return probe). The
// entry program runs in four phases, each straight-line code whose failure
// paths join early, so that the verifier's state pruning keeps the cost
// linear in the size of the policy:
//
//  1. process filters: for every selector, its matchPIDs, matchBinaries,
//     matchNamespaces, matchCapabilities and *Changes tests, which need no
//     argument. A bit per selector that passed is kept on the stack; when
//     none did, the program returns before reading anything;
//  2. arguments: each argument the hook declares is read once, into its
//     fixed slot of the record being built in a per-CPU scratch map
//     (polc_rec): integers, strings, buffers, paths walked through dentries
//     and mounts, sockets, credentials, ...;
//  3. argument filters: the selectors still possible are tried in order,
//     each a run of compares that jumps to the next selector on the first
//     failure. The first selector whose tests all pass wins (selectors are
//     ORed, tests ANDed, as in ir.Eval);
//  4. actions of the winning selector, then the record is posted to the
//     shared ring buffer (polc_events) with bpf_ringbuf_output unless the
//     selector says NoPost. Argument slots are compacted into the
//     contract's variable-length layout first when needed (polc_out).
//
// A hook with a return probe saves the record, keyed by thread, in a hash
// map at entry; the return program adds the return value and the
// returnCopy buffers, tests matchReturnArgs of the selector that matched at
// entry, and posts.
//
// Routines used in several places (the path walk) are BPF-to-BPF
// subprograms from package kern; large value sets become BPF maps filled
// by the loader from the manifest (bpf.MapInit).
//
// # Errors
//
// Build reports what it cannot compile as Errors, a list of Error values
// each naming the YAML position of the construct. A feature not supported
// yet is always such an error, never a program that reads the wrong thing.
package codegen
