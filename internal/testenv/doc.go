// Package testenv decides whether a test can run on this machine.
//
// A test names what it needs (root, bpffs, tracefs, a hook kind, a kernel
// version) with Require:
//
//	testenv.Require(t, testenv.Root, testenv.Kprobes)
//	testenv.Require(t, testenv.KernelAtLeast(6, 12), testenv.KprobeMulti)
//
// When something is missing the test is skipped with the exact reason,
// except where the machine is expected to have it:
//
//   - with CI=true, requirements every CI host has (OnCIHost: root, bpffs,
//     tracefs, tracepoints, uprobes, ringbuf, BTF) fail instead of skipping,
//     because CI machines are root on the same kernel as our development
//     hosts;
//   - inside the vmtest guest (POLC_VMTEST=1) every requirement fails instead
//     of skipping, because the guest kernels are chosen to have them. The one
//     exception is a kernel version bound (KernelAtLeast): a test that
//     declares it needs a newer kernel is skipped on older ones everywhere.
//
// Requirements the CI host lacks (kprobes, fentry, fmod_ret, BPF LSM,
// kprobe_multi) skip on the host with a reason ending in "runs under make
// vmtest", and run in the qemu guests of `make vmtest`.
//
// Feature requirements probe the running kernel once per test binary (by
// loading and attaching a trivial program where that is the only honest
// answer) and need root. Mounting bpffs, tracefs and securityfs is done
// here, once, so tests never do it ad hoc.
package testenv
