package kern

import (
	"testing"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/codegen/emit"
	"github.com/polc-dev/polc/codegen/object"
)

// TestAccessor: CO-RE access strings count members from 0 at each level
// of a dotted path, through nested structs and array indexes.
func TestAccessor(t *testing.T) {
	for _, tc := range []struct {
		in         btf.Type
		path, want string
	}{
		{Cred, "uid", "0:0"},
		{Cred, "securebits", "0:8"},
		{Dentry, "d_name.name", "0:1:1"},
		{File, "f_path.dentry", "0:0:1"},
		{Module, "name.3", "0:0:3"},
	} {
		if got := Accessor(tc.in, tc.path); got != tc.want {
			t.Errorf("%s.%s: %q, want %q", tc.in.TypeName(), tc.path, got, tc.want)
		}
	}
}

// TestAccessorUnknown: a member path that does not exist is a programming
// error of codegen and panics, naming the path.
func TestAccessorUnknown(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for cred.nosuch")
		}
	}()
	Accessor(Cred, "nosuch")
}

// TestReadKernel: a kernel read goes through the stack slot given, with
// the member's offset relocated (CO-RE) on the pointer arithmetic.
func TestReadKernel(t *testing.T) {
	var b emit.Builder
	ReadKernel(&b, asm.R7, asm.R6, Cred, "euid", asm.Word, -16)
	b.Emit(asm.Return())
	insns, err := b.Instructions()
	if err != nil {
		t.Fatal(err)
	}
	relo := object.CORERelocationOf(insns[1])
	if relo == nil || relo.Accessor != Accessor(Cred, "euid") || relo.Kind != object.FieldByteOffset {
		t.Errorf("offset relocation: %+v", relo)
	}
	last := insns[len(insns)-2]
	if last.OpCode != asm.LoadMemOp(asm.Word) || last.Dst != asm.R7 || last.Src != asm.RFP || last.Offset != -16 {
		t.Errorf("result load: %v", last)
	}
	if !insns[len(insns)-3].IsBuiltinCall() || insns[len(insns)-3].Constant != int64(asm.FnProbeReadKernel) {
		t.Errorf("no bpf_probe_read_kernel before the load: %v", insns[len(insns)-3])
	}
}

// TestLib: calling a routine adds it and what it calls, once each; the
// routines come back sorted by name, and the scratch map they need is declared.
func TestLib(t *testing.T) {
	l := NewLib()
	l.Call(FuncPath)
	l.Call(FuncPath)
	funcs := l.Funcs()
	if len(funcs) < 2 {
		t.Fatalf("%d functions for %s, want it and its step", len(funcs), FuncPath)
	}
	seen := map[string]bool{}
	for i, f := range funcs {
		if seen[f.Name] {
			t.Errorf("%s twice", f.Name)
		}
		seen[f.Name] = true
		if i > 0 && funcs[i-1].Name >= f.Name {
			t.Errorf("not sorted: %s before %s", funcs[i-1].Name, f.Name)
		}
		if len(f.Insns) == 0 {
			t.Errorf("%s has no instructions", f.Name)
		}
	}
	if maps := l.Maps(); len(maps) != 1 || maps[0].Name != TmpMap || maps[0].ValueSize != TmpSize {
		t.Errorf("maps: %+v", maps)
	}
}

// TestTmpLayout: the key area follows the path buffer and its overflow
// room, inside the value.
func TestTmpLayout(t *testing.T) {
	if KeyOff < tmpPathBuf+PathMax+NameMax || KeyOff+KeyMax > TmpSize {
		t.Errorf("keys at %d..%d, path buffer %d..%d, value %d", KeyOff, KeyOff+KeyMax, tmpPathBuf, tmpPathBuf+PathMax+NameMax, TmpSize)
	}
}
