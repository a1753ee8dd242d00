package codegen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/filter"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Policy sets (polc build --set). Several policies become one bundle: the
// members' hooks, renumbered, are the bundle's hooks, and hooks of
// different members on the same attach point share one program. That
// program finds the scratch record, reads the pid, keeps the context and
// reads the members' switches once (prologue; also the process's
// generation and a verdict cache entry, filter.Hoisted), then runs each
// member's part in turn: the member's
// switch (bpf.MembersMap), its process filters (and verdict cache), its
// header (its own hook ID, by which events are the member's), argument
// reads, selectors and post. A member's part ends (its exit, a rejected
// event or a posted one) where the next member's begins. Each member
// counts in its own entry of the counters (prog.Ctx.Member).
//
// A hook is merged when it is a tracepoint or raw tracepoint hook, or an
// entry-only kprobe (no return probe, not an fentry, no Override), and the
// hooks it merges with agree on what the shared prologue keeps and the
// loader decides for the one program (setKey): the attach point, for
// kprobes whether it is a syscall's (the prologue keeps the wrapper's
// pt_regs), and ignoreMissing (polrun drops the program when its target is
// missing). Shared programs are no kprobe.multi candidates. Other hooks of
// the members get their own programs in the bundle, behind the member's
// switch as well (bpf.Hook.Shared tells which hooks share). What cannot be
// in a set is refused (checkSetMember).

// SetMember is one policy of a set with where it came from.
type SetMember struct {
	Policy       *ir.Policy
	Source       string // the policy file, as given to polc
	SourceSHA256 string // its hex sha256
}

// setInfo is what a build of a set knows of its members.
type setInfo struct {
	members []SetMember
	// member: the member of each (renumbered) hook; mapMember: of each
	// value-set map.
	member    map[*ir.Hook]int
	mapMember map[*ir.Map]int
}

