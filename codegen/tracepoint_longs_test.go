package codegen

import (
	"path/filepath"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// raw_syscalls/sys_enter's args (unsigned long[6]), read by type auto, is
// the field's 48 bytes, which the manifest tells polrun to show as six
// 64-bit values (Longs); read as uint64, it is one integer (its first
// element), and the field checked at load is the whole array.
func TestRawSyscallsArgsManifest(t *testing.T) {
	if testenv.InVM() {
		// A manifest check that reads no kernel, on policies outside the
		// package, which the vmtest guests do not have.
		t.Log("the tetragon-more policies are not in the vmtest guest; this runs on the host")
		return
	}
	dir := filepath.Join("..", "testdata", "tetragon-more")
	for _, tc := range []struct {
		file string
		want bpf.Arg // of index 5
	}{
		{"tp_tracepoint_load-sensor-raw-syscalls.yaml", bpf.Arg{Slot: 1, Index: 5, Type: "const_buf", Encoding: bpf.EncBytes, Longs: 6}},
		{"tp_tracepoint_list-syscall-dups-range.yaml", bpf.Arg{Slot: 1, Index: 5, Type: "uint64", Encoding: bpf.EncInt}},
	} {
		c := compileFile(t, filepath.Join(dir, tc.file))[0]
		if c.Err != nil {
			t.Errorf("%s: %v", tc.file, c.Err)
			continue
		}
		h := c.Bundle.Manifest.Hooks[0]
		if len(h.Args) != 2 {
			t.Fatalf("%s: args %+v", tc.file, h.Args)
		}
		got := h.Args[1]
		got.MaxBytes = 0
		if got != tc.want {
			t.Errorf("%s: argument %+v, want %+v", tc.file, got, tc.want)
		}
		var args *bpf.TracepointField
		for i, f := range h.TracepointFields {
			if f.Name == "args" {
				args = &h.TracepointFields[i]
			}
		}
		if args == nil || args.Offset != 16 || args.Size != 48 || args.Signed {
			t.Errorf("%s: fields read %+v, want args at 16, 48 bytes", tc.file, h.TracepointFields)
		}
	}
}
