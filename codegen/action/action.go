package action

import (
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Gen writes the actions of one program.
type Gen struct {
	*prog.Ctx
	// Policy is the policy the program is part of: its mode, enforcers
	// and socket tracking.
	Policy *ir.Policy
	// TestRun: enforcement actions are reported but not carried out
	// (codegen.Options.TestRun).
	TestRun bool
	// Reads are the argument reads actions need, from the driver.
	Reads Reads
	// gates counts the mode gates emitted, for their labels (mode.go).
	gates int
}

// Reads are what actions read of the hook's arguments: package codegen
// provides them from codegen/fetch, which this package does not import.
type Reads interface {
	// LoadArg loads the raw value of argument a (a pointer, a number)
	// into dst; false when it cannot, after reporting why.
	LoadArg(dst asm.Register, a *ir.Arg) bool
	// LoadRet loads the hook's return value into dst.
	LoadRet(dst asm.Register)
	// USDTArg checks that a is an argument of the USDT probe's spec;
	// false after reporting why.
	USDTArg(a *ir.Arg) bool
	// USDTAddress jumps to skip unless USDT argument a is in memory, and
	// else leaves its address in dst (codegen/fetch/usdt.go).
	USDTAddress(a *ir.Arg, dst asm.Register, skip string)
}

// actionRow is how one kind of action compiles: the code a record
// reports for it (bpf.Action; 0 for the actions a record never reports:
// NoPost and CleanupEnforcerNotification) and render, which emits its
// in-kernel work and returns false when the record is not to be posted.
// Which action a record reports when there are several is bpf's
// (bpf.Action.Strength).
type actionRow struct {
	code   bpf.Action
	render func(p *Gen, a *ir.Action) bool
}

// actionTable has a row for every ir.ActionKind (TestActionTable).
var actionTable = map[ir.ActionKind]actionRow{
	ir.ActPost: {bpf.ActionPost, func(p *Gen, a *ir.Action) bool {
		p.stacks(a) // stack.go
		p.askIma(a) // ima.go
		return true
	}},
	// A returnArgAction still needs the record at return, which drops
	// it then (sock.go).
	ir.ActNoPost:          {0, func(p *Gen, _ *ir.Action) bool { return p.savesForReturnArgAction() }},
	ir.ActSigkill:         {bpf.ActionSigkill, posts((*Gen).signal)},
	ir.ActSignal:          {bpf.ActionSignal, posts((*Gen).signal)},
	ir.ActOverride:        {bpf.ActionOverride, posts((*Gen).override)},                   // override.go
	ir.ActFollowFD:        {bpf.ActionFollowFD, posts((*Gen).followFD)},                   // fd.go
	ir.ActUnfollowFD:      {bpf.ActionUnfollowFD, posts((*Gen).unfollowFD)},               // fd.go
	ir.ActCopyFD:          {bpf.ActionCopyFD, posts((*Gen).copyFD)},                       // fd.go
	ir.ActGetURL:          {bpf.ActionGetURL, posts(polrunAction)},                        // polrun's, after the event
	ir.ActDNSLookup:       {bpf.ActionDNSLookup, posts(polrunAction)},                     // polrun's, after the event
	ir.ActTrackSock:       {bpf.ActionTrackSock, posts((*Gen).sockAction)},                // sock.go
	ir.ActUntrackSock:     {bpf.ActionUntrackSock, posts((*Gen).sockAction)},              // sock.go
	ir.ActNotifyEnforcer:  {bpf.ActionNotifyEnforcer, posts((*Gen).notifyEnforcer)},       // enforcer.go
	ir.ActSet:             {bpf.ActionSet, posts((*Gen).usdtSet)},                         // usdt.go
	ir.ActCleanupEnforcer: {0, posts(func(p *Gen, _ *ir.Action) { p.cleanupEnforcer() })}, // enforcer.go
}

// posts makes a render function of an action that never stops the post.
func posts(f func(p *Gen, a *ir.Action)) func(p *Gen, a *ir.Action) bool {
	return func(p *Gen, a *ir.Action) bool { f(p, a); return true }
}

// polrunAction renders the actions polrun takes when it reads the event:
// nothing in the kernel.
func polrunAction(*Gen, *ir.Action) {}

// signal sends Sigkill's or Signal's signal to the current task.
func (p *Gen) signal(a *ir.Action) {
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

// Actions emits the in-kernel work of a selector's actions and records
// the strongest in the header. It returns whether the record is posted
// (no NoPost among them). Enforcement actions come last, behind the
// policy's mode gate (mode.go), and are counted there in the policy's
// counters (counters.go); the others run in every mode.
func (p *Gen) Actions(acts []*ir.Action) bool {
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
	if len(enforcing) > 0 && !p.TestRun {
		p.Src(enforcing[0].Pos, enforcing[0].Kind.String())
		skip := p.modeGate()
		for _, a := range enforcing {
			p.action(a)
		}
		// Counted where they run: monitor mode jumps over the count too.
		CountAdd(p.Ctx, bpf.CountersEnforcedOff, int32(len(enforcing))) // counters.go
		p.B.Label(skip)
	}
	return post
}

// action emits one action; it returns false for NoPost when the record
// is not posted.
func (p *Gen) action(a *ir.Action) bool {
	p.Src(a.Pos, a.Kind.String())
	row, ok := actionTable[a.Kind]
	if !ok {
		p.Errorf(a.Pos, "action %s is not supported yet", a.Kind)
		return true
	}
	return row.render(p, a)
}
