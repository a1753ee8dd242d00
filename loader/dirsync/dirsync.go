// Package dirsync keeps the policies loaded under a pin root in step with
// the bundle files (NAME.bpf.o) in a directory: a bundle that appears is
// loaded, one that changes is replaced (the new policy attached before the
// old one is detached: loader.Options.Replace), one that disappears is
// unloaded. It is `polrun serve`, as a library.
//
// The directory is polled (Options.Interval, 100ms by default) rather
// than watched with inotify: Kubernetes updates a ConfigMap volume by
// swapping a symlink to a new directory, which polling sees like any
// other change, on any filesystem. A file is acted on once it has stayed
// the same (type, size, times, inode, and those of its signature file)
// for one interval, so a bundle being copied in is not read half-written;
// a new bundle is in force within two intervals plus its load time. Files
// are best written elsewhere and renamed in.
//
// # What is read
//
// Only regular files are read, and at most bundle.MaxSize bytes of a
// bundle and bundle.MaxSignatureSize of a signature, with reads that
// cannot block (bundle.ReadFile): a FIFO, a device (a link to /dev/zero)
// or a directory named like a bundle or its signature is reported as a
// failure of that file and the other files are synced as usual. A
// symbolic link is refused unless Options.FollowSymlinks (a ConfigMap
// volume is made of them), and then it must lead to a regular file. With
// Options.Trusted, a file must also be named after the policy its
// signature names (NAME.bpf.o for policy NAME): a signed bundle renamed
// to stand in for another policy's file is refused.
//
// # Which file provides a policy
//
// The policies loaded are a function of the files present: each policy
// is loaded from the one file that provides it, chosen among the files
// that hold it (read, verified and checked) as the one of the highest
// signed version (Options.Trusted; 0 without), and among those the
// lexically first by name. The other files of that policy are reported
// once as a Conflict and kept as standbys: when the chosen file goes or
// changes to another policy, the next one takes over (a replace, without
// a gap), never nothing. A file whose new contents cannot be read or
// verified is reported and provides nothing new; if it provided the
// loaded policy, that policy stays loaded as it was while no other file
// provides it. A load the kernel or the loader refuses (a downgrade, see
// loader.Options.AllowDowngrade) is reported and tried again when the
// chosen file changes, or another file is chosen; the policy stays as it
// was.
//
// A Syncer owns the policies it loaded from the directory; policies loaded
// from elsewhere are left alone unless a file in the directory has the
// same policy name. On its first pass it adopts what a previous run left
// loaded: a policy loaded from a file of the directory whose bytes are
// unchanged is kept as it is, and one whose file is gone is unloaded.
package dirsync

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/polc-dev/polc/bundle"
	"github.com/polc-dev/polc/loader"
)

// DefaultInterval is how often a Syncer looks at its directory: a few
// system calls per file each time.
const DefaultInterval = 100 * time.Millisecond

// Suffix is the file name suffix of bundles.
const Suffix = ".bpf.o"

// Options say what to watch and how to load. Dir is required.
type Options struct {
	Dir string
	// Loader options: PinRoot, Base, AllowDowngrade. Replace is always
	// on.
	Loader loader.Options
	// Trusted keys: when set, only bundles signed by one of them load
	// (see package bundle), each from its policy's file (NAME.bpf.o).
	Trusted []bundle.PublicKey
	// FollowSymlinks reads bundles and signatures that are symbolic links
	// to regular files; without it a link is refused.
	FollowSymlinks bool
	// Interval between polls of Dir, DefaultInterval when 0.
	Interval time.Duration
	// Report, if set, is told every change, from the goroutine that
	// calls Sync.
	Report func(Change)
}

// Kind is what happened to a bundle file.
type Kind int

