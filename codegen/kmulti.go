package codegen

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Kernels since 5.18 (CONFIG_FPROBE) attach one program to many functions
// with one kprobe_multi link, as Tetragon attaches a policy's kprobes
// unless spec.options disable-kprobe-multi says not to. The program finds
// the function that fired from bpf_get_attach_cookie, which polrun sets to
// the hook's ID for each symbol.
//
// polc keeps one program per hook, specialized, and adds a kprobe.multi
// program for each group of kprobe hooks whose programs differ only in
// their hook's ID (hooks expanded from a list, kprobes with the same
// arguments and selectors): the same code, with the header's hook ID
// taken from the cookie (progGen.multi). Grouping compares the generated
// code itself, so a hook whose code depends on anything else of its own (a
// rate limit keyed by hook, a map of its own) stays on its single program.
// Return hooks get a kretprobe.multi program too, whose entry and return
// programs share one map per group; since that map is keyed by thread
// alone, only syscall hooks, which do not nest, are grouped with a return
// program. The manifest lists the multi programs (bpf.Manifest.Multi) and
// names them in the hooks' programs (bpf.Program.Multi); polrun attaches
// them where the kernel has kprobe_multi and every symbol of the group is
// there, and the single programs otherwise, so that a missing symbol is
// handled as it is for single kprobes. Tetragon does not attach Override
// of security_* functions with kprobe_multi (fmod_ret there); polc leaves
// every hook with an Override, and IMA hashes (a sleepable program of its
// own), on its single programs.

// multiRetMap is the return map multi programs are generated with, named
// per group when the group is kept.
const multiRetMap = "polc_ret_multi"

// multiCand is a kprobe hook that may share a kprobe.multi program.
type multiCand struct {
	h   *ir.Hook
	lay *prog.Layout
	// size is the length of its single programs: only hooks of the same
	// sizes are compared.
	size [2]int
	// The multi form of its programs, and the functions it generated.
	entry, ret asm.Instructions
	funcs      []*object.Func
	code       string
}

// multiCandidate records h, whose single programs were just generated, if
// it may share a multi program.
func (g *gen) multiCandidate(h *ir.Hook, lay *prog.Layout, at attachment, entry, ret asm.Instructions) {
	if g.pol.NoKprobeMulti || h.Kind != ir.HookKprobe || at.attach != "kprobe" || lay.Ima != nil ||
		prog.OverrideOf(h) != prog.OverrideNone || h.Return && !h.Syscall || !g.policyHook[h] {
		return
	}
	g.multiCands = append(g.multiCands, &multiCand{h: h, lay: lay, size: [2]int{len(entry), len(ret)}})
}

// multiPrograms generates the kprobe.multi programs of the candidates.
func (g *gen) multiPrograms() {
	var sizes [][2]int
	bySize := map[[2]int][]*multiCand{}
	for _, c := range g.multiCands {
		if bySize[c.size] == nil {
			sizes = append(sizes, c.size)
		}
		bySize[c.size] = append(bySize[c.size], c)
	}
	for _, sz := range sizes {
		cands := bySize[sz]
		if len(cands) < 2 {
			continue
		}
		var codes []string
		byCode := map[string][]*multiCand{}
		for _, c := range cands {
			if !g.multiForm(c) {
				continue
			}
			if byCode[c.code] == nil {
				codes = append(codes, c.code)
			}
			byCode[c.code] = append(byCode[c.code], c)
		}
		for _, code := range codes {
			g.multiGroup(byCode[code])
		}
	}
}

// multiForm generates c's programs as multi programs, and the text they
// are compared by. It changes nothing of the bundle: the functions they
// call are kept in c until its group is kept.
func (g *gen) multiForm(c *multiCand) bool {
	nerr, nfuncs, nmaps, ninits := len(g.errs.errs), len(g.funcs), len(g.maps), len(g.inits)
	defer func() {
		g.errs.errs, g.funcs, g.maps, g.inits = g.errs.errs[:nerr], g.funcs[:nfuncs], g.maps[:nmaps], g.inits[:ninits]
	}()
	e := newProgGen(g, c.h, c.lay, false)
	e.multi = true
	c.entry = e.entryProgram()
	if c.h.Return {
		r := newProgGen(g, c.h, c.lay, true)
		r.multi = true
		c.ret = r.returnProgram()
	}
	if len(g.errs.errs) > nerr {
		return false
	}
	c.funcs = append([]*object.Func(nil), g.funcs[nfuncs:]...)
	local := map[string]*object.Func{}
	for _, f := range c.funcs {
		local[f.Name] = f
	}
	memo := map[string]string{}
	c.code = canonicalCode(c.entry, local, memo) + "\n--\n" + canonicalCode(c.ret, local, memo)
	return true
}

