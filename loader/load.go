package loader

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/usdt"
)

// Loaded describes a policy Load put in force.
type Loaded struct {
	Name     string
	PolicyID uint32
	// Programs attached, and hooks skipped as the policy allows: their
	// target is missing (ignoreMissing), their binary matches none of
	// their digests (ignoreDigestMismatch).
	Programs int
	Skipped  []SkippedHook
	// Replaced is true when a loaded policy of the same name was replaced.
	Replaced bool
	// Duration is the time from reading the bundle's spec to committing its
	// pins, the base excluded.
	Duration time.Duration
	// Warnings are problems that did not stop the load.
	Warnings []string
	// Held counts the programs attached but not pinned, which
	// Options.Hold keeps attached (Holder).
	Held int
}

// SkippedHook is a hook Load did not attach, and why.
type SkippedHook struct {
	Hook   string // hookLabel
	Reason string
}

// Reasons of SkippedHook.
const (
	SkipMissing        = "its target is missing (ignoreMissing)"
	SkipDigestMismatch = "ignore.digestVerificationFailure"
)

// policyState is what polrun records about a loaded policy, as JSON at key
// 1 of its polc_manifest map (key 0 is the manifest).
type policyState struct {
	PolicyID     uint32    `json:"policyId"`
	Bundle       string    `json:"bundle,omitempty"`
	BundleSHA256 string    `json:"bundleSha256"`
	LoadedAt     time.Time `json:"loadedAt"`
	// SignedVersion is Bundle.SignedVersion (LoadedVersion).
	SignedVersion uint64 `json:"signedVersion,omitempty"`
}

const (
	manifestKey = 0
	stateKey    = 1
)

