package main

import (
	"errors"
	"flag"
	"fmt"

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
		return fmt.Errorf("given twice (%q and %q): polc checks against one kernel at a time; run it once per kernel", string(*o), s)
	}
	*o = onceFlag(s)
	return nil
}

// kernelTarget is what the target flags resolve to.
type kernelTarget struct {
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
