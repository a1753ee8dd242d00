package loader

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/target"
)

// SetUserResolves sets the variables of each uprobe argument read through
// a member path of a type of its hook's btfPath (bpf.Hook.UserResolves):
// it reads the BTF file on this host, as Tetragon does when it loads the
// policy, walks the path (target.UserResolve) and gives each step of the
// program its offset and load; steps past the walk's add nothing. Hooks
// in skip are left alone: their programs are not loaded. A file that
// cannot be read, or a path its types do not have, fails the load naming
// the policy, the hook and the argument.
func SetUserResolves(spec *ebpf.CollectionSpec, m *bpf.Manifest, skip map[int]bool) error {
	files := map[string]*btf.Spec{}
	for _, h := range m.Hooks {
		if len(h.UserResolves) == 0 || skip[h.ID] {
			continue
		}
		fail := func(r bpf.UserResolve, err error) error {
			return &ProgramError{Policy: m.PolicyName(&h), Hook: hookLabel(h), Pos: r.Pos,
				Step: fmt.Sprintf("resolve %q on argument %d (btfPath %s)", strings.Join(r.Resolve, "."), r.Index, h.BTFPath), Err: err}
		}
		types, ok := files[h.BTFPath]
		if !ok {
			var err error
			if types, err = btf.LoadSpec(h.BTFPath); err != nil {
				return fail(h.UserResolves[0], fmt.Errorf("reading the binary's BTF: %w", err))
			}
			files[h.BTFPath] = types
		}
		for _, r := range h.UserResolves {
			segs, err := target.UserResolve(types, r.BTFType, r.Resolve)
			if err != nil {
				return fail(r, err)
			}
			for i := range r.Resolve {
				var s target.UserSeg // past the walk: add 0, load nothing
				if i < len(segs) {
					s = segs[i]
				}
				for field, val := range map[string]uint32{"off": uint32(s.Off), "load": uint32(s.Load)} {
					name := bpf.UserResolveVar(h.ID, r.Slot, i, field)
					v := spec.Variables[name]
					if v == nil {
						return fmt.Errorf("%w: hook %s reads argument %d through btfPath, and the bundle has no variable %s", ErrBadBundle, hookLabel(h), r.Index, name)
					}
					if err := v.Set(val); err != nil {
						return fmt.Errorf("set %s: %w", name, err)
					}
				}
			}
		}
	}
	return nil
}