// Load puts bundles in force: all of them or, on any error, none (and
// nothing of this call stays attached or pinned). A bundle whose policy is
// loaded already is an ErrExists error unless opts.Replace.
//
// Every policy, and the base when none is loaded, is staged in the pin
// root (base_new, new_N), then one journal entry commits them all and they
// are renamed into place (journal.go): a polrun killed at any point leaves
// the state before the load or after it, once the next polrun has run.
func Load(bundles []*Bundle, opts *Options) (_ []Loaded, err error) {
	o := opts.withDefaults()
	seen := map[string]bool{}
	for _, b := range bundles {
		if seen[b.Name()] {
			return nil, fmt.Errorf("policy %s given twice", b.Name())
		}
		seen[b.Name()] = true
	}
	if err := checkSelectors(bundles, o.NodeLabels); err != nil {
		return nil, err
	}
	if err := checkPrivileges(); err != nil {
		return nil, err
	}
	if err := liftMemlock(); err != nil {
		return nil, err
	}
	if o.KernelBTF != "" {
		if err := UseKernelBTF(o.KernelBTF); err != nil {
			return nil, err
		}
	}
	if err := checkMapMemory(bundles, o.MaxMapMemory); err != nil {
		return nil, err
	}
	if o.RingBufferSize != 0 {
		if err := ValidRingBufferSize(o.RingBufferSize); err != nil {
			return nil, err
		}
	}
	if err := ensureBPFFS(o.PinRoot); err != nil {
		return nil, err
	}
	lk, createdRoot, err := openRoot(o.PinRoot, true)
	if err != nil {
		return nil, err
	}
	defer lk.unlock()
	policies := filepath.Join(o.PinRoot, bpf.PoliciesDir)
	createdPolicies, committed := false, false
	defer func() {
		// A load that failed before its commit leaves no directory it
		// made. (One committed is finished by the next polrun, which
		// needs them.)
		if err != nil && !committed && createdPolicies {
			removeIfEmpty(policies)
		}
		if err != nil && !committed && createdRoot {
			removeIfEmpty(o.PinRoot)
		}
	}()

	for _, b := range bundles {
		dir := policyDir(o.PinRoot, b.Name())
		if !exists(dir) {
			continue
		}
		if err := checkDir(dir); err != nil {
			return nil, fmt.Errorf("policy %s: %w", b.Name(), err)
		}
		if !o.Replace {
			return nil, fmt.Errorf("%w: %s (unload it first, or load with --replace)", ErrExists, b.Name())
		}
	}
	if err := checkDowngrades(o, bundles); err != nil {
		return nil, err
	}
	for _, b := range bundles {
		if err := o.fail("features"); err != nil {
			return nil, err
		}
		if err := checkOverrides(b.Manifest); err != nil {
			return nil, fmt.Errorf("policy %s: %w", b.Name(), err)
		}
		if _, _, err := loadMode(b.Manifest, o.Mode); err != nil {
			return nil, fmt.Errorf("policy %s: %w", b.Name(), err)
		}
		if err := RequireFeatures(b.Manifest.Features); err != nil {
			return nil, fmt.Errorf("policy %s: %w", b.Name(), err)
		}
		for _, h := range b.Manifest.Hooks {
			if err := checkTracepointFields(h); err != nil {
				return nil, fmt.Errorf("policy %s: %w", b.Name(), err)
			}
		}
	}

	// Every directory is made before anything is attached: a policy may
	// forbid mkdir (Override on security_inode_mkdir), polrun's own too.
	if createdPolicies, err = ensureDir(policies); err != nil {
		return nil, err
	}
	base, stagedBase, err := ensureBase(o)
	if err != nil {
		return nil, err
	}
	defer base.close()
	if !stagedBase {
		if err := checkRingBufferSize(o, base); err != nil {
			return nil, err
		}
	}

	ids, err := loadedIDs(o.PinRoot)
	if err != nil {
		return nil, err
	}
	var stagedAll []*staged
	rollback := func() {
		for _, s := range stagedAll {
			closeLinks(s.held) // held, not pinned: removing the pins does not detach them
			s.held = nil
			s.release()
		}
		// Removing the staged pins detaches them; the base staged for
		// this load goes with them.
		discardUncommitted(o.PinRoot)
	}
	dirs := make([]string, len(bundles))
	for i, b := range bundles {
		if dirs[i], err = makeStaging(o.PinRoot, i); err != nil {
			rollback()
			return nil, fmt.Errorf("policy %s: %w", b.Name(), err)
		}
	}
	for i, b := range bundles {
		s, err := stage(b, dirs[i], base, ids, o)
		if err != nil {
			rollback()
			var pe *ProgramError
			if errors.As(err, &pe) {
				return nil, err // it names the policy
			}
			return nil, fmt.Errorf("policy %s: %w", b.Name(), err)
		}
		ids[s.id] = true
		s.result.Replaced = exists(policyDir(o.PinRoot, b.Name()))
		if s.result.Replaced {
			s.result.Warnings = append(s.result.Warnings, reenabledMembers(o.PinRoot, b.Name())...)
		}
		stagedAll = append(stagedAll, s)
	}
	if err := o.fail("commit"); err != nil {
		rollback()
		return nil, err
	}
	if err := writeJournal(o.PinRoot, opLoad); err != nil {
		rollback()
		return nil, err
	}
	committed = true
	// Committed: from here the load is finished, by this polrun or, if it
	// dies or fails, by the next one. Replaced policies stay attached
	// until the new ones are in place.
	for _, s := range stagedAll {
		if len(s.held) > 0 {
			o.Hold.put(s.result.Name, s.held)
			s.held = nil
		}
		s.release()
	}
	done, err := finish(o.PinRoot, opLoad)
	if err != nil && len(done) < len(stagedAll) {
		return nil, fmt.Errorf("the load is committed but not finished (the next polrun finishes it): %w", err)
	}
	out := make([]Loaded, len(stagedAll))
	for i, s := range stagedAll {
		s.result.Duration = time.Since(s.start)
		if err != nil {
			// In force; what is left over goes with the next polrun.
			s.result.Warnings = append(s.result.Warnings, fmt.Sprintf("not all replaced pins were removed (the next polrun will): %v", err))
		}
		out[i] = s.result
	}
	return out, nil
}

// staged is a policy loaded, attached and pinned in a staging directory.
type staged struct {
	bundle   *Bundle
	id       uint32
	dir      string
	coll     *ebpf.Collection
	manifest *ebpf.Map
	links    []namedLink
	held     []namedLink // attached, not pinnable: for Options.Hold
	result   Loaded
	start    time.Time
}

// release closes this process's handles; the pins keep everything alive.
func (s *staged) release() {
	for _, l := range s.links {
		l.link.Close()
	}
	s.links = nil
	if s.coll != nil {
		s.coll.Close()
	}
	if s.manifest != nil {
		s.manifest.Close()
	}
}

