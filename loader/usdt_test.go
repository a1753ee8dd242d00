package loader

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// usdtC fires polc:args, at two places, only when something listens (its
// semaphore is set), with arguments in registers, a constant and a
// %rip-relative global (the second place has a instead doubled and -8 as
// its constant); polc:set has the program's exit code in memory (a volatile on
// the stack) and argc in a register.
const usdtC = `#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <stdlib.h>

unsigned short polc_args_semaphore __attribute__((unused, section(".probes")));
unsigned short polc_set_semaphore __attribute__((unused, section(".probes")));
static volatile long counter = 7;

int main(int argc, char **argv)
{
	volatile int ret = 0;
	int a = argc > 1 ? atoi(argv[1]) : 1;
	long b = argc > 2 ? atol(argv[2]) : -2;
	const char *s = argc > 3 ? argv[3] : "polc";
	int a2 = a * 2;
	if (polc_args_semaphore) {
		DTRACE_PROBE5(polc, args, a, b, s, counter, -9);
		DTRACE_PROBE5(polc, args, a2, b, s, counter, -8);
	}
	DTRACE_PROBE2(polc, set, ret, argc);
	return ret;
}
`

func buildUSDTBinary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "usdt.c")
	if err := os.WriteFile(src, []byte(usdtC), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "polc-usdt")
	if out, err := exec.Command("gcc", "-O2", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return bin
}

