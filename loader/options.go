package loader

import (
	"github.com/polc-dev/polc/bpf"
)

// Options say where polrun keeps its pins and how to load. A nil *Options
// means the defaults.
type Options struct {
	// PinRoot is polrun's directory in bpffs, bpf.DefaultPinRoot when "".
	// bpffs is mounted at /sys/fs/bpf if the root lies under it and nothing
	// is mounted there.
	PinRoot string
	// NodeLabels are this node's labels (polrun --node-labels), which a
	// bundle's node selector (bpf.Manifest.NodeSelector) must select for
	// Load to load it. Nil: not known, and a bundle with a non-empty
	// selector is refused.
	NodeLabels map[string]string
	// Replace lets Load replace a loaded policy of the same name: the new
	// one is attached before the old one is detached.
	Replace bool
	// AllowDowngrade lets Load replace a loaded policy with a bundle
	// whose signed version (Bundle.SignedVersion) is lower than the
	// loaded one's: a deliberate rollback. Without it that is
	// ErrDowngrade.
	AllowDowngrade bool
	// Base is the base object (a BPF ELF with the exec/fork/exit programs
	// and the shared maps) to load when no base is loaded. Nil means the
	// one built into this polrun (package bpf).
	Base []byte
	// Procfs is the procfs mount point the process table is seeded from,
	// "/proc" when "".
	Procfs string
	// Mode is the mode Load puts the policies in (bpf.ModeEnforce or
	// bpf.ModeMonitor) instead of their bundle's default, "" for that.
	Mode string
	// MaxMapMemory bounds, in bytes, the memory of the maps the bundles of
	// one Load declare (the base's shared maps aside), checked before any
	// map is created; 0 means DefaultMaxMapMemory.
	MaxMapMemory uint64
	// RingBufferSize is the size in bytes of the ring buffer of events
	// (ValidRingBufferSize), applied when the base is created with the
	// first policy; 0 means DefaultRingBufferSize. A non-zero size that
	// the loaded base's ring buffer does not have fails the load
	// (ErrRingBufferSize).
	RingBufferSize uint64
	// KernelBTF is a file with the kernel's BTF (raw, or a vmlinux with a
	// .BTF section) for kernels without /sys/kernel/btf/vmlinux: polrun
	// --btf. "" reads sysfs, then the usual vmlinux places. See
	// UseKernelBTF.
	KernelBTF string
	// Hold keeps the attachments this kernel cannot pin (perf events
	// before 5.15: kprobes, tracepoints, uprobes) in this process; nil
	// refuses a policy with one on such a kernel. See Holder.
	Hold *Holder
	// DisableKprobeMulti attaches every kprobe with its own link, also
	// where the kernel has kprobe_multi links and the bundle a
	// kprobe.multi program for it (bpf.Manifest.Multi): polrun
	// --disable-kprobe-multi, as Tetragon's flag of that name.
	DisableKprobeMulti bool

	// failAt, in tests, makes the step of that name fail.
	failAt func(step string) error
	// noCookie, in tests, loads the USDT variants without
	// bpf_get_attach_cookie (bpf.Program.NoCookie) even where the kernel
	// has it.
	noCookie bool
}

func (o *Options) withDefaults() *Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.PinRoot == "" {
		c.PinRoot = bpf.DefaultPinRoot
	}
	if c.Procfs == "" {
		c.Procfs = "/proc"
	}
	if c.MaxMapMemory == 0 {
		c.MaxMapMemory = DefaultMaxMapMemory
	}
	return &c
}

// fail returns the injected failure for step, if a test asked for one.
func (o *Options) fail(step string) error {
	if o.failAt == nil {
		return nil
	}
	return o.failAt(step)
}