// abort undoes the staging: with its pins removed and its handles closed,
// the kernel detaches and frees everything.
func (s *staged) abort() {
	os.RemoveAll(s.dir)
	closeLinks(s.held)
	s.held = nil
	s.release()
}

// stage loads, fills, attaches and pins one bundle into a staging
// directory.
func stage(b *Bundle, dir string, base *baseMaps, ids map[uint32]bool, o *Options) (_ *staged, err error) {
	m := b.Manifest
	s := &staged{bundle: b, dir: dir, start: time.Now()}
	defer func() {
		if err != nil {
			s.abort()
		}
	}()
	s.id, err = allocID(ids)
	if err != nil {
		return nil, err
	}
	spec := b.Spec.Copy()
	setAttachTargets(spec, m)
	if err := setVars(spec, m, s.id); err != nil {
		return nil, err
	}
	// The files SameFile tests compare, identified on this machine before
	// anything is loaded (fileid.go).
	fileIDs, err := FileIDEntries(m)
	if err != nil {
		return nil, err
	}
	repl := map[string]*ebpf.Map{}
	for name, ms := range spec.Maps {
		if bpf.IsSharedMap(name) {
			if err := checkSharedMap(name, ms); err != nil {
				return nil, fmt.Errorf("%w: %v", ErrBadBundle, err)
			}
			m := base.byName(name)
			if m == nil {
				return nil, fmt.Errorf("the loaded base has no %s, which the bundle shares: it predates this polrun (unload every policy, which removes the base, and load again)", name)
			}
			matchBaseMap(ms, m)
			repl[name] = m
			continue
		}
		if name == bpf.ManifestMap {
			return nil, fmt.Errorf("%w: the bundle declares %s, which polrun creates", ErrBadBundle, bpf.ManifestMap)
		}
		// The policy's own maps are pinned by polrun under maps/, never by
		// name under the base.
		ms.Pinning = ebpf.PinNone
	}
	// Hooks whose BTF target is missing cannot even load; drop them when
	// the policy says so.
	skip := map[int]bool{}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if btfTargeted(p.Attach) && h.IgnoreMissing {
				fn := p.Target
				if fn == "" {
					fn = spec.Programs[p.Name].AttachTo
				}
				if p.Attach == "lsm" {
					fn = "bpf_lsm_" + strings.TrimPrefix(fn, "bpf_lsm_")
				}
				if !btfFuncExists(fn) {
					skip[h.ID] = true
				}
			}
		}
		if skip[h.ID] {
			for _, p := range h.Programs {
				delete(spec.Programs, p.Name)
			}
			s.result.Skipped = append(s.result.Skipped, SkippedHook{hookLabel(h), SkipMissing})
		}
	}
	// The binaries of uprobes with binaryDigests, hashed before anything
	// is loaded and kept open to attach through (digest.go); each binary
	// once, however many symbols of it the policy hooks.
	verified := map[int]*os.File{}
	type verdict struct {
		f   *os.File
		err error
	}
	checked := map[string]verdict{}
	defer func() {
		for _, v := range checked {
			if v.f != nil {
				v.f.Close()
			}
		}
	}()
	for _, h := range m.Hooks {
		if len(h.BinaryDigests) == 0 || skip[h.ID] {
			continue
		}
		key := h.Target + "\x00" + strings.Join(h.BinaryDigests, "\x00")
		v, done := checked[key]
		if !done {
			v.f, v.err = openVerified(h)
			checked[key] = v
		}
		f, err := v.f, v.err
		var mismatch *DigestMismatchError
		switch {
		case errors.As(err, &mismatch) && h.IgnoreDigestMismatch:
			skip[h.ID] = true
			for _, p := range h.Programs {
				delete(spec.Programs, p.Name)
			}
			s.result.Skipped = append(s.result.Skipped, SkippedHook{hookLabel(h), SkipDigestMismatch + ": " + mismatch.Error()})
		case err != nil:
			return nil, &ProgramError{Policy: m.Policy, Hook: hookLabel(h), Pos: h.Pos, Step: "verify binary", Err: err}
		default:
			verified[h.ID] = f
		}
	}

	if err := setUprobeJumps(spec, m, skip, verified); err != nil { // uprobejump.go
		return nil, err
	}
	if err := SetUserResolves(spec, m, skip); err != nil { // userresolve.go
		return nil, err
	}

	multi, notes := pickMulti(m, spec, o.DisableKprobeMulti, skip) // kmulti.go
	s.result.Warnings = append(s.result.Warnings, notes...)
	pick, err := pickPrograms(m, spec, o.noCookie) // fallback.go
	if err != nil {
		return nil, err
	}
	// The places of each USDT probe, from its binary; without BPF
	// cookies, each place gets its own copy of the program (usdt.go).
	places := map[int][]usdt.Probe{}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if p.Attach != "usdt" || skip[h.ID] {
				continue
			}
			places[h.ID], err = usdtPlaces(h, arch.Arch(m.Arch))
			if err != nil {
				return nil, &ProgramError{Policy: m.Policy, Program: p.Name, Hook: hookLabel(h), Pos: h.Pos, Step: "attach", Err: err}
			}
			if pick.noCookie && p.NoCookie != "" {
				if err := usdtSites(spec, h, p, len(places[h.ID])); err != nil {
					return nil, err
				}
			}
		}
	}
	PreallocHashMaps(spec) // mapsize.go

	if err := o.fail("load"); err != nil {
		return nil, err
	}
	s.coll, err = ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{MapReplacements: repl,
		Programs: ebpf.ProgramOptions{KernelTypes: kernelTypes()}})
	if err != nil {
		return nil, loadError(m, spec, err)
	}
	faultPoint("load " + m.Policy)

	if err := o.fail("maps"); err != nil {
		return nil, err
	}
	for _, mi := range append(append([]bpf.MapInit(nil), m.Maps...), fileIDs...) {
		mp := s.coll.Maps[mi.Map]
		for i, e := range mi.Entries {
			if err := mp.Update(e.Key, e.Value, ebpf.UpdateAny); err != nil {
				return nil, fmt.Errorf("fill map %s entry %d: %w", mi.Map, i, err)
			}
		}
	}
	// The mode is in place before any program is attached: a policy
	// loaded in monitor mode never enforces, not even once.
	mode, warning, err := loadMode(m, o.Mode)
	if err != nil {
		return nil, err
	}
	if warning != "" {
		s.result.Warnings = append(s.result.Warnings, warning)
	}
	if m.Mode != "" {
		if err := writeMode(s.coll, mode); err != nil {
			return nil, err
		}
	}

	if err := o.fail("manifest"); err != nil {
		return nil, err
	}
	state := policyState{PolicyID: s.id, Bundle: b.Path, BundleSHA256: b.SHA256, LoadedAt: time.Now().UTC(), SignedVersion: b.SignedVersion}
	s.manifest, err = newManifestMap(m, &state)
	if err != nil {
		return nil, err
	}

	for _, h := range m.Hooks {
		if skip[h.ID] {
			continue
		}
		var hookLinks []namedLink
		for _, p := range h.Programs {
			if multi[p.Multi] {
				continue // attached below, with the other hooks of p.Multi
			}
			if err := o.fail("attach:" + p.Name); err != nil {
				return nil, err
			}
			if p.Attach == "usdt" {
				ls, err := attachUSDT(h, p, s.coll, places[h.ID], pick.noCookie && p.NoCookie != "")
				if err != nil {
					return nil, &ProgramError{Policy: m.Policy, Program: p.Name, Hook: hookLabel(h), Pos: h.Pos, Step: "attach", Err: err}
				}
				hookLinks = append(hookLinks, ls...)
				continue
			}
			ah := h
			if f := verified[h.ID]; f != nil {
				ah.Target = fdPath(f) // the file hashed, not what the path names now
			}
			l, err := attachProgram(ah, p, s.coll.Programs[p.Name])
			if err != nil {
				if h.IgnoreMissing && missingTarget(err) {
					for _, hl := range hookLinks {
						hl.link.Close()
					}
					hookLinks = nil
					s.result.Skipped = append(s.result.Skipped, SkippedHook{hookLabel(h), SkipMissing})
					break
				}
				return nil, &ProgramError{Policy: m.Policy, Program: p.Name, Hook: hookLabel(h), Pos: h.Pos, Step: "attach", Err: err}
			}
			hookLinks = append(hookLinks, namedLink{p.Name, l})
			faultPoint("attach " + p.Name)
		}
		s.links = append(s.links, hookLinks...)
	}
	for _, mp := range m.Multi {
		if !multi[mp.Name] {
			continue
		}
		if err := o.fail("attach:" + mp.Name); err != nil {
			return nil, err
		}
		l, err := attachMulti(mp, s.coll.Programs[mp.Name])
		if err != nil {
			pe := &ProgramError{Policy: m.Policy, Program: mp.Name, Hook: multiLabel(mp), Step: "attach", Err: err}
			for _, h := range m.Hooks {
				if h.ID == mp.Hooks[0] {
					pe.Pos = h.Pos
				}
			}
			return nil, pe
		}
		s.links = append(s.links, namedLink{mp.Name, l})
		faultPoint("attach " + mp.Name)
	}

	if err := o.fail("pin"); err != nil {
		return nil, err
	}
	if err := s.pin(o); err != nil {
		return nil, err
	}
	s.result.Name = m.Policy
	s.result.PolicyID = s.id
	s.result.Programs = len(s.links) + len(s.held)
	s.result.Held = len(s.held)
	return s, nil
}

