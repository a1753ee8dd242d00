package codegen

import (
	"fmt"
	"strconv"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/ir"
)

// A uprobe's argument with btfType and resolve points to user memory laid
// out as the probed binary's types, which Tetragon reads from the uprobe's
// btfPath (a BTF file of the binary) rather than from the kernel. polc reads
// that file at build time: the binary's layout is fixed, so the offsets of
// the members are constants (no CO-RE relocation, which only the kernel's
// types could satisfy), and each pointer on the path is followed with
// bpf_probe_read_user.

// planUserResolve plans argument a of uprobe h from h's btfPath.
func (g *gen) planUserResolve(h *ir.Hook, a *ir.Arg, fail func(string, ...any) bool) bool {
	if h.BTFPath == "" {
		return fail("a uprobe's types come from the binary's BTF: give the uprobe's btfPath")
	}
	if a.BTFType == "" {
		return fail("give btfType, the type in %s the argument points to", h.BTFPath)
	}
	spec, err := btf.LoadSpec(h.BTFPath)
	if err != nil {
		return fail("reading btfPath (polc reads the binary's BTF at build time): %v", err)
	}
	types, err := spec.AnyTypesByName(a.BTFType)
	if err != nil {
		return fail("%s has no type %q: %v", h.BTFPath, a.BTFType, err)
	}
	var root btf.Type
	for _, t := range types {
		switch u := btf.UnderlyingType(t).(type) {
		case *btf.Struct, *btf.Union:
			root = u
		}
		if root != nil {
			break
		}
	}
	if root == nil {
		return fail("type %q of %s is not a struct or union", a.BTFType, h.BTFPath)
	}
	segs, err := userSegments(root, a.Resolve)
	if err != nil {
		return fail("%v", err)
	}
	if g.resolved == nil {
		g.resolved = map[*ir.Arg][]resolveSeg{}
	}
	g.resolved[a] = segs
	return true
}

// userSegments walks path from root, a type of the binary's BTF: a
// segment per pointer loaded (and for the last member, its value or its
// address), each at the byte offset of its member from the address the
// previous one gave.
func userSegments(root btf.Type, path []string) ([]resolveSeg, error) {
	if len(path) == 0 {
		return nil, fmt.Errorf("btfType without resolve: give the member path to read")
	}
	var segs []resolveSeg
	cur := root
	var off uint32
	for i, step := range path {
		m := resolveIndex.FindStringSubmatch(step)
		if m == nil {
			return nil, fmt.Errorf("%q is not a member name (or name[index])", step)
		}
		name := m[1]
		member, moff, ok := findKernelMember(cur, name)
		if !ok {
			return nil, fmt.Errorf("%s has no member %s", typeLabel(cur), name)
		}
		if member.BitfieldSize != 0 {
			return nil, fmt.Errorf("member %s of %s is a bit field, which cannot be read", name, typeLabel(cur))
		}
		off += moff
		mt := btf.UnderlyingType(member.Type)
		if m[2] != "" {
			arr, ok := mt.(*btf.Array)
			if !ok {
				return nil, fmt.Errorf("member %s of %s is not an array: it has no [%s]", name, typeLabel(cur), m[2])
			}
			k, _ := strconv.Atoi(m[2])
			if uint32(k) >= arr.Nelems {
				return nil, fmt.Errorf("member %s of %s has %d elements: [%d] is beyond them", name, typeLabel(cur), arr.Nelems, k)
			}
			mt = btf.UnderlyingType(arr.Type)
			size, err := btf.Sizeof(mt)
			if err != nil {
				return nil, fmt.Errorf("member %s of %s: %v", name, typeLabel(cur), err)
			}
			off += uint32(k) * uint32(size)
		}
		last := i == len(path)-1
		if off > 1<<20 {
			return nil, fmt.Errorf("member %s of %s is %d bytes in: too far", name, typeLabel(cur), off)
		}
		seg := func(load int) resolveSeg { return resolveSeg{user: true, off: int32(off), load: load} }
		switch t := mt.(type) {
		case *btf.Pointer:
			segs = append(segs, seg(8))
			off = 0
			if !last {
				switch next := btf.UnderlyingType(t.Target).(type) {
				case *btf.Struct, *btf.Union:
					cur = next
				default:
					return nil, fmt.Errorf("member %s of %s is a pointer to %s, which has no members", name, typeLabel(cur), next)
				}
			}
		case *btf.Struct, *btf.Union:
			if last {
				segs = append(segs, seg(0))
			} else {
				cur = t
			}
		case *btf.Array:
			if !last {
				return nil, fmt.Errorf("member %s of %s is an array: index it (%s[0])", name, typeLabel(cur), name)
			}
			segs = append(segs, seg(0))
		case *btf.Int, *btf.Enum:
			if !last {
				return nil, fmt.Errorf("member %s of %s is an integer: there is nothing to follow in it", name, typeLabel(cur))
			}
			size, _ := btf.Sizeof(t)
			if size < 1 || size > 8 {
				return nil, fmt.Errorf("member %s of %s is an integer of %d bytes", name, typeLabel(cur), size)
			}
			segs = append(segs, seg(size))
		default:
			return nil, fmt.Errorf("member %s of %s is %s, which cannot be read", name, typeLabel(cur), t)
		}
	}
	return segs, nil
}
