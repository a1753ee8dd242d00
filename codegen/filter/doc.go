// Package filter writes the tests of a program: the process filters of
// every selector (matchPIDs, matchBinaries, matchParentBinaries,
// matchNamespaces, matchCapabilities, the *Changes tests; ancestor walks
// as bpf_loop callbacks, ancestors.go and parent.go), the per-process
// verdict cache that spares a process's next event those tests
// (verdicts.go), and the argument tests of matchArgs and matchReturnArgs
// (filters.go, compare.go, net.go, maxdata_postfix.go).
//
// It owns argRenders, one row per matchArgs operator of ir's operator
// table: a render func(p *Gen, o operand, t *ir.Test, fail string) that
// falls through when the test passes and jumps to fail otherwise
// (TestArgRenders fails while an operator has no row).
//
// Rules: it imports codegen/prog (the program context) and the leaf
// packages (bpf, ir, codegen/emit, codegen/kern), never package codegen
// (the driver) nor the other phases (codegen/fetch, codegen/action).
// What it needs of the build (set maps, the host namespace variables)
// comes in a Plan, and the raw arguments through Reads, both from the
// driver. A Gen is made per program by the driver, which calls Test,
// the verdict cache's CachedVerdict, ParentVerdictGen and StoreVerdict,
// where the program skeleton (codegen/selectors.go, retprobe.go) has
// them.
package filter
