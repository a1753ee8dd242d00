package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
)

// The shared maps are declared in the base object and in every bundle with
// the sizes of package bpf (bpf.EventsRingBytes, bpf.ProcsMaxEntries); the
// loader sizes them for the host when it creates the base, and a bundle's
// declarations are made to match the loaded base's maps before they are
// replaced by them. Nothing in the programs depends on these sizes: the
// process table is a hash looked up, updated and deleted by tgid, and the
// ring buffer's size is only where bpf_ringbuf_output starts to fail (and
// the drop counter to count).

// Ring buffer sizes (Options.RingBufferSize, polrun --ring-buffer-size).
const (
	// DefaultRingBufferSize is chosen from the loss curve in
	// docs/BENCHMARKS.md (section 6): the smallest size that did not lose
	// events at the highest rate the emitting benchmark policy produces
	// with polrun events reading, on the measured host.
	DefaultRingBufferSize = 8 << 20
	// MinRingBufferSize and MaxRingBufferSize bound the flag: a page
	// holds only a few records; the kernel refuses more than 2 GiB, and a
	// gigabyte of locked memory is already more than any reader needs.
	MinRingBufferSize = 4096
	MaxRingBufferSize = 1 << 30
)

// ErrRingBufferSize: a ring buffer size the kernel would refuse.
var ErrRingBufferSize = errors.New("bad ring buffer size")

// ValidRingBufferSize checks a ring buffer size in bytes: a power of two,
// a whole number of pages, from MinRingBufferSize to MaxRingBufferSize.
func ValidRingBufferSize(n uint64) error {
	page := uint64(os.Getpagesize())
	switch {
	case n < max(MinRingBufferSize, page) || n > MaxRingBufferSize:
		return fmt.Errorf("%w: %d bytes, want %d (%s) to %d (%s)", ErrRingBufferSize, n,
			max(MinRingBufferSize, page), FormatBytes(max(MinRingBufferSize, page)), uint64(MaxRingBufferSize), FormatBytes(MaxRingBufferSize))
	case n&(n-1) != 0:
		return fmt.Errorf("%w: %d bytes is not a power of two (the kernel's ring buffers are)", ErrRingBufferSize, n)
	case n%page != 0:
		return fmt.Errorf("%w: %d bytes is not a whole number of %d-byte pages", ErrRingBufferSize, n, page)
	}
	return nil
}

// FormatBytes writes n as polrun's flags read sizes: in GiB, MiB or KiB
// when it is a whole number of them, else in bytes.
func FormatBytes(n uint64) string {
	for _, u := range []struct {
		suffix string
		size   uint64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, u.suffix)
		}
	}
	return fmt.Sprint(n)
}

// Bounds of the process table's size (ProcsTableEntries).
const (
	minProcsEntries = 1024
	maxProcsEntries = 1 << 22 // PID_MAX_LIMIT on 64-bit kernels
)

// ProcsTableEntries is the number of entries the process table is created
// with on this host: a process is keyed by its tgid, which is below
// kernel.pid_max, and there are no more processes than kernel.threads-max
// allows tasks; so the smaller of the two, within [1024, 4194304]. The
// table is not preallocated (BPF_F_NO_PREALLOC): an entry takes memory
// while its process lives, and the size only bounds the count. A limit
// missing from procfs counts as the upper bound. (pid_max raised after
// the base was loaded is not followed: processes beyond the table's size
// are then not in it, and their events take the parent and binary from
// /proc, as for processes the table never saw.)
func ProcsTableEntries(procfs string) uint32 {
	n := uint64(maxProcsEntries)
	for _, name := range []string{"pid_max", "threads-max"} {
		raw, err := os.ReadFile(filepath.Join(procfs, "sys", "kernel", name))
		if err != nil {
			continue
		}
		if v, err := strconv.ParseUint(strings.TrimSpace(string(raw)), 10, 64); err == nil && v > 0 {
			n = min(n, v)
		}
	}
	return uint32(max(n, minProcsEntries))
}

