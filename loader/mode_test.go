package loader

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestLoadMode: the mode Load picks for a bundle, from Options.Mode and
// the manifest, and when it refuses or warns.
func TestLoadMode(t *testing.T) {
	sigkill := &bpf.Manifest{Features: []string{bpf.FeatureSendSignal}} // built before modes existed
	watch := &bpf.Manifest{Features: []string{bpf.FeatureTracepoint}}
	for _, tc := range []struct {
		name    string
		m       *bpf.Manifest
		mode    string
		value   uint32
		warning string
		err     string
	}{
		{"default-monitor", &bpf.Manifest{Mode: "monitor"}, "", bpf.ModeValueMonitor, "", ""},
		{"default-enforce", &bpf.Manifest{Mode: "enforce"}, "", bpf.ModeValueEnforce, "", ""},
		{"override", &bpf.Manifest{Mode: "enforce"}, "monitor", bpf.ModeValueMonitor, "", ""},
		{"bad", &bpf.Manifest{Mode: "enforce"}, "Monitor", 0, "", `invalid mode "Monitor"`},
		{"monitor-only", watch, "enforce", 0, "has no effect", ""},
		{"monitor-only-default", watch, "", 0, "", ""},
		{"old-bundle-monitor", sigkill, "monitor", 0, "", "built without a mode map"},
		{"old-bundle-enforce", sigkill, "enforce", 0, "always enforces", ""},
		{"old-enforcer", &bpf.Manifest{Hooks: []bpf.Hook{{Enforcer: true}}}, "monitor", 0, "", "built without a mode map"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, w, err := loadMode(tc.m, tc.mode)
			if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if v != tc.value || (w == "") != (tc.warning == "") || !strings.Contains(w, tc.warning) {
				t.Errorf("value %d warning %q, want %d %q", v, w, tc.value, tc.warning)
			}
		})
	}
}

