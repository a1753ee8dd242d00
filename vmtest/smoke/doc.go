// Package smoke holds the kernel smoke tests of the vmtest harness: for each
// hook kind polc compiles to (kprobe, kretprobe, fentry, fmod_ret, BPF LSM,
// tracepoint, uprobe) a program written with cilium/ebpf/asm is loaded,
// attached with cilium/ebpf/link and seen to fire on an event the test
// causes, with the argument or return value the kernel passed.
//
// On the host only the hooks it supports run (tracepoint, uprobe); the rest
// skip with the reason and run under `make vmtest` in the Debian 6.1 and 6.12
// guests, where a missing feature is a failure.
package smoke
