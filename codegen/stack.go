package codegen

import (
	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
)

// Stack traces: Post with kernelStackTrace or userStackTrace records the
// stacks with bpf_get_stackid into bpf.StackMap, and their ids in the last
// 8 bytes of the record, a slot of the layout after the arguments and the
// return value (bpf/stack.go). The slot holds StackNone until a Post asks
// for a stack; polrun reads and names the addresses.
//
// As in Tetragon, whose process_kprobe events are the ones with
// kernel_stack_trace and user_stack_trace, stacks are taken on kprobes
// (and their return probes).

// wantsStacks reports whether a Post of h asks for a stack.
func wantsStacks(h *ir.Hook) bool {
	for _, s := range h.Selectors {
		for _, a := range append(append([]*ir.Action(nil), s.Actions...), s.ReturnActions...) {
			if a.Kind == ir.ActPost && (a.KernelStack || a.UserStack) {
				return true
			}
		}
	}
	return false
}

// addStackSlot adds the StackIDs slot to layout l of h when a Post of h
// asks for stacks, after every other slot.
func (g *gen) addStackSlot(h *ir.Hook, l *prog.Layout) {
	if !wantsStacks(h) {
		return
	}
	if h.Kind != ir.HookKprobe {
		g.errs.add(h.Pos, "kernelStackTrace and userStackTrace are reported on kprobes (Tetragon's process_kprobe events carry them), not on %s hooks", h.Kind)
		return
	}
	l.Stack = l.AddTrailingSlot(h, -2, bpf.EncStackIDs, bpf.StackIDsSize)
	g.DeclareMap(&object.Map{Name: bpf.StackMap, Type: ebpf.StackTrace, KeySize: 4,
		ValueSize: 8 * bpf.StackDepth, MaxEntries: bpf.StackMaxEntries})
}