// BuildSet compiles members into one bundle named name. opts.Source and
// opts.SourceData are not used: each member has its own.
func BuildSet(name string, members []SetMember, opts Options) (*Bundle, error) {
	if len(members) == 0 {
		return nil, fmt.Errorf("codegen: policy set %s has no members", name)
	}
	var errs errorList
	seen := map[string]bool{}
	for _, m := range members {
		if m.Policy == nil {
			return nil, fmt.Errorf("codegen: nil policy in set %s", name)
		}
		if seen[m.Policy.Name] {
			errs.add(m.Policy.Pos, "policy set %s has two members named %s", name, m.Policy.Name)
		}
		seen[m.Policy.Name] = true
		checkSetMember(&errs, m.Policy, members[0].Policy)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	first := members[0].Policy
	pol := &ir.Policy{Name: name, Arch: first.Arch, Pos: first.Pos}
	set := &setInfo{members: members, member: map[*ir.Hook]int{}, mapMember: map[*ir.Map]int{}}
	sum := sha256.New()
	for i, m := range members {
		p := m.Policy
		for _, h := range p.Hooks {
			c := *h
			c.ID = len(pol.Hooks)
			pol.Hooks = append(pol.Hooks, &c)
			set.member[&c] = i
		}
		for _, mp := range p.Maps {
			pol.Maps = append(pol.Maps, mp)
			set.mapMember[mp] = i
		}
		if p.HasEnforcement() {
			pol.Mode = p.Mode
		}
		pol.NoKprobeMulti = pol.NoKprobeMulti || p.NoKprobeMulti
		fmt.Fprintf(sum, "%s %s\n", m.SourceSHA256, p.Name)
	}
	opts.Source = ""
	opts.SourceSHA256 = hex.EncodeToString(sum.Sum(nil))
	return build(pol, opts, set)
}

// checkSetMember refuses what a member of a set cannot have: what the
// loader applies to a whole bundle (selectors of nodes and pods, the
// namespace, the mode map, the arch), and state that members would share
// where Tetragon gives each policy its own (fd and socket tracking,
// enforcers, rate limits, the loader sensor).
func checkSetMember(errs *errorList, p, first *ir.Policy) {
	refuse := func(what string) {
		errs.add(p.Pos, "policy %s cannot be a member of a policy set: %s; build it as a bundle of its own", p.Name, what)
	}
	if p.Namespace != "" {
		refuse("it is namespaced (TracingPolicyNamespaced)")
	}
	if p.NodeSelector != nil || len(p.PodSelectors) > 0 {
		refuse("it has a node, pod or container selector, which polrun applies to a whole bundle")
	}
	if p.Arch != first.Arch {
		refuse(fmt.Sprintf("it is built for %s, the set's first member for %s", p.Arch, first.Arch))
	}
	if len(p.Enforcers) > 0 {
		refuse("it has enforcers, whose state members would share")
	}
	if p.Loader {
		refuse("it has the loader sensor (spec.loader)")
	}
	for _, m := range p.Maps {
		switch m.Kind {
		case ir.MapFD, ir.MapSock, ir.MapRateLimit, ir.MapEnforcer:
			refuse(fmt.Sprintf("it keeps %s state, which members would share", m.Kind))
		}
	}
	if p.HasEnforcement() && first.HasEnforcement() && p.Mode != first.Mode {
		refuse(fmt.Sprintf("its mode is %s and the set's first member's %s: a set has one mode", p.Mode, first.Mode))
	}
}

// memberOf is the member of h in a set, 0 otherwise.
func (g *gen) memberOf(h *ir.Hook) int {
	if g.set == nil {
		return 0
	}
	return g.set.member[h]
}

// setHooks compiles the hooks of a set: those that merge (mergeable) by
// attach point into one shared program per attach point, the others each
// into their own programs.
func (g *gen) setHooks() {
	type group struct {
		hooks []*ir.Hook
	}
	groups := map[string]*group{}
	var order []*group
	for _, h := range g.pol.Hooks {
		g.policyHook[h] = true
		at, ok := g.attachment(h)
		if !ok {
			continue
		}
		key := fmt.Sprintf("single %d", h.ID)
		if mergeable(h) {
			key = setKey(h, at)
		}
		gr := groups[key]
		if gr == nil {
			gr = &group{}
			groups[key] = gr
			order = append(order, gr)
		}
		gr.hooks = append(gr.hooks, h)
	}
	for _, gr := range order {
		if len(gr.hooks) == 1 {
			g.hook(gr.hooks[0])
			continue
		}
		g.sharedHook(gr.hooks)
	}
	sort.Slice(g.hooks, func(i, j int) bool { return g.hooks[i].ID < g.hooks[j].ID })
}

// mergeable says whether h's program can be a part of a shared program:
// a tracepoint or raw tracepoint hook, or a kprobe that is neither an
// fentry nor overrides (bpf_override_return and fmod_ret make the
// program's return value the hook's), none with a return program (return
// probes pair an entry and a return program). Uprobes, USDT, LSM hooks and
// the rest get their own programs: their prologues or attachments keep
// state of their own hook (USDT places, binary digests, LSM verdicts).
func mergeable(h *ir.Hook) bool {
	if h.Return {
		return false
	}
	switch h.Kind {
	case ir.HookTracepoint, ir.HookRawTracepoint:
		return true
	case ir.HookKprobe:
		return !h.Fentry && prog.OverrideOf(h) == prog.OverrideNone
	}
	return false
}

// setKey is what mergeable hooks sharing a program agree on: the attach
// point (kind, section, attach type, target: a kprobe's function is its
// section's), whether a kprobe is a syscall's (the shared prologue keeps
// the wrapper's pt_regs for syscall hooks only, fetch.Gen.CtxPrologue) and
// ignoreMissing (polrun drops or fails the one program by its hook's).
func setKey(h *ir.Hook, at attachment) string {
	return strings.Join([]string{h.Kind.String(), at.section, at.attach, at.target,
		fmt.Sprint(h.Kind == ir.HookKprobe && h.Syscall), fmt.Sprint(h.IgnoreMissing)}, "|")
}

// sharedHook compiles hooks of different members on one attach point into
// one program, named after hooks[0], each hook's part after the other's.
func (g *gen) sharedHook(hooks []*ir.Hook) {
	// The attachment is named now: another group's program on the same
	// point (a return probe, another ignoreMissing) may have taken the
	// section since setHooks named them (attachment keeps them unique).
	at, ok := g.attachment(hooks[0])
	if !ok {
		return
	}
	nerr := len(g.errs.errs)
	lays := make([]*prog.Layout, len(hooks))
	for i, h := range hooks {
		lays[i] = g.newLayout(h)
	}
	lead := newProgGen(g, hooks[0], lays[0], false)
	lead.Src(hooks[0].Pos, hooks[0].Call)
	lead.prologue()
	lead.Emit(
		asm.StoreMem(asm.RFP, prog.StSetCtx, prog.RCtx, asm.DWord),
		asm.StoreMem(asm.RFP, prog.StSetRec, prog.RRec, asm.DWord),
	)
	lead.lookupMembers()
	lead.Emit(asm.StoreMem(asm.RFP, prog.StSetMembers, asm.R0, asm.DWord))
	// The process's generation and the verdict cache entry most parts
	// use are read once for all (filter.Hoisted).
	parts := make([]*progGen, len(hooks))
	hoist := &filter.Hoisted{}
	slots := map[int32]int{}
	for i, h := range hooks {
		parts[i] = newProgGen(g, h, lays[i], false)
		parts[i].flt.Hoisted = hoist
		if filter.CachesVerdicts(h) {
			slots[g.verdictSlot(h)]++
			hoist.OwnGen = hoist.OwnGen || parts[i].flt.UsesOwnGen()
		}
	}
	for slot, n := range slots {
		if n > 1 && (!hoist.Verdict || n > slots[hoist.VerdictSlot] || (n == slots[hoist.VerdictSlot] && slot < hoist.VerdictSlot)) {
			hoist.Verdict, hoist.VerdictSlot = true, slot
		}
	}
	hoist.OwnGen = hoist.OwnGen && len(slots) > 0 && len(hooks) > 1
	// The parts sharing the hoisted entry have the same process tests, so
	// the same generation: when it is the own one, the entry is checked
	// once here for all of them.
	for i, h := range hooks {
		if hoist.Verdict && hoist.OwnGen && filter.CachesVerdicts(h) && g.verdictSlot(h) == hoist.VerdictSlot {
			hoist.VerdictChecked = parts[i].flt.UsesOwnGen()
			break
		}
	}
	lead.flt.Hoist(hoist)
	// The header's fields all parts write alike are written once, here;
	// each part writes its own (partHeader), and a part after one that
	// may have changed them writes them again (clobbers). On the path
	// that rejects the event this is most of what a part would write
	// (docs/BENCHMARKS.md, "Many policies on one hook").
	lead.commonHeader()
	// The prologue's failures exit here, not at the end of the program,
	// which may be further than a jump reaches (32767 instructions).
	lead.Emit(asm.Ja.Label("member_parts"))
	lead.Bind(prog.Exit)
	lead.exitValue()
	lead.Emit(asm.Return())
	lead.B.Label("member_parts")
	// What the part before may have changed is restored ahead of a part's
	// switch, so that it holds whether that part ran or was switched off.
	regs, header := true, false
	for i, h := range hooks {
		if h.RetAction != 0 {
			g.errs.add(h.Pos, "returnArgAction %s needs return: true", h.RetAction)
		}
		next := fmt.Sprintf("member_part%d_end", i)
		if regs {
			lead.Emit(
				asm.LoadMem(prog.RCtx, asm.RFP, prog.StSetCtx, asm.DWord),
				asm.LoadMem(prog.RRec, asm.RFP, prog.StSetRec, asm.DWord),
			)
		}
		if header {
			lead.commonHeader()
		}
		lead.Emit(
			asm.LoadMem(asm.R1, asm.RFP, prog.StSetMembers, asm.DWord),
			asm.LoadMem(asm.R1, asm.R1, int16(4*g.memberOf(h)), asm.Word),
			asm.JNE.Imm(asm.R1, 0, next),
		)
		part := parts[i]
		part.Src(h.Pos, h.Call)
		part.processFilters()
		if g.opts.SetHeaderPerPart {
			part.header()
		} else {
			part.partHeader()
		}
		part.f.ReadArgs(false)
		part.selectors()
		part.Bind(prog.Exit)
		part.Emit(asm.Mov.Imm(asm.R0, 0))
		body := part.finish()
		if len(g.errs.errs) > nerr {
			return
		}
		regs, header = clobbers(body)
		lead.B.Append(relabel(body, fmt.Sprintf("part%d_", i)))
		lead.B.Label(next)
	}
	lead.exitValue()
	lead.Emit(asm.Return())
	insns := lead.finish()
	if len(g.errs.errs) > nerr {
		return
	}
	g.progs = append(g.progs, &object.Program{Name: at.name, Section: at.section, Insns: insns})
	for i, h := range hooks {
		lay := lays[i]
		var progs []bpf.Program
		if i == 0 {
			progs = []bpf.Program{{Name: at.name, Section: at.section, Attach: at.attach, Target: at.target}}
		}
		g.recSize = max(g.recSize, lay.ScratchSize(len(h.Selectors)))
		if lay.Compact {
			g.usesOut = true
			g.outSize = max(g.outSize, lay.Size)
		}
		mh := g.manifestHook(h, lay, progs)
		if i > 0 {
			mh.Shared = at.name
		}
		g.hooks = append(g.hooks, mh)
	}
}

// clobbers reports whether a part's instructions may change what the parts
// after it take as the shared program left it: the context and record
// registers (some posts switch the record to a reserved one), and the
// header's fields commonHeader writes (an action that reports the socket's
// owner rewrites the task's IDs). The record's other bytes are written
// through pointers made from the record register, but only past the
// header.
func clobbers(insns asm.Instructions) (regs, header bool) {
	common := func(off int16, size int) bool {
		end := int(off) + size
		return (int(off) < bpf.HeaderPolicyIDOff+4 && end > bpf.HeaderPolicyIDOff) ||
			(int(off) < bpf.HeaderRetOff+8 && end > bpf.HeaderTgidOff)
	}
	for _, ins := range insns {
		switch ins.OpCode.Class() {
		case asm.ALUClass, asm.ALU64Class, asm.LdClass, asm.LdXClass:
			regs = regs || ins.Dst == prog.RCtx || ins.Dst == prog.RRec
		case asm.StClass, asm.StXClass:
			header = header || (ins.Dst == prog.RRec && common(ins.Offset, ins.OpCode.Size().Sizeof()))
		}
	}
	return regs, header
}

// lookupMembers emits R0 = the members' switches (bpf.MembersMap's one
// value), or the jump to prog.Exit when the lookup fails (it does not).
// It clobbers R0-R5 and StKey.
func (p *progGen) lookupMembers() {
	m := p.g.DeclareMap(&object.Map{Name: bpf.MembersMap, Type: ebpf.Array, KeySize: 4,
		ValueSize: uint32(4 * len(p.g.set.members)), MaxEntries: 1})
	p.Emit(
		emit.StoreImm(asm.RFP, prog.StKey, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(m),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, prog.StKey),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, prog.Exit.String()),
	)
}

