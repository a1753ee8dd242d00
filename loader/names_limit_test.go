package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
)

// A policy name of bpf.MaxPolicyNameLen characters, the longest polc
// validate accepts, loads, is replaced and unloads: every file name the
// loader makes of it (staging, trash and policy directories) fits in
// bpffs. One character more is refused when the bundle is read, before
// anything is created, saying why.
func TestLongestPolicyName(t *testing.T) {
	o := testOptions(t)
	name := strings.Repeat("n", bpf.MaxPolicyNameLen-len("-longest")) + "-longest"
	b := syscallBundle(name, 1).bundle(t)
	if _, err := Load([]*Bundle{b}, o); err != nil {
		t.Fatalf("load of a %d-character name: %v", len(name), err)
	}
	r := *o
	r.Replace = true
	if _, err := Load([]*Bundle{b}, &r); err != nil {
		t.Fatalf("replace of a %d-character name: %v", len(name), err)
	}
	if err := Unload([]string{name}, o); err != nil {
		t.Fatal(err)
	}
	long := "x" + name
	if _, err := ReadBundle(syscallBundle(long, 1).write(t)); !errors.Is(err, ErrBadBundle) ||
		!strings.Contains(err.Error(), "at most 236") {
		t.Errorf("a %d-character name: %v", len(long), err)
	}
}