// makeStaging makes the staging directory new_N of the load's n-th
// policy, with its links and maps subdirectories. The lock is held and
// recovery removed any earlier one, so the name is free.
func makeStaging(root string, n int) (string, error) {
	dir := filepath.Join(root, fmt.Sprintf("%s%d", newPrefix, n))
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("create staging directory: %w", err)
	}
	faultPoint("mkdir " + filepath.Base(dir))
	for _, sub := range []string{bpf.LinksDir, bpf.MapsDir} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			return "", fmt.Errorf("create staging directory: %w", err)
		}
	}
	return dir, nil
}

// pin pins links, the policy's maps and the manifest map into the staging
// directory. With o.Hold, the links the kernel cannot pin move to s.held
// (Holder), and their programs are pinned in their place, for List
// (held.go).
func (s *staged) pin(o *Options) error {
	dir, hold := s.dir, o.Hold != nil
	pinnedLinks := s.links[:0:0]
	for _, l := range s.links {
		path := filepath.Join(dir, bpf.LinksDir, bpf.PinName(l.name))
		// A test may make the kernel seem unable to pin links
		// (ebpf.ErrNotSupported), as before 5.15.
		err := o.fail("pin link")
		if err == nil {
			err = l.link.Pin(path)
		}
		if err != nil {
			if unpinnable(err) && hold {
				if err := pinHeldProgram(s.coll, l.name, path); err != nil {
					s.held = nil // still in s.links, which abort closes
					return err
				}
				s.held = append(s.held, l)
				continue
			}
			s.held = nil // still in s.links, which abort closes
			if unpinnable(err) {
				return fmt.Errorf("pin link of program %s: %w: this kernel cannot pin a perf event's link (5.15+ can), so the attachment lasts only while a process holds it: polrun run and polrun serve hold it, polrun load cannot", l.name, err)
			}
			return fmt.Errorf("pin link of program %s: %w", l.name, err)
		}
		pinnedLinks = append(pinnedLinks, l)
		faultPoint("pin link " + l.name)
	}
	s.links = pinnedLinks
	pinned := map[string]string{bpf.ManifestMap: bpf.ManifestMap}
	for name, mp := range s.coll.Maps {
		if bpf.IsSharedMap(name) {
			continue
		}
		file := bpf.PinName(name)
		if !validPinName(name) || pinned[file] != "" {
			return fmt.Errorf("%w: map name %q cannot be pinned (pinned as %q, taken by %q)", ErrBadBundle, name, file, pinned[file])
		}
		pinned[file] = name
		if err := mp.Pin(filepath.Join(dir, bpf.MapsDir, file)); err != nil {
			return fmt.Errorf("pin map %s: %w", name, err)
		}
		faultPoint("pin map " + name)
	}
	if err := s.manifest.Pin(filepath.Join(dir, bpf.MapsDir, bpf.ManifestMap)); err != nil {
		return fmt.Errorf("pin map %s: %w", bpf.ManifestMap, err)
	}
	faultPoint("pin map " + bpf.ManifestMap)
	return nil
}

