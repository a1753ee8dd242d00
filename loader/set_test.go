package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
)

// compileSet builds the policies of yamls into one policy set bundle named
// name (codegen.BuildSet, as polc build --set) and reads it back.
func compileSet(t *testing.T, name string, yamls map[string]string, order []string) *Bundle {
	t.Helper()
	var members []codegen.SetMember
	for _, file := range order {
		src := compiler.NewSource(file, []byte(yamls[file]))
		res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.Host()})
		if res.Errors() > 0 || len(res.Policies) != 1 {
			t.Fatalf("check %s: %+v", file, res.Diagnostics)
		}
		pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.Host(), SourceName: file})
		if pol == nil {
			t.Fatalf("lower %s: %+v", file, diags)
		}
		members = append(members, codegen.SetMember{Policy: pol, Source: file, SourceSHA256: src.SHA256()})
	}
	b, err := codegen.BuildSet(name, members, codegen.Options{Compiler: "loader-test"})
	if err != nil {
		t.Fatalf("build set %s: %v", name, err)
	}
	bundle, err := ReadBundle(b.Object)
	if err != nil {
		t.Fatalf("read set %s: %v", name, err)
	}
	return bundle
}

// A policy set of three policies on raw_syscalls/sys_enter, each selecting
// one syscall of the helper: one program for the three, each event named
// after its member and carrying its syscall; switching one member off stops
// its events and no other's, and switching it on brings them back.
func TestPolicySet(t *testing.T) {
	for _, raw := range []bool{false, true} {
		name := "tracepoint"
		if raw {
			name = "raw_tracepoint"
		}
		t.Run(name, func(t *testing.T) { testPolicySet(t, raw) })
	}
}

