package fetch

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// The fd map (ir.MapFD) of a bundle holds the paths FollowFD recorded:
//
//	key   struct { u32 tgid; u32 fd; }
//	value the path as an EncBytes argument: a bpf.BytesHeader, then
//	      kern.PathMax bytes
//
// FollowFD and CopyFD write entries, UnfollowFD deletes them, and fd
// arguments are read from them: an fd without an entry is encoded with
// bpf.BytesUnknownFD. Entries are allocated when written.
const FDMap = "polc_fd"

// readFd reads an fd argument (its number in fd): the path recorded for
// (current tgid, fd).
func (p *Gen) readFd(s *prog.Slot, fd asm.Register) {
	name := p.Map(ir.MapFD)
	unknown, done := p.B.Fresh("fd_unknown"), p.B.Fresh("fd_done")
	p.Emit(
		asm.StoreMem(asm.RFP, prog.StFdKey+4, fd, asm.Word),
		asm.LoadMem(asm.R1, asm.RFP, prog.StPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(asm.RFP, prog.StFdKey, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StFdKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, unknown),
		asm.Mov.Reg(asm.R3, asm.R0),
		asm.Mov.Reg(asm.R1, prog.RRec),
		asm.Add.Imm(asm.R1, int32(s.Off)),
		asm.Mov.Imm(asm.R2, int32(min(prog.FDValueSize, s.Size))),
		asm.FnProbeReadKernel.Call(),
		asm.Ja.Label(done),
	)
	p.B.Label(unknown)
	p.Emit(
		emit.StoreImm(prog.RRec, int16(s.Off), 0, asm.Word),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesFlagsOff), bpf.BytesUnknownFD, asm.Word),
		emit.StoreImm(prog.RRec, int16(s.Off+bpf.BytesTotalOff), 0, asm.DWord),
	)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}
