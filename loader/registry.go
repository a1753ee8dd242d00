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
// policy's name), sorted.
func policyDirs(root string) ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(root, bpf.PoliciesDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
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
	name := dir
	path := filepath.Join(root, bpf.PoliciesDir, dir, bpf.MapsDir, bpf.ManifestMap)
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
	if err := mp.Lookup(uint32(stateKey), &raw); err != nil {
		return nil, nil, fmt.Errorf("policy %s: read state: %w", name, err)
	}
	var st policyState
	if err := json.Unmarshal(bytes.TrimRight(raw, "\x00"), &st); err != nil {
		return nil, nil, fmt.Errorf("policy %s: decode state: %w", name, err)
	}
	return m, &st, nil
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
