package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// TestResolveMissingMember: a member the running kernel lacks fails the
// load, naming it. The bundle is built against a made-up kernel whose
// task_struct has a member this one lacks, as a newer or older kernel
// than the reference may; the CO-RE relocation finds no such member here.
func TestResolveMissingMember(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF)
	i32 := &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}
	task := &btf.Struct{Name: "task_struct", Size: 8, Members: []btf.Member{{Name: "polc_no_such_member", Type: i32}}}
	proto := &btf.FuncProto{Return: &btf.Void{}, Params: []btf.FuncParam{
		{Name: "__data", Type: &btf.Pointer{Target: &btf.Void{}}},
		{Name: "p", Type: &btf.Pointer{Target: task}},
	}}
	var bld btf.Builder
	if _, err := bld.Add(&btf.Typedef{Name: "btf_trace_sched_process_exec", Type: &btf.Pointer{Target: proto}}); err != nil {
		t.Fatal(err)
	}
	raw, err := bld.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := target.FromBTF(raw, "x86_64")
	if err != nil {
		t.Fatal(err)
	}
	pos := ir.Pos{File: "m.yaml", Line: 2, Col: 3}
	a := &ir.Arg{Index: 0, Type: ir.TypeInt32, Resolve: []string{"polc_no_such_member"}, SizeSlot: ir.NoSize, Pos: pos}
	pol := &ir.Policy{Name: "m", Arch: "x86_64", Pos: pos, Hooks: []*ir.Hook{{Kind: ir.HookRawTracepoint,
		Target: "sched/sched_process_exec", Call: "sched/sched_process_exec", Pos: pos, Args: []*ir.Arg{a}}}}
	b, err := codegen.Build(pol, codegen.Options{Target: prof})
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := ReadBundle(b.Object)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load([]*Bundle{bundle}, testOptions(t))
	var pe *ProgramError
	if !errors.As(err, &pe) {
		t.Fatalf("loaded, or not a program's error: %v", err)
	}
	const want = "member polc_no_such_member of struct task_struct"
	if len(pe.Missing) != 1 || pe.Missing[0] != want || !strings.Contains(err.Error(), "this kernel's types lack "+want) {
		t.Errorf("missing %q, error %v; want %q named", pe.Missing, err, want)
	}
}
