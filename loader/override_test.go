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

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// TestOverrideSyscallRefused: Override on a syscall needs
// bpf_override_return. On a kernel without it (the Debian kernels of the
// guests), Load refuses the policy naming the hook and the feature, with a
// hint naming the security_* function (and LSM hook) that would work, and
// leaves nothing behind. Where the kernel has it, the policy loads.
func TestOverrideSyscallRefused(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes)
	b := compilePolicy(t, "symlink-override.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "sys-symlink-passwd"
spec:
  kprobes:
  - call: "sys_symlinkat"
    syscall: true
    args:
    - index: 0
      type: "string"
    - index: 1
      type: "int"
    - index: 2
      type: "string"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "/etc/passwd"
      matchActions:
      - action: Override
        argError: -1
`)
	if h := b.Manifest.Hooks[0]; h.Override != bpf.OverrideReturn || !strings.Contains(h.OverrideHint, "security_inode_symlink") {
		t.Fatalf("manifest hook: override %q, hint %q", h.Override, h.OverrideHint)
	}
	_, err := Load([]*Bundle{b}, o)
	if checkFeature(bpf.FeatureOverride) == nil {
		if err != nil {
			t.Fatalf("this kernel has bpf_override_return, yet: %v", err)
		}
		t.Log("this kernel has bpf_override_return: the policy loads")
		return
	}
	var oe *OverrideError
	if !errors.As(err, &oe) || !errors.Is(err, ErrMissingFeature) {
		t.Fatalf("Load: %v, want an OverrideError", err)
	}
	msg := err.Error()
	t.Logf("refused: %s", msg)
	for _, want := range []string{"sys-symlink-passwd", "symlink-override.yaml:", "__x64_sys_symlinkat", "sys_symlinkat",
		"bpf_override_return", "hook security_inode_symlink instead of sys_symlinkat", "inode_symlink"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q", want)
		}
	}
	if left := pinsUnder(t, o.PinRoot); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestOverrideFmodRetLoad: a policy with Override on a security_* function
// loads through Load (an fmod_ret program attached by BTF), makes the
// matching process's mkdir fail with argError while others succeed, and
// its event decodes as a process_kprobe on the function with action
// KPROBE_ACTION_OVERRIDE.
func TestOverrideFmodRetLoad(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.FmodRet, testenv.KernelBTF)
	h := newHelper(t)
	dir := t.TempDir()
	denied, allowed := filepath.Join(dir, "denied"), filepath.Join(dir, "allowed")
	b := compilePolicy(t, "mkdir-override.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "mkdir-override"
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
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded %+v", res[0])
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := os.Mkdir(allowed, 0o755); err != nil {
		t.Errorf("mkdir by this process: %v", err)
	}
	h.start(t, "mkdir", "POLC_LOADER_FILES="+denied)
	h.stdin.Write([]byte("go\n"))
	err = h.cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != int(syscall.EPERM) {
		t.Errorf("helper's mkdir: %v, want exit %d (EPERM)", err, syscall.EPERM)
	}
	if _, err := os.Stat(denied); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists: %v", denied, err)
	}
	evs := collect(t, s, "mkdir-override", time.Second)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1 (the helper's mkdir)", len(evs))
	}
	line, _ := evs[0].MarshalJSON()
	t.Logf("%s", line)
	if ev := evs[0]; ev.Kind != KindKprobe || ev.FunctionName() != "security_inode_mkdir" || ev.Action != bpf.ActionOverride ||
		*ev.Process.PID != h.pid() || !strings.Contains(string(line), `"action":"KPROBE_ACTION_OVERRIDE"`) {
		t.Errorf("event %s", line)
	}
}

// TestEnforcerRefused: an enforcer that must make a syscall fail
// (NotifyEnforcer with argError) needs bpf_override_return too; without
// it Load refuses the policy, naming the enforcer.
func TestEnforcerRefused(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Kprobes)
	b := compilePolicy(t, "kill-dup3.yaml", `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "kill-dup3"
spec:
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
        values: ["292"]
      matchActions:
      - action: NotifyEnforcer
        argError: -1
        argSig: 9
`)
	_, err := Load([]*Bundle{b}, o)
	if checkFeature(bpf.FeatureOverride) == nil {
		if err != nil {
			t.Fatalf("this kernel has bpf_override_return, yet: %v", err)
		}
		return
	}
	var oe *OverrideError
	if !errors.As(err, &oe) || !oe.Enforcer || !strings.Contains(err.Error(), "the enforcer (NotifyEnforcer with argError) on kprobe __x64_sys_dup3") {
		t.Fatalf("Load: %v, want the enforcer refused", err)
	}
	t.Logf("refused: %v", err)
	if left := pinsUnder(t, o.PinRoot); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
