package loader

import (
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// ringPosition moves a ring buffer's consumer position (ringPositions;
// tests fake it).
type ringPosition interface {
	skipToProducer() uint64
	close()
}

// ringPositions are a ring buffer's consumer and producer positions, the
// first two pages of its mapping (the kernel's layout, which
// ringbuf.Reader maps too): the stream uses them to get back in step when
// it reads garbage.
type ringPositions struct {
	cons, prod []byte
}

func mapRingPositions(m *ebpf.Map) (*ringPositions, error) {
	page := os.Getpagesize()
	cons, err := unix.Mmap(m.FD(), 0, page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map ring buffer consumer position: %w", err)
	}
	prod, err := unix.Mmap(m.FD(), int64(page), page, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		unix.Munmap(cons)
		return nil, fmt.Errorf("map ring buffer producer position: %w", err)
	}
	return &ringPositions{cons: cons, prod: prod}, nil
}

// skipToProducer moves the consumer position to the producer position,
// dropping every record in between, and returns how many bytes it
// skipped. The producer position is always at a record boundary.
func (r *ringPositions) skipToProducer() uint64 {
	prod := atomic.LoadUint64((*uint64)(unsafe.Pointer(&r.prod[0])))
	cons := (*uint64)(unsafe.Pointer(&r.cons[0]))
	was := atomic.LoadUint64(cons)
	atomic.StoreUint64(cons, prod)
	if was > prod { // moved past the producer by another consumer
		return 0
	}
	return prod - was
}

func (r *ringPositions) close() {
	if r == nil {
		return
	}
	unix.Munmap(r.cons)
	unix.Munmap(r.prod)
}