// canonicalCode prints insns for comparison: without source lines, and
// with the code of the functions in local in place of their names, which
// hold the hook's ID.
func canonicalCode(insns asm.Instructions, local map[string]*object.Func, memo map[string]string) string {
	var b strings.Builder
	for _, ins := range insns {
		if sym := ins.Symbol(); sym != "" {
			b.WriteString(sym + ":\n")
		}
		s := formatInsn(ins)
		if ref := ins.Reference(); ref != "" && local[ref] != nil {
			code, ok := memo[ref]
			if !ok {
				memo[ref] = "(recursive)"
				code = "{" + canonicalCode(local[ref].Insns, local, memo) + "}"
				memo[ref] = code
			}
			s = strings.ReplaceAll(s, ref, code)
		}
		b.WriteString(s)
		if r := object.CORERelocationOf(ins); r != nil {
			fmt.Fprintf(&b, " ; CO-RE %s", r)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// multiGroup adds the multi programs of cands, whose code is the same,
// when at least two of them attach to different symbols (a kprobe_multi
// link takes each symbol once: a hook on a symbol already in the group
// keeps its single program only).
func (g *gen) multiGroup(cands []*multiCand) {
	var group []*multiCand
	seen := map[string]bool{}
	for _, c := range cands {
		if !seen[c.h.Target] {
			seen[c.h.Target] = true
			group = append(group, c)
		}
	}
	if len(group) < 2 {
		return
	}
	first := group[0]
	n := g.multiGroups
	g.multiGroups++
	name := fmt.Sprintf("k%d_%s", n, symbolName(shortTarget(first.h)))
	if len(name) > 44 {
		name = name[:44]
	}
	entry := bpf.MultiProgram{Name: name + "_multi", Section: "kprobe.multi/" + name, Attach: bpf.AttachKprobeMulti}
	ret := bpf.MultiProgram{Name: name + "_multi_ret", Section: "kretprobe.multi/" + name, Attach: bpf.AttachKretprobeMulti}
	retMap := fmt.Sprintf("polc_ret_k%d", n)
	rename := func(insns asm.Instructions) asm.Instructions {
		out := make(asm.Instructions, len(insns))
		for i, ins := range insns {
			if ins.Reference() == multiRetMap {
				ins = ins.WithReference(retMap)
			}
			out[i] = ins
		}
		return out
	}
	g.funcs = append(g.funcs, first.funcs...)
	g.progs = append(g.progs, &object.Program{Name: entry.Name, Section: entry.Section, Insns: rename(first.entry)})
	if first.h.Return {
		g.declareStateMap(ir.MapRetProbe, retMap, first.lay.Size+first.lay.Pad)
		g.progs = append(g.progs, &object.Program{Name: ret.Name, Section: ret.Section, Insns: rename(first.ret)})
	}
	byID := map[int]*bpf.Hook{}
	for i := range g.hooks {
		byID[g.hooks[i].ID] = &g.hooks[i]
	}
	for _, c := range group {
		id := c.h.ID
		for _, mp := range []*bpf.MultiProgram{&entry, &ret} {
			mp.Hooks = append(mp.Hooks, id)
			mp.Symbols = append(mp.Symbols, c.h.Target)
			mp.Cookies = append(mp.Cookies, uint64(id))
		}
		mh := byID[id]
		for j, p := range mh.Programs {
			switch p.Attach {
			case "kprobe":
				mh.Programs[j].Multi = entry.Name
			case "kretprobe":
				mh.Programs[j].Multi = ret.Name
			}
		}
	}
	g.multi = append(g.multi, entry)
	if first.h.Return {
		g.multi = append(g.multi, ret)
	}
}

// isMultiProgram says whether name is one of m's multi programs, which
// need no variant for kernels without bpf_loop or attach cookies: they
// have both.
func isMultiProgram(m *bpf.Manifest, name string) bool {
	for _, mp := range m.Multi {
		if mp.Name == name {
			return true
		}
	}
	return false
}