// memberGate emits member's switch in a program of its own: a jump to
// skip unless the member's switch is 0. It clobbers R0-R5 and StKey.
func (p *progGen) memberGate(member int, skip string) {
	p.lookupMembers()
	p.Emit(
		asm.LoadMem(asm.R1, asm.R0, int16(4*member), asm.Word),
		asm.JNE.Imm(asm.R1, 0, skip),
	)
}

// relabel prefixes the labels insns places, and the jumps to them, with
// prefix: the parts of a shared program are written by builders of their
// own, whose labels would collide.
func relabel(insns asm.Instructions, prefix string) asm.Instructions {
	own := map[string]bool{}
	for _, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			own[sym] = true
		}
	}
	out := make(asm.Instructions, len(insns))
	for i, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			ins = ins.WithSymbol(prefix + sym)
		}
		if ref := ins.Reference(); ref != "" && own[ref] && isLocalJump(ins) {
			ins = ins.WithReference(prefix + ref)
		}
		out[i] = ins
	}
	return out
}

// isLocalJump: a jump within the program (not a call, not an exit).
func isLocalJump(ins asm.Instruction) bool {
	class := ins.OpCode.Class()
	if class != asm.JumpClass && class != asm.Jump32Class {
		return false
	}
	op := ins.OpCode.JumpOp()
	return op != asm.Call && op != asm.Exit
}

// setManifest fills the manifest's members and each hook's member.
func (g *gen) setManifest(m *bpf.Manifest) {
	if g.set == nil {
		return
	}
	for _, sm := range g.set.members {
		mb := bpf.Member{Name: sm.Policy.Name, Source: sm.Source, SourceSHA256: sm.SourceSHA256}
		if sm.Policy.HasEnforcement() {
			mb.Mode = sm.Policy.Mode.String()
		}
		m.Members = append(m.Members, mb)
	}
	for i := range m.Hooks {
		m.Hooks[i].Member = g.set.member[g.pol.Hooks[m.Hooks[i].ID]]
	}
}
