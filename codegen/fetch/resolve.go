package fetch

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
	"github.com/polc-dev/polc/codegen/prog"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// resolve: an argument's value is a pointer to a kernel struct (of the
// hook's prototype, or of btfType), and resolve: "mm.owner.comm" follows
// members from it, as Tetragon does: a pointer member is loaded and
// followed, an embedded struct is stepped into, and the last member gives
// the value the declared type reads: a pointer's value, an integer's
// value, or the address of an array or struct (a comm, a struct path).
//
// The members come from the target profile's BTF (--target), or without
// one from the reference kernel's (target.Reference): polc never reads the
// build machine's kernel.
// The program reads them through CO-RE relocations against local types
// made from the profile's, so the bundle follows the same members on any
// kernel that has them, wherever they are.

// resolveSeg is one read of a resolve path: from the struct an address
// points to (root, a local type holding only the members read), through
// embedded members (the accessor), to a member that is loaded (a pointer
// followed, or the last member's value) or whose address is the value.
type resolveSeg struct {
	root     btf.Type
	accessor string
	load     int // bytes to load at the member: 8 for a pointer, 1-8 for an integer; 0: its address
	// user: a uprobe's step, in user memory, whose offset and load are
	// load-time variables (resolve_user.go): off is the step's number;
	// root, accessor and load are unset.
	user bool
	off  int32
}

