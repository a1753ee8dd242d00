package vmtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// QemuBinary is the emulator amd64 guests run in.
const QemuBinary = "qemu-system-x86_64"

// Emulator is the qemu binary and the Debian package that has it for the
// guests of a Debian architecture.
func Emulator(arch string) (binary, pkg string, err error) {
	switch arch {
	case "amd64", "":
		return QemuBinary, "qemu-system-x86", nil
	case "arm64":
		return "qemu-system-aarch64", "qemu-system-arm", nil
	}
	return "", "", fmt.Errorf("no emulator for guests of architecture %q", arch)
}

// BootConfig is one guest boot.
type BootConfig struct {
	Kernel Kernel
	Initrd string
	// Expected are the packages the manifest runs, in order.
	Expected []string
	MemoryMB int
	CPUs     int
	// CPUModel is qemu's -cpu; "max" gives the guest every feature TCG has.
	CPUModel string
	// Timeout bounds the whole boot; qemu is killed when it expires.
	Timeout time.Duration
	// LogDir receives console.log (kernel console, ttyS0), results.log
	// (the results port, ttyS1) and ArtifactsFile (ttyS2) when the tests
	// left artifacts.
	LogDir string
	// Live, when set, receives each results line as it arrives.
	Live func(line string)
}

// CommandLine is the kernel command line of every guest: the console on
// ttyS0; a panic (oopses included) stops the guest at once, which -no-reboot
// turns into qemu exiting; BPF LSM enabled.
//
// no_timer_check: under TCG on a loaded host the kernel's check that the
// timer interrupt works through the IO-APIC can time out and panic the boot
// ("IO-APIC + timer doesn't work!"); the emulated timer works, the check is
// only too impatient.
const CommandLine = "console=ttyS0 panic=-1 oops=panic lsm=lockdown,capability,bpf no_timer_check"

// CommandLineArm64 is CommandLine of arm64 guests. qemu's virt machine has
// a single UART (ttyAMA0, the console), so the results and artifacts ports
// are the two 16550 UARTs of a PCI serial card (pci-serial-2x), which the
// kernel's built-in 8250 PCI driver makes ttyS0 and ttyS1 (virtio consoles
// are modules in Debian's 5.10); the kernel hands VMTEST_PORTS to /init as
// an environment variable.
const CommandLineArm64 = "console=ttyAMA0 panic=-1 oops=panic lsm=lockdown,capability,bpf " + PortsEnv + "=4:64,4:65"

// SeriesEnv tells the tests in the guest which series of the matrix they
// run on (Series.Name: "7.x", "6.12-arm64"), for the conformance column
// they write. The kernel command line carries it to /init's environment,
// which passes it on to the test binaries.
const SeriesEnv = "VMTEST_SERIES"

// PortsEnv names /init's results and artifacts ports by device number
// ("MAJOR:MINOR,MAJOR:MINOR"); without it they are ttyS1 and ttyS2.
const PortsEnv = "VMTEST_PORTS"

// qemuArgs are the emulator's arguments for cfg. TCG, not KVM: qemu hangs
// with KVM on our CI machines.
func qemuArgs(cfg BootConfig, console, artifacts string) []string {
	if cfg.Kernel.Arch == "arm64" {
		cpu := cfg.CPUModel
		if cpu == "max" {
			// Pointer authentication with the architected algorithm is
			// most of TCG's time on arm64; the implementation-defined one
			// is as good for tests and much faster.
			cpu = "max,pauth-impdef=on"
		}
		return []string{
			"-machine", "virt", "-accel", "tcg",
			"-cpu", cpu,
			"-m", fmt.Sprint(cfg.MemoryMB),
			"-smp", fmt.Sprint(cfg.CPUs),
			"-nodefaults", "-display", "none", "-no-reboot",
			"-kernel", cfg.Kernel.Vmlinuz,
			"-initrd", cfg.Initrd,
			"-append", CommandLineArm64 + " " + SeriesEnv + "=" + cfg.Kernel.Series,
			"-serial", "file:" + console, // ttyAMA0
			"-chardev", "stdio,id=results",
			"-chardev", "file,id=artifacts,path=" + artifacts,
			"-device", "pci-serial-2x,chardev1=results,chardev2=artifacts", // ttyS0, ttyS1
		}
	}
	return []string{
		"-accel", "tcg",
		"-cpu", cfg.CPUModel,
		"-m", fmt.Sprint(cfg.MemoryMB),
		"-smp", fmt.Sprint(cfg.CPUs),
		"-nodefaults", "-display", "none", "-no-reboot",
		"-kernel", cfg.Kernel.Vmlinuz,
		"-initrd", cfg.Initrd,
		"-append", CommandLine + " " + SeriesEnv + "=" + cfg.Kernel.Series,
		"-serial", "file:" + console, // ttyS0
		"-serial", "stdio", // ttyS1
		"-serial", "file:" + artifacts, // ttyS2
	}
}

