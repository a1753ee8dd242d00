package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// LossCurveOptions say how to measure the ring buffer's loss curve.
type LossCurveOptions struct {
	PinRoot string // default /sys/fs/bpf/polc-bench-loss
	Polrun  string // the polrun binary: the reader is polrun events -o json
	// Sizes are the ring buffer sizes measured (default 256KiB to 32MiB);
	// Rates the events per second offered to each, ascending (0: as fast
	// as the generator goes); Seconds how long each rate is offered.
	Sizes   []uint64
	Rates   []float64
	Seconds float64
	CPU     int // the generator's CPU (default the last one)
	Log     func(format string, args ...any)
}

// LossCurve is, for each ring buffer size, what was lost at each rate.
type LossCurve struct {
	Seconds float64     `json:"seconds"`
	Sizes   []LossPoint `json:"sizes"`
	// RecordBytes is the size of the emitting policy's record in the ring
	// buffer, its 8-byte header included.
	RecordBytes uint64 `json:"recordBytes"`
}

// LossPoint is one ring buffer size's figures.
type LossPoint struct {
	Size    uint64 `json:"size"`
	Memlock uint64 `json:"memlock"`
	// Offered is the rate asked for (0: unpaced), Achieved the rate the
	// generator reached, Lost the drop counter's increase, per rate.
	Offered  []float64 `json:"offered"`
	Achieved []float64 `json:"achieved"`
	Events   []uint64  `json:"events"`
	Lost     []uint64  `json:"lost"`
}

// FirstLoss is the achieved rate of the first rate that lost events, 0
// when none did.
func (p LossPoint) FirstLoss() float64 {
	for i, l := range p.Lost {
		if l > 0 {
			return p.Achieved[i]
		}
	}
	return 0
}

