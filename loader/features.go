package loader

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/kfeature"
)

// Feature is the answer to one feature probe.
type Feature struct {
	Name string // a bpf.Feature* constant
	// Supported is true when the probe succeeded.
	Supported bool
	// Reason says why not, or how it was found.
	Reason string
}

// FeatureFentry is bpf.FeatureFentry, which bundles with spec.fentries
// require.
const FeatureFentry = bpf.FeatureFentry

// probe is one feature test. Tests that attach use do-nothing programs on
// functions every kernel has, detached again at once.
type probe struct {
	name string
	run  func() error
}

var probes = []probe{
	{bpf.FeatureBTF, probeBTF},
	{bpf.FeatureRingbuf, func() error { return features.HaveMapType(ebpf.RingBuf) }},
	{bpf.FeatureTracepoint, probeTracepoint},
	{bpf.FeatureRawTracepoint, func() error { return features.HaveProgramType(ebpf.RawTracepoint) }},
	{bpf.FeatureKprobe, func() error { return probeKprobe(false) }},
	{bpf.FeatureKretprobe, func() error { return probeKprobe(true) }},
	{bpf.FeatureUprobe, probeUprobe},
	{FeatureFentry, func() error { return probeTracing(ebpf.AttachTraceFEntry, "bpf_fentry_test1") }},
	{bpf.FeatureFmodRet, func() error { return probeTracing(ebpf.AttachModifyReturn, "security_file_open") }},
	{bpf.FeatureLSM, probeLSM},
	{bpf.FeatureSendSignal, func() error { return features.HaveProgramHelper(ebpf.TracePoint, asm.FnSendSignal) }},
	{bpf.FeatureOverride, func() error { return features.HaveProgramHelper(ebpf.Kprobe, asm.FnOverrideReturn) }},
	{bpf.FeatureBpfLoop, func() error { return features.HaveProgramHelper(ebpf.TracePoint, asm.FnLoop) }},
	{bpf.FeatureProbeWriteUser, probeWriteUser},
	{bpf.FeatureAttachCookie, func() error { return features.HaveProgramHelper(ebpf.Kprobe, asm.FnGetAttachCookie) }},
	{bpf.FeatureUprobeWriteCtx, probeUprobeWriteCtx},
	{bpf.FeatureImaFileHash, func() error {
		if err := probeLSM(); err != nil {
			return err
		}
		return kfeature.ImaFileHash()
	}},
	{bpf.FeatureKprobeMulti, features.HaveBPFLinkKprobeMulti},
}

// probeUprobeWriteCtx loads a kprobe-type program that writes a register
// of its context back unchanged: kernels that let uprobe programs change
// the task's registers load it (and refuse to attach it to kprobes);
// earlier verifiers refuse it as an invalid bpf_context access.
func probeUprobeWriteCtx() error {
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.Kprobe, License: "GPL", Instructions: asm.Instructions{
		asm.LoadMem(asm.R2, asm.R1, 0, asm.DWord),
		asm.StoreMem(asm.R1, 0, asm.R2, asm.DWord),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	}})
	if err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) {
			return fmt.Errorf("the verifier refuses uprobe programs that write the task's registers: %w", ebpf.ErrNotSupported)
		}
		return fmt.Errorf("load a uprobe program that writes a register: %w", refusal(err))
	}
	return prog.Close()
}

// probeWriteUser: kprobe (and uprobe) programs may call
// bpf_probe_write_user; kernel lockdown forbids it, which the reason says.
func probeWriteUser() error {
	err := features.HaveProgramHelper(ebpf.Kprobe, asm.FnProbeWriteUser)
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w%s", err, lockdownNote())
}

// lockdownNote names the kernel's lockdown mode, " (kernel lockdown is
// ...)", or is empty when there is none. It mounts securityfs first, so
// that the reason does not depend on whether something else mounted it.
func lockdownNote() string {
	if ensureMounted(securityfsDir, "securityfs", unix.SECURITYFS_MAGIC) != nil {
		return ""
	}
	mode, err := os.ReadFile(securityfsDir + "/lockdown")
	if err != nil || strings.Contains(string(mode), "[none]") {
		return ""
	}
	return " (kernel lockdown is " + strings.TrimSpace(string(mode)) + ")"
}

var probeCache sync.Map // name -> *probeResult

type probeResult struct {
	once sync.Once
	err  error
}

// checkFeature runs the probe for name once per process.
func checkFeature(name string) error {
	i := slices.IndexFunc(probes, func(p probe) bool { return p.name == name })
	if i < 0 {
		return fmt.Errorf("this polrun does not know the feature")
	}
	v, _ := probeCache.LoadOrStore(name, &probeResult{})
	r := v.(*probeResult)
	r.once.Do(func() { r.err = probes[i].run() })
	return r.err
}

