package loader

import (
	"syscall"
	"testing"
	"time"
)

// Drain returns the events decoded and not yet returned by Next, in
// order, and stops reading.
func TestStreamDrain(t *testing.T) {
	o := testOptions(t)
	h := startHelper(t, "getppid")
	if _, err := Load([]*Bundle{syscallBundle("ldrtest-drain", h.pid()).bundle(t)}, o); err != nil {
		t.Fatal(err)
	}
	s, err := OpenStream(&StreamOptions{PinRoot: o.PinRoot})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h.run(t)
	getppid := func(evs []*Event) int {
		n := 0
		for _, ev := range evs {
			if ev.Policy == "ldrtest-drain" && syscallID(ev) == uint32(syscall.SYS_GETPPID) {
				n++
			}
		}
		return n
	}
	// The reader decodes the records as they come, without Next.
	time.Sleep(time.Second)
	evs := s.Drain()
	if n := getppid(evs); n != 3 {
		t.Fatalf("drained %d getppid events of the helper, want 3 (%d events)", n, len(evs))
	}
	if st := s.Stats(); st.Events != uint64(len(evs)) {
		t.Errorf("stats count %d events, %d drained", st.Events, len(evs))
	}
}
