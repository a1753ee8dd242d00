package arch

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Errors of syscall resolution; they come wrapped with the name at fault.
var (
	// ErrUnknownSyscall: the name or number is in no syscall table of the
	// ABI.
	ErrUnknownSyscall = errors.New("unknown syscall")
	// ErrWrongArch: the name carries the prefix or ABI of another
	// architecture (__ia32_sys_dup on arm64, "arm64/sys_dup" on x86_64),
	// or names an ABI that contradicts its prefix ("i386/__x64_sys_dup").
	ErrWrongArch = errors.New("syscall of another architecture")
	// ErrNoEntryPoint: the syscall exists but no kernel function runs for it
	// (the kernel does not implement it), or polc does not know which one
	// (the arm32 compat ABI), so there is nothing to attach a kprobe to.
	ErrNoEntryPoint = errors.New("syscall has no known kernel function")
	// ErrNotSyscallFunction: the name is not of a form that names a syscall
	// function: a bare "write" where "sys_write" is needed, a wrapper's
	// internal helper (__se_sys_write, __do_sys_write), or a prefixed name
	// that is not a syscall function (__x64_foo).
	ErrNotSyscallFunction = errors.New("not a syscall function name")
)

// Syscall is a syscall reference resolved against a syscall table.
type Syscall struct {
	ABI  ABI
	Nr   int    // number in ABI's table (without any syscall64 marker)
	Name string // the table's name: "openat", "_llseek", "newfstatat"
	// Symbol is the kernel function a kprobe attaches to: the name itself
	// when it carried an ABI prefix, else the ABI prefix plus the table's
	// entry point. It is "" when the syscall has no known entry point.
	Symbol string
	// EntryPoint reports whether Symbol is the function the kernel's
	// syscall table calls for Nr. It is false for a prefixed name that
	// exists in the kernel but is not what the table calls: __x64_sys_stat
	// (the table calls __x64_sys_newstat for stat), __ia32_sys_openat (the
	// table calls __ia32_compat_sys_openat). A kprobe there sees no call of
	// that syscall; lint should say so.
	EntryPoint bool
}

// syscallEntry is one row of a generated table (zsyscalls.go).
type syscallEntry struct {
	nr    int
	name  string
	entry string // kernel function without ABI prefix; "" if none or unknown
}

// table indexes one ABI's rows.
type table struct {
	rows         []syscallEntry
	byName       map[string]int // row index
	byEntry      map[string]int
	byNr         map[int]int
	entriesKnown bool // false for arm32: entry "" means unknown, not absent
}

var tables = sync.OnceValue(func() map[ABI]*table {
	return map[ABI]*table{
		ABIX64:   newTable(x64Syscalls, true),
		ABII386:  newTable(i386Syscalls, true),
		ABIARM64: newTable(arm64Syscalls, true),
		ABIARM32: newTable(arm32Syscalls, false),
	}
})

func newTable(rows []syscallEntry, entriesKnown bool) *table {
	t := &table{
		rows:         rows,
		byName:       make(map[string]int, len(rows)),
		byEntry:      make(map[string]int, len(rows)),
		byNr:         make(map[int]int, len(rows)),
		entriesKnown: entriesKnown,
	}
	for i, r := range rows {
		t.byName[r.name] = i
		t.byNr[r.nr] = i
		if r.entry != "" {
			if _, dup := t.byEntry[r.entry]; !dup { // keep the lowest number
				t.byEntry[r.entry] = i
			}
		}
	}
	return t
}

// refForm is how a syscall reference was written.
type refForm int

const (
	formBare   refForm = iota // "write"
	formSys                   // "sys_write"
	formSymbol                // "__x64_sys_write", "__ia32_compat_sys_openat"
)

// symbolPrefixes maps each ABI prefix to its ABI. __arm64_compat_sys_ is
// told apart from __arm64_sys_ in parseRef.
var symbolPrefixes = []struct {
	prefix string
	abi    ABI
}{
	{"__x64_", ABIX64},
	{"__ia32_", ABII386},
	{"__arm64_", ABIARM64},
}

// wrapperHelpers are the static functions SYSCALL_DEFINE builds around a
// syscall body; they are not the wrapper the syscall table calls and are
// usually inlined away.
var wrapperHelpers = []string{"__se_sys_", "__do_sys_", "__se_compat_sys_", "__do_compat_sys_"}

// parsedRef is a syscall reference split into its parts.
type parsedRef struct {
	abi    ABI
	form   refForm
	fn     string // function name without ABI prefix: "sys_x", "compat_sys_x"; "" for bare
	name   string // candidate table name: fn without "sys_"/"compat_sys_", or the bare name
	symbol string // formSymbol: the name as written, without "ABI/"
}

