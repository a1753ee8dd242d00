package loader

import (
	"debug/elf"
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

// elfSymbol returns the virtual address of sym in the ELF file at path and
// the file offset it is loaded from.
func elfSymbol(t *testing.T, path, sym string) (addr, off uint64) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, _ := f.Symbols()
	dyn, _ := f.DynamicSymbols()
	for _, s := range append(syms, dyn...) {
		if s.Name != sym || s.Value == 0 {
			continue
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_LOAD && s.Value >= p.Vaddr && s.Value < p.Vaddr+p.Filesz {
				return s.Value, s.Value - p.Vaddr + p.Off
			}
		}
	}
	t.Fatalf("%s: no symbol %s in a loadable segment", path, sym)
	return 0, 0
}

// systemLibc is the C library of this machine, or "" when there is none
// (the vmtest guests run static binaries).
func systemLibc() string {
	for _, p := range []string{"/lib/x86_64-linux-gnu/libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6", "/lib64/libc.so.6", "/usr/lib64/libc.so.6"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// TestUprobeJumpDistance reads, from a real shared library, the distance
// an Override jumping elsewhere adds to the instruction pointer: from
// malloc (by symbol, with an offset, or by file offset) to free (by
// symbol, virtual address or file offset) it is the same, free's address
// less the probed one; a symbol the library lacks is an error naming it.
func TestUprobeJumpDistance(t *testing.T) {
	libc := systemLibc()
	if libc == "" {
		t.Skip("no C library on this machine")
	}
	mallocAddr, mallocOff := elfSymbol(t, libc, "malloc")
	freeAddr, freeOff := elfSymbol(t, libc, "free")
	want := int64(freeAddr - mallocAddr)
	for _, c := range []struct {
		name   string
		hook   bpf.Hook
		offset int64 // how far past malloc the hook probes
	}{
		{"symbol to symbol", bpf.Hook{Symbol: "malloc", Jump: &bpf.UprobeJump{Symbol: "free"}}, 0},
		{"symbol to address", bpf.Hook{Symbol: "malloc", Jump: &bpf.UprobeJump{Addr: freeAddr}}, 0},
		{"symbol to offset", bpf.Hook{Symbol: "malloc", Jump: &bpf.UprobeJump{Offset: freeOff}}, 0},
		{"symbol+4 to symbol", bpf.Hook{Symbol: "malloc", Offset: 4, Jump: &bpf.UprobeJump{Symbol: "free"}}, 4},
		{"offset to symbol", bpf.Hook{Offset: mallocOff, Jump: &bpf.UprobeJump{Symbol: "free"}}, 0},
		{"address to symbol", bpf.Hook{Addr: mallocAddr, Jump: &bpf.UprobeJump{Symbol: "free"}}, 0},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			h := c.hook
			h.Kind, h.Target = "uprobe", libc
			got, err := uprobeJumpDistance(h, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != want-c.offset {
				t.Errorf("distance %#x, want %#x", got, want-c.offset)
			}
		})
	}
	_, err := uprobeJumpDistance(bpf.Hook{Kind: "uprobe", Target: libc, Symbol: "malloc",
		Jump: &bpf.UprobeJump{Symbol: "polc_no_such_function"}}, nil)
	if err == nil || !strings.Contains(err.Error(), `no symbol "polc_no_such_function"`) {
		t.Errorf("jump to a missing symbol: %v", err)
	}
	_, err = uprobeJumpDistance(bpf.Hook{Kind: "uprobe", Target: libc, Symbol: "malloc",
		Jump: &bpf.UprobeJump{Offset: 1 << 40}}, nil)
	if err == nil || !strings.Contains(err.Error(), "in no loadable segment") {
		t.Errorf("jump to an offset past the file: %v", err)
	}
}

// TestAddrFileOffset maps a virtual address of a real shared library to
// the file offset uprobes attach at (spec.uprobes addrs): malloc's is the
// offset its segment gives; an address in no segment is an error.
func TestAddrFileOffset(t *testing.T) {
	libc := systemLibc()
	if libc == "" {
		t.Skip("no C library on this machine")
	}
	addr, off := elfSymbol(t, libc, "malloc")
	if got, err := addrFileOffset(libc, addr); err != nil || got != off {
		t.Errorf("addrFileOffset(malloc %#x) = %#x, %v; want %#x", addr, got, err, off)
	}
	if _, err := addrFileOffset(libc, 1<<40); err == nil || !strings.Contains(err.Error(), "in no loadable segment") {
		t.Errorf("address past the segments: %v", err)
	}
}

// jumpTarget is where TestUprobeJump sends the calls of overrideTarget.
//
//go:noinline
func jumpTarget(n int) int { return n + 100 }

// TestUprobeJump: Override with argNewSymbol, argNewAddr or argNewOffset
// makes the calls of overrideTarget in this test binary run jumpTarget
// instead, with the same argument, returning to the caller: 141 for 41;
// in monitor mode the call runs as written (42). Each call is reported
// with the Override action; a symbol the binary lacks fails the load.
// Kernels whose uprobe programs may not write
// registers refuse it, naming the feature, and keep nothing.
func TestUprobeJump(t *testing.T) {
	testenv.Require(t, testenv.Uprobes)
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skipf("Override on uprobes targets x86_64 and arm64, not %s", runtime.GOARCH)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	from := runtime.FuncForPC(funcPC(overrideTarget)).Name()
	to := runtime.FuncForPC(funcPC(jumpTarget)).Name()
	policy := func(t *testing.T, jump string) *Bundle {
		b := compilePolicy(t, "uprobe-jump.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "uprobe-jump"
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
        %s
`, exe, from, os.Getpid(), jump))
		if j := b.Manifest.Hooks[0].Jump; j == nil {
			t.Fatalf("manifest hook has no jump")
		}
		return b
	}
	if checkFeature(bpf.FeatureUprobeWriteCtx) != nil {
		o := testOptions(t)
		_, err := Load([]*Bundle{policy(t, fmt.Sprintf("argNewSymbol: %q", to))}, o)
		var oe *OverrideError
		if !errors.As(err, &oe) || !errors.Is(err, ErrMissingFeature) || !strings.Contains(err.Error(), bpf.FeatureUprobeWriteCtx) {
			t.Fatalf("Load: %v, want an OverrideError naming %s", err, bpf.FeatureUprobeWriteCtx)
		}
		if left := pinsUnder(t, o.PinRoot); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
		return
	}
	if !hasSymbol(exe, from) || !hasSymbol(exe, to) {
		t.Skipf("this test binary has no symbol table (go test strips it; make vmtest runs go test -c)")
	}
	addr, off := elfSymbol(t, exe, to)
	for _, c := range []struct {
		name, jump, mode string
		want             int
	}{
		{"argNewSymbol", fmt.Sprintf("argNewSymbol: %q", to), "enforce", 141},
		{"argNewAddr", fmt.Sprintf("argNewAddr: %#x", addr), "enforce", 141},
		{"argNewOffset", fmt.Sprintf("argNewOffset: %#x", off), "enforce", 141},
		{"monitor", fmt.Sprintf("argNewSymbol: %q", to), "monitor", 42},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := testOptions(t)
			o.Mode = c.mode
			s := loadAndStream(t, o, policy(t, c.jump))
			if got := overrideTarget(41); got != c.want {
				t.Errorf("overrideTarget(41) in %s mode = %d, want %d", c.mode, got, c.want)
			}
			evs := collect(t, s, "uprobe-jump", time.Second)
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1", len(evs))
			}
			if ev := evs[0]; ev.Kind != KindUprobe || ev.Action != bpf.ActionOverride {
				line, _ := ev.MarshalJSON()
				t.Errorf("event %s", line)
			}
		})
	}
	// A symbol the binary lacks fails the load, naming the policy, the
	// hook and the symbol, and nothing stays.
	t.Run("missing symbol", func(t *testing.T) {
		o := testOptions(t)
		_, err := Load([]*Bundle{policy(t, `argNewSymbol: "polc_no_such_function"`)}, o)
		if err == nil {
			t.Fatal("Load: no error")
		}
		for _, want := range []string{"uprobe-jump", from, `no symbol "polc_no_such_function"`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
		if left := pinsUnder(t, o.PinRoot); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
}
