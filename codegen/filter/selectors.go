package filter

import "github.com/polc-dev/polc/ir"

// A selector's tests are of two kinds: process tests, which need no
// argument and run first (the driver's processFilters), and argument
// tests, run once the arguments are read (the driver's selectors).

// IsProcessTest says whether t looks only at the process, not at the
// hook's arguments: such tests run before any argument is read.
func IsProcessTest(t *ir.Test) bool {
	switch t.Kind {
	case ir.TestPID, ir.TestBinary, ir.TestParentBinary, ir.TestCmdArg, ir.TestNamespace, ir.TestCaps, ir.TestNSChange, ir.TestCapChange:
		return true
	}
	return false
}

// ProcessTests are the process tests of s.
func ProcessTests(s *ir.Selector) (out []*ir.Test) {
	for _, t := range s.Tests {
		if IsProcessTest(t) {
			out = append(out, t)
		}
	}
	return out
}

// ArgTests are the argument tests of s.
func ArgTests(s *ir.Selector) (out []*ir.Test) {
	for _, t := range s.Tests {
		if !IsProcessTest(t) {
			out = append(out, t)
		}
	}
	return out
}

// NeedsProc says whether any test of h reads the process table.
func NeedsProc(h *ir.Hook) bool {
	for _, s := range h.Selectors {
		for _, t := range s.Tests {
			switch t.Kind {
			case ir.TestBinary, ir.TestParentBinary, ir.TestNSChange, ir.TestCapChange:
				return true
			case ir.TestPID:
				if t.FollowForks {
					return true
				}
			}
		}
	}
	return false
}
