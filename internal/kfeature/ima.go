// Package kfeature holds kernel feature probes that both the loader and the
// tests need: a probe written once, so that what polrun refuses and what
// the tests skip cannot disagree. Probes need root.
package kfeature

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"golang.org/x/sys/unix"
)

// ImaFileHash loads the smallest program an imaHash hook needs: a sleepable
// BPF LSM program on bprm_check_security that hashes the binary's file with
// bpf_ima_file_hash. Sleepable LSM programs came in 5.11 (5.10's verifier
// answers "is not sleepable") and bpf_ima_file_hash in 5.18; BPF LSM itself
// is the caller's to probe (it needs lsm=bpf). The error wraps
// ebpf.ErrNotSupported when the verifier refuses the program.
func ImaFileHash() error {
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		return fmt.Errorf("kernel BTF: %w", err)
	}
	var binprm *btf.Struct
	if err := spec.TypeByName("linux_binprm", &binprm); err != nil {
		return fmt.Errorf("struct linux_binprm: %w", err)
	}
	off := -1
	for _, m := range binprm.Members {
		if m.Name == "file" {
			off = int(m.Offset.Bytes())
		}
	}
	if off < 0 {
		return fmt.Errorf("struct linux_binprm has no member file: %w", ebpf.ErrNotSupported)
	}
	const digest = 64
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.LSM, AttachType: ebpf.AttachLSMMac, AttachTo: "bprm_check_security",
		Flags: unix.BPF_F_SLEEPABLE, License: "GPL",
		Instructions: asm.Instructions{
			asm.LoadMem(asm.R1, asm.R1, 0, asm.DWord),          // bprm
			asm.LoadMem(asm.R1, asm.R1, int16(off), asm.DWord), // bprm->file
			asm.JEq.Imm(asm.R1, 0, "out"),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, -digest),
			asm.Mov.Imm(asm.R3, digest),
			asm.FnImaFileHash.Call(),
			asm.Mov.Imm(asm.R0, 0).WithSymbol("out"),
			asm.Return(),
		},
	})
	if err != nil {
		var verr *ebpf.VerifierError
		if errors.As(err, &verr) {
			return fmt.Errorf("the verifier refuses a sleepable LSM program on bprm_check_security calling bpf_ima_file_hash "+
				"(sleepable LSM programs need 5.11, bpf_ima_file_hash 5.18): %s: %w", lastLine(verr.Log), ebpf.ErrNotSupported)
		}
		return fmt.Errorf("load a sleepable LSM program calling bpf_ima_file_hash: %w", err)
	}
	return prog.Close()
}

// lastLine is the verifier's reason: the last line of its log that is not
// one of the statistics lines the log ends with.
func lastLine(log []string) string {
	for i := len(log) - 1; i >= 0; i-- {
		l := strings.TrimSpace(log[i])
		if l != "" && !strings.HasPrefix(l, "processed ") && !strings.HasPrefix(l, "verification time") && !strings.HasPrefix(l, "stack depth") {
			return l
		}
	}
	return "no log"
}
