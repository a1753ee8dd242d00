package codegen

import (
	"bytes"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/ir"
)

// TestUprobePathAnyBytes: a binary's path may hold spaces and other bytes
// an ELF section name may not (FuzzBuild found one). The bundle builds,
// cilium/ebpf reads it as a uprobe program, and the manifest keeps the
// path as written: polrun attaches there.
func TestUprobePathAnyBytes(t *testing.T) {
	path := "/opt/My App/bin\tcafé"
	pos := ir.Pos{File: "uprobe.yaml", Line: 7, Col: 5}
	h := &ir.Hook{Kind: ir.HookUprobe, Target: path, Symbol: "main", Call: "main", Return: true, Pos: pos,
		Ret: &ir.Arg{Slot: -1, Type: ir.TypeInt64, SizeSlot: ir.NoSize, Pos: pos}}
	b, err := Build(&ir.Policy{Name: "spaces", Arch: "x86_64", Pos: pos, Hooks: []*ir.Hook{h},
		Maps: []*ir.Map{{Name: "retprobe", Kind: ir.MapRetProbe, MaxEntries: 32768, Pos: pos}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Manifest.Hooks[0].Target; got != path {
		t.Errorf("manifest target %q, want %q", got, path)
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Object))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Manifest.Hooks[0].Programs {
		ps := spec.Programs[p.Name]
		if ps == nil || ps.Type != ebpf.Kprobe {
			t.Errorf("program %s (section %s): %+v", p.Name, p.Section, ps)
		}
		t.Logf("%s: section %s", p.Name, p.Section)
	}
}
