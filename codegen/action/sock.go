package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Socket tracking (ir.MapSock): the sock map of a bundle maps the address
// of a struct sock to the thread that owns it:
//
//	key   u64 the struct sock pointer
//	value u64 pid_tgid of the owner (tgid in the high half)
//
// TrackSock (returnArgAction on a returned sock, or an action with
// argSock) writes the current thread; UntrackSock deletes. A hook of the
// policy with a sock argument reports the owner of its first one when the
// map knows it: the header's Tgid and Pid are replaced and FlagSockOwner
// is set, so that events of networking code running outside the owner's
// context (softirqs, other processes) name the process the socket belongs
// to. Process filters (matchPIDs, matchBinaries, ...) still look at the
// current task. The map is an LRU hash: sockets that are never untracked
// make room for new ones.
const SockMap = "polc_sock"

// tracksSockets says whether policy pol tracks sockets at all.
func tracksSockets(pol *ir.Policy) bool {
	for _, m := range pol.Maps {
		if m.Kind == ir.MapSock {
			return true
		}
	}
	for _, h := range pol.Hooks {
		if h.RetAction == ir.ActTrackSock || h.RetAction == ir.ActUntrackSock {
			return true
		}
		for _, s := range h.Selectors {
			for _, a := range s.Actions {
				if a.Kind == ir.ActTrackSock || a.Kind == ir.ActUntrackSock {
					return true
				}
			}
		}
	}
	return false
}

// sockAction emits TrackSock or UntrackSock on the argument argSock names.
func (p *Gen) sockAction(a *ir.Action) {
	s := p.Lay.SlotOf(a.SockSlot)
	switch {
	case s == nil:
		p.Errorf(a.Pos, "argSock of %s refers to no argument read by %s", a.Kind, p.Hook.Call)
		return
	case s.Arg.Type != ir.TypeSock:
		p.Errorf(a.Pos, "argSock of %s is a %s argument, not a sock", a.Kind, s.Arg.Type)
		return
	case p.Ret:
		p.Errorf(a.Pos, "%s in matchReturnActions is not supported: use it in matchActions, or returnArgAction for a returned sock", a.Kind)
		return
	}
	if !p.Reads.LoadArg(asm.R1, s.Arg) {
		return
	}
	p.trackSock(a.Kind, asm.R1)
}

// trackSock emits TrackSock (or UntrackSock) of the sock pointer in r,
// doing nothing for NULL.
func (p *Gen) trackSock(kind ir.ActionKind, r asm.Register) {
	name := p.Map(ir.MapSock)
	done := p.B.Fresh("tracksock_done")
	p.Emit(
		asm.JEq.Imm(r, 0, done),
		asm.StoreMem(asm.RFP, prog.StVal, r, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(name),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StVal),
	)
	if kind == ir.ActUntrackSock {
		p.Emit(asm.FnMapDeleteElem.Call())
	} else {
		p.Emit(
			asm.Mov.Reg(asm.R3, asm.RFP),
			asm.Add.Imm(asm.R3, prog.StPidTgid),
			asm.Mov.Imm(asm.R4, 0), // BPF_ANY
			asm.FnMapUpdateElem.Call(),
		)
	}
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// sockOwner emits, in an entry program of a policy that tracks sockets,
// the replacement of the header's process by the owner of the hook's
// first sock argument, when the sock map knows it.
func (p *Gen) sockOwner() {
	if p.Ret || !tracksSockets(p.Policy) {
		return
	}
	var sock *prog.Slot
	for _, s := range p.Lay.Slots {
		if s.Arg.Type == ir.TypeSock && s != p.Lay.Ret {
			sock = s
			break
		}
	}
	if sock == nil {
		return
	}
	if !p.Reads.LoadArg(asm.R1, sock.Arg) {
		return
	}
	done := p.B.Fresh("sockowner_done")
	p.Emit(
		asm.JEq.Imm(asm.R1, 0, done),
		asm.StoreMem(asm.RFP, prog.StVal, asm.R1, asm.DWord),
		asm.LoadMapPtr(asm.R1, 0).WithReference(p.Map(ir.MapSock)),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StVal),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, done),
		asm.LoadMem(asm.R1, asm.R0, 0, asm.DWord),
		asm.StoreMem(prog.RRec, bpf.HeaderPidOff, asm.R1, asm.Word),
		asm.RSh.Imm(asm.R1, 32),
		asm.StoreMem(prog.RRec, bpf.HeaderTgidOff, asm.R1, asm.Word),
		// Flags, with Kind and Version below them in the same word.
		asm.LoadMem(asm.R1, prog.RRec, bpf.HeaderKindOff, asm.Word),
		asm.Or.Imm(asm.R1, bpf.FlagSockOwner<<(8*bpf.HeaderFlagsOff)),
		asm.StoreMem(prog.RRec, bpf.HeaderKindOff, asm.R1, asm.Word),
	)
	p.B.Label(done)
	p.Emit(asm.Mov.Imm(asm.R0, 0))
}

// ReturnArgAction emits, in the return program, the hook's
// returnArgAction on the returned sock, then drops the record of a
// selector whose entry actions said NoPost (the entry program saved it
// for this action only).
func (p *Gen) ReturnArgAction() {
	h := p.Hook
	if h.RetAction == 0 {
		return
	}
	if h.RetAction != ir.ActTrackSock && h.RetAction != ir.ActUntrackSock {
		p.Errorf(h.Pos, "returnArgAction %s is not supported", h.RetAction)
		return
	}
	if h.Ret != nil && h.Ret.Type != ir.TypeSock {
		p.Errorf(h.Ret.Pos, "returnArgAction %s needs a returned sock, not a %s", h.RetAction, h.Ret.Type)
		return
	}
	p.Reads.LoadRet(asm.R1)
	p.trackSock(h.RetAction, asm.R1)
	for _, s := range h.Selectors {
		if !hasNoPost(s.Actions) {
			continue
		}
		p.Emit(
			asm.LoadMem(asm.R1, prog.RRec, bpf.HeaderSelectorOff, asm.Byte),
			asm.JEq.Imm(asm.R1, int32(s.Index+1), prog.Drop.String()),
		)
	}
}

func hasNoPost(acts []*ir.Action) bool {
	for _, a := range acts {
		if a.Kind == ir.ActNoPost {
			return true
		}
	}
	return false
}

// savesForReturnArgAction says whether the entry program must save the
// record of a NoPost selector anyway: its return program has a
// returnArgAction to take.
func (p *Gen) savesForReturnArgAction() bool {
	return !p.Ret && p.Hook.Return && p.Hook.RetAction != 0
}
