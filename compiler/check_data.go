package compiler

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// Data entries (a hook's data:) are values read from somewhere other than
// the hook's arguments, reported under "data" in events and filtered by
// matchData, as in Tetragon (pkg/sensors/tracing addKprobe, "Parse Data"):
//
//   - source: current_task reads the current task_struct and follows
//     resolve from it ("cred.euid.val", "comm"), through the kernel's BTF;
//   - source: pt_regs reads the register resolve names ("eax", "x0") from
//     the probed context's struct pt_regs (for a syscall kprobe, the user
//     registers the syscall wrapper received), its low bytes sign-extended.
//
// Tetragon refuses an argument with a source, a data entry with another
// source or without resolve, an index above 4, and more than five
// arguments and data entries together. Data entries take the event slots
// after the arguments. polc reads pt_regs entries as integers only, and
// refuses them on LSM hooks, whose context holds no registers (Tetragon's
// LSM program reads 0 there).

// tetragonMaxArgsData is Tetragon's EventConfigMaxArgs: arguments and
// data entries of one hook together.
const tetragonMaxArgsData = 5

// checkData checks a hook's data entries, and that no argument has a
// source.
func (c *checker) checkData(h *hookView) {
	args := h.hook.Args
	if h.ret != nil {
		args = append(args[:len(args):len(args)], h.ret)
	}
	for _, a := range args {
		if a.Field("source") != nil {
			c.errorf(fieldOr(a.At, "source"), "bad-data", "declare the value under data:, or remove source",
				"an argument cannot have a source (%q): only data entries are read from one, as in Tetragon", a.Source)
		}
	}
	if len(h.data) == 0 {
		return
	}
	if h.kind != hookKprobe && h.kind != hookUprobe && h.kind != hookLSM {
		return // the schema has no data on other hooks
	}
	if n := len(h.hook.Args) + len(h.data); n > tetragonMaxArgsData {
		c.errorf(fieldOr(h.at, "data"), "bad-data", "a hook reads at most five values, arguments and data together",
			"%d arguments and %d data entries: Tetragon reads at most %d together", len(h.hook.Args), len(h.data), tetragonMaxArgsData)
	}
	for _, a := range h.data {
		c.checkDataEntry(h, a)
	}
}

func (c *checker) checkDataEntry(h *hookView, a *Arg) {
	t := c.argType(h, a)
	h.types[a] = t
	if a.Index > tetragonKprobeMaxIndex {
		c.errorf(fieldOr(a.At, "index"), "arg-index", "Tetragon refuses data indexes above 4",
			"data index %d is out of range (0 to %d)", a.Index, tetragonKprobeMaxIndex)
	}
	for _, f := range []string{"sizeArgIndex", "returnCopy", "maxData", "btfType", "btfTypeModule"} {
		if a.Field(f) != nil {
			c.errorf(fieldOr(a.At, f), "bad-data", "remove "+f,
				"%s on a data entry is not supported by polc: data entries are values read through resolve", f)
		}
	}
	if t.IsBuffer() || t == ir.TypeIovIter || t == ir.TypeSockaddr || t == ir.TypeSockaddrUn || t == ir.TypeInt32Arr || t == ir.TypeDNS {
		c.errorf(fieldOr(a.At, "type"), "bad-data", "read a string, an integer or a kernel object (file, path, cred, ...)",
			"a data entry of type %s is not supported by polc", t)
	}
	resolveNode := fieldOr(a.At, "resolve")
	switch a.Source {
	case "current_task":
		if a.Resolve == "" {
			c.errorf(a.Node, "bad-data", `name the task_struct member to read, e.g. resolve: "cred.euid.val"`,
				"data entry without resolve: Tetragon requires it")
			return
		}
		if !resolvePath.MatchString(a.Resolve) {
			c.errorf(resolveNode, "bad-resolve", `write a path of struct members, such as "real_parent.tgid"`,
				"resolve %q is not a member path", a.Resolve)
			return
		}
		c.targetTaskResolve(a, t)
	case "pt_regs":
		if h.kind == hookLSM {
			c.errorf(fieldOr(a.At, "source"), "bad-data", "read the current task (source: current_task), or the hook's arguments",
				"source pt_regs on an LSM hook: its context holds the hook's arguments, not registers (Tetragon's LSM program reads 0)")
			return
		}
		if k := h.kprobe; k != nil && k.Fentry {
			c.errorf(fieldOr(a.At, "source"), "bad-data", "read the current task (source: current_task), the function's arguments, or hook it under kprobes",
				"source pt_regs on an fentry: its context holds the function's arguments, not registers")
			return
		}
		if k := h.kprobe; k != nil && !k.Syscall && strings.HasPrefix(k.Call, "security_") && hasOverrideAction(h) {
			c.errorf(fieldOr(a.At, "source"), "bad-data", "read the current task (source: current_task), or drop Override",
				"source pt_regs on %s with Override: polc runs the hook as fmod_ret, whose context holds the arguments, not registers", k.Call)
			return
		}
		if a.Resolve == "" {
			c.errorf(a.Node, "bad-data", "name the register to read, e.g. resolve: \"rax\"",
				"data entry without resolve: Tetragon requires it")
			return
		}
		if _, ok := c.opts.Arch.UserReg(a.Resolve); !ok {
			c.errorf(resolveNode, "bad-data", fmt.Sprintf("%s registers: %s", c.opts.Arch, c.opts.Arch.PtRegsNames()),
				"%q is not a register of %s", a.Resolve, c.opts.Arch)
		}
		if t != ir.TypeInvalid && !t.IsInteger() {
			c.errorf(fieldOr(a.At, "type"), "bad-data", "read the register as an integer type (int, uint32, int64, uint64, size_t, ...)",
				"a pt_regs data entry of type %s is not supported by polc: it reads registers as integers", t)
		}
	case "":
		c.errorf(a.Node, "bad-data", `add source: "current_task" or source: "pt_regs"`,
			"data entry without source: Tetragon refuses it")
	default:
		c.errorf(fieldOr(a.At, "source"), "bad-data", "source is current_task or pt_regs",
			"data source %q: Tetragon reads data from current_task or pt_regs only", a.Source)
	}
}

