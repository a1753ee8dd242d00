// Package ir is polc's intermediate representation of a compiled policy:
// hooks after list expansion, argument fetches, selectors as lists of typed
// tests, actions, and the maps a policy needs. Code generation reads only
// the IR; Eval gives its reference semantics, against which generated code
// is tested.
//
// The package also holds the policy vocabulary shared by checking and
// lowering: argument types (ArgType), operators (Op: one row of OpInfo per
// operator in ops.go, with every spelling Tetragon accepts, the types it
// applies to, its value parser and its meaning; the checks, the verifier,
// fold and Eval read the rows), value parsing (ParseArgValue) and the names
// of capabilities, namespaces, protocols, address families and TCP states.
//
// Every node carries the Pos of the YAML it was lowered from. The IR is pure
// data: it knows nothing of BPF instructions, of the kernel or of YAML.
package ir
