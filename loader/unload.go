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
// ErrNotLoaded error, and nothing is unloaded then. Like Load, it is
// journaled: a polrun killed while unloading leaves every named policy
// loaded or none, once the next polrun has run.
func Unload(names []string, opts *Options) error {
	o := opts.withDefaults()
	if err := CheckPrivileges("unloading"); err != nil {
		return err
	}
	lk, _, err := openRoot(o.PinRoot, false)
	if err != nil {
		return err
	}
	if lk == nil {
		if len(names) > 0 {
			return fmt.Errorf("%w: %s", ErrNotLoaded, names[0])
		}
		return nil
	}
	defer lk.unlock()
	for _, n := range names {
		if !ValidPolicyName(n) || !exists(policyDir(o.PinRoot, n)) {
			return fmt.Errorf("%w: %s", ErrNotLoaded, n)
		}
		if err := checkDir(policyDir(o.PinRoot, n)); err != nil {
			return fmt.Errorf("policy %s: %w", n, err)
		}
	}
	pins := make([]string, len(names))
	for i, n := range names {
		pins[i] = bpf.PinName(n)
	}
	if err := unloadPins(o.PinRoot, pins, opUnload); err != nil {
		return err
	}
	if o.Hold != nil {
		o.Hold.Release(names...)
	}
	return nil
}

// UnloadAll removes every policy, the base and polrun's pin root: after it
// nothing polrun pinned is left. A directory in policies/ that polrun did
// not make is not touched and reported, and the root stays then.
func UnloadAll(opts *Options) error {
	o := opts.withDefaults()
	if err := CheckPrivileges("unloading"); err != nil {
		return err
	}
	lk, _, err := openRoot(o.PinRoot, false)
	if err != nil || lk == nil {
		return err
	}
	defer lk.unlock()
	dirs, err := policyDirs(o.PinRoot)
	if err != nil {
		return err
	}
	var pins []string
	var errs []error
	for _, d := range dirs {
		if err := checkDir(filepath.Join(o.PinRoot, bpf.PoliciesDir, d)); err != nil {
			errs = append(errs, err)
			continue
		}
		pins = append(pins, d)
	}
	uerr := unloadPins(o.PinRoot, pins, opUnloadAll)
	if uerr == nil && o.Hold != nil {
		// The attachments held of what was unloaded go with it, also when
		// a directory that is not polrun's stays.
		unloaded := map[string]bool{}
		for _, p := range pins {
			unloaded[p] = true
		}
		for _, n := range o.Hold.Policies() {
			if len(errs) == 0 || unloaded[bpf.PinName(n)] {
				o.Hold.Release(n)
			}
		}
	}
	return errors.Join(append(errs, uerr)...)
}

// unloadPins records the policies (by pin name) to unload as unload_N
// links, commits op and finishes it; then the root goes if it is empty.
// Nothing here makes a directory: the policies being unloaded may forbid
// mkdir until the kernel has released their links.
func unloadPins(root string, pins []string, op string) error {
	for i, pin := range pins {
		if err := os.Symlink(pin, filepath.Join(root, fmt.Sprintf("%s%d", unloadPrefix, i))); err != nil {
			discardUncommitted(root)
			return fmt.Errorf("unload %s: %w", pin, err)
		}
		faultPoint("record unload " + pin)
	}
	if err := writeJournal(root, op); err != nil {
		discardUncommitted(root)
		return err
	}
	if _, err := finish(root, op); err != nil {
		return fmt.Errorf("the unload is committed but not finished (the next polrun finishes it): %w", err)
	}
	return removeIfEmpty(root)
}
