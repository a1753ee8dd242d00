package codegen

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
	"github.com/polc-dev/polc/target/capture"
)

// tpPolicy is a policy reading one field of a tracepoint.
func tpPolicy(event string, index int, typ ir.ArgType) *ir.Policy {
	pos := ir.Pos{File: "tp.yaml", Line: 3, Col: 5}
	return &ir.Policy{Name: "tp", Arch: "x86_64", Pos: pos, Hooks: []*ir.Hook{{
		Kind: ir.HookTracepoint, Target: event, Call: event, Pos: pos,
		Args: []*ir.Arg{{Index: index, Type: typ, SizeSlot: ir.NoSize, Pos: pos}},
	}}}
}

// TestTracepointFormatSources: where the fields of a tracepoint come from
// (tracepoints.go), with and without a target, and what is recorded for
// polrun to check.
func TestTracepointFormatSources(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.Tracefs, testenv.KernelBTF)
	host, err := capture.Capture(&capture.Options{NoProbes: true})
	if err != nil {
		t.Fatal(err)
	}
	noBTF := &target.Profile{Release: host.Release, Arch: host.Arch, Tracepoints: host.Tracepoints,
		Missing: map[string]string{target.SourceBTF: "left out by the test"}}
	noFormats := &target.Profile{Arch: host.Arch, BTF: host.BTF}

	for _, tc := range []struct {
		name  string
		prof  *target.Profile
		event string
		field string // read it by name (index from prof), or index below
		index int
		typ   ir.ArgType
		want  bpf.TracepointField // Offset is not compared for CO-RE fields
		err   string
	}{
		{"class struct", host, "net/netif_receive_skb", "name", 0, ir.TypeString,
			bpf.TracepointField{Name: "name", Size: 4, Struct: "trace_event_raw_net_dev_template", Member: "__data_loc_name"}, ""},
		{"event struct", host, "signal/signal_generate", "sig", 0, ir.TypeInt,
			bpf.TracepointField{Name: "sig", Size: 4, Signed: true, Struct: "trace_event_raw_signal_generate", Member: "sig"}, ""},
		{"syscall format", host, "syscalls/sys_enter_openat", "flags", 0, ir.TypeInt,
			bpf.TracepointField{Name: "flags", Offset: 32, Size: 8}, ""},
		{"profile without BTF", noBTF, "signal/signal_generate", "sig", 0, ir.TypeInt,
			bpf.TracepointField{Name: "sig", Offset: 8, Size: 4, Signed: true}, ""},
		{"no target: fixed syscall layout", nil, "syscalls/sys_enter_openat", "", 8, ir.TypeInt,
			bpf.TracepointField{Name: "mode", Offset: 40, Size: 8}, ""},
		{"no target: polc's table", nil, "sched/sched_process_exec", "", 5, ir.TypeInt,
			bpf.TracepointField{Name: "pid", Size: 4, Signed: true, Struct: "trace_event_raw_sched_process_exec", Member: "pid"}, ""},
		{"no target: unknown", nil, "signal/signal_generate", "", 4, ir.TypeInt, bpf.TracepointField{}, "build with --target"},
		{"profile without formats", noFormats, "signal/signal_generate", "", 4, ir.TypeInt, bpf.TracepointField{}, "has no tracepoint formats"},
		{"not in the target", host, "signal/polc_no_such_event", "", 4, ir.TypeInt, bpf.TracepointField{}, "has no tracepoint signal/polc_no_such_event"},
		{"out of range", host, "signal/signal_generate", "", 40, ir.TypeInt, bpf.TracepointField{}, "index 40 is out of range"},
		{"common field", host, "signal/signal_generate", "", 3, ir.TypeInt, bpf.TracepointField{}, "common field"},
		{"array as int: its first bytes", host, "signal/signal_generate", "comm", 0, ir.TypeInt,
			bpf.TracepointField{Name: "comm", Size: 16, Struct: "trace_event_raw_signal_generate", Member: "comm"}, ""},
		{"array as a wider int", host, "tcp/tcp_destroy_sock", "saddr", 0, ir.TypeUint64, bpf.TracepointField{}, `is "__u8[4]", not a number`},
		{"data_loc on an array", host, "signal/signal_generate", "comm", 0, ir.TypeDataLoc, bpf.TracepointField{}, "data_loc reads __data_loc fields"},
		{"struct type on an array", host, "signal/signal_generate", "comm", 0, ir.TypeFile, bpf.TracepointField{}, "not file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			index := tc.index
			if tc.field != "" {
				index = fieldIndex(t, tc.prof, tc.event, tc.field)
			}
			b, err := Build(tpPolicy(tc.event, index, tc.typ), Options{Target: tc.prof})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("build: %v, want an error saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := b.Manifest.Hooks[0].TracepointFields
			want := tc.want
			if len(got) == 1 && want.Struct != "" {
				want.Offset = got[0].Offset
			}
			if len(got) != 1 || got[0] != want {
				t.Errorf("fields read %+v, want %+v", got, want)
			}
		})
	}
}
