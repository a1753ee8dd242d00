package prog

import "github.com/cilium/ebpf/asm"

// Label is a place in the program that fragments jump to. The driver
// binds the program-wide ones (Exit, Drop, Post) once; fragments get them
// as values instead of spelling their names.
type Label string

const (
	// Exit returns the program's return value without posting.
	Exit Label = "exit"
	// Drop, in a return program, discards the saved record and exits.
	Drop Label = "drop"
	// Post posts the record (the winning selector's actions ran).
	Post Label = "post"
)

// Ja is an unconditional jump to l.
func (l Label) Ja() asm.Instruction { return asm.Ja.Label(string(l)) }

// String is the label's name, as conditional jumps take it.
func (l Label) String() string { return string(l) }
