package base

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestCmdArgs runs children with chosen argument vectors and checks what
// the exec program wrote to bpf.CmdArgsMap while they run: the bytes after
// argv[0], at most bpf.CmdArgsMax of them (as bpf.NewCmdArgs computes from
// the argument area), also after an argv[0] longer than one read chunk, and
// nothing known after one longer than all of them; a forked child that
// does not exec has its parent's entry; entries are gone after exit.
func TestCmdArgs(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	if features.HaveProgramHelper(ebpf.TracePoint, asm.FnLoop) == nil {
		t.Run("bpf_loop", func(t *testing.T) { cmdArgsCases(t, false) })
	}
	t.Run("fallback", func(t *testing.T) { cmdArgsCases(t, true) })
}

func cmdArgsCases(t *testing.T, fallback bool) {
	coll := loadBase(t, fallback)
	args := coll.Maps[bpf.CmdArgsMap]
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 300)
	cases := []struct {
		name string
		argv []string
		want bpf.CmdArgs
	}{
		{"plain", []string{"zero", "-test.run=^$", "", "two words"}, mk("-test.run=^$\x00\x00two words\x00", 0)},
		{"no-args", []string{"zero"}, mk("", 0)},
		{"argv0-empty", []string{"", "first"}, mk("first\x00", 0)},
		{"argv0-255", []string{strings.Repeat("a", 255), "first"}, mk("first\x00", 0)},
		{"argv0-256", []string{strings.Repeat("a", 256), "first"}, mk("first\x00", 0)},
		{"argv0-1000", []string{strings.Repeat("a", 1000), "first", "second"}, mk("first\x00second\x00", 0)},
		{"argv0-4080", []string{strings.Repeat("a", cmdArgsChunks*(bpf.CmdArgsMax-1)-1), "first"}, mk("first\x00", 0)},
		{"argv0-too-long", []string{strings.Repeat("a", cmdArgsChunks*(bpf.CmdArgsMax-1)+10), "first"}, bpf.CmdArgs{Flags: bpf.CmdArgsTruncated}},
		{"cut", []string{"zero", "short", long}, mk(("short\x00" + long)[:bpf.CmdArgsMax], bpf.CmdArgsTruncated)},
		{"exactly-256", []string{"zero", strings.Repeat("b", bpf.CmdArgsMax-1)}, mk(strings.Repeat("b", bpf.CmdArgsMax-1)+"\x00", 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(self)
			cmd.Args = c.argv
			cmd.Env = append(os.Environ(), childEnv+"=300ms")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Wait()
			pid := uint32(cmd.Process.Pid)
			got := waitExeced(t, coll, args, pid)
			if !sameArgs(got, c.want) {
				t.Errorf("entry Len %d Flags %d %q, want Len %d Flags %d %q", got.Len, got.Flags, got.Args[:got.Len], c.want.Len, c.want.Flags, c.want.Args[:c.want.Len])
			}
			// The same as polrun seeds from /proc/PID/cmdline (where an
			// argv[0] longer than the chunks reach is not an exception).
			if raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil && c.name != "argv0-too-long" {
				if seed := bpf.NewCmdArgs(raw); !sameArgs(seed, got) {
					t.Errorf("seeded from procfs Len %d Flags %d, the exec program wrote Len %d Flags %d", seed.Len, seed.Flags, got.Len, got.Flags)
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
			var e bpf.CmdArgs
			if err := args.Lookup(pid, &e); !errors.Is(err, ebpf.ErrKeyNotExist) {
				t.Errorf("entry of exited process %d still there (%v)", pid, err)
			}
		})
	}

	// fork without exec: a subshell keeps the shell's arguments.
	t.Run("fork", func(t *testing.T) {
		sh, err := exec.LookPath("sh")
		if err != nil {
			t.Skip("no sh")
		}
		script := "(sleep 1; :) & wait"
		cmd := exec.Command(sh, "-c", script, "arg-one")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Wait()
		pid := uint32(cmd.Process.Pid)
		want := mk("-c\x00"+script+"\x00arg-one\x00", 0)
		if got := waitExeced(t, coll, args, pid); !sameArgs(got, want) {
			t.Fatalf("shell's entry %q, want %q", got.Args[:got.Len], want.Args[:want.Len])
		}
		var sub uint32
		deadline := time.Now().Add(time.Second)
		for sub == 0 {
			raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
			for _, f := range strings.Fields(string(raw)) {
				n, _ := strconv.ParseUint(f, 10, 32)
				if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", n)); exe != "" && filepath.Base(exe) != "sleep" {
					sub = uint32(n)
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no subshell of %d", pid)
			}
			time.Sleep(5 * time.Millisecond)
		}
		var got bpf.CmdArgs
		if err := args.Lookup(sub, &got); err != nil {
			t.Fatalf("subshell %d: %v", sub, err)
		}
		if !sameArgs(got, want) {
			t.Errorf("subshell's entry %q, want its parent's %q", got.Args[:got.Len], want.Args[:want.Len])
		}
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	})
}

// sameArgs compares what a filter reads of two entries: the bytes after
// Len are left over from the exec program's reads.
func sameArgs(a, b bpf.CmdArgs) bool {
	return a.Len == b.Len && a.Flags == b.Flags && a.Len <= bpf.CmdArgsMax && string(a.Args[:a.Len]) == string(b.Args[:b.Len])
}

func mk(s string, flags uint32) bpf.CmdArgs {
	c := bpf.CmdArgs{Len: uint32(len(s)), Flags: flags}
	copy(c.Args[:], s)
	return c
}

// waitExeced waits for the exec'd table entry of pid and returns its
// arguments' entry.
func waitExeced(t *testing.T, coll *ebpf.Collection, args *ebpf.Map, pid uint32) bpf.CmdArgs {
	t.Helper()
	deadline := time.Now().Add(300 * time.Millisecond)
	for {
		var p bpf.Proc
		if err := coll.Maps[bpf.ProcsMap].Lookup(pid, &p); err == nil && p.Flags&bpf.ProcExeced != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no exec'd entry for pid %d", pid)
		}
		time.Sleep(2 * time.Millisecond)
	}
	var c bpf.CmdArgs
	if err := args.Lookup(pid, &c); err != nil {
		t.Fatalf("no arguments entry for pid %d: %v", pid, err)
	}
	return c
}
