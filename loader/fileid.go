package loader

import (
	"fmt"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
)

// FileIDEntries looks up, on this machine, the files whose identities the
// bundle's SameFile tests compare (the manifest's FileIDs), as Tetragon
// does when it loads a policy: each path, following symbolic links, gives
// its inode number and the device of its file system in the kernel's
// encoding. It returns what to put into each map. A path that names no
// file here is an error naming the hook, the selector and the path (Load
// adds the policy's name): the policy cannot have its meaning on this
// machine, so it is not loaded (Tetragon refuses it too).
func FileIDEntries(m *bpf.Manifest) ([]bpf.MapInit, error) {
	var out []bpf.MapInit
	for _, f := range m.FileIDs {
		init := bpf.MapInit{Map: f.Map}
		seen := map[string]bool{}
		for _, path := range f.Paths {
			key, err := fileID(path)
			if err != nil {
				return nil, fmt.Errorf("%s: SameFile value %q: %w; not loaded", fileIDUses(m, f), path, err)
			}
			if seen[string(key)] {
				continue // another name of a file already in the map
			}
			seen[string(key)] = true
			init.Entries = append(init.Entries, bpf.MapEntry{Key: key, Value: []byte{1}})
		}
		out = append(out, init)
	}
	return out, nil
}

// fileID is the FileIDMap key of the file path names here.
func fileID(path string) ([]byte, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return nil, fmt.Errorf("cannot identify the file on this machine: %w", err)
	}
	return bpf.FileIDKey(st.Ino, bpf.KernelDev(unix.Major(st.Dev), unix.Minor(st.Dev))), nil
}

// fileIDUses names the tests that read f: the hook, the selector and
// where in the policy, the first of them and how many more.
func fileIDUses(m *bpf.Manifest, f bpf.FileIDMap) string {
	if len(f.Uses) == 0 {
		return "map " + f.Map
	}
	u := f.Uses[0]
	s := fmt.Sprintf("selector %d", u.Selector)
	if u.Hook >= 0 && u.Hook < len(m.Hooks) {
		s += " of hook " + hookLabel(m.Hooks[u.Hook])
	}
	if u.Pos.Line > 0 {
		s += " (" + u.Pos.String() + ")"
	}
	if n := len(f.Uses) - 1; n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}

// checkFileIDMaps checks that the maps the manifest's FileIDs fill are
// the bundle's own hash maps of file identities, large enough.
func checkFileIDMaps(m *bpf.Manifest, spec *ebpf.CollectionSpec) error {
	filled := map[string]bool{}
	for _, mi := range m.Maps {
		filled[mi.Map] = true
	}
	for _, f := range m.FileIDs {
		ms := spec.Maps[f.Map]
		if ms == nil || bpf.IsSharedMap(f.Map) || filled[f.Map] {
			return fmt.Errorf("%w: manifest fills map %s with file identities, which is not one of the bundle's own maps or is filled otherwise too", ErrBadBundle, f.Map)
		}
		filled[f.Map] = true
		if ms.Type != ebpf.Hash || ms.KeySize != bpf.FileIDKeySize || ms.ValueSize != 1 || int(ms.MaxEntries) < len(f.Paths) {
			return fmt.Errorf("%w: map %s of file identities is a %s of %d-byte keys, %d-byte values and %d entries; want a Hash of %d, 1 and at least %d",
				ErrBadBundle, f.Map, ms.Type, ms.KeySize, ms.ValueSize, ms.MaxEntries, bpf.FileIDKeySize, len(f.Paths))
		}
		for _, u := range f.Uses {
			if u.Hook < 0 || u.Hook >= len(m.Hooks) {
				return fmt.Errorf("%w: map %s of file identities: a use names hook %d", ErrBadBundle, f.Map, u.Hook)
			}
		}
	}
	return nil
}
