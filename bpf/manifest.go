package bpf

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// ManifestSection is the ELF section of a bundle holding its manifest.
const ManifestSection = ".polc.manifest"

// ManifestFormat is the version of the Manifest layout. polrun refuses a
// bundle of another format.
const ManifestFormat = 1

// Manifest describes a bundle: what it hooks, how to decode its events, what
// it needs of the kernel, and what to load into its maps. It is JSON in the
// ManifestSection, with sorted keys and no timestamps, so that a bundle's
// bytes depend only on the policy and the compiler.
type Manifest struct {
	Format       int    `json:"format"`
	Policy       string `json:"policy"`
	Namespace    string `json:"namespace,omitempty"`
	Compiler     string `json:"compiler"` // polc version
	Source       string `json:"source"`   // the policy file, as given to polc
	SourceSHA256 string `json:"sourceSha256"`
	Arch         string `json:"arch"`
	// Mode is the policy's default mode (ModeEnforce or ModeMonitor) when
	// its programs have enforcement actions, and then the bundle declares
	// ModeMap; "" when they have none (the policy is ModeMonitorOnly).
	Mode string `json:"mode,omitempty"`
	// ObjectSHA256 is the hash of the whole bundle but these 64 digits
	// (see ObjectDigest): the loader recomputes it to refuse a damaged or
	// edited bundle.
	ObjectSHA256 string `json:"objectSha256"`
	// Features the kernel must have: see the Feature constants.
	Features []string  `json:"features"`
	Hooks    []Hook    `json:"hooks"`
	Maps     []MapInit `json:"maps,omitempty"`
	// FileIDs are the maps the loader fills, at load, with the identity
	// of files on the machine it loads the bundle on (SameFile tests);
	// a path that names no file there fails the load.
	FileIDs []FileIDMap `json:"fileIds,omitempty"`
	// LoopBounds gives, for each kind of walk the Fallback programs make
	// ("path": components of a path, "ancestors": processes up the
	// parent chain, "iovec": entries of an iovec array, "substring": start
	// positions of a SubString search), the steps they
	// take at most. A walk that needs more stops there: a path is flagged
	// BytesTruncated, and every such stop adds 1 to LoopBoundsMap.
	LoopBounds map[string]int `json:"loopBounds,omitempty"`
	// Multi are the kprobe.multi programs of the bundle: each does the
	// work of the single programs of several kprobe hooks (bpf.Program
	// .Multi names it), attached with one kprobe_multi link on kernels
	// that have them (FeatureKprobeMulti); elsewhere polrun attaches the
	// single programs.
	Multi []MultiProgram `json:"multi,omitempty"`
	// Vars lists the load-time variables the loader must set (VarPolicyID,
	// VarHostNSPrefix+kind).
	Vars []string `json:"vars,omitempty"`
	// NodeSelector is the policy's spec.nodeSelector: the loader loads
	// the policy only on a node whose labels (polrun --node-labels) it
	// selects. Nil: every node.
	NodeSelector *LabelSelector `json:"nodeSelector,omitempty"`
	// PodSelectors names the policy's fields that restrict it to pods or
	// containers (podSelector, containerSelector), and its kind when it is
	// TracingPolicyNamespaced (applied to its namespace's pods only): they
	// need Kubernetes pod metadata, which polrun does not have, so it
	// refuses the bundle.
	PodSelectors []string `json:"podSelectors,omitempty"`
	// Members are the policies of a policy set (polc build --set): the
	// bundle's Policy is the set's name, its hooks are the members' (each
	// Hook.Member says whose), and events name the member as their
	// policy. The programs read MembersMap, a switch per member, and do
	// nothing for a member whose switch is not 0 (polrun unload SET/MEMBER).
	// CountersMap has one entry per member. Empty for one policy's bundle.
	Members []Member `json:"members,omitempty"`
}

// Member is one policy of a policy set's bundle.
type Member struct {
	Name         string `json:"name"`
	Source       string `json:"source"`
	SourceSHA256 string `json:"sourceSha256"`
	// Mode is the member's mode, as Manifest.Mode (the set's mode map is
	// one for all its members: their modes must agree).
	Mode string `json:"mode,omitempty"`
}

