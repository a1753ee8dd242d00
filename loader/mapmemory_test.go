package loader

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
)

// A bundle that asks for a 1 GiB array is refused before any map is
// created, naming the map, and leaves nothing behind (not even the pin
// root); a lower MaxMapMemory refuses a bundle it would otherwise load.
func TestMapMemoryBounded(t *testing.T) {
	o := testOptions(t)
	b := syscallBundle("ldrtest-bigmap", 1).bundle(t)
	b.Spec.Maps["huge"] = &ebpf.MapSpec{Name: "huge", Type: ebpf.Array, KeySize: 4, ValueSize: 1 << 20, MaxEntries: 1 << 10}
	_, err := Load([]*Bundle{b}, o)
	if !errors.Is(err, ErrMapMemory) || !strings.Contains(err.Error(), "map huge of policy ldrtest-bigmap, 1073741824 bytes") {
		t.Fatalf("load of a 1 GiB map: %v", err)
	}
	if _, err := os.Stat(o.PinRoot); err == nil {
		t.Errorf("a refused load left %s: %v", o.PinRoot, pinsUnder(t, o.PinRoot))
	}
	small := *o
	small.MaxMapMemory = 1024
	if _, err := Load([]*Bundle{syscallBundle("ldrtest-bigmap", 1).bundle(t)}, &small); !errors.Is(err, ErrMapMemory) {
		t.Errorf("load with MaxMapMemory 1024: %v", err)
	}
	if _, err := Load([]*Bundle{syscallBundle("ldrtest-bigmap", 1).bundle(t)}, o); err != nil {
		t.Errorf("load within the default: %v", err)
	}
}