// sizeBaseMaps sets the shared maps' sizes in the base object's spec, as
// the base is created: the ring buffer's from o, the process table's from
// the host, without preallocation where the kernel allows it.
func sizeBaseMaps(spec *ebpf.CollectionSpec, o *Options) {
	if ms := spec.Maps[bpf.EventsMap]; ms != nil {
		ms.MaxEntries = o.ringBufferSize()
	}
	// The processes' arguments (bpf.CmdArgsMap) have an entry per entry
	// of the process table, sized and allocated alike.
	for _, name := range []string{bpf.ProcsMap, bpf.CmdArgsMap} {
		if ms := spec.Maps[name]; ms != nil {
			ms.MaxEntries = ProcsTableEntries(o.Procfs)
			if runtimeAllocSafe() {
				ms.Flags |= unix.BPF_F_NO_PREALLOC
			}
		}
	}
}

// PreallocHashMaps makes the bundle's own hash maps preallocated where
// tracing programs may not allocate at run time (runtimeAllocSafe): the
// flag is a memory saving, not part of what the programs do. (LPM tries
// always allocate, and the kernel allows them.) polrun does it to every
// bundle it loads; tests that load bundles themselves do it too, or the
// kernels before 6.1 warn ("trace type BPF program uses run-time
// allocation").
func PreallocHashMaps(spec *ebpf.CollectionSpec) {
	if runtimeAllocSafe() {
		return
	}
	for name, ms := range spec.Maps {
		if bpf.IsSharedMap(name) {
			continue
		}
		switch ms.Type {
		case ebpf.Hash, ebpf.PerCPUHash, ebpf.HashOfMaps:
			ms.Flags &^= unix.BPF_F_NO_PREALLOC
		}
	}
}

// runtimeAllocSafe says whether tracing programs may use hash maps that
// allocate entries at run time: only with BPF's memory allocator for any
// context (struct bpf_mem_alloc in the kernel's BTF, 6.1+). Before it a
// kprobe could interrupt the allocator it calls, and the verifier warns
// (a kernel WARNING, "trace type BPF program uses run-time allocation"):
// the process table is preallocated there.
func runtimeAllocSafe() bool {
	spec := kernelTypes()
	if spec == nil {
		var err error
		if spec, err = btf.LoadKernelSpec(); err != nil {
			return false
		}
	}
	var s *btf.Struct
	return spec.TypeByName("bpf_mem_alloc", &s) == nil
}

// ringBufferSize is the size of a ring buffer created with o.
func (o *Options) ringBufferSize() uint32 {
	if o.RingBufferSize == 0 {
		return DefaultRingBufferSize
	}
	return uint32(o.RingBufferSize)
}

// matchBaseMap makes a bundle's declaration of a shared map (checked
// against package bpf's sizes) declare the loaded base's map, which
// replaces it: the kernel's size and flags.
func matchBaseMap(ms *ebpf.MapSpec, m *ebpf.Map) {
	ms.MaxEntries, ms.Flags = m.MaxEntries(), m.Flags()
}

// checkRingBufferSize refuses an explicit Options.RingBufferSize that the
// loaded base's ring buffer does not have: the size applies when the base
// is created, with the first policy, and is never silently not applied.
func checkRingBufferSize(o *Options, base *baseMaps) error {
	if o.RingBufferSize == 0 || base == nil || base.events == nil {
		return nil
	}
	if got := uint64(base.events.MaxEntries()); got != o.RingBufferSize {
		return fmt.Errorf("%w: the loaded base's ring buffer is %s, not the %s asked for: the size is set when the base is loaded, with the first policy (unload every policy, which removes the base, then load with the size)",
			ErrRingBufferSize, FormatBytes(got), FormatBytes(o.RingBufferSize))
	}
	return nil
}
