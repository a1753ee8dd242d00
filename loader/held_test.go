package loader

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
)

// Where the kernel cannot pin a perf event's link (before 5.15; here made
// to seem so), the attachment is held and its program pinned in the
// link's place: List shows it attached, by whom, with its memory; once the
// holder lets it go, List says it is not attached.
func TestHeldAttachmentsListed(t *testing.T) {
	o := testOptions(t)
	o.failAt = func(step string) error {
		if step == "pin link" {
			return fmt.Errorf("simulated: %w", ebpf.ErrNotSupported)
		}
		return nil
	}
	b := syscallBundle("ldrtest-held", uint32(os.Getpid())).bundle(t)
	res, err := Load([]*Bundle{b}, o)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Held != 1 || res[0].Programs != 1 {
		t.Fatalf("result %+v, want 1 program, held", res[0])
	}
	program := func() (ProgramStatus, KernelMemory) {
		t.Helper()
		st, err := List(o)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Policies) != 1 || len(st.Policies[0].Programs) != 1 {
			t.Fatalf("list: %+v", st.Policies)
		}
		return st.Policies[0].Programs[0], st.Policies[0].Memory
	}
	p, mem := program()
	if p.Err != nil || p.HeldBy != os.Getpid() || p.LinkID != 0 || p.ProgramID == 0 || p.Attached != "tracepoint sys_enter" ||
		p.Hook != "tracepoint raw_syscalls/sys_enter" || p.Type != "TracePoint" || p.Memlock == 0 || mem.Programs != p.Memlock {
		t.Errorf("held program %+v, policy memory %+v", p, mem)
	}
	t.Logf("held: %+v", p)

	o.Hold.Release("ldrtest-held")
	p, _ = program()
	if p.Err == nil || !strings.Contains(p.Err.Error(), "not attached") || p.HeldBy != 0 {
		t.Errorf("after the holder let it go: %+v", p)
	}
}

// A load that fails after attaching and staging a held attachment (here at
// the commit) lets it go: removing the staged pins does not detach what
// only this process holds.
func TestHeldAttachmentsRolledBack(t *testing.T) {
	o := testOptions(t)
	o.Base = testBase(t)
	injected := errors.New("injected failure at commit")
	o.failAt = func(step string) error {
		switch step {
		case "pin link":
			return fmt.Errorf("simulated: %w", ebpf.ErrNotSupported)
		case "commit":
			return injected
		}
		return nil
	}
	b := syscallBundle("ldrtest-held-fail", uint32(os.Getpid())).bundle(t)
	if _, err := Load([]*Bundle{b}, o); !errors.Is(err, injected) {
		t.Fatalf("load: %v, want the injected failure", err)
	}
	if got := pinsUnder(t, o.PinRoot); len(got) > 0 {
		t.Errorf("pins left: %q", got)
	}
	if held := o.Hold.Policies(); len(held) > 0 {
		t.Errorf("holder holds %q", held)
	}
	waitNoPrograms(t, "ldrtest_enter")
}
