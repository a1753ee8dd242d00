package bundle

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// Info describes a bundle. It marshals to the stable JSON of
// `polc inspect -o json`: fields are only ever added.
type Info struct {
	File     string        `json:"file,omitempty"`
	Policy   string        `json:"policy"`
	Manifest *bpf.Manifest `json:"manifest"`
	Hooks    []HookInfo    `json:"hooks"`
	Programs []ProgramInfo `json:"programs"`
	Maps     []MapInfo     `json:"maps"`
	Sizes    Sizes         `json:"sizes"`
	Hashes   Hashes        `json:"hashes"`
	// Features the kernel must have (the manifest's, sorted).
	Features  []string       `json:"features"`
	Signature *SignatureInfo `json:"signature"`
	// ObjectError says why the programs and maps could not be read (a
	// damaged object); they are empty then.
	ObjectError string `json:"object_error,omitempty"`
}

// HookInfo is one hook of the manifest, in short.
type HookInfo struct {
	ID       int      `json:"id"`
	Kind     string   `json:"kind"`
	Target   string   `json:"target"`
	Call     string   `json:"call"`
	Syscall  bool     `json:"syscall"`
	Programs []string `json:"programs"`
	Args     []string `json:"args"` // "label:type" or "type", in record order
	Pos      string   `json:"pos"`
	// Member is, in a policy set's bundle, the policy the hook is of;
	// Shared the program of another hook whose code serves this one too
	// (bpf.Hook.Shared).
	Member string `json:"member,omitempty"`
	Shared string `json:"shared,omitempty"`
}

// ProgramInfo is one program of the object.
type ProgramInfo struct {
	Name    string `json:"name"`
	Section string `json:"section"`
	Attach  string `json:"attach"`
	Hook    int    `json:"hook"` // the manifest's hook id, -1 if none
	// Instructions counts 8-byte instruction slots (a 64-bit immediate
	// load takes two), the program's own and those of the BPF-to-BPF
	// functions it calls, as the kernel counts them.
	Instructions int `json:"instructions"`
	Functions    int `json:"functions"` // the program and its subprograms
	// Variant says which kernels polrun loads the program on, when the
	// bundle carries several variants of it (bpf.Program): the features it
	// is for, VariantBpfLoop for the program the manifest names and
	// VariantNoLoop for its Fallback, VariantCookie for a USDT program and
	// VariantNoCookie for its NoCookie variant, joined by ", " when a
	// program has both kinds (e.g. "no attach_cookie, no bpf_loop" for its
	// NoCookieFallback); "" when there is one.
	Variant string `json:"variant,omitempty"`
	// Hooks are the hooks a kprobe.multi program serves (Hook is -1
	// then); VariantKprobeMulti is its variant, and VariantNoKprobeMulti
	// part of the variant of the single programs it stands for.
	Hooks []int `json:"hooks,omitempty"`
}

// Parts of ProgramInfo.Variant.
const (
	VariantBpfLoop  = "bpf_loop"         // kernels with bpf_loop (5.17+)
	VariantNoLoop   = "no bpf_loop"      // the fallback, for kernels without
	VariantCookie   = "attach_cookie"    // kernels with bpf_get_attach_cookie (5.15+)
	VariantNoCookie = "no attach_cookie" // the USDT variant for kernels without

	VariantKprobeMulti   = "kprobe_multi"    // kernels with kprobe_multi links (5.18+)
	VariantNoKprobeMulti = "no kprobe_multi" // single kprobes, for kernels without
)

// MapInfo is one map of the object.
type MapInfo struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	KeySize    uint32 `json:"key_size"`
	ValueSize  uint32 `json:"value_size"`
	MaxEntries uint32 `json:"max_entries"`
	Flags      uint32 `json:"flags"`
	// Pinning is "by_name" for the maps shared with the base (pinned
	// once per host), "none" otherwise: polrun pins a policy's own maps
	// under its policy directory.
	Pinning string `json:"pinning"`
	Shared  bool   `json:"shared"`
	// Entries is how many entries the map starts with: those in the
	// object plus those the manifest fills in at load.
	Entries int `json:"entries"`
}

// Sizes are in bytes.
type Sizes struct {
	File     int           `json:"file"`
	Sections []SectionSize `json:"sections"`
}

// SectionSize is one ELF section.
type SectionSize struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size uint64 `json:"size"`
}

