// Package bench measures polc's bundles and polrun: what an event costs
// the traced process, how large the generated programs are and how much
// work they give the verifier, how long compiling and loading take, how
// much kernel memory a policy holds, and how many events per second polrun
// decodes and prints. `make bench` runs it (cmd/polbench) and writes
// docs/BENCHMARKS.md from the results; bench/README.md says how each figure
// is taken.
//
// These machines are noisy (two CPUs, other work running), so every
// figure is a ratio against a baseline measured in the same run, or a
// clearly cited outside figure: variants are measured in interleaved
// rounds, each round yields one ratio, and the report gives the median and
// the spread of those ratios. Nothing here asserts a timing: the tests
// check only that the measurements were taken.
//
// Measurements that need the kernel need root, bpffs and tracefs; they
// return an error naming what is missing rather than a figure.
package bench
