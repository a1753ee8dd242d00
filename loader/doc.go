// Package loader puts polc bundles into the kernel and reads their events
// back: it is everything polrun does, as a library. It imports the bpf
// contract and arch, never the compiler, so that the binary that goes onto
// hosts stays small.
//
// # Loading
//
// [OpenBundle] reads a bundle (NAME.bpf.o): its manifest, checked for
// format, architecture and integrity by bpf.ReadManifest, and its
// CollectionSpec. [Load] then, holding an exclusive lock on the pin root:
//
//  1. refuses a policy name already loaded (unless Options.Replace);
//  2. probes the kernel features the manifest requires (see [Probe]);
//  3. checks the tracepoint fields the programs read against tracefs;
//  4. makes sure the base is loaded: the process-tracking programs of
//     package bpf, with the shared maps (ring buffer, process table, drop
//     counter) pinned by name under PIN_ROOT/base and their links under
//     base/links, and the process table seeded from /proc;
//  5. loads the bundle with CO-RE against the kernel's BTF, its shared maps
//     replaced by the base's, its load-time variables set (policy id, host
//     namespace inodes), its maps filled from the manifest, and a
//     polc_manifest map holding the manifest for event readers;
//  6. attaches every program and pins links and maps into a staging
//     directory, which one rename makes PIN_ROOT/policies/NAME.
//
// Loading is all or nothing: any failure closes what was created (a link
// that is neither pinned nor open is detached by the kernel) and removes the
// staging directory, and a base created for the load is removed again. A
// polrun killed between pinning and the rename leaves a staging directory
// that the next polrun holding the lock removes. With Replace the new
// policy is attached before the old one's pins are removed.
//
// [Unload] removes a policy's pins, which detaches it; when the last policy
// goes, the base goes too, so that nothing polrun made stays behind.
//
// bpffs refuses names with dots, so a policy named a.b is pinned as
// policies/a_b and a map named .rodata as maps/_rodata (policy names, DNS
// subdomains, have no underscores, so the mapping is one to one).
//
// # Events
//
// [OpenStream] reads the base ring buffer. Base records (exec, fork, exit)
// keep a user-space process cache, seeded from /proc, that enriches policy
// events with binary, arguments, cwd, uid, start time and parent. Policy
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
// that name is loaded), [ErrNotLoaded], [ErrMissingFeature] (wrapped in a
// [FeatureError] naming the feature), [ErrTracepointFormat] (wrapped in a
// [TracepointFieldError] naming the field), [ErrBaseMissing] (no base
// object is built in), and bpf.ErrFormat and bpf.ErrIntegrity from reading a
// bundle. A program the verifier rejects is a [ProgramError] with the hook,
// its YAML position and the tail of the verifier log.
package loader
