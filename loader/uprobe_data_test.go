package loader

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/target"
)

// A uprobe's data entries: a register (source pt_regs, the first integer
// argument of the Go function the helper calls with 0, 1, 2) filtered by
// matchData, and a member of the current task (source current_task,
// tgid) reported beside it under "data".
func TestUprobeData(t *testing.T) {
	o := testOptions(t)
	testenv.Require(t, testenv.Uprobes)
	exe, sym, pid, call := uprobeSubject(t)
	// Go's register ABI passes the first integer argument in rax (x0).
	reg := map[string]string{"amd64": "eax", "arm64": "w0"}[runtime.GOARCH]
	if reg == "" {
		t.Skipf("no register name for %s", runtime.GOARCH)
	}
	yaml := fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "uprobe-data"
spec:
  uprobes:
  - path: %q
    symbols: [%q]
    data:
    - index: 0
      type: "int"
      source: "pt_regs"
      resolve: %q
    - index: 1
      type: "int"
      source: "current_task"
      resolve: "tgid"
    selectors:
    - matchPIDs:
      - operator: "In"
        values: [%d]
      matchData:
      - index: 0
        operator: "GreaterThan"
        values: ["0"]
`, exe, sym, reg, pid)
	// A profile of this kernel's BTF, for the current_task path.
	raw, err := target.ReadBTF("/sys/kernel/btf/vmlinux")
	if err != nil {
		t.Fatal(err)
	}
	prof, err := target.FromBTF(raw, arch.Host())
	if err != nil {
		t.Fatal(err)
	}
	src := compiler.NewSource("uprobe-data.yaml", []byte(yaml))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.Host(), Target: prof})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("check: %+v", res.Diagnostics)
	}
	pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.Host(), Target: prof})
	if pol == nil {
		t.Fatalf("lower: %+v", diags)
	}
	cb, err := codegen.Build(pol, codegen.Options{Source: "uprobe-data.yaml", SourceData: []byte(yaml), Compiler: "loader-test", Target: prof})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadBundle(cb.Object)
	if err != nil {
		t.Fatal(err)
	}
	s := loadAndStream(t, o, b)
	call()
	evs := collect(t, s, "uprobe-data", time.Second)
	// The calls with 1 and 2 pass matchData; the one with 0 does not.
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	for i, ev := range evs {
		if len(ev.Args) != 0 || len(ev.Data) != 2 {
			t.Fatalf("event %d: args %+v, data %+v", i, ev.Args, ev.Data)
		}
		if got, want := ev.Data[0].Value, int32(i+1); got != want {
			t.Errorf("event %d: register %v, want %v", i, got, want)
		}
		if got, want := ev.Data[1].Value, int32(pid); got != want {
			t.Errorf("event %d: tgid %v, want %v", i, got, want)
		}
		line, err := ev.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s", line)
		want := fmt.Sprintf(`"data":[{"int_arg":%d},{"int_arg":%d}]`, i+1, pid)
		if !strings.Contains(string(line), want) {
			t.Errorf("event %d: %s, want %s", i, line, want)
		}
		fast := string(ev.AppendJSON(nil))
		if !strings.Contains(fast, want) {
			t.Errorf("event %d (AppendJSON): %s, want %s", i, fast, want)
		}
	}
}
