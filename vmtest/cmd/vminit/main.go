// Command vminit is /init of the vmtest guest: it mounts the kernel
// filesystems tests need, runs each test binary named in the manifest with a
// timeout, frames their output with markers on the results port (ttyS1) and
// powers the machine off.
//
// As PID 1 it must never exit (the kernel would panic), so every error is
// reported as a marker and followed by poweroff.
package main

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/vmtest"
)

func main() {
	out := openResults()
	if err := run(out); err != nil {
		out.marker(vmtest.MarkError, "msg", err.Error())
	}
	poweroff()
}

func run(out *results) error {
	if err := mountAll(); err != nil {
		return err
	}
	uptime, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return fmt.Errorf("read uptime: %w", err)
	}
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return fmt.Errorf("uname: %w", err)
	}
	out.marker(vmtest.MarkBoot,
		"uptime", strings.Fields(string(uptime))[0],
		"release", unix.ByteSliceToString(uts.Release[:]))

	raw, err := os.ReadFile(vmtest.ManifestPath)
	if err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	var m vmtest.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("parse manifest: %w", err)
	}
	if err := os.MkdirAll(vmtest.ArtifactsDir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", vmtest.ArtifactsDir, err)
	}
	for _, b := range m.Binaries {
		out.marker(vmtest.MarkStart, "package", b.Package)
		start := time.Now()
		status := runBinary(b, m.Env, out)
		out.marker(vmtest.MarkEnd, "package", b.Package, "status", status,
			"elapsed", strconv.FormatFloat(time.Since(start).Seconds(), 'f', 2, 64))
	}
	if err := sendArtifacts(out); err != nil {
		return err
	}
	out.marker(vmtest.MarkDone)
	return nil
}

// sendArtifacts writes the files the binaries left in vmtest.ArtifactsDir
// as a tar archive to the artifacts port (ttyS2), and announces it on the
// results port so that the host can check it arrived whole.
func sendArtifacts(out *results) error {
	var files []string
	err := filepath.WalkDir(vmtest.ArtifactsDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		return err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files { // WalkDir goes in lexical order
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("artifacts: %w", err)
		}
		rel, _ := filepath.Rel(vmtest.ArtifactsDir, f)
		hdr := &tar.Header{Name: rel, Mode: 0o644, Size: int64(len(data)), ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("artifacts: %w", err)
		}
		if _, err := tw.Write(data); err != nil {
			return fmt.Errorf("artifacts: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	_, art := ports()
	port, err := openSerial("/vmtest/artifacts-port", art)
	if err != nil {
		return fmt.Errorf("artifacts: %w", err)
	}
	defer port.Close()
	if _, err := port.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("artifacts: write: %w", err)
	}
	// Wait until the UART has sent everything (tcdrain).
	if err := unix.IoctlSetInt(int(port.Fd()), unix.TCSBRK, 1); err != nil {
		return fmt.Errorf("artifacts: drain: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	out.marker(vmtest.MarkArtifacts, "files", strconv.Itoa(len(files)), "bytes", strconv.Itoa(buf.Len()),
		"sha256", hex.EncodeToString(sum[:]))
	return nil
}

// runBinary runs one test binary and returns its end status.
func runBinary(b vmtest.Binary, env []string, out *results) string {
	ctx, cancel := context.WithTimeout(context.Background(), b.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.Path, b.Args...)
	cmd.Dir = b.Dir
	cmd.Env = append([]string{"POLC_VMTEST=1", "HOME=/tmp", "TMPDIR=/tmp", "PATH=/vmtest/bin",
		vmtest.ArtifactsEnv + "=" + vmtest.ArtifactsDir, vmtest.SeriesEnv + "=" + os.Getenv(vmtest.SeriesEnv)}, env...)
	cmd.Stdout, cmd.Stderr = out, out
	// Kill the binary's whole process group: tests may start helpers.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return unix.Kill(-cmd.Process.Pid, unix.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second

	err := cmd.Run()
	out.endLine()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return vmtest.StatusTimeout
	case err == nil:
		return "exit:0"
	case errors.As(err, &exit):
		return "exit:" + strconv.Itoa(exit.ExitCode())
	default:
		fmt.Fprintf(out, "vminit: %v\n", err)
		return vmtest.StatusNoStart
	}
}

// mountAll mounts what tests expect of a booted system.
func mountAll() error {
	for _, m := range []struct{ fstype, dir string }{
		{"proc", "/proc"},
		{"sysfs", "/sys"},
		{"devtmpfs", "/dev"},
		{"tmpfs", "/tmp"},
		{"tmpfs", "/run"}, // polrun's run directories (loader.RunBase): the event reader's lock
		{"tracefs", "/sys/kernel/tracing"},
		{"debugfs", "/sys/kernel/debug"},
		{"securityfs", "/sys/kernel/security"},
		{"bpf", "/sys/fs/bpf"},
		{"cgroup2", "/sys/fs/cgroup"},
	} {
		if err := os.MkdirAll(m.dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", m.dir, err)
		}
		if err := unix.Mount(m.fstype, m.dir, m.fstype, 0, ""); err != nil && !errors.Is(err, unix.EBUSY) {
			return fmt.Errorf("mount %s on %s: %w", m.fstype, m.dir, err)
		}
	}
	return nil
}

// results writes to the results port, remembering whether the last byte
// was a newline so that markers always start a line.
type results struct {
	mu      sync.Mutex
	w       io.Writer
	midLine bool
}

func (r *results) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(p) > 0 {
		r.midLine = p[len(p)-1] != '\n'
	}
	return r.w.Write(p)
}

// endLine ends a line the test output left unfinished.
func (r *results) endLine() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.midLine {
		r.w.Write([]byte("\n"))
		r.midLine = false
	}
}

