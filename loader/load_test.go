package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader/testbundle"
)

// A policy loads, is listed, stays in force without polrun's handles,
// posts events that decode with the process cache, and unloads leaving no
// pins and no programs.
func TestLoadListEventsUnload(t *testing.T) {
	o := testOptions(t)
	b := syscallBundle("ldrtest-syscalls", uint32(os.Getpid())).bundle(t)

	start := time.Now()
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded in %v (policy %v without the base)", time.Since(start), res[0].Duration)
	if res[0].Name != "ldrtest-syscalls" || res[0].Programs != 1 || res[0].PolicyID == 0 {
		t.Errorf("result %+v", res[0])
	}

	want := []string{
		"base", "base/links", "base/links/polc_base_exec", "base/links/polc_base_exit", "base/links/polc_base_fork",
		"base/polc_cmdargs", "base/polc_counters", "base/polc_drops", "base/polc_events", "base/polc_proc_gens", "base/polc_procs", "base/polc_procs_gen",
		"policies", "policies/ldrtest-syscalls",
		"policies/ldrtest-syscalls/links", "policies/ldrtest-syscalls/links/ldrtest_enter",
		"policies/ldrtest-syscalls/maps", "policies/ldrtest-syscalls/maps/_rodata",
		"policies/ldrtest-syscalls/maps/polc_manifest", "policies/ldrtest-syscalls/maps/targets",
	}
	if spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(bpf.BaseObject)); err != nil || spec.Maps[bpf.DropsMap] == nil {
		want = slices.DeleteFunc(want, func(s string) bool { return s == "base/polc_drops" })
	}
	if got := pinsUnder(t, o.PinRoot); !slices.Equal(got, want) {
		t.Errorf("pins:\n got %q\nwant %q", got, want)
	}

	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	if st.Base == nil || len(st.Base.Programs) != 3 || len(st.Policies) != 1 {
		t.Fatalf("list: %+v", st)
	}
	p := st.Policies[0]
	if p.Err != nil || p.PolicyID != res[0].PolicyID || len(p.Programs) != 1 || p.Programs[0].Err != nil {
		t.Fatalf("policy status: %+v", p)
	}
	// Kernels before 6.6 say only that it is a perf event link.
	if a := p.Programs[0].Attached; p.Programs[0].Hook != "tracepoint raw_syscalls/sys_enter" || a != "tracepoint sys_enter" && a != "perf_event" {
		t.Errorf("program status: %+v", p.Programs[0])
	}

	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot, NodeName: "testnode"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	syscall.Getppid() // a syscall of this process: id 110 on x86_64
	ev := nextEvent(t, s, func(e *Event) bool { return syscallID(e) == uint32(syscall.SYS_GETPPID) })
	if ev.Policy != "ldrtest-syscalls" || ev.Kind != KindTracepoint || *ev.Process.PID != uint32(os.Getpid()) {
		t.Errorf("event %+v", ev)
	}
	exe, _ := os.Executable()
	if ev.Process.Binary != exe || ev.Parent == nil || ev.Process.ExecID == "" {
		t.Errorf("process %+v parent %+v", ev.Process, ev.Parent)
	}
	line, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var shape struct {
		PT struct {
			Process struct {
				PID    uint32 `json:"pid"`
				Binary string `json:"binary"`
			} `json:"process"`
			Subsys, Event, Action string
			PolicyName            string `json:"policy_name"`
			Args                  []struct {
				SyscallID struct {
					ID  uint32 `json:"id"`
					ABI string `json:"abi"`
				} `json:"syscall_id"`
				Label string `json:"label"`
			} `json:"args"`
		} `json:"process_tracepoint"`
		NodeName string `json:"node_name"`
		Time     time.Time
	}
	if err := json.Unmarshal(line, &shape); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	pt := shape.PT
	if pt.Subsys != "raw_syscalls" || pt.Event != "sys_enter" || pt.Action != "KPROBE_ACTION_POST" ||
		pt.PolicyName != "ldrtest-syscalls" || len(pt.Args) != 1 || pt.Args[0].Label != "id" ||
		pt.Args[0].SyscallID.ABI != "x64" || pt.Args[0].SyscallID.ID != uint32(syscall.SYS_GETPPID) ||
		shape.NodeName != "testnode" || time.Since(shape.Time) > time.Minute || time.Since(shape.Time) < 0 {
		t.Errorf("JSON %s", line)
	}
	t.Logf("%s", line)
	t.Logf("%s", ev.Compact())

	// A second reader of the pin root is refused, saying who reads.
	_, err = OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	var busy *ReaderBusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() || !strings.Contains(err.Error(), "polrun events --pin-root "+o.PinRoot) {
		t.Errorf("second reader: %v, want a ReaderBusyError naming pid %d", err, os.Getpid())
	}
	s.Close()

	// A stream for another policy counts this one's events as filtered.
	other, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot, Policy: "another"})
	if err != nil {
		t.Fatal(err)
	}
	syscall.Getppid()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	if ev, err := other.Next(ctx); err == nil {
		t.Errorf("stream of policy another returned %+v", ev)
	}
	cancel()
	if st := other.Stats(); st.Filtered == 0 || st.Events != 0 {
		t.Errorf("filtered stream: %+v", st)
	}
	other.Close()

	if err := Unload([]string{"ldrtest-syscalls"}, o); err != nil {
		t.Fatal(err)
	}
	if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
		t.Errorf("pins left after unload: %q", got)
	}
	if exists(o.PinRoot) {
		t.Errorf("pin root %s left after the last unload", o.PinRoot)
	}
	var ids []uint32
	for _, p := range append(st.Base.Programs, st.Policies[0].Programs...) {
		ids = append(ids, p.ProgramID)
	}
	waitProgramsGone(t, ids)
}

