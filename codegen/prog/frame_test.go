package prog

import "testing"

// TestFrame: the stack slots are inside the 512-byte frame and no two
// overlap (except the ones frame.go says share bytes).
func TestFrame(t *testing.T) {
	for i, a := range frame {
		if a.off >= 0 || a.off < -512 || a.off+a.size > 0 {
			t.Errorf("%s [%d,%d) is outside the frame", a.name, a.off, a.off+a.size)
		}
		for _, b := range frame[i+1:] {
			if a.off < b.off+b.size && b.off < a.off+a.size {
				t.Errorf("%s [%d,%d) overlaps %s [%d,%d)", a.name, a.off, a.off+a.size, b.name, b.off, b.off+b.size)
			}
		}
	}
}
