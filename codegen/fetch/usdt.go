package fetch

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// USDT probes.
//
// Where a probe's arguments are is known only from the binary, which polc
// may never see: a probe's program reads them through the bpf.USDTSpec
// polrun stores for each place of the probe in bpf.USDTMap, keyed by the
// BPF cookie it attaches that place with (bpf/usdt.go). The program looks
// its spec up once, at entry, and keeps the pointer at prog.StUSDT; each
// argument is then a short interpreter of its USDTArg: a constant, a
// register of the saved struct pt_regs, or user memory at a register plus
// a displacement (plus an index register, scaled), cut to the argument's
// size and sign- or zero-extended.
//
// The Set action writes its value into an argument in memory with
// bpf_probe_write_user, as many bytes as the argument has; an argument in
// a register cannot be written (a uprobe's context is read-only), and, as
// in Tetragon, only 4-byte arguments may be: polc validate --sysroot and
// polrun check both against the binary before attaching (bpf.Hook.SetArgs),
// and the program checks the first again.

// usdtPrologue finds the spec of the place that fired; without one (a
// place polrun did not describe) the program does nothing.
func (p *Gen) usdtPrologue() {
	p.DeclareMap(&object.Map{Name: bpf.USDTMap, Type: ebpf.Hash, KeySize: 8,
		ValueSize: bpf.USDTSpecSize, MaxEntries: bpf.USDTMaxLocations})
	p.Emit(
		asm.Mov.Reg(asm.R1, prog.RCtx),
		asm.FnGetAttachCookie.Call(),
		asm.StoreMem(asm.RFP, prog.StUSDT, asm.R0, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.USDTMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StUSDT),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, prog.Exit.String()),
		asm.StoreMem(asm.RFP, prog.StUSDT, asm.R0, asm.DWord),
	)
}

// USDTArg checks a USDT argument index.
func (p *Gen) USDTArg(a *ir.Arg) bool {
	if a.Index < 0 || a.Index >= bpf.USDTMaxArgs {
		p.Errorf(a.Pos, "USDT argument index %d: probes have at most %d arguments", a.Index, bpf.USDTMaxArgs)
		return false
	}
	return true
}

// loadUSDTArg emits dst = USDT argument i, 0 when the probe has no such
// argument or reading it fails. R1-R5 are clobbered, and R7 when dst is
// not R7 or R8.
func (p *Gen) loadUSDTArg(dst asm.Register, i int) {
	w := dst
	if w != asm.R7 && w != asm.R8 {
		w = asm.R7
	}
	base := int16(i * bpf.USDTArgSize)
	l := func(s string) string { return p.B.Fresh(fmt.Sprintf("usdt%d_%s", i, s)) }
	constant, size, zero, done := l("const"), l("size"), l("zero"), l("done")
	p.Emit(
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R1, asm.R5, base, asm.Byte),
		asm.JEq.Imm(asm.R1, bpf.USDTArgNone, zero),
		asm.JEq.Imm(asm.R1, bpf.USDTArgConst, constant),
	)
	// The register's value, or the address in memory.
	p.usdtRegister(w, base+4, zero)
	p.Emit(
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R1, asm.R5, base, asm.Byte),
		asm.JEq.Imm(asm.R1, bpf.USDTArgReg, size),
	)
	p.usdtAddress(w, base, zero)
	p.Emit(
		asm.Mov.Reg(asm.R3, w),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, prog.StTmp),
		asm.Mov.Imm(asm.R2, 8),
		asm.FnProbeReadUser.Call(),
		asm.JNE.Imm(asm.R0, 0, zero),
		asm.LoadMem(w, asm.RFP, prog.StTmp, asm.DWord),
		asm.Ja.Label(size),
	)
	p.B.Label(constant)
	p.Emit(asm.LoadMem(w, asm.R5, base+8, asm.DWord))
	p.B.Label(size)
	// Cut to the argument's size, extended by its sign.
	unsigned := l("unsigned")
	p.Emit(
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R1, asm.R5, base+2, asm.Byte),
		asm.And.Imm(asm.R1, 63),
		asm.LSh.Reg(w, asm.R1),
		asm.LoadMem(asm.R2, asm.R5, base+1, asm.Byte),
		asm.JEq.Imm(asm.R2, 0, unsigned),
		asm.ArSh.Reg(w, asm.R1),
		asm.Ja.Label(done),
	)
	p.B.Label(unsigned)
	p.Emit(asm.RSh.Reg(w, asm.R1), asm.Ja.Label(done))
	p.B.Label(zero)
	p.Emit(asm.Mov.Imm(w, 0))
	p.B.Label(done)
	if w != dst {
		p.Emit(asm.Mov.Reg(dst, w))
	}
}