// MeasureLossCurve loads the emitting policy with each ring buffer size in
// turn, with polrun events -o json reading into /dev/null, and offers it
// events at increasing rates (a getppid loop paced in 1 ms steps), each for
// o.Seconds, then waits until polrun has read everything and reads the
// drop counter: the rate at which a size starts to lose is where the
// reader's bursts of slowness outlast what the ring buffer holds.
func MeasureLossCurve(emit []byte, o LossCurveOptions) (*LossCurve, error) {
	if o.PinRoot == "" {
		o.PinRoot = "/sys/fs/bpf/polc-bench-loss"
	}
	if len(o.Sizes) == 0 {
		o.Sizes = []uint64{256 << 10, 1 << 20, 2 << 20, 4 << 20, 8 << 20, 16 << 20, 32 << 20}
	}
	if len(o.Rates) == 0 {
		o.Rates = []float64{50_000, 100_000, 200_000, 400_000, 0}
	}
	if o.Seconds == 0 {
		o.Seconds = 1
	}
	if o.CPU == 0 {
		o.CPU = onlineCPUs() - 1
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	if err := os.MkdirAll(o.PinRoot, 0o755); err != nil {
		return nil, fmt.Errorf("loss curve: %w", err)
	}
	if err := cleanPinRoot(o.PinRoot); err != nil {
		return nil, err
	}
	loop, err := newSyscallLoop(o.CPU)
	if err != nil {
		return nil, err
	}
	defer loop.close()
	lc := &LossCurve{Seconds: o.Seconds}
	for _, size := range o.Sizes {
		p, rec, err := measureLossAt(emit, size, loop, &o)
		if err != nil {
			return nil, fmt.Errorf("loss curve, %s ring buffer: %w", loader.FormatBytes(size), err)
		}
		lc.Sizes = append(lc.Sizes, *p)
		lc.RecordBytes = rec
	}
	return lc, nil
}

func measureLossAt(emit []byte, size uint64, loop *syscallLoop, o *LossCurveOptions) (*LossPoint, uint64, error) {
	b, err := loader.ReadBundle(emit)
	if err != nil {
		return nil, 0, err
	}
	lopts := &loader.Options{PinRoot: o.PinRoot, RingBufferSize: size}
	if _, err := loader.Load([]*loader.Bundle{b}, lopts); err != nil {
		return nil, 0, err
	}
	defer loader.Unload([]string{b.Name()}, lopts)
	base := bpf.BasePinDir(o.PinRoot)
	events, err := ebpf.LoadPinnedMap(filepath.Join(base, bpf.EventsMap), nil)
	if err != nil {
		return nil, 0, err
	}
	defer events.Close()
	pos, err := mapPositions(events)
	if err != nil {
		return nil, 0, err
	}
	defer pos.close()
	drops, err := ebpf.LoadPinnedMap(filepath.Join(base, bpf.DropsMap), nil)
	if err != nil {
		return nil, 0, err
	}
	defer drops.Close()
	p := &LossPoint{Size: size}
	if info, err := events.Info(); err == nil {
		p.Memlock, _ = info.Memlock()
	}
	stop, err := startPolrun(o.Polrun, o.PinRoot, "json", true)
	if err != nil {
		return nil, 0, err
	}
	defer stop()
	// Handshake: one event read back says polrun is reading; its bytes
	// are a record's size.
	before := pos.producer()
	if _, err := loop.run(1); err != nil {
		return nil, 0, err
	}
	rec := pos.producer() - before
	if err := pos.waitDrained(10 * time.Second); err != nil {
		return nil, 0, err
	}
	for _, rate := range o.Rates {
		lost0 := sumPerCPU(drops)
		n, elapsed, err := paced(loop, rate, o.Seconds)
		if err != nil {
			return nil, 0, err
		}
		if err := pos.waitDrained(30 * time.Second); err != nil {
			return nil, 0, err
		}
		lost := sumPerCPU(drops) - lost0
		achieved := float64(n) / elapsed.Seconds()
		p.Offered, p.Achieved = append(p.Offered, rate), append(p.Achieved, achieved)
		p.Events, p.Lost = append(p.Events, uint64(n)), append(p.Lost, lost)
		o.Log("loss curve: %s ring buffer, %s offered, %.0f/s achieved: %d of %d lost",
			loader.FormatBytes(size), rateLabel(rate), achieved, lost, n)
	}
	return p, rec, nil
}

// paced runs the getppid loop at rate events per second (0: as fast as
// it goes) for seconds, in 1 ms steps, and says how many it made in how
// long.
func paced(loop *syscallLoop, rate, seconds float64) (int, time.Duration, error) {
	start := time.Now()
	if rate == 0 {
		n := int(1_000_000 * seconds)
		_, err := loop.run(n)
		return n, time.Since(start), err
	}
	total := int(rate * seconds)
	n := 0
	for n < total {
		// As many as the schedule says by now: a step that ran late is
		// made up at once, as a burst, the way real events come.
		due := min(total, int(rate*time.Since(start).Seconds())+int(rate/1000))
		if due > n {
			if _, err := loop.run(due - n); err != nil {
				return n, time.Since(start), err
			}
			n = due
		}
		time.Sleep(time.Millisecond)
	}
	return n, time.Since(start), nil
}

func rateLabel(rate float64) string {
	if rate == 0 {
		return "unpaced"
	}
	return strconv.FormatFloat(rate, 'f', 0, 64) + "/s"
}

// BaseMemory is the kernel memory of the base's maps created as polrun did
// before it sized them at load (the object's declarations: a preallocated
// 131072-entry process table, an 8 MiB ring buffer) and as it does now,
// measured in the same run.
type BaseMemory struct {
	Before      []MapMemory `json:"before"`
	After       []MapMemory `json:"after"`
	BeforeTotal uint64      `json:"beforeTotal"`
	AfterTotal  uint64      `json:"afterTotal"`
	// Processes is how many processes the tables held (this host's).
	Processes int `json:"processes"`
	// Entries is the process table's size now (loader.ProcsTableEntries).
	Entries uint32 `json:"entries"`
}

// MapMemory is one shared map's kernel memory.
type MapMemory struct {
	Name       string `json:"name"`
	MaxEntries uint32 `json:"maxEntries"`
	Flags      uint32 `json:"flags"`
	Memlock    uint64 `json:"memlock"`
}

// MeasureBaseMemory creates the base's shared maps from the base object's
// declarations, filling the process table with this host's processes as
// the loader seeds it, then loads the base as polrun does now (with the
// emitting policy, under pinRoot), and reads the kernel's memlock of each.
func MeasureBaseMemory(emit []byte, pinRoot string) (*BaseMemory, error) {
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(bpf.BaseObject))
	if err != nil {
		return nil, err
	}
	bm := &BaseMemory{Entries: loader.ProcsTableEntries("/proc")}
	pids, err := procPids()
	if err != nil {
		return nil, err
	}
	bm.Processes = len(pids)
	for _, name := range []string{bpf.EventsMap, bpf.ProcsMap} {
		ms := spec.Maps[name].Copy()
		ms.Pinning = ebpf.PinNone
		m, err := ebpf.NewMap(ms)
		if err != nil {
			return nil, fmt.Errorf("create %s as declared: %w", name, err)
		}
		if name == bpf.ProcsMap {
			for _, pid := range pids {
				e := bpf.Proc{Tgid: pid}
				m.Put(pid, &e)
			}
		}
		mm, err := mapMemory(name, m)
		m.Close()
		if err != nil {
			return nil, err
		}
		bm.Before = append(bm.Before, mm)
		bm.BeforeTotal += mm.Memlock
	}
	if err := os.MkdirAll(pinRoot, 0o755); err != nil {
		return nil, err
	}
	if err := cleanPinRoot(pinRoot); err != nil {
		return nil, err
	}
	b, err := loader.ReadBundle(emit)
	if err != nil {
		return nil, err
	}
	lopts := &loader.Options{PinRoot: pinRoot}
	if _, err := loader.Load([]*loader.Bundle{b}, lopts); err != nil {
		return nil, err
	}
	defer loader.Unload([]string{b.Name()}, lopts)
	for _, name := range []string{bpf.EventsMap, bpf.ProcsMap} {
		m, err := ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(pinRoot), name), &ebpf.LoadPinOptions{ReadOnly: true})
		if err != nil {
			return nil, err
		}
		mm, err := mapMemory(name, m)
		m.Close()
		if err != nil {
			return nil, err
		}
		bm.After = append(bm.After, mm)
		bm.AfterTotal += mm.Memlock
	}
	return bm, nil
}

func mapMemory(name string, m *ebpf.Map) (MapMemory, error) {
	info, err := m.Info()
	if err != nil {
		return MapMemory{}, fmt.Errorf("%s: %w", name, err)
	}
	n, ok := info.Memlock()
	if !ok {
		return MapMemory{}, fmt.Errorf("%s: the kernel reports no memlock", name)
	}
	return MapMemory{Name: name, MaxEntries: info.MaxEntries, Flags: info.Flags, Memlock: n}, nil
}

// procPids lists the processes in /proc.
func procPids() ([]uint32, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var pids []uint32
	for _, e := range ents {
		if pid, err := strconv.ParseUint(e.Name(), 10, 32); err == nil {
			pids = append(pids, uint32(pid))
		}
	}
	return pids, nil
}
