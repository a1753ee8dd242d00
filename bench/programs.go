package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// ProgramFigures are one program's size and verifier work on the running
// kernel.
type ProgramFigures struct {
	Name   string `json:"name"`
	Hook   string `json:"hook"`   // kind and target, e.g. "kprobe fd_install"
	Attach string `json:"attach"` // attach kind of the program
	// Insns is the program's instruction count in the bundle (wide
	// instructions count once), its subprograms included.
	Insns int `json:"insns"`
	// Verified is the number of instructions the verifier processed (the
	// kernel's verified_insns, as "processed N insns" in its log).
	Verified uint32 `json:"verified"`
	// VerifyTime is the verifier's own time ("verification time" in its
	// statistics log).
	VerifyTime time.Duration `json:"verifyTime"`
	// Xlated and JIT are the sizes in bytes of the program after the
	// verifier's rewriting and of its machine code (ProgramInfo).
	Xlated int    `json:"xlated"`
	JIT    uint32 `json:"jit"`
	// Memlock is the memory the kernel charges for the program.
	Memlock uint64 `json:"memlock"`
	// Skipped says why the program was not loaded here (its hook is not
	// in this kernel); Err, why the kernel refused it.
	Skipped string `json:"skipped,omitempty"`
	Err     string `json:"err,omitempty"`
}

// MapFigures are one map's size.
type MapFigures struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	KeySize    uint32 `json:"keySize"`
	ValueSize  uint32 `json:"valueSize"`
	MaxEntries uint32 `json:"maxEntries"`
	// Bytes is (key + value) × max_entries, times the possible CPUs for a
	// per-CPU map; a ring buffer's data size.
	Bytes uint64 `json:"bytes"`
	// Memlock is what the kernel reports for the map (fdinfo memlock):
	// for a hash map created with BPF_F_NO_PREALLOC, what is allocated
	// now, far less than Bytes.
	Memlock uint64 `json:"memlock"`
	// NoPrealloc: the map's entries are allocated as they are added.
	NoPrealloc bool `json:"noPrealloc,omitempty"`
	// Shared maps belong to the base: one per host, whatever the number
	// of policies.
	Shared bool `json:"shared,omitempty"`
}

// BundleFigures are a bundle's programs and maps on the running kernel.
type BundleFigures struct {
	Set      string           `json:"set"`
	File     string           `json:"file"`
	Policy   string           `json:"policy"`
	Programs []ProgramFigures `json:"programs"`
	Maps     []MapFigures     `json:"maps"`
	// ManifestMap is the size of the polc_manifest map polrun adds to
	// every policy (two values of the manifest's JSON size).
	ManifestMap uint64 `json:"manifestMap"`
}

// verifierStats matches the statistics lines of a verifier log
// (LogLevelStats): "verification time 1234 usec" then "processed 567 insns",
// as codegen's kernel tests read them.
var verifierStats = regexp.MustCompile(`verification time (\d+) usec[\s\S]*?processed (\d+) insns`)

// MeasureBundle loads a bundle's programs into the running kernel, without
// attaching them, and reads their figures. Shared maps are pinned by name
// in pinDir (a directory in bpffs), so that bundles measured in the same
// directory share one ring buffer and process table as on a host; the
// load-time variables are set as polrun sets them. Programs whose hook the
// kernel lacks are listed as skipped. A program the verifier refuses is
// reported in its Err, the others are still measured.
func MeasureBundle(obj []byte, pinDir string) (*BundleFigures, error) {
	m, err := bpf.ReadManifest(obj)
	if err != nil {
		return nil, fmt.Errorf("measure: %w", err)
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(obj))
	if err != nil {
		return nil, fmt.Errorf("measure %s: %w", m.Policy, err)
	}
	if err := setVariables(spec); err != nil {
		return nil, fmt.Errorf("measure %s: %w", m.Policy, err)
	}
	// Of a program and its fallback without bpf_loop, the one polrun
	// loads on this kernel, under the program's name.
	if _, err := loader.PickPrograms(m, spec); err != nil {
		return nil, fmt.Errorf("measure %s: %w", m.Policy, err)
	}
	bf := &BundleFigures{Policy: m.Policy, ManifestMap: manifestMapBytes(m)}
	var names []string
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			pf := ProgramFigures{Name: p.Name, Hook: h.Kind + " " + h.Target, Attach: p.Attach}
			if ps := spec.Programs[p.Name]; ps != nil {
				pf.Insns = countInsns(ps)
			}
			if why := missingHook(p, h); why != "" {
				pf.Skipped = why
				delete(spec.Programs, p.Name)
			} else {
				names = append(names, p.Name)
			}
			bf.Programs = append(bf.Programs, pf)
		}
	}
	opts := ebpf.CollectionOptions{Maps: ebpf.MapOptions{PinPath: pinDir},
		Programs: ebpf.ProgramOptions{LogLevel: ebpf.LogLevelStats}}
	coll, err := ebpf.NewCollectionWithOptions(spec, opts)
	if err != nil {
		// Find the programs the verifier refuses by loading each alone.
		coll, err = loadEach(spec, names, opts, bf)
		if err != nil {
			return nil, fmt.Errorf("measure %s: %w", m.Policy, err)
		}
	}
	defer coll.Close()
	for i := range bf.Programs {
		pf := &bf.Programs[i]
		if p := coll.Programs[pf.Name]; p != nil {
			programFigures(p, pf)
		}
	}
	mapNames := make([]string, 0, len(coll.Maps))
	for name := range coll.Maps {
		mapNames = append(mapNames, name)
	}
	sort.Strings(mapNames)
	for _, name := range mapNames {
		mf, err := mapFigures(name, coll.Maps[name])
		if err != nil {
			return nil, fmt.Errorf("measure %s: %w", m.Policy, err)
		}
		bf.Maps = append(bf.Maps, mf)
	}
	return bf, nil
}

