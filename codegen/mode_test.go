package codegen

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// modePolicy is a Sigkill on opening one file, with a Post, in mode.
func modePolicy(forbidden string, mode ir.Mode) *ir.Policy {
	pos := ir.Pos{File: "mode.yaml", Line: 1}
	h := &ir.Hook{Kind: ir.HookTracepoint, Target: "syscalls/sys_enter_openat", Call: "syscalls/sys_enter_openat", Pos: pos,
		Args: []*ir.Arg{{Slot: 0, Index: 6, Type: ir.TypeString, SizeSlot: ir.NoSize, Pos: pos}},
		Selectors: []*ir.Selector{{Pos: pos,
			Tests:   []*ir.Test{{Kind: ir.TestArg, Op: ir.OpEqual, Slot: 0, Type: ir.TypeString, Values: []ir.Value{{Kind: ir.ValString, Str: forbidden}}}},
			Actions: []*ir.Action{{Kind: ir.ActSigkill, Pos: pos}, {Kind: ir.ActPost, Pos: pos}},
		}}}
	return &ir.Policy{Name: "mode", Arch: "x86_64", Hooks: []*ir.Hook{h}, Mode: mode}
}

// TestModeBundle: only a policy with enforcement actions has the mode map
// and names its default mode in the manifest.
func TestModeBundle(t *testing.T) {
	for _, mode := range []ir.Mode{ir.ModeEnforce, ir.ModeMonitor} {
		b, err := Build(modePolicy("/x", mode), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if b.Manifest.Mode != mode.String() {
			t.Errorf("manifest mode %q, want %q", b.Manifest.Mode, mode)
		}
		if !hasMap(b, bpf.ModeMap) {
			t.Errorf("mode %s: no %s", mode, bpf.ModeMap)
		}
	}
	p := modePolicy("/x", ir.ModeMonitor)
	p.Hooks[0].Selectors[0].Actions = p.Hooks[0].Selectors[0].Actions[1:] // Post only
	b, err := Build(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Manifest.Mode != "" || hasMap(b, bpf.ModeMap) {
		t.Errorf("a policy without enforcement actions: manifest mode %q, mode map %v; want neither", b.Manifest.Mode, hasMap(b, bpf.ModeMap))
	}
}

func hasMap(b *Bundle, name string) bool {
	for _, m := range b.Maps {
		if m.Name == name {
			return true
		}
	}
	return false
}

// TestModeSigkill: in monitor mode Sigkill is not sent and the record
// still says Sigkill; the mode map switches a loaded program between
// modes, and its unset value means the policy's default. The policy's
// counters count each Sigkill sent, none in monitor mode, and each record
// posted.
func TestModeSigkill(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.Tracepoints, testenv.KernelBTF, testenv.RingBuf)
	bin := childBinary(t, "victim")
	forbidden := filepath.Join(filepath.Dir(bin), "forbidden")
	for _, def := range []ir.Mode{ir.ModeEnforce, ir.ModeMonitor} {
		t.Run(def.String(), func(t *testing.T) {
			b, err := Build(modePolicy(forbidden, def), Options{})
			if err != nil {
				t.Fatal(err)
			}
			l := loadBundle(t, b)
			tp, err := link.Tracepoint("syscalls", "sys_enter_openat", l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tp.Close()
			modes := l.coll.Maps[bpf.ModeMap]
			var pids []int
			for _, step := range []struct {
				value uint32
				kill  bool
			}{
				{bpf.ModeUnset, def == ir.ModeEnforce}, // nobody wrote the map: the default
				{bpf.ModeValueMonitor, false},
				{bpf.ModeValueEnforce, true},
				{bpf.ModeValueMonitor, false},
			} {
				if err := modes.Update(uint32(0), step.value, ebpf.UpdateExist); err != nil {
					t.Fatal(err)
				}
				before := readCounters(t, l)
				cmd := child(bin, "open:"+forbidden)
				err := cmd.Run()
				var exit *exec.ExitError
				killed := errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
				if killed != step.kill || (!killed && err != nil) {
					t.Errorf("mode map %d: child opening %s: %v; want killed %v", step.value, forbidden, err, step.kill)
				}
				want := uint64(0)
				if step.kill {
					want = 1
				}
				if n := readCounters(t, l).Enforced - before.Enforced; n != want {
					t.Errorf("mode map %d: enforcement actions counted %d, want %d", step.value, n, want)
				}
				pids = append(pids, cmd.Process.Pid)
			}
			tp.Close()
			got := map[int]string{}
			recs := readRecords(t, l, b, time.Second, nil)
			for _, r := range recs {
				if r.Kind == bpf.EventPolicy && slices.Contains(pids, int(r.Tgid)) {
					got[int(r.Tgid)] += fmt.Sprint(r.Action)
				}
			}
			// Only the children open the forbidden file: the ring holds
			// this program's records alone.
			if c := readCounters(t, l); c.Posted != uint64(len(recs)) || c.Lost != 0 {
				t.Errorf("counters: %d posted, %d lost; the ring buffer held %d records", c.Posted, c.Lost, len(recs))
			}
			for _, pid := range pids {
				if got[pid] != fmt.Sprint(bpf.ActionSigkill) {
					t.Errorf("child %d: records with actions %q, want one Sigkill", pid, got[pid])
				}
			}
		})
	}
}

// TestModeLSMOverride: an LSM program's Override (its return value) is not
// returned in monitor mode, so the open succeeds and the record still
// says Override; switched to enforce, the next open fails.
func TestModeLSMOverride(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.LSM)
	bin := childBinary(t, "writer")
	target := filepath.Join(filepath.Dir(bin), "guarded")
	if err := os.WriteFile(target, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSource(t, "lsm-mode.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: lsm-mode
spec:
  options:
  - name: policy-mode
    value: monitor
  lsmhooks:
  - hook: "file_open"
    args:
    - index: 0
      type: "file"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values: ["`+target+`"]
      matchActions:
      - action: Override
        argError: -1
`)
	if b.Manifest.Mode != bpf.ModeMonitor {
		t.Fatalf("manifest mode %q", b.Manifest.Mode)
	}
	l := loadBundle(t, b)
	lsm, err := link.AttachLSM(link.LSMOptions{Program: l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]})
	if err != nil {
		t.Fatal(err)
	}
	defer lsm.Close()
	var pids []int
	for i, step := range []struct {
		value uint32
		fails bool
	}{{bpf.ModeUnset, false}, {bpf.ModeValueEnforce, true}, {bpf.ModeValueMonitor, false}} {
		if err := l.coll.Maps[bpf.ModeMap].Update(uint32(0), step.value, ebpf.UpdateExist); err != nil {
			t.Fatal(err)
		}
		before := readCounters(t, l)
		cmd := child(bin, "write:"+target+":x")
		err := cmd.Run()
		var exit *exec.ExitError
		failed := errors.As(err, &exit) && exit.ExitCode() == 3 // the child could not open the file
		if failed != step.fails || !failed && err != nil {
			t.Errorf("step %d (mode map %d): child: %v, want open failing %v", i, step.value, err, step.fails)
		}
		// Counted where the Override ran: in enforce mode only.
		if n := readCounters(t, l).Enforced - before.Enforced; (n == 1) != step.fails || n > 1 {
			t.Errorf("step %d (mode map %d): %d enforcement actions counted", i, step.value, n)
		}
		pids = append(pids, cmd.Process.Pid)
	}
	lsm.Close()
	got := map[int]string{}
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind == bpf.EventPolicy && slices.Contains(pids, int(r.Tgid)) {
			got[int(r.Tgid)] += fmt.Sprint(r.Action)
		}
	}
	for _, pid := range pids {
		if got[pid] != fmt.Sprint(bpf.ActionOverride) {
			t.Errorf("child %d: records with actions %q, want one Override", pid, got[pid])
		}
	}
}

// TestModeNotifyEnforcer: in monitor mode NotifyEnforcer marks nothing,
// so the enforcer (a signal-only kprobe on sys_dup3) lets the caller go
// on, and the record still says NotifyEnforcer; in enforce mode the next
// caller is killed there.
func TestModeNotifyEnforcer(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF, testenv.RingBuf, testenv.Kprobes)
	bin := childBinary(t, "enforced")
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	b := buildSource(t, "kill-dup3-monitor.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "kill-dup3-monitor"
spec:
  options:
  - name: "policy-mode"
    value: "monitor"
  enforcers:
  - calls:
    - "sys_dup3"
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "syscall64"
    selectors:
    - matchArgs:
      - index: 4
        operator: "Equal"
        values: ["%d"]
      matchBinaries:
      - operator: "In"
        values: ["%s"]
      matchActions:
      - action: "NotifyEnforcer"
        argSig: 9
`, unix.SYS_DUP3, bin))
	pin := pinDir(t)
	loadBaseIn(t, pin) // matchBinaries reads the process table
	spec, _ := loadableSpec(t, b)
	l := loadSpecIn(t, b, spec, pin)
	detach := attachAll(t, l, b)
	defer detach()
	var pids []int
	for i, step := range []struct {
		value  uint32
		killed bool
	}{{bpf.ModeUnset, false}, {bpf.ModeValueEnforce, true}} {
		if err := l.coll.Maps[bpf.ModeMap].Update(uint32(0), step.value, ebpf.UpdateExist); err != nil {
			t.Fatal(err)
		}
		before := readCounters(t, l)
		cmd := child(bin, "dupwrite:"+file)
		err := cmd.Run()
		if killed := exitSignal(err) == syscall.SIGKILL; killed != step.killed || !killed && err != nil {
			t.Errorf("step %d (mode map %d): child calling dup3: %v, want killed %v", i, step.value, err, step.killed)
		}
		// The NotifyEnforcer is counted where it runs, in enforce mode.
		if n := readCounters(t, l).Enforced - before.Enforced; (n == 1) != step.killed || n > 1 {
			t.Errorf("step %d (mode map %d): %d enforcement actions counted", i, step.value, n)
		}
		pids = append(pids, cmd.Process.Pid)
	}
	detach()
	if data, _ := os.ReadFile(file); string(data) != "firstsecondfirst" {
		t.Errorf("file holds %q: want the monitored child's two writes, then the killed one's first", data)
	}
	got := map[int]string{}
	for _, r := range readRecords(t, l, b, time.Second, nil) {
		if r.Kind == bpf.EventPolicy && slices.Contains(pids, int(r.Tgid)) {
			got[int(r.Tgid)] += fmt.Sprint(r.Action)
		}
	}
	for _, pid := range pids {
		if got[pid] != fmt.Sprint(bpf.ActionNotifyEnforcer) {
			t.Errorf("child %d: records with actions %q, want one NotifyEnforcer", pid, got[pid])
		}
	}
}
