package loader

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/polc-dev/polc/bpf"
)

// The journal makes every change to the pin root crash consistent: a
// polrun killed at any point leaves what the next polrun (any command,
// holding the lock) turns into the state before the operation or the state
// after it, with nothing attached that List does not show.
//
// bpffs holds directories, pins and symbolic links, no regular files, so
// the journal is made of names: work in progress lives in entries of the
// pin root outside base/ and policies/, and the decision to commit is one
// symbolic link, journalName, whose target names the operation. Creating a
// symbolic link and renaming are atomic on bpffs (it lives in memory: there
// is nothing to fsync, and it does not outlive a reboot, the pins neither).
// Neither needs mkdir, which a loaded policy may forbid (Override on
// security_inode_mkdir): unload makes no directory.
//
// Entries of the pin root besides base/ and policies/:
//
//	base_new/    a base being loaded: maps and links/, as base/
//	new_N/       a policy being loaded, as policies/NAME; its name is in its
//	             pinned polc_manifest
//	unload_N     symbolic link to the pin name of a policy to unload
//	old_X/       a replaced or unloaded policy or base, to be removed
//	journal      symbolic link: "v1 load", "v1 unload" or "v1 unload-all",
//	             made once everything above is in place
//
// Without a journal, the operation was not decided: base_new, new_N and
// unload_N are removed (the base and policies they held detach), and so are
// old_X and the staging_ and trash_ directories of a polrun before the
// journal (old_X only outlives a finished operation). With one,
// it is finished: a load renames base_new to base and each new_N to its
// policy's directory (moving a policy it replaces to old_X first); an
// unload moves each policy an unload_N names to old_X, and the base too
// when no policy is left (always, for unload-all). Then old_X, the
// unload_N links and the journal are removed, in that order. Every step
// can be done again, so a polrun killed while finishing is finished by
// the next one.
const (
	journalName  = "journal"
	baseNewName  = "base_new"
	newPrefix    = "new_"
	unloadPrefix = "unload_"
	oldPrefix    = "old_"
	// Names a polrun before the journal used for the same purposes: never
	// committed work and pins to remove.
	legacyStagingPrefix = "staging_"
	legacyTrashPrefix   = "trash_"
)

// Operations a journal records.
const (
	opLoad      = "load"
	opUnload    = "unload"
	opUnloadAll = "unload-all"
	journalVer  = "v1 "
)

// writeJournal commits op: from now on it is finished, never undone.
func writeJournal(root, op string) error {
	if err := os.Symlink(journalVer+op, filepath.Join(root, journalName)); err != nil {
		return fmt.Errorf("commit %s: %w", op, err)
	}
	faultPoint("journal " + op)
	return nil
}

// readJournal returns the operation the journal commits, "" without one.
func readJournal(root string) (string, error) {
	target, err := os.Readlink(filepath.Join(root, journalName))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read journal: %w", err)
	}
	op, ok := strings.CutPrefix(target, journalVer)
	if !ok || op != opLoad && op != opUnload && op != opUnloadAll {
		return "", fmt.Errorf("pin root %s: journal %q is not one this polrun writes (a newer polrun's?): finish it with that polrun", root, target)
	}
	return op, nil
}

// recoverRoot finishes the operation the journal commits, or rolls back
// one that was not committed. Called with the lock held.
func recoverRoot(root string) error {
	op, err := readJournal(root)
	if err != nil {
		return err
	}
	if op == "" {
		if err := discardUncommitted(root); err != nil {
			return fmt.Errorf("roll back an unfinished operation: %w", err)
		}
		return nil
	}
	if _, err = finish(root, op); err != nil {
		return fmt.Errorf("finish an interrupted %s: %w", op, err)
	}
	return nil
}

// discardUncommitted removes the work of an operation that was not
// committed, and leftovers of one that was finished: everything in the
// root that is not base/, policies/ or a name it does not know.
func discardUncommitted(root string) error {
	ents, err := rootEntries(root)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range ents {
		if name == baseNewName || hasAnyPrefix(name, newPrefix, unloadPrefix, oldPrefix, legacyStagingPrefix, legacyTrashPrefix) {
			errs = append(errs, removeEntry(root, name))
		}
	}
	return errors.Join(errs...)
}