// loadEach loads the programs one at a time to tell which the verifier
// refuses, recording their errors in bf, and returns a collection of the
// maps and the programs that load.
func loadEach(spec *ebpf.CollectionSpec, names []string, opts ebpf.CollectionOptions, bf *BundleFigures) (*ebpf.Collection, error) {
	for _, name := range names {
		one := spec.Copy()
		for other := range one.Programs {
			if other != name {
				delete(one.Programs, other)
			}
		}
		c, err := ebpf.NewCollectionWithOptions(one, opts)
		if err == nil {
			c.Close()
			continue
		}
		for i := range bf.Programs {
			if bf.Programs[i].Name != name {
				continue
			}
			if errors.Is(err, os.ErrPermission) {
				// The host refuses fentry, fmod_ret and LSM programs.
				bf.Programs[i].Skipped = "this kernel refuses the program type (EPERM)"
				continue
			}
			bf.Programs[i].Err = verifierSummary(err)
			// A program the kernel refuses after verifying it (a helper
			// it lacks at load) still has the verifier's figures.
			var verr *ebpf.VerifierError
			if errors.As(err, &verr) {
				if m := verifierStats.FindStringSubmatch(strings.Join(verr.Log, "\n")); m != nil {
					n, _ := strconv.Atoi(m[2])
					bf.Programs[i].Verified = uint32(n)
				}
			}
		}
		delete(spec.Programs, name)
	}
	return ebpf.NewCollectionWithOptions(spec, opts)
}

// verifierSummary is an error's first line, and the last lines of a
// verifier log.
func verifierSummary(err error) string {
	var verr *ebpf.VerifierError
	if errors.As(err, &verr) && len(verr.Log) > 0 {
		// The last line before the statistics says what failed.
		for i := len(verr.Log) - 1; i >= 0; i-- {
			if line := verr.Log[i]; line != "" && !strings.HasPrefix(line, "verification time") &&
				!strings.HasPrefix(line, "processed ") && !strings.HasPrefix(line, "stack depth") {
				return verr.Cause.Error() + ": " + line
			}
		}
		return verr.Cause.Error()
	}
	first, _, _ := strings.Cut(err.Error(), "\n")
	return first
}

func programFigures(p *ebpf.Program, pf *ProgramFigures) {
	if m := verifierStats.FindStringSubmatch(p.VerifierLog); m != nil {
		us, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		pf.VerifyTime = time.Duration(us) * time.Microsecond
		pf.Verified = uint32(n)
	}
	info, err := p.Info()
	if err != nil {
		return
	}
	if n, ok := info.VerifiedInstructions(); ok && n > 0 {
		pf.Verified = n
	}
	if n, err := info.JitedSize(); err == nil {
		pf.JIT = n
	}
	if n, err := info.TranslatedSize(); err == nil {
		pf.Xlated = n
	}
	if n, ok := info.Memlock(); ok {
		pf.Memlock = n
	}
}

// countInsns counts a program's instructions as the kernel does: a
// 64-bit immediate load is two.
func countInsns(ps *ebpf.ProgramSpec) int {
	n := 0
	for _, ins := range ps.Instructions {
		n += int(ins.Size() / 8)
	}
	return n
}

