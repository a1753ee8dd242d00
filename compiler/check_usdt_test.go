package compiler

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestUSDTProbes: with --sysroot, a USDT probe is looked up in the binary
// (built here with gcc), with its arguments and where a Set writes (a 4-byte argument in memory).
func TestUSDTProbes(t *testing.T) {
	testenv.Require(t, testenv.Tool("gcc"), testenv.SDTHeader)
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "p.c")
	os.WriteFile(src, []byte(`#include <sys/sdt.h>
int main(int argc, char **argv)
{
	volatile int ret = 0;
	volatile long wide = argc;
	volatile char narrow = argc;
	DTRACE_PROBE2(app, done, ret, argc);
	DTRACE_PROBE2(app, sized, wide, narrow);
	return ret + wide + narrow;
}
`), 0o644)
	if out, err := exec.Command("gcc", "-O2", "-o", filepath.Join(root, "bin", "app"), src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	policy := func(name, args, actions string) string {
		return `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: u
spec:
  usdts:
  - path: "/bin/app"
    provider: "app"
    name: "` + name + `"
    args:
` + args + `    selectors:
    - matchActions:
` + actions
	}
	const two = "    - {index: 0, type: int32}\n    - {index: 1, type: int32}\n"
	for _, tc := range []struct {
		name, src, sysroot string
		codes              []string
	}{
		{"present", policy("done", two, "      - {action: Set, argIndex: 0, argValue: 1}\n"), root, nil},
		{"absent", policy("dome", two, "      - {action: Post}\n"), root, []string{"unknown-symbol"}},
		{"no such argument", policy("done", two+"    - {index: 2, type: int32}\n", "      - {action: Post}\n"), root, []string{"arg-index"}},
		{"set on a register", policy("done", two, "      - {action: Set, argIndex: 1, argValue: 1}\n"), root, []string{"bad-action"}},
		{"set on 8 bytes", policy("sized", two, "      - {action: Set, argIndex: 0, argValue: 1}\n"), root, []string{"bad-action"}},
		{"set on 1 byte", policy("sized", two, "      - {action: Set, argIndex: 1, argValue: 1}\n"), root, []string{"bad-action"}},
		{"no binary", policy("done", two, "      - {action: Post}\n"), t.TempDir(), []string{"unchecked-symbol"}},
	} {
		res := Check([]*Source{NewSource("u.yaml", []byte(tc.src))}, Options{Sysroot: tc.sysroot})
		var codes []string
		for _, d := range res.Diagnostics {
			codes = append(codes, d.Code)
		}
		if !slices.Equal(codes, tc.codes) {
			t.Errorf("%s: %v, want codes %v", tc.name, res.Diagnostics, tc.codes)
		}
		if tc.name == "set on 8 bytes" && len(res.Diagnostics) == 1 && !strings.Contains(res.Diagnostics[0].Msg, "8 bytes") {
			t.Errorf("set on 8 bytes: %s", res.Diagnostics[0])
		}
		if tc.name == "absent" && !strings.Contains(res.Diagnostics[0].Hint, `"app:done"`) {
			t.Errorf("absent: %s", res.Diagnostics[0])
		}
	}
}
