// Package usdt reads the USDT probes of an ELF binary: the SystemTap SDT
// notes (.note.stapsdt) that sys/sdt.h's DTRACE_PROBE and STAP_PROBE
// macros leave, each naming a provider and a probe, the address of the nop
// that marks the probe, the probe's semaphore (a counter the program tests
// to skip the work of preparing the arguments when nothing listens) and
// the arguments' locations as the assembler wrote them ("-4@%edi",
// "8@-16(%rbp)", "4@$5", "-8@counter(%rip)", "8@[sp, 16]").
//
// Probes turn those into what a uprobe needs, file offsets, and into
// bpf.USDTSpec values, which the programs polc generates read the
// arguments by. Nothing here touches the kernel: polrun reads the binary
// on the host it loads a bundle on; polc can read it from a sysroot.
//
// # Errors
//
// ErrNoNotes: the binary has no USDT probes. Arguments the programs cannot
// read (a high byte register, a symbol outside %rip-relative addressing)
// come back as ArgError values naming the probe and the argument.
package usdt
