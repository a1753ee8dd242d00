package loader

import (
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/bpf"
)

// A compact line escapes what would act on a terminal or break the line,
// wherever it comes from (a process's binary, a bundle's hook target).
func TestCompactEscapes(t *testing.T) {
	pid := uint32(7)
	e := &Event{Time: time.Unix(0, 0), Policy: "p", Hook: &bpf.Hook{Kind: "uprobe", Target: "/bin/\x1b]0;t\x07x", Symbol: "main"},
		Process: &Process{PID: &pid, Binary: "/tmp/a\nfake line \x1b[2J"}}
	line := e.Compact()
	if strings.ContainsAny(line, "\x1b\x07\n") || !strings.Contains(line, `/bin/\x1b]0;t\ax:main 7 /tmp/a\nfake line \x1b[2J`) {
		t.Errorf("%q", line)
	}
}
