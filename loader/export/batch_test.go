package export

import (
	"bytes"
	"testing"
)

// TestWriteBatched: lines written with more stay in the stream's buffer;
// the next line without more writes them all, in order; Idle too.
func TestWriteBatched(t *testing.T) {
	var out bytes.Buffer
	e := NewStreamExporter(&out, Options{})
	m := &Meta{Policy: "p"}
	for _, l := range []string{"a", "b"} {
		if err := e.WriteBatched(m, []byte(l), true); err != nil {
			t.Fatal(err)
		}
	}
	if out.Len() != 0 {
		t.Errorf("written before the burst's last line: %q", out.String())
	}
	if err := e.WriteBatched(m, []byte("c"), false); err != nil {
		t.Fatal(err)
	}
	if out.String() != "a\nb\nc\n" {
		t.Errorf("after the burst: %q", out.String())
	}
	if err := e.WriteBatched(m, []byte("d"), true); err != nil {
		t.Fatal(err)
	}
	if err := e.Idle(); err != nil || out.String() != "a\nb\nc\nd\n" {
		t.Errorf("after Idle: %q, %v", out.String(), err)
	}
	if e.Stats().Written != 4 {
		t.Errorf("stats %+v", e.Stats())
	}
}