const (
	Loaded   Kind = iota // its policy was loaded
	Replaced             // its policy was loaded in place of a loaded one
	Adopted              // its policy was loaded already, from these bytes
	Unloaded             // its policy was unloaded: the file went away
	Failed               // it could not be read, verified or loaded
	Conflict             // it holds a policy another file provides: a standby
	// NotThisNode: its policy's nodeSelector does not select this node's
	// labels (Loader.NodeLabels): not loaded, and not a failure — one
	// directory serves every node.
	NotThisNode
)

func (k Kind) String() string {
	return [...]string{"loaded", "replaced", "adopted", "unloaded", "failed", "conflict", "not for this node"}[k]
}

// Change is one thing a Sync did.
type Change struct {
	Kind Kind
	// File is the bundle's file name in Dir.
	File   string
	Policy string // "" when the bundle could not be read
	// Result of the load, for Loaded and Replaced.
	Result *loader.Loaded
	// Err says why, for Failed; for Conflict, which file provides the
	// policy.
	Err error
}

func (c Change) String() string {
	switch c.Kind {
	case Failed, Conflict, NotThisNode:
		prefix := ""
		if c.Kind == Conflict {
			prefix = "conflict: "
		}
		// Errors of reading name the file already.
		if msg := c.Err.Error(); strings.Contains(msg, c.File) {
			return prefix + msg
		}
		return fmt.Sprintf("%s%s: %v", prefix, c.File, c.Err)
	case Loaded, Replaced:
		r := c.Result
		return fmt.Sprintf("%s %s from %s (policy id %d, %d programs, %v)", c.Kind, c.Policy, c.File, r.PolicyID, r.Programs, r.Duration.Round(time.Microsecond))
	}
	return fmt.Sprintf("%s %s (%s)", c.Kind, c.Policy, c.File)
}

// stamp identifies a version of a bundle file and its signature file
// without reading them.
type stamp struct {
	bundle, sig fileStamp
}

type fileStamp struct {
	mode         fs.FileMode // the type bits: a FIFO is not a file
	dev, ino     uint64
	size         int64
	mtime, ctime int64
}

// file is what the Syncer knows of one bundle file.
type file struct {
	// seen is the stamp of the last poll; examined is the stamp last
	// read (hasExamined).
	seen, examined stamp
	hasExamined    bool
	// valid says whether the contents of the examined stamp read,
	// verified and parsed; policy, version and sha are those of the last
	// valid contents ("" before any).
	valid   bool
	err     error // why the examined contents are not valid
	policy  string
	version uint64
	sha     string
	// conflictWith is the file the last Conflict report named, so that
	// a standby is reported once, not every pass.
	conflictWith string
}

// provider is the file a loaded policy was loaded from, and its bytes.
type provider struct {
	file, sha string
}

// attempt is a load that failed: not tried again until the chosen file
// or its stamp changes.
type attempt struct {
	file  string
	stamp stamp
	err   error
}

// Syncer keeps a directory's bundles loaded. Its methods are not safe
// for concurrent use.
type Syncer struct {
	o      Options
	dir    string // absolute
	files  map[string]*file
	loaded map[string]provider // by policy: what this Syncer loaded
	failed map[string]attempt  // by policy
	// started is set after the first pass, which adopts.
	started bool
	// failing is what Failing returns, set at the end of each pass.
	failingMu sync.Mutex
	failing   []Failure
}

// Failure is a bundle file that does not load as it is: it cannot be read
// or verified, or its policy failed to load from it.
type Failure struct {
	File   string
	Policy string // "" when the file could not be read
	Err    error
}

// Failing returns the files that failed in the last pass and are still
// there unchanged, by name. Unlike the Syncer's other methods it is safe
// to call while Run runs (for readiness).
func (s *Syncer) Failing() []Failure {
	s.failingMu.Lock()
	defer s.failingMu.Unlock()
	return append([]Failure(nil), s.failing...)
}

