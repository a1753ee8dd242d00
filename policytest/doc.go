// Package policytest runs unit tests of policies, the way opa test runs
// tests of Rego: `polc test`.
//
// A test file NAME_test.yaml sits beside the policy NAME.yaml (or names it
// with policy:). It is a YAML document of kind PolicyTest
// (schema/policytest.schema.json, printed by `polc schema --test`; the
// format is described in docs/policy-tests.md) holding cases: each a
// synthetic event at one of the policy's hooks (process facts, argument
// values by index or label, a return value) and the outcome expected of it
// (the selector that matches or none, the actions that run, whether the
// event is posted).
//
// The stages, each a function over plain data:
//
//	Parse       test file -> File: YAML with positions and the test file
//	            schema, through the compiler's Document and Diagnostic
//	LoadPolicy  the policy checked and lowered as polc build does
//	Bind        Case + lowered policy -> Bound: the hook, an ir.Event, the
//	            expected Outcome; a hook, argument or value the policy does
//	            not have is a diagnostic at the case's line
//	Check       Bound -> Result: ir.Eval's outcome against the expected
//	CoverageOf  the selectors and filter values no case exercised
//	Generate    a starting test file with boundary cases from the policy's
//	            own values, whose expectations are ir.Eval's answers
//	Write       text (go test-like), JSON, JUnit XML, SARIF
//
// Diagnostics use the compiler's codes (compiler/codes.go, "test-*" and the
// schema's). Errors of Run and FindTests wrap ErrFile: a path or file that
// cannot be read, a usage problem rather than a failed test.
//
// What the cases are evaluated with is ir.Eval, the reference semantics
// the generated programs are tested against. With Options.Kernel (polc
// test --kernel, Linux, root) each case also runs through the program
// codegen generates for its hook, rebuilt as a raw tracepoint and run with
// BPF_PROG_TEST_RUN on the case's event laid out in kernel memory (package
// internal/kmem); a disagreement with ir.Eval fails the case (kernel.go).
package policytest