// MembersMap is a policy set's member switches: an array of one entry
// (key 0) whose value is a uint32 per member, in the order of
// Manifest.Members: 0 while the member runs, 1 once polrun switched it off.
// A program reads the value once and a member's switch before any of the
// member's work.
const MembersMap = "polc_members"

// PolicyName is the name of the policy hook h of m belongs to: its member's
// in a policy set, else the bundle's.
func (m *Manifest) PolicyName(h *Hook) string {
	if len(m.Members) > 0 && h != nil && h.Member >= 0 && h.Member < len(m.Members) {
		return m.Members[h.Member].Name
	}
	return m.Policy
}

// MemberIndex is the index of the member named name, -1 when m has none.
func (m *Manifest) MemberIndex(name string) int {
	for i, mb := range m.Members {
		if mb.Name == name {
			return i
		}
	}
	return -1
}

// Kernel features a bundle can require.
const (
	FeatureKprobe        = "kprobe"
	FeatureKretprobe     = "kretprobe"
	FeatureTracepoint    = "tracepoint"
	FeatureRawTracepoint = "raw_tracepoint"
	FeatureUprobe        = "uprobe"
	FeatureLSM           = "lsm"
	FeatureFmodRet       = "fmod_ret"
	FeatureFentry        = "fentry" // fentry and fexit programs (spec.fentries)
	FeatureRingbuf       = "ringbuf"
	FeatureSendSignal    = "send_signal"
	FeatureOverride      = "override_return"
	FeatureBTF           = "btf"
	FeatureBpfLoop       = "bpf_loop"
	// FeatureProbeWriteUser: bpf_probe_write_user, which the Set action
	// of USDT probes writes with; kernel lockdown (integrity) forbids it.
	FeatureProbeWriteUser = "probe_write_user"
	// FeatureAttachCookie: bpf_get_attach_cookie (5.15+), with which USDT
	// programs find the place that fired. Bundles do not require it: a
	// kernel without it loads their Program.NoCookie variants.
	FeatureAttachCookie = "attach_cookie"
	// FeatureKprobeMulti: kprobe_multi links (5.18+, CONFIG_FPROBE),
	// which attach a kprobe.multi program (Manifest.Multi) to many
	// functions at once. Bundles do not require it: a kernel without it
	// runs the single programs.
	FeatureKprobeMulti = "kprobe_multi"
	// FeatureUprobeWriteCtx: uprobe programs may write the registers of
	// their context (struct pt_regs), and the kernel then resumes the
	// task with them, which Override on uprobes does; the verifier of
	// earlier kernels refuses the writes ("invalid bpf_context access").
	FeatureUprobeWriteCtx = "uprobe_write_ctx"
	// FeatureImaFileHash: a sleepable BPF LSM program may call
	// bpf_ima_file_hash (sleepable LSM programs 5.11+, the helper 5.18+),
	// which the program of a hook with an imaHash argument does.
	FeatureImaFileHash = "ima_file_hash"
)

