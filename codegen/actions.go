package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// actionRank orders the actions a record reports: the strongest wins
// (bpf.Action's documentation).
var actionRank = map[bpf.Action]int{
	bpf.ActionSigkill: 9, bpf.ActionOverride: 8, bpf.ActionSignal: 7, bpf.ActionNotifyEnforcer: 6,
	bpf.ActionSet: 5, bpf.ActionFollowFD: 4, bpf.ActionUnfollowFD: 4, bpf.ActionCopyFD: 4,
	bpf.ActionTrackSock: 4, bpf.ActionUntrackSock: 4, bpf.ActionGetURL: 2, bpf.ActionDNSLookup: 2,
	bpf.ActionPost: 1,
}

var actionCode = map[ir.ActionKind]bpf.Action{
	ir.ActPost: bpf.ActionPost, ir.ActSigkill: bpf.ActionSigkill, ir.ActSignal: bpf.ActionSignal,
	ir.ActOverride: bpf.ActionOverride, ir.ActFollowFD: bpf.ActionFollowFD, ir.ActUnfollowFD: bpf.ActionUnfollowFD,
	ir.ActCopyFD: bpf.ActionCopyFD, ir.ActGetURL: bpf.ActionGetURL, ir.ActDNSLookup: bpf.ActionDNSLookup,
	ir.ActTrackSock: bpf.ActionTrackSock, ir.ActUntrackSock: bpf.ActionUntrackSock,
	ir.ActNotifyEnforcer: bpf.ActionNotifyEnforcer, ir.ActSet: bpf.ActionSet,
}

// strongest returns the action a record reports for acts.
func strongest(acts []*ir.Action) bpf.Action {
	best := bpf.ActionPost
	for _, a := range acts {
		if c, ok := actionCode[a.Kind]; ok && actionRank[c] > actionRank[best] {
			best = c
		}
	}
	return best
}

// actions emits the in-kernel work of a selector's actions and records
// the strongest in the header. It returns whether the record is posted
// (no NoPost among them). Enforcement actions come last, behind the
// policy's mode gate (mode.go); the others run in every mode.
func (p *progGen) actions(acts []*ir.Action) bool {
	post := true
	p.sockOwner()
	if len(acts) > 0 {
		p.Emit(emit.StoreImm(prog.RRec, bpf.HeaderActionOff, int64(strongest(acts)), asm.Byte))
	}
	var enforcing []*ir.Action
	for _, a := range acts {
		if a.Kind.Enforces() {
			enforcing = append(enforcing, a)
			continue
		}
		if !p.action(a) {
			post = false
		}
	}
	if len(enforcing) > 0 && !p.g.opts.TestRun {
		p.Src(enforcing[0].Pos, enforcing[0].Kind.String())
		skip := p.modeGate()
		for _, a := range enforcing {
			p.action(a)
		}
		p.B.Label(skip)
	}
	return post
}

// action emits one action; it returns false for NoPost when the record
// is not posted.
func (p *progGen) action(a *ir.Action) bool {
	p.Src(a.Pos, a.Kind.String())
	switch a.Kind {
	case ir.ActPost:
		p.stacks(a) // stack.go
		p.askIma(a) // imahash.go
	case ir.ActNoPost:
		// A returnArgAction still needs the record at return, which
		// drops it then (sock.go).
		return p.savesForReturnArgAction()
	case ir.ActTrackSock, ir.ActUntrackSock:
		p.sockAction(a)
	case ir.ActNotifyEnforcer:
		p.notifyEnforcer(a)
	case ir.ActCleanupEnforcer:
		p.cleanupEnforcer()
	case ir.ActGetURL, ir.ActDNSLookup:
		// Done by polrun when it reads the event.
	case ir.ActSigkill, ir.ActSignal:
		sig := a.Signal
		if a.Kind == ir.ActSigkill {
			sig = 9
		}
		p.Need(bpf.FeatureSendSignal)
		p.Emit(asm.Mov.Imm(asm.R1, int32(sig)), asm.FnSendSignal.Call())
	case ir.ActOverride:
		p.override(a)
	case ir.ActFollowFD:
		p.followFD(a)
	case ir.ActUnfollowFD:
		p.unfollowFD(a)
	case ir.ActCopyFD:
		p.copyFD(a)
	case ir.ActSet:
		p.usdtSet(a)
	default:
		p.Errorf(a.Pos, "action %s is not supported yet", a.Kind)
	}
	return true
}
