package target

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/cilium/ebpf/btf"
)

// A uprobe's argument with btfType and resolve points to user memory laid
// out as a type of the probed binary, which Tetragon looks up in the
// uprobe's btfPath (a BTF file of the binary) rather than in the kernel's
// BTF. The binary's layout is fixed, so the members' offsets are constants:
// UserResolve turns a member path into them, for codegen (which reads
// them) and the compiler's checks (which report a bad path at validate).

// UserSeg is one read of a member path through user memory: the address
// so far plus Off, then Load bytes loaded there (8 for a pointer followed,
// 1 to 8 for the last member's integer value), or the address itself when
// Load is 0 (the last member is an array or a struct).
type UserSeg struct {
	Off  int32
	Load int
}

var userMemberStep = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$`)

// UserResolve walks path (member names, name[index] for an array element)
// from the struct or union named btfType in spec.
func UserResolve(spec *btf.Spec, btfType string, path []string) ([]UserSeg, error) {
	types, err := spec.AnyTypesByName(btfType)
	if err != nil {
		return nil, fmt.Errorf("no type %q: %w", btfType, err)
	}
	var cur btf.Type
	for _, t := range types {
		switch u := btf.UnderlyingType(t).(type) {
		case *btf.Struct, *btf.Union:
			cur = u
		}
		if cur != nil {
			break
		}
	}
	if cur == nil {
		return nil, fmt.Errorf("type %q is not a struct or union", btfType)
	}
	if len(path) == 0 {
		return nil, fmt.Errorf("btfType without resolve: give the member path to read")
	}
	var segs []UserSeg
	var off uint32
	for i, step := range path {
		m := userMemberStep.FindStringSubmatch(step)
		if m == nil {
			return nil, fmt.Errorf("%q is not a member name (or name[index])", step)
		}
		name := m[1]
		member, moff, ok := FindMember(cur, name)
		if !ok {
			return nil, fmt.Errorf("%s has no member %s", TypeLabel(cur), name)
		}
		if member.BitfieldSize != 0 {
			return nil, fmt.Errorf("member %s of %s is a bit field, which cannot be read", name, TypeLabel(cur))
		}
		off += moff
		mt := btf.UnderlyingType(member.Type)
		if m[2] != "" {
			arr, ok := mt.(*btf.Array)
			if !ok {
				return nil, fmt.Errorf("member %s of %s is not an array: it has no [%s]", name, TypeLabel(cur), m[2])
			}
			k, _ := strconv.Atoi(m[2])
			if uint32(k) >= arr.Nelems {
				return nil, fmt.Errorf("member %s of %s has %d elements: [%d] is beyond them", name, TypeLabel(cur), arr.Nelems, k)
			}
			mt = btf.UnderlyingType(arr.Type)
			size, err := btf.Sizeof(mt)
			if err != nil {
				return nil, fmt.Errorf("member %s of %s: %v", name, TypeLabel(cur), err)
			}
			off += uint32(k) * uint32(size)
		}
		if off > 1<<20 {
			return nil, fmt.Errorf("member %s of %s is %d bytes in: too far", name, TypeLabel(cur), off)
		}
		last := i == len(path)-1
		seg := func(load int) UserSeg { return UserSeg{Off: int32(off), Load: load} }
		switch t := mt.(type) {
		case *btf.Pointer:
			segs = append(segs, seg(8))
			off = 0
			if !last {
				switch next := btf.UnderlyingType(t.Target).(type) {
				case *btf.Struct, *btf.Union:
					cur = next
				default:
					return nil, fmt.Errorf("member %s of %s is a pointer to %s, which has no members", name, TypeLabel(cur), next)
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
				return nil, fmt.Errorf("member %s of %s is an array: index it (%s[0])", name, TypeLabel(cur), name)
			}
			segs = append(segs, seg(0))
		case *btf.Int, *btf.Enum:
			if !last {
				return nil, fmt.Errorf("member %s of %s is an integer: there is nothing to follow in it", name, TypeLabel(cur))
			}
			size, _ := btf.Sizeof(t)
			if size < 1 || size > 8 {
				return nil, fmt.Errorf("member %s of %s is an integer of %d bytes", name, TypeLabel(cur), size)
			}
			segs = append(segs, seg(size))
		default:
			return nil, fmt.Errorf("member %s of %s is %s, which cannot be read", name, TypeLabel(cur), t)
		}
	}
	return segs, nil
}

// FindMember finds member name of composite t (a struct or union), in
// anonymous structs and unions too, with its byte offset from t's start.
// Kernel and user types alike: codegen's resolve walks with it too.
func FindMember(t btf.Type, name string) (btf.Member, uint32, bool) {
	var members []btf.Member
	switch c := t.(type) {
	case *btf.Struct:
		members = c.Members
	case *btf.Union:
		members = c.Members
	}
	for _, m := range members {
		if m.Name == name {
			return m, m.Offset.Bytes(), true
		}
		if m.Name == "" {
			if inner, off, ok := FindMember(btf.UnderlyingType(m.Type), name); ok {
				return inner, m.Offset.Bytes() + off, true
			}
		}
	}
	return btf.Member{}, 0, false
}

// TypeLabel names composite t as C does: "struct NAME" or "union NAME".
func TypeLabel(t btf.Type) string {
	if _, ok := t.(*btf.Union); ok {
		return "union " + t.TypeName()
	}
	return "struct " + t.TypeName()
}
