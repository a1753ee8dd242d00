// Package conformance runs Tetragon's example policies (the corpus beside
// the repository) through every stage of polc and polrun, and records
// what each stage does with each policy: docs/CONFORMANCE.md.
//
// The stages are validate (compiler.Check), build (lowering and codegen,
// as polc build does for x86_64), and load and attach on each kernel of
// the matrix (the loader, as polrun load does, followed by an unload that
// must leave nothing attached or pinned). The offline stages are pure and
// computed anywhere; the kernel stage runs on the kernel it reports: the
// 6.18 host directly, Debian's 5.10, 6.1, 6.12 and 7.x amd64 and 5.10 and
// 6.12 arm64 inside the vmtest guests (the arm64 ones build the corpus for
// arm64: one bundle per architecture, the same on each of its kernels). A
// guest's column is named by the vmtest series it was booted as
// (ColumnName). A policy a kernel cannot run (Debian's 5.10 has no
// bpf_override_return) is recorded there as not on this kernel, with the
// loader's reason: the column is what the kernel does, so such a policy
// neither fails the test nor goes unmentioned.
//
// Each stage gives an [Outcome]: ok, refused with the reason (a diagnostic,
// the loader's error), or "not on this kernel" when the kernel lacks what
// the policy hooks — a hook kind (kprobes on the host), or the functions
// of some hooks, which are then listed while the rest of the policy is
// loaded for real with those hooks marked ignoreMissing. Uprobes on
// binaries the machine lacks are refusals: the loader names the binary.
//
// The kernel columns are kept in testdata/kernel-SERIES.txt. TestKernel,
// on each kernel, fails when its column is not what that kernel does now;
// TestDoc fails when docs/CONFORMANCE.md is not what the offline stages
// and the kernel columns make. `make conformance` regenerates all of it:
// the host column, the guest columns (brought back as vmtest artifacts)
// and the document.
//
// TestTetragonMore (more_test.go) goes beyond the corpus: the policies of
// testdata/tetragon-more, taken from Tetragon's other examples, its
// documentation and the policies its own tests embed, each with the outcome
// Tetragon gives it (loads, or refused and why) written by hand in
// testdata/tetragon-more/EXPECTATIONS. It builds each one as polc build does
// for x86_64 and arm64 and fails where polc does otherwise, unless the line
// lists that disagreement; a listed disagreement that disappears fails too,
// so the file is always the current list of where polc and Tetragon differ.
package conformance
