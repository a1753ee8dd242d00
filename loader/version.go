package loader

import (
	"errors"
	"fmt"
	"path/filepath"
)

// ErrDowngrade: a signed bundle's version is lower than that of the
// loaded policy it would replace (a replayed old release).
var ErrDowngrade = errors.New("signed version is older than the loaded one")

// checkDowngrades refuses, unless o.AllowDowngrade, to replace a loaded
// policy with a signed bundle of a lower version than the one recorded
// with its pins. Bundles without a signed version (loaded without
// --verify) and policies loaded without one are not compared: only a
// verified version says which release a bundle is. Called with the pin
// root locked, so that no other load changes the versions meanwhile.
func checkDowngrades(o *Options, bundles []*Bundle) error {
	if o.AllowDowngrade {
		return nil
	}
	for _, b := range bundles {
		if b.SignedVersion == 0 {
			continue
		}
		loaded, err := LoadedVersion(o.PinRoot, b.Name())
		if err != nil || loaded <= b.SignedVersion {
			// Not loaded, or its state unreadable: the load itself
			// says what is wrong with the policy's pins.
			continue
		}
		return fmt.Errorf("%w: policy %s: %s is version %d, version %d is loaded (load a newer release, or give --allow-downgrade to roll back on purpose)",
			ErrDowngrade, b.Name(), bundleLabel(b), b.SignedVersion, loaded)
	}
	return nil
}

// LoadedVersion returns the signed version recorded with the pins of the
// loaded policy name: 0 when it was loaded without a verified signature,
// an error when it is not loaded or its state cannot be read.
func LoadedVersion(pinRoot, name string) (uint64, error) {
	if pinRoot == "" {
		pinRoot = (*Options)(nil).withDefaults().PinRoot
	}
	dir := policyDir(pinRoot, name)
	if !exists(dir) {
		return 0, fmt.Errorf("%w: %s", ErrNotLoaded, name)
	}
	_, st, err := readPolicyMeta(pinRoot, filepath.Base(dir))
	if err != nil {
		return 0, err
	}
	return st.SignedVersion, nil
}

func bundleLabel(b *Bundle) string {
	if b.Path != "" {
		return b.Path
	}
	return "the bundle"
}
