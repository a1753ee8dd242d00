package testenv

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/internal/kfeature"
)

// Hook and map features. Each probes the running kernel once per test
// binary and needs root. Those with OnCIHost=false are missing on the 6.18
// CI host and skip there; the vmtest guests have all of them (KprobeMulti
// only from 6.12 on: pair it with KernelAtLeast(6, 12)).
var (
	// Kprobes: kprobes can be created (CONFIG_KPROBES, the kprobe PMU).
	Kprobes = Requirement{Name: "kprobes", Check: once(&kprobesOnce, checkKprobes)}
	// Kretprobes: kretprobes can be created (CONFIG_KRETPROBES).
	Kretprobes = Requirement{Name: "kretprobes", Check: once(&kretprobesOnce, checkKretprobes)}
	// Fentry: an fentry program loads and attaches (BTF trampolines).
	Fentry = Requirement{Name: "fentry", Check: once(&fentryOnce, func() error {
		return probeTracing(ebpf.AttachTraceFEntry, "bpf_fentry_test1")
	})}
	// FmodRet: an fmod_ret program loads and attaches to a security_*
	// function (returning 0, it changes nothing). bpf_modify_return_test
	// would be the neutral target, but 6.1 does not allow it.
	FmodRet = Requirement{Name: "fmod_ret", Check: once(&fmodRetOnce, func() error {
		return probeTracing(ebpf.AttachModifyReturn, "security_file_open")
	})}
	// LSM: bpf is an active LSM and a BPF LSM program attaches.
	LSM = Requirement{Name: "BPF LSM", Check: once(&lsmOnce, checkLSM)}
	// ImaFileHash: a sleepable BPF LSM program may call bpf_ima_file_hash
	// (5.18+; sleepable LSM programs 5.11+), as imaHash hooks do.
	ImaFileHash = Requirement{Name: "bpf_ima_file_hash in sleepable LSM programs", Check: once(&imaFileHashOnce, func() error {
		if err := checkLSM(); err != nil {
			return err
		}
		return kfeature.ImaFileHash()
	})}
	// KprobeMulti: kprobe_multi links (CONFIG_FPROBE, 5.18+).
	KprobeMulti = Requirement{Name: "kprobe_multi", Check: once(&kprobeMultiOnce, func() error {
		return feature("kprobe_multi link", features.HaveBPFLinkKprobeMulti())
	})}

	// Uprobes: uprobes can be created (CONFIG_UPROBE_EVENTS, the uprobe PMU).
	Uprobes = Requirement{Name: "uprobes", OnCIHost: true, Check: once(&uprobesOnce, checkUprobes)}
	// Tracepoints: tracefs is mounted and tracepoint programs load.
	Tracepoints = Requirement{Name: "tracepoints", OnCIHost: true, Check: once(&tracepointsOnce, checkTracepoints)}
	// UprobeWriteCtx: uprobe programs may write the task's registers (their
	// context), as Override on uprobes does: not in 6.18 (the CI host),
	// present in 7.x. Pair it with KernelAtLeast(6, 19).
	UprobeWriteCtx = Requirement{Name: "uprobe programs writing registers", Check: once(&uprobeWriteCtxOnce, checkUprobeWriteCtx)}
	// RingBuf: BPF ring buffer maps (5.8+).
	RingBuf = Requirement{Name: "ringbuf maps", OnCIHost: true, Check: once(&ringBufOnce, func() error {
		return feature("ringbuf map", features.HaveMapType(ebpf.RingBuf))
	})}
)

var kprobesOnce, kretprobesOnce, fentryOnce, fmodRetOnce, lsmOnce, kprobeMultiOnce,
	uprobesOnce, tracepointsOnce, ringBufOnce, uprobeWriteCtxOnce, imaFileHashOnce onceResult

// once wraps a probe so it needs root and runs once per test binary.
func once(o *onceResult, probe func() error) func() error {
	return func() error {
		return o.do(func() error {
			if err := checkRoot(); err != nil {
				return fmt.Errorf("probing needs root: %w", err)
			}
			return probe()
		})
	}
}

// feature turns a cilium/ebpf feature probe result into a reason.
func feature(what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ebpf.ErrNotSupported):
		release, _, _, _ := kernelVersion()
		return fmt.Errorf("kernel %s does not support %s", release, what)
	default:
		return fmt.Errorf("probe %s: %w", what, err)
	}
}

