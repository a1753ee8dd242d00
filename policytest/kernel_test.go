//go:build linux

package policytest

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestKernel runs every case of the examples and of the corpus tests
// through the generated programs (polc test --kernel): the programs must agree with ir.Eval on
// every case that runs, and most cases must run.
func TestKernel(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.KernelBTF, testenv.RingBuf)
	k, err := NewKernel()
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	files, err := FindTests([]string{examplesDir(t), corpusTestsDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(files, Options{Kernel: k})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	for _, s := range rep.Suites {
		for _, r := range s.Results {
			switch {
			case r.Kernel == nil:
				t.Errorf("%s: not run in the kernel and no reason", r.Name)
			case r.Kernel.Mismatch != "":
				t.Errorf("%s: %s", r.Name, r.Kernel.Mismatch)
			case r.Kernel.Skipped != "":
				reasons[r.Kernel.Skipped]++
			}
		}
	}
	ran, notRun := rep.KernelCounts()
	t.Logf("%d cases ran in the kernel, %d could not", ran, notRun)
	for why, n := range reasons {
		t.Logf("  %d not run: %s", n, why)
	}
	if !rep.OK() {
		t.Errorf("%d cases failed", rep.Failed())
	}
	// The examples and the corpus tests use every fact and argument kind
	// the runner lays out; a change that makes it give up on most of them
	// must not pass quietly.
	if ran < 4*notRun || ran < 100 {
		t.Errorf("%d cases ran in the kernel and %d could not: the runner gives up too often", ran, notRun)
	}
}

// TestKernelCatchesWrongPrograms runs cases through a program built from
// a changed policy (each selector's first test negated) and expects the
// disagreement with ir.Eval to fail them: the comparison is not vacuous.
func TestKernelCatchesWrongPrograms(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.KernelBTF, testenv.RingBuf)
	k, err := NewKernel()
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	negate := map[ir.Op]ir.Op{ir.OpIn: ir.OpNotIn, ir.OpNotIn: ir.OpIn, ir.OpEqual: ir.OpNotEqual, ir.OpNotEqual: ir.OpEqual,
		ir.OpPrefix: ir.OpNotPrefix, ir.OpNotPrefix: ir.OpPrefix, ir.OpPostfix: ir.OpNotPostfix, ir.OpNotPostfix: ir.OpPostfix}
	k.mutate = func(p *ir.Policy) {
		for _, s := range p.Hooks[0].Selectors {
			if len(s.Tests) > 0 {
				if op, ok := negate[s.Tests[0].Op]; ok {
					s.Tests[0].Op = op
				}
			}
		}
	}
	files, err := FindTests([]string{examplesDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(files, Options{Kernel: k})
	if err != nil {
		t.Fatal(err)
	}
	caught := 0
	for _, s := range rep.Suites {
		for _, r := range s.Results {
			if r.Kernel != nil && r.Kernel.Mismatch != "" {
				if r.Passed {
					t.Errorf("%s: a mismatch (%s) and the case passed", r.Name, r.Kernel.Mismatch)
				}
				if !strings.Contains(failureSummary(r), "in the kernel") {
					t.Errorf("%s: the failure does not say it is the kernel's: %s", r.Name, failureSummary(r))
				}
				caught++
			}
		}
	}
	if caught == 0 {
		t.Fatal("negated selectors ran and no case noticed")
	}
	t.Logf("%d cases caught the negated selectors", caught)
}

func TestSwapValues(t *testing.T) {
	s := swap{a: 4242, b: 17}
	got, ok := s.values([]ir.Value{{Kind: ir.ValInt, Int: 4242}, {Kind: ir.ValInt, Int: 17}, {Kind: ir.ValInt, Int: 5}})
	if !ok || got[0].Int != 17 || got[1].Int != 4242 || got[2].Int != 5 {
		t.Errorf("swap of values: %v %v", got, ok)
	}
	if _, ok := s.values([]ir.Value{{Kind: ir.ValRange, Int: 10, Hi: 20}}); ok {
		t.Errorf("a range holding 17 and not 4242 was renamed")
	}
	if _, ok := s.values([]ir.Value{{Kind: ir.ValRange, Int: 0, Hi: 5000}}); !ok {
		t.Errorf("a range holding both was refused")
	}
}

func TestThreadCaps(t *testing.T) {
	var c [3]uint64
	c[ir.CapEffective] = 1 << 21
	c[ir.CapInheritable] = 1 << 3
	got := threadCaps(c, [3]bool{ir.CapEffective: true})
	if got[ir.CapPermitted] != 1<<21|1<<3 || got[ir.CapEffective] != 1<<21 || got[ir.CapInheritable] != 1<<3 {
		t.Errorf("untested permitted not widened: %#x", got)
	}
	got = threadCaps(c, [3]bool{ir.CapPermitted: true})
	if got[ir.CapPermitted] != 0 || got[ir.CapInheritable] != 0 || got[ir.CapEffective] != 1<<21 {
		t.Errorf("tested permitted changed or inheritable kept: %#x", got)
	}
}
