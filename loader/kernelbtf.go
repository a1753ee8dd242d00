package loader

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/rlimit"

	"github.com/polc-dev/polc/bpf"
)

// sysfsBTF is where kernels with CONFIG_DEBUG_INFO_BTF publish their BTF.
const sysfsBTF = "/sys/kernel/btf/vmlinux"

// kernelBTF is the description of the running kernel's types that loads
// use: /sys/kernel/btf/vmlinux, or a file given with Options.KernelBTF
// (polrun --btf) for kernels without it, or a vmlinux with a .BTF section
// found where distributions install one (/boot/vmlinux-RELEASE,
// /lib/modules/RELEASE/vmlinux-RELEASE, /usr/lib/debug/boot/vmlinux-RELEASE
// and others: cilium/ebpf's btf.LoadKernelSpec searches them). It is
// process-wide, like the kernel it describes.
var kernelBTF struct {
	mu   sync.Mutex
	file string    // the file given, "" for the kernel's own
	spec *btf.Spec // loaded from file; nil: btf.LoadKernelSpec
}

// UseKernelBTF makes loads read the kernel's types from file (raw BTF, as
// bpftool btf dump or pahole --btf_encode_detached write it, or an ELF
// vmlinux with a .BTF section) instead of /sys/kernel/btf/vmlinux, as
// Tetragon's --btf does. "" goes back to the kernel's own.
func UseKernelBTF(file string) error {
	kernelBTF.mu.Lock()
	defer kernelBTF.mu.Unlock()
	if file == kernelBTF.file {
		return nil
	}
	var spec *btf.Spec
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("kernel BTF: %w", err)
		}
		defer f.Close()
		spec, err = btf.LoadSpecFromReader(f)
		if err != nil {
			return fmt.Errorf("kernel BTF: %s: %w (give raw BTF or a vmlinux with a .BTF section)", file, err)
		}
		var fn *btf.Func
		if err := spec.TypeByName("do_sys_openat2", &fn); err != nil {
			if err := spec.TypeByName("do_sys_open", &fn); err != nil {
				return fmt.Errorf("kernel BTF: %s has no kernel functions (do_sys_openat2, do_sys_open): not a vmlinux's BTF", file)
			}
		}
	}
	kernelBTF.file, kernelBTF.spec = file, spec
	// The BTF feature's answer depends on the file.
	probeCache.Delete(bpf.FeatureBTF)
	return nil
}

// kernelSpec returns the kernel's types: the file of UseKernelBTF, else
// btf.LoadKernelSpec (sysfs, then the usual vmlinux places).
func kernelSpec() (*btf.Spec, error) {
	kernelBTF.mu.Lock()
	spec := kernelBTF.spec
	kernelBTF.mu.Unlock()
	if spec != nil {
		return spec, nil
	}
	return btf.LoadKernelSpec()
}

// kernelTypes is what programs are relocated against (CO-RE): nil, cilium's
// default, unless a file was given.
func kernelTypes() *btf.Spec {
	kernelBTF.mu.Lock()
	defer kernelBTF.mu.Unlock()
	return kernelBTF.spec
}

// probeBTF: the kernel's types are known, from sysfs, a given file or a
// vmlinux found in the usual places; the reason says which was missing.
func probeBTF() error {
	kernelBTF.mu.Lock()
	file := kernelBTF.file
	kernelBTF.mu.Unlock()
	if file != "" {
		return nil
	}
	_, statErr := os.Stat(sysfsBTF)
	if _, err := btf.LoadKernelSpec(); err != nil {
		if statErr != nil {
			return fmt.Errorf("no %s (CONFIG_DEBUG_INFO_BTF) and no vmlinux with BTF in /boot, /lib/modules or /usr/lib/debug; give one with --btf FILE: %w", sysfsBTF, ebpf.ErrNotSupported)
		}
		return fmt.Errorf("read kernel BTF: %w", err)
	}
	return nil
}

// inKernelBTF: the kernel itself has BTF, which fentry, fmod_ret and LSM
// programs need to attach (a --btf file serves relocations only).
func inKernelBTF() error {
	if _, err := os.Stat(sysfsBTF); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no %s: the kernel has no BTF of its own (CONFIG_DEBUG_INFO_BTF), which attaching it needs: %w", sysfsBTF, ebpf.ErrNotSupported)
		}
		return err
	}
	return nil
}

// liftMemlock removes RLIMIT_MEMLOCK for this process once: kernels before
// 5.11 charge BPF maps and programs to it, and its usual 8 MiB (or 64 KiB)
// would refuse all but the smallest policies. On newer kernels, which
// charge the memory cgroup instead, cilium/ebpf leaves the limit alone.
var liftMemlock = sync.OnceValue(func() error {
	if err := rlimit.RemoveMemlock(); err != nil {
		return fmt.Errorf("lift RLIMIT_MEMLOCK (kernels before 5.11 charge BPF memory to it): %w", err)
	}
	return nil
})
