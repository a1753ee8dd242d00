package fetch

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// CtxPrologue saves what argument reads need from the context: for
// syscall kprobes, the user pt_regs the syscall wrapper received.
func (p *Gen) CtxPrologue() {
	h := p.Hook
	if h.Kind == ir.HookUSDT {
		p.usdtPrologue()
	}
	if h.Kind == ir.HookKprobe && h.Syscall && !p.Ret {
		// The wrapper's one argument: in a register, or the first u64
		// of an fentry program's context.
		off := int16(p.g.cc.FuncArgs[0].Offset)
		if h.Fentry {
			off = 0
		}
		p.Emit(
			asm.LoadMem(asm.R1, prog.RCtx, off, asm.DWord),
			asm.StoreMem(asm.RFP, prog.StRegs, asm.R1, asm.DWord),
		)
	}
}

// LoadArg emits dst = the raw value of argument a: a function or syscall
// argument as a full register, or a tracepoint field extended to 64 bits
// by its own type. It reports and returns false when the argument cannot
// be located.
func (p *Gen) LoadArg(dst asm.Register, a *ir.Arg) bool {
	h := p.Hook
	if len(a.Resolve) > 0 || a.BTFType != "" {
		return p.loadResolved(dst, a) // resolve.go
	}
	if a.Data() {
		return p.loadSource(dst, a) // data.go
	}
	switch h.Kind {
	case ir.HookKprobe, ir.HookUprobe:
		if p.FmodRet() || (h.Fentry && !h.Syscall) {
			// fmod_ret and fentry: the BTF context, an array of u64
			// arguments (the verifier checks the index against the
			// function's).
			if a.Index < 0 || a.Index > 11 {
				p.Errorf(a.Pos, "argument index %d of %s is out of range", a.Index, h.Call)
				return false
			}
			p.Emit(asm.LoadMem(dst, prog.RCtx, int16(8*a.Index), asm.DWord))
			return true
		}
		if a.Index < 0 || a.Index >= len(p.g.cc.FuncArgs) {
			p.Errorf(a.Pos, "argument index %d of %s: only the first %d arguments, passed in registers, can be read", a.Index, h.Call, len(p.g.cc.FuncArgs))
			return false
		}
		if h.Kind == ir.HookKprobe && h.Syscall {
			// The ABI the syscall's entry point serves (i386 for
			// __ia32_sys_*) says where the arguments are.
			abi := p.g.arch.NativeABI()
			if h.ABI != "" {
				b, err := arch.ParseABI(h.ABI)
				if err != nil {
					p.Errorf(h.Pos, "%v", err)
					return false
				}
				abi = b
			}
			regs, err := abi.SyscallArgs()
			if err != nil {
				p.Errorf(a.Pos, "%v", err)
				return false
			}
			p.Emit(asm.LoadMem(asm.R4, asm.RFP, prog.StRegs, asm.DWord))
			p.Emit(
				asm.Mov.Reg(asm.R3, asm.R4),
				asm.Add.Imm(asm.R3, int32(regs[a.Index].Offset)),
				asm.Mov.Reg(asm.R1, asm.RFP),
				asm.Add.Imm(asm.R1, prog.StTmp),
				asm.Mov.Imm(asm.R2, 8),
				asm.FnProbeReadKernel.Call(),
				asm.LoadMem(dst, asm.RFP, prog.StTmp, asm.DWord),
			)
			return true
		}
		p.Emit(asm.LoadMem(dst, prog.RCtx, int16(p.g.cc.FuncArgs[a.Index].Offset), asm.DWord))
		return true
	case ir.HookRawTracepoint, ir.HookLSM:
		if a.Index < 0 || a.Index > 11 {
			p.Errorf(a.Pos, "argument index %d of %s is out of range", a.Index, h.Call)
			return false
		}
		p.Emit(asm.LoadMem(dst, prog.RCtx, int16(8*a.Index), asm.DWord))
		return true
	case ir.HookUSDT:
		if !p.USDTArg(a) {
			return false
		}
		p.loadUSDTArg(dst, a.Index)
		return true
	case ir.HookTracepoint:
		f, fld, ok := p.g.tpField(h, a)
		if !ok {
			return false
		}
		return p.loadTpField(dst, a, f, fld)
	}
	p.Errorf(a.Pos, "arguments of %s hooks cannot be read yet", h.Kind)
	return false
}

// LoadRet emits dst = the return value, in a return program.
// An fexit program asks bpf_get_func_ret (5.17), which knows where the
// value follows the arguments; that clobbers R0-R5.
func (p *Gen) LoadRet(dst asm.Register) {
	if p.Hook.Fentry {
		p.Emit(
			asm.Mov.Reg(asm.R1, prog.RCtx),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, prog.StTmp),
			emit.StoreImm(asm.RFP, prog.StTmp, 0, asm.DWord),
			asm.FnGetFuncRet.Call(),
			asm.LoadMem(dst, asm.RFP, prog.StTmp, asm.DWord),
		)
		return
	}
	p.Emit(asm.LoadMem(dst, prog.RCtx, int16(p.g.cc.Return.Offset), asm.DWord))
}

// syscallCompat emits r |= arch.Syscall64Compat when the current task
// is in a compat (32-bit) syscall. r must be R7 or R8 (kept across the
// helper call).
func (p *Gen) syscallCompat(r asm.Register) {
	p.CurrentTask(asm.R5)
	switch p.g.arch {
	case "x86_64":
		// thread_info.status & TS_COMPAT (0x2)
		kern.ReadKernel(&p.B, asm.R0, asm.R5, kern.Task, "thread_info.status", asm.Word, prog.StTmp)
		p.Emit(asm.And.Imm(asm.R0, 2))
	default:
		// arm64: thread_info.flags & (1 << TIF_32BIT), TIF_32BIT = 22
		kern.ReadKernel(&p.B, asm.R0, asm.R5, kern.Task, "thread_info.flags", asm.DWord, prog.StTmp)
		p.Emit(asm.RSh.Imm(asm.R0, 22), asm.And.Imm(asm.R0, 1))
	}
	skip := p.B.Fresh("native_abi")
	p.Emit(
		asm.JEq.Imm(asm.R0, 0, skip),
		asm.LoadImm(asm.R0, 1<<31, asm.DWord),
		asm.Or.Reg(r, asm.R0),
	)
	p.B.Label(skip)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}
