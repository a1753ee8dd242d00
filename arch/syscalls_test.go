package arch

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestTablesHaveKnownEntries checks numbers every Linux table has had for
// years (syscall_64.tbl, syscall_32.tbl, asm-generic/unistd.h).
func TestTablesHaveKnownEntries(t *testing.T) {
	for _, tc := range []struct {
		abi  ABI
		name string
		nr   int
	}{
		{ABIX64, "read", 0}, {ABIX64, "write", 1}, {ABIX64, "stat", 4}, {ABIX64, "dup", 32},
		{ABIX64, "dup2", 33}, {ABIX64, "execve", 59}, {ABIX64, "openat", 257},
		{ABIX64, "newfstatat", 262}, {ABIX64, "_sysctl", 156}, {ABIX64, "clone3", 435},
		{ABII386, "write", 4}, {ABII386, "dup", 41}, {ABII386, "dup2", 63},
		{ABII386, "_llseek", 140}, {ABII386, "_newselect", 142}, {ABII386, "_sysctl", 149},
		{ABII386, "openat", 295}, {ABII386, "fstatat64", 300}, {ABII386, "execve", 11},
		{ABIARM64, "openat", 56}, {ABIARM64, "write", 64}, {ABIARM64, "newfstatat", 79},
		{ABIARM64, "execve", 221}, {ABIARM64, "dup3", 24},
		{ABIARM32, "write", 4}, {ABIARM32, "openat", 322},
	} {
		a := tc.abi.Arch()
		nr, err := SyscallNumber(a, tc.abi, tc.name)
		if err != nil || nr != tc.nr {
			t.Errorf("SyscallNumber(%s, %s, %q) = %d, %v; want %d", a, tc.abi, tc.name, nr, err, tc.nr)
		}
		name, err := SyscallName(a, tc.abi, tc.nr)
		if err != nil || name != tc.name {
			t.Errorf("SyscallName(%s, %s, %d) = %q, %v; want %q", a, tc.abi, tc.nr, name, err, tc.name)
		}
	}
	// arm64 has only the *at and 3 variants.
	for _, name := range []string{"dup2", "open", "stat", "fork", "pipe"} {
		if _, err := SyscallNumber(ARM64, ABIARM64, name); !errors.Is(err, ErrUnknownSyscall) {
			t.Errorf("arm64 has %q: %v", name, err)
		}
		if IsSyscall(ARM64, "sys_"+name) {
			t.Errorf("IsSyscall(arm64, sys_%s) = true", name)
		}
	}
}

