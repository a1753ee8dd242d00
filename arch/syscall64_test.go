package arch

import "testing"

func TestSyscall64(t *testing.T) {
	for _, tc := range []struct {
		arch Arch
		abi  ABI
		nr   int
		want uint64
	}{
		{X86_64, ABIX64, 59, 59},
		{X86_64, ABII386, 41, 0x80000029}, // i386 dup, as Tetragon encodes "__ia32_sys_dup"
		{ARM64, ABIARM64, 56, 56},
		{ARM64, ABIARM32, 322, 0x80000000 | 322},
		{X86_64, ABIX64, 0, 0},
	} {
		v := EncodeSyscall64(tc.abi, tc.nr)
		if v != tc.want {
			t.Errorf("EncodeSyscall64(%s, %d) = %#x, want %#x", tc.abi, tc.nr, v, tc.want)
		}
		abi, nr := DecodeSyscall64(tc.arch, v)
		if abi != tc.abi || nr != tc.nr {
			t.Errorf("DecodeSyscall64(%s, %#x) = %s, %d; want %s, %d", tc.arch, v, abi, nr, tc.abi, tc.nr)
		}
	}
}

func TestDecodeSyscall64KeepsLow32Bits(t *testing.T) {
	// Tetragon reads the value as uint32 after clearing the compat bit.
	abi, nr := DecodeSyscall64(X86_64, 0xffffffff_80000001)
	if abi != ABII386 || nr != 1 {
		t.Errorf("got %s %d, want i386 1", abi, nr)
	}
	if abi, _ := DecodeSyscall64("mips", 1); abi != "" {
		t.Errorf("unknown arch decoded to ABI %q", abi)
	}
}

func TestSyscall64OfListValues(t *testing.T) {
	// The values a syscall64 InMap list holds for killer.yaml's list.
	for ref, want := range map[string]uint64{
		"sys_dup":        32,
		"sys_dup2":       33,
		"__ia32_sys_dup": 0x80000000 | 41,
		"i386/sys_dup":   0x80000000 | 41,
	} {
		s, err := Lookup(X86_64, ref)
		if err != nil {
			t.Fatal(err)
		}
		if got := EncodeSyscall64(s.ABI, s.Nr); got != want {
			t.Errorf("%s: %#x, want %#x", ref, got, want)
		}
	}
}