// targetTaskResolve checks a current_task path against the target's BTF,
// or without a target against the reference kernel's types, which build
// then uses, with a note saying so.
func (c *checker) targetTaskResolve(a *Arg, t ir.ArgType) {
	n := fieldOr(a.At, "resolve")
	types := c.opts.Target
	if types == nil {
		if types = c.reference(n); types == nil {
			return
		}
	}
	if _, err := types.Spec(); err != nil {
		return // reported with the target
	}
	task, err := types.StructType("task_struct")
	if err != nil {
		c.errorf(n, "bad-resolve", referenceHint, "current task: %v", err)
		return
	}
	r, err := types.Resolve(task, a.Resolve)
	if errors.Is(err, target.ErrNotFound) && c.opts.Target == nil {
		c.warnf(n, "needs-target", referenceHint,
			"current task: %v in %s, which types it when no target is given: build needs a target that has the member", err, types.Kernel())
		return
	}
	if errors.Is(err, target.ErrNotFound) {
		c.errorf(n, "bad-resolve", "resolve follows struct members of the kernel's BTF, through pointers",
			"current task: %v", err)
		return
	}
	if c.opts.Target == nil {
		c.report(Note, n, "reference-types", referenceHint,
			"resolve %q on the current task is typed against %s: its members are read through CO-RE relocations, at the offsets of the kernel that loads it, and a member that kernel lacks fails the load, naming it", a.Resolve, types.Kernel())
		return // the declared type is checked against a target only
	}
	if err != nil || t == ir.TypeInvalid {
		return
	}
	c.fitArg(fieldOr(a.At, "type"), t, r, true, fmt.Sprintf("the current task, resolved through %s,", a.Resolve))
}

// dataForFilter finds the data entry a matchData filter tests: with args,
// the entry at that position of data; else the one declared with index.
// Where the two readings name different entries (index N declared at
// another position than N), polc refuses the filter rather than guess
// which Tetragon means.
func (c *checker) dataForFilter(h *hookView, f *ArgFilter) (*Arg, bool) {
	if len(f.Args) > 0 {
		pos := f.Args[0]
		if pos < 0 || pos >= len(h.data) {
			c.errorf(valueNode(f.At, "args", 0), "unknown-arg", "matchData args are positions in the hook's data, from 0",
				"args entry %d is not a position in the hook's data (it declares %d)", pos, len(h.data))
			return nil, false
		}
		return h.data[pos], true
	}
	idx := derefOr(f.Index, 0)
	for pos, a := range h.data {
		if a.Index != idx {
			continue
		}
		if pos != idx {
			c.errorf(fieldOr(f.At, "index"), "bad-data", fmt.Sprintf("name the entry by its position instead: args: [%d]", pos),
				"matchData index %d: the data entry of index %d is at position %d, and polc does not guess whether the index or the position is meant", idx, idx, pos)
			return nil, false
		}
		return a, true
	}
	var declared []string
	for _, a := range h.data {
		declared = append(declared, strconv.Itoa(a.Index))
	}
	hint := "declare the value under the hook's data: first"
	if len(declared) > 0 {
		hint = "matchData index is a data entry's index; declared: " + strings.Join(declared, ", ")
	}
	c.errorf(fieldOr(f.At, "index"), "unknown-arg", hint, "matchData index %d refers to no data entry", idx)
	return nil, false
}

// checkDataFilter checks one matchData filter.
func (c *checker) checkDataFilter(h *hookView, f *ArgFilter) {
	a, ok := c.dataForFilter(h, f)
	if !ok {
		return
	}
	if strings.EqualFold(f.Operator, ir.OpCapabilitiesGained.String()) {
		c.errorf(fieldOr(f.At, "operator"), "bad-data", "compare capability sets with matchArgs",
			"CapabilitiesGained in matchData is not supported by polc")
		return
	}
	c.checkFilterOn(h, f, a, h.types[a], "matchData")
}

// hasOverrideAction reports whether a selector of h has an Override action.
func hasOverrideAction(h *hookView) bool {
	for _, s := range h.hook.Selectors {
		for _, a := range s.MatchActions {
			if strings.EqualFold(a.Action, "override") {
				return true
			}
		}
	}
	return false
}