func usdtPolicy(name, bin, probe, args, selectors string) string {
	return fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: %q
spec:
  usdts:
  - path: %q
    provider: "polc"
    name: %q
    args:
%s    selectors:
%s`, name, bin, probe, args, selectors)
}

// usdtVariants runs test once with the USDT programs polrun loads where
// the kernel has bpf_get_attach_cookie (skipped where it has not) and once
// with their variants without it (bpf.Program.NoCookie, one program per
// place of the probe), which kernels before 5.15 load.
func usdtVariants(t *testing.T, test func(t *testing.T, o *Options)) {
	t.Run("cookie", func(t *testing.T) {
		if err := checkFeature(bpf.FeatureAttachCookie); err != nil {
			t.Skipf("no bpf_get_attach_cookie: %v", err)
		}
		test(t, testOptions(t))
	})
	t.Run("nocookie", func(t *testing.T) {
		o := testOptions(t)
		o.noCookie = true
		test(t, o)
	})
}

// A USDT probe's arguments, in registers, memory and constants, at a
// probe guarded by its semaphore, at two places with arguments in
// different places, filtered by value; the events are Tetragon's
// process_usdt.
func TestUSDTArgs(t *testing.T) {
	testenv.Require(t, testenv.Tool("gcc"), testenv.SDTHeader, testenv.Root, testenv.BPFFS, testenv.Uprobes, testenv.RingBuf, testenv.KernelBTF)
	usdtVariants(t, testUSDTArgs)
}

func testUSDTArgs(t *testing.T, o *Options) {
	bin := buildUSDTBinary(t)
	b := compilePolicy(t, "usdt-args.yaml", usdtPolicy("usdt-args", bin, "args", `    - {index: 0, type: int32}
    - {index: 1, type: int64}
    - {index: 2, type: string}
    - {index: 3, type: int64}
    - {index: 4, type: int32}
`, `    - matchArgs:
      - {index: 0, operator: Equal, values: ["42"]}
`))
	s := loadAndStream(t, o, b)
	// 42 at the first place; 21, doubled, at the second.
	for _, args := range [][]string{{"42", "-1234567890123", "hello-usdt"}, {"7", "1", "filtered-out"}, {"21", "5", "second-place"}} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v %s", bin, args, err, out)
		}
	}
	evs := collect(t, s, "usdt-args", time.Second)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	for i, args := range []string{
		`"args":[{"int_arg":42},{"long_arg":"-1234567890123"},{"string_arg":"hello-usdt"},{"long_arg":"7"},{"int_arg":-9}]`,
		`"args":[{"int_arg":42},{"long_arg":"5"},{"string_arg":"second-place"},{"long_arg":"7"},{"int_arg":-8}]`,
	} {
		line, err := evs[i].MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`{"process_usdt":{`, fmt.Sprintf(`"path":%q,"provider":"polc","name":"args"`, bin),
			args, `"action":"KPROBE_ACTION_POST"`} {
			if !strings.Contains(string(line), want) {
				t.Errorf("event %d lacks %s:\n%s", i, want, line)
			}
		}
		t.Logf("%s", line)
	}
}

// writeUserAllowed: the kernel lets uprobe programs write user memory; the
// CI hosts run with kernel lockdown (integrity), which forbids it.
var writeUserAllowed = testenv.Requirement{Name: "bpf_probe_write_user (no kernel lockdown)", Check: func() error {
	return checkFeature(bpf.FeatureProbeWriteUser)
}}

// Reading an argument a probe lacks is refused at load, naming the probe.
func TestUSDTMissingArg(t *testing.T) {
	testenv.Require(t, x86_64, testenv.Root, testenv.BPFFS, testenv.Uprobes, testenv.RingBuf, testenv.KernelBTF)
	usdtVariants(t, testUSDTMissingArg)
}

func testUSDTMissingArg(t *testing.T, o *Options) {
	bin := filepath.Join(t.TempDir(), "polc-usdt-set")
	if err := writeSetELF(bin); err != nil {
		t.Fatal(err)
	}
	b := compilePolicy(t, "usdt-missing.yaml", usdtPolicy("usdt-missing", bin, "set",
		"    - {index: 0, type: int32}\n    - {index: 5, type: int32}\n", "    - matchActions:\n      - {action: Post}\n"))
	_, err := Load([]*Bundle{b}, o)
	if err == nil || !strings.Contains(err.Error(), "polc:set") || !strings.Contains(err.Error(), "has 2 arguments") {
		t.Errorf("argument 5 of a 2-argument probe: %v, want a refusal", err)
	}
	if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
		t.Errorf("pins left: %q", got)
	}
}

// Set writes an argument in memory: here the program's exit code, at
// both places of the probe. Set on an argument in a register is refused
// at load, naming the probe.
func TestUSDTSet(t *testing.T) {
	testenv.Require(t, x86_64, testenv.Root, testenv.BPFFS, testenv.Uprobes, testenv.RingBuf, testenv.KernelBTF, writeUserAllowed)
	usdtVariants(t, testUSDTSet)
}

func testUSDTSet(t *testing.T, o *Options) {
	bin := filepath.Join(t.TempDir(), "polc-usdt-set")
	if err := writeSetELF(bin); err != nil {
		t.Fatal(err)
	}
	set := func(index int) string {
		return fmt.Sprintf("    - matchActions:\n      - {action: Set, argIndex: %d, argValue: 32}\n", index)
	}
	const args = "    - {index: 0, type: int32}\n    - {index: 1, type: int32}\n"

	register := compilePolicy(t, "usdt-set-reg.yaml", usdtPolicy("usdt-set-reg", bin, "set", args, set(1)))
	if _, err := Load([]*Bundle{register}, o); err == nil || !strings.Contains(err.Error(), "not in memory") || !strings.Contains(err.Error(), "polc:set") {
		t.Errorf("Set on a register: %v, want a refusal", err)
	}
	if err := exec.Command(bin).Run(); err != nil {
		t.Fatalf("without the policy: %v", err)
	}
	b := compilePolicy(t, "usdt-set.yaml", usdtPolicy("usdt-set", bin, "set", args, set(0)))
	s := loadAndStream(t, o, b)
	err := exec.Command(bin).Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 32 {
		t.Errorf("with Set of 32 on the exit code: %v, want exit status 32", err)
	}
	evs := collect(t, s, "usdt-set", time.Second)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	// The second place reads what the first wrote, and its own constant.
	for i, args := range []string{`"args":[{"int_arg":0},{"int_arg":3}]`, `"args":[{"int_arg":32},{"int_arg":5}]`} {
		line, _ := evs[i].MarshalJSON()
		if !strings.Contains(string(line), args) || !strings.Contains(string(line), `"action":"KPROBE_ACTION_SET"`) {
			t.Errorf("event %d %s, want %s", i, line, args)
		}
	}
}
