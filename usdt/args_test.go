package usdt

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
)

func TestParseArgsX86(t *testing.T) {
	syms := map[string]uint64{"counter": 0x4010, "nums": 0x4020}
	const pc = 0x1000
	got, err := ParseArgs("-4@%edi 8@%rax -1@%r8b 2@%r13w -4@$-9 8@$0x10 -4@-20(%rbp) 8@(%rsp) -8@counter(%rip) -2@nums+2(%rip) -1@-96(%rbp,%rax,8) 4@(%rbx,%rcx)", arch.X86_64, syms, pc)
	if err != nil {
		t.Fatal(err)
	}
	want := []Arg{
		{Text: "-4@%edi", Size: 4, Signed: true, Kind: bpf.USDTArgReg, Reg: "di", RegOff: 112},
		{Text: "8@%rax", Size: 8, Kind: bpf.USDTArgReg, Reg: "ax", RegOff: 80},
		{Text: "-1@%r8b", Size: 1, Signed: true, Kind: bpf.USDTArgReg, Reg: "r8", RegOff: 72},
		{Text: "2@%r13w", Size: 2, Kind: bpf.USDTArgReg, Reg: "r13", RegOff: 16},
		{Text: "-4@$-9", Size: 4, Signed: true, Kind: bpf.USDTArgConst, Value: -9},
		{Text: "8@$0x10", Size: 8, Kind: bpf.USDTArgConst, Value: 16},
		{Text: "-4@-20(%rbp)", Size: 4, Signed: true, Kind: bpf.USDTArgRegDeref, Reg: "bp", RegOff: 32, Value: -20},
		{Text: "8@(%rsp)", Size: 8, Kind: bpf.USDTArgRegDeref, Reg: "sp", RegOff: 152},
		{Text: "-8@counter(%rip)", Size: 8, Signed: true, Kind: bpf.USDTArgRegDeref, Reg: "ip", RegOff: 128, Value: 0x3010},
		{Text: "-2@nums+2(%rip)", Size: 2, Signed: true, Kind: bpf.USDTArgRegDeref, Reg: "ip", RegOff: 128, Value: 0x3022},
		{Text: "-1@-96(%rbp,%rax,8)", Size: 1, Signed: true, Kind: bpf.USDTArgSIB, Reg: "bp", RegOff: 32, Index: "ax", IndexOff: 80, Scale: 8, Value: -96},
		{Text: "4@(%rbx,%rcx)", Size: 4, Kind: bpf.USDTArgSIB, Reg: "bx", RegOff: 40, Index: "cx", IndexOff: 88, Scale: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if s := got[10].Spec(); s.Scale != 3 || s.Shift != 56 || s.Signed != 1 || s.RegOff != 32 || s.IndexOff != 80 || s.Value != -96 {
		t.Errorf("spec of %s: %+v", got[10].Text, s)
	}
}

func TestParseArgsARM64(t *testing.T) {
	got, err := ParseArgs("-4@x0 8@[sp, 16] 4@[x1] -8@[x29, -8] 4@w3 8@-5", arch.ARM64, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Arg{
		{Text: "-4@x0", Size: 4, Signed: true, Kind: bpf.USDTArgReg, Reg: "regs[0]"},
		{Text: "8@[sp, 16]", Size: 8, Kind: bpf.USDTArgRegDeref, Reg: "sp", RegOff: 248, Value: 16},
		{Text: "4@[x1]", Size: 4, Kind: bpf.USDTArgRegDeref, Reg: "regs[1]", RegOff: 8},
		{Text: "-8@[x29, -8]", Size: 8, Signed: true, Kind: bpf.USDTArgRegDeref, Reg: "regs[29]", RegOff: 232, Value: -8},
		{Text: "4@w3", Size: 4, Kind: bpf.USDTArgReg, Reg: "regs[3]", RegOff: 24},
		{Text: "8@-5", Size: 8, Kind: bpf.USDTArgConst, Value: -5},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseArgsErrors(t *testing.T) {
	for text, want := range map[string]string{
		"4@%ebx -1@%ah":      `argument 1 ("-1@%ah"): register %ah is a high byte`,
		"3@%eax":             "size 3 is not 1, 2, 4 or 8",
		"x@%eax":             `size "x" is not a number`,
		"8@%xmm0":            "unknown register %xmm0",
		"8@missing(%rip)":    "symbol missing is not in the binary's symbol tables",
		"8@counter(%rax)":    "only %rip-relative symbols",
		"8@*weird":           "is not a register, a constant or a memory operand",
		"-4@$notanumber":     "is not a number",
		"4@(%rax,%rbx,3)":    "is not a register, a constant or a memory operand",
		"4@12(%rbp,%eip,2)x": "is not a register",
	} {
		_, err := ParseArgs(text, arch.X86_64, map[string]uint64{"counter": 1}, 0)
		var ae *ArgError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseArgs(%q): %v, want an ArgError saying %q", text, err, want)
		}
	}
}

func TestSplitArgs(t *testing.T) {
	got := splitArgs("  -4@%edi  8@[sp, 16]\t4@x1 ")
	if diff := cmp.Diff([]string{"-4@%edi", "8@[sp, 16]", "4@x1"}, got); diff != "" {
		t.Error(diff)
	}
}