// TestCheckModeMap: the manifest's mode and the object's mode map come
// together, and the map has the contract's layout.
func TestCheckModeMap(t *testing.T) {
	good := &ebpf.MapSpec{Name: bpf.ModeMap, Type: ebpf.Array, KeySize: 4, ValueSize: 4, MaxEntries: 1}
	for _, tc := range []struct {
		name string
		mode string
		ms   *ebpf.MapSpec
		ok   bool
	}{
		{"none", "", nil, true},
		{"both", "monitor", good, true},
		{"map-without-mode", "", good, false},
		{"mode-without-map", "enforce", nil, false},
		{"bad-mode", "audit", good, false},
		{"bad-layout", "enforce", &ebpf.MapSpec{Name: bpf.ModeMap, Type: ebpf.Hash, KeySize: 4, ValueSize: 4, MaxEntries: 1}, false},
	} {
		spec := &ebpf.CollectionSpec{Maps: map[string]*ebpf.MapSpec{}}
		if tc.ms != nil {
			spec.Maps[bpf.ModeMap] = tc.ms
		}
		err := checkModeMap(&bpf.Manifest{Mode: tc.mode}, spec)
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, ErrBadBundle) {
			t.Errorf("%s: %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

// policyCounters are the counters List reports for the policy name.
func policyCounters(t *testing.T, o *Options, name string) bpf.Counters {
	t.Helper()
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range st.Policies {
		if p.Name == name {
			if p.Err != nil || p.Counters == nil {
				t.Fatalf("%s: counters %v, error %v", name, p.Counters, p.Err)
			}
			return *p.Counters
		}
	}
	t.Fatalf("%s is not loaded", name)
	return bpf.Counters{}
}

// policyMode is the mode List reports for the policy name.
func policyMode(t *testing.T, o *Options, name string) string {
	t.Helper()
	st, err := List(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range st.Policies {
		if p.Name == name {
			if p.Err != nil {
				t.Fatal(p.Err)
			}
			return p.Mode
		}
	}
	t.Fatalf("%s is not loaded", name)
	return ""
}

// TestModeSpecSigkillExample is the specification's Sigkill example
// (tracing-policy.md: FollowFD on fd_install, Sigkill on sys_write to the
// protected file) with spec.options policy-mode monitor, loaded through
// Load: the writer lives, its write happens, and its event reports
// KPROBE_ACTION_SIGKILL; SetMode enforce then kills the next writer, and
// SetMode monitor spares the one after; the policy's counters count each
// event posted and the one Sigkill sent. The example's matchPIDs (NotIn 0,
// 1 of the PID namespace, which TestSigkillSpecExample in codegen tests)
// is matchBinaries of the writer here, which runs in the host's namespace.
func TestModeSpecSigkillExample(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes, testenv.KernelBTF)
	h := newHelper(t)
	dir := t.TempDir()
	protected := filepath.Join(dir, "passwd")
	if err := os.WriteFile(protected, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	b := compilePolicy(t, "sigkill-monitor.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "sigkill-monitor"
spec:
  options:
  - name: "policy-mode"
    value: "monitor"
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: int
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Prefix"
        values: [%[1]q]
      matchActions:
      - action: FollowFD
        argFd: 0
        argName: 1
      - action: NoPost
  - call: "sys_close"
    syscall: true
    args:
    - index: 0
      type: "int"
    selectors:
    - matchActions:
      - action: UnfollowFD
        argFd: 0
        argName: 0
      - action: NoPost
  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
    - matchBinaries:
      - operator: "In"
        values: [%[2]q]
      matchArgs:
      - index: 0
        operator: "Prefix"
        values: [%[3]q]
      matchActions:
      - action: Sigkill
`, dir+"/", h.path, protected))
	if b.Manifest.Mode != bpf.ModeMonitor {
		t.Fatalf("manifest mode %q, want monitor", b.Manifest.Mode)
	}
	s := loadAndStream(t, o, b)
	write := func() error {
		h.start(t, "write", "POLC_LOADER_FILES="+protected)
		h.stdin.Write([]byte("go\n"))
		return h.cmd.Wait()
	}
	for i, step := range []struct {
		mode   string // "" for the bundle's default
		killed bool
	}{{"", false}, {"enforce", true}, {"monitor", false}} {
		if step.mode != "" {
			if err := SetMode("sigkill-monitor", step.mode, o); err != nil {
				t.Fatal(err)
			}
		}
		want := step.mode
		if want == "" {
			want = bpf.ModeMonitor
		}
		if m := policyMode(t, o, "sigkill-monitor"); m != want {
			t.Errorf("step %d: List says mode %q, want %q", i, m, want)
		}
		before := policyCounters(t, o, "sigkill-monitor")
		err := write()
		var exit *exec.ExitError
		killed := errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
		if killed != step.killed || !killed && err != nil {
			t.Errorf("step %d (mode %s): writer %v, want killed %v", i, want, err, step.killed)
		}
		after := policyCounters(t, o, "sigkill-monitor")
		if enforced := after.Enforced - before.Enforced; after.Posted-before.Posted != 1 || (enforced == 1) != step.killed || enforced > 1 {
			t.Errorf("step %d (mode %s): counted %d posted, %d enforced; want 1 posted, killed %v", i, want,
				after.Posted-before.Posted, enforced, step.killed)
		}
		evs := collect(t, s, "sigkill-monitor", time.Second)
		if len(evs) != 1 || evs[0].Action != bpf.ActionSigkill || *evs[0].Process.PID != h.pid() {
			var lines []string
			for _, ev := range evs {
				line, _ := ev.MarshalJSON()
				lines = append(lines, string(line))
			}
			t.Errorf("step %d: events %s, want one of the writer with action Sigkill", i, lines)
		}
	}
	if data, _ := os.ReadFile(protected); string(data) != "written\nwritten\n" {
		t.Errorf("%s holds %q, want the two monitored writes", protected, data)
	}
}

// TestModeOverrideFmodRet: Override on a security_* function (fmod_ret)
// loaded with Options.Mode monitor does not fail the call, and reports
// KPROBE_ACTION_OVERRIDE; SetMode enforce makes the next one fail. The
// policy's counters count the Override where it ran only.
func TestModeOverrideFmodRet(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.FmodRet, testenv.KernelBTF)
	h := newHelper(t)
	dir := t.TempDir()
	b := compilePolicy(t, "mkdir-monitor.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "mkdir-monitor"
spec:
  kprobes:
  - call: "security_inode_mkdir"
    syscall: false
    selectors:
    - matchBinaries:
      - operator: "In"
        values:
        - %q
      matchActions:
      - action: Override
        argError: -1
`, h.path))
	if b.Manifest.Mode != bpf.ModeEnforce {
		t.Fatalf("manifest mode %q, want enforce", b.Manifest.Mode)
	}
	mo := *o
	mo.Mode = bpf.ModeMonitor
	if _, err := Load([]*Bundle{b}, &mo); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, step := range []struct {
		mode  string
		errno syscall.Errno
	}{{"", 0}, {bpf.ModeEnforce, syscall.EPERM}} {
		if step.mode != "" {
			if err := SetMode("mkdir-monitor", step.mode, o); err != nil {
				t.Fatal(err)
			}
		}
		before := policyCounters(t, o, "mkdir-monitor")
		target := filepath.Join(dir, fmt.Sprint("d", i))
		h.start(t, "mkdir", "POLC_LOADER_FILES="+target)
		h.stdin.Write([]byte("go\n"))
		err := h.cmd.Wait()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != int(step.errno) {
			t.Errorf("step %d: helper's mkdir: exit %d, want %d", i, code, step.errno)
		}
		if _, err := os.Stat(target); (err == nil) != (step.errno == 0) {
			t.Errorf("step %d: %s: %v", i, target, err)
		}
		evs := collect(t, s, "mkdir-monitor", time.Second)
		if len(evs) != 1 || evs[0].Action != bpf.ActionOverride {
			t.Errorf("step %d: %d events, want one with action Override", i, len(evs))
		}
		after := policyCounters(t, o, "mkdir-monitor")
		want := uint64(0) // the Override ran only when the call failed
		if step.errno != 0 {
			want = 1
		}
		if after.Enforced-before.Enforced != want || after.Posted-before.Posted != 1 {
			t.Errorf("step %d: counted %d posted, %d enforced; want 1 and %d", i, after.Posted-before.Posted, after.Enforced-before.Enforced, want)
		}
	}
}