const pmuDir = "/sys/bus/event_source/devices"

func checkKprobes() error {
	if _, err := os.Stat(pmuDir + "/kprobe/type"); err != nil {
		return lacks("CONFIG_KPROBES", "no kprobe PMU in "+pmuDir)
	}
	return nil
}

func checkKretprobes() error {
	if err := checkKprobes(); err != nil {
		return err
	}
	if _, err := os.Stat(pmuDir + "/kprobe/format/retprobe"); err != nil {
		return lacks("CONFIG_KRETPROBES", "the kprobe PMU has no retprobe format")
	}
	return nil
}

func checkUprobes() error {
	if _, err := os.Stat(pmuDir + "/uprobe/type"); err != nil {
		return lacks("CONFIG_UPROBE_EVENTS", "no uprobe PMU in "+pmuDir)
	}
	return nil
}

func checkTracepoints() error {
	if err := mountTracefs(); err != nil {
		return err
	}
	if _, err := os.Stat("/sys/kernel/tracing/events"); err != nil {
		return lacks("CONFIG_EVENT_TRACING", "no /sys/kernel/tracing/events")
	}
	return feature("tracepoint programs", features.HaveProgramType(ebpf.TracePoint))
}

// returnZero is the body of every probe program: it changes nothing.
var returnZero = asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}

// probeTracing loads and attaches a do-nothing tracing program of the given
// attach type to fn. Only attaching answers the question: some kernels load
// fentry programs and then refuse to attach them.
func probeTracing(at ebpf.AttachType, fn string) error {
	if err := checkKernelBTF(); err != nil {
		return fmt.Errorf("no kernel BTF: %w", err)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.Tracing, AttachType: at, AttachTo: fn,
		Instructions: returnZero, License: "GPL",
	})
	if err != nil {
		return loadError(fmt.Sprintf("a %s program on %s", at, fn), err)
	}
	defer prog.Close()
	l, err := link.AttachTracing(link.TracingOptions{Program: prog, AttachType: at})
	if err != nil {
		return fmt.Errorf("attach %s program to %s: %w", at, fn, err)
	}
	return l.Close()
}

// loadError explains a probe program the kernel would not load. EPERM for
// root means the kernel (or a policy on it) refuses the program type; the
// memlock hint cilium/ebpf adds does not apply to kernels that account BPF
// memory to cgroups (5.11+).
func loadError(what string, err error) error {
	if errors.Is(err, unix.EPERM) {
		release, _, _, _ := kernelVersion()
		return fmt.Errorf("kernel %s refuses to load %s (EPERM as root)", release, what)
	}
	return fmt.Errorf("load %s: %w", what, err)
}

func checkLSM() error {
	if err := mountSecurityfs(); err != nil {
		return err
	}
	raw, err := os.ReadFile("/sys/kernel/security/lsm")
	if err != nil {
		return fmt.Errorf("read active LSMs: %w", err)
	}
	active := strings.TrimSpace(string(raw))
	if !slices.Contains(strings.Split(active, ","), "bpf") {
		if v, known := configValue("CONFIG_BPF_LSM"); known && v != "y" {
			return lacks("CONFIG_BPF_LSM", "")
		}
		return fmt.Errorf("bpf is not an active LSM (%s); boot with lsm=...,bpf", active)
	}
	if err := checkKernelBTF(); err != nil {
		return fmt.Errorf("no kernel BTF: %w", err)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.LSM, AttachType: ebpf.AttachLSMMac, AttachTo: "file_open",
		Instructions: returnZero, License: "GPL",
	})
	if err != nil {
		return loadError("an LSM program on file_open", err)
	}
	defer prog.Close()
	l, err := link.AttachLSM(link.LSMOptions{Program: prog})
	if err != nil {
		return fmt.Errorf("attach LSM program to file_open: %w", err)
	}
	return l.Close()
}

// checkUprobeWriteCtx loads a kprobe-type program that writes a register
// of its context back: the verifier refuses it before the kernel let
// uprobe programs change registers.
func checkUprobeWriteCtx() error {
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.Kprobe, License: "GPL", Instructions: asm.Instructions{
		asm.LoadMem(asm.R2, asm.R1, 0, asm.DWord),
		asm.StoreMem(asm.R1, 0, asm.R2, asm.DWord),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	}})
	if err != nil {
		return fmt.Errorf("a kprobe program writing its context: %w", err)
	}
	return prog.Close()
}
