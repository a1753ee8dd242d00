package loader

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The rules of recovery on states made by hand (cmd/polrun's
// TestKillAtEveryStep makes them by killing polrun after each step): an
// unload recorded but not committed is dropped, a committed one finished
// by the next polrun, whichever command it runs, and a journal this
// polrun does not know stops it.
func TestJournalRecovery(t *testing.T) {
	o := testOptions(t)
	a := syscallBundle("ldrtest-ja", 1).bundle(t)
	b := syscallBundle("ldrtest-jb", 1).bundle(t)
	if _, err := Load([]*Bundle{a, b}, o); err != nil {
		t.Fatal(err)
	}
	names := func() []string {
		st, err := List(o)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range st.Policies {
			out = append(out, p.Name)
		}
		return out
	}
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(o.PinRoot, name)); err != nil {
			t.Fatal(err)
		}
	}
	root := func() []string {
		ents, err := rootEntries(o.PinRoot)
		if err != nil {
			t.Fatal(err)
		}
		return ents
	}

	// Recorded, not committed: rolled back.
	link("ldrtest-ja", unloadPrefix+"0")
	if got := names(); !slices.Equal(got, []string{"ldrtest-ja", "ldrtest-jb"}) {
		t.Errorf("after an uncommitted unload: %q", got)
	}
	if got := root(); !slices.Equal(got, []string{"base", "policies"}) {
		t.Errorf("pin root: %q", got)
	}

	// Committed: finished, by a load this time.
	link("ldrtest-ja", unloadPrefix+"0")
	link(journalVer+opUnload, journalName)
	c := syscallBundle("ldrtest-jc", 1).bundle(t)
	if _, err := Load([]*Bundle{c}, o); err != nil {
		t.Fatal(err)
	}
	if got := names(); !slices.Equal(got, []string{"ldrtest-jb", "ldrtest-jc"}) {
		t.Errorf("after a committed unload: %q", got)
	}
	if got := root(); !slices.Equal(got, []string{"base", "policies"}) {
		t.Errorf("pin root: %q", got)
	}

	// Not this polrun's journal: every command stops, saying so.
	link("v9 teleport", journalName)
	if _, err := List(o); err == nil || !strings.Contains(err.Error(), `journal "v9 teleport" is not one this polrun writes`) {
		t.Errorf("list: %v", err)
	}
	if err := Unload([]string{"ldrtest-jb"}, o); err == nil || !strings.Contains(err.Error(), "not one this polrun writes") {
		t.Errorf("unload: %v", err)
	}
	os.Remove(filepath.Join(o.PinRoot, journalName))
}

// A policy name of 253 characters, the longest a DNS subdomain has, loads:
// staging names do not lengthen it (new_N), so policies/NAME is the
// longest name polrun pins under, within bpffs's 255.
func TestLongestPolicyName(t *testing.T) {
	o := testOptions(t)
	label := strings.Repeat("a", 63)
	name := label + "." + label + "." + label + "." + strings.Repeat("b", 61)
	if len(name) != 253 || !ValidPolicyName(name) {
		t.Fatalf("%d characters, valid %v", len(name), ValidPolicyName(name))
	}
	if _, err := Load([]*Bundle{syscallBundle(name, 1).bundle(t)}, o); err != nil {
		t.Fatal(err)
	}
	st, err := List(o)
	if err != nil || len(st.Policies) != 1 || st.Policies[0].Name != name || st.Policies[0].Err != nil {
		t.Fatalf("list: %+v, %v", st, err)
	}
	if err := Unload([]string{name}, o); err != nil {
		t.Fatal(err)
	}
}