func testPolicySet(t *testing.T, raw bool) {
	o := testOptions(t)
	h := newHelper(t)
	// The syscall id: field 4 of the tracepoint's record, argument 1 of
	// the raw tracepoint.
	index, rawLine := 4, ""
	if raw {
		index, rawLine = 1, "\n    raw: true"
	}
	policy := func(name string, nr int) string {
		return fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"%s
    args:
    - index: %d
      type: "syscall64"
      label: "id"
    selectors:
    - matchBinaries:
      - operator: "In"
        values:
        - %q
      matchArgs:
      - index: %d
        operator: "Equal"
        values: ["%d"]
`, name, rawLine, index, h.path, index, nr)
	}
	want := map[string]uint32{"set-ppid": syscall.SYS_GETPPID, "set-pid": syscall.SYS_GETPID, "set-tid": syscall.SYS_GETTID}
	order := []string{"set-ppid.yaml", "set-pid.yaml", "set-tid.yaml"}
	yamls := map[string]string{}
	for _, f := range order {
		n := f[:len(f)-len(".yaml")]
		yamls[f] = policy(n, int(want[n]))
	}
	b := compileSet(t, "trio", yamls, order)
	m := b.Manifest
	if len(m.Members) != 3 || len(m.Hooks) != 3 || len(b.Spec.Programs) != 1 {
		t.Fatalf("set of %d members, %d hooks, %d programs; want 3, 3, 1", len(m.Members), len(m.Hooks), len(b.Spec.Programs))
	}
	for i, hk := range m.Hooks {
		if hk.Member != i || (i > 0) != (hk.Shared == m.Hooks[0].Programs[0].Name) {
			t.Errorf("hook %d: member %d, shared %q", i, hk.Member, hk.Shared)
		}
	}
	s := loadAndStream(t, o, b)

	// round runs the helper once and returns its events per member.
	round := func() map[string]int {
		t.Helper()
		h.start(t, "ids")
		evs := collectAll(t, s, 300*time.Millisecond) // the helper's exec
		h.run(t)
		evs = append(evs, collectAll(t, s, time.Second)...)
		got := map[string]int{}
		for _, ev := range evs {
			nr, ok := want[ev.Policy]
			if !ok {
				t.Errorf("event of policy %q", ev.Policy)
				continue
			}
			id, _ := ev.Args[0].Value.(SyscallIDArg)
			if *ev.Process.PID != h.pid() || id.ID != nr {
				t.Errorf("%s: event of pid %d, syscall %d; want the helper's (%d) %d", ev.Policy, *ev.Process.PID, id.ID, h.pid(), nr)
			}
			got[ev.Policy]++
		}
		return got
	}
	// The helper makes one getppid; the Go runtime makes getpid and
	// gettid calls of its own besides the helper's one of each.
	check := func(step string, got map[string]int, off string) {
		t.Helper()
		for name := range want {
			switch {
			case name == off && got[name] != 0:
				t.Errorf("%s: %d events of %s, which is off (all: %v)", step, got[name], name, got)
			case name != off && name == "set-ppid" && got[name] != 1:
				t.Errorf("%s: %d events of %s, want 1 (all: %v)", step, got[name], name, got)
			case name != off && got[name] == 0:
				t.Errorf("%s: no event of %s (all: %v)", step, name, got)
			}
		}
	}
	first := round()
	check("all on", first, "")
	posted := func() map[string]uint64 {
		st, err := List(o)
		if err != nil || len(st.Policies) != 1 {
			t.Fatalf("list: %v, %d policies", err, len(st.Policies))
		}
		out := map[string]uint64{}
		for _, mb := range st.Policies[0].Members {
			if mb.Counters == nil {
				t.Fatalf("member %s has no counters", mb.Name)
			}
			out[mb.Name] = mb.Counters.Posted
		}
		return out
	}
	// Each member counts its own posted records.
	before := posted()
	for name := range want {
		if before[name] != uint64(first[name]) {
			t.Errorf("member %s posted %d, want %d", name, before[name], first[name])
		}
	}

	if err := SetMemberEnabled("trio", "set-pid", false, o); err != nil {
		t.Fatal(err)
	}
	second := round()
	check("set-pid off", second, "set-pid")
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, mb := range st.Policies[0].Members {
		if mb.Enabled == (mb.Name == "set-pid") {
			t.Errorf("after disabling set-pid: member %s enabled %v", mb.Name, mb.Enabled)
		}
	}
	after := posted()
	for name := range want {
		if n := before[name] + uint64(second[name]); after[name] != n {
			t.Errorf("member %s posted %d, want %d", name, after[name], n)
		}
	}

	if err := SetMemberEnabled("trio", "set-pid", true, o); err != nil {
		t.Fatal(err)
	}
	check("set-pid on again", round(), "")
	if err := SetMemberEnabled("trio", "nope", false, o); err == nil {
		t.Error("disabling a member the set does not have succeeded")
	}

	// Replacing the set starts every member enabled, as a new load does,
	// and says which ones were off.
	if err := SetMemberEnabled("trio", "set-tid", false, o); err != nil {
		t.Fatal(err)
	}
	ro := *o
	ro.Replace = true
	ls, err := Load([]*Bundle{b}, &ro)
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(ls[0].Warnings, "\n"); !ls[0].Replaced || !strings.Contains(w, "member set-tid was disabled") || strings.Contains(w, "set-pid") {
		t.Errorf("replacing the set: replaced %v, warnings %q; want one naming set-tid only", ls[0].Replaced, w)
	}
	st, err = List(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, mb := range st.Policies[0].Members {
		if !mb.Enabled {
			t.Errorf("after replacing the set: member %s is disabled", mb.Name)
		}
	}
}

// A policy set of three policies on one kprobe, each selecting the opening
// of its own file by the helper: one program for the three (a syscall
// kprobe, whose prologue keeps the wrapper's registers, and a kprobe of a
// kernel function); each event is its member's and names its file, each
// member counts its own, and a member switched off has no events until
// switched on again.
func TestPolicySetKprobe(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Kprobes)
	for _, syscall := range []bool{true, false} {
		name := "fd_install"
		if syscall {
			name = "sys_openat"
		}
		t.Run(name, func(t *testing.T) { testPolicySetKprobe(t, syscall) })
	}
}

func testPolicySetKprobe(t *testing.T, syscall bool) {
	o := testOptions(t)
	h := newHelper(t)
	// The file: the path argument of openat, the file fd_install installs.
	call, typ := "fd_install", "file"
	if syscall {
		call, typ = "sys_openat", "string"
	}
	policy := func(name, file string) string {
		return fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  kprobes:
  - call: %q
    syscall: %v
    args:
    - index: 1
      type: %q
    selectors:
    - matchBinaries:
      - operator: "In"
        values:
        - %q
      matchArgs:
      - index: 1
        operator: "Equal"
        values: [%q]
`, name, call, syscall, typ, h.path, file)
	}
	dir := t.TempDir()
	files := map[string]string{}
	var paths []string
	order := []string{"kset-a.yaml", "kset-b.yaml", "kset-c.yaml"}
	yamls := map[string]string{}
	for _, f := range order {
		n := strings.TrimSuffix(f, ".yaml")
		files[n] = filepath.Join(dir, n)
		if err := os.WriteFile(files[n], []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, files[n])
		yamls[f] = policy(n, files[n])
	}
	b := compileSet(t, "kset", yamls, order)
	m := b.Manifest
	// One program, and its fallback without bpf_loop where it walks a
	// path (the file of fd_install).
	progs := 0
	for _, hk := range m.Hooks {
		progs += len(hk.Programs)
	}
	fallbacks := 0
	if progs > 0 && m.Hooks[0].Programs[0].Fallback != "" {
		fallbacks = 1
	}
	if len(m.Members) != 3 || len(m.Hooks) != 3 || progs != 1 || len(b.Spec.Programs) != 1+fallbacks {
		t.Fatalf("set of %d members, %d hooks, %d programs (%d in the object); want 3, 3, 1 (%d)",
			len(m.Members), len(m.Hooks), progs, len(b.Spec.Programs), 1+fallbacks)
	}
	for i, hk := range m.Hooks {
		if hk.Member != i || (i > 0) != (hk.Shared == m.Hooks[0].Programs[0].Name) {
			t.Errorf("hook %d: member %d, shared %q", i, hk.Member, hk.Shared)
		}
	}
	if p := m.Hooks[0].Programs[0]; p.Attach != "kprobe" {
		t.Fatalf("program %s attaches as %s", p.Name, p.Attach)
	}
	s := loadAndStream(t, o, b)

	// round has the helper open each file once and returns its events per
	// member.
	round := func() map[string]int {
		t.Helper()
		h.start(t, "open", "POLC_LOADER_FILES="+strings.Join(paths, ":"))
		evs := collectAll(t, s, 300*time.Millisecond) // the helper's exec
		h.run(t)
		evs = append(evs, collectAll(t, s, time.Second)...)
		got := map[string]int{}
		for _, ev := range evs {
			file, ok := files[ev.Policy]
			if !ok {
				t.Errorf("event of policy %q", ev.Policy)
				continue
			}
			line, err := ev.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if *ev.Process.PID != h.pid() || ev.Kind != KindKprobe || !strings.Contains(string(line), fmt.Sprintf("%q", file)) {
				t.Errorf("%s: event of pid %d (the helper: %d), not naming %s: %s", ev.Policy, *ev.Process.PID, h.pid(), file, line)
			}
			got[ev.Policy]++
		}
		return got
	}
	check := func(step string, got map[string]int, off string) {
		t.Helper()
		for name := range files {
			want := 1
			if name == off {
				want = 0
			}
			if got[name] != want {
				t.Errorf("%s: %d events of %s, want %d (all: %v)", step, got[name], name, want, got)
			}
		}
	}
	posted := func() map[string]uint64 {
		t.Helper()
		st, err := List(o)
		if err != nil || len(st.Policies) != 1 {
			t.Fatalf("list: %v, %d policies", err, len(st.Policies))
		}
		out := map[string]uint64{}
		for _, mb := range st.Policies[0].Members {
			if mb.Counters == nil {
				t.Fatalf("member %s has no counters", mb.Name)
			}
			out[mb.Name] = mb.Counters.Posted
		}
		return out
	}
	check("all on", round(), "")
	if got := posted(); got["kset-a"] != 1 || got["kset-b"] != 1 || got["kset-c"] != 1 {
		t.Errorf("posted %v, want 1 each", got)
	}
	if err := SetMemberEnabled("kset", "kset-b", false, o); err != nil {
		t.Fatal(err)
	}
	check("kset-b off", round(), "kset-b")
	if got := posted(); got["kset-a"] != 2 || got["kset-b"] != 1 || got["kset-c"] != 2 {
		t.Errorf("posted %v, want 2, 1, 2", got)
	}
	if err := SetMemberEnabled("kset", "kset-b", true, o); err != nil {
		t.Fatal(err)
	}
	check("kset-b on again", round(), "")
	if got := posted(); got["kset-a"] != 3 || got["kset-b"] != 2 || got["kset-c"] != 3 {
		t.Errorf("posted %v, want 3, 2, 3", got)
	}
}

