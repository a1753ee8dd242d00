package fetch

import (
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// A uprobe's argument with btfType and resolve points to user memory laid
// out as a type of the probed binary, which Tetragon reads from the uprobe's
// btfPath (a BTF file of the binary) when it loads the policy, on the host.
// polc does the same: the file need not be where polc builds. The program
// has one step per member of the path, each adding to the address an
// offset and then loading what is there (a pointer followed with
// bpf_probe_read_user, or the last member's value); both are load-time
// variables (bpf.UserResolveVar) that polrun sets from the file
// (target.UserResolve: the binary's layout is fixed, so they are
// constants, not CO-RE relocations, which only the kernel's types could
// satisfy). The compiler checks the path at validate when the file is
// there.

// planUserResolve plans argument a of uprobe h: its steps, one per member.
func (g *Plan) planUserResolve(h *ir.Hook, a *ir.Arg, fail func(string, ...any) bool) bool {
	if h.BTFPath == "" {
		return fail("a uprobe's types come from the binary's BTF: give the uprobe's btfPath")
	}
	if a.BTFType == "" {
		return fail("give btfType, the type in %s the argument points to", h.BTFPath)
	}
	if len(a.Resolve) == 0 {
		return fail("give resolve, the member path of %s to read", a.BTFType)
	}
	segs := make([]resolveSeg, len(a.Resolve))
	for i := range segs {
		segs[i] = resolveSeg{user: true, off: int32(i)}
	}
	if g.resolved == nil {
		g.resolved = map[*ir.Arg][]resolveSeg{}
	}
	g.resolved[a] = segs
	return true
}

// UserResolves lists, for the manifest, h's arguments read through the
// types of its btfPath, whose variables the loader sets.
func UserResolves(h *ir.Hook) []bpf.UserResolve {
	var out []bpf.UserResolve
	for _, a := range h.Args {
		if h.Kind != ir.HookUprobe || a.Data() || len(a.Resolve) == 0 {
			continue
		}
		out = append(out, bpf.UserResolve{Slot: a.Slot, Index: a.Index, BTFType: a.BTFType, Resolve: a.Resolve,
			Pos: bpf.Pos{File: a.Pos.File, Line: a.Pos.Line, Col: a.Pos.Col}})
	}
	return out
}

// userStep emits step seg of argument a's member path on the address in
// w: w += off; then, when load is 1 to 8, w = the load bytes of user
// memory at w (0 when they cannot be read). Both come from load-time
// variables; the bound on load keeps the read within the stack slot for
// the verifier whatever the variable holds.
func (p *Gen) userStep(w asm.Register, a *ir.Arg, seg int) {
	off := bpf.UserResolveVar(p.Hook.ID, a.Slot, seg, "off")
	load := bpf.UserResolveVar(p.Hook.ID, a.Slot, seg, "load")
	p.Var(off, 4)
	p.Var(load, 4)
	done := p.B.Fresh(fmt.Sprintf("uresolve%d_%d", a.Slot, seg))
	p.Emit(
		asm.LoadMapValue(asm.R1, 0, 0).WithReference(off),
		asm.LoadMem(asm.R1, asm.R1, 0, asm.Word),
		asm.Add.Reg(w, asm.R1),
		asm.LoadMapValue(asm.R2, 0, 0).WithReference(load),
		asm.LoadMem(asm.R2, asm.R2, 0, asm.Word),
		asm.JEq.Imm(asm.R2, 0, done),
		asm.JGT.Imm(asm.R2, 8, done),
		emit.StoreImm(asm.RFP, prog.StTmp, 0, asm.DWord),
		asm.Mov.Reg(asm.R3, w),
		asm.Mov.Reg(asm.R1, asm.RFP),
		asm.Add.Imm(asm.R1, prog.StTmp),
		asm.FnProbeReadUser.Call(),
		asm.LoadMem(w, asm.RFP, prog.StTmp, asm.DWord),
	)
	p.B.Label(done)
}
