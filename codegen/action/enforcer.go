package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Enforcers (spec.enforcers) act on what a NotifyEnforcer action asked
// for: the action records, for the current thread, an error and a signal
// in the enforcer map (ir.MapEnforcer):
//
//	key   u64 pid_tgid
//	value struct { s32 error; u32 signal; }
//
// and a program on each enforcer call takes the thread's entry (deleting
// it), sends the signal when there is one, and makes the call return the
// error when there is one: with bpf_override_return on a kprobe (needs
// CONFIG_BPF_KPROBE_OVERRIDE, which the Debian kernels lack: the loader
// refuses it there with a hint), or as the return value of an fmod_ret
// program on a security_* function. When no NotifyEnforcer of the policy
// has an error, the programs are plain kprobes that only signal, which
// every kernel with kprobes runs. CleanupEnforcerNotification deletes the
// thread's entry. Enforcer programs post no events; the manifest lists
// each as a hook with Enforcer set, after the policy's hooks.
const EnforcerMap = "polc_enforcer"

// notifyEnforcer emits NotifyEnforcer: the enforcer map entry of the
// current thread.
func (p *Gen) notifyEnforcer(a *ir.Action) {
	if len(p.Policy.Enforcers) == 0 {
		p.Errorf(a.Pos, "NotifyEnforcer needs an enforcer in spec.enforcers")
		return
	}
	p.Emit(
		asm.Mov.Imm(asm.R1, a.Error),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R1, asm.Word),
		asm.Mov.Imm(asm.R1, int32(a.Signal)),
		asm.StoreMem(asm.RFP, prog.StVal+4, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapEnforcer)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.Mov.Reg(asm.R3, asm.RFP),
		asm.Add.Imm(asm.R3, prog.StVal),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
}

// cleanupEnforcer emits CleanupEnforcerNotification: no entry for the
// current thread.
func (p *Gen) cleanupEnforcer() {
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapEnforcer)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StPidTgid),
		asm.FnMapDeleteElem.Call(),
	)
}
