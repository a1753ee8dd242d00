package codegen

import (
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"
)

// overrideReturnCheck says whether kprobe programs may call
// bpf_override_return here (CONFIG_BPF_KPROBE_OVERRIDE).
func overrideReturnCheck() error {
	return features.HaveProgramHelper(ebpf.Kprobe, asm.FnOverrideReturn)
}
