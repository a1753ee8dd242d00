package codegen

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

// cmdArgsScenario is what bpf.CmdArgsMap holds for this process: the
// argument area after argv[0] (the entry is bpf.NewCmdArgs of it), or no
// entry at all.
type cmdArgsScenario struct {
	name  string
	args  string
	entry bool
}

func cmdArgsScenarios() []cmdArgsScenario {
	var many strings.Builder
	for i := range 40 {
		fmt.Fprintf(&many, "a%d\x00", i)
	}
	return []cmdArgsScenario{
		{"no entry", "", false},
		{"no arguments", "", true},
		{"flags", "-v\x00--name=foo\x00/my/path/file\x00", true},
		{"empty argument", "\x00x\x00", true},
		{"cut", "short\x00" + strings.Repeat("y", 300) + "\x00tail\x00", true},
		{"one cut argument", strings.Repeat("y", 400) + "\x00", true},
		{"40 arguments", many.String(), true},
	}
}

// TestEvalCmdArgs is the differential test of matchCmdArgs: each operator
// (Equal, Prefix, Postfix) at several indexes, up to the last one
// Tetragon's walk reaches, with values that hit the argument, another one
// or nothing, written as YAML and compiled, run by BPF_PROG_TEST_RUN (the
// program and its fallback without bpf_loop) against made-up entries of
// bpf.CmdArgsMap (none, no arguments, an empty argument, an argument cut
// by the 256 bytes kept, more than 32 arguments), whose bytes after Len
// are garbage, and compared with ir.Eval. Every operator must be seen both
// to pass and to fail.
func TestEvalCmdArgs(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	self := uint32(os.Getpid())
	valueSets := [][]string{
		{"-v", "x", "short", "a0"},
		{"--name=foo", "", "a1"},
		{"/my/", "yyyy", "a3", "tail"},
		{"file", "o", "a31", strings.Repeat("y", 250)},
	}
	pin := pinDir(t)
	outcomes := map[string][2]int{}
	for _, op := range []string{"Equal", "Prefix", "Postfix"} {
		for _, index := range []int{0, 1, 2, 3, 31} {
			for _, values := range valueSets {
				quoted := make([]string, len(values))
				for i, s := range values {
					quoted[i] = fmt.Sprintf("%q", s)
				}
				yaml := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: cmd-args
spec:
  tracepoints:
  - subsystem: polc
    event: eval
    raw: true
    args:
    - index: 0
      type: int
    selectors:
    - matchCmdArgs:
      - index: %d
        operator: %s
        values: [%s]
`, index, op, strings.Join(quoted, ", "))
				c := compileParentPolicy(t, yaml)
				if c.hook == nil {
					t.Fatalf("%s: lowering dropped the hook\n%s", op, yaml)
				}
				spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(c.b.Object))
				if err != nil {
					t.Fatalf("read back: %v", err)
				}
				l := loadSpecIn(t, c.b, spec, pin)
				rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
				if err != nil {
					t.Fatal(err)
				}
				args := l.coll.Maps[bpf.CmdArgsMap]
				for _, name := range programAndFallback(c.b.Manifest.Hooks[0].Programs[0]) {
					prog := l.coll.Programs[name]
					for _, sc := range cmdArgsScenarios() {
						ev := &ir.Event{Args: []ir.ArgValue{{Int: 1}}, Process: ir.Process{PID: self}}
						args.Delete(self)
						if sc.entry {
							e := bpf.NewCmdArgs([]byte("/bin/prog\x00" + sc.args))
							for i := e.Len; i < bpf.CmdArgsMax; i++ {
								e.Args[i] = 'Z' // what a filter must not read
							}
							if err := args.Put(self, &e); err != nil {
								t.Fatal(err)
							}
							ev.Process.Args = []byte(sc.args)
						}
						want, err := ir.Eval(c.hook, ev)
						if err != nil {
							t.Fatal(err)
						}
						rec, err := runRawTP(t, prog, rd, c.b, []uint64{1})
						if err != nil {
							t.Fatal(err)
						}
						if got := rec != nil; got != want.Posted {
							t.Fatalf("%s index %d %q, %s: %s posts %v, ir.Eval %v\n%s\n%s",
								op, index, values, sc.name, name, got, want.Posted, c.ir.String(), disasm(c.b))
						}
						o := outcomes[op]
						if want.Posted {
							o[1]++
						} else {
							o[0]++
						}
						outcomes[op] = o
					}
				}
				args.Delete(self)
				rd.Close()
			}
		}
	}
	for op, o := range outcomes {
		if o[0] == 0 || o[1] == 0 {
			t.Errorf("%s: %d failing and %d passing cases; want both", op, o[0], o[1])
		}
		t.Logf("%s: %d failing and %d passing cases", op, o[0], o[1])
	}
}
