package loader

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/bundle"
)

// Bundle is a bundle read from disk and checked: plain data, nothing is in
// the kernel yet.
type Bundle struct {
	// Path is where the bundle was read from ("" for ReadBundle).
	Path     string
	Manifest *bpf.Manifest
	Spec     *ebpf.CollectionSpec
	// SHA256 is the hash of the whole file, recorded with the loaded policy.
	SHA256 string
	// SignedVersion is the version a verified signature gave the bundle
	// (package bundle's Envelope), 0 when it was not verified. The caller
	// that verified sets it; Load records it with the pins and refuses to
	// replace a policy with a lower one (Options.AllowDowngrade).
	SignedVersion uint64
}

// Name is the policy's name: its pin directory and the policy_name of its
// events.
func (b *Bundle) Name() string { return b.Manifest.Policy }

// maxBundleSize bounds what polrun reads into memory.
const maxBundleSize = 256 << 20

// OpenBundle reads and checks the bundle at path, which must be a
// regular file (a link to one is followed): never a FIFO or device.
func OpenBundle(path string) (*Bundle, error) {
	data, err := bundle.ReadFile(path, bundle.ReadFileOptions{Max: maxBundleSize})
	if errors.Is(err, bundle.ErrTooLarge) || errors.Is(err, bundle.ErrFileType) {
		return nil, fmt.Errorf("%w: %w", ErrBadBundle, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open bundle: %w", err)
	}
	b, err := ReadBundle(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Path = path
	return b, nil
}

// ReadBundle checks a bundle held in memory: the manifest's format and the
// object's integrity (bpf.ReadManifest), the target architecture, the
// policy name, and that every program the manifest names is in the object
// with a known attach kind.
func ReadBundle(data []byte) (*Bundle, error) {
	m, err := bpf.ReadManifest(data)
	if err != nil {
		return nil, err
	}
	if err := checkManifest(m); err != nil {
		return nil, err
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: read BPF object: %v", ErrBadBundle, err)
	}
	named := map[string]bool{}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			named[p.Name] = true
			if spec.Programs[p.Name] == nil {
				return nil, fmt.Errorf("%w: hook %d (%s %s): program %s is not in the object", ErrBadBundle, h.ID, h.Kind, h.Target, p.Name)
			}
			for _, v := range []string{p.Fallback, p.NoCookie, p.NoCookieFallback} {
				if v == "" {
					continue
				}
				named[v] = true
				if fb := spec.Programs[v]; fb == nil || fb.Type != spec.Programs[p.Name].Type {
					return nil, fmt.Errorf("%w: hook %d (%s %s): the variant %s of program %s is not in the object, or of another type", ErrBadBundle, h.ID, h.Kind, h.Target, v, p.Name)
				}
			}
			if (p.NoCookie != "" || p.NoCookieFallback != "") && p.Attach != "usdt" {
				return nil, fmt.Errorf("%w: hook %d (%s %s): program %s is not a usdt program but has a variant without BPF cookies", ErrBadBundle, h.ID, h.Kind, h.Target, p.Name)
			}
		}
	}
	if err := checkMulti(m, spec, named); err != nil { // kmulti.go
		return nil, err
	}
	// A policy may have no hooks (Tetragon loads an empty policy), but a
	// program no hook names would never be attached: the manifest and the
	// object disagree.
	for name := range spec.Programs {
		if !named[name] {
			return nil, fmt.Errorf("%w: program %s is in the object but no hook of the manifest names it", ErrBadBundle, name)
		}
	}
	for _, mi := range m.Maps {
		ms := spec.Maps[mi.Map]
		if ms == nil || bpf.IsSharedMap(mi.Map) {
			return nil, fmt.Errorf("%w: manifest fills map %s, which is not one of the bundle's own maps", ErrBadBundle, mi.Map)
		}
		if len(mi.Entries) > int(ms.MaxEntries) {
			return nil, fmt.Errorf("%w: manifest fills map %s with %d entries; it holds %d",
				ErrBadBundle, mi.Map, len(mi.Entries), ms.MaxEntries)
		}
		for i, e := range mi.Entries {
			if len(e.Key) != int(ms.KeySize) || len(e.Value) != int(ms.ValueSize) {
				return nil, fmt.Errorf("%w: map %s entry %d: key %d bytes, value %d bytes; the map has %d and %d",
					ErrBadBundle, mi.Map, i, len(e.Key), len(e.Value), ms.KeySize, ms.ValueSize)
			}
		}
	}
	if err := checkFileIDMaps(m, spec); err != nil { // fileid.go
		return nil, err
	}
	if err := checkModeMap(m, spec); err != nil {
		return nil, err
	}
	if err := checkCountersMap(spec, len(m.Members)); err != nil {
		return nil, err
	}
	if err := checkMembersMap(m, spec); err != nil { // members.go
		return nil, err
	}
	for _, v := range m.Vars {
		if spec.Variables[v] == nil {
			return nil, fmt.Errorf("%w: manifest lists load-time variable %s, which the object does not declare", ErrBadBundle, v)
		}
	}
	sum := sha256.Sum256(data)
	return &Bundle{Manifest: m, Spec: spec, SHA256: hex.EncodeToString(sum[:])}, nil
}