func (r *results) marker(kind string, kv ...string) {
	r.endLine()
	r.Write([]byte(vmtest.FormatMarker(kind, kv...) + "\n"))
}

// openResults opens the results port in raw mode (no "\n" to "\r\n");
// without it the console is the best place left to report to.
func openResults() *results {
	res, _ := ports()
	f, err := openSerial("/vmtest/results-port", res)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vminit: open results port: %v\n", err)
		return &results{w: os.Stdout}
	}
	return &results{w: f}
}

// port is a character device number.
type port struct{ major, minor uint32 }

// ports are the results and artifacts ports: ttyS1 and ttyS2 (4:65, 4:66),
// or what the kernel command line names in vmtest.PortsEnv (the kernel
// passes it to /init's environment): arm64 guests use a PCI serial card.
func ports() (results, artifacts port) {
	results, artifacts = port{4, 65}, port{4, 66}
	var r, a port
	if _, err := fmt.Sscanf(os.Getenv(vmtest.PortsEnv), "%d:%d,%d:%d", &r.major, &r.minor, &a.major, &a.minor); err == nil {
		results, artifacts = r, a
	}
	return results, artifacts
}

// openSerial opens a serial port in raw mode, through a device node of its
// own at path: /dev may not be mounted yet.
func openSerial(path string, p port) (*os.File, error) {
	_ = unix.Mknod(path, unix.S_IFCHR|0o600, int(unix.Mkdev(p.major, p.minor)))
	f, err := os.OpenFile(path, os.O_WRONLY|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	if t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS); err == nil {
		t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		t.Oflag &^= unix.OPOST
		t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		t.Cflag = t.Cflag&^(unix.CSIZE|unix.PARENB|unix.CBAUD) | unix.CS8 | unix.B115200
		_ = unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, t)
	}
	return f, nil
}

// poweroff ends the guest; qemu runs with -no-reboot, so a restart ends it
// too. PID 1 must not return, so it waits for the end.
func poweroff() {
	unix.Sync()
	_ = unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	_ = unix.Reboot(unix.LINUX_REBOOT_CMD_RESTART)
	for {
		time.Sleep(time.Hour)
	}
}