// Hashes identify the bundle, the code in it and the policy it was built
// from.
type Hashes struct {
	// File is the sha256 of the whole file: what signatures cover and
	// what polrun list records.
	File string `json:"file_sha256"`
	// Object is the manifest's digest of every other section; ObjectOK
	// says whether the sections still hash to it.
	Object       string `json:"object_sha256"`
	ObjectOK     bool   `json:"object_ok"`
	ObjectActual string `json:"object_sha256_actual,omitempty"` // when not ObjectOK
	Source       string `json:"source_sha256"`
}

// SignatureInfo says whether the bundle is signed and by whom.
type SignatureInfo struct {
	Signed bool   `json:"signed"`
	File   string `json:"file,omitempty"`
	// KeyID is the key the signature file names; Verified says whether
	// the signature was checked against trusted keys and held.
	KeyID    string `json:"key_id,omitempty"`
	Verified bool   `json:"verified"`
	// Policy, Version and Expires are what the signature says (its
	// envelope): trustworthy only when Verified. Expires is RFC 3339,
	// empty for never.
	Policy  string `json:"policy,omitempty"`
	Version uint64 `json:"version,omitempty"`
	Expires string `json:"expires,omitempty"`
	// Legacy is a signature of the old format, without an envelope,
	// which polrun refuses.
	Legacy bool `json:"legacy,omitempty"`
	// Error says why the signature could not be read or did not verify.
	Error string `json:"error,omitempty"`
}

// InspectOptions may be nil.
type InspectOptions struct {
	// Trusted keys to verify the signature with; without them a signature
	// is reported but not verified.
	Trusted []PublicKey
	// Now is the time a signature's expiry is checked at; zero for
	// time.Now().
	Now time.Time
}

// InspectFile describes the bundle at path and its signature file, if
// any.
func InspectFile(path string, opts *InspectOptions) (*Info, error) {
	data, err := readLimited(path, false)
	if err != nil {
		return nil, err
	}
	sig, err := ReadFile(SignatureFile(path), ReadFileOptions{Max: MaxSignatureSize})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read signature: %w", err)
	}
	info, err := Inspect(data, sig, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	info.File = path
	if info.Signature.Signed {
		info.Signature.File = SignatureFile(path)
	}
	return info, nil
}

// Inspect describes a bundle held in memory; sig is its signature file's
// contents, nil when it has none. A bundle whose sections no longer match
// its manifest is described, with Hashes.ObjectOK false; one that is not
// a bundle at all is an error.
func Inspect(data, sig []byte, opts *InspectOptions) (*Info, error) {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read ELF: %w", err)
	}
	sec := f.Section(bpf.ManifestSection)
	if sec == nil {
		return nil, fmt.Errorf("no %s section: not a polc bundle", bpf.ManifestSection)
	}
	raw, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", bpf.ManifestSection, err)
	}
	m, err := bpf.ParseManifest(raw)
	if err != nil {
		return nil, err
	}
	digest, err := bpf.ObjectDigest(data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	info := &Info{
		Policy:   m.Policy,
		Manifest: m,
		Features: append([]string{}, m.Features...),
		Hashes: Hashes{File: hex.EncodeToString(sum[:]), Object: m.ObjectSHA256,
			ObjectOK: digest == m.ObjectSHA256, Source: m.SourceSHA256},
		Sizes:     Sizes{File: len(data), Sections: sections(f)},
		Hooks:     hooks(m),
		Programs:  []ProgramInfo{},
		Maps:      []MapInfo{},
		Signature: signature(data, sig, opts),
	}
	if !info.Hashes.ObjectOK {
		info.Hashes.ObjectActual = digest
	}
	sort.Strings(info.Features)
	// A damaged object is still described as far as it can be: what it
	// claims to be, its hashes and its signature say what went wrong.
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(data))
	if err == nil {
		info.Maps = maps(m, spec)
		info.Programs, err = programs(m, spec)
	}
	if err != nil {
		info.ObjectError = fmt.Sprintf("read BPF object: %v", err)
	}
	return info, nil
}

func sections(f *elf.File) []SectionSize {
	out := []SectionSize{}
	for _, s := range f.Sections {
		if s.Type == elf.SHT_NULL {
			continue
		}
		out = append(out, SectionSize{Name: s.Name, Type: strings.TrimPrefix(s.Type.String(), "SHT_"), Size: s.Size})
	}
	return out
}

func hooks(m *bpf.Manifest) []HookInfo {
	out := []HookInfo{}
	for _, h := range m.Hooks {
		hi := HookInfo{ID: h.ID, Kind: h.Kind, Target: h.Target, Call: h.Call, Syscall: h.Syscall,
			Programs: []string{}, Args: []string{}, Pos: h.Pos.String()}
		if h.Symbol != "" {
			hi.Target += ":" + h.Symbol
		}
		for _, p := range h.Programs {
			hi.Programs = append(hi.Programs, p.Name)
		}
		if len(m.Members) > 0 {
			hi.Member, hi.Shared = m.PolicyName(&h), h.Shared
		}
		for _, a := range h.Args {
			hi.Args = append(hi.Args, argName(a))
		}
		if h.Return != nil {
			hi.Args = append(hi.Args, "return:"+h.Return.Type)
		}
		out = append(out, hi)
	}
	return out
}

