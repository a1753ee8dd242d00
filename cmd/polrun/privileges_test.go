package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
)

// Run as an unprivileged user (nobody, no groups, no capabilities),
// every polrun command that needs BPF exits non-zero naming the cause,
// permission, instead of "nothing loaded", "no base loaded", a feature the
// kernel lacks, or (serve) running on while it can load nothing.
func TestUnprivileged(t *testing.T) {
	testenv.Require(t, testenv.Tool("go"), testenv.Root, testenv.BPFFS)
	if polrunBin == "" {
		t.Fatal("polrun could not be built (see the test output's start)")
	}
	// nobody must be able to run the binary: a directory of its own,
	// readable by all.
	dir, err := os.MkdirTemp("", "polrun-unpriv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "polrun")
	data, err := os.ReadFile(polrunBin)
	if err != nil {
		t.Fatal(err)
	}
	bundles := filepath.Join(dir, "bundles")
	if err := os.WriteFile(bin, data, 0o755); err != nil || os.Mkdir(bundles, 0o755) != nil || os.Chmod(dir, 0o755) != nil {
		t.Fatal(err)
	}
	root := filepath.Join("/sys/fs/bpf", "polrun-unpriv-"+filepath.Base(dir))
	for _, args := range [][]string{
		{"list"},
		{"unload", "--all"},
		{"unload", "p"},
		{"events", "-o", "json"},
		{"features"},
		{"set-mode", "p", "monitor"},
		{"serve", "--dir", bundles},
	} {
		t.Run(args[0]+strings.Join(args[1:], ""), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, append(args, "--pin-root", root)...)
			if args[0] == "features" {
				cmd = exec.CommandContext(ctx, bin, args...)
			}
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534, Groups: []uint32{}}}
			cmd.Stdin = nil
			var stderr strings.Builder
			cmd.Stdout, cmd.Stderr = io.Discard, &stderr
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("still running after 20s (stderr %q)", stderr.String())
			}
			if code := cmd.ProcessState.ExitCode(); code != exitFail || err == nil {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			msg := stderr.String()
			if !strings.Contains(msg, "permission denied") || !strings.Contains(msg, "needs root") || !strings.Contains(msg, "uid 65534") {
				t.Errorf("stderr %q does not name the cause", msg)
			}
		})
	}
	if _, err := os.Stat(root); err == nil {
		t.Errorf("an unprivileged polrun created %s", root)
	}
}
