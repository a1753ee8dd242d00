package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// polrun load --ring-buffer-size: a size that is not a power of two, not
// a size, or out of bounds is a usage error, before anything is loaded; a good
// one is the loaded ring buffer's size, as the kernel reports it; asking
// for another size while that base is loaded fails, saying why.
func TestRingBufferSizeFlag(t *testing.T) {
	e := newEnv(t)
	b := e.syscallBundle("clitest-ring", 1)
	for in, want := range map[string]string{
		"3MiB": "not a power of two", "lots": "not a size", "1KiB": "want 4096 (4KiB)", "2GiB": "to 1073741824 (1GiB)",
	} {
		if _, stderr, code := e.polrun("load", "--ring-buffer-size", in, b); code != exitUsage ||
			!strings.Contains(stderr, "--ring-buffer-size \""+in+"\"") || !strings.Contains(stderr, want) {
			t.Errorf("--ring-buffer-size %s: exit %d: %s", in, code, stderr)
		}
		if pins := e.pins(); len(pins) != 0 {
			t.Errorf("--ring-buffer-size %s left %v", in, pins)
		}
	}
	if _, stderr, code := e.polrun("load", "--ring-buffer-size", "1MiB", b); code != exitOK {
		t.Fatalf("load --ring-buffer-size 1MiB: exit %d: %s", code, stderr)
	}
	m, err := ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(e.root), bpf.EventsMap), &ebpf.LoadPinOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	info, err := m.Info()
	m.Close()
	if err != nil || info.MaxEntries != 1<<20 {
		t.Errorf("ring buffer: %v, %v; want 1 MiB", info, err)
	}
	// polrun list -o json reports the kernel memory of the base and of
	// the policy.
	out, _, code := e.polrun("list", "-o", "json")
	var list struct {
		Base *struct {
			Memory *struct {
				Total, Maps, Programs uint64
				RingBuffer            uint64 `json:"ring_buffer"`
				ProcessTable          uint64 `json:"process_table"`
			} `json:"kernel_memory_parts"`
		} `json:"base"`
		Policies []struct {
			Memory *struct{ Total, Maps, Programs uint64 } `json:"kernel_memory_parts"`
		} `json:"policies"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != exitOK {
		t.Fatalf("list: exit %d, %v\n%s", code, err, out)
	}
	if list.Base == nil || list.Base.Memory == nil || list.Base.Memory.RingBuffer < 1<<20 || list.Base.Memory.ProcessTable == 0 ||
		list.Base.Memory.Total != list.Base.Memory.Maps+list.Base.Memory.Programs {
		t.Errorf("base kernel memory:\n%s", out)
	}
	if len(list.Policies) != 1 || list.Policies[0].Memory == nil || list.Policies[0].Memory.Total == 0 {
		t.Errorf("policy kernel memory:\n%s", out)
	}

	b2 := e.syscallBundle("clitest-ring2", 1)
	if _, stderr, code := e.polrun("load", "--ring-buffer-size", "2MiB", b2); code != exitFail ||
		!strings.Contains(stderr, "the loaded base's ring buffer is 1MiB, not the 2MiB asked for") {
		t.Errorf("load --ring-buffer-size 2MiB against a 1 MiB base: exit %d: %s", code, stderr)
	}
}