// TestCheckSetManifest: a manifest whose set fields disagree is refused.
func TestCheckSetManifest(t *testing.T) {
	good := func() *bpf.Manifest {
		prog := func(name string) []bpf.Program {
			return []bpf.Program{{Name: name, Section: "tracepoint/raw_syscalls/sys_enter", Attach: "tracepoint"}}
		}
		return &bpf.Manifest{Policy: "set", Arch: string(arch.Host()),
			Members: []bpf.Member{{Name: "a"}, {Name: "b"}},
			Hooks: []bpf.Hook{
				{ID: 0, Kind: "tracepoint", Target: "raw_syscalls/sys_enter", Programs: prog("h0")},
				{ID: 1, Kind: "tracepoint", Target: "raw_syscalls/sys_enter", Member: 1, Shared: "h0"},
				{ID: 2, Kind: "tracepoint", Target: "sched/sched_process_exit", Member: 1, Programs: prog("h2")},
			}}
	}
	if err := checkManifest(good()); err != nil {
		t.Fatalf("a good set's manifest: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(m *bpf.Manifest)
	}{
		{"shares a program no hook has", func(m *bpf.Manifest) { m.Hooks[1].Shared = "nope" }},
		{"shares and has programs", func(m *bpf.Manifest) { m.Hooks[2].Shared = "h0" }},
		{"neither programs nor shared", func(m *bpf.Manifest) { m.Hooks[1].Shared = "" }},
		{"member out of range", func(m *bpf.Manifest) { m.Hooks[2].Member = 2 }},
		{"negative member", func(m *bpf.Manifest) { m.Hooks[2].Member = -1 }},
		{"no members", func(m *bpf.Manifest) { m.Members = nil }},
		{"a member named twice", func(m *bpf.Manifest) { m.Members[1].Name = "a" }},
		{"a member name that is no policy name", func(m *bpf.Manifest) { m.Members[1].Name = "../x" }},
	} {
		m := good()
		tc.edit(m)
		if err := checkManifest(m); !errors.Is(err, ErrBadBundle) {
			t.Errorf("%s: %v, want ErrBadBundle", tc.name, err)
		}
	}
}
