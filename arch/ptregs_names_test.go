package arch

import "testing"

func TestUserReg(t *testing.T) {
	for _, c := range []struct {
		a    Arch
		name string
		off  int
		size int
		ok   bool
	}{
		{X86_64, "rax", 80, 8, true},
		{X86_64, "eax", 80, 4, true},
		{X86_64, "ax", 80, 2, true},
		{X86_64, "al", 80, 1, true},
		{X86_64, "rip", 128, 8, true},
		{X86_64, "eip", 128, 4, true},
		{X86_64, "r8d", 72, 4, true},
		{X86_64, "r15b", 0, 1, true},
		{X86_64, "dil", 112, 1, true},
		{X86_64, "rsp", 152, 8, true},
		{X86_64, "ip", 0, 0, false},
		{X86_64, "x0", 0, 0, false},
		{X86_64, "", 0, 0, false},
		{ARM64, "x0", 0, 8, true},
		{ARM64, "w3", 24, 4, true},
		{ARM64, "x30", 240, 8, true},
		{ARM64, "x31", 248, 8, true},
		{ARM64, "sp", 248, 8, true},
		{ARM64, "pc", 256, 8, true},
		{ARM64, "w31", 0, 0, false},
		{ARM64, "x32", 0, 0, false},
		{ARM64, "x", 0, 0, false},
		{ARM64, "x-1", 0, 0, false},
		{ARM64, "rax", 0, 0, false},
	} {
		r, ok := c.a.UserReg(c.name)
		if ok != c.ok || ok && (r.Offset != c.off || r.Size != c.size) {
			t.Errorf("%s %q: got %+v %v, want offset %d size %d %v", c.a, c.name, r, ok, c.off, c.size, c.ok)
		}
	}
}