// Probe tests every feature polrun knows on the running kernel. It needs
// root; some probes load and attach do-nothing programs.
func Probe() []Feature {
	out := make([]Feature, 0, len(probes))
	for _, p := range probes {
		err := checkFeature(p.name)
		f := Feature{Name: p.name, Supported: err == nil, Reason: "ok"}
		if err != nil {
			f.Reason = reason(err)
		}
		out = append(out, f)
	}
	return out
}

// RequireFeatures returns a FeatureError for the first of names the kernel
// lacks.
func RequireFeatures(names []string) error {
	for _, n := range names {
		if err := checkFeature(n); err != nil {
			return &FeatureError{Feature: n, Reason: reason(err), Fallback: featureFallbacks[n]}
		}
	}
	return nil
}

func reason(err error) string { return err.Error() }

func probeTracepoint() error {
	if err := ensureTracefs(); err != nil {
		return err
	}
	if _, err := os.Stat(tracefsDir + "/events"); err != nil {
		return fmt.Errorf("no %s/events (CONFIG_EVENT_TRACING): %w", tracefsDir, ebpf.ErrNotSupported)
	}
	return features.HaveProgramType(ebpf.TracePoint)
}

const pmuDir = "/sys/bus/event_source/devices"

// returnZero is the body of every probe program: it changes nothing.
var returnZero = asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}

// probeKprobe attaches a do-nothing kprobe (or kretprobe) to vfs_read:
// whether the PMU exists says little about whether attaching works.
func probeKprobe(ret bool) error {
	if _, err := os.Stat(pmuDir + "/kprobe/type"); err != nil {
		if _, err := os.Stat(tracefsDir + "/kprobe_events"); err != nil {
			return fmt.Errorf("no kprobe PMU and no kprobe_events (CONFIG_KPROBES): %w", ebpf.ErrNotSupported)
		}
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.Kprobe, Instructions: returnZero, License: "GPL"})
	if err != nil {
		return fmt.Errorf("load kprobe program: %w", err)
	}
	defer prog.Close()
	attach := link.Kprobe
	if ret {
		attach = link.Kretprobe
	}
	l, err := attach("vfs_read", prog, nil)
	if err != nil {
		return fmt.Errorf("attach to vfs_read: %w", err)
	}
	return l.Close()
}

func probeUprobe() error {
	if _, err := os.Stat(pmuDir + "/uprobe/type"); err != nil {
		if _, err := os.Stat(tracefsDir + "/uprobe_events"); err != nil {
			return fmt.Errorf("no uprobe PMU and no uprobe_events (CONFIG_UPROBE_EVENTS): %w", ebpf.ErrNotSupported)
		}
	}
	return features.HaveProgramType(ebpf.Kprobe)
}

// probeTracing loads and attaches a do-nothing tracing program: some kernels
// load fentry programs and then refuse to attach them.
func probeTracing(at ebpf.AttachType, fn string) error {
	if err := inKernelBTF(); err != nil {
		return err
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.Tracing, AttachType: at, AttachTo: fn, Instructions: returnZero, License: "GPL",
	})
	if err != nil {
		return fmt.Errorf("load %s program for %s: %w", at, fn, refusal(err))
	}
	defer prog.Close()
	l, err := link.AttachTracing(link.TracingOptions{Program: prog, AttachType: at})
	if err != nil {
		return fmt.Errorf("attach %s program to %s: %w", at, fn, err)
	}
	return l.Close()
}

// refusal explains a probe program the kernel refused with EPERM, as
// root: not the memlock limit cilium/ebpf suggests (kernels since 5.11
// charge BPF memory to the cgroup), but a policy of this kernel, such as
// its lockdown mode, which the reason names.
func refusal(err error) error {
	if !errors.Is(err, unix.EPERM) {
		return err
	}
	return fmt.Errorf("the kernel refused to load it: %w%s", unix.EPERM, lockdownNote())
}

func probeLSM() error {
	if err := inKernelBTF(); err != nil {
		return err
	}
	if err := ensureMounted(securityfsDir, "securityfs", unix.SECURITYFS_MAGIC); err != nil {
		return err
	}
	raw, err := os.ReadFile(securityfsDir + "/lsm")
	if err != nil {
		return fmt.Errorf("read active LSMs: %w", err)
	}
	active := strings.TrimSpace(string(raw))
	if !slices.Contains(strings.Split(active, ","), "bpf") {
		return fmt.Errorf("bpf is not an active LSM (%s; boot with lsm=...,bpf): %w", active, ebpf.ErrNotSupported)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.LSM, AttachType: ebpf.AttachLSMMac, AttachTo: "file_open", Instructions: returnZero, License: "GPL",
	})
	if err != nil {
		return fmt.Errorf("load LSM program for file_open: %w", refusal(err))
	}
	defer prog.Close()
	l, err := link.AttachLSM(link.LSMOptions{Program: prog})
	if err != nil {
		return fmt.Errorf("attach LSM program to file_open: %w", err)
	}
	return l.Close()
}
