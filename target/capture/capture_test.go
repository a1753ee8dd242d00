package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/target"
)

// TestCapture describes the running kernel and checks the profile against
// what the kernel shows directly, then writes it and reads it back. Inside
// the vmtest guest, the profile is also left as an artifact (profile.tar.gz)
// for `make profiles`.
func TestCapture(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Tracefs, testenv.KernelBTF)
	p, err := Capture(nil)
	if err != nil {
		t.Fatal(err)
	}
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		t.Fatal(err)
	}
	if want := unix.ByteSliceToString(uts.Release[:]); p.Release != want {
		t.Errorf("release %q, uname says %q", p.Release, want)
	}
	raw, err := os.ReadFile(KernelBTF)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.BTF, raw) {
		t.Errorf("BTF: %d bytes, %s has %d", len(p.BTF), KernelBTF, len(raw))
	}
	for src, why := range p.Missing {
		t.Logf("missing %s: %s", src, why)
	}

	// A tracepoint every kernel has, against its format file.
	ev, err := p.Event("syscalls", "sys_enter_openat")
	if err != nil {
		t.Fatal(err)
	}
	format, err := os.ReadFile(filepath.Join(TracefsDir, "events/syscalls/sys_enter_openat/format"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ev.Fields {
		if !strings.Contains(string(format), f.Name+";") {
			t.Errorf("field %s is not in the format file:\n%s", f.Name, format)
		}
	}
	if n := strings.Count(string(format), "field:"); len(ev.Fields) != n {
		t.Errorf("%d fields, the format has %d", len(ev.Fields), n)
	}

	// The syscall wrapper of read is in kallsyms, and the profile says so.
	wrapper := p.Arch.NativeABI().SymbolPrefix() + "sys_read"
	if p.Kallsyms == nil {
		t.Fatalf("no kallsyms: %s", p.Missing[target.SourceKallsyms])
	}
	if p.HasFunction(wrapper) != target.Yes || p.HasFunction("no_such_function_polc") != target.No {
		t.Errorf("HasFunction(%s) = %v, HasFunction(no_such_function_polc) = %v", wrapper,
			p.HasFunction(wrapper), p.HasFunction("no_such_function_polc"))
	}
	if p.Functions != nil && !slices.IsSorted(p.Functions) {
		t.Error("traceable functions are not sorted")
	}

	// The feature probes ran, and agree with testenv's on what it knows.
	if f, ok := p.Feature(bpf.FeatureBTF); !ok || !f.Supported {
		t.Errorf("feature btf: %+v (probed: %v)", f, ok)
	}
	kprobes := testenv.Kprobes.Check() == nil
	if f, _ := p.Feature(bpf.FeatureKprobe); f.Supported != kprobes {
		t.Errorf("feature kprobe: profile says %v (%s), testenv says %v", f.Supported, f.Reason, kprobes)
	}
	if testenv.InVM() {
		// The guest kernels have everything this polc uses but
		// bpf_override_return (no CONFIG_BPF_KPROBE_OVERRIDE in Debian).
		for name, f := range p.Features {
			if f.Supported == (name == bpf.FeatureOverride) {
				t.Errorf("feature %s: supported=%v in the guest (%s)", name, f.Supported, f.Reason)
			}
		}
		if p.Functions == nil {
			t.Errorf("no traceable functions in the guest: %s", p.Missing[target.SourceFunctions])
		}
	}

	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := target.Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// cmp.Diff only on a difference: it is slow on megabytes.
	same := p.Release == back.Release && p.Arch == back.Arch && bytes.Equal(p.BTF, back.BTF) &&
		slices.Equal(p.Functions, back.Functions) && slices.Equal(p.Kallsyms, back.Kallsyms) &&
		reflect.DeepEqual(p.Features, back.Features) && reflect.DeepEqual(p.Tracepoints, back.Tracepoints) &&
		reflect.DeepEqual(p.Missing, back.Missing)
	if !same {
		t.Errorf("profile changed through Write and Read (-captured +read):\n%s",
			cmp.Diff(p, back, cmpopts.IgnoreUnexported(target.Profile{}), cmpopts.IgnoreFields(target.Profile{}, "BTF")))
	}
	t.Logf("%s: %d bytes written", p, buf.Len())

	if dir := os.Getenv("VMTEST_ARTIFACTS"); dir != "" && testenv.InVM() {
		if err := os.WriteFile(filepath.Join(dir, "profile.tar.gz"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
