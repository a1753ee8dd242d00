package codegen

import (
	"errors"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// TestSigkill: a selector with Sigkill kills the process that made the
// call, synchronously, and its record says KPROBE_ACTION_SIGKILL.
func TestSigkill(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.KernelBTF, testenv.RingBuf)
	bin := childBinary(t, "victim")
	forbidden := filepath.Join(filepath.Dir(bin), "forbidden")
	pos := ir.Pos{File: "sigkill.yaml", Line: 1}
	h := &ir.Hook{Kind: ir.HookTracepoint, Target: "syscalls/sys_enter_openat", Call: "syscalls/sys_enter_openat", Pos: pos,
		Args: []*ir.Arg{{Slot: 0, Index: 6, Type: ir.TypeString, SizeSlot: ir.NoSize, Pos: pos}},
		Selectors: []*ir.Selector{{Pos: pos,
			Tests:   []*ir.Test{{Kind: ir.TestArg, Op: ir.OpEqual, Slot: 0, Type: ir.TypeString, Values: []ir.Value{{Kind: ir.ValString, Str: forbidden}}}},
			Actions: []*ir.Action{{Kind: ir.ActSigkill, Pos: pos}, {Kind: ir.ActPost, Pos: pos}},
		}}}
	b, err := Build(&ir.Policy{Name: "sigkill", Arch: "x86_64", Hooks: []*ir.Hook{h}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := loadBundle(t, b)
	tp, err := link.Tracepoint("syscalls", "sys_enter_openat", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()

	// Opening another file is fine; opening the forbidden one kills.
	if err := child(bin, "open:"+filepath.Join(filepath.Dir(bin), "allowed")).Run(); err != nil {
		t.Fatalf("child opening an allowed file: %v", err)
	}
	cmd := child(bin, "open:"+forbidden)
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child opening %s: %v, want killed by SIGKILL", forbidden, err)
	}
	tp.Close()
	n := 0
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind != bpf.EventPolicy || r.Tgid != uint32(cmd.Process.Pid) {
			continue
		}
		if r.Action != bpf.ActionSigkill {
			t.Errorf("record action %v", r.Action)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d records of the killed process, want 1", n)
	}
}
