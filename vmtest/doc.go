// Package vmtest runs Go test binaries inside qemu guests booted from real
// Debian kernels, so tests of hooks the host kernel lacks (kprobes, fentry,
// fmod_ret, BPF LSM) run on every change.
//
// The host side (cmd/vmtest, `make vmtest`) picks the newest Debian
// linux-image package of each kernel series with apt, caches its vmlinuz,
// compiles each package listed in vmtest/packages with `go test -c`, packs
// the binaries, their testdata/ and the guest init (cmd/vminit) into a gzip
// cpio initramfs, boots each kernel with qemu's TCG accelerator and reads the
// results back.
//
// Guest and host talk over the second serial port (ttyS1), which carries
// only what /init writes: marker lines (see Marker) framing each test
// binary's -test.v output. The first port (ttyS0) is the kernel console; it
// is kept to show kernel panics and oopses. A run fails on any failed test,
// test binary exit status, per-binary timeout, kernel panic, missing end
// marker or overall timeout.
package vmtest
