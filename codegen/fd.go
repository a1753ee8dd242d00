package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
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
const (
	fdMap       = "polc_fd"
	fdValueSize = bpf.BytesHeaderSize + kern.PathMax
	stFdKey     = -240
)

// readFd reads an fd argument (its number in fd): the path recorded for
// (current tgid, fd).
func (p *progGen) readFd(s *slot, fd asm.Register) {
	name := p.g.stateMap(ir.MapFD)
	unknown, done := p.b.Fresh("fd_unknown"), p.b.Fresh("fd_done")
	p.emit(
		asm.StoreMem(asm.RFP, stFdKey+4, fd, asm.Word),
		asm.LoadMem(asm.R1, asm.RFP, stPidTgid, asm.DWord),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(asm.RFP, stFdKey, asm.R1, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, stFdKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, unknown),
		asm.Mov.Reg(asm.R3, asm.R0),
		asm.Mov.Reg(asm.R1, rRec),
		asm.Add.Imm(asm.R1, int32(s.off)),
		asm.Mov.Imm(asm.R2, int32(min(fdValueSize, s.size))),
		asm.FnProbeReadKernel.Call(),
		asm.Ja.Label(done),
	)
	p.b.Label(unknown)
	p.emit(
		emit.StoreImm(rRec, int16(s.off), 0, asm.Word),
		emit.StoreImm(rRec, int16(s.off+bpf.BytesFlagsOff), bpf.BytesUnknownFD, asm.Word),
		emit.StoreImm(rRec, int16(s.off+bpf.BytesTotalOff), 0, asm.DWord),
	)
	p.b.Label(done)
	p.emit(asm.Mov.Imm(asm.R0, 0))
}
