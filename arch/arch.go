package arch

import (
	"errors"
	"fmt"
	"runtime"
)

// Arch is a target architecture of a bundle. Its string form is the name the
// manifest records and `polc build --arch` accepts.
type Arch string

// The architectures polc generates code for.
const (
	X86_64 Arch = "x86_64"
	ARM64  Arch = "arm64"
)

// ErrUnknownArch is returned for an architecture (or ABI) polc does not
// target.
var ErrUnknownArch = errors.New("unknown architecture")

// Parse accepts the kernel's and Go's spellings: x86_64 or amd64, arm64 or
// aarch64.
func Parse(s string) (Arch, error) {
	switch s {
	case "x86_64", "amd64":
		return X86_64, nil
	case "arm64", "aarch64":
		return ARM64, nil
	}
	return "", fmt.Errorf("%w %q (want x86_64 or arm64)", ErrUnknownArch, s)
}

// Host returns the architecture this program runs on, or "" when polc does
// not target it (see Arch.Valid).
func Host() Arch {
	a, err := Parse(runtime.GOARCH)
	if err != nil {
		return ""
	}
	return a
}

// Valid reports whether a is one of the architectures above.
func (a Arch) Valid() bool { return a == X86_64 || a == ARM64 }

func (a Arch) String() string { return string(a) }

// check returns ErrUnknownArch for an invalid a.
func (a Arch) check() error {
	if !a.Valid() {
		return fmt.Errorf("%w %q", ErrUnknownArch, string(a))
	}
	return nil
}

// NativeABI is the 64-bit syscall ABI of a: x64 or arm64.
func (a Arch) NativeABI() ABI {
	switch a {
	case X86_64:
		return ABIX64
	case ARM64:
		return ABIARM64
	}
	return ""
}

// CompatABI is the 32-bit syscall ABI a 64-bit kernel of arch a also serves
// (CONFIG_IA32_EMULATION, CONFIG_COMPAT): i386 or arm32.
func (a Arch) CompatABI() ABI {
	switch a {
	case X86_64:
		return ABII386
	case ARM64:
		return ABIARM32
	}
	return ""
}

// ABI is a syscall ABI: which syscall table a call goes through. Its string
// form is Tetragon's ("x64", "i386", "arm64", "arm32"), used as the prefix
// of ABI-qualified syscall list values ("i386/sys_dup") and as the "abi" of
// a syscall64 value in events.
type ABI string

// The ABIs. i386 is the ia32 compat ABI of x86_64 kernels (int $0x80,
// sysenter, 32-bit syscall); arm32 is the AArch32 compat ABI of arm64
// kernels.
const (
	ABIX64   ABI = "x64"
	ABII386  ABI = "i386"
	ABIARM64 ABI = "arm64"
	ABIARM32 ABI = "arm32"
)

// ParseABI accepts the four ABI names.
func ParseABI(s string) (ABI, error) {
	switch b := ABI(s); b {
	case ABIX64, ABII386, ABIARM64, ABIARM32:
		return b, nil
	}
	return "", fmt.Errorf("%w: ABI %q (want x64, i386, arm64 or arm32)", ErrUnknownArch, s)
}

func (b ABI) String() string { return string(b) }

// Arch is the 64-bit architecture whose kernel serves b.
func (b ABI) Arch() Arch {
	switch b {
	case ABIX64, ABII386:
		return X86_64
	case ABIARM64, ABIARM32:
		return ARM64
	}
	return ""
}

// Compat reports whether b is a 32-bit compat ABI (i386, arm32).
func (b ABI) Compat() bool { return b == ABII386 || b == ABIARM32 }

// SymbolPrefix is what the kernel puts before an entry point to name the
// function a syscall of ABI b enters through (__x64_sys_write,
// __ia32_compat_sys_openat, __arm64_sys_write). It is "" for arm32, whose
// entry points polc does not know.
func (b ABI) SymbolPrefix() string {
	switch b {
	case ABIX64:
		return "__x64_"
	case ABII386:
		return "__ia32_"
	case ABIARM64:
		return "__arm64_"
	}
	return ""
}

// checkFor returns an error unless b is an ABI of arch a.
func (b ABI) checkFor(a Arch) error {
	if err := a.check(); err != nil {
		return err
	}
	if b.Arch() != a {
		return fmt.Errorf("%w: ABI %q is not an ABI of %s (want %s or %s)",
			ErrWrongArch, string(b), a, a.NativeABI(), a.CompatABI())
	}
	return nil
}
