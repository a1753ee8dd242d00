//go:build linux && (amd64 || arm64)

package arch

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestPtRegsMatchKernelBTF checks every register offset of the host arch
// against struct pt_regs in the running kernel's BTF.
func TestPtRegsMatchKernelBTF(t *testing.T) {
	testenv.Require(t, testenv.KernelBTF)
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	var ptRegs *btf.Struct
	if err := spec.TypeByName("pt_regs", &ptRegs); err != nil {
		t.Fatal(err)
	}
	a := Host()
	conv, err := a.CallConv()
	if err != nil {
		t.Fatal(err)
	}
	regs := append(conv.FuncArgs[:], conv.Return, conv.StackPointer, conv.InstructionPointer, conv.SyscallNr)
	for _, abi := range []ABI{a.NativeABI(), a.CompatABI()} {
		args, err := abi.SyscallArgs()
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, args[:]...)
	}
	for _, r := range regs {
		off, size, err := memberOffset(ptRegs, r.Name)
		if err != nil {
			t.Errorf("%s: %v", r.Name, err)
			continue
		}
		if off != r.Offset || size != r.Size {
			t.Errorf("%s: kernel has offset %d size %d, table says %d size %d", r.Name, off, size, r.Offset, r.Size)
		}
	}
}

// memberOffset finds name ("di", "regs[3]") in s, looking into anonymous
// structs and unions (arm64 keeps regs[] in one; x86 keeps cs and ss in
// unions on recent kernels).
func memberOffset(s btf.Type, name string) (offset, size int, err error) {
	field, index := name, -1
	if base, rest, ok := strings.Cut(name, "["); ok {
		i, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
		if err != nil {
			return 0, 0, fmt.Errorf("bad register name %q", name)
		}
		field, index = base, i
	}
	for _, m := range members(s) {
		if m.Name == "" {
			if off, sz, err := memberOffset(btf.UnderlyingType(m.Type), name); err == nil {
				return int(m.Offset.Bytes()) + off, sz, nil
			}
			continue
		}
		if m.Name != field {
			continue
		}
		typ := btf.UnderlyingType(m.Type)
		off := int(m.Offset.Bytes())
		if index >= 0 {
			arr, ok := typ.(*btf.Array)
			if !ok || uint32(index) >= arr.Nelems {
				return 0, 0, fmt.Errorf("%s is not an array of more than %d elements", field, index)
			}
			typ = btf.UnderlyingType(arr.Type)
			sz, err := btf.Sizeof(typ)
			if err != nil {
				return 0, 0, err
			}
			return off + index*sz, sz, nil
		}
		sz, err := btf.Sizeof(typ)
		return off, sz, err
	}
	return 0, 0, fmt.Errorf("no member %q in %s", name, s.TypeName())
}

func members(t btf.Type) []btf.Member {
	switch t := t.(type) {
	case *btf.Struct:
		return t.Members
	case *btf.Union:
		return t.Members
	}
	return nil
}

// TestEntrySymbolsInKallsyms checks that the kernel function of every
// syscall with an entry point exists in the running kernel, for the host's
// native ABI and, when the kernel serves it, the compat ABI. Syscalls newer
// than the kernel are those above the highest number the kernel has a
// function for; they are allowed to be missing. /proc/kallsyms lists names
// to every user (only addresses need root).
func TestEntrySymbolsInKallsyms(t *testing.T) {
	syms, err := kallsyms()
	if err != nil {
		t.Fatal(err)
	}
	a := Host()
	for _, abi := range []ABI{a.NativeABI(), a.CompatABI()} {
		tbl := tables()[abi]
		if !tbl.entriesKnown {
			continue // arm32: entry points unknown
		}
		prefix := abi.SymbolPrefix()
		newest := -1
		for _, r := range tbl.rows {
			if r.entry != "" && syms[prefix+r.entry] {
				newest = r.nr
			}
		}
		if newest < 0 {
			if abi.Compat() {
				t.Logf("kernel serves no %s syscalls (no compat support); not checked", abi)
				continue
			}
			t.Fatalf("no %s syscall function in /proc/kallsyms", abi)
		}
		checked := 0
		for _, r := range tbl.rows {
			if r.entry == "" || r.nr > newest {
				continue
			}
			checked++
			if !syms[prefix+r.entry] {
				t.Errorf("%s %s (%d): kernel has no %s%s", abi, r.name, r.nr, prefix, r.entry)
			}
		}
		t.Logf("%s: %d entry points present, up to number %d", abi, checked, newest)
	}
}

func kallsyms() (map[string]bool, error) {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 3 && strings.Contains(fields[2], "sys_") {
			syms[fields[2]] = true
		}
	}
	return syms, sc.Err()
}
