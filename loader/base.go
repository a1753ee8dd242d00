package loader

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
)

// baseMaps are the shared maps of a loaded base, open in this process.
// drops, gen, gens and cmdargs are nil for a base older than them.
type baseMaps struct {
	events, procs, drops, gen, gens, cmdargs *ebpf.Map
}

func (b *baseMaps) close() {
	if b == nil {
		return
	}
	b.events.Close()
	b.procs.Close()
	if b.drops != nil {
		b.drops.Close()
	}
	if b.gen != nil {
		b.gen.Close()
	}
	if b.gens != nil {
		b.gens.Close()
	}
	if b.cmdargs != nil {
		b.cmdargs.Close()
	}
}

// byName returns the shared map called name, nil if the base lacks it.
func (b *baseMaps) byName(name string) *ebpf.Map {
	switch name {
	case bpf.EventsMap:
		return b.events
	case bpf.ProcsMap:
		return b.procs
	case bpf.DropsMap:
		return b.drops
	case bpf.ProcsGenMap:
		return b.gen
	case bpf.ProcGensMap:
		return b.gens
	case bpf.CmdArgsMap:
		return b.cmdargs
	}
	return nil
}

// dropped sums the drop counter over CPUs; ok is false without one.
func (b *baseMaps) dropped() (n uint64, ok bool) {
	if b.drops == nil {
		return 0, false
	}
	var perCPU []uint64
	if err := b.drops.Lookup(uint32(0), &perCPU); err != nil {
		return 0, false
	}
	for _, v := range perCPU {
		n += v
	}
	return n, true
}

// openBase opens the shared maps of the base pinned under root.
func openBase(root string) (*baseMaps, error) { return openBaseDir(bpf.BasePinDir(root)) }

// openBaseDir opens the shared maps of the base pinned in dir, which must
// be polrun's (checkDir).
func openBaseDir(dir string) (*baseMaps, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	events, err := ebpf.LoadPinnedMap(filepath.Join(dir, bpf.EventsMap), nil)
	if err != nil {
		return nil, fmt.Errorf("open base map %s: %w", bpf.EventsMap, err)
	}
	procs, err := ebpf.LoadPinnedMap(filepath.Join(dir, bpf.ProcsMap), nil)
	if err != nil {
		events.Close()
		return nil, fmt.Errorf("open base map %s: %w", bpf.ProcsMap, err)
	}
	b := &baseMaps{events: events, procs: procs}
	for name, m := range map[string]**ebpf.Map{bpf.DropsMap: &b.drops, bpf.ProcsGenMap: &b.gen, bpf.ProcGensMap: &b.gens, bpf.CmdArgsMap: &b.cmdargs} {
		if path := filepath.Join(dir, name); exists(path) {
			if *m, err = ebpf.LoadPinnedMap(path, nil); err != nil {
				b.close()
				return nil, fmt.Errorf("open base map %s: %w", name, err)
			}
		}
	}
	return b, nil
}

