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
// the same (size, times, inode, and those of its signature file) for one
// interval, so a bundle being copied in is not read half-written; a new
// bundle is in force within two intervals plus its load time. Files are
// best written elsewhere and renamed in.
//
// A bundle that fails to load (or, with Options.Trusted, to verify) is
// reported and retried when it or its signature file changes; a policy it
// was to replace stays loaded. Two files of one policy name: the second
// is refused.
//
// A Syncer owns the policies it loaded from the directory; policies loaded
// from elsewhere are left alone unless a file in the directory has the
// same policy name. On its first pass it adopts what a previous run left
// loaded: a policy loaded from a file of the directory whose bytes are
// unchanged is kept as it is, and one whose file is gone is unloaded.
package dirsync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	// Loader options: PinRoot, Base. Replace is always on.
	Loader loader.Options
	// Trusted keys: when set, only bundles signed by one of them load
	// (see package bundle).
	Trusted []bundle.PublicKey
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
)

func (k Kind) String() string {
	return [...]string{"loaded", "replaced", "adopted", "unloaded", "failed"}[k]
}

// Change is one thing a Sync did.
type Change struct {
	Kind Kind
	// File is the bundle's file name in Dir.
	File   string
	Policy string // "" when the bundle could not be read
	// Result of the load, for Loaded and Replaced.
	Result *loader.Loaded
	// Err says why, for Failed.
	Err error
}

func (c Change) String() string {
	switch c.Kind {
	case Failed:
		// Errors of reading name the file already.
		if msg := c.Err.Error(); strings.Contains(msg, c.File) {
			return msg
		}
		return fmt.Sprintf("%s: %v", c.File, c.Err)
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
	dev, ino     uint64
	size         int64
	mtime, ctime int64
}

// file is what the Syncer knows of one bundle file.
type file struct {
	// seen is the stamp of the last poll; acted is the stamp last acted
	// on (loaded, adopted or failed).
	seen, acted stamp
	hasActed    bool
	loadedSHA   string // sha256 of the bytes loaded from it
	policy      string // the policy loaded from it, "" if none
}

// Syncer keeps a directory's bundles loaded. Its methods are not safe
// for concurrent use.
type Syncer struct {
	o       Options
	dir     string // absolute
	files   map[string]*file
	started bool
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
	return &Syncer{o: o, dir: dir, files: map[string]*file{}}, nil
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
	var out []string
	for _, f := range s.files {
		if f.policy != "" {
			out = append(out, f.policy)
		}
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
	for _, f := range s.files {
		f.policy = ""
	}
	return err
}

func (s *Syncer) report(c Change) {
	if s.o.Report != nil {
		s.o.Report(c)
	}
}

// Sync makes one pass: it loads, replaces and unloads as the directory
// says.
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
	// Files that went away first, so that a policy moved from one file
	// to another is not refused as loaded twice.
	for name, f := range s.files {
		if _, ok := present[name]; ok {
			continue
		}
		delete(s.files, name)
		if f.policy != "" && !s.providedElsewhere(f.policy, name) {
			if err := loader.Unload([]string{f.policy}, &s.o.Loader); err != nil && !errors.Is(err, loader.ErrNotLoaded) {
				s.report(Change{Kind: Failed, File: name, Policy: f.policy, Err: fmt.Errorf("unload: %w", err)})
				continue
			}
			s.report(Change{Kind: Unloaded, File: name, Policy: f.policy})
		}
	}
	names := make([]string, 0, len(present))
	for name := range present {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		st := present[name]
		f := s.files[name]
		if f == nil {
			f = &file{seen: st}
			s.files[name] = f
			continue // act once it has stayed the same for an interval
		}
		if st != f.seen {
			f.seen = st
			continue
		}
		if f.hasActed && st == f.acted {
			continue
		}
		s.apply(name, f)
	}
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
		b, err := statFile(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if f := s.files[name]; f != nil {
				out[name] = f.seen
			}
			continue
		}
		if b.ino == 0 && b.size == 0 && b.mtime == 0 {
			continue
		}
		sig, _ := statFile(bundle.SignatureFile(path))
		out[name] = stamp{bundle: b, sig: sig}
	}
	return out, nil
}

// statFile stats path, following symlinks; a directory is not a bundle.
func statFile(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	if !fi.Mode().IsRegular() {
		return fileStamp{}, nil
	}
	fs := fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		fs.dev, fs.ino = uint64(sys.Dev), sys.Ino
		fs.ctime = sys.Ctim.Nano()
	}
	return fs, nil
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
		data, err := s.read(name)
		if err != nil || sha(data) != p.BundleSHA256 {
			continue // loaded as the file changes: replaced in a moment
		}
		s.files[name] = &file{seen: stp, acted: stp, hasActed: true, loadedSHA: p.BundleSHA256, policy: p.Name}
		s.report(Change{Kind: Adopted, File: name, Policy: p.Name})
	}
}

// read reads a bundle file, verified when there are trusted keys.
func (s *Syncer) read(name string) ([]byte, error) {
	path := filepath.Join(s.dir, name)
	if s.o.Trusted != nil {
		v, err := bundle.ReadSigned(path, &bundle.VerifyOptions{Trusted: s.o.Trusted})
		if err != nil {
			return nil, err
		}
		return v.Data, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > bundle.MaxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, bundle.MaxSize)
	}
	data := make([]byte, fi.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// providedElsewhere reports whether a file other than name provides
// policy.
func (s *Syncer) providedElsewhere(policy, name string) bool {
	for other, f := range s.files {
		if other != name && f.policy == policy {
			return true
		}
	}
	return false
}

// apply loads or replaces the policy of a file that changed.
func (s *Syncer) apply(name string, f *file) {
	f.acted, f.hasActed = f.seen, true
	fail := func(policy string, err error) {
		s.report(Change{Kind: Failed, File: name, Policy: policy, Err: err})
	}
	data, err := s.read(name)
	if err != nil {
		fail("", err)
		return
	}
	sum := sha(data)
	if sum == f.loadedSHA && f.policy != "" {
		return // touched, not changed
	}
	b, err := loader.ReadBundle(data)
	if err != nil {
		fail("", err)
		return
	}
	b.Path = filepath.Join(s.dir, name)
	if s.providedElsewhere(b.Name(), name) {
		var other string
		for n, g := range s.files {
			if n != name && g.policy == b.Name() {
				other = n
			}
		}
		fail(b.Name(), fmt.Errorf("policy %s is loaded from %s already: one file per policy", b.Name(), other))
		return
	}
	loaded, err := loader.Load([]*loader.Bundle{b}, &s.o.Loader)
	if err != nil {
		fail(b.Name(), err)
		return
	}
	r := loaded[0]
	kind := Loaded
	if r.Replaced {
		kind = Replaced
	}
	old := f.policy
	f.policy, f.loadedSHA = b.Name(), sum
	s.report(Change{Kind: kind, File: name, Policy: b.Name(), Result: &r})
	// The file now holds another policy: the one it held goes.
	if old != "" && old != b.Name() && !s.providedElsewhere(old, name) {
		if err := loader.Unload([]string{old}, &s.o.Loader); err != nil && !errors.Is(err, loader.ErrNotLoaded) {
			fail(old, fmt.Errorf("unload: %w", err))
			return
		}
		s.report(Change{Kind: Unloaded, File: name, Policy: old})
	}
}