// parseRef splits ref, optionally qualified as "ABI/name" (Tetragon's list
// syntax), for arch a. want, when not "", is the ABI the caller expects.
func parseRef(a Arch, ref string, want ABI) (parsedRef, error) {
	if err := a.check(); err != nil {
		return parsedRef{}, err
	}
	p := parsedRef{abi: want}
	name := ref
	if q, rest, ok := strings.Cut(ref, "/"); ok {
		abi, err := ParseABI(q)
		if err != nil {
			return parsedRef{}, fmt.Errorf("syscall %q: %w", ref, err)
		}
		if want != "" && abi != want {
			return parsedRef{}, fmt.Errorf("%w: %q is of ABI %s, want %s", ErrWrongArch, ref, abi, want)
		}
		p.abi, name = abi, rest
	}
	if p.abi != "" {
		if err := p.abi.checkFor(a); err != nil {
			return parsedRef{}, fmt.Errorf("syscall %q: %w", ref, err)
		}
	}
	if name == "" || strings.Contains(name, "/") {
		return parsedRef{}, fmt.Errorf("%w: %q", ErrNotSyscallFunction, ref)
	}
	for _, h := range wrapperHelpers {
		if rest, ok := strings.CutPrefix(name, h); ok {
			return parsedRef{}, fmt.Errorf("%w: %q is an internal helper of the syscall wrapper, not the function the syscall table calls; write \"sys_%s\"",
				ErrNotSyscallFunction, ref, rest)
		}
	}
	for _, sp := range symbolPrefixes {
		fn, ok := strings.CutPrefix(name, sp.prefix)
		if !ok {
			continue
		}
		abi := sp.abi
		if abi == ABIARM64 && strings.HasPrefix(fn, "compat_sys_") {
			abi = ABIARM32
		}
		if abi.Arch() != a {
			return parsedRef{}, fmt.Errorf("%w: %q is a syscall of the %s ABI, which %s kernels do not have",
				ErrWrongArch, ref, abi, a)
		}
		if p.abi != "" && p.abi != abi {
			return parsedRef{}, fmt.Errorf("%w: %q: prefix %s is of ABI %s, not %s", ErrWrongArch, ref, sp.prefix, abi, p.abi)
		}
		short, ok := strings.CutPrefix(fn, "sys_")
		if !ok {
			short, ok = strings.CutPrefix(fn, "compat_sys_")
		}
		if !ok || short == "" {
			return parsedRef{}, fmt.Errorf("%w: %q (want %ssys_NAME)", ErrNotSyscallFunction, ref, sp.prefix)
		}
		p.abi, p.form, p.fn, p.name, p.symbol = abi, formSymbol, fn, short, name
		return p, nil
	}
	if p.abi == "" {
		p.abi = a.NativeABI()
	}
	if short, ok := strings.CutPrefix(name, "sys_"); ok && short != "" {
		p.form, p.fn, p.name = formSys, name, short
		return p, nil
	}
	p.form, p.name = formBare, name
	return p, nil
}

// resolve looks p up in its ABI's table.
//
// Numbers follow Tetragon: the table name first (sys_X and __ABI_sys_X
// stand for syscall X), so "__ia32_sys_stat" is i386 stat (106) as in
// Tetragon, although that function is the entry point of oldstat (18).
// Only a name that is no syscall's name is looked up as an entry point
// (sys_newstat, __ia32_compat_sys_openat), which Tetragon rejects.
func resolve(p parsedRef, ref string) (Syscall, error) {
	t := tables()[p.abi]
	i, ok := t.byName[p.name]
	if !ok && p.form != formBare {
		i, ok = t.byEntry[p.fn]
	}
	if !ok {
		return Syscall{}, fmt.Errorf("%w %q for ABI %s", ErrUnknownSyscall, ref, p.abi)
	}
	row := t.rows[i]
	s := Syscall{ABI: p.abi, Nr: row.nr, Name: row.name}
	switch {
	case p.form == formSymbol:
		s.Symbol = p.symbol
		s.EntryPoint = t.entriesKnown && row.entry == p.fn
	case row.entry != "":
		s.Symbol = p.abi.SymbolPrefix() + row.entry
		s.EntryPoint = true
	}
	return s, nil
}