// checkSharedMap returns an error unless spec declares the shared map name
// exactly as package bpf says, so that it can share the base's.
func checkSharedMap(name string, spec *ebpf.MapSpec) error {
	switch name {
	case bpf.EventsMap:
		if spec.Type != ebpf.RingBuf || spec.MaxEntries != bpf.EventsRingBytes {
			return fmt.Errorf("map %s is %s with %d entries, want RingBuf with %d", name, spec.Type, spec.MaxEntries, bpf.EventsRingBytes)
		}
	case bpf.ProcsMap:
		if spec.Type != ebpf.Hash || spec.KeySize != 4 || spec.ValueSize != bpf.ProcSize || spec.MaxEntries != bpf.ProcsMaxEntries {
			return fmt.Errorf("map %s is %s key %d value %d entries %d, want Hash key 4 value %d entries %d",
				name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, bpf.ProcSize, bpf.ProcsMaxEntries)
		}
	case bpf.DropsMap:
		if spec.Type != ebpf.PerCPUArray || spec.KeySize != 4 || spec.ValueSize != 8 || spec.MaxEntries != 1 {
			return fmt.Errorf("map %s is %s key %d value %d entries %d, want PerCPUArray key 4 value 8 entries 1",
				name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries)
		}
	case bpf.ProcsGenMap:
		if spec.Type != ebpf.Array || spec.KeySize != 4 || spec.ValueSize != 8 || spec.MaxEntries != 1 {
			return fmt.Errorf("map %s is %s key %d value %d entries %d, want Array key 4 value 8 entries 1",
				name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries)
		}
	case bpf.ProcGensMap:
		if spec.Type != ebpf.Array || spec.KeySize != 4 || spec.ValueSize != 8 || spec.MaxEntries != bpf.ProcGenBuckets {
			return fmt.Errorf("map %s is %s key %d value %d entries %d, want Array key 4 value 8 entries %d",
				name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, bpf.ProcGenBuckets)
		}
	case bpf.CmdArgsMap:
		if spec.Type != ebpf.Hash || spec.KeySize != 4 || spec.ValueSize != bpf.CmdArgsSize || spec.MaxEntries != bpf.ProcsMaxEntries {
			return fmt.Errorf("map %s is %s key %d value %d entries %d, want Hash key 4 value %d entries %d",
				name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, bpf.CmdArgsSize, bpf.ProcsMaxEntries)
		}
	}
	return nil
}

// ensureBase opens the loaded base, or loads one from the base object into
// base_new when there is none (staged says so): the load that needs it
// commits it with its policies (journal.go), or removes it. Called with
// the lock held.
func ensureBase(o *Options) (maps *baseMaps, staged bool, err error) {
	dir := bpf.BasePinDir(o.PinRoot)
	if exists(dir) {
		maps, err := openBase(o.PinRoot)
		if err != nil {
			return nil, false, fmt.Errorf("base at %s is incomplete (polrun unload --all removes it): %w", dir, err)
		}
		return maps, false, nil
	}
	obj := o.Base
	if obj == nil {
		obj = builtinBase()
	}
	if obj == nil {
		return nil, false, ErrBaseMissing
	}
	if err := o.fail("base"); err != nil {
		return nil, false, err
	}
	maps, err = loadBase(o, obj)
	if err != nil {
		return nil, false, fmt.Errorf("load base: %w", err)
	}
	return maps, true, nil
}