var resolveIndex = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$`)

// PlanResolve checks argument a's resolve path against the target's BTF
// and keeps how to read it; it reports and returns false when it cannot.
func (g *Plan) PlanResolve(h *ir.Hook, a *ir.Arg) bool {
	what := fmt.Sprintf("resolve %q on argument %d of %s", strings.Join(a.Resolve, "."), a.Index, h.Call)
	if a.Data() {
		what = fmt.Sprintf("resolve %q on the %s data of %s", strings.Join(a.Resolve, "."), a.Source, h.Call)
	}
	if a.BTFType != "" && len(a.Resolve) == 0 {
		what = fmt.Sprintf("btfType %q on argument %d of %s", a.BTFType, a.Index, h.Call)
	}
	fail := func(format string, args ...any) bool {
		g.errorf(a.Pos, "%s: %s", what, fmt.Sprintf(format, args...))
		return false
	}
	if h.Kind == ir.HookUprobe && !a.Data() {
		return g.planUserResolve(h, a, fail)
	}
	types := g.target
	if types == nil {
		// No target: the reference kernel's types (target/reference.go);
		// the reads below are CO-RE relocated all the same.
		ref, err := target.Reference(g.arch)
		if err != nil {
			return fail("%v", err)
		}
		types = ref
	}
	spec, err := types.Spec()
	if err != nil {
		return fail("the target profile has no BTF: %v", err)
	}
	root, err := g.resolveRoot(h, a, types, spec)
	if err != nil {
		return fail("%v", err)
	}
	segs, err := resolveSegments(root, a.Resolve)
	if err != nil && g.target == nil {
		return fail("%v in %s, whose types polc uses without a target: build with --target, a profile of a kernel that has it", err, types.Kernel())
	}
	if err != nil {
		return fail("%v", err)
	}
	if g.resolved == nil {
		g.resolved = map[*ir.Arg][]resolveSeg{}
	}
	g.resolved[a] = segs
	return true
}

// resolveRoot is the type argument a points to: btfType's, or the
// pointee of the parameter of the hook's prototype.
func (g *Plan) resolveRoot(h *ir.Hook, a *ir.Arg, tp *target.Profile, spec *btf.Spec) (btf.Type, error) {
	if a.Source == ir.SourceCurrentTask {
		return taskRoot(spec) // data.go
	}
	if a.BTFType != "" {
		types, err := spec.AnyTypesByName(a.BTFType)
		if err != nil {
			return nil, fmt.Errorf("%s has no type %q: %w", tp.Kernel(), a.BTFType, err)
		}
		for _, t := range types {
			switch u := btf.UnderlyingType(t).(type) {
			case *btf.Struct, *btf.Union:
				return u, nil
			}
		}
		return nil, fmt.Errorf("type %q of %s is not a struct or union", a.BTFType, tp.Kernel())
	}
	var fn string
	index := a.Index
	switch {
	case h.Kind == ir.HookKprobe && h.Syscall, h.Kind == ir.HookUprobe, h.Kind == ir.HookUSDT:
		return nil, fmt.Errorf("the argument is user memory; resolve follows kernel structs (and a uprobe's needs the binary's BTF, which polc does not read yet)")
	case h.Kind == ir.HookTracepoint:
		return nil, fmt.Errorf("tracepoint fields have no BTF type (Tetragon does not resolve them either): hook the raw tracepoint (raw: true), whose arguments do")
	case h.Kind == ir.HookKprobe:
		fn = h.Target
	case h.Kind == ir.HookLSM:
		fn = "bpf_lsm_" + h.Target
	case h.Kind == ir.HookRawTracepoint:
		// btf_trace_EVENT is the prototype with the context first.
		event := h.Target[strings.LastIndexByte(h.Target, '/')+1:]
		var td *btf.Typedef
		if err := spec.TypeByName("btf_trace_"+event, &td); err != nil {
			return nil, fmt.Errorf("%s has no raw tracepoint %s (btf_trace_%s): %w", tp.Kernel(), event, event, err)
		}
		ptr, ok := btf.UnderlyingType(td.Type).(*btf.Pointer)
		if !ok {
			return nil, fmt.Errorf("btf_trace_%s is not a function pointer", event)
		}
		proto, ok := btf.UnderlyingType(ptr.Target).(*btf.FuncProto)
		if !ok {
			return nil, fmt.Errorf("btf_trace_%s is not a function pointer", event)
		}
		return paramPointee(proto, index+1, "raw tracepoint "+event, index)
	default:
		return nil, fmt.Errorf("resolve on %s hooks is not supported", h.Kind)
	}
	var f *btf.Func
	if err := spec.TypeByName(fn, &f); err != nil {
		return nil, fmt.Errorf("%s has no function %s in its BTF: %w", tp.Kernel(), fn, err)
	}
	proto, ok := f.Type.(*btf.FuncProto)
	if !ok {
		return nil, fmt.Errorf("%s has no prototype", fn)
	}
	return paramPointee(proto, index, fn, index)
}

// paramPointee is the struct parameter i of proto points to.
func paramPointee(proto *btf.FuncProto, i int, fn string, shown int) (btf.Type, error) {
	if i < 0 || i >= len(proto.Params) {
		return nil, fmt.Errorf("%s has %d parameters: there is no argument %d", fn, len(proto.Params), shown)
	}
	p := proto.Params[i]
	ptr, ok := btf.UnderlyingType(p.Type).(*btf.Pointer)
	if !ok {
		return nil, fmt.Errorf("argument %d of %s (%s) is not a pointer to a struct", shown, fn, p.Name)
	}
	switch t := btf.UnderlyingType(ptr.Target).(type) {
	case *btf.Struct, *btf.Union:
		return t, nil
	}
	return nil, fmt.Errorf("argument %d of %s (%s) does not point to a struct", shown, fn, p.Name)
}

// resolveSegments walks path from the kernel struct root.
func resolveSegments(root btf.Type, path []string) ([]resolveSeg, error) {
	var segs []resolveSeg
	cur := root // the kernel composite the segment is in
	var local btf.Type
	var localCur btf.Type
	var acc []string
	start := func(t btf.Type) {
		local = localComposite(t)
		localCur, acc = local, []string{"0"}
	}
	start(cur)
	for i, step := range path {
		m := resolveIndex.FindStringSubmatch(step)
		if m == nil {
			return nil, fmt.Errorf("%q is not a member name (or name[index])", step)
		}
		name := m[1]
		member, off, ok := target.FindMember(cur, name)
		if !ok {
			return nil, fmt.Errorf("%s has no member %s", target.TypeLabel(cur), name)
		}
		mt := btf.UnderlyingType(member.Type)
		shape := localShape(mt)
		idx := addLocalMember(localCur, name, shape, off)
		acc = append(acc, strconv.Itoa(idx))
		if m[2] != "" {
			arr, ok := mt.(*btf.Array)
			if !ok {
				return nil, fmt.Errorf("member %s of %s is not an array: it has no [%s]", name, target.TypeLabel(cur), m[2])
			}
			k, _ := strconv.Atoi(m[2])
			if uint32(k) >= arr.Nelems {
				return nil, fmt.Errorf("member %s of %s has %d elements: [%d] is beyond them", name, target.TypeLabel(cur), arr.Nelems, k)
			}
			acc = append(acc, m[2])
			mt = btf.UnderlyingType(arr.Type)
			shape = shape.(*btf.Array).Type
		}
		last := i == len(path)-1
		seg := func(load int) resolveSeg {
			return resolveSeg{root: local, accessor: strings.Join(acc, ":"), load: load}
		}
		switch t := mt.(type) {
		case *btf.Pointer:
			segs = append(segs, seg(8))
			if !last {
				next, ok := btf.UnderlyingType(t.Target).(*btf.Struct)
				var union *btf.Union
				if !ok {
					union, _ = btf.UnderlyingType(t.Target).(*btf.Union)
				}
				switch {
				case next != nil:
					cur = next
				case union != nil:
					cur = union
				default:
					return nil, fmt.Errorf("member %s of %s is a pointer to %s, which has no members", name, target.TypeLabel(cur), btf.UnderlyingType(t.Target))
				}
				if cur.TypeName() == "" {
					return nil, fmt.Errorf("member %s of %s points to an anonymous type, which cannot be followed across kernels", name, target.TypeLabel(cur))
				}
				start(cur)
			}
		case *btf.Struct, *btf.Union:
			if last {
				segs = append(segs, seg(0))
			} else {
				cur, localCur = t, shape
			}
		case *btf.Array:
			if !last {
				return nil, fmt.Errorf("member %s of %s is an array: index it (%s[0])", name, target.TypeLabel(cur), name)
			}
			segs = append(segs, seg(0))
		case *btf.Int, *btf.Enum:
			if !last {
				return nil, fmt.Errorf("member %s of %s is an integer: there is nothing to follow in it", name, target.TypeLabel(cur))
			}
			size, _ := btf.Sizeof(t)
			if size < 1 || size > 8 {
				return nil, fmt.Errorf("member %s of %s is an integer of %d bytes", name, target.TypeLabel(cur), size)
			}
			segs = append(segs, seg(size))
		default:
			return nil, fmt.Errorf("member %s of %s is %s, which cannot be read", name, target.TypeLabel(cur), t)
		}
	}
	if len(path) == 0 {
		return nil, fmt.Errorf("an empty path")
	}
	return segs, nil
}

// localComposite starts the local declaration of kernel composite t: its
// name and size, and no members yet.
func localComposite(t btf.Type) btf.Type {
	switch c := t.(type) {
	case *btf.Union:
		return &btf.Union{Name: c.Name, Size: c.Size}
	case *btf.Struct:
		return &btf.Struct{Name: c.Name, Size: c.Size}
	}
	return &btf.Struct{Name: t.TypeName()}
}

// localShape is the local type of a member of kernel type t: CO-RE
// matches members by name and kind, so pointers point to void and
// integers keep their size only.
func localShape(t btf.Type) btf.Type {
	switch c := t.(type) {
	case *btf.Pointer:
		return &btf.Pointer{Target: &btf.Void{}}
	case *btf.Struct, *btf.Union:
		return localComposite(c)
	case *btf.Array:
		return &btf.Array{Index: &btf.Int{Name: "u32", Size: 4}, Type: localShape(btf.UnderlyingType(c.Type)), Nelems: c.Nelems}
	case *btf.Enum:
		return &btf.Enum{Name: c.Name, Size: c.Size, Signed: c.Signed}
	case *btf.Int:
		return &btf.Int{Name: c.Name, Size: c.Size, Encoding: c.Encoding}
	}
	return &btf.Int{Name: "u64", Size: 8}
}

// addLocalMember adds a member to local composite c and returns its index.
func addLocalMember(c btf.Type, name string, t btf.Type, off uint32) int {
	m := btf.Member{Name: name, Type: t, Offset: btf.Bits(off * 8)}
	switch l := c.(type) {
	case *btf.Struct:
		l.Members = append(l.Members, m)
		return len(l.Members) - 1
	case *btf.Union:
		m.Offset = 0
		l.Members = append(l.Members, m)
		return len(l.Members) - 1
	}
	return 0
}

// loadResolved emits dst = argument a read through its resolve path: the
// argument's own value, then each segment of the path.
func (p *Gen) loadResolved(dst asm.Register, a *ir.Arg) bool {
	segs, ok := p.g.resolved[a]
	if !ok {
		p.Errorf(a.Pos, "internal error: resolve path of argument %d not planned", a.Index)
		return false
	}
	raw := *a
	raw.Resolve, raw.BTFType = nil, ""
	w := dst
	if w != asm.R7 && w != asm.R8 {
		w = asm.R7
	}
	if !p.LoadArg(w, &raw) {
		return false
	}
	for _, s := range segs {
		if s.user {
			p.userStep(w, a, int(s.off))
			continue
		}
		field := object.CORE(asm.Add.Imm(asm.R3, 0), s.root, s.accessor, object.FieldByteOffset)
		if s.load == 0 {
			p.Emit(object.CORE(asm.Add.Imm(w, 0), s.root, s.accessor, object.FieldByteOffset))
			continue
		}
		p.Emit(
			emit.StoreImm(asm.RFP, prog.StTmp, 0, asm.DWord),
			asm.Mov.Reg(asm.R3, w),
			field,
			asm.Mov.Reg(asm.R1, asm.RFP),
			asm.Add.Imm(asm.R1, prog.StTmp),
			asm.Mov.Imm(asm.R2, int32(s.load)),
			asm.FnProbeReadKernel.Call(),
			asm.LoadMem(w, asm.RFP, prog.StTmp, asm.DWord),
		)
	}
	if w != dst {
		p.Emit(asm.Mov.Reg(dst, w))
	}
	return true
}
