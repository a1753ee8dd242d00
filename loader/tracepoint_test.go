package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// Fields read through CO-RE are checked against the kernel's struct: the
// member must exist, where the format has the field; the size and sign
// must be the format's; the build-time offset does not matter.
func TestTracepointFieldsThroughBTF(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Tracefs, testenv.KernelBTF)
	check := func(f bpf.TracepointField) error {
		return checkTracepointFields(bpf.Hook{ID: 3, Kind: "tracepoint", Target: "raw_syscalls/sys_enter",
			TracepointFields: []bpf.TracepointField{f}})
	}
	id := bpf.TracepointField{Name: "id", Offset: 99, Size: 8, Signed: true, Struct: "trace_event_raw_sys_enter", Member: "id"}
	if err := check(id); err != nil {
		t.Fatalf("id through trace_event_raw_sys_enter: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(*bpf.TracepointField)
		want   string
	}{
		{"no struct", func(f *bpf.TracepointField) { f.Struct = "trace_event_raw_polc_none" }, "does not have"},
		{"no member", func(f *bpf.TracepointField) { f.Member = "nosuch" }, "has no member nosuch"},
		{"member elsewhere", func(f *bpf.TracepointField) { f.Member = "args" }, "has args at offset 16, but the format has the field at offset 8"},
		{"size", func(f *bpf.TracepointField) { f.Size = 4 }, "size 8"},
		{"sign", func(f *bpf.TracepointField) { f.Signed = false }, "signed true"},
	} {
		f := id
		tc.change(&f)
		err := check(f)
		var fe *TracepointFieldError
		if !errors.As(err, &fe) || !errors.Is(err, ErrTracepointFormat) || fe.Field != "id" || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a TracepointFieldError saying %q", tc.name, err, tc.want)
		}
	}
}
