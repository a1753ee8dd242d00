package target

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/polc-dev/polc/arch"
)

// The profiles of our kernel matrix, committed under testdata/targets
// (make profiles): Debian's 6.1 and 6.12 captured in the vmtest guests, and
// the 6.18 of our CI hosts.
var kernels = []string{"debian-6.1", "debian-6.12", "host-6.18"}

var profiles sync.Map // name → *Profile

func profile(t *testing.T, name string) *Profile {
	t.Helper()
	if p, ok := profiles.Load(name); ok {
		return p.(*Profile)
	}
	p, err := ReadFile(filepath.Join("..", "testdata", "targets", name+".tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	profiles.Store(name, p)
	return p
}

// TestKernelProfiles: what every kernel of the matrix has, and what the
// profiles of each say about it.
func TestKernelProfiles(t *testing.T) {
	for _, k := range kernels {
		t.Run(k, func(t *testing.T) {
			p := profile(t, k)
			if p.Arch != arch.X86_64 || !strings.HasPrefix(p.Release, strings.TrimPrefix(strings.TrimPrefix(k, "debian-"), "host-")+".") {
				t.Errorf("profile of %s is %s", k, p)
			}
			proto, err := p.FuncProto("fd_install")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := proto.String(), "fd_install(unsigned int fd, struct file *file)"; got != want {
				t.Errorf("fd_install: %s, want %s", got, want)
			}
			file := proto.Params[1].Type
			if file.Kind != KindPointer || file.Elem == nil || file.Elem.Kind != KindStruct || file.Elem.Name != "file" {
				t.Errorf("fd_install's file: %+v", file)
			}
			if fd := proto.Params[0].Type; fd.Kind != KindInt || fd.Size != 4 || fd.Signed {
				t.Errorf("fd_install's fd: %+v", fd)
			}

			// Syscalls: the prototype comes from __do_sys_ or the
			// tracepoint, and names the syscall, not its wrapper.
			openat, err := p.SyscallProto("__x64_sys_openat")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := openat.String(), "openat(int dfd, const char *filename, int flags, umode_t mode)"; got != want {
				t.Errorf("openat: %s, want %s", got, want)
			}
			if mode := openat.Params[3].Type; mode.Kind != KindInt || mode.Size != 2 || mode.Signed {
				t.Errorf("openat's umode_t mode resolves to %+v", mode)
			}
			getpid, err := p.SyscallProto("__x64_sys_getpid")
			if err != nil || getpid.String() != "getpid(void)" {
				t.Errorf("getpid: %v, %v", getpid, err)
			}
			if _, err := p.SyscallProto("fd_install"); err == nil {
				t.Error("SyscallProto of a plain function")
			}

			for name, want := range map[string]Answer{
				"fd_install": Yes, "__x64_sys_openat": Yes, "__x64_sys_getpid": Yes, "__ia32_sys_getpid": Yes,
				"security_file_open": Yes, "fd_install_nope": No, "sys_openat": No,
			} {
				if got := p.HasFunction(name); got != want {
					t.Errorf("HasFunction(%s) = %v, want %v", name, got, want)
				}
			}
			if p.HasLSMHook("file_open") != Yes || p.HasLSMHook("file_opn") != No {
				t.Error("LSM hook file_open is wrong")
			}
			if _, err := p.Event("sched", "sched_process_exec"); err != nil {
				t.Error(err)
			}
			if _, err := p.Event("sched", "sched_process_exe"); !errors.Is(err, ErrNotFound) {
				t.Errorf("sched_process_exe: %v", err)
			}
			names := p.FunctionNames()
			if !slices.IsSorted(names) || !slices.Contains(names, "fd_install") {
				t.Errorf("FunctionNames: %d names, sorted %v", len(names), slices.IsSorted(names))
			}
		})
	}
}

// TestSyscallsDiffer: mseal came in 6.10, so 6.1 lacks it and the others
// have it, both by kallsyms and by BTF alone.
func TestSyscallsDiffer(t *testing.T) {
	for k, want := range map[string]Answer{"debian-6.1": No, "debian-6.12": Yes, "host-6.18": Yes} {
		p := profile(t, k)
		if got := p.HasFunction("__x64_sys_mseal"); got != want {
			t.Errorf("%s: HasFunction(__x64_sys_mseal) = %v, want %v", k, got, want)
		}
		b, err := FromBTF(p.BTF, "")
		if err != nil {
			t.Fatal(err)
		}
		if b.Arch != arch.X86_64 {
			t.Errorf("%s: BTF says arch %s", k, b.Arch)
		}
		if got := b.HasFunction("__x64_sys_mseal"); got != want {
			t.Errorf("%s, BTF only: HasFunction(__x64_sys_mseal) = %v, want %v", k, got, want)
		}
	}
}

// TestBTFOnly: a profile of BTF alone still knows functions (the wrappers
// of syscalls without arguments through their bodies) and prototypes, and
// nothing else.
func TestBTFOnly(t *testing.T) {
	for _, k := range kernels {
		p, err := FromBTF(profile(t, k).BTF, arch.X86_64)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]Answer{"__x64_sys_getpid": Yes, "__x64_sys_sync": Yes, "fd_install": Yes, "no_such_fn": No} {
			if got := p.HasFunction(name); got != want {
				t.Errorf("%s: HasFunction(%s) = %v, want %v", k, name, got, want)
			}
		}
		if _, err := p.FuncProto("fd_install"); err != nil {
			t.Error(err)
		}
		if _, err := p.Event("sched", "sched_process_exec"); !errors.Is(err, ErrUnknown) {
			t.Errorf("%s: Event without formats: %v", k, err)
		}
		if _, ok := p.Feature("kprobe"); ok {
			t.Errorf("%s: a BTF-only profile knows features", k)
		}
	}
}

// TestSyscallSourcesAgree: where a kernel gives a syscall's prototype both
// in its BTF (__do_sys_NAME) and in its tracepoint format, the two agree on
// every parameter's name, kind, width and sign: the format's C spellings
// are resolved right.
func TestSyscallSourcesAgree(t *testing.T) {
	for _, k := range kernels {
		p := profile(t, k)
		spec, err := p.Spec()
		if err != nil {
			t.Fatal(err)
		}
		compared := 0
		for _, name := range p.EventNames("syscalls") {
			sys, ok := strings.CutPrefix(name, "syscalls/sys_enter_")
			if !ok {
				continue
			}
			fromBTF, err := p.FuncProto("__do_sys_" + sys)
			if err != nil || len(fromBTF.Params) == 1 && fromBTF.Params[0].Name == "__unused" {
				continue
			}
			ev, _ := p.Event("syscalls", "sys_enter_"+sys)
			var fromFormat []Param
			for _, f := range ev.Fields[5:] { // common x4, __syscall_nr
				fromFormat = append(fromFormat, Param{Name: f.Name, Type: ParseCType(f.Type, spec)})
			}
			if len(fromFormat) != len(fromBTF.Params) {
				t.Errorf("%s %s: BTF %s, format has %d parameters", k, sys, fromBTF, len(fromFormat))
				continue
			}
			for i, b := range fromBTF.Params {
				f := fromFormat[i]
				if b.Name != f.Name || b.Type.Kind != f.Type.Kind || b.Type.Size != f.Type.Size || b.Type.Signed != f.Type.Signed {
					t.Errorf("%s %s parameter %d: BTF %s %+v, format %s %+v", k, sys, i, b.Name, b.Type, f.Name, f.Type)
				}
			}
			compared++
		}
		if compared < 50 {
			t.Errorf("%s: only %d syscalls have both prototypes", k, compared)
		}
		t.Logf("%s: %d syscalls compared", k, compared)
	}
}