// Hook is one attachment point of a bundle.
type Hook struct {
	ID     int    `json:"id"`
	Kind   string `json:"kind"`             // kprobe, tracepoint, raw_tracepoint, uprobe, lsm, usdt (ir.HookKind)
	Target string `json:"target"`           // kernel symbol, SUBSYS/EVENT, LSM hook, or binary path
	Symbol string `json:"symbol,omitempty"` // a uprobe's symbol; a USDT probe's PROVIDER:NAME
	Call   string `json:"call"`             // as the policy wrote it
	// Offset is added to a uprobe's Symbol's address (the file offset
	// when Symbol is empty); RefCtrOffset is the file offset of its
	// reference counter (a USDT semaphore), 0 for none.
	Offset       uint64 `json:"offset,omitempty"`
	RefCtrOffset uint64 `json:"refCtrOffset,omitempty"`
	// Addr is a uprobe's virtual address in its binary when it has no
	// Symbol and no Offset (spec.uprobes addrs): the loader attaches at
	// the file offset the binary's loadable segments map it to.
	Addr uint64 `json:"addr,omitempty"`
	// SetArgs are the USDT argument indexes that Set actions write: the
	// loader refuses a probe where one is not in memory (bpf/usdt.go).
	SetArgs []int `json:"setArgs,omitempty"`
	// Syscall: a syscall hook; events name the function as Target.
	Syscall       bool `json:"syscall,omitempty"`
	IgnoreMissing bool `json:"ignoreMissing,omitempty"`
	// BinaryDigests: the loader attaches a uprobe only to a binary whose
	// digest is one of these (ParseDigest's form); one that matches none
	// fails the load, or with IgnoreDigestMismatch skips the hook.
	BinaryDigests        []string `json:"binaryDigests,omitempty"`
	IgnoreDigestMismatch bool     `json:"ignoreDigestMismatch,omitempty"`
	Message              string   `json:"message,omitempty"`
	Tags                 []string `json:"tags,omitempty"`
	// Programs attached for this hook: the entry program, and the return
	// program when the hook has one.
	Programs []Program `json:"programs"`
	// Args in record order; Return is the return value's layout, if any.
	Args   []Arg `json:"args"`
	Return *Arg  `json:"return,omitempty"`
	// Selectors describe each selector's user-space work (GetUrl,
	// DnsLookup) and where it came from.
	Selectors []Selector `json:"selectors,omitempty"`
	// TracepointFields are the format fields the programs read; the
	// loader checks them against tracefs before attaching.
	TracepointFields []TracepointField `json:"tracepointFields,omitempty"`
	// StackIDs: the hook's records end with a StackIDs (stack.go), after
	// the arguments and the return value.
	StackIDs bool `json:"stackIds,omitempty"`
	// ImaHash: the hook's records end with an ImaHash (ima.go), and its
	// programs include the sleepable one that hashes the file.
	ImaHash bool `json:"imaHash,omitempty"`
	// Loader: the hook is the loader sensor's (spec.loader): its records,
	// a file argument, become process_loader events.
	Loader bool `json:"loader,omitempty"`
	// Override says how the hook's Override actions change the return
	// value (OverrideReturn, OverrideFmodRet, OverrideLSM), "" when it has
	// none. OverrideHint names a hook that would work where the kernel
	// lacks what Override needs, for the loader's error.
	Override     string `json:"override,omitempty"`
	OverrideHint string `json:"overrideHint,omitempty"`
	// Jump: an Override of the uprobe hook makes the call run other code
	// of the binary (argNewSymbol, argNewAddr, argNewOffset). The loader
	// sets VarUprobeJumpPrefix+ID to the distance from the probed address
	// to Jump's, both read from the binary it attaches to.
	Jump *UprobeJump `json:"jump,omitempty"`
	// BTFPath is a uprobe's BTF file of its binary, where the loader looks
	// up the types of UserResolves when it loads the policy, as Tetragon
	// does: the file is on the host, not necessarily where polc builds.
	BTFPath string `json:"btfPath,omitempty"`
	// UserResolves are the uprobe's arguments read through a member path
	// of a type of BTFPath; the loader sets each one's variables
	// (UserResolveVar).
	UserResolves []UserResolve `json:"userResolves,omitempty"`
	// Enforcer: the hook is an enforcer of spec.enforcers (after the
	// policy's hooks), which acts on NotifyEnforcer actions and posts no
	// events.
	Enforcer bool `json:"enforcer,omitempty"`
	// Member is, in a policy set's bundle, the index in Manifest.Members
	// of the policy the hook is of.
	Member int `json:"member,omitempty"`
	// Shared names, in a policy set's bundle, the program of another hook
	// (of another member, on the same attach point) whose code does this
	// hook's work too: the hook then has no Programs of its own. Empty
	// when the hook has its programs.
	Shared string `json:"shared,omitempty"`
	Pos    Pos    `json:"pos"`
}

// UserResolve is a uprobe argument (its Slot in Args) that points to user
// memory laid out as BTFType, read at the member path Resolve. The
// program has len(Resolve) steps, each adding an offset to the address
// and loading what is there; the loader fills them from the BTF file
// (steps through embedded members merge, the rest add nothing).
type UserResolve struct {
	Slot    int      `json:"slot"`
	Index   int      `json:"index"`
	BTFType string   `json:"btfType"`
	Resolve []string `json:"resolve"`
	Pos     Pos      `json:"pos"`
}

