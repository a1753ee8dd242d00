package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/polc-dev/polc/loader"
)

// Text from bundles reaches stderr and list output escaped, and long
// messages are cut.
func TestTerminalEscapesEscaped(t *testing.T) {
	var stderr strings.Builder
	fail(&stderr, errors.New("invalid bundle: manifest lists variable \x1b]0;owned\x07\x1b[2J"+strings.Repeat("v", 1<<20)))
	out := stderr.String()
	if strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `\x1b]0;owned\a\x1b[2J`) || len(out) > maxMessage+100 {
		t.Errorf("%d bytes: %.200q", len(out), out)
	}
	var list strings.Builder
	printList(&list, &loader.Status{PinRoot: "/x", Policies: []loader.PolicyStatus{{Name: "p", Bundle: "/b/\x1b[31mred.bpf.o"}}}, true)
	if strings.Contains(list.String(), "\x1b") || !strings.Contains(list.String(), `/b/\x1b[31mred.bpf.o`) {
		t.Errorf("list: %q", list.String())
	}
}
