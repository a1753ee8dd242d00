package codegen

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/features"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

var kallsyms struct {
	once sync.Once
	syms map[string]bool
}

// kernelHas reports whether the running kernel has function sym.
func kernelHas(sym string) bool {
	kallsyms.once.Do(func() {
		kallsyms.syms = make(map[string]bool)
		f, err := os.Open("/proc/kallsyms")
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 3 {
				kallsyms.syms[fields[2]] = true
			}
		}
	})
	return kallsyms.syms[sym]
}

// loadable decides whether the running kernel can load a program of a
// bundle: its hook exists here, and the kernel has the hook kind. The
// reason is empty when it can.
func loadable(t testing.TB, p bpf.Program, h bpf.Hook) string {
	switch p.Attach {
	case "kprobe", "kretprobe":
		if !kernelHas(h.Target) {
			return "kernel has no function " + h.Target
		}
		if p.Attach == "kprobe" && h.Override == bpf.OverrideReturn {
			if err := overrideReturnCheck(); err != nil {
				return "no bpf_override_return: " + err.Error()
			}
		}
	case "fmod_ret":
		if err := testenv.FmodRet.Check(); err != nil {
			return "no fmod_ret: " + err.Error()
		}
		if !kernelHas(p.Target) {
			return "kernel has no function " + p.Target
		}
	case "usdt":
		// Set writes with bpf_probe_write_user, which kernel lockdown
		// (the CI hosts') forbids.
		if len(h.SetArgs) > 0 {
			if err := features.HaveProgramHelper(ebpf.Kprobe, asm.FnProbeWriteUser); err != nil {
				return "no bpf_probe_write_user: " + err.Error()
			}
		}
	case "tracepoint":
		if _, err := os.Stat(filepath.Join("/sys/kernel/tracing/events", h.Target)); err != nil {
			return "kernel has no tracepoint " + h.Target
		}
	case "raw_tracepoint":
		if _, err := btf.LoadKernelSpec(); err == nil {
			spec, _ := btf.LoadKernelSpec()
			var fn *btf.Typedef
			if err := spec.TypeByName("btf_trace_"+p.Target, &fn); err != nil {
				return "kernel has no raw tracepoint " + p.Target
			}
		}
	case "lsm":
		if err := testenv.LSM.Check(); err != nil {
			return "no BPF LSM: " + err.Error()
		}
		spec, err := btf.LoadKernelSpec()
		if err != nil {
			return "no kernel BTF"
		}
		var fn *btf.Func
		if err := spec.TypeByName("bpf_lsm_"+p.Target, &fn); err != nil {
			return "kernel has no LSM hook " + p.Target
		}
		if strings.HasPrefix(p.Section, "lsm.s/") {
			if err := testenv.ImaFileHash.Check(); err != nil {
				return "no bpf_ima_file_hash: " + err.Error()
			}
		}
	}
	return ""
}

// loadableSpec reads b back and drops the programs the running kernel
// cannot have, logging why.
func loadableSpec(t testing.TB, b *Bundle) (*ebpf.CollectionSpec, int) {
	t.Helper()
	spec, err := ebpf.LoadCollectionSpecFromReader(strings.NewReader(string(b.Object)))
	if err != nil {
		t.Fatalf("read back %s: %v", b.FileName(), err)
	}
	kept := 0
	for _, h := range b.Manifest.Hooks {
		for _, p := range h.Programs {
			if why := loadable(t, p, h); why != "" {
				t.Logf("%s: not loaded: %s", p.Name, why)
				for _, n := range []string{p.Name, p.Fallback, p.NoCookie, p.NoCookieFallback} {
					delete(spec.Programs, n)
				}
				continue
			}
			kept++
			// The variants (without bpf_loop, without
			// bpf_get_attach_cookie) are verified too (loadSpecIn).
			for _, v := range []string{p.Fallback, p.NoCookie, p.NoCookieFallback} {
				if v != "" && spec.Programs[v] != nil {
					kept++
				}
			}
		}
	}
	return spec, kept
}
