package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
)

// Status is what is loaded under a pin root.
type Status struct {
	PinRoot string
	// StatsEnabled is kernel.bpf_stats_enabled: only then do programs
	// count their runs and run time.
	StatsEnabled bool
	// Base is nil when no base is loaded.
	Base     *BaseStatus
	Policies []PolicyStatus
}

// BaseStatus describes the loaded base. A base with no policy is what
// polrun never leaves behind itself (the last unload removes it); List
// reports one all the same. Err is set when its directory is not polrun's.
type BaseStatus struct {
	Programs []ProgramStatus
	Maps     []MapStatus
	Err      error
	// Memory is the kernel memory of the base's maps (the ring buffer and
	// process table every policy shares) and programs.
	Memory KernelMemory
	// Counters are the base programs' own (bpf.CountersMap in the base's
	// directory): the exec, fork and exit records they posted and lost.
	// Nil for a base built before them.
	Counters *bpf.Counters
}

// KernelMemory is the memory the kernel charges for maps and programs:
// their memlock, as /proc/PID/fdinfo reports it (for a map on a kernel
// that does not say, MapStatus.Memory's estimate). A map created without
// preallocation (the process table) is charged for the entries it holds
// on kernels from 6.4, for its buckets only before.
type KernelMemory struct {
	Maps, Programs uint64
	// RingBuffer and ProcessTable are the base's two large maps, counted
	// in Maps too; 0 for a policy.
	RingBuffer, ProcessTable uint64
}

// Total is the maps' and programs' memory.
func (k KernelMemory) Total() uint64 { return k.Maps + k.Programs }

// memoryOf adds up the memlock of maps and programs.
func memoryOf(maps []MapStatus, progs []ProgramStatus) KernelMemory {
	var k KernelMemory
	for _, m := range maps {
		k.Maps += m.Memory
		switch m.Name {
		case bpf.EventsMap:
			k.RingBuffer = m.Memory
		case bpf.ProcsMap:
			k.ProcessTable = m.Memory
		}
	}
	for _, p := range progs {
		k.Programs += p.Memlock
	}
	return k
}

// PolicyStatus describes one loaded policy. Err is set, and the rest may be
// partial, when its pins could not be read.
type PolicyStatus struct {
	Name         string
	PolicyID     uint32
	Bundle       string
	BundleSHA256 string
	LoadedAt     time.Time
	Manifest     *bpf.Manifest
	// Mode is the policy's mode: bpf.ModeEnforce, bpf.ModeMonitor, or
	// bpf.ModeMonitorOnly for a policy without enforcement actions.
	Mode string
	// Counters are what the policy's programs counted (bpf.CountersMap),
	// summed over CPUs; nil for a bundle built before the counters.
	Counters *bpf.Counters
	// Members are a policy set's members, with their switches and
	// counters (members.go); nil for one policy's bundle.
	Members  []MemberStatus
	Programs []ProgramStatus
	Maps     []MapStatus
	Err      error
	// Memory is the kernel memory of the policy's own maps and programs
	// (the shared ones are the base's).
	Memory KernelMemory

	// SignedVersion is the version of the verified signature it was
	// loaded with, 0 if none.
	SignedVersion uint64
}

// ProgramStatus is one pinned link and its program, or a program whose
// attachment a polrun process holds (HeldBy).
type ProgramStatus struct {
	Name string // pin name: the program's name
	// Hook is the manifest's hook of the program ("kprobe fd_install"), or
	// what the link says it is attached to for the base.
	Hook      string
	LinkID    uint32
	ProgramID uint32
	// HeldBy is, for an attachment the kernel cannot pin (a perf event's
	// before 5.15: Holder), the process holding it; LinkID is then 0.
	HeldBy int
	Type   string // program type
	// Attached says what the kernel reports the link attached to
	// (function, tracepoint or file), when it reports it.
	Attached string
	// RunCount and RunTime are zero unless StatsEnabled.
	RunCount      uint64
	RunTime       time.Duration
	VerifiedInsns uint32
	// Memlock is the kernel memory of the program (its instructions and
	// JIT image).
	Memlock uint64
	Err     error
}

// MapStatus is one pinned map.
type MapStatus struct {
	Name       string
	ID         uint32
	Type       string
	KeySize    uint32
	ValueSize  uint32
	MaxEntries uint32
	// Memory is the kernel memory the map takes: what the kernel
	// charges it (memlock in its fdinfo), or, on kernels that do not
	// say, bpf.MapBytes' estimate (MemoryEstimated).
	Memory          uint64
	MemoryEstimated bool
	// Flags are the map's creation flags (BPF_F_NO_PREALLOC ...).
	Flags uint32
}

