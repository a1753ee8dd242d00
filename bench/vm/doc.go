// Package vm measures polc's bundles inside the vmtest guests (Debian's 6.1
// and 6.12 kernels): `make bench-vm` writes the bundles into testdata/bundles
// (polbench bundles), runs TestProgramFigures in each guest (vmtest with
// -packages bench/vm/packages), and brings the figures back as artifacts
// into bench/results, from which docs/BENCHMARKS.md is made.
package vm
