package codegen

import (
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen/internal/uprobetarget"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// regAssigns parses argRegs entries for x86_64 into the IR's form.
func regAssigns(t *testing.T, texts []string) []ir.RegAssign {
	t.Helper()
	kinds := map[arch.AssignKind]ir.RegAssignKind{
		arch.AssignConst: ir.RegConst, arch.AssignReg: ir.RegCopy, arch.AssignRegOff: ir.RegAddOff, arch.AssignDeref: ir.RegLoad,
	}
	var out []ir.RegAssign
	for _, s := range texts {
		as, err := arch.X86_64.ParseAssignment(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ir.RegAssign{Kind: kinds[as.Kind], Dst: as.Dst.Offset, DstSize: as.Dst.Size,
			Src: as.Src.Offset, SrcSize: as.Src.Size, Off: as.Off, Text: s})
	}
	return out
}

// TestUprobeOverride overrides a C-ABI function of this test binary at its
// entry (uprobetarget.Target returns a+1) and checks what the call
// returns: argError's assignments return at once with the error; argRegs
// forms set registers of 1, 2, 4 and 8 bytes from constants, registers,
// registers plus an offset and user memory; in monitor mode nothing is
// changed.
func TestUprobeOverride(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Uprobes,
		testenv.KernelAtLeast(6, 19), testenv.UprobeWriteCtx)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	off, err := uprobetarget.FileOffset()
	if err != nil {
		t.Fatal(err)
	}
	ret := arch.X86_64.OverrideReturn(0)[1:] // rip=(%rsp), rsp=8%rsp: return to the caller
	cases := []struct {
		name    string
		regs    []string
		mode    ir.Mode
		a, want int64
	}{
		{"argError", arch.X86_64.OverrideReturn(123), ir.ModeEnforce, 5, 123},
		{"argError negative", arch.X86_64.OverrideReturn(-1), ir.ModeEnforce, 5, -1},
		{"monitor", arch.X86_64.OverrideReturn(123), ir.ModeMonitor, 5, 6},
		// The uretprobe hijacks the return address on the stack the
		// override pops: the call still returns to its caller.
		{"with uretprobe", arch.X86_64.OverrideReturn(123), ir.ModeEnforce, 5, 123},
		{"copy", append([]string{"rax=%rdi"}, ret...), ir.ModeEnforce, 41, 41},
		{"copy low byte", append([]string{"rax=%dil"}, ret...), ir.ModeEnforce, 0x1ff, 0xff},
		{"add offset", append([]string{"rax=100%rdi"}, ret...), ir.ModeEnforce, 7, 107},
		{"1 byte", append([]string{"rax=-1", "al=0x12"}, ret...), ir.ModeEnforce, 0, -0xee},
		{"2 bytes", append([]string{"rax=-1", "ax=0x1234"}, ret...), ir.ModeEnforce, 0, -0x10000 + 0x1234},
		{"4 bytes", append([]string{"rax=-1", "eax=0x12345678"}, ret...), ir.ModeEnforce, 0, -0x100000000 + 0x12345678},
		{"8 bytes", append([]string{"rax=0x1234567887654321"}, ret...), ir.ModeEnforce, 0, 0x1234567887654321},
		// rdi is 0: the load fails and rax keeps 5.
		{"unreadable", append([]string{"rax=5", "rax=(%rdi)"}, ret...), ir.ModeEnforce, 0, 5},
		// Only the first argument changes: the function runs and adds 1.
		{"argument", []string{"rdi=1000"}, ir.ModeEnforce, 5, 1001},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			pos := ir.Pos{File: "override.yaml", Line: 1}
			h := &ir.Hook{Kind: ir.HookUprobe, Target: exe, Symbol: uprobetarget.Symbol, Call: "target", Pos: pos,
				Selectors: []*ir.Selector{{Pos: pos,
					Tests: []*ir.Test{{Kind: ir.TestPID, Op: ir.OpIn, Values: []ir.Value{{Kind: ir.ValInt, Int: int64(os.Getpid())}}}},
					Actions: []*ir.Action{
						{Kind: ir.ActOverride, Regs: regAssigns(t, c.regs), Pos: pos},
						{Kind: ir.ActPost, Pos: pos},
					},
				}}}
			p := &ir.Policy{Name: "override", Arch: "x86_64", Hooks: []*ir.Hook{h}, Mode: c.mode}
			b, err := Build(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			l := loadBundle(t, b)
			ex, err := link.OpenExecutable(exe)
			if err != nil {
				t.Fatal(err)
			}
			up, err := ex.Uprobe(uprobetarget.Symbol, l.coll.Programs[b.Manifest.Hooks[0].Programs[0].Name], &link.UprobeOptions{Address: off})
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "with uretprobe" {
				nop, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: ebpf.Kprobe, License: "GPL",
					Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}})
				if err != nil {
					t.Fatal(err)
				}
				defer nop.Close()
				uret, err := ex.Uretprobe(uprobetarget.Symbol, nop, &link.UprobeOptions{Address: off})
				if err != nil {
					t.Fatal(err)
				}
				defer uret.Close()
			}
			got := uprobetarget.Call(c.a, nil)
			up.Close()
			if got != c.want {
				t.Errorf("Call(%d) with %q in %s mode = %d (%#x), want %d (%#x)", c.a, c.regs, c.mode, got, uint64(got), c.want, uint64(c.want))
			}
			if after := uprobetarget.Call(c.a, nil); after != c.a+1 {
				t.Errorf("Call(%d) after detaching = %d, want %d", c.a, after, c.a+1)
			}
		})
	}
}
