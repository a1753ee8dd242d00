package loader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// policyDirs lists the policy directories under root (pinName of each
// policy's name), sorted. policies/ must be polrun's (checkDir); each
// policy's directory is checked where it is read (readPolicyMetaAt).
func policyDirs(root string) ([]string, error) {
	dir := filepath.Join(root, bpf.PoliciesDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() && ValidPolicyName(strings.ReplaceAll(e.Name(), "_", ".")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// readPolicyMeta reads the manifest and state in the polc_manifest map of
// the policy pinned in directory dir (a name policyDirs returned).
func readPolicyMeta(root, dir string) (*bpf.Manifest, *policyState, error) {
	return readPolicyMetaAt(filepath.Join(root, bpf.PoliciesDir, dir))
}

// readPolicyMetaAt reads the manifest and state of the policy pinned in
// dir, which must be polrun's, as its maps/ (checkDir).
func readPolicyMetaAt(dir string) (*bpf.Manifest, *policyState, error) {
	name := filepath.Base(dir)
	if err := checkPolicyTree(dir); err != nil {
		return nil, nil, fmt.Errorf("policy %s: %w", name, err)
	}
	path := filepath.Join(dir, bpf.MapsDir, bpf.ManifestMap)
	mp, err := ebpf.LoadPinnedMap(path, &ebpf.LoadPinOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("policy %s: open %s: %w", name, bpf.ManifestMap, err)
	}
	defer mp.Close()
	var raw []byte
	if err := mp.Lookup(uint32(manifestKey), &raw); err != nil {
		return nil, nil, fmt.Errorf("policy %s: read manifest: %w", name, err)
	}
	m, err := bpf.ParseManifest(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("policy %s: %w", name, err)
	}
	if !ValidPolicyName(m.Policy) {
		return nil, nil, fmt.Errorf("policy %s: its manifest names policy %q", name, m.Policy)
	}
	if err := mp.Lookup(uint32(stateKey), &raw); err != nil {
		return nil, nil, fmt.Errorf("policy %s: read state: %w", name, err)
	}
	var st policyState
	if err := json.Unmarshal(bytes.TrimRight(raw, "\x00"), &st); err != nil {
		return nil, nil, fmt.Errorf("policy %s: decode state: %w", name, err)
	}
	return m, &st, nil
}

// checkPolicyTree checks a policy's directory and its links/ and maps/
// (checkDir) before anything in them is opened.
func checkPolicyTree(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, bpf.LinksDir), filepath.Join(dir, bpf.MapsDir)} {
		if err := checkDir(d); err != nil {
			return err
		}
	}
	return nil
}

// loadedIDs returns the policy ids in use under root.
func loadedIDs(root string) (map[uint32]bool, error) {
	names, err := policyDirs(root)
	if err != nil {
		return nil, err
	}
	ids := map[uint32]bool{}
	for _, n := range names {
		// A policy whose metadata cannot be read keeps its id unknown;
		// random ids make a clash with it unlikely.
		if _, st, err := readPolicyMeta(root, n); err == nil {
			ids[st.PolicyID] = true
		}
	}
	return ids, nil
}
