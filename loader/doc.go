// Package loader puts polc bundles into the kernel and reads their events
// back: it is everything polrun does, as a library. It imports the bpf
// contract and arch, never the compiler, so that the binary that goes onto
// hosts stays small.
//
// # Loading
//
// [OpenBundle] reads a bundle (NAME.bpf.o): its manifest, checked for
// format, architecture and integrity by bpf.ReadManifest, and its
// CollectionSpec; a policy name longer than bpf.MaxPinnedNameLen is
// refused there. [Load] first refuses a
// process without the privileges BPF needs ([CheckPrivileges]) and bundles
// whose own maps would take more than Options.MaxMapMemory (estimated by
// bpf.MapBytes, before any map is created), then, holding an exclusive lock
// on the pin root:
//
//  1. refuses a policy name already loaded (unless Options.Replace);
//  2. probes the kernel features the manifest requires (see [Probe]);
//  3. checks the tracepoint fields the programs read against tracefs;
//  4. makes sure the base is loaded: the process-tracking programs of
//     package bpf, with the shared maps (ring buffer, process table, drop
//     counter) pinned by name and their links under links/, and the
//     process table seeded from /proc; a base loaded for this load is
//     staged in PIN_ROOT/base_new. The shared maps are sized when the base
//     is created (mapsize.go): the ring buffer from
//     Options.RingBufferSize, the process table from kernel.pid_max and
//     threads-max, without preallocation; bundles declare package bpf's
//     sizes and are made to match the loaded base's maps;
//  5. loads the bundle with CO-RE against the kernel's BTF, its shared maps
//     replaced by the base's, its load-time variables set (policy id, host
//     namespace inodes), its maps filled from the manifest, its mode map
//     (polc_mode, when its policy has enforcement actions) set to
//     Options.Mode or the manifest's default mode, and a polc_manifest map
//     holding the manifest for event readers;
//  6. attaches every program and pins links and maps into a staging
//     directory, PIN_ROOT/new_N (a program with a fallback without bpf_loop,
//     bpf.Program.Fallback, is replaced by it where the kernel lacks
//     bpf_loop: fallback.go; a USDT program by its variant without BPF
//     cookies, bpf.Program.NoCookie, where the kernel lacks
//     bpf_get_attach_cookie, loaded once per place of its probe with the
//     place's key set in its code: usdt.go; a link the kernel cannot pin,
//     a perf event's before 5.15, is kept by Options.Hold, see Holder, or
//     refused);
//  7. commits: one journal entry, then base_new becomes PIN_ROOT/base and
//     each new_N PIN_ROOT/policies/NAME, a policy it replaces being moved
//     aside first and removed last (so the new one is attached before the
//     old one goes).
//
// Loading is all or nothing: a failure before the commit closes what was
// created (a link that is neither pinned nor open is detached by the
// kernel) and removes the staged pins, the base staged with them, and the
// pin root and policies/ if this call made them.
//
// [SetMode] switches a loaded policy between enforce and monitor mode by
// writing its pinned mode map; its programs read it before each
// enforcement action, so no reload is needed. [List] reports each
// policy's mode, and its counters (bpf.CountersMap, pinned with its maps:
// records posted, enforcement actions carried out, records lost), summed
// over CPUs.
//
// [Unload] removes a policy's pins, which detaches it; when the last policy
// goes, the base goes too, so that nothing polrun made stays behind. It
// makes no directory: the policy being unloaded may forbid mkdir (Override
// on security_inode_mkdir).
//
// # Crash consistency
//
// Every load and unload is journaled in the pin root itself (journal.go
// describes the layout and the rules): the staged work and the entries to
// remove live under names outside base/ and policies/, and the decision to
// commit is one symbolic link, PIN_ROOT/journal. bpffs holds directories,
// pins and symbolic links only (no regular files, FIFOs or sockets), so
// the journal is names, links and renames, all atomic on bpffs; nothing
// needs fsync, since bpffs and the pins alike are gone after a reboot.
// Keeping the journal in the pin root, not in /run, means it lives and
// dies with what it describes, whatever --pin-root is.
//
// Every polrun that opens the pin root (load, unload, list, events, serve)
// does so through openRoot, which takes the lock and first finishes a
// committed operation or rolls back one that was not: afterwards only the
// state before the operation or the one after it is visible, with nothing
// attached that [List] does not show. List holds the lock too, so it never
// sees an operation half done. The lock (a flock on the pin root) is held
// for one operation only: anything long-lived, such as an event reader,
// must lock something else. Entries of the pin root other than the ones
// journal.go names are left alone.
//
// A polrun built with -tags faultinject kills itself after a chosen step
// (faultinject.go); cmd/polrun's TestKillAtEveryStep kills load, load
// --replace and unload after each of their steps in turn.
//
// # The pin root is polrun's
//
// bpffs is mode 1777: any user may make directories in it. polrun makes
// its pin root owned by root, mode 0700, and refuses one it did not make:
// not a directory (a symbolic link), not owned by root, or writable by
// group or others (mode above 0755); the root's parents must be root's and
// not writable by others unless sticky, as /sys/fs/bpf is. Every directory
// polrun descends into (policies/, a policy's directory with its links/
// and maps/, base/) is checked the same way, without following a link: a
// directory another user planted is refused ([ErrUntrustedDir]), never
// followed, and left in place.
//
// bpffs refuses names with dots, so a policy named a.b is pinned as
// policies/a_b and a map named .rodata as maps/_rodata (policy names, DNS
// subdomains, have no underscores, so the mapping is one to one).
//
// # Events
//
// [OpenStream] reads the base ring buffer. Base records (exec, fork, exit)
// keep a user-space process cache that enriches policy events with binary,
// arguments, cwd, uid, start time and parent: exec records carry the
// arguments and cwd the kernel read at exec (bpf.ExecData), and /proc seeds
// the processes that ran before. With [StreamOptions.ProcessEvents] the
// exec and exit records are events too (process_exec, process_exit, with
// ancestors on request). Policy
// records are decoded with the manifest of the policy that wrote them, found
// by the policy id in its pinned polc_manifest map (records of a policy
// being loaded, whose programs are attached before its pins are in place,
// wait for them for up to two seconds), into an [Event] that
// marshals to Tetragon's JSON export shape (process_kprobe,
// process_tracepoint, process_uprobe, process_lsm). Records that cannot be
// decoded, read errors and records the kernel could not post because the
// ring buffer was full (the base's drop counter) are counted in
// [StreamStats], never dropped silently.
//
// The stream is built to keep up with the ring buffer: its goroutine
// decodes records into events that callers give back with
// [Stream.Release] (reused, in batches, so that a record in steady state
// allocates nothing), and hands them to [Stream.Next] in batches of up to
// 64, or fewer when the ring buffer is empty; [Stream.Backlog] is 0 when
// Next would wait, for writers that flush only then.
// [Event.AppendJSON] and [Event.AppendCompact] print into a reused
// buffer. [List] reports each policy's and the base's kernel memory
// ([KernelMemory]).
//
// A ring buffer has a single read position, so there is one reader per pin
// root: OpenStream takes the pin root's reader lock ([LockReader], a file in
// [RunDir], which is under /run/polrun because bpffs holds only BPF objects),
// and a second reader gets a [ReaderBusyError] naming the holder. The holder
// serves its events to other processes with package eventbus. Should another
// consumer move the read position anyway, the stream finds garbage there (a
// record shorter than a header, or zeroed) and skips to the producer position
// once, counted in StreamStats.Desyncs, instead of decoding every 8 bytes of
// garbage as a record.
//
// # Errors
//
// Conditions callers branch on are sentinel errors: [ErrExists] (a policy of
// that name is loaded), [ErrNotLoaded], [ErrUntrustedDir] (a directory
// polrun did not make), [ErrMonitorOnly] (set-mode on a policy without
// enforcement actions), [ErrMissingFeature] (wrapped in a
// [FeatureError] naming the feature), [ErrTracepointFormat] (wrapped in a
// [TracepointFieldError] naming the field), [ErrBaseMissing] (no base
// object is built in), [ErrDowngrade] (a verified bundle's signed version,
// Bundle.SignedVersion, is lower than the one recorded with the loaded
// policy's pins, [LoadedVersion]; Options.AllowDowngrade permits it),
// [ErrPermission] (the process lacks the privileges: [List], [Unload],
// [OpenStream] and [Load] check them first, so that the kernel's EPERM
// never reads as "nothing loaded" or a missing feature), [ErrMapMemory],
// and bpf.ErrFormat and bpf.ErrIntegrity from reading a bundle. OpenBundle
// reads regular files only (bundle.ReadFile): a FIFO or device is an
// ErrBadBundle. A program the verifier rejects is a [ProgramError] with the hook,
// its YAML position and the tail of the verifier log.
package loader
