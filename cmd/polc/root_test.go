package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSARIFFromSubdirectory: polc validate run in a subdirectory of a git
// repository, on a path with "..", names the file relative to the
// repository's root with the SRCROOT base, as code scanning needs; --root
// overrides the root.
func TestSARIFFromSubdirectory(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(repo, "policies", "net", "bad.yaml")
	if err := os.MkdirAll(filepath.Dir(policy), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policy, []byte("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: Bad_Name\nspec: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(repo, "docs")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(other)

	type location struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	locations := func(args ...string) []location {
		t.Helper()
		code, out, errOut := runPolc(append([]string{"validate", "--format", "sarif"}, args...)...)
		if code != exitFound {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation location `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
			t.Fatalf("SARIF: %v\n%s", err, out)
		}
		var locs []location
		for _, r := range log.Runs[0].Results {
			locs = append(locs, r.Locations[0].PhysicalLocation.ArtifactLocation)
		}
		return locs
	}
	for _, l := range locations("../policies/net/bad.yaml") {
		if l != (location{URI: "policies/net/bad.yaml", URIBaseID: "SRCROOT"}) {
			t.Errorf("from docs/: %+v, want policies/net/bad.yaml under SRCROOT", l)
		}
	}
	for _, l := range locations("--root", "../policies", "../policies/net/bad.yaml") {
		if l != (location{URI: "net/bad.yaml", URIBaseID: "SRCROOT"}) {
			t.Errorf("with --root ../policies: %+v, want net/bad.yaml under SRCROOT", l)
		}
	}
}

// TestBundleIndependentOfPath: the same policy built from the repository's
// root, from a subdirectory, by absolute path, or with --root elsewhere
// naming the same root, gives the same bytes; the manifest names the file
// from the root. Dumps too.
func TestBundleIndependentOfPath(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(repo, "policies", "fd.yaml")
	if err := os.MkdirAll(filepath.Dir(policy), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policy, []byte(goodPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(dir string, args ...string) []byte {
		t.Helper()
		t.Chdir(dir)
		out := t.TempDir()
		if code, _, errOut := runPolc(append([]string{"build", "-o", out}, args...)...); code != exitOK {
			t.Fatalf("build %v in %s: exit %d: %s", args, dir, code, errOut)
		}
		data, err := os.ReadFile(filepath.Join(out, "fd-install.bpf.o"))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	want := build(repo, "policies/fd.yaml")
	if !bytes.Contains(want, []byte(`"source": "policies/fd.yaml"`)) {
		t.Errorf("the manifest does not name policies/fd.yaml")
	}
	for _, c := range []struct {
		dir  string
		args []string
	}{
		{filepath.Join(repo, "policies"), []string{"fd.yaml"}},
		{filepath.Join(repo, "policies"), []string{"../policies/fd.yaml"}},
		{os.TempDir(), []string{"--root", repo, policy}},
		{repo, []string{policy}},
	} {
		if got := build(c.dir, c.args...); !bytes.Equal(got, want) {
			t.Errorf("build %v in %s: different bytes", c.args, c.dir)
		}
	}
	t.Chdir(filepath.Join(repo, "policies"))
	_, ir, _ := runPolc("dump", "--stage", "ir", "--pos", "fd.yaml")
	if !strings.Contains(ir, "@policies/fd.yaml:") {
		t.Errorf("the IR dump does not name policies/fd.yaml:\n%s", ir)
	}
}