// UprobeJump is where an Override on a uprobe makes the call go: one of
// a symbol of the binary, a virtual address in it (as nm shows), or a
// file offset in it.
type UprobeJump struct {
	Symbol string `json:"symbol,omitempty"`
	Addr   uint64 `json:"addr,omitempty"`
	Offset uint64 `json:"offset,omitempty"`
}

// Values of Hook.Override.
const (
	// OverrideReturn: the kprobe calls bpf_override_return; the kernel
	// needs FeatureOverride (CONFIG_BPF_KPROBE_OVERRIDE).
	OverrideReturn = "override_return"
	// OverrideFmodRet: the entry program is an fmod_ret program returning
	// the error (FeatureFmodRet; security_* functions).
	OverrideFmodRet = "fmod_ret"
	// OverrideLSM: the BPF LSM program returns the error.
	OverrideLSM = "lsm"
	// OverrideUprobeRegs: the uprobe program writes the user task's
	// registers (FeatureUprobeWriteCtx).
	OverrideUprobeRegs = "uprobe_regs"
)

// Program is one BPF program of a hook.
type Program struct {
	Name    string `json:"name"`    // ELF symbol and pin name
	Section string `json:"section"` // ELF section
	// Attach: kprobe, kretprobe, tracepoint, raw_tracepoint, uprobe,
	// uretprobe, lsm, fmod_ret, fentry, fexit, usdt.
	Attach string `json:"attach"`
	// Target of fmod_ret, fentry, fexit and lsm programs: the BTF function
	// they attach to.
	Target string `json:"target,omitempty"`
	// Fallback names the program of the object that polrun loads instead
	// of this one, under this one's name, on a kernel without
	// FeatureBpfLoop: the same code with every bpf_loop turned into a
	// bounded loop of at most Manifest.LoopBounds steps. "" when the
	// program needs no bpf_loop.
	Fallback string `json:"fallback,omitempty"`
	// NoCookie names, for a usdt program, the program of the object that
	// polrun loads instead of this one on a kernel without
	// FeatureAttachCookie: the same code with the bpf_get_attach_cookie
	// call turned into a load of the constant USDTSiteMarker, which polrun
	// replaces by the place's USDTMap key before loading one copy of it
	// per place of the probe (bpf/usdt.go). "" for other programs.
	NoCookie string `json:"noCookie,omitempty"`
	// Multi names the Manifest.Multi program that does this program's
	// work, with the other hooks it serves, on kernels with
	// FeatureKprobeMulti: polrun then loads and attaches that one instead
	// of this one. "" when none does.
	Multi string `json:"multi,omitempty"`
	// NoCookieFallback is NoCookie's own Fallback (without bpf_loop), for
	// kernels that lack both; "" when the program needs no bpf_loop.
	NoCookieFallback string `json:"noCookieFallback,omitempty"`
}

// MultiProgram is a kprobe.multi (or kretprobe.multi) program that stands
// for the programs of several kprobe hooks, whose code differs only in the
// hook they serve: it finds its hook from bpf_get_attach_cookie, which is
// the hook's ID. polrun attaches it to Symbols[i] with cookie Cookies[i],
// hook Hooks[i].
type MultiProgram struct {
	Name    string `json:"name"`    // ELF symbol and pin name
	Section string `json:"section"` // ELF section
	// Attach: kprobe_multi or kretprobe_multi.
	Attach  string   `json:"attach"`
	Hooks   []int    `json:"hooks"`
	Symbols []string `json:"symbols"`
	Cookies []uint64 `json:"cookies"`
}

// Values of MultiProgram.Attach.
const (
	AttachKprobeMulti    = "kprobe_multi"
	AttachKretprobeMulti = "kretprobe_multi"
)

// Arg is how to decode one argument of a record.
type Arg struct {
	Slot     int      `json:"slot"`
	Index    int      `json:"index"`
	Type     string   `json:"type"` // the policy's type name (ir.ArgType)
	Label    string   `json:"label,omitempty"`
	Encoding Encoding `json:"encoding"`
	// MaxBytes bounds an EncBytes argument's data.
	MaxBytes int `json:"maxBytes,omitempty"`
	// Longs, on an EncBytes const_buf read from a tracepoint's array of
	// longs (raw_syscalls/sys_enter's "unsigned long args[6]"), is the
	// number of elements: the data is that many little-endian 64-bit
	// values, and the event shows each as its own unsigned argument, as
	// Tetragon decodes such a field. 0 for bytes shown as bytes.
	Longs int `json:"longs,omitempty"`
	// Data: a data entry of the hook (data:, read from the current task
	// or a register), reported under "data" rather than "args". Data
	// entries follow the arguments.
	Data bool `json:"data,omitempty"`
}