// usdtRegister emits w = the register whose struct pt_regs offset is the
// u16 at off in the spec, jumping to fail when it cannot be read.
func (p *Gen) usdtRegister(w asm.Register, off int16, fail string) {
	p.Emit(
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R3, asm.R5, off, asm.Half),
		// Within any arch's struct pt_regs (bounds the context read).
		asm.JGT.Imm(asm.R3, 512-8, fail),
		asm.Add.Reg(asm.R3, prog.RCtx),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, prog.StTmp),
		asm.Mov.Imm(asm.R2, 8),
		asm.FnProbeReadKernel.Call(),
		asm.JNE.Imm(asm.R0, 0, fail),
		asm.LoadMem(w, asm.RFP, prog.StTmp, asm.DWord),
	)
}

// usdtAddress turns w, the base register's value of the memory argument
// at base in the spec, into the argument's address: plus the
// displacement, plus the index register shifted by the scale.
func (p *Gen) usdtAddress(w asm.Register, base int16, fail string) {
	noIndex := p.B.Fresh("usdt_noindex")
	p.Emit(
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R1, asm.R5, base+8, asm.DWord),
		asm.Add.Reg(w, asm.R1),
		asm.LoadMem(asm.R1, asm.R5, base, asm.Byte),
		asm.JNE.Imm(asm.R1, bpf.USDTArgSIB, noIndex),
	)
	// The index: w is kept on the stack across the read.
	p.Emit(asm.StoreMem(asm.RFP, prog.StVal2, w, asm.DWord))
	p.usdtRegister(asm.R4, base+6, fail)
	p.Emit(
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R1, asm.R5, base+3, asm.Byte),
		asm.And.Imm(asm.R1, 3),
		asm.LSh.Reg(asm.R4, asm.R1),
		asm.LoadMem(w, asm.RFP, prog.StVal2, asm.DWord),
		asm.Add.Reg(w, asm.R4),
	)
	p.B.Label(noIndex)
}

// USDTSetArgs are the USDT argument indexes h's Set actions write.
func USDTSetArgs(h *ir.Hook) []int {
	var out []int
	seen := map[int]bool{}
	for _, s := range h.Selectors {
		for _, a := range s.Actions {
			if a.Kind == ir.ActSet && a.SetIndex >= 0 && a.SetIndex < len(h.Args) && !seen[h.Args[a.SetIndex].Index] {
				seen[h.Args[a.SetIndex].Index] = true
				out = append(out, h.Args[a.SetIndex].Index)
			}
		}
	}
	return out
}

// USDTAddress jumps to skip unless USDT argument a is in memory, and
// else leaves its address in dst: where a Set action writes
// (codegen/action).
func (p *Gen) USDTAddress(a *ir.Arg, dst asm.Register, skip string) {
	base := int16(a.Index * bpf.USDTArgSize)
	p.Emit(
		asm.LoadMem(asm.R5, asm.RFP, prog.StUSDT, asm.DWord),
		asm.LoadMem(asm.R1, asm.R5, base, asm.Byte),
		asm.JLT.Imm(asm.R1, bpf.USDTArgRegDeref, skip), // not in memory
	)
	p.usdtRegister(dst, base+4, skip)
	p.usdtAddress(dst, base, skip)
}
