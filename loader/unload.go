package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/polc-dev/polc/bpf"
)

// Unload removes the named policies' pins, which detaches them. When no
// policy is left, the base is removed too. A name that is not loaded is an
// ErrNotLoaded error, and nothing is unloaded then.
func Unload(names []string, opts *Options) error {
	o := opts.withDefaults()
	if !exists(o.PinRoot) {
		if len(names) > 0 {
			return fmt.Errorf("%w: %s", ErrNotLoaded, names[0])
		}
		return nil
	}
	lk, err := lockRoot(o.PinRoot)
	if err != nil {
		return err
	}
	defer lk.unlock()
	if err := removeStale(o.PinRoot); err != nil {
		return err
	}
	for _, n := range names {
		if !ValidPolicyName(n) || !exists(policyDir(o.PinRoot, n)) {
			return fmt.Errorf("%w: %s", ErrNotLoaded, n)
		}
	}
	var errs []error
	for _, n := range names {
		if err := removePolicy(o.PinRoot, n); err != nil {
			errs = append(errs, err)
		}
	}
	if err := removeBaseIfUnused(o.PinRoot); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, removeIfEmpty(o.PinRoot))
	return errors.Join(errs...)
}

// UnloadAll removes every policy, the base and polrun's pin root: after it
// nothing polrun pinned is left.
func UnloadAll(opts *Options) error {
	o := opts.withDefaults()
	if !exists(o.PinRoot) {
		return nil
	}
	lk, err := lockRoot(o.PinRoot)
	if err != nil {
		return err
	}
	defer lk.unlock()
	errs := []error{removeStale(o.PinRoot)}
	dirs, err := policyDirs(o.PinRoot)
	errs = append(errs, err)
	for _, d := range dirs {
		errs = append(errs, removePolicyDir(o.PinRoot, d))
	}
	errs = append(errs, removeBaseIfUnused(o.PinRoot))
	// Anything else in the root is not polrun's layout; leave it, and the
	// root with it, rather than remove what polrun did not pin.
	errs = append(errs, removeIfEmpty(o.PinRoot))
	return errors.Join(errs...)
}

// removePolicy renames a policy aside, then removes its pins.
func removePolicy(root, name string) error {
	return removePolicyDir(root, bpf.PinName(name))
}

func removePolicyDir(root, dir string) error {
	trash := trashName(root, dir)
	if err := os.Rename(filepath.Join(root, bpf.PoliciesDir, dir), trash); err != nil {
		return fmt.Errorf("unload %s: %w", dir, err)
	}
	if err := os.RemoveAll(trash); err != nil {
		return fmt.Errorf("unload %s: %w", dir, err)
	}
	return nil
}

// removeBaseIfUnused removes the base when no policy is loaded.
func removeBaseIfUnused(root string) error {
	dirs, err := policyDirs(root)
	if err != nil || len(dirs) > 0 {
		return err
	}
	if err := removeIfEmpty(filepath.Join(root, bpf.PoliciesDir)); err != nil {
		return err
	}
	return removeBase(root)
}
