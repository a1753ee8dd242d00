// Package emit is a small assembler front end for cilium/ebpf/asm: it
// collects instructions, hands out fresh jump labels, lets several labels
// name one instruction, and attaches source lines to the instructions that
// follow them. codegen and its routine library write every program and
// function through a Builder so that labels stay symbolic until the object
// writer resolves them.
//
// Labels are strings. Label places one on the next instruction emitted;
// several placed before one instruction all name it (the first is kept
// on the instruction, the others resolve to it). Instructions resolves
// every jump to the label actually on its target and drops the code no
// path reaches, which the verifier would refuse; a label left without an
// instruction, one placed twice or a jump to an unknown label is an
// error there, never a panic.
//
// Optimize is the peephole optimizer codegen runs on every program and
// function of a bundle once it is selected (codegen.Optimize; off with
// codegen.Options.NoOptimize): a table of rules (Rules: jump threading,
// gotos to the next instruction, redundant loads, unreachable code) run to
// a fixed point, each keeping labels, source lines, CO-RE relocations and
// references (peephole.go says how).
package emit
