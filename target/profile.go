package target

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/arch"
)

// Errors of queries; they come wrapped with the name looked up.
var (
	// ErrNotFound: the profile has the information, and the thing is not
	// in it.
	ErrNotFound = errors.New("not found")
	// ErrUnknown: the profile lacks the source that would tell (no BTF,
	// no tracepoint formats).
	ErrUnknown = errors.New("not known from the target profile")
)

// notFound is an ErrNotFound error whose message does not end in "not
// found", for messages that already say so.
type notFound string

func (e notFound) Error() string        { return string(e) }
func (e notFound) Is(target error) bool { return target == ErrNotFound }

// Sources a profile may hold, as named in Profile.Missing and in the file.
const (
	SourceBTF         = "btf"
	SourceTracepoints = "tracepoints"
	SourceFunctions   = "available_filter_functions"
	SourceKallsyms    = "kallsyms"
	SourceFeatures    = "features"
)

// Profile describes one target kernel. A nil slice or map means the
// profile does not know (the source was not captured); an empty one means
// the kernel has none. Fill it in, then query it; a Profile must not be
// copied or changed after the first query.
type Profile struct {
	// Release is the kernel release (uname -r), "" if unknown.
	Release string
	// Arch is the kernel's architecture.
	Arch arch.Arch
	// Features holds the result of each feature probe, by the names of
	// package bpf's Feature* constants.
	Features map[string]Feature
	// BTF is the kernel's raw BTF (/sys/kernel/btf/vmlinux).
	BTF []byte
	// Tracepoints are the events of tracefs with their format fields,
	// sorted by subsystem and event.
	Tracepoints []Event
	// Functions are the functions ftrace can trace (tracefs
	// available_filter_functions), sorted and unique, without module names.
	Functions []string
	// Kallsyms are the text symbols of /proc/kallsyms (types t and T),
	// sorted and unique, without module names.
	Kallsyms []string
	// Missing says, per source (Source* constants), why it was not
	// captured.
	Missing map[string]string

	reference bool // Reference's: only its types are for use
	once      sync.Once
	spec      *btf.Spec
	specErr   error
	events    map[string]*Event
	namesOnce sync.Once
	names     []string // every function name the profile knows, for suggestions
}

// Feature is the result of one feature probe.
type Feature struct {
	Supported bool   `json:"supported"`
	Reason    string `json:"reason,omitempty"` // why not, or how it was found
}

// Event is one tracepoint and the fields of its format, in format order,
// the common_* fields included.
type Event struct {
	Subsystem string  `json:"subsystem"`
	Event     string  `json:"event"`
	Fields    []Field `json:"fields"`
}

// Name is "subsystem/event".
func (e *Event) Name() string { return e.Subsystem + "/" + e.Event }

// Field is one field of a tracepoint format: "field:int dfd; offset:16;
// size:8; signed:1;" has Type "int", Name "dfd". Array fields keep their
// length in the type ("char[16]"), dynamic ones their __data_loc prefix.
type Field struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Size   int    `json:"size"`
	Signed bool   `json:"signed"`
}

// Answer is what a profile says about whether something exists.
type Answer int

const (
	Unknown Answer = iota // the profile cannot tell
	Yes
	No
)

func (a Answer) String() string {
	switch a {
	case Yes:
		return "yes"
	case No:
		return "no"
	}
	return "unknown"
}

// FromBTF returns a profile that holds only the kernel BTF raw (a raw BTF
// blob such as /sys/kernel/btf/vmlinux, or an ELF file with a .BTF section,
// such as vmlinux) for arch a. With a empty, the arch is the one whose
// syscall wrappers the BTF has (__x64_sys_read, __arm64_sys_read).
func FromBTF(raw []byte, a arch.Arch) (*Profile, error) {
	data, err := rawBTF(raw)
	if err != nil {
		return nil, err
	}
	p := &Profile{Arch: a, BTF: data}
	spec, err := p.Spec()
	if err != nil {
		return nil, err
	}
	if a == "" {
		for _, cand := range []arch.Arch{arch.X86_64, arch.ARM64} {
			if hasFunc(spec, cand.NativeABI().SymbolPrefix()+"sys_read") {
				p.Arch = cand
			}
		}
		if p.Arch == "" {
			return nil, errors.New("cannot tell the kernel's architecture from its BTF: give it (--target-arch)")
		}
	}
	if err := checkArch(p.Arch); err != nil {
		return nil, err
	}
	return p, nil
}

