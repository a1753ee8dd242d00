package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/kern"
	"github.com/polc-dev/polc/codegen/object"
)

// Kernels before 5.17 have no bpf_loop, and before 5.13 the verifier does
// not even know a callback's address (an ldimm64 of a function): it counts
// subprograms from BPF-to-BPF calls only, so the callbacks' func_info
// records outnumber them ("number of funcs in func_info doesn't match
// number of subprogs"). For those kernels every program that calls
// bpf_loop gets a fallback: the same code, with each bpf_loop call turned
// into a call of a wrapper function that runs the callback in a bounded
// loop (verified since 5.3), and each call of a function that needs
// bpf_loop turned into a call of that function's own fallback. The 6.1+
// programs are left as they are; the manifest names each program's
// Fallback and polrun loads one or the other after probing for bpf_loop.
//
// The 5.10 verifier walks such a loop step by step, so its bound is far
// below bpf_loop's (Manifest.LoopBounds). A walk that reaches it stops
// there: the wrapper returns the steps asked for, as if all were taken
// (a path walk then flags its path truncated), and counts the stop in
// bpf.LoopBoundsMap.

// Bounds of the fallback walks, by kind (bpf.Manifest.LoopBounds).
const (
	// ancestorStepsNoLoop: processes up the parent chain, the current one
	// included. Process trees are rarely deeper (init, a service manager,
	// a container runtime and shim, a shell or two).
	ancestorStepsNoLoop = 24
	// iovecStepsNoLoop: entries of an iovec array (UIO_MAXIOV is 1024;
	// writev callers rarely pass more than a handful).
	iovecStepsNoLoop = 32
	// substringStepsNoLoop: start positions of a SubString search; a
	// string longer than that is searched in its start only (the stop is
	// counted).
	substringStepsNoLoop = 64
)

// noLoopSuffix names the fallback of a program or function.
const noLoopSuffix = "_noloop"

// loopSuffix names the wrapper that loops over a callback.
const loopSuffix = "_loop"

// loopKind gives the kind and the bound of the walk a bpf_loop callback
// takes one step of.
func loopKind(callback string) (string, int, error) {
	switch {
	case callback == kern.FuncPathStep:
		return "path", kern.PathStepsNoLoop, nil
	case strings.HasSuffix(callback, "_iovec"):
		return "iovec", iovecStepsNoLoop, nil
	case strings.HasSuffix(callback, "_substring"):
		return "substring", substringStepsNoLoop, nil
	case strings.HasSuffix(callback, "_pids"), strings.HasSuffix(callback, "_binaries"):
		return "ancestors", ancestorStepsNoLoop, nil
	}
	return "", 0, fmt.Errorf("no bound for the bpf_loop callback %s", callback)
}

// Fallbacks are what AddFallbacks added to an object, for dumps.
type Fallbacks struct {
	Programs []*object.Program
	Funcs    []*object.Func
	Maps     []*object.Map
}

func isLoopCall(ins asm.Instruction) bool {
	return ins.IsBuiltinCall() && ins.Constant == int64(asm.FnLoop)
}

func isFuncAddr(ins asm.Instruction) bool {
	return ins.OpCode == asm.LoadImmOp(asm.DWord) && ins.Src == asm.PseudoFunc
}

func isFuncCall(ins asm.Instruction) bool {
	return ins.OpCode.JumpOp() == asm.Call && ins.Src == asm.PseudoCall
}

