package compiler

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/usdt"
)

// targetUSDT checks a USDT probe against its binary, when the binary can be
// read (under Options.Sysroot, or at its path here): the binary has the
// probe; at every place of it, the probe has the arguments the policy
// reads, in locations polc can read; and a Set action writes an argument
// in memory. polrun checks the same on the host it loads the policy on.
func (c *checker) targetUSDT(h *hookView) {
	u := h.usdt
	if u == nil || !strings.HasPrefix(u.Path, "/") {
		return
	}
	file := u.Path
	if c.opts.Sysroot != "" {
		file = filepath.Join(c.opts.Sysroot, u.Path)
	}
	a := c.opts.Arch
	if a == "" {
		a = arch.X86_64
	}
	probes, err := usdt.ReadFile(file, a)
	if err != nil {
		hint := "give the directory holding the target's files with --sysroot"
		if c.opts.Sysroot != "" {
			hint = ""
		}
		c.report(Note, fieldOr(u.At, "path"), "unchecked-symbol", hint, "the USDT probes of %s cannot be checked: %v", u.Path, err)
		return
	}
	var places []usdt.Probe
	var names []string
	for _, p := range probes {
		if p.Provider == u.Provider && p.Name == u.Name {
			places = append(places, p)
		}
		names = append(names, p.Provider+":"+p.Name)
	}
	if len(places) == 0 {
		slices.Sort(names)
		names = slices.Compact(names)
		hint := fmt.Sprintf("its probes are %s (readelf -n shows them)", strings.Join(names, ", "))
		if near := closestName(u.Provider+":"+u.Name, names); near != "" {
			hint = fmt.Sprintf("did you mean %q?", near)
		}
		c.errorf(fieldOr(u.At, "name"), "unknown-symbol", hint, "%s has no USDT probe %s:%s", file, u.Provider, u.Name)
		return
	}
	for _, p := range places {
		if p.Err != nil {
			c.errorf(fieldOr(u.At, "name"), "unsupported", "", "%v", p.Err)
			continue
		}
		for _, arg := range u.Hook.Args {
			if arg.Index >= len(p.Args) {
				c.errorf(fieldOr(arg.At, "index"), "arg-index", "USDT argument indexes count the probe's arguments from 0",
					"USDT probe %s has %d arguments (%q): there is no argument %d", &p, len(p.Args), p.ArgText, arg.Index)
			}
		}
		for _, s := range u.Hook.Selectors {
			for _, act := range s.MatchActions {
				if !strings.EqualFold(act.Action, "Set") || act.ArgIndex == nil || *act.ArgIndex < 0 || *act.ArgIndex >= len(p.Args) {
					continue
				}
				arg := p.Args[*act.ArgIndex]
				switch {
				case !arg.InMemory():
					c.errorf(fieldOr(act.At, "argIndex"), "bad-action", "Set writes arguments in memory (an lvalue such as a volatile variable), not in registers",
						"USDT probe %s: argument %d is %q, a register or a constant, which Set cannot write", &p, *act.ArgIndex, arg.Text)
				case arg.Size != 4:
					// Set writes a 32-bit value, as Tetragon's does (it
					// refuses other sizes at load): a smaller argument would
					// be overrun, a larger one left half written.
					c.errorf(fieldOr(act.At, "argIndex"), "bad-action", "Set writes 4 bytes; make the probe's argument a 32-bit integer (int, uint32_t)",
						"USDT probe %s: argument %d is %q, %s, which Set cannot write", &p, *act.ArgIndex, arg.Text, plural(arg.Size, "byte"))
				}
			}
		}
	}
}