func mapFigures(name string, m *ebpf.Map) (MapFigures, error) {
	info, err := m.Info()
	if err != nil {
		return MapFigures{}, fmt.Errorf("map %s: %w", name, err)
	}
	mf := MapFigures{Name: name, Type: info.Type.String(), KeySize: info.KeySize, ValueSize: info.ValueSize,
		MaxEntries: info.MaxEntries, Shared: bpf.IsSharedMap(name), NoPrealloc: info.Flags&unix.BPF_F_NO_PREALLOC != 0}
	mf.Bytes = MapBytes(info.Type, info.KeySize, info.ValueSize, info.MaxEntries)
	if n, ok := info.Memlock(); ok {
		mf.Memlock = n
	}
	return mf, nil
}

// MapBytes is a map's size as the benchmark counts it: (key + value) ×
// max_entries, times the possible CPUs for per-CPU maps; a ring buffer's
// data size.
func MapBytes(t ebpf.MapType, key, value, entries uint32) uint64 {
	switch t {
	case ebpf.RingBuf:
		return uint64(entries)
	case ebpf.PerCPUArray, ebpf.PerCPUHash, ebpf.LRUCPUHash:
		return uint64(key+value) * uint64(entries) * uint64(possibleCPUs())
	}
	return uint64(key+value) * uint64(entries)
}

func possibleCPUs() int {
	n, err := ebpf.PossibleCPU()
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// manifestMapBytes is the size of the polc_manifest array polrun creates
// for a policy: two values, each the manifest's JSON and a NUL, rounded up
// to 8 bytes.
func manifestMapBytes(m *bpf.Manifest) uint64 {
	mj, err := m.Marshal()
	if err != nil {
		return 0
	}
	return 2 * uint64(bpf.Align8(len(mj)+1))
}

// setVariables sets the load-time variables as polrun does: a policy id
// and the host's namespace inodes (those of PID 1).
func setVariables(spec *ebpf.CollectionSpec) error {
	for name, v := range spec.Variables {
		switch {
		case name == bpf.VarPolicyID:
			if err := v.Set(uint32(1)); err != nil {
				return fmt.Errorf("set %s: %w", name, err)
			}
		case strings.HasPrefix(name, bpf.VarHostNSPrefix):
			// PID 1's namespaces, as polrun; this process's where PID 1's
			// are not readable (in a container), which changes no
			// instruction count.
			kind := strings.TrimPrefix(name, bpf.VarHostNSPrefix)
			fi, err := os.Stat(filepath.Join("/proc/1/ns", kind))
			if err != nil {
				fi, err = os.Stat(filepath.Join("/proc/self/ns", kind))
			}
			if err != nil {
				return fmt.Errorf("host namespace for %s: %w", name, err)
			}
			if err := v.Set(uint32(inode(fi))); err != nil {
				return fmt.Errorf("set %s: %w", name, err)
			}
		}
	}
	return nil
}

// missingHook says why the running kernel cannot load a program ("" when
// it can): its kprobe target, tracepoint, raw tracepoint or LSM hook does
// not exist here. Loading needs only the target to exist: kprobe programs
// load on a kernel without kprobes.
func missingHook(p bpf.Program, h bpf.Hook) string {
	switch p.Attach {
	case "kprobe", "kretprobe":
		if !kernelSymbols()[h.Target] {
			return "no function " + h.Target
		}
	case "tracepoint":
		if _, err := os.Stat(filepath.Join("/sys/kernel/tracing/events", h.Target)); err != nil {
			return "no tracepoint " + h.Target
		}
	case "raw_tracepoint":
		event := h.Target[strings.LastIndexByte(h.Target, '/')+1:]
		if !btfTypedef("btf_trace_" + event) {
			return "no raw tracepoint " + event
		}
	case "lsm", "fmod_ret":
		fn := p.Target
		if p.Attach == "lsm" && !strings.HasPrefix(fn, "bpf_lsm_") {
			fn = "bpf_lsm_" + fn
		}
		if !btfFunc(fn) {
			return "no BTF function " + fn
		}
		if p.Attach == "lsm" && !lsmEnabled() {
			return "BPF LSM not enabled"
		}
	}
	return ""
}

func btfFunc(name string) bool {
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		return false
	}
	var fn *btf.Func
	return spec.TypeByName(name, &fn) == nil
}

func btfTypedef(name string) bool {
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		return false
	}
	var td *btf.Typedef
	return spec.TypeByName(name, &td) == nil
}

// inode is a file's inode number.
func inode(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}

func lsmEnabled() bool {
	data, err := os.ReadFile("/sys/kernel/security/lsm")
	return err == nil && strings.Contains(","+strings.TrimSpace(string(data))+",", ",bpf,")
}

var kallsyms = sync.OnceValue(func() map[string]bool {
	syms := map[string]bool{}
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return syms
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) >= 3 {
			syms[fields[2]] = true
		}
	}
	return syms
})

func kernelSymbols() map[string]bool { return kallsyms() }
