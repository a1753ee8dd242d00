package vmtest

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMarkerRoundTrip(t *testing.T) {
	line := FormatMarker(MarkError, "msg", `mount "bpf": no such device`, "empty", "", "n", "3")
	m, ok := ParseMarker(line + "\r")
	if !ok {
		t.Fatalf("ParseMarker(%q) failed", line)
	}
	want := Marker{Kind: MarkError, Fields: map[string]string{"msg": `mount "bpf": no such device`, "empty": "", "n": "3"}}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("marker (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"=== RUN TestX", "@@vmtest end x", `@@vmtest end a="unterminated`} {
		if _, ok := ParseMarker(bad); ok {
			t.Errorf("ParseMarker(%q) accepted it", bad)
		}
	}
}

// guestOutput is what the results port carries for a run with one passing,
// one skipped, one failed subtest and a binary that then panicked.
const guestOutput = `@@vmtest boot uptime=2.61 release=6.1.0-56-amd64
@@vmtest start package=example.com/a
=== RUN   TestA
--- PASS: TestA (0.00s)
=== RUN   TestB
=== RUN   TestB/sub
    b_test.go:9: needs kprobes: kernel lacks CONFIG_KPROBES
=== RUN   TestB/bad
    b_test.go:12: got 1
    b_test.go:13: want 2
=== NAME  TestB
    b_test.go:20: after
--- FAIL: TestB (0.01s)
    --- SKIP: TestB/sub (0.00s)
    --- FAIL: TestB/bad (0.00s)
FAIL
@@vmtest end package=example.com/a status=exit:1 elapsed=0.52
@@vmtest start package=example.com/b
=== RUN   TestC
panic: boom
@@vmtest end package=example.com/b status=exit:2 elapsed=0.10
@@vmtest done`

func TestResultFeed(t *testing.T) {
	r := &Result{}
	for _, line := range strings.Split(guestOutput, "\n") {
		r.Feed(line)
	}
	r.Finish([]string{"example.com/a", "example.com/b"})
	if r.Release != "6.1.0-56-amd64" || r.Boot != 2610*time.Millisecond {
		t.Errorf("boot = %q %v", r.Release, r.Boot)
	}
	if len(r.Problems) != 0 {
		t.Errorf("problems: %q", r.Problems)
	}
	type short struct{ Name, Outcome, Log string }
	var got []short
	for _, tr := range r.Packages[0].Tests {
		got = append(got, short{tr.Name, tr.Outcome, strings.Join(tr.Log, "|")})
	}
	want := []short{
		{"TestA", "PASS", ""},
		{"TestB", "FAIL", "    b_test.go:20: after"},
		{"TestB/sub", "SKIP", "    b_test.go:9: needs kprobes: kernel lacks CONFIG_KPROBES"},
		{"TestB/bad", "FAIL", "    b_test.go:12: got 1|    b_test.go:13: want 2"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tests (-want +got):\n%s", diff)
	}
	b := r.Packages[1]
	if !b.Failed() || b.Status != "exit:2" || len(b.Tests) != 0 {
		t.Errorf("panicking binary: status %q, %d tests, failed %v", b.Status, len(b.Tests), b.Failed())
	}
	if !r.Failed() {
		t.Error("run with failures not failed")
	}
}

func TestResultLostGuest(t *testing.T) {
	r := &Result{}
	for _, line := range strings.Split(guestOutput, "\n")[:5] {
		r.Feed(line)
	}
	r.Finish([]string{"example.com/a", "example.com/b"})
	want := []string{
		"example.com/a never finished (guest stopped while it ran)",
		"example.com/b never started",
		"no done marker: the guest did not finish",
	}
	if diff := cmp.Diff(want, r.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if !r.Failed() {
		t.Error("lost guest not failed")
	}
}

func TestResultAllPass(t *testing.T) {
	r := &Result{}
	for _, line := range strings.Split(guestOutput, "\n")[:5] {
		r.Feed(line)
	}
	r.Feed("@@vmtest end package=example.com/a status=exit:0 elapsed=0.5")
	r.Feed("@@vmtest done")
	r.Finish([]string{"example.com/a"})
	if r.Failed() {
		t.Errorf("passing run failed: %q", r.Problems)
	}
}