func syscallID(e *Event) uint32 {
	if len(e.Args) == 0 {
		return ^uint32(0)
	}
	v, _ := e.Args[0].Value.(SyscallIDArg)
	return v.ID
}

// nextEvent returns the first event that match accepts, within 5 seconds.
func nextEvent(t *testing.T, s *Stream, match func(*Event) bool) *Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		ev, err := s.Next(ctx)
		if err != nil {
			t.Fatalf("no matching event: %v (stats %+v)", err, s.Stats())
		}
		if match(ev) {
			return ev
		}
	}
}

// A name collision is an error; Replace swaps the policy for a new one,
// which is attached before the old one goes.
func TestLoadCollisionAndReplace(t *testing.T) {
	o := testOptions(t)
	b := syscallBundle("ldrtest-replace", uint32(os.Getpid())).bundle(t)
	first, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]*Bundle{b}, o); !errors.Is(err, ErrExists) {
		t.Fatalf("second load: %v, want ErrExists", err)
	}
	r := *o
	r.Replace = true
	second, err := Load([]*Bundle{b}, &r)
	if err != nil {
		t.Fatal(err)
	}
	if !second[0].Replaced || second[0].PolicyID == first[0].PolicyID {
		t.Errorf("replace: %+v after %+v", second[0], first[0])
	}
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Policies) != 1 || st.Policies[0].PolicyID != second[0].PolicyID {
		t.Errorf("after replace: %+v", st.Policies)
	}
	// The old programs are gone, the new one is attached.
	deadline := time.Now().Add(5 * time.Second)
	for loadedPrograms(t, "ldrtest_enter") != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d ldrtest_enter programs loaded, want 1", loadedPrograms(t, "ldrtest_enter"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := Unload([]string{"nope"}, o); !errors.Is(err, ErrNotLoaded) {
		t.Errorf("unload of an unknown policy: %v", err)
	}
}

// A load that fails at any step leaves nothing attached or pinned: neither
// the policy nor a base it created. With a base and another policy already
// loaded, those stay untouched.
func TestLoadFailsAtEveryStep(t *testing.T) {
	steps := []string{"features", "base", "base-attach", "base-commit", "load", "maps", "manifest", "attach:ldrtest_enter", "pin", "commit"}
	for _, step := range steps {
		t.Run(step, func(t *testing.T) {
			o := testOptions(t)
			o.Base = testBase(t) // its program's name is this test's own
			injected := errors.New("injected failure at " + step)
			o.failAt = func(s string) error {
				if s == step {
					return injected
				}
				return nil
			}
			b := syscallBundle("ldrtest-fail", uint32(os.Getpid())).bundle(t)
			if _, err := Load([]*Bundle{b}, o); !errors.Is(err, injected) {
				t.Fatalf("load: %v, want the injected failure", err)
			}
			if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
				t.Errorf("pins left: %q", got)
			}
			waitNoPrograms(t, "ldrtest_enter")
			waitNoPrograms(t, "ldrtest_exec")
		})
	}
	for _, step := range []string{"load", "attach:ldrtest_enter", "pin", "commit"} {
		t.Run("with-base-"+step, func(t *testing.T) {
			o := testOptions(t)
			keep := syscallBundle("ldrtest-keep", uint32(os.Getpid())).bundle(t)
			if _, err := Load([]*Bundle{keep}, o); err != nil {
				t.Fatal(err)
			}
			before := pinsUnder(t, o.PinRoot)
			injected := errors.New("injected")
			o.failAt = func(s string) error {
				if s == step {
					return injected
				}
				return nil
			}
			o.Replace = true
			// Replacing the loaded policy fails: the old one stays.
			if _, err := Load([]*Bundle{keep}, o); !errors.Is(err, injected) {
				t.Fatalf("load: %v", err)
			}
			if got := pinsUnder(t, o.PinRoot); !slices.Equal(got, before) {
				t.Errorf("pins changed:\n got %q\nwant %q", got, before)
			}
			if n := loadedPrograms(t, "ldrtest_enter"); n < 1 {
				t.Errorf("the kept policy's program is gone")
			}
		})
	}
}