// noteFailing records, after a pass, the files that are invalid and the
// policies whose load from their file failed.
func (s *Syncer) noteFailing() {
	var out []Failure
	for name, f := range s.files {
		if f.hasExamined && !f.valid && f.err != nil {
			out = append(out, Failure{File: name, Err: f.err})
		}
	}
	for p, a := range s.failed {
		if errors.Is(a.err, loader.ErrNotThisNode) {
			continue // meant for other nodes
		}
		if f := s.files[a.file]; f != nil && f.valid && a.err != nil {
			out = append(out, Failure{File: a.file, Policy: p, Err: a.err})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	s.failingMu.Lock()
	s.failing = out
	s.failingMu.Unlock()
}

// New makes a Syncer; nothing happens until Sync or Run.
func New(o Options) (*Syncer, error) {
	if o.Dir == "" {
		return nil, errors.New("dirsync: no directory")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("dirsync: %w", err)
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	o.Loader.Replace = true
	return &Syncer{o: o, dir: dir, files: map[string]*file{}, loaded: map[string]provider{}, failed: map[string]attempt{}}, nil
}

// Run syncs every interval until ctx is done. It fails only if the
// directory cannot be read at the start.
func (s *Syncer) Run(ctx context.Context) error {
	if _, err := os.ReadDir(s.dir); err != nil {
		return fmt.Errorf("dirsync: %w", err)
	}
	t := time.NewTicker(s.o.Interval)
	defer t.Stop()
	for {
		s.Sync()
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Policies returns the policies loaded from the directory, sorted.
func (s *Syncer) Policies() []string {
	out := make([]string, 0, len(s.loaded))
	for p := range s.loaded {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// UnloadAll unloads every policy loaded from the directory.
func (s *Syncer) UnloadAll() error {
	names := s.Policies()
	if len(names) == 0 {
		return nil
	}
	err := loader.Unload(names, &s.o.Loader)
	clear(s.loaded)
	return err
}

func (s *Syncer) report(c Change) {
	if s.o.Report != nil {
		s.o.Report(c)
	}
}

// Sync makes one pass: it reads the files that changed and then loads,
// replaces and unloads so that each policy is provided by the file the
// package doc says.
func (s *Syncer) Sync() {
	present, err := s.scan()
	if err != nil {
		// The directory itself is gone or unreadable (a volume being
		// remounted): change nothing until it is back.
		return
	}
	if !s.started {
		s.started = true
		s.adopt(present)
	}
	for name := range s.files {
		if _, ok := present[name]; !ok {
			delete(s.files, name)
		}
	}
	names := make([]string, 0, len(present))
	for name := range present {
		names = append(names, name)
	}
	sort.Strings(names)
	read := map[string]*loader.Bundle{} // bundles read in this pass
	for _, name := range names {
		st := present[name]
		f := s.files[name]
		if f == nil {
			s.files[name] = &file{seen: st}
			continue // act once it has stayed the same for an interval
		}
		if st != f.seen {
			f.seen = st
			continue
		}
		if f.hasExamined && st == f.examined {
			continue
		}
		if b := s.examine(name, f); b != nil {
			read[name] = b
		}
	}
	s.reconcile(read)
	s.noteFailing()
}

// examine reads a file that changed and stayed so for an interval.
func (s *Syncer) examine(name string, f *file) *loader.Bundle {
	f.examined, f.hasExamined = f.seen, true
	f.conflictWith = ""
	b, err := s.readBundle(name)
	if err != nil {
		f.valid, f.err = false, err
		s.report(Change{Kind: Failed, File: name, Err: err})
		return nil
	}
	f.valid, f.err, f.policy, f.version, f.sha = true, nil, b.Name(), b.SignedVersion, b.SHA256
	return b
}

// reconcile loads each policy from the file that should provide it, and
// unloads what no file provides.
func (s *Syncer) reconcile(read map[string]*loader.Bundle) {
	holders := map[string][]string{} // policy -> files holding it, sorted
	for name, f := range s.files {
		if f.policy != "" {
			holders[f.policy] = append(holders[f.policy], name)
		}
	}
	policies := make([]string, 0, len(holders))
	for p, names := range holders {
		sort.Strings(names)
		policies = append(policies, p)
	}
	sort.Strings(policies)
	keep := map[string]bool{}
	for _, p := range policies {
		owner := s.choose(holders[p])
		if owner == "" {
			// Only files whose contents turned bad hold it: what is
			// loaded stays while its file is there and holds it.
			if cur, ok := s.loaded[p]; ok && s.files[cur.file] != nil && s.files[cur.file].policy == p {
				keep[p] = true
			}
			continue
		}
		keep[p] = true
		for _, n := range holders[p] {
			if f := s.files[n]; n != owner && f.valid && f.conflictWith != owner {
				f.conflictWith = owner
				s.report(Change{Kind: Conflict, File: n, Policy: p,
					Err: fmt.Errorf("%s holds policy %s, which %s provides: one file per policy; %s is kept as a standby", n, p, owner, n)})
			}
		}
		of := s.files[owner]
		if cur, ok := s.loaded[p]; ok && cur == (provider{owner, of.sha}) {
			delete(s.failed, p)
			continue
		}
		if a, ok := s.failed[p]; ok && a.file == owner && a.stamp == of.examined {
			continue
		}
		if of.seen != of.examined {
			continue // being written: loaded once it holds still
		}
		s.load(p, owner, read[owner])
	}
	gone := make([]string, 0)
	for p := range s.loaded {
		if !keep[p] {
			gone = append(gone, p)
		}
	}
	sort.Strings(gone)
	for _, p := range gone {
		cur := s.loaded[p]
		delete(s.loaded, p)
		delete(s.failed, p)
		if err := loader.Unload([]string{p}, &s.o.Loader); err != nil && !errors.Is(err, loader.ErrNotLoaded) {
			s.report(Change{Kind: Failed, File: cur.file, Policy: p, Err: fmt.Errorf("unload: %w", err)})
			continue
		}
		s.report(Change{Kind: Unloaded, File: cur.file, Policy: p})
	}
}

// choose returns the file that provides a policy among the sorted names
// of the files holding it: of the valid ones, the first of the highest
// version; "" if none is valid.
func (s *Syncer) choose(names []string) string {
	owner := ""
	for _, n := range names {
		f := s.files[n]
		if f.valid && (owner == "" || f.version > s.files[owner].version) {
			owner = n
		}
	}
	return owner
}

// load loads policy from the file name; b is the bundle if it was read in
// this pass.
func (s *Syncer) load(policy, name string, b *loader.Bundle) {
	f := s.files[name]
	if b == nil {
		// Chosen now, read in an earlier pass (another file went).
		var err error
		if b, err = s.readBundle(name); err != nil {
			f.valid, f.err = false, err
			s.report(Change{Kind: Failed, File: name, Policy: policy, Err: err})
			return
		}
		if b.SHA256 != f.sha {
			return // changed since: examined again once it holds still
		}
	}
	loaded, err := loader.Load([]*loader.Bundle{b}, &s.o.Loader)
	if err != nil {
		s.failed[policy] = attempt{name, f.examined, err}
		kind := Failed
		if errors.Is(err, loader.ErrNotThisNode) {
			kind = NotThisNode
		}
		s.report(Change{Kind: kind, File: name, Policy: policy, Err: err})
		return
	}
	delete(s.failed, policy)
	s.loaded[policy] = provider{name, b.SHA256}
	r := loaded[0]
	kind := Loaded
	if r.Replaced {
		kind = Replaced
	}
	s.report(Change{Kind: kind, File: name, Policy: policy, Result: &r})
}

// scan stats the bundle files of the directory. A file whose stat fails
// (a symlink being swapped) is left out of this pass only if it is gone;
// otherwise it keeps its last stamp.
func (s *Syncer) scan() (map[string]stamp, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	out := map[string]stamp{}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, Suffix) || strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(s.dir, name)
		b, err := s.statFile(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if f := s.files[name]; f != nil {
				out[name] = f.seen
			}
			continue
		}
		sig, _ := s.statFile(bundle.SignatureFile(path))
		out[name] = stamp{bundle: b, sig: sig}
	}
	return out, nil
}

// statFile stats path without opening it, following a symbolic link only
// with FollowSymlinks. Whatever it is (a FIFO, a link), it gets a stamp:
// reading it says what is wrong, once per change.
func (s *Syncer) statFile(path string) (fileStamp, error) {
	stat := os.Lstat
	if s.o.FollowSymlinks {
		stat = os.Stat
	}
	fi, err := stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	st := fileStamp{mode: fi.Mode().Type(), size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.dev, st.ino = uint64(sys.Dev), sys.Ino
		st.ctime = sys.Ctim.Nano()
	}
	return st, nil
}

// adopt takes over, on the first pass, what a previous run left loaded:
// policies loaded from a file of the directory that is still there with
// the same bytes are kept without reloading; those whose file is gone are
// unloaded.
func (s *Syncer) adopt(present map[string]stamp) {
	st, err := loader.List(&s.o.Loader)
	if err != nil {
		return
	}
	for _, p := range st.Policies {
		if p.Err != nil || p.Bundle == "" || filepath.Dir(p.Bundle) != s.dir {
			continue
		}
		name := filepath.Base(p.Bundle)
		stp, ok := present[name]
		if !ok {
			if err := loader.Unload([]string{p.Name}, &s.o.Loader); err != nil {
				s.report(Change{Kind: Failed, File: name, Policy: p.Name, Err: fmt.Errorf("unload: %w", err)})
				continue
			}
			s.report(Change{Kind: Unloaded, File: name, Policy: p.Name})
			continue
		}
		b, err := s.readBundle(name)
		if err != nil || b.SHA256 != p.BundleSHA256 || b.Name() != p.Name {
			continue // loaded as the file changes: replaced in a moment
		}
		s.files[name] = &file{seen: stp, examined: stp, hasExamined: true,
			valid: true, policy: p.Name, version: b.SignedVersion, sha: b.SHA256}
		s.loaded[p.Name] = provider{name, b.SHA256}
		s.report(Change{Kind: Adopted, File: name, Policy: p.Name})
	}
}

// readBundle reads and checks a bundle file, verified when there are
// trusted keys. The error names the file.
func (s *Syncer) readBundle(name string) (*loader.Bundle, error) {
	path := filepath.Join(s.dir, name)
	noFollow := !s.o.FollowSymlinks
	var data []byte
	var version uint64
	if s.o.Trusted != nil {
		v, err := bundle.ReadSigned(path, &bundle.VerifyOptions{Trusted: s.o.Trusted, NoFollow: noFollow})
		if err != nil {
			return nil, symlinkHint(err)
		}
		data, version = v.Data, v.Version
	} else {
		var err error
		data, err = bundle.ReadFile(path, bundle.ReadFileOptions{Max: bundle.MaxSize, NoFollow: noFollow})
		if err != nil {
			return nil, symlinkHint(err)
		}
	}
	b, err := loader.ReadBundle(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// ReadSigned checked that the signature names the bundle's policy;
	// the file must be that policy's too, or a signed bundle renamed
	// over another policy's file would replace it.
	if s.o.Trusted != nil && name != b.Name()+Suffix {
		return nil, fmt.Errorf("%s: %w: it holds policy %s, whose file is %s (a signed bundle loads only from its policy's file)",
			name, bundle.ErrPolicyMismatch, b.Name(), b.Name()+Suffix)
	}
	b.Path, b.SignedVersion = path, version
	return b, nil
}

// symlinkHint says how to have symbolic links followed.
func symlinkHint(err error) error {
	if errors.Is(err, bundle.ErrSymlink) {
		return fmt.Errorf("%w (symbolic links are followed only with --follow-symlinks)", err)
	}
	return err
}