func argName(a bpf.Arg) string {
	if a.Label != "" {
		return a.Label + ":" + a.Type
	}
	return fmt.Sprintf("arg%d:%s", a.Index, a.Type)
}

// programs lists the object's programs in section order, with the hook
// the manifest attaches each to.
func programs(m *bpf.Manifest, spec *ebpf.CollectionSpec) ([]ProgramInfo, error) {
	type attach struct {
		hook            int
		attach, variant string
		hooks           []int
	}
	byName := map[string]attach{}
	for _, mp := range m.Multi {
		byName[mp.Name] = attach{-1, mp.Attach, VariantKprobeMulti, mp.Hooks}
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			variant := func(cookie, loop string) string {
				var parts []string
				if p.Multi != "" {
					parts = append(parts, VariantNoKprobeMulti)
				}
				if p.NoCookie != "" {
					parts = append(parts, cookie)
				}
				if p.Fallback != "" || p.NoCookieFallback != "" {
					parts = append(parts, loop)
				}
				return strings.Join(parts, ", ")
			}
			byName[p.Name] = attach{h.ID, p.Attach, variant(VariantCookie, VariantBpfLoop), nil}
			if p.Fallback != "" {
				byName[p.Fallback] = attach{h.ID, p.Attach, variant(VariantCookie, VariantNoLoop), nil}
			}
			if p.NoCookie != "" {
				byName[p.NoCookie] = attach{h.ID, p.Attach, variant(VariantNoCookie, VariantBpfLoop), nil}
			}
			if p.NoCookieFallback != "" {
				byName[p.NoCookieFallback] = attach{h.ID, p.Attach, variant(VariantNoCookie, VariantNoLoop), nil}
			}
		}
	}
	out := []ProgramInfo{}
	for name, ps := range spec.Programs {
		pi := ProgramInfo{Name: name, Section: ps.SectionName, Hook: -1,
			Instructions: int(ps.Instructions.Size() / 8)}
		if a, ok := byName[name]; ok {
			pi.Hook, pi.Attach, pi.Variant, pi.Hooks = a.hook, a.attach, a.variant, a.hooks
		}
		funcs, err := ps.Instructions.SymbolOffsets()
		if err != nil {
			return nil, fmt.Errorf("program %s: %w", name, err)
		}
		pi.Functions = len(funcs)
		out = append(out, pi)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Hook != out[j].Hook {
			return uint(out[i].Hook) < uint(out[j].Hook) // hookless last
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// maps lists the object's maps by name, the load-time variables' sections
// included.
func maps(m *bpf.Manifest, spec *ebpf.CollectionSpec) []MapInfo {
	fill := map[string]int{}
	for _, mi := range m.Maps {
		fill[mi.Map] += len(mi.Entries)
	}
	out := []MapInfo{}
	for name, ms := range spec.Maps {
		pin := "none"
		if ms.Pinning == ebpf.PinByName {
			pin = "by_name"
		}
		out = append(out, MapInfo{Name: name, Type: ms.Type.String(), KeySize: ms.KeySize, ValueSize: ms.ValueSize,
			MaxEntries: ms.MaxEntries, Flags: ms.Flags, Pinning: pin,
			Shared:  bpf.IsSharedMap(name),
			Entries: len(ms.Contents) + fill[name]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func signature(data, raw []byte, opts *InspectOptions) *SignatureInfo {
	if raw == nil {
		return &SignatureInfo{}
	}
	si := &SignatureInfo{Signed: true}
	sig, err := ParseSignature(raw)
	if err != nil {
		si.Error = err.Error()
		return si
	}
	si.KeyID, si.Legacy = sig.KeyID, sig.Legacy
	if !sig.Legacy {
		si.Policy, si.Version = sig.Policy, sig.Version
		if !sig.Expires.IsZero() {
			si.Expires = sig.expiresText()
		}
	}
	if opts == nil || len(opts.Trusted) == 0 {
		return si
	}
	k, err := Verify(data, sig, opts.Trusted)
	if err != nil {
		si.Error = err.Error()
		return si
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := CheckEnvelope(data, sig, now); err != nil {
		si.Error = err.Error()
		return si
	}
	si.KeyID, si.Verified = k.ID, true
	return si
}
