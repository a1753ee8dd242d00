// Package vmtest runs Go test binaries inside qemu guests booted from real
// Debian kernels, so tests of hooks the host kernel lacks (kprobes, fentry,
// fmod_ret, BPF LSM) run on every change, on every kernel of the matrix.
//
// The matrix (Matrix) is Debian's 6.1 and 6.12 (the machine's own APT
// sources), Debian 11's newest 5.10 (bullseye and bullseye-security) and the
// newest 7.x of Debian 13's backports, whose image ships in a linux-binary
// package of its own, all amd64; and arm64 guests of 6.12 and 5.10. Series
// the machine's sources do not carry are read through a private APT
// configuration the harness writes under the cache (PrivateApt): the same
// Debian archives as the machine's, the series' suites and architecture
// only; the machine's sources, lists and package state stay untouched. Of
// a series the newest image that actually downloads is taken: a suite's
// lists may name an image the archive no longer serves.
//
// The full package list (vmtest/packages) runs on 6.1 and 6.12; the other
// series are Smoke series and run vmtest/packages-smoke (the smoke tests
// and the conformance run), which keeps CI within its time. The arm64
// series are OptIn: `make vmtest-arm64` (or -kernels) boots them, plain
// `make vmtest` does not (TCG emulation of arm64 is slow: a developer's
// `make vmtest` should not wait for it). CI (.ci/run) runs both, the arm64
// guests after the amd64 matrix (about 5 minutes).
//
// The host side (cmd/vmtest, `make vmtest`) picks the newest kernel of each
// series with apt, caches its vmlinuz, compiles each listed package with `go
// test -c` as a static binary for the guest's architecture, packs the
// binaries, their testdata/ and the guest init (cmd/vminit) into a gzip cpio
// initramfs, boots each kernel with qemu's TCG accelerator (-machine virt
// for arm64) and reads the results back.
//
// Guest and host talk over a results port which carries only what /init
// writes: marker lines (see Marker) framing each test binary's -test.v
// output; a third port carries the artifacts. On amd64 these are the
// serial ports ttyS1 and ttyS2 and the kernel console is ttyS0; qemu's
// arm64 virt machine has one UART (ttyAMA0, the console), so there they are
// the UARTs of a PCI serial card (ttyS0, ttyS1), named to /init by
// PortsEnv on the kernel command line. The console is kept to show kernel panics and oopses. A
// run fails on any failed test, test binary exit status, per-binary
// timeout, kernel panic, missing end marker or overall timeout.
package vmtest
