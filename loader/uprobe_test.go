package loader

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/loader/testbundle"
)

// uprobeTarget is the function the uprobe test hooks in this test binary.
//
//go:noinline
func uprobeTarget(n int) int { return n * 3 }

// A uprobe policy on a function of a program fires when the program calls
// it, and the event names the process, the binary and the symbol.
func TestUprobeFires(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Uprobes)
	exe, sym, pid, call := uprobeSubject(t)
	spec := testbundle.Uprobe("ldrtest-uprobe", "ldrtest_uprobe", exe, sym, pid)
	b, err := spec.Write()
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := ReadBundle(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]*Bundle{bundle}, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	call()
	for range 3 {
		ev := nextEvent(t, s, func(e *Event) bool { return e.Policy == "ldrtest-uprobe" })
		if ev.Kind != KindUprobe || ev.Hook.Target != exe || ev.Hook.Symbol != sym || *ev.Process.PID != pid {
			t.Errorf("event %+v", ev)
		}
		if ev.Process.Binary != exe {
			t.Errorf("binary %q, want %q", ev.Process.Binary, exe)
		}
	}
}

// uprobeSubject returns a binary with a symbol table, the function to hook
// in it, the process that will call it and how to make it call the
// function three times. That is this test binary when it has a symbol
// table (go test -c, make vmtest); `go test` strips it, and then a helper
// program is built.
func uprobeSubject(t *testing.T) (exe, sym string, pid uint32, call func()) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sym = runtime.FuncForPC(funcPC(uprobeTarget)).Name()
	if hasSymbol(exe, sym) {
		return exe, sym, uint32(os.Getpid()), func() {
			for i := range 3 {
				uprobeTarget(i)
			}
		}
	}
	// This binary has no symbol table: build one that has.
	testenv.Require(t, testenv.Tool("go"))
	helper := filepath.Join(t.TempDir(), "uprobetarget")
	build := exec.Command("go", "build", "-o", helper, "./testdata/uprobetarget")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build helper: %v\n%s", err, out)
	}
	cmd := exec.Command(helper)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return helper, "main.polcUprobeTarget", uint32(cmd.Process.Pid), func() {
		stdin.Write([]byte("go\n"))
	}
}

func hasSymbol(path, sym string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	syms, _ := f.Symbols()
	for _, s := range syms {
		if s.Name == sym {
			return true
		}
	}
	return false
}

// The same with a bundle polc compiles from the spec's uprobe form.
func TestUprobeCompiledPolicyFires(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Uprobes)
	exe, sym, pid, call := uprobeSubject(t)
	yaml := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "uprobe-target"
spec:
  uprobes:
  - path: %q
    symbol: %q
    selectors:
    - matchPIDs:
      - operator: "In"
        values: [%d]
`, exe, sym, pid)
	b := compilePolicy(t, "uprobe-target.yaml", yaml)
	s := loadAndStream(t, o, b)
	call()
	evs := collect(t, s, "uprobe-target", time.Second)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	for _, ev := range evs {
		if ev.Kind != KindUprobe || *ev.Process.PID != pid || ev.Hook.Symbol != sym {
			t.Errorf("event %+v", ev)
		}
	}
	line, _ := evs[0].MarshalJSON()
	t.Logf("%s", line)
}

// A uprobe given by its virtual address (addrs) fires as the one given by
// its symbol: polrun maps the address to its file offset in the binary.
func TestUprobeAddrsFires(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Uprobes)
	exe, sym, pid, call := uprobeSubject(t)
	addr, _ := elfSymbol(t, exe, sym)
	b := compilePolicy(t, "uprobe-addrs.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "uprobe-addrs"
spec:
  uprobes:
  - path: %q
    addrs: [%#x]
    selectors:
    - matchPIDs:
      - operator: "In"
        values: [%d]
`, exe, addr, pid))
	if h := b.Manifest.Hooks[0]; h.Addr != addr || h.Symbol != "" || h.Offset != 0 {
		t.Fatalf("manifest hook: addr %#x symbol %q offset %#x, want addr %#x alone", h.Addr, h.Symbol, h.Offset, addr)
	}
	s := loadAndStream(t, o, b)
	call()
	evs := collect(t, s, "uprobe-addrs", time.Second)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	for _, ev := range evs {
		if ev.Kind != KindUprobe || *ev.Process.PID != pid {
			t.Errorf("event %+v", ev)
		}
	}
	line, _ := evs[0].MarshalJSON()
	t.Logf("%s", line)
}