// policyName is what a policy name may be: Tetragon policies are
// Kubernetes objects, whose names are DNS subdomains. The name becomes a
// directory under bpffs, so nothing else is accepted.
// Its length is bounded by bpf.MaxPinnedNameLen.
var policyName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)

// ValidPolicyName reports whether name can name a loaded policy.
func ValidPolicyName(name string) bool {
	return len(name) <= bpf.MaxPinnedNameLen && policyName.MatchString(name) && !strings.Contains(name, "..")
}

// attachKinds are the Program.Attach values polrun attaches.
var attachKinds = map[string]bool{
	"kprobe": true, "kretprobe": true, "tracepoint": true, "raw_tracepoint": true,
	"uprobe": true, "uretprobe": true, "lsm": true, "fmod_ret": true, "usdt": true,
	"fentry": true, "fexit": true,
}

func checkManifest(m *bpf.Manifest) error {
	if len(m.Policy) > bpf.MaxPinnedNameLen {
		return fmt.Errorf("%w: policy name is %d characters long; polrun loads names of at most %d",
			ErrBadBundle, len(m.Policy), bpf.MaxPinnedNameLen)
	}
	if !ValidPolicyName(m.Policy) {
		return fmt.Errorf("%w: policy name %q is not a DNS subdomain name", ErrBadBundle, m.Policy)
	}
	host := arch.Host()
	if a, err := arch.Parse(m.Arch); err != nil || a != host {
		return fmt.Errorf("%w: built for %q, this host is %s", ErrBadBundle, m.Arch, host)
	}
	seen := map[string]bool{}
	for i, h := range m.Hooks {
		if h.ID != i {
			return fmt.Errorf("%w: hook %d has id %d", ErrBadBundle, i, h.ID)
		}
		if len(h.Programs) == 0 && h.Shared == "" {
			return fmt.Errorf("%w: hook %d (%s %s) has no programs", ErrBadBundle, i, h.Kind, h.Target)
		}
		if (h.Shared != "" || h.Member != 0) && len(m.Members) == 0 {
			return fmt.Errorf("%w: hook %d (%s %s) is a policy set member's, but the bundle is no policy set", ErrBadBundle, i, h.Kind, h.Target)
		}
		if h.Member < 0 || (len(m.Members) > 0 && h.Member >= len(m.Members)) {
			return fmt.Errorf("%w: hook %d (%s %s) is of member %d of %d", ErrBadBundle, i, h.Kind, h.Target, h.Member, len(m.Members))
		}
		for _, p := range h.Programs {
			if !attachKinds[p.Attach] {
				return fmt.Errorf("%w: hook %d (%s %s): program %s: polrun cannot attach %q programs", ErrBadBundle, i, h.Kind, h.Target, p.Name, p.Attach)
			}
			if !validPinName(p.Name) {
				return fmt.Errorf("%w: program name %q", ErrBadBundle, p.Name)
			}
			if seen[p.Name] {
				return fmt.Errorf("%w: program %s attached twice", ErrBadBundle, p.Name)
			}
			seen[p.Name] = true
		}
	}
	for i, h := range m.Hooks {
		if h.Shared != "" && (len(h.Programs) > 0 || !seen[h.Shared]) {
			return fmt.Errorf("%w: hook %d (%s %s) shares program %s, which no other hook has, or has programs of its own", ErrBadBundle, i, h.Kind, h.Target, h.Shared)
		}
	}
	members := map[string]bool{}
	for _, mb := range m.Members {
		if !ValidPolicyName(mb.Name) || members[mb.Name] {
			return fmt.Errorf("%w: policy set member name %q is not a policy name, or named twice", ErrBadBundle, mb.Name)
		}
		members[mb.Name] = true
	}
	return nil
}

// validPinName: a name that is one plain file name under bpffs once
// pinName replaced its dots.
func validPinName(s string) bool {
	return s != "" && len(s) < 256 && !strings.ContainsAny(s, "/\x00") && strings.Trim(s, ".") != ""
}