// AddFallbacks adds to obj the fallback of every program calling bpf_loop
// (directly or through its functions), names them in m's hooks, states
// the bounds in m.LoopBounds and drops bpf.FeatureBpfLoop from
// m.Features: the bundle then runs with and without it. Nothing is added
// when no program needs bpf_loop.
func AddFallbacks(obj *object.Object, m *bpf.Manifest) (*Fallbacks, error) {
	funcs := map[string]*object.Func{}
	for _, f := range obj.Funcs {
		funcs[f.Name] = f
	}
	// needs[f]: f calls bpf_loop, itself or through the functions it
	// calls.
	needs := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, f := range obj.Funcs {
			if !needs[f.Name] && usesLoop(f.Insns, needs) {
				needs[f.Name], changed = true, true
			}
		}
	}
	out := &Fallbacks{}
	callbacks := map[string]bool{}
	rewrite := func(owner string, insns asm.Instructions) (asm.Instructions, error) {
		res := make(asm.Instructions, len(insns))
		callback := ""
		for i, ins := range insns {
			switch {
			case isFuncAddr(ins):
				callback = ins.Reference()
				n := asm.Mov.Imm(ins.Dst, 0)
				n.Metadata = ins.Metadata
				res[i] = n.WithReference("")
				continue
			case isLoopCall(ins):
				if callback == "" {
					return nil, fmt.Errorf("%s: bpf_loop at %d without a callback before it", owner, i)
				}
				callbacks[callback] = true
				n := asm.Call.Label(callback + loopSuffix)
				n.Metadata = ins.Metadata
				res[i] = n.WithReference(callback + loopSuffix)
				callback = ""
				continue
			case isFuncCall(ins) && needs[ins.Reference()]:
				n := ins.WithReference(ins.Reference() + noLoopSuffix)
				res[i] = n
			default:
				res[i] = ins
			}
			// The callback's address is loaded right before bpf_loop:
			// nothing but moves comes between them.
			if callback != "" && ins.OpCode.Class().IsJump() {
				return nil, fmt.Errorf("%s: a callback's address at %d is not followed by its bpf_loop", owner, i)
			}
		}
		return res, nil
	}
	names := make([]string, 0, len(needs))
	for n := range needs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		insns, err := rewrite(n, funcs[n].Insns)
		if err != nil {
			return nil, err
		}
		out.Funcs = append(out.Funcs, &object.Func{Name: n + noLoopSuffix, Insns: insns})
	}
	fallback := map[string]string{}
	for _, p := range obj.Programs {
		if !usesLoop(p.Insns, needs) || isMultiProgram(m, p.Name) {
			// kprobe_multi (5.18+) implies bpf_loop (5.17+).
			continue
		}
		insns, err := rewrite(p.Name, p.Insns)
		if err != nil {
			return nil, err
		}
		c := *p
		// A section of its own (the object has one per program); the
		// loader gives the fallback its program's section and target.
		c.Name, c.Section, c.Insns = p.Name+noLoopSuffix, p.Section+"/noloop", insns
		out.Programs = append(out.Programs, &c)
		fallback[p.Name] = c.Name
	}
	if len(out.Programs) == 0 {
		return out, nil
	}
	cbs := make([]string, 0, len(callbacks))
	for cb := range callbacks {
		cbs = append(cbs, cb)
	}
	sort.Strings(cbs)
	bounds := map[string]int{}
	for _, cb := range cbs {
		kind, bound, err := loopKind(cb)
		if err != nil {
			return nil, err
		}
		bounds[kind] = bound
		target := cb
		if needs[cb] {
			target = cb + noLoopSuffix
		}
		f, err := loopWrapper(cb+loopSuffix, target, int32(bound))
		if err != nil {
			return nil, err
		}
		out.Funcs = append(out.Funcs, f)
	}
	out.Maps = []*object.Map{{Name: bpf.LoopBoundsMap, Type: ebpf.PerCPUArray, KeySize: 4, ValueSize: 8, MaxEntries: 1}}

	obj.Programs = append(obj.Programs, out.Programs...)
	obj.Funcs = append(obj.Funcs, out.Funcs...)
	obj.Maps = append(obj.Maps, out.Maps...)
	for i := range m.Hooks {
		for j, p := range m.Hooks[i].Programs {
			m.Hooks[i].Programs[j].Fallback = fallback[p.Name]
			if p.NoCookie != "" {
				m.Hooks[i].Programs[j].NoCookieFallback = fallback[p.NoCookie]
			}
		}
	}
	m.LoopBounds = bounds
	features := m.Features[:0]
	for _, f := range m.Features {
		if f != bpf.FeatureBpfLoop {
			features = append(features, f)
		}
	}
	m.Features = features
	return out, nil
}

// usesLoop says whether insns call bpf_loop or a function that needs it.
func usesLoop(insns asm.Instructions, needs map[string]bool) bool {
	for _, ins := range insns {
		if isLoopCall(ins) || isFuncCall(ins) && needs[ins.Reference()] {
			return true
		}
	}
	return false
}

// loopWrapper is the function that stands for bpf_loop(nr, callback, ctx,
// 0) in a fallback (R1 = nr, R3 = ctx): it calls callback with (index,
// ctx) until it returns non-zero, nr steps were taken, or bound were;
// R0 = the steps taken, as bpf_loop returns, but nr when the bound cut the
// walk short, which is counted in bpf.LoopBoundsMap.
func loopWrapper(name, callback string, bound int32) (*object.Func, error) {
	var b emit.Builder
	b.Emit(
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.Mov.Reg(asm.R7, asm.R3),
		asm.Mov.Imm(asm.R8, 0),
	)
	b.Label("step")
	b.Emit(
		asm.JGE.Reg(asm.R8, asm.R6, "done"),
		// The constant bound is what the verifier sees end the loop.
		asm.JGE.Imm(asm.R8, bound, "bound"),
		asm.Mov.Reg(asm.R1, asm.R8),
		asm.Mov.Reg(asm.R2, asm.R7),
		asm.Mov.Imm(asm.R3, 0),
		asm.Call.Label(callback),
		asm.Add.Imm(asm.R8, 1),
		asm.JEq.Imm(asm.R0, 0, "step"),
	)
	b.Label("done")
	b.Emit(asm.Mov.Reg(asm.R0, asm.R8), asm.Return())
	b.Label("bound")
	b.Emit(
		emit.StoreImm(asm.RFP, -8, 0, asm.Word),
		asm.LoadMapPtr(asm.R1, 0).WithReference(bpf.LoopBoundsMap),
		asm.Mov.Reg(asm.R2, asm.RFP),
		asm.Add.Imm(asm.R2, -8),
		asm.FnMapLookupElem.Call(),
		asm.JEq.Imm(asm.R0, 0, "cut"),
		asm.Mov.Imm(asm.R1, 1),
		asm.AddAtomic.Mem(asm.R0, asm.R1, asm.DWord, 0),
	)
	b.Label("cut")
	b.Emit(asm.Mov.Reg(asm.R0, asm.R6), asm.Return())
	insns, err := b.Instructions()
	if err != nil {
		return nil, err
	}
	return &object.Func{Name: name, Insns: insns}, nil
}
