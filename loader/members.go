package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// Policy sets (polc build --set): one bundle of several member policies,
// loaded under the set's name. Their programs read bpf.MembersMap, one
// uint32 per member in its one value, before any of a member's work: SetMemberEnabled
// writes it, as SetMode writes the mode map, so switching a member off
// or on touches neither the others nor the programs.

// ErrNotMember: the set has no member of that name, or the policy is no set.
var ErrNotMember = errors.New("no such member of a policy set")

// checkMembersMap checks that a bundle declares bpf.MembersMap, with its
// layout, exactly when it is a policy set.
func checkMembersMap(m *bpf.Manifest, spec *ebpf.CollectionSpec) error {
	ms := spec.Maps[bpf.MembersMap]
	if len(m.Members) == 0 {
		if ms != nil {
			return fmt.Errorf("%w: the object declares %s but the manifest names no members", ErrBadBundle, bpf.MembersMap)
		}
		return nil
	}
	if ms == nil {
		if len(m.Hooks) == 0 {
			return nil // no program reads it
		}
		return fmt.Errorf("%w: the manifest names policy set members but the object has no %s", ErrBadBundle, bpf.MembersMap)
	}
	if ms.Type != ebpf.Array || ms.KeySize != 4 || ms.ValueSize != uint32(4*len(m.Members)) || ms.MaxEntries != 1 {
		return fmt.Errorf("%w: %s is a %s of %d entries, key %d and value %d bytes; the contract is an array of one value, a uint32 per member (%d)",
			ErrBadBundle, bpf.MembersMap, ms.Type, ms.MaxEntries, ms.KeySize, ms.ValueSize, len(m.Members))
	}
	return nil
}

// MemberStatus is one member of a loaded policy set.
type MemberStatus struct {
	Name    string
	Enabled bool
	// Counters are the member's own (bpf.CountersMap's entry), summed
	// over CPUs; nil when the bundle has none.
	Counters *bpf.Counters
}

// membersOf reads the members of the loaded set whose pins are in dir and
// whose manifest is m; nil for a policy that is no set.
func membersOf(dir string, m *bpf.Manifest) ([]MemberStatus, error) {
	if m == nil || len(m.Members) == 0 {
		return nil, nil
	}
	out := make([]MemberStatus, len(m.Members))
	for i, mb := range m.Members {
		out[i] = MemberStatus{Name: mb.Name, Enabled: true}
	}
	mp, err := ebpf.LoadPinnedMap(filepath.Join(dir, bpf.MapsDir, bpf.MembersMap), &ebpf.LoadPinOptions{ReadOnly: true})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return out, fmt.Errorf("open %s: %w", bpf.MembersMap, err)
	}
	if err == nil {
		defer mp.Close()
		v := make([]uint32, len(out))
		if err := mp.Lookup(uint32(0), v); err != nil {
			return out, fmt.Errorf("read %s: %w", bpf.MembersMap, err)
		}
		for i := range out {
			out[i].Enabled = v[i] == 0
		}
	}
	cs, err := countersEntries(filepath.Join(dir, bpf.MapsDir, bpf.CountersMap), len(out))
	for i := range cs {
		out[i].Counters = &cs[i]
	}
	return out, err
}

// SetMemberEnabled switches the member named member of the loaded policy
// set named set on or off, without reloading it: the set's programs read
// the member's switch before any of its work, so the next event sees the
// change, and the other members run on untouched.
func SetMemberEnabled(set, member string, enabled bool, opts *Options) error {
	o := opts.withDefaults()
	what := "disabling a policy set's member"
	if enabled {
		what = "enabling a policy set's member"
	}
	if err := CheckPrivileges(what); err != nil {
		return err
	}
	if !ValidPolicyName(set) {
		return fmt.Errorf("%q is not a policy name", set)
	}
	lk, _, err := openRoot(o.PinRoot, false)
	if err != nil {
		return err
	}
	if lk == nil {
		return fmt.Errorf("%w: %s", ErrNotLoaded, set)
	}
	defer lk.unlock()
	dir := policyDir(o.PinRoot, set)
	if !exists(dir) {
		return fmt.Errorf("%w: %s", ErrNotLoaded, set)
	}
	if err := checkDir(dir); err != nil {
		return fmt.Errorf("policy %s: %w", set, err)
	}
	m, _, err := readPolicyMeta(o.PinRoot, bpf.PinName(set))
	if err != nil {
		return err
	}
	if len(m.Members) == 0 {
		return fmt.Errorf("policy %s is no policy set: %w", set, ErrNotMember)
	}
	i := m.MemberIndex(member)
	if i < 0 {
		return fmt.Errorf("policy set %s: %w: %s", set, ErrNotMember, member)
	}
	mp, err := ebpf.LoadPinnedMap(filepath.Join(dir, bpf.MapsDir, bpf.MembersMap), nil)
	if err != nil {
		return fmt.Errorf("policy set %s: open %s: %w", set, bpf.MembersMap, err)
	}
	defer mp.Close()
	// The root's lock keeps other polruns from writing the value between
	// this read and write.
	v := make([]uint32, len(m.Members))
	if err := mp.Lookup(uint32(0), v); err != nil {
		return fmt.Errorf("policy set %s: read %s: %w", set, bpf.MembersMap, err)
	}
	v[i] = 1
	if enabled {
		v[i] = 0
	}
	if err := mp.Update(uint32(0), v, ebpf.UpdateExist); err != nil {
		return fmt.Errorf("policy set %s: switch %s: %w", set, member, err)
	}
	return nil
}

// reenabledMembers are warnings for the members switched off in the
// loaded policy set named name that a replacing load switches on again:
// the new bundle starts with every member enabled, as a new load does, so
// an operator who silenced a member hears that it speaks again.
func reenabledMembers(pinRoot, name string) []string {
	m, _, err := readPolicyMeta(pinRoot, bpf.PinName(name))
	if err != nil {
		return nil // no readable set: nothing was switched off
	}
	ms, _ := membersOf(policyDir(pinRoot, name), m)
	var out []string
	for _, mb := range ms {
		if !mb.Enabled {
			out = append(out, fmt.Sprintf("member %s was disabled in the replaced set and is enabled again (polrun unload %s/%s switches it off)", mb.Name, name, mb.Name))
		}
	}
	return out
}
