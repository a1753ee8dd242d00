package loader

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// kmultiPolicy hooks a list of three syscalls, with their return values,
// for the process pid; disable sets spec.options disable-kprobe-multi.
func kmultiPolicy(pid uint32, disable bool) string {
	opts := ""
	if disable {
		opts = "  options:\n  - name: disable-kprobe-multi\n    value: \"true\"\n"
	}
	return fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: kmulti
spec:
%s  lists:
  - name: ids
    type: syscalls
    values: ["sys_getppid", "sys_getpid", "sys_gettid"]
  kprobes:
  - call: "list:ids"
    syscall: true
    return: true
    returnArg: {index: 0, type: int}
    selectors:
    - matchPIDs:
      - {operator: In, values: [%d]}
`, opts, pid)
}

// kmultiRun loads the list policy for a helper that calls each syscall
// once, and checks its events: one per syscall at least (the Go runtime
// calls gettid too), each named by its function and with its return
// value (getpid returns the helper's pid, getppid this test's), which
// shows every event was decoded as its own hook's. It returns the links
// the policy has, by what the kernel says they are attached to.
func kmultiRun(t *testing.T, o *Options, disable bool) (*Loaded, []string) {
	t.Helper()
	h := newHelper(t)
	h.start(t, "ids")
	b := compilePolicy(t, "kmulti.yaml", kmultiPolicy(h.pid(), disable))
	if n := len(b.Manifest.Multi); disable && n != 0 || !disable && n != 2 {
		t.Fatalf("the bundle has %d multi programs (disable-kprobe-multi %t): %+v", n, disable, b.Manifest.Multi)
	}
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.run(t)
	evs := collectAfter(t, s, "kmulti", 30*time.Second, 3*time.Second)
	seen := map[string]int{}
	for _, ev := range evs {
		fn := ev.FunctionName()
		seen[fn]++
		if ev.Return == nil {
			t.Errorf("%s: no return value", fn)
			continue
		}
		ret := fmt.Sprint(ev.Return.Value)
		switch {
		case strings.HasSuffix(fn, "_sys_getpid") && ret != fmt.Sprint(h.pid()):
			t.Errorf("%s returned %s, want the helper's pid %d", fn, ret, h.pid())
		case strings.HasSuffix(fn, "_sys_getppid") && ret != fmt.Sprint(os.Getpid()):
			t.Errorf("%s returned %s, want the test's pid %d", fn, ret, os.Getpid())
		}
	}
	for _, want := range []string{"getppid", "getpid", "gettid"} {
		fn := ""
		for _, hk := range b.Manifest.Hooks {
			if strings.HasSuffix(hk.Target, "_sys_"+want) {
				fn = hk.Target
			}
		}
		if seen[fn] == 0 {
			t.Errorf("no event of %s (events by function: %v)", fn, seen)
		}
	}
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, p := range st.Policies {
		for _, ps := range p.Programs {
			links = append(links, ps.Attached)
		}
	}
	t.Logf("%d links (%d held) in %v: %v; events by function: %v; warnings: %q", res[0].Programs, res[0].Held, res[0].Duration, links, seen, res[0].Warnings)
	return &res[0], links
}

// A list of syscalls is attached with one kprobe_multi link for the entry
// programs and one for the return programs, whose events name each its
// own function.
func TestKprobeMultiList(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.KernelAtLeast(6, 12), testenv.KprobeMulti)
	if err := checkFeature(bpf.FeatureKprobeMulti); err != nil {
		t.Fatalf("testenv finds kprobe_multi, polrun's probe does not: %v", err)
	}
	res, links := kmultiRun(t, o, false)
	if res.Programs != 2 || len(links) != 2 {
		t.Fatalf("%d links (%d pinned), want 2 kprobe_multi links", res.Programs, len(links))
	}
	for _, l := range links {
		if l != "kprobe_multi (3 functions)" {
			t.Errorf("a link attached to %q, want kprobe_multi of the 3 syscalls", l)
		}
	}
}

// Without kprobe_multi (disable-kprobe-multi, or a kernel without it),
// each hook of the list gets its own kprobe and kretprobe.
func TestKprobeMultiFallback(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes, testenv.Kretprobes)
	disable := checkFeature(bpf.FeatureKprobeMulti) == nil
	res, links := kmultiRun(t, o, disable)
	if res.Programs != 6 {
		t.Fatalf("%d links, want 6: a kprobe and a kretprobe per syscall", res.Programs)
	}
	for _, l := range links {
		if strings.HasPrefix(l, "kprobe_multi") {
			t.Errorf("a kprobe_multi link: %q", l)
		}
	}
}

// polrun --disable-kprobe-multi keeps the single programs of a bundle
// that has a multi program.
func TestKprobeMultiDisabledByOption(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.KernelAtLeast(6, 12), testenv.KprobeMulti)
	o.DisableKprobeMulti = true
	h := newHelper(t)
	h.start(t, "ids")
	b := compilePolicy(t, "kmulti.yaml", kmultiPolicy(h.pid(), false))
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	h.run(t)
	if res[0].Programs != 6 {
		t.Fatalf("%d links, want 6 single ones", res[0].Programs)
	}
}

// traceableSymbols finds a function every kernel has, and not one that no
// kernel has.
func TestTraceableSymbols(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Tracefs)
	got := traceableSymbols([]string{"vfs_read", "polc_no_such_function"})
	if got == nil {
		t.Skip("neither available_filter_functions nor /proc/kallsyms can be read here")
	}
	if !got["vfs_read"] || got["polc_no_such_function"] {
		t.Errorf("traceable: %v", got)
	}
}