func checkArch(a arch.Arch) error {
	if !a.Valid() {
		return fmt.Errorf("target: %w %q", arch.ErrUnknownArch, string(a))
	}
	return nil
}

// String names the kernel for messages: "6.1.0-56-amd64 (x86_64)", or
// "the target kernel (x86_64)" when the release is unknown.
func (p *Profile) String() string {
	if p.Release == "" {
		return fmt.Sprintf("the target kernel (%s)", p.Arch)
	}
	return fmt.Sprintf("%s (%s)", p.Release, p.Arch)
}

// Kernel names the kernel in a sentence: "kernel 6.1.0-56-amd64", or "the
// target kernel".
func (p *Profile) Kernel() string {
	if p.reference {
		return "the reference kernel " + p.Release
	}
	if p.Release == "" {
		return "the target kernel"
	}
	return "kernel " + p.Release
}

// Spec returns the parsed BTF, parsing it on first use. The error wraps
// ErrUnknown when the profile has no BTF.
func (p *Profile) Spec() (*btf.Spec, error) {
	p.init()
	return p.spec, p.specErr
}

func (p *Profile) init() {
	p.once.Do(func() {
		if p.BTF == nil {
			p.specErr = fmt.Errorf("kernel BTF: %w%s", ErrUnknown, p.why(SourceBTF))
		} else if spec, err := btf.LoadSpecFromReader(bytes.NewReader(p.BTF)); err != nil {
			p.specErr = fmt.Errorf("parse kernel BTF: %w", err)
		} else {
			p.spec = spec
		}
		if p.Tracepoints != nil {
			p.events = make(map[string]*Event, len(p.Tracepoints))
			for i := range p.Tracepoints {
				e := &p.Tracepoints[i]
				p.events[e.Name()] = e
			}
		}
	})
}

// why is ": <reason>" for a missing source, or "".
func (p *Profile) why(source string) string {
	if r := p.Missing[source]; r != "" {
		return ": " + r
	}
	return ""
}

// Feature returns the probe result for name (a bpf.Feature* constant); ok
// is false when the profile holds no probe of it.
func (p *Profile) Feature(name string) (f Feature, ok bool) {
	f, ok = p.Features[name]
	return f, ok
}

// HasFunction tells whether the kernel has a function called name that a
// kprobe can attach to. /proc/kallsyms decides when the profile has it;
// otherwise ftrace's list and the BTF are asked, and a syscall wrapper
// (__x64_sys_getpid) that the BTF lacks counts as present when its body
// (__do_sys_getpid, __se_sys_getpid) is there and the BTF has other
// wrappers of that ABI: BTF leaves out the wrappers of syscalls without
// arguments.
func (p *Profile) HasFunction(name string) Answer {
	if p.Kallsyms != nil {
		return answer(contains(p.Kallsyms, name))
	}
	known := false
	if p.Functions != nil {
		known = true
		if contains(p.Functions, name) {
			return Yes
		}
	}
	if spec, err := p.Spec(); err == nil {
		known = true
		if hasFunc(spec, name) || p.hasSyscallBody(spec, name) {
			return Yes
		}
	}
	if !known {
		return Unknown
	}
	return No
}

func answer(b bool) Answer {
	if b {
		return Yes
	}
	return No
}

// contains searches a sorted list.
func contains(sorted []string, s string) bool {
	_, ok := slices.BinarySearch(sorted, s)
	return ok
}

// hasFunc reports whether the BTF has a FUNC called name.
func hasFunc(spec *btf.Spec, name string) bool {
	_, err := funcByName(spec, name)
	return err == nil
}

