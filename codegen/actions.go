package codegen

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// actionRow is how one kind of action compiles: the code a record
// reports for it (bpf.Action; 0 for the actions a record never reports:
// NoPost and CleanupEnforcerNotification) and render, which emits its
// in-kernel work and returns false when the record is not to be posted.
// Which action a record reports when there are several is bpf's
// (bpf.Action.Strength).
type actionRow struct {
	code   bpf.Action
	render func(p *progGen, a *ir.Action) bool
}

// actionTable has a row for every ir.ActionKind (TestActionTable).
var actionTable = map[ir.ActionKind]actionRow{
	ir.ActPost: {bpf.ActionPost, func(p *progGen, a *ir.Action) bool {
		p.stacks(a) // stack.go
		p.askIma(a) // imahash.go
		return true
	}},
	// A returnArgAction still needs the record at return, which drops
	// it then (sock.go).
	ir.ActNoPost:          {0, func(p *progGen, _ *ir.Action) bool { return p.savesForReturnArgAction() }},
	ir.ActSigkill:         {bpf.ActionSigkill, posts((*progGen).signal)},
	ir.ActSignal:          {bpf.ActionSignal, posts((*progGen).signal)},
	ir.ActOverride:        {bpf.ActionOverride, posts((*progGen).override)},                   // override.go
	ir.ActFollowFD:        {bpf.ActionFollowFD, posts((*progGen).followFD)},                   // fdactions.go
	ir.ActUnfollowFD:      {bpf.ActionUnfollowFD, posts((*progGen).unfollowFD)},               // fdactions.go
	ir.ActCopyFD:          {bpf.ActionCopyFD, posts((*progGen).copyFD)},                       // fdactions.go
	ir.ActGetURL:          {bpf.ActionGetURL, posts(polrunAction)},                            // polrun's, after the event
	ir.ActDNSLookup:       {bpf.ActionDNSLookup, posts(polrunAction)},                         // polrun's, after the event
	ir.ActTrackSock:       {bpf.ActionTrackSock, posts((*progGen).sockAction)},                // sock.go
	ir.ActUntrackSock:     {bpf.ActionUntrackSock, posts((*progGen).sockAction)},              // sock.go
	ir.ActNotifyEnforcer:  {bpf.ActionNotifyEnforcer, posts((*progGen).notifyEnforcer)},       // enforcer.go
	ir.ActSet:             {bpf.ActionSet, posts((*progGen).usdtSet)},                         // usdt.go
	ir.ActCleanupEnforcer: {0, posts(func(p *progGen, _ *ir.Action) { p.cleanupEnforcer() })}, // enforcer.go
}

// posts makes a render function of an action that never stops the post.
func posts(f func(p *progGen, a *ir.Action)) func(p *progGen, a *ir.Action) bool {
	return func(p *progGen, a *ir.Action) bool { f(p, a); return true }
}

// polrunAction renders the actions polrun takes when it reads the event:
// nothing in the kernel.
func polrunAction(*progGen, *ir.Action) {}

// signal sends Sigkill's or Signal's signal to the current task.
func (p *progGen) signal(a *ir.Action) {
	sig := a.Signal
	if a.Kind == ir.ActSigkill {
		sig = 9
	}
	p.Need(bpf.FeatureSendSignal)
	p.Emit(asm.Mov.Imm(asm.R1, int32(sig)), asm.FnSendSignal.Call())
}

// strongest returns the action a record reports for acts.
func strongest(acts []*ir.Action) bpf.Action {
	best := bpf.ActionPost
	for _, a := range acts {
		if c := actionTable[a.Kind].code; c.Strength() > best.Strength() {
			best = c
		}
	}
	return best
}

// actions emits the in-kernel work of a selector's actions and records
// the strongest in the header. It returns whether the record is posted
// (no NoPost among them). Enforcement actions come last, behind the
// policy's mode gate (mode.go), and are counted there in the policy's
// counters (counters.go); the others run in every mode.
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
		// Counted where they run: monitor mode jumps over the count too.
		p.countAdd(bpf.CountersEnforcedOff, int32(len(enforcing))) // counters.go
		p.B.Label(skip)
	}
	return post
}

// action emits one action; it returns false for NoPost when the record
// is not posted.
func (p *progGen) action(a *ir.Action) bool {
	p.Src(a.Pos, a.Kind.String())
	row, ok := actionTable[a.Kind]
	if !ok {
		p.Errorf(a.Pos, "action %s is not supported yet", a.Kind)
		return true
	}
	return row.render(p, a)
}
