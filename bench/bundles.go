package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/polc-dev/polc/bpf"
)

// BundleIndex lists bundles written for measurement elsewhere (the vmtest
// guests), with where each came from.
type BundleIndex struct {
	// Commit is the repository's commit the bundles were built from.
	Commit  string       `json:"commit,omitempty"`
	Bundles []IndexEntry `json:"bundles"`
	Refused []Refusal    `json:"refused"`
}

// IndexEntry is one bundle file of a BundleIndex.
type IndexEntry struct {
	Set    string `json:"set"`
	File   string `json:"file"` // the policy file's base name
	Policy string `json:"policy"`
	Object string `json:"object"` // the bundle's file name in the index's directory
}

// BaseSet is the input set of the base object (package bpf's programs).
const BaseSet = "base"

// BuildAll builds every input set (see Inputs), in a fixed order: bench,
// spec, examples, corpus.
func BuildAll(root, corpusDir string) ([]Built, []Refusal, error) {
	sets, err := Inputs(root, corpusDir)
	if err != nil {
		return nil, nil, err
	}
	var built []Built
	var refused []Refusal
	for _, set := range SetOrder {
		for _, f := range sets[set] {
			bs, err := BuildFile(set, f)
			if err != nil {
				return nil, nil, err
			}
			for _, b := range bs {
				if b.Bundle == nil {
					refused = append(refused, Refusal{Set: set, File: filepath.Base(f), Policy: b.Policy, Reason: b.Refused})
					continue
				}
				built = append(built, b)
			}
		}
	}
	return built, refused, nil
}

// SetOrder is the order of the input sets in reports.
var SetOrder = []string{"bench", "spec", "examples", "corpus"}

// WriteBundles writes the base object and every built bundle into dir,
// with index.json.
func WriteBundles(dir, commit string, built []Built, refused []Refusal) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write bundles: %w", err)
	}
	idx := BundleIndex{Commit: commit, Refused: refused}
	write := func(e IndexEntry, obj []byte) error {
		e.Object = fmt.Sprintf("%03d-%s.bpf.o", len(idx.Bundles), e.Policy)
		idx.Bundles = append(idx.Bundles, e)
		return os.WriteFile(filepath.Join(dir, e.Object), obj, 0o644)
	}
	if err := write(IndexEntry{Set: BaseSet, File: "bpf/base.bpf.o", Policy: "polc-base"}, bpf.BaseObject); err != nil {
		return fmt.Errorf("write bundles: %w", err)
	}
	for _, b := range built {
		if err := write(IndexEntry{Set: b.Set, File: filepath.Base(b.File), Policy: b.Policy}, b.Bundle.Object); err != nil {
			return fmt.Errorf("write bundles: %w", err)
		}
	}
	return WriteJSON(filepath.Join(dir, "index.json"), idx)
}

// MeasureIndex measures every bundle of an index directory on the running
// kernel (MeasureBundle), in a fresh pin directory under /sys/fs/bpf.
func MeasureIndex(dir string) ([]BundleFigures, *BundleIndex, error) {
	var idx BundleIndex
	if err := ReadJSON(filepath.Join(dir, "index.json"), &idx); err != nil {
		return nil, nil, fmt.Errorf("measure bundles: %w", err)
	}
	pin, err := os.MkdirTemp("/sys/fs/bpf", "polc-bench-")
	if err != nil {
		return nil, nil, fmt.Errorf("measure bundles: %w", err)
	}
	defer os.RemoveAll(pin)
	var out []BundleFigures
	for _, e := range idx.Bundles {
		obj, err := os.ReadFile(filepath.Join(dir, e.Object))
		if err != nil {
			return nil, nil, fmt.Errorf("measure bundles: %w", err)
		}
		f, err := MeasureBundle(obj, pin)
		if err != nil {
			return nil, nil, fmt.Errorf("measure %s (%s): %w", e.File, e.Policy, err)
		}
		f.Set, f.File = e.Set, e.File
		out = append(out, *f)
	}
	return out, &idx, nil
}

// MeasureBuilt measures the base object and built bundles on the running
// kernel.
func MeasureBuilt(built []Built) ([]BundleFigures, error) {
	dir, err := os.MkdirTemp("", "polc-bench-bundles-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := WriteBundles(dir, "", built, nil); err != nil {
		return nil, err
	}
	figs, _, err := MeasureIndex(dir)
	return figs, err
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
