package arch

import "testing"

// TestParseAssignment: the forms of Tetragon's argRegs (pkg/asm
// assignment tests), with x86_64's pt_regs offsets (ax 80, bx 40, bp 32,
// sp 152, ip 128).
func TestParseAssignment(t *testing.T) {
	ok := []struct {
		in   string
		want Assignment
	}{
		{"rax=010", Assignment{Kind: AssignConst, Dst: Reg{"ax", 80, 8}, Off: 8}},
		{"rax=1", Assignment{Kind: AssignConst, Dst: Reg{"ax", 80, 8}, Off: 1}},
		{"rbx=-1", Assignment{Kind: AssignConst, Dst: Reg{"bx", 40, 8}, Off: ^uint64(0)}},
		{"rax=0xffffffffffffffff", Assignment{Kind: AssignConst, Dst: Reg{"ax", 80, 8}, Off: ^uint64(0)}},
		{"rax=18446744073709551615", Assignment{Kind: AssignConst, Dst: Reg{"ax", 80, 8}, Off: ^uint64(0)}},
		{"al=0x12", Assignment{Kind: AssignConst, Dst: Reg{"ax", 80, 1}, Off: 0x12}},
		{"ax=0x1234", Assignment{Kind: AssignConst, Dst: Reg{"ax", 80, 2}, Off: 0x1234}},
		{"eax=0x12345678", Assignment{Kind: AssignConst, Dst: Reg{"ax", 80, 4}, Off: 0x12345678}},
		{"rsp=%rax", Assignment{Kind: AssignReg, Dst: Reg{"sp", 152, 8}, Src: Reg{"ax", 80, 8}}},
		{"rsp = %eax", Assignment{Kind: AssignReg, Dst: Reg{"sp", 152, 8}, Src: Reg{"ax", 80, 4}}},
		{"rbp=128%rax", Assignment{Kind: AssignRegOff, Dst: Reg{"bp", 32, 8}, Src: Reg{"ax", 80, 8}, Off: 128}},
		{"rbp = 010 %rax", Assignment{Kind: AssignRegOff, Dst: Reg{"bp", 32, 8}, Src: Reg{"ax", 80, 8}, Off: 8}},
		{"rsp=8%rsp", Assignment{Kind: AssignRegOff, Dst: Reg{"sp", 152, 8}, Src: Reg{"sp", 152, 8}, Off: 8}},
		{"rbp=(%rsp)", Assignment{Kind: AssignDeref, Dst: Reg{"bp", 32, 8}, Src: Reg{"sp", 152, 8}}},
		{"rip=8(%rsp)", Assignment{Kind: AssignDeref, Dst: Reg{"ip", 128, 8}, Src: Reg{"sp", 152, 8}, Off: 8}},
		{"rsp=-1372(%rbp)", Assignment{Kind: AssignDeref, Dst: Reg{"sp", 152, 8}, Src: Reg{"bp", 32, 8}, Off: 0xfffffffffffffaa4}},
		{"rbp = 0x20 ( %rsp )", Assignment{Kind: AssignDeref, Dst: Reg{"bp", 32, 8}, Src: Reg{"sp", 152, 8}, Off: 0x20}},
	}
	for _, c := range ok {
		got, err := X86_64.ParseAssignment(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseAssignment(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"rax=", "=1", "rax=1=2", "ra x=1", "rax=1 2", "rax=abc", "rbp=0x2 0(%rsp)",
		"rbp=0x20(%rsp", "rbp=0x20(%rsp)junk", "rbp=0x20(% rsp)", "rsp=%rax)", "rsp=% rax", "rsp=%r ax",
		"rsp=8% rax", "rsp=8%rax garbage", "rsp=8%r ax", "rax=0x20()", "rax=0x20(%notareg)", "x0=1", "rax=+1"} {
		if got, err := X86_64.ParseAssignment(in); err == nil {
			t.Errorf("ParseAssignment(%q) = %+v, want an error", in, got)
		}
	}
}

func TestParseAssignmentARM64(t *testing.T) {
	for in, want := range map[string]Assignment{
		"x0=123":    {Kind: AssignConst, Dst: Reg{"regs[0]", 0, 8}, Off: 123},
		"w1=-1":     {Kind: AssignConst, Dst: Reg{"regs[1]", 8, 4}, Off: ^uint64(0)},
		"pc=%x30":   {Kind: AssignReg, Dst: Reg{"pc", 256, 8}, Src: Reg{"regs[30]", 240, 8}},
		"sp=16%sp":  {Kind: AssignRegOff, Dst: Reg{"sp", 248, 8}, Src: Reg{"sp", 248, 8}, Off: 16},
		"x29=(%sp)": {Kind: AssignDeref, Dst: Reg{"regs[29]", 232, 8}, Src: Reg{"sp", 248, 8}},
	} {
		got, err := ARM64.ParseAssignment(in)
		if err != nil || got != want {
			t.Errorf("ParseAssignment(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"rax=1", "w31=1", "x32=1", "x+1=1", "pc=%rip"} {
		if got, err := ARM64.ParseAssignment(in); err == nil {
			t.Errorf("ParseAssignment(%q) = %+v, want an error", in, got)
		}
	}
	for _, a := range []Arch{X86_64, ARM64} {
		for _, s := range a.OverrideReturn(-1) {
			if _, err := a.ParseAssignment(s); err != nil {
				t.Errorf("%s: OverrideReturn: %v", a, err)
			}
		}
	}
}