// Selector is what polrun needs to know of one selector.
type Selector struct {
	Index int    `json:"index"`
	Pos   Pos    `json:"pos"`
	URL   string `json:"url,omitempty"`  // GetUrl
	FQDN  string `json:"fqdn,omitempty"` // DnsLookup
}

// TracepointField is a field of a tracepoint's format a program reads.
// Without Struct it is read at Offset; with one, at the offset of Member in
// the kernel's BTF struct Struct (a trace_event_raw_*), through a CO-RE
// relocation, and Offset is the field's offset in the target the bundle
// was built for.
type TracepointField struct {
	Name   string `json:"name"`
	Offset int    `json:"offset"`
	Size   int    `json:"size"`
	Signed bool   `json:"signed"`
	Struct string `json:"struct,omitempty"`
	Member string `json:"member,omitempty"`
}

// MapInit is the contents the loader puts into one of the bundle's maps
// before attaching anything.
type MapInit struct {
	Map     string     `json:"map"`
	Entries []MapEntry `json:"entries"`
}

// FileIDMap is a hash map whose keys are file identities (FileIDKey),
// each with the 1-byte value 1: the loader stats each of Paths (following
// symbolic links) and puts the identity of the file in the map. Uses are
// the tests that read the map, for the loader's errors.
type FileIDMap struct {
	Map   string      `json:"map"`
	Paths []string    `json:"paths"`
	Uses  []FileIDUse `json:"uses"`
}

// FileIDUse is a SameFile (or NotSameFile) test reading a FileIDMap: the
// hook, the selector (0-based, as the policy lists them) and where the
// test is in the policy.
type FileIDUse struct {
	Hook     int `json:"hook"`
	Selector int `json:"selector"`
	Pos      Pos `json:"pos"`
}

// FileIDKeySize is the size of the keys of a FileIDMap: the inode number
// (u64) then the device (u32, the kernel's encoding MAJOR<<20 | MINOR, as
// a super_block's s_dev holds it), little-endian, unpadded.
const FileIDKeySize = 12

// FileIDKey is the FileIDMap key of the file of inode number ino on
// device dev (the kernel's encoding).
func FileIDKey(ino uint64, dev uint32) []byte {
	k := make([]byte, FileIDKeySize)
	binary.LittleEndian.PutUint64(k, ino)
	binary.LittleEndian.PutUint32(k[8:], dev)
	return k
}

// KernelDev is the kernel's encoding of the device a file system's
// super_block names (s_dev: MAJOR<<20 | MINOR) for the major and minor
// numbers stat(2) reports.
func KernelDev(major, minor uint32) uint32 { return major<<20 | minor&(1<<20-1) }

// MapEntry is one key and value, as raw bytes.
type MapEntry struct {
	Key   []byte `json:"key"`
	Value []byte `json:"value"`
}

// Pos is a position in the policy's YAML.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Marshal encodes m deterministically.
func (m *Manifest) Marshal() ([]byte, error) {
	features := append([]string(nil), m.Features...)
	sort.Strings(features)
	c := *m
	c.Features = features
	return json.MarshalIndent(&c, "", " ")
}

// MaxManifestSize bounds a manifest: the loader keeps it in a map in the
// kernel (twice the size, for the policy's state), and every event reader
// decodes it. A policy of 368 syscall hooks has one of 220 KB.
const MaxManifestSize = 16 << 20

// ParseManifest decodes a manifest and checks its format.
func ParseManifest(data []byte) (*Manifest, error) {
	data = bytes.TrimRight(data, "\x00")
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode manifest: %w", err)
	}
	if m.Format != ManifestFormat {
		return nil, fmt.Errorf("%w: manifest format %d, this polrun reads %d", ErrFormat, m.Format, ManifestFormat)
	}
	return &m, nil
}

// ErrFormat: a bundle or record of a layout this build does not read.
var ErrFormat = errors.New("unsupported format")