func funcByName(spec *btf.Spec, name string) (*btf.Func, error) {
	types, err := spec.AnyTypesByName(name)
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		if fn, ok := t.(*btf.Func); ok {
			return fn, nil
		}
	}
	return nil, fmt.Errorf("%s: %w", name, btf.ErrNotFound)
}

// syscallPrefixes are the ABI prefixes of syscall wrappers.
var syscallPrefixes = []string{"__x64_", "__ia32_", "__arm64_"}

// splitWrapper splits a syscall wrapper name into its ABI prefix and the
// body's name: "__x64_sys_openat" is "__x64_" and "sys_openat".
func splitWrapper(name string) (prefix, fn string, ok bool) {
	for _, pre := range syscallPrefixes {
		if rest, found := strings.CutPrefix(name, pre); found &&
			(strings.HasPrefix(rest, "sys_") || strings.HasPrefix(rest, "compat_sys_")) {
			return pre, rest, true
		}
	}
	return "", "", false
}

func (p *Profile) hasSyscallBody(spec *btf.Spec, name string) bool {
	pre, fn, ok := splitWrapper(name)
	if !ok || !hasFunc(spec, "__do_"+fn) && !hasFunc(spec, "__se_"+fn) {
		return false
	}
	// Only if the kernel builds wrappers of this ABI at all (an x86_64
	// kernel without IA32 emulation has no __ia32_ ones).
	probe := map[string]string{"__x64_": "__x64_sys_read", "__ia32_": "__ia32_sys_read", "__arm64_": "__arm64_sys_read"}[pre]
	return hasFunc(spec, probe)
}

// TraceableFunctions returns ftrace's available_filter_functions, sorted;
// the error wraps ErrUnknown when the profile lacks them.
func (p *Profile) TraceableFunctions() ([]string, error) {
	if p.Functions == nil {
		return nil, fmt.Errorf("%s: %w%s", SourceFunctions, ErrUnknown, p.why(SourceFunctions))
	}
	return p.Functions, nil
}

// Event returns the tracepoint subsystem/event. The error wraps ErrNotFound
// when the kernel lacks it, ErrUnknown when the profile has no formats.
func (p *Profile) Event(subsystem, event string) (*Event, error) {
	p.init()
	name := subsystem + "/" + event
	if p.events == nil {
		return nil, fmt.Errorf("tracepoint %s: %w%s", name, ErrUnknown, p.why(SourceTracepoints))
	}
	e, ok := p.events[name]
	if !ok {
		return nil, fmt.Errorf("tracepoint %s: %w", name, ErrNotFound)
	}
	return e, nil
}

// EventNames returns "subsystem/event" of every tracepoint of subsystem
// (every tracepoint when subsystem is ""), sorted.
func (p *Profile) EventNames(subsystem string) []string {
	var out []string
	for i := range p.Tracepoints {
		if e := &p.Tracepoints[i]; subsystem == "" || e.Subsystem == subsystem {
			out = append(out, e.Name())
		}
	}
	return out
}

// HasLSMHook tells whether the kernel has BPF LSM hook name: the BTF has
// bpf_lsm_NAME, which exists when the kernel is built with CONFIG_BPF_LSM.
// Whether BPF LSM is enabled at boot is the lsm feature.
func (p *Profile) HasLSMHook(name string) Answer {
	spec, err := p.Spec()
	if err != nil {
		return Unknown
	}
	return answer(hasFunc(spec, "bpf_lsm_"+name))
}

// FunctionNames returns every function name the profile knows (kallsyms,
// ftrace's list, the BTF's FUNCs), sorted and unique: candidates for
// "did you mean" hints.
func (p *Profile) FunctionNames() []string {
	p.init()
	p.namesOnce.Do(func() {
		names := slices.Concat(p.Kallsyms, p.Functions)
		if p.Kallsyms == nil && p.spec != nil {
			for t, err := range p.spec.All() {
				if err != nil {
					break
				}
				if fn, ok := t.(*btf.Func); ok {
					names = append(names, fn.Name)
				}
			}
		}
		slices.Sort(names)
		p.names = slices.Compact(names)
	})
	return p.names
}
