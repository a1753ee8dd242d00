// Package kern is codegen's library of kernel routines: minimal local BTF
// types for CO-RE (types.go), inline readers of kernel memory through those
// types (read.go), and BPF-to-BPF subprograms shared by every program of a
// bundle, such as the bounded walk of a dentry and its mounts into a path
// (path.go).
//
// Every kernel struct field is reached through a CO-RE relocation, never a
// hard-coded offset, so one object runs on every kernel with the fields.
//
// Conventions of the inline routines: they clobber R0 to R5 (helper calls
// do), keep R6 to R9, and use the stack slot the caller names as scratch.
// Subprograms take their arguments in R1 to R5, return R0 and use their
// own stack frame.
//
// A Lib records which subprograms and scratch maps a bundle uses, so that
// the object carries only those.
package kern
