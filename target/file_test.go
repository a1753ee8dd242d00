package target

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/polc-dev/polc/arch"
)

// small is a profile with a little of everything but BTF.
func small() *Profile {
	ev, err := ParseFormat("syscalls", "sys_enter_openat", []byte(openatFormat))
	if err != nil {
		panic(err)
	}
	ex, err := ParseFormat("sched", "sched_process_exec", []byte(execFormat))
	if err != nil {
		panic(err)
	}
	return &Profile{
		Release:     "6.1.0-56-amd64",
		Arch:        arch.X86_64,
		Features:    map[string]Feature{"kprobe": {Supported: true}, "override_return": {Reason: "no"}},
		Tracepoints: []Event{ev, ex}, // unsorted on purpose
		Functions:   []string{"vfs_read", "fd_install", "ksys_write"},
		Kallsyms:    []string{"vfs_read", "fd_install", "ksys_write", "fd_install"},
		Missing:     map[string]string{SourceBTF: "not captured"},
	}
}

func write(t *testing.T, p *Profile) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWriteRead: a profile reads back as written, sorted, and the same
// content always gives the same bytes.
func TestWriteRead(t *testing.T) {
	raw := write(t, small())
	if again := write(t, small()); !bytes.Equal(raw, again) {
		t.Error("two writes of the same profile differ")
	}
	reordered := small()
	reordered.Tracepoints[0], reordered.Tracepoints[1] = reordered.Tracepoints[1], reordered.Tracepoints[0]
	reordered.Functions = []string{"ksys_write", "vfs_read", "fd_install"}
	if !bytes.Equal(raw, write(t, reordered)) {
		t.Error("the order of lists changes the file")
	}
	p, err := Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := small()
	SortEvents(want.Tracepoints)
	want.Functions = []string{"fd_install", "ksys_write", "vfs_read"}
	want.Kallsyms = want.Functions
	if diff := cmp.Diff(want, p, cmpopts.IgnoreUnexported(Profile{})); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	if p.HasFunction("ksys_write") != Yes || p.HasFunction("ksys_read") != No {
		t.Error("HasFunction on kallsyms is wrong")
	}
	if _, err := p.Event("syscalls", "sys_enter_openat"); err != nil {
		t.Error(err)
	}
	if _, err := p.Event("syscalls", "sys_enter_nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing event: %v, want ErrNotFound", err)
	}
	if _, err := p.Spec(); !errors.Is(err, ErrUnknown) || !strings.Contains(err.Error(), "not captured") {
		t.Errorf("Spec without BTF: %v, want ErrUnknown with the reason", err)
	}
	if _, err := p.TraceableFunctions(); err != nil {
		t.Error(err)
	}

	// What the profile does not have stays unknown.
	empty := &Profile{Arch: arch.ARM64}
	back, err := Read(bytes.NewReader(write(t, empty)))
	if err != nil {
		t.Fatal(err)
	}
	if back.Tracepoints != nil || back.Functions != nil || back.Kallsyms != nil || back.BTF != nil || back.Features != nil {
		t.Errorf("an empty profile read back with content: %+v", back)
	}
	if back.HasFunction("vfs_read") != Unknown {
		t.Error("HasFunction without any source is not Unknown")
	}
	if _, err := back.Event("a", "b"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Event without formats: %v, want ErrUnknown", err)
	}
}

// TestReadRejects: files that are not profiles, or of another format
// version, are refused with a reason.
func TestReadRejects(t *testing.T) {
	archive := func(entries ...string) []byte { // name, content, ...
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		for i := 0; i < len(entries); i += 2 {
			tw.WriteHeader(&tar.Header{Name: entries[i], Mode: 0o644, Size: int64(len(entries[i+1])), Typeflag: tar.TypeReg})
			io.WriteString(tw, entries[i+1])
		}
		tw.Close()
		gz.Close()
		return buf.Bytes()
	}
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"not gzip":       {[]byte("hello"), "not a gzip file"},
		"no header":      {archive("btf", "x"), "not a polc target profile"},
		"future version": {archive("profile.json", `{"format": 2, "arch": "x86_64"}`), "format version 2"},
		"bad arch":       {archive("profile.json", `{"format": 1, "arch": "mips"}`), "unknown architecture"},
		"bad btf":        {archive("profile.json", `{"format": 1, "arch": "x86_64"}`, "btf", "nope"), "parse kernel BTF"},
		"twice":          {archive("profile.json", `{"format": 1, "arch": "x86_64"}`, "kallsyms", "a", "kallsyms", "b"), "appears twice"},
	} {
		_, err := Read(bytes.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, tc.want)
		}
	}
}

func TestFromBTFRejects(t *testing.T) {
	if _, err := FromBTF([]byte("not btf"), arch.X86_64); err == nil {
		t.Error("FromBTF accepted garbage")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := FromBTF(exe, arch.X86_64); err == nil || !strings.Contains(err.Error(), ".BTF") {
		t.Errorf("FromBTF of an ELF file without .BTF: %v", err)
	}
}