// Lookup resolves a syscall reference as policies write it, for arch a:
//
//   - "sys_NAME": syscall NAME of a's 64-bit ABI, attached at the function
//     the kernel's table calls for it ("sys_write" → __x64_sys_write;
//     "sys_stat" → __x64_sys_newstat, where Tetragon would attach to
//     __x64_sys_stat, which 64-bit stat never calls);
//   - "__x64_sys_NAME", "__ia32_sys_NAME", "__ia32_compat_sys_NAME",
//     "__arm64_sys_NAME": the function itself, kept as written, of the ABI
//     the prefix names; __ia32_ names exist only on x86_64 (the i386
//     compat ABI) and are an ErrWrongArch error on arm64;
//   - "ABI/NAME" (Tetragon's "i386/sys_dup"): NAME in that ABI;
//   - a bare "NAME": the syscall of that name, for numbers only (Tetragon
//     accepts "write" in syscall64 lists but not as a function).
//
// NAME is the kernel table's name ("_llseek", "newfstatat"); a "sys_"
// name that is no syscall's name is tried as an entry point
// ("sys_newstat" is stat, 4, on x86_64).
func Lookup(a Arch, ref string) (Syscall, error) {
	p, err := parseRef(a, ref, "")
	if err != nil {
		return Syscall{}, err
	}
	return resolve(p, ref)
}

// SyscallSymbol returns the kernel function a kprobe on syscall name
// attaches to, and the ABI of the calls it sees. See Lookup for the forms
// of name; a bare name without "sys_" is an ErrNotSyscallFunction error
// (Tetragon would prefix it into a function that does not exist), and a
// syscall without a known entry point is ErrNoEntryPoint.
func SyscallSymbol(a Arch, name string) (sym string, abi ABI, err error) {
	p, err := parseRef(a, name, "")
	if err != nil {
		return "", "", err
	}
	if p.form == formBare {
		return "", "", fmt.Errorf("%w: %q needs the \"sys_\" prefix: \"sys_%s\"", ErrNotSyscallFunction, name, p.name)
	}
	s, err := resolve(p, name)
	if err != nil {
		return "", "", err
	}
	if s.Symbol == "" {
		if !tables()[s.ABI].entriesKnown {
			return "", "", fmt.Errorf("%w: %q: polc does not know the kernel functions of the %s ABI; trace raw_syscalls and match syscall64 values instead",
				ErrNoEntryPoint, name, s.ABI)
		}
		return "", "", fmt.Errorf("%w: %q (%s %d): the kernel does not implement it on %s",
			ErrNoEntryPoint, name, s.ABI, s.Nr, a)
	}
	return s.Symbol, s.ABI, nil
}

// IsSyscall reports whether name names a syscall of arch a in one of the
// function forms ("sys_write", "__x64_sys_write", "i386/sys_dup"), whether
// or not the kernel implements it. A bare "write" is not a syscall
// function name.
func IsSyscall(a Arch, name string) bool {
	p, err := parseRef(a, name, "")
	if err != nil || p.form == formBare {
		return false
	}
	_, err = resolve(p, name)
	return err == nil
}

// SyscallNumber returns the number of syscall name in ABI abi of arch a.
// name takes every form Lookup does, bare names included; abi "" means the
// ABI name implies (its prefix or "ABI/" qualifier, else a's native ABI).
// A name whose prefix or qualifier names another ABI than abi is an
// ErrWrongArch error.
func SyscallNumber(a Arch, abi ABI, name string) (int, error) {
	p, err := parseRef(a, name, abi)
	if err != nil {
		return 0, err
	}
	s, err := resolve(p, name)
	if err != nil {
		return 0, err
	}
	return s.Nr, nil
}

// SyscallName returns the table name of syscall nr in ABI abi of arch a
// (abi "" is a's native ABI).
func SyscallName(a Arch, abi ABI, nr int) (string, error) {
	if abi == "" {
		abi = a.NativeABI()
	}
	if err := abi.checkFor(a); err != nil {
		return "", err
	}
	t := tables()[abi]
	i, ok := t.byNr[nr]
	if !ok {
		return "", fmt.Errorf("%w: number %d in ABI %s", ErrUnknownSyscall, nr, abi)
	}
	return t.rows[i].name, nil
}

// Syscalls returns "sys_NAME" for every syscall of a's 64-bit ABI that has
// an entry point, sorted: what a generated_syscalls list expands to before
// the loader drops the ones the running kernel lacks (Tetragon keeps those
// whose symbol is in the kernel's BTF). Each resolves with SyscallSymbol.
// It is nil for an invalid a.
func Syscalls(a Arch) []string {
	return nativeList(a, func(r syscallEntry) string { return "sys_" + r.name })
}

// SyscallSymbols returns the kernel function of every syscall of a's 64-bit
// ABI that has an entry point, sorted ("__x64_sys_accept", …).
func SyscallSymbols(a Arch) []string {
	prefix := a.NativeABI().SymbolPrefix()
	return nativeList(a, func(r syscallEntry) string { return prefix + r.entry })
}

func nativeList(a Arch, f func(syscallEntry) string) []string {
	if !a.Valid() {
		return nil
	}
	var out []string
	for _, r := range tables()[a.NativeABI()].rows {
		if r.entry != "" {
			out = append(out, f(r))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
