// Package smoke holds the kernel smoke tests of the vmtest harness: for each
// hook kind polc compiles to (kprobe, kretprobe, fentry, fmod_ret, BPF LSM,
// tracepoint, uprobe) a program written with cilium/ebpf/asm is loaded,
// attached with cilium/ebpf/link and seen to fire on an event the test
// causes, with the argument or return value the kernel passed.
//
// On the host only the hooks it supports run (tracepoint, uprobe); the rest
// skip with the reason and run under `make vmtest` in every guest of the
// matrix (5.10 to 7.x, amd64 and arm64: the register offsets are per
// architecture), where a missing feature is a failure.
package smoke