// loadBase loads, attaches and pins the base programs into base_new, then
// seeds the process table. A failure leaves nothing.
func loadBase(o *Options, obj []byte) (*baseMaps, error) {
	// The base carries a manifest like a bundle: its hooks say what to
	// attach where, and its digest that the object is intact.
	m, err := bpf.ReadManifest(obj)
	if err != nil {
		return nil, fmt.Errorf("base object: %w", err)
	}
	if err := RequireFeatures(m.Features); err != nil {
		return nil, err
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(obj))
	if err != nil {
		return nil, fmt.Errorf("read base object: %w", err)
	}
	shared := []string{bpf.EventsMap, bpf.ProcsMap}
	for _, name := range []string{bpf.DropsMap, bpf.ProcsGenMap, bpf.ProcGensMap, bpf.CmdArgsMap} {
		if spec.Maps[name] != nil {
			shared = append(shared, name)
		}
	}
	for _, name := range shared {
		ms := spec.Maps[name]
		if ms == nil {
			return nil, fmt.Errorf("base object has no map %s", name)
		}
		if err := checkSharedMap(name, ms); err != nil {
			return nil, fmt.Errorf("base object: %w", err)
		}
	}
	if _, err := pickPrograms(m, spec, false); err != nil { // fallback.go
		return nil, fmt.Errorf("base object: %w", err)
	}
	sizeBaseMaps(spec, o)
	// Pinning is polrun's job, into the staging directory: a PinByName map
	// would be pinned by cilium/ebpf before the programs are verified.
	for _, ms := range spec.Maps {
		ms.Pinning = ebpf.PinNone
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{Programs: ebpf.ProgramOptions{KernelTypes: kernelTypes()}})
	if err != nil {
		return nil, loadError(m, spec, err)
	}
	defer coll.Close()

	var links []namedLink
	defer func() {
		for _, l := range links {
			l.link.Close()
		}
	}()
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			prog := coll.Programs[p.Name]
			if prog == nil || !validPinName(p.Name) {
				return nil, fmt.Errorf("base object: hook %s: no program %q", hookLabel(h), p.Name)
			}
			l, err := attachProgram(h, p, prog)
			if err != nil {
				return nil, fmt.Errorf("attach base program %s (%s): %w", p.Name, hookLabel(h), err)
			}
			links = append(links, namedLink{p.Name, l})
			faultPoint("attach base " + p.Name)
		}
	}
	if err := o.fail("base-attach"); err != nil {
		return nil, err
	}

	staging := filepath.Join(o.PinRoot, baseNewName)
	if err := os.Mkdir(staging, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", staging, err)
	}
	faultPoint("mkdir " + baseNewName)
	done := false
	defer func() {
		if !done {
			os.RemoveAll(staging)
		}
	}()
	if err := os.Mkdir(filepath.Join(staging, bpf.LinksDir), 0o700); err != nil {
		return nil, err
	}
	for _, l := range links {
		if err := l.link.Pin(filepath.Join(staging, bpf.LinksDir, bpf.PinName(l.name))); err != nil {
			return nil, fmt.Errorf("pin base link %s: %w", l.name, err)
		}
		faultPoint("pin base link " + l.name)
	}
	pinned := shared
	if coll.Maps[bpf.CountersMap] != nil {
		// The base's own counters, for polrun list (not shared).
		pinned = append(slices.Clone(shared), bpf.CountersMap)
	}
	for _, name := range pinned {
		if err := coll.Maps[name].Pin(filepath.Join(staging, name)); err != nil {
			return nil, fmt.Errorf("pin base map %s: %w", name, err)
		}
		faultPoint("pin base map " + name)
	}
	if err := seedProcs(coll.Maps[bpf.ProcsMap], coll.Maps[bpf.CmdArgsMap], o.Procfs); err != nil {
		return nil, fmt.Errorf("seed %s: %w", bpf.ProcsMap, err)
	}
	if err := o.fail("base-commit"); err != nil {
		return nil, err
	}
	maps, err := openBaseDir(staging)
	if err != nil {
		return nil, err
	}
	done = true
	return maps, nil
}

// seedProcs adds every process in /proc to the process table, and its
// arguments (/proc/PID/cmdline) to cmdargs when the base has that map,
// without overwriting entries the base programs wrote since they were
// attached. Entries of processes that exited while seeding are removed
// again.
func seedProcs(procs, cmdargs *ebpf.Map, procfs string) error {
	pids, err := listPids(procfs)
	if err != nil {
		return err
	}
	var seeded []uint32
	for _, pid := range pids {
		p, err := readProc(procfs, pid)
		if err != nil {
			continue // exited meanwhile
		}
		if cmdargs != nil && p.Cmdline != nil {
			a := bpf.NewCmdArgs(p.Cmdline)
			if err := cmdargs.Update(pid, &a, ebpf.UpdateNoExist); err != nil && !errors.Is(err, ebpf.ErrKeyExist) {
				return fmt.Errorf("add the arguments of pid %d: %w", pid, err)
			}
		}
		entry := p.toProc()
		err = procs.Update(pid, &entry, ebpf.UpdateNoExist)
		switch {
		case err == nil:
			seeded = append(seeded, pid)
		case errors.Is(err, ebpf.ErrKeyExist):
		default:
			return fmt.Errorf("add pid %d: %w", pid, err)
		}
	}
	// A process that exited between being read and being added has had its
	// exit handled already: drop its entry.
	for _, pid := range seeded {
		if _, err := os.Stat(filepath.Join(procfs, fmt.Sprint(pid))); errors.Is(err, os.ErrNotExist) {
			var e bpf.Proc
			if procs.Lookup(pid, &e) == nil && e.Flags&bpf.ProcFromProcfs != 0 {
				procs.Delete(pid)
				if cmdargs != nil {
					cmdargs.Delete(pid)
				}
			}
		}
	}
	return nil
}

type namedLink struct {
	name string
	link link.Link
}