// MapMemory is the kernel memory of maps, summed.
func MapMemory(maps []MapStatus) uint64 {
	var n uint64
	for _, m := range maps {
		n += m.Memory
	}
	return n
}

// List reports what is loaded under the pin root. It takes the pin root's
// lock, so it never sees a load or unload half done, and first finishes
// or rolls back one a killed polrun left (journal.go). It descends only
// into directories that are polrun's (checkDir); one that is not is
// reported in its status's Err.
func List(opts *Options) (*Status, error) {
	o := opts.withDefaults()
	if err := CheckPrivileges("listing what is loaded"); err != nil {
		return nil, err
	}
	st := &Status{PinRoot: o.PinRoot, StatsEnabled: statsEnabled()}
	lk, _, err := openRoot(o.PinRoot, false)
	if err != nil || lk == nil {
		return st, err
	}
	defer lk.unlock()
	if dir := bpf.BasePinDir(o.PinRoot); exists(dir) {
		st.Base = &BaseStatus{}
		if st.Base.Err = checkDir(dir); st.Base.Err == nil {
			if st.Base.Err = checkDir(filepath.Join(dir, bpf.LinksDir)); st.Base.Err == nil {
				st.Base.Programs = listLinks(filepath.Join(dir, bpf.LinksDir), nil)
				st.Base.Maps = listMaps(dir)
				st.Base.Memory = memoryOf(st.Base.Maps, st.Base.Programs)
				st.Base.Counters, st.Base.Err = countersAt(filepath.Join(dir, bpf.CountersMap))
			}
		}
	}
	dirs, err := policyDirs(o.PinRoot)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		ps := PolicyStatus{Name: d}
		dir := filepath.Join(o.PinRoot, bpf.PoliciesDir, d)
		m, state, err := readPolicyMeta(o.PinRoot, d)
		if err != nil {
			ps.Err = err
			if errors.Is(err, ErrUntrustedDir) {
				st.Policies = append(st.Policies, ps)
				continue
			}
		} else {
			ps.Name = m.Policy
			ps.Manifest = m
			ps.PolicyID = state.PolicyID
			ps.Bundle = state.Bundle
			ps.BundleSHA256 = state.BundleSHA256
			ps.SignedVersion = state.SignedVersion
			ps.LoadedAt = state.LoadedAt
			if ps.Mode, err = modeOf(dir, m); err != nil {
				ps.Err = fmt.Errorf("policy %s: %w", m.Policy, err)
			}
			if ps.Counters, err = countersOf(dir); err != nil && ps.Err == nil {
				ps.Err = fmt.Errorf("policy %s: %w", m.Policy, err)
			}
			if ps.Members, err = membersOf(dir, m); err != nil && ps.Err == nil {
				ps.Err = fmt.Errorf("policy %s: %w", m.Policy, err)
			}
			if len(ps.Members) > 0 && ps.Counters != nil {
				var sum bpf.Counters
				for _, mb := range ps.Members {
					if mb.Counters != nil {
						sum.Add(*mb.Counters)
					}
				}
				ps.Counters = &sum
			}
		}
		ps.Programs = listLinks(filepath.Join(dir, bpf.LinksDir), m)
		ps.Maps = listMaps(filepath.Join(dir, bpf.MapsDir))
		ps.Memory = memoryOf(ps.Maps, ps.Programs)
		st.Policies = append(st.Policies, ps)
	}
	return st, nil
}

func statsEnabled() bool {
	raw, err := os.ReadFile("/proc/sys/kernel/bpf_stats_enabled")
	return err == nil && strings.TrimSpace(string(raw)) == "1"
}

