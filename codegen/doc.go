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
//  1. process filters (codegen/filter): for every selector, its matchPIDs, matchBinaries,
//     matchParentBinaries (the parent's table entry, filter/parent.go),
//     matchNamespaces, matchCapabilities and *Changes tests, which need no
//     argument. A bit per selector that passed is kept in the record; when
//     none did, the program returns before reading anything. When these
//     tests read only the tgid and the process table, the bits are cached
//     per CPU for the last process with the generation of the entries
//     they read: the process's own (and its parent's), so that churn
//     elsewhere keeps them, or the table's for ancestor walks
//     (filter/verdicts.go), so a process's next event needs no table lookup;
//  2. arguments (codegen/fetch): each argument the hook declares is read once, into its
//     fixed slot of the record being built in a per-CPU scratch map
//     (polc_rec): integers, strings, buffers, paths walked through dentries
//     and mounts, sockets, credentials, ...;
//  3. argument filters (codegen/filter): the selectors still possible are tried in order,
//     each a run of compares that jumps to the next selector on the first
//     failure. The first selector whose tests all pass wins (selectors are
//     ORed, tests ANDed, as in ir.Eval);
//  4. actions of the winning selector (codegen/action), then the record
//     is posted to the shared ring buffer (polc_events) with
//     bpf_ringbuf_output unless the selector says NoPost. Argument slots are compacted into the
//     contract's variable-length layout first when needed (polc_out).
//
// This package is the driver: Build, the program skeletons that order the
// phases (program.go, retprobe.go, selectors.go), the layout, attachment,
// manifest, dumps and the program variants (noloop.go, nocookie.go). Each
// phase package writes through the *prog.Ctx of the program (codegen/prog)
// and imports neither this package nor another phase: what one phase needs
// of another (an argument's raw value for a filter or an action) is an
// interface of the phase (filter.Reads, action.Reads) that the driver
// fills with the fetch.Gen of the same program.
//
// A hook with a return probe saves the record, keyed by thread, in a hash
// map at entry; the return program adds the return value and the
// returnCopy buffers, tests matchReturnArgs of the selector that matched at
// entry, and posts.
//
// Routines used in several places (the path walk) are BPF-to-BPF
// subprograms from package kern; large value sets become BPF maps filled
// by the loader from the manifest (bpf.MapInit). Walks of unbounded length
// (ancestors for followForks and followChildren, path components, iovec
// entries) are bpf_loop callbacks, generated per test where they compare.
// For kernels without bpf_loop (before 5.17) every program that calls it
// gets a fallback in the same bundle (noloop.go): the same code with each
// bpf_loop a bounded loop of a few dozen steps, which 5.10's verifier
// accepts, the bounds stated in the manifest (LoopBounds) and a walk cut
// short flagged (a path) and counted (bpf.LoopBoundsMap); polrun loads one
// variant or the other after probing for bpf_loop. Likewise, for kernels
// without bpf_get_attach_cookie (before 5.15), every USDT program gets a
// variant whose place key is a constant polrun sets per place of the probe
// (nocookie.go, bpf.Program.NoCookie), with its own fallback without
// bpf_loop when the program needs one.
//
// Values the verifier must not specialize on stay unknown to it: the
// per-selector results of phase 1 live in map memory, so that it explores
// each selector once instead of every combination of earlier outcomes.
//
// # Where arguments come from (codegen/fetch)
//
//   - kprobes and uprobes: the registers of the arch's C calling
//     convention (arch.CallConv); with the syscall ABI, the user pt_regs the
//     syscall wrapper receives, read at the hook's ABI's offsets;
//   - tracepoints: the record, at fixed offsets for raw_syscalls/* and
//     syscalls/*, and through CO-RE against the kernel's trace_event_raw_*
//     struct for the others, whose fields the target profile (or polc's
//     own table of a few events) names; every field read is recorded in
//     the manifest for polrun to check against tracefs (fetch/tracepoints.go).
//     Arrays and __data_loc fields are bytes of the record itself;
//   - raw tracepoints and BPF LSM hooks: the u64 argument array;
//   - USDT probes: where the probe's note says, through the spec polrun
//     stores for each place of the probe, keyed by the BPF cookie of the
//     place's attachment or, before 5.15, by the place's own copy of the
//     program (fetch/usdt.go, nocookie.go);
//   - resolve paths: members followed from a pointer argument through
//     CO-RE relocations against types of the target profile (fetch/resolve.go);
//   - pointers are user memory for syscall arguments and uprobes, kernel
//     memory otherwise; kernel structs only through CO-RE (package kern).
//
// # State maps
//
// Besides the base's shared maps (SharedMaps), a bundle has polc_rec and
// polc_out (per-CPU records), polc_tmp (the path walk's buffer and map
// keys built at run time), one polc_ret_hN per hook with a return probe,
// polc_ratelimit for Post rate limits, polc_fd for fd arguments and the
// fd actions (fetch/fd.go, action/fd.go), polc_sock for socket tracking
// (action/sock.go), polc_enforcer for NotifyEnforcer (enforcer.go,
// action/enforcer.go), polc_stacks for stack traces (stack.go), polc_ima for records waiting for their IMA
// hash (imahash.go), polc_verdicts for cached process-filter verdicts
// (filter/verdicts.go), polc_mode for the policy's mode when it has enforcement
// actions (action/mode.go), polc_counters for the policy's counts of
// records posted and lost and of enforcement actions carried out
// (action/counters.go),
// and one map per large value set (named m_ and the IR map's name).
//
// The state maps the lowering lays out (ir.MapFD, MapSock, MapEnforcer,
// MapRateLimit, MapRetProbe) are declared in one place, StateMap in
// maps.go: their shape from stateMapShapes, their size from the IR map;
// MapCounters, whose size is fixed, from its shape alone.
// Record offsets are package bpf's constants (bpf.HeaderSelectorOff,
// bpf.BytesFlagsOff, ...): bpf owns the record layout.
//
// # Actions
//
// The winning selector's actions are emitted inline, so only they run;
// package codegen/action writes them (action.Gen.Actions), from a table
// of action kinds to their event code and render function.
// Enforcement actions (Sigkill, Signal, Override, NotifyEnforcer) come
// after the others, behind one lookup of polc_mode: in monitor mode they
// are skipped and the record still reports them (action/mode.go).
// Sigkill and Signal call bpf_send_signal on the calling task; Override
// depends on the hook (prog.OverrideOf, action/override.go): a kprobe on a security_* function is
// compiled to an fmod_ret program returning argError, an LSM program
// returns it, other kprobes call bpf_override_return, which the loader
// checks for (CONFIG_BPF_KPROBE_OVERRIDE) and refuses with a hint naming
// a hook that works; FollowFD, UnfollowFD and CopyFD keep polc_fd;
// TrackSock and UntrackSock keep polc_sock, and a hook with a sock
// argument reports the socket's owner; NotifyEnforcer marks the thread
// for the enforcer programs. GetUrl and DnsLookup are polrun's, after the
// event (the manifest's selectors carry them). Post takes stack ids
// (action/stack.go); with imaHash, the LSM program hands the record to a
// sleepable program on the same hook that hashes the file (imahash.go).
// spec.loader adds a hook of its own (tetragon_loader_sensor.go).
//
// # The program context
//
// Every program is written through a prog.Ctx (package codegen/prog): the
// instruction builder, the hook, the record's layout (prog.Layout, one
// prog.Slot per argument), the registers and stack slots every phase
// relies on (prog.RCtx, prog.RRec, prog.StKey, ...), the labels that end
// a program (prog.Exit, prog.Drop, prog.Post), and Errorf, Need and Map
// (a state map, declared once) that reach the bundle. progGen adds what
// only this package's driver keeps.
//
// # Errors
//
// Build reports what it cannot compile as Errors, a list of Error values
// each naming the YAML position of the construct. A feature not supported
// yet is always such an error, never a program that reads the wrong thing.
package codegen
