// Package uprobetarget is a function with the C calling convention in Go
// assembly, for codegen's uprobe tests: uprobes read arguments from the
// registers the platform's C ABI uses (rdi, rsi, ... on x86_64), which
// Go's own functions do not.
package uprobetarget

// Symbol is the ELF symbol of the probed function in a binary linking
// this package with its symbol table (go test strips it: use FileOffset).
const Symbol = "github.com/polc-dev/polc/codegen/internal/uprobetarget.Target.abi0"

// Call calls the probed function with a in the first argument register and
// s (a NUL-terminated string) in the second; the function returns a+1.
func Call(a int64, s *byte) int64

// Target is the probed function. Do not call it from Go: it takes its
// arguments in registers, as C does; Call calls it.
func Target()

// TargetAddr is Target's address in this process.
func TargetAddr() uintptr