// listLinks describes the links pinned in dir; m, when known, names each
// program's hook.
func listLinks(dir string, m *bpf.Manifest) []ProgramStatus {
	hookOf := map[string]string{}
	if m != nil {
		for _, h := range m.Hooks {
			for _, p := range h.Programs {
				hookOf[bpf.PinName(p.Name)] = hookLabel(h)
			}
		}
		for _, mp := range m.Multi {
			hookOf[bpf.PinName(mp.Name)] = multiLabel(mp)
		}
	}
	ents, _ := os.ReadDir(dir)
	var out []ProgramStatus
	holders := &perfHolders{}
	for _, e := range ents {
		ps := ProgramStatus{Name: e.Name(), Hook: hookOf[e.Name()]}
		ps.Err = describeLink(filepath.Join(dir, e.Name()), &ps, holders)
		out = append(out, ps)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func describeLink(path string, ps *ProgramStatus, holders *perfHolders) error {
	l, err := link.LoadPinnedLink(path, nil)
	if err != nil {
		if prog, perr := ebpf.LoadPinnedProgram(path, &ebpf.LoadPinOptions{ReadOnly: true}); perr == nil {
			defer prog.Close()
			return describeHeld(prog, ps, holders) // held.go
		}
		return fmt.Errorf("open link: %w", err)
	}
	defer l.Close()
	info, err := l.Info()
	if err != nil {
		return fmt.Errorf("link info: %w", err)
	}
	ps.LinkID = uint32(info.ID)
	ps.ProgramID = uint32(info.Program)
	ps.Attached = attachedTo(info)
	if ps.Hook == "" {
		ps.Hook = ps.Attached
	}
	prog, err := ebpf.NewProgramFromID(info.Program)
	if err != nil {
		return fmt.Errorf("open program %d: %w", info.Program, err)
	}
	defer prog.Close()
	_, err = describeProgram(prog, ps)
	return err
}

// describeProgram fills ps with what the kernel says of prog: its type,
// verified instructions, memory and run statistics.
func describeProgram(prog *ebpf.Program, ps *ProgramStatus) (*ebpf.ProgramInfo, error) {
	pi, err := prog.Info()
	if err != nil {
		return nil, fmt.Errorf("program info: %w", err)
	}
	ps.Type = pi.Type.String()
	ps.VerifiedInsns, _ = pi.VerifiedInstructions()
	ps.Memlock, _ = pi.Memlock()
	if stats, err := prog.Stats(); err == nil {
		ps.RunCount = stats.RunCount
		ps.RunTime = stats.Runtime
	}
	return pi, nil
}

// attachedTo is what the kernel says a link is attached to.
func attachedTo(info *link.Info) string {
	if pe := info.PerfEvent(); pe != nil {
		switch {
		case pe.Kprobe() != nil:
			return "kprobe " + pe.Kprobe().Function
		case pe.Uprobe() != nil:
			return "uprobe " + pe.Uprobe().File
		case pe.Tracepoint() != nil:
			return "tracepoint " + pe.Tracepoint().Tracepoint
		}
	}
	if rt := info.RawTracepoint(); rt != nil {
		return "raw_tracepoint " + rt.Name
	}
	if km := info.KprobeMulti(); km != nil {
		return fmt.Sprintf("kprobe_multi (%d functions)", km.Count)
	}
	if tr := info.Tracing(); tr != nil {
		return fmt.Sprintf("tracing (attach type %d, BTF id %d)", tr.AttachType, tr.TargetBtfId)
	}
	// Kernels before 6.6 describe perf event links no further.
	names := map[link.Type]string{
		link.RawTracepointType: "raw_tracepoint", link.TracingType: "tracing", link.PerfEventType: "perf_event",
		link.KprobeMultiType: "kprobe_multi", link.UprobeMultiType: "uprobe_multi",
	}
	if n, ok := names[info.Type]; ok {
		return n
	}
	return fmt.Sprintf("link type %d", info.Type)
}

// mapMemory is bpf.MapBytes' estimate of a map's kernel memory (as
// checkMapMemory counts a bundle's maps before loading them).
func mapMemory(mp *ebpf.Map) uint64 {
	cpus, err := ebpf.PossibleCPU()
	if err != nil {
		cpus = 1
	}
	return bpf.MapBytes(mp.Type(), mp.KeySize(), mp.ValueSize(), mp.MaxEntries(), mp.Flags(), cpus)
}

// listMaps describes the maps pinned directly in dir.
func listMaps(dir string) []MapStatus {
	ents, _ := os.ReadDir(dir)
	var out []MapStatus
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		mp, err := ebpf.LoadPinnedMap(filepath.Join(dir, e.Name()), &ebpf.LoadPinOptions{ReadOnly: true})
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			out = append(out, MapStatus{Name: e.Name(), Type: "unreadable: " + err.Error()})
			continue
		}
		ms := MapStatus{Name: e.Name(), Type: mp.Type().String(), KeySize: mp.KeySize(), ValueSize: mp.ValueSize(),
			MaxEntries: mp.MaxEntries(), Flags: mp.Flags()}
		ms.Memory, ms.MemoryEstimated = mapMemory(mp), true
		if info, err := mp.Info(); err == nil {
			if id, ok := info.ID(); ok {
				ms.ID = uint32(id)
			}
			if n, ok := info.Memlock(); ok {
				ms.Memory, ms.MemoryEstimated = n, false
			}
		}
		mp.Close()
		out = append(out, ms)
	}
	return out
}
