package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// The fd actions keep the fd map (codegen/fetch/fd.go) of the current process:
//
//   - FollowFD records the name argument (argName: a path or string, as
//     its slot of the record holds it) under the fd argument (argFd);
//   - UnfollowFD deletes the fd's entry;
//   - CopyFD records the entry of argFd under the fd number argName
//     (dup2, dup3): from the fd argument's slot when it is of type fd
//     (which holds the entry read at entry), else from the map.
//
// An fd number is the record's value of an integer argument, or, for an
// argument of type fd (whose slot holds its path), the raw argument.

// fdActionKey emits prog.StFdKey = {current tgid, fd of the argument at slot}.
// It reports and returns false when the argument cannot give an fd.
func (p *Gen) fdActionKey(a *ir.Action, slotIdx int, what string) bool {
	s := p.Lay.SlotOf(slotIdx)
	if s == nil {
		p.Errorf(a.Pos, "%s of %s refers to no argument read by %s", what, a.Kind, p.Hook.Call)
		return false
	}
	switch {
	case s.Enc == bpf.EncInt:
		p.Emit(asm.LoadMem(asm.R1, prog.RRec, int16(s.Off), asm.DWord))
	case s.Arg.Type == ir.TypeFd && !p.Ret:
		if !p.Reads.LoadArg(asm.R1, s.Arg) {
			return false
		}
	case s.Arg.Type == ir.TypeFd:
		p.Errorf(a.Pos, "%s in matchReturnActions with an argument of type fd is not supported: declare the argument as int", a.Kind)
		return false
	default:
		p.Errorf(a.Pos, "%s of %s is a %s argument, not a file descriptor", what, a.Kind, s.Arg.Type)
		return false
	}
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StFdKey+4, asm.R1, asm.Word),
		asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(asm.RFP, prog.StFdKey, asm.R1, asm.Word),
	)
	return true
}

// fdValueSlot returns the slot of a name argument whose record bytes are
// an fd map value as they are: an EncBytes path or string of at most
// kern.PathMax bytes.
func (p *Gen) fdValueSlot(a *ir.Action) *prog.Slot {
	s := p.Lay.SlotOf(a.NameSlot)
	switch {
	case s == nil:
		p.Errorf(a.Pos, "argName of %s refers to no argument read by %s", a.Kind, p.Hook.Call)
		return nil
	case s.Enc != bpf.EncBytes || s.Size < prog.FDValueSize || s.BigBytes > 0 || !pathLike[s.Arg.Type]:
		p.Errorf(a.Pos, "argName of %s is a %s argument; FollowFD records a path or string (file, path, dentry, string, filename)", a.Kind, s.Arg.Type)
		return nil
	}
	return s
}

// followFD emits FollowFD: fd map[tgid, argFd] = the argName slot.
func (p *Gen) followFD(a *ir.Action) {
	name := p.fdValueSlot(a)
	if name == nil || !p.fdActionKey(a, a.FdSlot, "argFd") {
		return
	}
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapFD)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StFdKey),
		asm.Mov.Reg(asm.R3, prog.RRec),
		asm.Add.Imm(asm.R3, int32(name.Off)),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
}

// unfollowFD emits UnfollowFD: delete fd map[tgid, argFd].
func (p *Gen) unfollowFD(a *ir.Action) {
	if !p.fdActionKey(a, a.FdSlot, "argFd") {
		return
	}
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapFD)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StFdKey),
		asm.FnMapDeleteElem.Call(),
	)
}

// copyFD emits CopyFD: fd map[tgid, argName] = the entry of argFd, when
// there is one.
func (p *Gen) copyFD(a *ir.Action) {
	old := p.Lay.SlotOf(a.FdSlot)
	if old == nil {
		p.Errorf(a.Pos, "argFd of CopyFD refers to no argument read by %s", p.Hook.Call)
		return
	}
	name := p.Map(ir.MapFD)
	done := p.B.Fresh("copyfd_done")
	if old.Arg.Type == ir.TypeFd {
		// Its slot holds the entry, or says there is none.
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, int16(old.Off+bpf.BytesFlagsOff), asm.Word),
			asm.And.Imm(asm.R1, bpf.BytesUnknownFD),
			asm.JNE.Imm(asm.R1, 0, done),
			asm.Mov.Reg(asm.R7, prog.RRec),
			asm.Add.Imm(asm.R7, int32(old.Off)),
		)
	} else {
		if !p.fdActionKey(a, a.FdSlot, "argFd") {
			return
		}
		p.Emit(
			asm.LoadMapPtr(asm.R1, 0).WithReference(name),
			asm.Mov.Reg(asm.R2, asm.RFP),
			asm.Add.Imm(asm.R2, prog.StFdKey),
			asm.FnMapLookupElem.Call(),
			asm.JEq.Imm(asm.R0, 0, done),
			asm.Mov.Reg(asm.R7, asm.R0),
		)
	}
	// R7: the entry to copy; the key of the new fd.
	if !p.fdActionKey(a, a.NameSlot, "argName") {
		return
	}
	p.Emit(
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StFdKey),
		asm.Mov.Reg(asm.R3, asm.R7),
		asm.Mov.Imm(asm.R4, 0), // BPF_ANY
		asm.FnMapUpdateElem.Call(),
	)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// pathLike are the types FollowFD can record as an fd's name.
var pathLike = map[ir.ArgType]bool{
	ir.TypeFile: true, ir.TypePath: true, ir.TypeDentry: true, ir.TypeString: true, ir.TypeFilename: true,
	ir.TypeFd: true, ir.TypeLinuxBinprm: true, ir.TypeKiocb: true,
}
