package loader

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// Policy modes (bpf.ModeMap): a bundle whose policy has enforcement
// actions carries a mode map its programs read before each of them, and
// its default mode in the manifest. Load writes the mode (Options.Mode, or
// the default) into the map before attaching anything; SetMode changes it
// while the policy stays loaded.

// ErrMonitorOnly: the policy has no enforcement actions, so it has no
// mode to set.
var ErrMonitorOnly = errors.New("the policy has no enforcement actions (monitor_only): there is no mode to set")

// checkModeMap checks that a bundle declares bpf.ModeMap, with its
// layout, exactly when its manifest names a mode.
func checkModeMap(m *bpf.Manifest, spec *ebpf.CollectionSpec) error {
	ms := spec.Maps[bpf.ModeMap]
	if m.Mode == "" {
		if ms != nil {
			return fmt.Errorf("%w: the object declares %s but the manifest names no mode", ErrBadBundle, bpf.ModeMap)
		}
		return nil
	}
	if _, err := bpf.ModeValue(m.Mode); err != nil {
		return fmt.Errorf("%w: manifest: %v", ErrBadBundle, err)
	}
	if ms == nil {
		return fmt.Errorf("%w: the manifest names mode %s but the object has no %s", ErrBadBundle, m.Mode, bpf.ModeMap)
	}
	if ms.Type != ebpf.Array || ms.KeySize != 4 || ms.ValueSize != 4 || ms.MaxEntries != 1 {
		return fmt.Errorf("%w: %s is a %s of %d entries, key %d and value %d bytes; the contract is an array of one uint32",
			ErrBadBundle, bpf.ModeMap, ms.Type, ms.MaxEntries, ms.KeySize, ms.ValueSize)
	}
	return nil
}

// enforces says whether the bundle's programs can enforce: signals,
// Override, enforcers. Bundles built before modes existed have such
// actions and no mode map.
func enforces(m *bpf.Manifest) bool {
	if m.Mode != "" {
		return true
	}
	for _, f := range m.Features {
		if f == bpf.FeatureSendSignal {
			return true
		}
	}
	for _, h := range m.Hooks {
		if h.Override != "" || h.Enforcer {
			return true
		}
	}
	return false
}

// loadMode is the mode Load puts a bundle in: mode (from Options.Mode) or
// the bundle's default. A bundle without a mode map gets none: a warning
// when mode asks for one it cannot change anything about, an error when
// it asks for monitor of a bundle that enforces anyway (built before
// modes existed).
func loadMode(m *bpf.Manifest, mode string) (value uint32, warning string, err error) {
	if mode != "" {
		if _, err := bpf.ModeValue(mode); err != nil {
			return 0, "", err
		}
	}
	if m.Mode == "" {
		switch {
		case mode == "":
			return 0, "", nil
		case enforces(m) && mode == bpf.ModeMonitor:
			return 0, "", fmt.Errorf("the bundle was built without a mode map, so its enforcement actions cannot be turned off: build it again with this polc")
		case enforces(m):
			return 0, fmt.Sprintf("mode %s: the bundle was built without a mode map and always enforces", mode), nil
		}
		return 0, fmt.Sprintf("mode %s has no effect: the policy has no enforcement actions (%s)", mode, bpf.ModeMonitorOnly), nil
	}
	if mode == "" {
		mode = m.Mode
	}
	v, _ := bpf.ModeValue(mode)
	return v, "", nil
}

// writeMode stores v into the collection's mode map.
func writeMode(coll *ebpf.Collection, v uint32) error {
	mp := coll.Maps[bpf.ModeMap]
	if mp == nil {
		return fmt.Errorf("%w: no %s", ErrBadBundle, bpf.ModeMap)
	}
	if err := mp.Update(uint32(0), v, ebpf.UpdateAny); err != nil {
		return fmt.Errorf("set mode in %s: %w", bpf.ModeMap, err)
	}
	return nil
}

// modeOf reads the mode of the loaded policy whose pins are in dir and
// whose manifest is m.
func modeOf(dir string, m *bpf.Manifest) (string, error) {
	if m == nil {
		return "", nil
	}
	if m.Mode == "" {
		if enforces(m) {
			return bpf.ModeEnforce, nil
		}
		return bpf.ModeMonitorOnly, nil
	}
	mp, err := ebpf.LoadPinnedMap(filepath.Join(dir, bpf.MapsDir, bpf.ModeMap), &ebpf.LoadPinOptions{ReadOnly: true})
	if err != nil {
		return "", fmt.Errorf("open %s: %w", bpf.ModeMap, err)
	}
	defer mp.Close()
	var v uint32
	if err := mp.Lookup(uint32(0), &v); err != nil {
		return "", fmt.Errorf("read %s: %w", bpf.ModeMap, err)
	}
	return bpf.ModeName(v, m.Mode)
}

// SetMode switches the loaded policy name to mode (bpf.ModeEnforce or
// bpf.ModeMonitor) without reloading it: its programs read the mode map
// before every enforcement action, so the next event sees the new mode.
// A policy without enforcement actions is an ErrMonitorOnly error.
func SetMode(name, mode string, opts *Options) error {
	o := opts.withDefaults()
	v, err := bpf.ModeValue(mode)
	if err != nil {
		return err
	}
	if err := CheckPrivileges("changing a policy's mode"); err != nil {
		return err
	}
	if !ValidPolicyName(name) {
		return fmt.Errorf("%q is not a policy name", name)
	}
	lk, _, err := openRoot(o.PinRoot, false)
	if err != nil {
		return err
	}
	if lk == nil {
		return fmt.Errorf("%w: %s", ErrNotLoaded, name)
	}
	defer lk.unlock()
	dir := policyDir(o.PinRoot, name)
	if !exists(dir) {
		return fmt.Errorf("%w: %s", ErrNotLoaded, name)
	}
	// A directory polrun did not make is not one to write into.
	if err := checkDir(dir); err != nil {
		return fmt.Errorf("policy %s: %w", name, err)
	}
	m, _, err := readPolicyMeta(o.PinRoot, bpf.PinName(name))
	if err != nil {
		return err
	}
	if m.Mode == "" {
		if enforces(m) {
			return fmt.Errorf("policy %s: the bundle was built without a mode map and always enforces: build it again with this polc and load it with --replace", name)
		}
		return fmt.Errorf("policy %s: %w", name, ErrMonitorOnly)
	}
	mp, err := ebpf.LoadPinnedMap(filepath.Join(dir, bpf.MapsDir, bpf.ModeMap), nil)
	if err != nil {
		return fmt.Errorf("policy %s: open %s: %w", name, bpf.ModeMap, err)
	}
	defer mp.Close()
	if err := mp.Update(uint32(0), v, ebpf.UpdateExist); err != nil {
		return fmt.Errorf("policy %s: set mode: %w", name, err)
	}
	return nil
}