// finish carries out the committed operation op and removes the journal.
// It returns the policies a load put in force.
func finish(root, op string) ([]string, error) {
	var committed []string
	var err error
	switch op {
	case opLoad:
		committed, err = finishLoad(root)
	case opUnload, opUnloadAll:
		err = finishUnload(root, op == opUnloadAll)
	}
	if err != nil {
		// The journal stays: the next polrun tries again.
		return committed, err
	}
	ents, err := rootEntries(root)
	if err != nil {
		return committed, err
	}
	var errs []error
	for _, prefix := range []string{oldPrefix, unloadPrefix} {
		for _, name := range ents {
			if strings.HasPrefix(name, prefix) {
				errs = append(errs, removeEntry(root, name))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return committed, err
	}
	if err := os.Remove(filepath.Join(root, journalName)); err != nil {
		return committed, fmt.Errorf("remove journal: %w", err)
	}
	faultPoint("remove journal")
	return committed, nil
}

// finishLoad puts the staged base and policies in place.
func finishLoad(root string) ([]string, error) {
	base := bpf.BasePinDir(root)
	if staged := filepath.Join(root, baseNewName); exists(staged) {
		if exists(base) {
			// Never staged while a base is loaded; if one is, it stays.
			if err := moveAside(root, staged); err != nil {
				return nil, err
			}
		} else {
			if err := os.Rename(staged, base); err != nil {
				return nil, fmt.Errorf("commit base: %w", err)
			}
			faultPoint("commit base")
		}
	}
	ents, err := rootEntries(root)
	if err != nil {
		return nil, err
	}
	var committed []string
	for _, name := range ents {
		if !strings.HasPrefix(name, newPrefix) {
			continue
		}
		staged := filepath.Join(root, name)
		m, _, err := readPolicyMetaAt(staged)
		if err != nil {
			// Cannot happen for a committed load (its manifest is pinned
			// before the journal is written). What cannot be named cannot
			// be committed: it goes, rather than the journal staying
			// unfinishable and every polrun failing on it.
			if err := moveAside(root, staged); err != nil {
				return committed, err
			}
			continue
		}
		final := policyDir(root, m.Policy)
		if exists(final) {
			if err := moveAside(root, final); err != nil {
				return committed, fmt.Errorf("replace %s: %w", m.Policy, err)
			}
		}
		if err := os.Rename(staged, final); err != nil {
			return committed, fmt.Errorf("commit %s: %w", m.Policy, err)
		}
		faultPoint("commit policy " + m.Policy)
		committed = append(committed, m.Policy)
	}
	return committed, nil
}

// finishUnload moves the policies the unload_N links name aside, and the
// base when no policy is left or all is set.
func finishUnload(root string, all bool) error {
	ents, err := rootEntries(root)
	if err != nil {
		return err
	}
	for _, name := range ents {
		if !strings.HasPrefix(name, unloadPrefix) {
			continue
		}
		pin, err := os.Readlink(filepath.Join(root, name))
		if err != nil || !ValidPolicyName(strings.ReplaceAll(pin, "_", ".")) {
			continue // not polrun's: it names nothing to unload
		}
		dir := filepath.Join(root, bpf.PoliciesDir, pin)
		if exists(dir) {
			if err := moveAside(root, dir); err != nil {
				return fmt.Errorf("unload %s: %w", pin, err)
			}
		}
	}
	policies := filepath.Join(root, bpf.PoliciesDir)
	left, err := os.ReadDir(policies)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("list policies: %w", err)
	}
	if len(left) > 0 && !all {
		return nil
	}
	if len(left) == 0 {
		if err := removeIfEmpty(policies); err != nil {
			return err
		}
	}
	if base := bpf.BasePinDir(root); exists(base) {
		return moveAside(root, base)
	}
	return nil
}

// moveAside renames path, under root, to old_X: out of the state the next
// step removes. A rename, not a mkdir: a policy being unloaded may forbid
// mkdir until the kernel has released its links.
func moveAside(root, path string) error {
	var b [6]byte
	rand.Read(b[:])
	if err := os.Rename(path, filepath.Join(root, fmt.Sprintf("%s%x", oldPrefix, b))); err != nil {
		return err
	}
	faultPoint("move aside " + filepath.Base(path))
	return nil
}

// removeEntry removes root/name and everything under it: removing pins
// detaches their links and frees their maps.
func removeEntry(root, name string) error {
	if err := os.RemoveAll(filepath.Join(root, name)); err != nil {
		return fmt.Errorf("remove %s: %w", name, err)
	}
	faultPoint("remove " + name)
	return nil
}

// rootEntries lists the names in the pin root, sorted.
func rootEntries(root string) ([]string, error) {
	ents, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read pin root: %w", err)
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	sort.Strings(names)
	return names, nil
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
