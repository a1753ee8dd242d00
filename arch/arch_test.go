package arch

import (
	"errors"
	"runtime"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Arch
	}{
		{"x86_64", X86_64}, {"amd64", X86_64}, {"arm64", ARM64}, {"aarch64", ARM64},
	} {
		got, err := Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "x86", "i386", "arm", "X86_64", "riscv64"} {
		if got, err := Parse(in); !errors.Is(err, ErrUnknownArch) {
			t.Errorf("Parse(%q) = %q, %v; want ErrUnknownArch", in, got, err)
		}
	}
}

func TestHost(t *testing.T) {
	want := map[string]Arch{"amd64": X86_64, "arm64": ARM64}[runtime.GOARCH]
	if got := Host(); got != want {
		t.Fatalf("Host() = %q on GOARCH %s, want %q", got, runtime.GOARCH, want)
	}
}

func TestABIs(t *testing.T) {
	for _, tc := range []struct {
		abi    ABI
		arch   Arch
		compat bool
		prefix string
	}{
		{ABIX64, X86_64, false, "__x64_"},
		{ABII386, X86_64, true, "__ia32_"},
		{ABIARM64, ARM64, false, "__arm64_"},
		{ABIARM32, ARM64, true, ""},
	} {
		if got, err := ParseABI(string(tc.abi)); err != nil || got != tc.abi {
			t.Errorf("ParseABI(%q) = %q, %v", tc.abi, got, err)
		}
		if tc.abi.Arch() != tc.arch || tc.abi.Compat() != tc.compat || tc.abi.SymbolPrefix() != tc.prefix {
			t.Errorf("%s: Arch %s Compat %v SymbolPrefix %q; want %s %v %q",
				tc.abi, tc.abi.Arch(), tc.abi.Compat(), tc.abi.SymbolPrefix(), tc.arch, tc.compat, tc.prefix)
		}
		native, compat := tc.arch.NativeABI(), tc.arch.CompatABI()
		if (tc.compat && compat != tc.abi) || (!tc.compat && native != tc.abi) {
			t.Errorf("%s: arch %s has native %s, compat %s", tc.abi, tc.arch, native, compat)
		}
	}
	if _, err := ParseABI("x86_64"); !errors.Is(err, ErrUnknownArch) {
		t.Errorf("ParseABI(x86_64) = %v, want ErrUnknownArch", err)
	}
	if Arch("mips").NativeABI() != "" || Arch("mips").Valid() {
		t.Error("an unknown arch has a native ABI or is valid")
	}
}
