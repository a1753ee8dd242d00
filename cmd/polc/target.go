package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/target"
)

// targetFlags describe the kernel policies are checked and built for. Every
// command that checks policies takes them.
type targetFlags struct {
	arch    *string
	btf     *string
	profile *string
	sysroot *string
	// profiles and btfs are --target and --target-btf of the commands
	// that check against several kernels (addMultiTargetFlags).
	profiles, btfs *[]string
}

// addMultiTargetFlags is addTargetFlags for validate and lint, which check
// against every kernel given with --target or --target-btf, each as often
// as wanted.
func addMultiTargetFlags(fs *flag.FlagSet) *targetFlags {
	f := &targetFlags{arch: new(string), btf: new(string), profile: new(string), sysroot: new(string),
		profiles: new([]string), btfs: new([]string)}
	fs.Var((*onceFlag)(f.arch), "target-arch", "target architecture: x86_64 or arm64 (default: the --target's, else x86_64)")
	fs.Var((*repeatFlag)(f.btfs), "target-btf", "check against this kernel BTF (a raw BTF file such as /sys/kernel/btf/vmlinux, or a vmlinux ELF); repeatable")
	fs.Var((*repeatFlag)(f.profiles), "target", "check against this target profile (written by polrun profile -o FILE); repeatable: every kernel is checked, and a finding that holds on some only names them")
	fs.Var((*onceFlag)(f.sysroot), "sysroot", "directory holding the target's files, for checking uprobe symbols")
	return f
}

// repeatFlag is a flag given any number of times.
type repeatFlag []string

func (r *repeatFlag) String() string { return strings.Join(*r, " ") }
func (r *repeatFlag) Set(s string) error {
	*r = append(*r, s)
	return nil
}

// resolveAll resolves the kernels of addMultiTargetFlags: one kernelTarget
// per --target and --target-btf, in that order, or the default one.
func (f *targetFlags) resolveAll() ([]kernelTarget, error) {
	if f.profiles == nil {
		kt, err := f.resolve()
		return []kernelTarget{kt}, err
	}
	if len(*f.profiles)+len(*f.btfs) == 0 {
		kt, err := f.resolve()
		return []kernelTarget{kt}, err
	}
	var out []kernelTarget
	names := map[string]bool{}
	for i, path := range append(append([]string{}, *f.profiles...), *f.btfs...) {
		one := &targetFlags{arch: f.arch, btf: new(string), profile: new(string), sysroot: f.sysroot}
		if i < len(*f.profiles) {
			*one.profile = path
		} else {
			*one.btf = path
		}
		if names[path] {
			return nil, fmt.Errorf("kernel %s given twice", path)
		}
		names[path] = true
		kt, err := one.resolve()
		if err != nil {
			return nil, err
		}
		kt.name = path
		if kt.profile.Release != "" {
			kt.name += " (" + kt.profile.Release + ")"
		}
		out = append(out, kt)
	}
	return out, nil
}

func addTargetFlags(fs *flag.FlagSet) *targetFlags {
	f := &targetFlags{arch: new(string), btf: new(string), profile: new(string), sysroot: new(string)}
	fs.Var((*onceFlag)(f.arch), "target-arch", "target architecture: x86_64 or arm64 (default: the --target's, else x86_64)")
	fs.Var((*onceFlag)(f.btf), "target-btf", "check against this kernel BTF (a raw BTF file such as /sys/kernel/btf/vmlinux, or a vmlinux ELF)")
	fs.Var((*onceFlag)(f.profile), "target", "check and build against this target profile (written by polrun profile -o FILE)")
	fs.Var((*onceFlag)(f.sysroot), "sysroot", "directory holding the target's files, for checking uprobe symbols")
	return f
}

// onceFlag is a string flag given at most once: a second --target would
// otherwise replace the first without a word, and the policies would be
// checked against one kernel where the user named two.
type onceFlag string

func (o *onceFlag) String() string { return string(*o) }
func (o *onceFlag) Set(s string) error {
	if *o != "" {
		return fmt.Errorf("given twice (%q and %q): this command builds for one kernel; polc validate and lint check against several", string(*o), s)
	}
	*o = onceFlag(s)
	return nil
}

// kernelTarget is what the target flags resolve to.
type kernelTarget struct {
	name    string // for findings that hold on some kernels only
	arch    arch.Arch
	profile *target.Profile // nil without --target or --target-btf
	sysroot string
}

// resolve reads the profile or BTF the flags name. The errors are usage
// errors.
func (f *targetFlags) resolve() (kernelTarget, error) {
	kt := kernelTarget{sysroot: *f.sysroot}
	if *f.arch != "" {
		a, err := arch.Parse(*f.arch)
		if err != nil {
			return kt, err
		}
		kt.arch = a
	}
	switch {
	case *f.profile != "" && *f.btf != "":
		return kt, errors.New("give --target or --target-btf, not both")
	case *f.profile != "":
		p, err := target.ReadFile(*f.profile)
		if err != nil {
			return kt, err
		}
		if kt.arch != "" && kt.arch != p.Arch {
			return kt, fmt.Errorf("--target-arch %s, but the profile %s is of a %s kernel", kt.arch, *f.profile, p.Arch)
		}
		kt.arch, kt.profile = p.Arch, p
	case *f.btf != "":
		raw, err := target.ReadBTF(*f.btf)
		if err != nil {
			return kt, err
		}
		p, err := target.FromBTF(raw, kt.arch)
		if err != nil {
			return kt, fmt.Errorf("%s: %w", *f.btf, err)
		}
		kt.arch, kt.profile = p.Arch, p
	}
	if kt.arch == "" {
		kt.arch = arch.X86_64
	}
	return kt, nil
}
