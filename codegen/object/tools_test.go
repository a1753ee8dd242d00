package object

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/internal/testenv"
)

// tool requires an executable on PATH. CI hosts and the development
// machines have bpftool and llvm-objdump installed, so under CI=true a
// missing tool fails the test.
func tool(name string) testenv.Requirement {
	return testenv.Requirement{Name: name, OnCIHost: true, Check: func() error {
		_, err := exec.LookPath(name)
		return err
	}}
}

func writeObject(t *testing.T, obj *Object) string {
	t.Helper()
	data, err := Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "core.bpf.o")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestBpftoolLoadall loads every program of the object with libbpf, through
// bpftool: libbpf parses the ELF itself, relocates maps, .rodata, calls and
// CO-RE, and the kernel verifies the result.
func TestBpftoolLoadall(t *testing.T) {
	testenv.Require(t, tool("bpftool"), testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF)
	obj := writeObject(t, coreObject())
	pins := testenv.PinDir(t, "polc-object-test", false)

	run(t, "bpftool", "prog", "loadall", obj, pins)
	entries, err := os.ReadDir(pins)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != "getpid_core" {
		t.Errorf("bpftool pinned %v, want [getpid_core]", names)
	}
	out := run(t, "bpftool", "prog", "show", "pinned", filepath.Join(pins, "getpid_core"))
	if !strings.Contains(out, "tracepoint") || !strings.Contains(out, "getpid_core") {
		t.Errorf("bpftool prog show:\n%s", out)
	}

	// libbpf relocated the local offsets to the kernel's.
	kernel, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	var task *btf.Struct
	if err := kernel.TypeByName("task_struct", &task); err != nil {
		t.Fatal(err)
	}
	offsets := map[string]uint32{}
	for _, m := range task.Members {
		offsets[m.Name] = m.Offset.Bytes()
	}
	xlated := run(t, "bpftool", "prog", "dump", "xlated", "pinned", filepath.Join(pins, "getpid_core"))
	for _, field := range []string{"pid", "tgid", "real_parent"} {
		if want := fmt.Sprintf("r3 += %d\n", offsets[field]); !strings.Contains(xlated, want) {
			t.Errorf("loaded program lacks %q (task_struct.%s):\n%s", want, field, xlated)
		}
	}
}

func TestBpftoolBTFDump(t *testing.T) {
	testenv.Require(t, tool("bpftool"))
	obj := writeObject(t, coreObject())
	out := run(t, "bpftool", "btf", "dump", "file", obj)
	for _, want := range []string{
		"FUNC 'getpid_core' type_id=",
		"FUNC 'read_kernel' type_id=",
		"STRUCT 'task_struct' size=16 vlen=3",
		"FUNC 'count_loop' type_id=",
		"DATASEC '.maps' size=32 vlen=1",
		"DATASEC '.rodata' size=4 vlen=1",
		"VAR 'target_tgid'",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("bpftool btf dump lacks %q:\n%s", want, out)
		}
	}
}

func TestLLVMObjdump(t *testing.T) {
	testenv.Require(t, tool("llvm-objdump"))
	obj := writeObject(t, coreObject())
	out := run(t, "llvm-objdump", "-dr", obj)
	for _, want := range []string{
		"file format elf64-bpf",
		"Disassembly of section .text:",
		"<read_kernel>:",
		"Disassembly of section tracepoint/syscalls/sys_enter_getpid:",
		"<getpid_core>:",
		"R_BPF_64_64\tseen",
		"R_BPF_64_64\t.rodata",
		"R_BPF_64_32\t.text",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("llvm-objdump output lacks %q:\n%s", want, out)
		}
	}
}