// Boot runs one guest to its end and returns what it reported. The error
// is for failures to run qemu at all; everything the guest did wrong is in
// the Result.
func Boot(ctx context.Context, cfg BootConfig) (*Result, error) {
	r := &Result{Kernel: cfg.Kernel, Logs: cfg.LogDir}
	if err := os.MkdirAll(cfg.LogDir, 0o755); err != nil {
		return nil, fmt.Errorf("boot %s: %w", cfg.Kernel.Release, err)
	}
	console := filepath.Join(cfg.LogDir, "console.log")
	artifacts := filepath.Join(cfg.LogDir, ArtifactsFile)
	resultsLog, err := os.Create(filepath.Join(cfg.LogDir, "results.log"))
	if err != nil {
		return nil, fmt.Errorf("boot %s: %w", cfg.Kernel.Release, err)
	}
	defer resultsLog.Close()

	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	qemu, _, err := Emulator(cfg.Kernel.Arch)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, qemu, qemuArgs(cfg, console, artifacts)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", qemu, err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(resultsLog, line)
		if r.Boot == 0 {
			r.InitAt = time.Since(start)
		}
		r.Feed(line)
		if cfg.Live != nil {
			cfg.Live(line)
		}
	}
	waitErr := cmd.Wait()
	r.Wall = time.Since(start)

	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		r.Problems = append(r.Problems, fmt.Sprintf("timeout: guest still running after %s, killed", cfg.Timeout))
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case waitErr != nil:
		r.Problems = append(r.Problems, fmt.Sprintf("qemu: %v: %s", waitErr, strings.TrimSpace(stderr.String())))
	}
	r.Finish(cfg.Expected)
	r.checkConsole(console)
	r.checkArtifacts(artifacts)
	return r, nil
}

// checkArtifacts checks that the artifacts the guest announced arrived
// whole, and removes the empty file qemu leaves when there were none.
func (r *Result) checkArtifacts(path string) {
	if r.artifactsSum == "" {
		os.Remove(path)
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("artifacts: %v", err))
		return
	}
	sum := sha256.Sum256(raw)
	if hex.EncodeToString(sum[:]) != r.artifactsSum || len(raw) != r.artifactsSize {
		r.Problems = append(r.Problems, fmt.Sprintf("artifacts: got %d bytes with another checksum than the %d bytes the guest sent",
			len(raw), r.artifactsSize))
		return
	}
	r.Artifacts = path
}

// consolePanics are kernel console lines that fail a run whatever the tests
// said.
var consolePanics = []string{"Kernel panic", "BUG:", "Oops:", "WARNING:", "general protection fault"}

// checkConsole reports kernel trouble from the console log and keeps its
// tail when the guest itself went wrong.
func (r *Result) checkConsole(path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		r.Problems = append(r.Problems, fmt.Sprintf("read console log: %v", err))
		return
	}
	lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	for _, line := range lines {
		for _, p := range consolePanics {
			if strings.Contains(line, p) {
				r.Problems = append(r.Problems, "kernel: "+strings.TrimSpace(line))
			}
		}
	}
	if len(r.Problems) > 0 {
		r.Console = tail(lines, 40)
	}
}

func tail(lines []string, n int) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines[max(0, len(lines)-n):]
}

// PrefixWriter returns a function writing lines to w with a prefix.
func PrefixWriter(w io.Writer, prefix string) func(string) {
	return func(line string) { fmt.Fprintf(w, "%s%s\n", prefix, line) }
}