// A program the verifier refuses is reported with its hook, the policy's
// YAML position and the verifier log's tail, and nothing stays.
func TestVerifierRejection(t *testing.T) {
	o := testOptions(t)
	bs := syscallBundle("ldrtest-bad", uint32(os.Getpid()))
	bs.Progs[0].Insns = asm.Instructions{
		asm.LoadMem(asm.R0, asm.R2, 0, asm.DWord), // R2 was never written
		asm.Return(),
	}
	_, err := Load([]*Bundle{bs.bundle(t)}, o)
	var pe *ProgramError
	if !errors.As(err, &pe) {
		t.Fatalf("load: %v, want a ProgramError", err)
	}
	if pe.Program != "ldrtest_enter" || pe.Hook != "tracepoint raw_syscalls/sys_enter" || pe.Pos.Line != 7 || pe.Step != "load" || len(pe.LogTail) == 0 {
		t.Errorf("error %+v", pe)
	}
	if !strings.Contains(err.Error(), "ldrtest-bad.yaml:7:5") || !strings.Contains(strings.Join(pe.LogTail, "\n"), "R2") {
		t.Errorf("message:\n%v", err)
	}
	if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
		t.Errorf("pins left: %q", got)
	}
	t.Logf("%v", err)
}

// A tracepoint field the kernel lays out differently is refused, naming it.
func TestTracepointFieldMismatch(t *testing.T) {
	o := testOptions(t)
	bs := syscallBundle("ldrtest-format", uint32(os.Getpid()))
	bs.Hooks[0].TracepointFields[0].Offset = 16
	_, err := Load([]*Bundle{bs.bundle(t)}, o)
	var fe *TracepointFieldError
	if !errors.As(err, &fe) || !errors.Is(err, ErrTracepointFormat) || fe.Field != "id" || fe.Got == nil || fe.Got.Offset != 8 {
		t.Fatalf("load: %v", err)
	}
	bs.Hooks[0].TracepointFields[0].Name = "nosuchfield"
	if _, err := Load([]*Bundle{bs.bundle(t)}, o); !errors.As(err, &fe) || fe.Field != "nosuchfield" {
		t.Fatalf("load: %v", err)
	}
	if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
		t.Errorf("pins left: %q", got)
	}
}

// A missing feature is refused naming the feature.
func TestMissingFeature(t *testing.T) {
	o := testOptions(t)
	b := syscallBundle("ldrtest-feature", uint32(os.Getpid())).bundle(t)
	b.Manifest.Features = append(b.Manifest.Features, "teleport")
	_, err := Load([]*Bundle{b}, o)
	var fe *FeatureError
	if !errors.As(err, &fe) || fe.Feature != "teleport" || !errors.Is(err, ErrMissingFeature) {
		t.Fatalf("load: %v", err)
	}
	if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
		t.Errorf("pins left: %q", got)
	}
}

// A staging directory left by a polrun before the journal, killed
// mid-load, is removed by the next one.
func TestStaleStagingRemoved(t *testing.T) {
	o := testOptions(t)
	if err := os.MkdirAll(filepath.Join(o.PinRoot, legacyStagingPrefix+"x-1", bpf.LinksDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]*Bundle{syscallBundle("ldrtest-stale", 1).bundle(t)}, o); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(o.PinRoot, legacyStagingPrefix+"x-1")) {
		t.Error("stale staging directory not removed")
	}
}

// Records the ring buffer could not take are counted by the drop counter
// and reported: those dropped before a reader started, and those dropped
// while one reads too slowly.
func TestDropsReported(t *testing.T) {
	o := testOptions(t)
	base, err := testbundle.Base("ldrtest_exec", true)
	if err != nil {
		t.Fatal(err)
	}
	o.Base = base
	data, err := testbundle.SyscallsCountingDrops("ldrtest-drops", "ldrtest_enter", uint32(os.Getpid())).Write()
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]*Bundle{b}, o); err != nil {
		t.Fatal(err)
	}
	// 48-byte records (56 with the ring buffer's header): 8 MiB hold
	// about 150,000.
	flood := func() {
		for range 400_000 {
			syscall.Getppid()
		}
	}
	flood()
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st := s.Stats()
	if !st.HasDropCounter || st.DroppedBefore < 100_000 {
		t.Fatalf("stats at open: %+v", st)
	}
	// Nobody calls Next: the queue fills, the reader waits, the ring
	// buffer fills again.
	flood()
	time.Sleep(1500 * time.Millisecond)
	if st := s.Stats(); st.Dropped < 100_000 {
		t.Errorf("stats while reading slowly: %+v", st)
	}
	t.Logf("%+v", s.Stats())

	// A bundle counting drops cannot share a base without the counter.
	o2 := testOptionsN(t, 2)
	o2.Base = testBase(t)
	if _, err := Load([]*Bundle{b}, o2); err == nil || !strings.Contains(err.Error(), "polc_drops") {
		t.Errorf("load against a base without the drop counter: %v", err)
	}
}
