package arch

import (
	"errors"
	"testing"
)

func TestCallConv(t *testing.T) {
	x, err := X86_64.CallConv()
	if err != nil {
		t.Fatal(err)
	}
	wantX := map[string]Reg{
		"arg0": {"di", 112, 8}, "arg1": {"si", 104, 8}, "arg2": {"dx", 96, 8},
		"arg3": {"cx", 88, 8}, "arg4": {"r8", 72, 8}, "arg5": {"r9", 64, 8},
		"ret": {"ax", 80, 8}, "sp": {"sp", 152, 8}, "ip": {"ip", 128, 8}, "nr": {"orig_ax", 120, 8},
	}
	checkConv(t, "x86_64", x, wantX)

	a, err := ARM64.CallConv()
	if err != nil {
		t.Fatal(err)
	}
	wantA := map[string]Reg{
		"arg0": {"regs[0]", 0, 8}, "arg1": {"regs[1]", 8, 8}, "arg2": {"regs[2]", 16, 8},
		"arg3": {"regs[3]", 24, 8}, "arg4": {"regs[4]", 32, 8}, "arg5": {"regs[5]", 40, 8},
		"ret": {"regs[0]", 0, 8}, "sp": {"sp", 248, 8}, "ip": {"pc", 256, 8}, "nr": {"syscallno", 280, 4},
	}
	checkConv(t, "arm64", a, wantA)

	if _, err := Arch("mips").CallConv(); !errors.Is(err, ErrUnknownArch) {
		t.Errorf("mips: %v, want ErrUnknownArch", err)
	}
}

func checkConv(t *testing.T, arch string, c CallConv, want map[string]Reg) {
	t.Helper()
	got := map[string]Reg{"ret": c.Return, "sp": c.StackPointer, "ip": c.InstructionPointer, "nr": c.SyscallNr}
	for i, r := range c.FuncArgs {
		got["arg"+string(rune('0'+i))] = r
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s %s = %+v, want %+v", arch, k, got[k], w)
		}
	}
}

func TestSyscallArgs(t *testing.T) {
	for _, tc := range []struct {
		abi  ABI
		want [6]string
	}{
		{ABIX64, [6]string{"di", "si", "dx", "r10", "r8", "r9"}},
		{ABII386, [6]string{"bx", "cx", "dx", "si", "di", "bp"}},
		{ABIARM64, [6]string{"regs[0]", "regs[1]", "regs[2]", "regs[3]", "regs[4]", "regs[5]"}},
		{ABIARM32, [6]string{"regs[0]", "regs[1]", "regs[2]", "regs[3]", "regs[4]", "regs[5]"}},
	} {
		regs, err := tc.abi.SyscallArgs()
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range regs {
			if r.Name != tc.want[i] {
				t.Errorf("%s arg %d = %s, want %s", tc.abi, i, r.Name, tc.want[i])
			}
		}
	}
	// The fourth x64 syscall argument is r10 at 56, not rcx.
	regs, _ := ABIX64.SyscallArgs()
	if regs[3].Offset != 56 {
		t.Errorf("x64 syscall arg 3 at %d, want 56", regs[3].Offset)
	}
	if _, err := ABI("x32").SyscallArgs(); !errors.Is(err, ErrUnknownArch) {
		t.Errorf("x32: %v, want ErrUnknownArch", err)
	}
}