// allocID returns a random policy id not in use. Random ids make it
// unlikely that an event reader still holding a removed policy's manifest
// mistakes a new policy's records for it.
func allocID(inUse map[uint32]bool) (uint32, error) {
	for range 100 {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, fmt.Errorf("allocate policy id: %w", err)
		}
		id := binary.LittleEndian.Uint32(b[:])
		if id != 0 && !inUse[id] {
			return id, nil
		}
	}
	return 0, errors.New("allocate policy id: no free id found")
}

// setVars sets the load-time variables the manifest lists.
func setVars(spec *ebpf.CollectionSpec, m *bpf.Manifest, id uint32) error {
	vars := append([]string(nil), m.Vars...)
	if spec.Variables[bpf.VarPolicyID] != nil {
		vars = append(vars, bpf.VarPolicyID)
	}
	for _, name := range vars {
		v := spec.Variables[name]
		if v == nil {
			return fmt.Errorf("%w: load-time variable %s is not in the bundle", ErrBadBundle, name)
		}
		if strings.HasPrefix(name, bpf.VarUprobeJumpPrefix) || strings.HasPrefix(name, bpf.VarUserResolvePrefix) {
			continue // from the binaries, once verified: setUprobeJumps; from btfPath: SetUserResolves
		}
		var val uint32
		switch {
		case name == bpf.VarPolicyID:
			val = id
		case strings.HasPrefix(name, bpf.VarHostNSPrefix):
			kind := strings.TrimPrefix(name, bpf.VarHostNSPrefix)
			known := false
			for _, k := range nsKinds {
				known = known || k == kind
			}
			if !known {
				return fmt.Errorf("%w: variable %s: unknown namespace kind %q", ErrBadBundle, name, kind)
			}
			ino, err := nsInode("/proc/1/ns/" + kind)
			if err != nil {
				return fmt.Errorf("host %s namespace: %w", kind, err)
			}
			val = ino
		default:
			return fmt.Errorf("%w: load-time variable %s is not one polrun sets", ErrBadBundle, name)
		}
		if err := v.Set(val); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	return nil
}

// newManifestMap creates the polc_manifest array: key 0 the manifest JSON,
// key 1 polrun's state, each NUL-padded to the value size.
func newManifestMap(m *bpf.Manifest, st *policyState) (*ebpf.Map, error) {
	mj, err := m.Marshal()
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	sj, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("encode state: %w", err)
	}
	size := bpf.Align8(max(len(mj), len(sj)) + 1)
	mp, err := ebpf.NewMap(&ebpf.MapSpec{
		Name: bpf.ManifestMap, Type: ebpf.Array, KeySize: 4, ValueSize: uint32(size), MaxEntries: 2,
	})
	if err != nil {
		return nil, fmt.Errorf("create %s (%d bytes): %w", bpf.ManifestMap, size, err)
	}
	for key, data := range map[uint32][]byte{manifestKey: mj, stateKey: sj} {
		val := make([]byte, size)
		copy(val, data)
		if err := mp.Update(key, val, ebpf.UpdateAny); err != nil {
			mp.Close()
			return nil, fmt.Errorf("write %s: %w", bpf.ManifestMap, err)
		}
	}
	if err := mp.Freeze(); err != nil && !errors.Is(err, ebpf.ErrNotSupported) {
		mp.Close()
		return nil, fmt.Errorf("freeze %s: %w", bpf.ManifestMap, err)
	}
	return mp, nil
}

// loadError turns a collection load error into a ProgramError naming the
// hook, when it names one of the manifest's programs of spec, and the
// members the kernel lacks when it is a bad CO-RE relocation.
func loadError(m *bpf.Manifest, spec *ebpf.CollectionSpec, err error) error {
	msg := err.Error()
	for _, mp := range m.Multi {
		if strings.HasPrefix(msg, "program "+mp.Name+":") {
			return &ProgramError{Policy: m.Policy, Program: mp.Name, Hook: multiLabel(mp), Step: "load", Err: err}
		}
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if !strings.HasPrefix(msg, "program "+p.Name+":") {
				continue
			}
			pe := &ProgramError{Policy: m.Policy, Program: p.Name, Hook: hookLabel(h), Pos: h.Pos, Step: "load", Err: err}
			var ve *ebpf.VerifierError
			if errors.As(err, &ve) {
				pe.LogTail = tail(ve.Log, 20)
				if strings.Contains(ve.Cause.Error(), "bad CO-RE relocation") {
					pe.Missing = missingMembers(spec.Programs[p.Name], spec.Types, kernelTypes()) // core.go
				}
			}
			return pe
		}
	}
	return fmt.Errorf("load: %w", err)
}

func tail(lines []string, n int) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}