// TestTablesAreWellFormed checks the generated tables: sorted by number,
// numbers and names unique, names lower case.
func TestTablesAreWellFormed(t *testing.T) {
	for abi, tbl := range tables() {
		if len(tbl.rows) < 300 {
			t.Errorf("%s: only %d syscalls", abi, len(tbl.rows))
		}
		names := map[string]bool{}
		for i, r := range tbl.rows {
			if i > 0 && r.nr <= tbl.rows[i-1].nr {
				t.Errorf("%s: %d after %d", abi, r.nr, tbl.rows[i-1].nr)
			}
			if names[r.name] || r.name != strings.ToLower(r.name) || r.name == "" {
				t.Errorf("%s: bad or repeated name %q", abi, r.name)
			}
			names[r.name] = true
			if abi == ABIARM32 && r.entry != "" {
				t.Errorf("arm32 %s has entry point %q, but they are unknown", r.name, r.entry)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		arch  Arch
		ref   string
		want  Syscall
		error error
	}{
		// sys_ names: the native ABI, attached at the table's entry point.
		{arch: X86_64, ref: "sys_write", want: Syscall{ABIX64, 1, "write", "__x64_sys_write", true}},
		{arch: ARM64, ref: "sys_write", want: Syscall{ABIARM64, 64, "write", "__arm64_sys_write", true}},
		{arch: X86_64, ref: "sys_openat", want: Syscall{ABIX64, 257, "openat", "__x64_sys_openat", true}},
		{arch: X86_64, ref: "sys_dup2", want: Syscall{ABIX64, 33, "dup2", "__x64_sys_dup2", true}},
		{arch: X86_64, ref: "sys_stat", want: Syscall{ABIX64, 4, "stat", "__x64_sys_newstat", true}},
		{arch: X86_64, ref: "sys_umount2", want: Syscall{ABIX64, 166, "umount2", "__x64_sys_umount", true}},
		{arch: ARM64, ref: "sys_fstat", want: Syscall{ABIARM64, 80, "fstat", "__arm64_sys_newfstat", true}},
		{arch: ARM64, ref: "sys_newfstatat", want: Syscall{ABIARM64, 79, "newfstatat", "__arm64_sys_newfstatat", true}},
		// an entry point that is no syscall's name
		{arch: X86_64, ref: "sys_newstat", want: Syscall{ABIX64, 4, "stat", "__x64_sys_newstat", true}},
		{arch: X86_64, ref: "sys_umount", want: Syscall{ABIX64, 166, "umount2", "__x64_sys_umount", true}},
		// no entry point
		{arch: X86_64, ref: "sys_tuxcall", want: Syscall{ABIX64, 184, "tuxcall", "", false}},
		// prefixed names are kept as written
		{arch: X86_64, ref: "__x64_sys_write", want: Syscall{ABIX64, 1, "write", "__x64_sys_write", true}},
		{arch: X86_64, ref: "__x64_sys_stat", want: Syscall{ABIX64, 4, "stat", "__x64_sys_stat", false}},
		{arch: X86_64, ref: "__ia32_sys_dup", want: Syscall{ABII386, 41, "dup", "__ia32_sys_dup", true}},
		{arch: X86_64, ref: "__ia32_sys_openat", want: Syscall{ABII386, 295, "openat", "__ia32_sys_openat", false}},
		{arch: X86_64, ref: "__ia32_compat_sys_openat", want: Syscall{ABII386, 295, "openat", "__ia32_compat_sys_openat", true}},
		{arch: X86_64, ref: "__ia32_sys_llseek", want: Syscall{ABII386, 140, "_llseek", "__ia32_sys_llseek", true}},
		// numbers by name first, as Tetragon: __ia32_sys_stat is i386 stat
		// (106) although the function is oldstat's (18) entry point.
		{arch: X86_64, ref: "__ia32_sys_stat", want: Syscall{ABII386, 106, "stat", "__ia32_sys_stat", false}},
		{arch: ARM64, ref: "__arm64_sys_openat", want: Syscall{ABIARM64, 56, "openat", "__arm64_sys_openat", true}},
		{arch: ARM64, ref: "__arm64_compat_sys_openat", want: Syscall{ABIARM32, 322, "openat", "__arm64_compat_sys_openat", false}},
		// ABI-qualified list values
		{arch: X86_64, ref: "i386/sys_dup", want: Syscall{ABII386, 41, "dup", "__ia32_sys_dup", true}},
		{arch: X86_64, ref: "i386/sys_openat", want: Syscall{ABII386, 295, "openat", "__ia32_compat_sys_openat", true}},
		{arch: X86_64, ref: "i386/sys__llseek", want: Syscall{ABII386, 140, "_llseek", "__ia32_sys_llseek", true}},
		{arch: X86_64, ref: "i386/sys_llseek", want: Syscall{ABII386, 140, "_llseek", "__ia32_sys_llseek", true}},
		{arch: X86_64, ref: "x64/sys_dup", want: Syscall{ABIX64, 32, "dup", "__x64_sys_dup", true}},
		{arch: X86_64, ref: "i386/__ia32_sys_dup", want: Syscall{ABII386, 41, "dup", "__ia32_sys_dup", true}},
		{arch: ARM64, ref: "arm64/sys_dup", want: Syscall{ABIARM64, 23, "dup", "__arm64_sys_dup", true}},
		{arch: ARM64, ref: "arm32/sys_dup", want: Syscall{ABIARM32, 41, "dup", "", false}},
		// bare names: numbers only
		{arch: X86_64, ref: "write", want: Syscall{ABIX64, 1, "write", "__x64_sys_write", true}},
		{arch: X86_64, ref: "i386/_newselect", want: Syscall{ABII386, 142, "_newselect", "__ia32_compat_sys_select", true}},

		// errors
		{arch: ARM64, ref: "__ia32_sys_dup", error: ErrWrongArch},
		{arch: ARM64, ref: "__x64_sys_write", error: ErrWrongArch},
		{arch: X86_64, ref: "__arm64_sys_write", error: ErrWrongArch},
		{arch: X86_64, ref: "arm64/sys_dup", error: ErrWrongArch},
		{arch: X86_64, ref: "i386/__x64_sys_dup", error: ErrWrongArch},
		{arch: X86_64, ref: "x64/__ia32_sys_dup", error: ErrWrongArch},
		{arch: X86_64, ref: "sys_nosuchcall", error: ErrUnknownSyscall},
		{arch: X86_64, ref: "__x64_sys_opneat", error: ErrUnknownSyscall},
		{arch: X86_64, ref: "sys_llseek", error: ErrUnknownSyscall}, // i386 only
		{arch: ARM64, ref: "sys_dup2", error: ErrUnknownSyscall},
		{arch: X86_64, ref: "__se_sys_write", error: ErrNotSyscallFunction},
		{arch: X86_64, ref: "__do_sys_write", error: ErrNotSyscallFunction},
		{arch: X86_64, ref: "__x64_foo", error: ErrNotSyscallFunction},
		{arch: X86_64, ref: "__x64_sys_", error: ErrNotSyscallFunction},
		{arch: X86_64, ref: "i386/", error: ErrNotSyscallFunction},
		{arch: X86_64, ref: "x64/i386/sys_dup", error: ErrNotSyscallFunction},
		{arch: X86_64, ref: "x86/sys_dup", error: ErrUnknownArch},
		{arch: "mips", ref: "sys_write", error: ErrUnknownArch},
	} {
		got, err := Lookup(tc.arch, tc.ref)
		if tc.error != nil {
			if !errors.Is(err, tc.error) {
				t.Errorf("Lookup(%s, %q) = %+v, %v; want error %v", tc.arch, tc.ref, got, err, tc.error)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Lookup(%s, %q) = %+v, %v;\nwant %+v", tc.arch, tc.ref, got, err, tc.want)
		}
	}
}

func TestSyscallSymbol(t *testing.T) {
	for _, tc := range []struct {
		arch  Arch
		name  string
		sym   string
		abi   ABI
		error error
	}{
		{arch: X86_64, name: "sys_write", sym: "__x64_sys_write", abi: ABIX64},
		{arch: ARM64, name: "sys_write", sym: "__arm64_sys_write", abi: ABIARM64},
		{arch: X86_64, name: "__ia32_sys_dup", sym: "__ia32_sys_dup", abi: ABII386},
		{arch: X86_64, name: "__x64_sys_pivot_root", sym: "__x64_sys_pivot_root", abi: ABIX64},
		{arch: X86_64, name: "i386/sys_execve", sym: "__ia32_compat_sys_execve", abi: ABII386},
		{arch: X86_64, name: "write", error: ErrNotSyscallFunction},
		{arch: ARM64, name: "__ia32_sys_dup", error: ErrWrongArch},
		{arch: X86_64, name: "sys__sysctl", error: ErrNoEntryPoint},
		{arch: ARM64, name: "arm32/sys_dup", error: ErrNoEntryPoint},
		{arch: X86_64, name: "sys_nosuchcall", error: ErrUnknownSyscall},
	} {
		sym, abi, err := SyscallSymbol(tc.arch, tc.name)
		if tc.error != nil {
			if !errors.Is(err, tc.error) {
				t.Errorf("SyscallSymbol(%s, %q) = %q, %s, %v; want error %v", tc.arch, tc.name, sym, abi, err, tc.error)
			}
			continue
		}
		if err != nil || sym != tc.sym || abi != tc.abi {
			t.Errorf("SyscallSymbol(%s, %q) = %q, %s, %v; want %q, %s", tc.arch, tc.name, sym, abi, err, tc.sym, tc.abi)
		}
	}
	// The message names the arch and the fix.
	_, _, err := SyscallSymbol(ARM64, "__ia32_sys_dup")
	if err == nil || !strings.Contains(err.Error(), "i386") || !strings.Contains(err.Error(), "arm64") {
		t.Errorf("unclear error: %v", err)
	}
	_, _, err = SyscallSymbol(X86_64, "write")
	if err == nil || !strings.Contains(err.Error(), `"sys_write"`) {
		t.Errorf("error does not suggest sys_write: %v", err)
	}
}

func TestIsSyscall(t *testing.T) {
	yes := []struct {
		a    Arch
		name string
	}{
		{X86_64, "sys_write"}, {X86_64, "__x64_sys_write"}, {X86_64, "__ia32_sys_dup"},
		{X86_64, "i386/sys_dup"}, {X86_64, "sys_tuxcall"}, {ARM64, "sys_openat"},
		{ARM64, "__arm64_sys_write"},
	}
	no := []struct {
		a    Arch
		name string
	}{
		{X86_64, "write"}, {X86_64, "fd_install"}, {X86_64, "security_file_open"},
		{ARM64, "__ia32_sys_dup"}, {ARM64, "sys_dup2"}, {X86_64, "__se_sys_write"}, {"mips", "sys_write"},
		// asm-generic's first arch-specific number, not a syscall.
		{ARM64, "sys_arch_specific_syscall"}, {ARM64, "__arm64_sys_arch_specific_syscall"},
	}
	for _, c := range yes {
		if !IsSyscall(c.a, c.name) {
			t.Errorf("IsSyscall(%s, %q) = false", c.a, c.name)
		}
	}
	for _, c := range no {
		if IsSyscall(c.a, c.name) {
			t.Errorf("IsSyscall(%s, %q) = true", c.a, c.name)
		}
	}
}

func TestSyscallNumberABI(t *testing.T) {
	if nr, err := SyscallNumber(X86_64, ABII386, "sys_dup"); err != nil || nr != 41 {
		t.Errorf("i386 sys_dup = %d, %v", nr, err)
	}
	if nr, err := SyscallNumber(X86_64, "", "__ia32_sys_dup"); err != nil || nr != 41 {
		t.Errorf("__ia32_sys_dup = %d, %v", nr, err)
	}
	if _, err := SyscallNumber(X86_64, ABIX64, "__ia32_sys_dup"); !errors.Is(err, ErrWrongArch) {
		t.Errorf("x64 __ia32_sys_dup: %v", err)
	}
	if _, err := SyscallNumber(X86_64, ABIX64, "i386/sys_dup"); !errors.Is(err, ErrWrongArch) {
		t.Errorf("x64 i386/sys_dup: %v", err)
	}
	if _, err := SyscallNumber(X86_64, ABIARM64, "sys_dup"); !errors.Is(err, ErrWrongArch) {
		t.Errorf("arm64 ABI on x86_64: %v", err)
	}
	if _, err := SyscallName(X86_64, ABIX64, 100000); !errors.Is(err, ErrUnknownSyscall) {
		t.Errorf("SyscallName(100000): %v", err)
	}
	if name, err := SyscallName(ARM64, "", 56); err != nil || name != "openat" {
		t.Errorf("SyscallName(arm64, 56) = %q, %v", name, err)
	}
}

// TestEveryRowRoundTrips resolves every table row in each form.
func TestEveryRowRoundTrips(t *testing.T) {
	for abi, tbl := range tables() {
		a := abi.Arch()
		for _, r := range tbl.rows {
			for _, ref := range []string{string(abi) + "/" + r.name, string(abi) + "/sys_" + r.name} {
				s, err := Lookup(a, ref)
				if err != nil || s.Nr != r.nr || s.Name != r.name || s.ABI != abi {
					t.Errorf("Lookup(%s, %q) = %+v, %v", a, ref, s, err)
				}
			}
			if r.entry == "" {
				continue
			}
			sym := abi.SymbolPrefix() + r.entry
			s, err := Lookup(a, sym)
			if err != nil || s.ABI != abi || s.Symbol != sym {
				t.Errorf("Lookup(%s, %q) = %+v, %v", a, sym, s, err)
			}
		}
	}
}

func TestSyscallLists(t *testing.T) {
	for _, a := range []Arch{X86_64, ARM64} {
		names, syms := Syscalls(a), SyscallSymbols(a)
		if len(names) < 300 || len(names) != len(syms) {
			t.Fatalf("%s: %d names, %d symbols", a, len(names), len(syms))
		}
		if !slices.IsSorted(names) || !slices.IsSorted(syms) {
			t.Errorf("%s: lists not sorted", a)
		}
		got := make([]string, 0, len(names))
		for _, n := range names {
			sym, abi, err := SyscallSymbol(a, n)
			if err != nil || abi != a.NativeABI() {
				t.Fatalf("%s: %s: %s, %v", a, n, abi, err)
			}
			got = append(got, sym)
		}
		slices.Sort(got)
		if !slices.Equal(got, syms) {
			t.Errorf("%s: symbols of Syscalls() differ from SyscallSymbols()", a)
		}
	}
	x := Syscalls(X86_64)
	for _, want := range []string{"sys_write", "sys_openat", "sys_stat", "sys_execve"} {
		if !slices.Contains(x, want) {
			t.Errorf("Syscalls(x86_64) lacks %s", want)
		}
	}
	for _, unwanted := range []string{"sys_tuxcall", "sys__sysctl", "sys_security"} {
		if slices.Contains(x, unwanted) {
			t.Errorf("Syscalls(x86_64) has %s, which has no entry point", unwanted)
		}
	}
	if slices.Contains(SyscallSymbols(X86_64), "__x64_sys_stat") || !slices.Contains(SyscallSymbols(X86_64), "__x64_sys_newstat") {
		t.Error("SyscallSymbols(x86_64) should hold __x64_sys_newstat, not __x64_sys_stat")
	}
	if Syscalls("mips") != nil {
		t.Error("Syscalls(mips) != nil")
	}
}

// TestCorpusNames resolves the syscall names of shared/corpus policies.
func TestCorpusNames(t *testing.T) {
	for _, name := range []string{
		"sys_dup", "sys_dup2", "sys_dup3", "sys_symlinkat", "sys_setuid", "sys_linkat",
		"__x64_sys_pivot_root", "__x64_sys_clock_settime", "sys_write", "sys_setreuid",
		"sys_setresuid", "sys_setresgid", "sys_setregid", "sys_setgid", "sys_setfsuid",
		"sys_setfsgid", "sys_ptrace", "sys_pivot_root", "sys_openat", "sys_mount",
		"sys_clock_settime", "__ia32_sys_dup",
	} {
		if _, _, err := SyscallSymbol(X86_64, name); err != nil {
			t.Errorf("x86_64: %v", err)
		}
	}
}

// TestArm64HasNoArchSpecificRow: arm64's number 244 is asm-generic's
// __NR_arch_specific_syscall, where arch-specific syscalls would start;
// arm64 defines none, so its table has no row there.
func TestArm64HasNoArchSpecificRow(t *testing.T) {
	if name, err := SyscallName(ARM64, ABIARM64, 244); err == nil {
		t.Errorf("SyscallName(arm64, 244) = %q, want an error", name)
	}
	if nr, err := SyscallNumber(ARM64, ABIARM64, "arch_specific_syscall"); err == nil {
		t.Errorf("SyscallNumber(arm64, arch_specific_syscall) = %d, want an error", nr)
	}
}
