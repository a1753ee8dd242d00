package loader

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// overrideTarget is the function TestUprobeOverride overrides.
//
//go:noinline
func overrideTarget(n int) int { return n + 1 }

// overridePolicy is Override with argError 7 on overrideTarget, for this
// process only.
func overridePolicy(t *testing.T, exe, sym string) *Bundle {
	return compilePolicy(t, "uprobe-override.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "uprobe-override"
spec:
  uprobes:
  - path: %q
    symbols: [%q]
    selectors:
    - matchPIDs:
      - operator: "In"
        values: [%d]
      matchActions:
      - action: Override
        argError: 7
`, exe, sym, os.Getpid()))
}

// TestUprobeOverride: Override on a uprobe makes the hooked function of
// this test binary return argError at once. Where the kernel does not let
// uprobe programs write registers (6.18 and earlier), Load refuses the
// policy naming the hook and the feature, and leaves nothing behind; where
// it does, the call returns 7 in enforce mode and its own result in
// monitor mode, with an event reporting the Override either way.
func TestUprobeOverride(t *testing.T) {
	testenv.Require(t, testenv.Uprobes)
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skipf("Override on uprobes targets x86_64 and arm64, not %s", runtime.GOARCH)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sym := runtime.FuncForPC(funcPC(overrideTarget)).Name()
	if checkFeature(bpf.FeatureUprobeWriteCtx) != nil {
		o := testOptions(t)
		b := overridePolicy(t, exe, sym)
		if h := b.Manifest.Hooks[0]; h.Override != bpf.OverrideUprobeRegs {
			t.Fatalf("manifest hook: override %q, want %q", h.Override, bpf.OverrideUprobeRegs)
		}
		_, err := Load([]*Bundle{b}, o)
		var oe *OverrideError
		if !errors.As(err, &oe) || !errors.Is(err, ErrMissingFeature) {
			t.Fatalf("Load: %v, want an OverrideError", err)
		}
		t.Logf("refused: %v", err)
		for _, want := range []string{"uprobe-override", "uprobe-override.yaml:", sym, bpf.FeatureUprobeWriteCtx,
			"writes the task's registers", "Sigkill or Signal"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q", want)
			}
		}
		if left := pinsUnder(t, o.PinRoot); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
		return
	}
	if !hasSymbol(exe, sym) {
		t.Skipf("this test binary has no symbol table (go test strips it; make vmtest runs go test -c)")
	}
	for _, c := range []struct {
		mode string
		want int
	}{{"enforce", 7}, {"monitor", 42}} {
		t.Run(c.mode, func(t *testing.T) {
			o := testOptions(t)
			o.Mode = c.mode
			s := loadAndStream(t, o, overridePolicy(t, exe, sym))
			if got := overrideTarget(41); got != c.want {
				t.Errorf("overrideTarget(41) in %s mode = %d, want %d", c.mode, got, c.want)
			}
			evs := collect(t, s, "uprobe-override", time.Second)
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1", len(evs))
			}
			if ev := evs[0]; ev.Kind != KindUprobe || ev.Action != bpf.ActionOverride || *ev.Process.PID != uint32(os.Getpid()) {
				line, _ := ev.MarshalJSON()
				t.Errorf("event %s", line)
			}
		})
	}
}