// ReadManifest reads the manifest of the ELF bundle data and checks the
// bundle's integrity against it.
func ReadManifest(data []byte) (*Manifest, error) {
	sec, err := manifestSection(data)
	if err != nil {
		return nil, err
	}
	if n := sec.end - sec.off; n > MaxManifestSize {
		return nil, fmt.Errorf("%w: a manifest of %d bytes, more than the %d this polrun reads", ErrFormat, n, MaxManifestSize)
	}
	m, err := ParseManifest(data[sec.off:sec.end])
	if err != nil {
		return nil, err
	}
	sum, err := ObjectDigest(data)
	if err != nil {
		return nil, err
	}
	if sum != m.ObjectSHA256 {
		return nil, fmt.Errorf("%w: the bundle hashes to %s, its manifest says %s", ErrIntegrity, sum, m.ObjectSHA256)
	}
	return m, nil
}

// ErrIntegrity: the bundle's bytes do not match its manifest.
var ErrIntegrity = errors.New("bundle was modified after it was built")

// DigestPlaceholder is the ObjectSHA256 a bundle's manifest is written with
// before Seal fills in the digest: as long as a digest, so that sealing
// changes no offset.
var DigestPlaceholder = strings.Repeat("0", sha256.Size*2)

// digestField finds the manifest's ObjectSHA256 value in its JSON.
var digestField = regexp.MustCompile(`"objectSha256":\s*"([0-9a-f]{64})"`)

// ObjectDigest is the SHA-256 of the whole bundle file — ELF header,
// section headers, every section, padding, the manifest included — with
// the 64 hex digits of the manifest's own ObjectSHA256 read as zeros. Any
// change to code, maps, BTF, relocations, section layout or the manifest
// changes it.
func ObjectDigest(data []byte) (string, error) {
	sec, err := manifestSection(data)
	if err != nil {
		return "", err
	}
	loc := digestField.FindAllSubmatchIndex(data[sec.off:sec.end], -1)
	if len(loc) != 1 {
		return "", fmt.Errorf("%w: the manifest has %d objectSha256 fields, want one", ErrIntegrity, len(loc))
	}
	start, end := sec.off+loc[0][2], sec.off+loc[0][3]
	h := sha256.New()
	h.Write(data[:start])
	h.Write([]byte(DigestPlaceholder))
	h.Write(data[end:])
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Seal fills in the digest of a bundle whose manifest was marshalled with
// ObjectSHA256 set to DigestPlaceholder, and returns the sealed bundle and
// its digest.
func Seal(data []byte) ([]byte, string, error) {
	sec, err := manifestSection(data)
	if err != nil {
		return nil, "", err
	}
	loc := digestField.FindAllSubmatchIndex(data[sec.off:sec.end], -1)
	if len(loc) != 1 || string(data[sec.off+loc[0][2]:sec.off+loc[0][3]]) != DigestPlaceholder {
		return nil, "", errors.New("seal: the manifest must have one objectSha256, set to the placeholder")
	}
	sum, err := ObjectDigest(data)
	if err != nil {
		return nil, "", err
	}
	out := append([]byte(nil), data...)
	copy(out[sec.off+loc[0][2]:], sum)
	return out, sum, nil
}

type sectionRange struct{ off, end int }

// manifestSection locates the manifest section's bytes in data.
func manifestSection(data []byte) (sectionRange, error) {
	f, err := elf.NewFile(bytes.NewReader(data))
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return sectionRange{}, fmt.Errorf("read ELF: the file ends early, after %d bytes: a truncated bundle? (%w)", len(data), err)
	}
	if err != nil {
		return sectionRange{}, fmt.Errorf("read ELF: %w", err)
	}
	sec := f.Section(ManifestSection)
	if sec == nil || sec.Type == elf.SHT_NOBITS {
		return sectionRange{}, fmt.Errorf("no %s section: not a polc bundle", ManifestSection)
	}
	off, size := sec.Offset, sec.FileSize
	if off > uint64(len(data)) || size > uint64(len(data))-off {
		return sectionRange{}, fmt.Errorf("%s section lies outside the file", ManifestSection)
	}
	return sectionRange{int(off), int(off + size)}, nil
}
