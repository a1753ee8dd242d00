package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// ThroughputOptions say how to measure event throughput.
type ThroughputOptions struct {
	PinRoot string // default /sys/fs/bpf/polc-bench-tp
	Polrun  string // the polrun binary
	// PolrunBefore, when set, is a polrun binary built from the code
	// before a change, measured in the same rounds (as ConsumerBefore
	// and ConsumerBeforeCompact) for a before/after comparison.
	PolrunBefore string
	Events       int // events per measurement (default 300000)
	Burst        int // events generated before waiting for the reader (default 16384)
	Rounds       int // default 5
	// Profile, when set, is where the CPU profile of the in-process
	// decode-and-print consumer goes.
	Profile string
	CPU     int // the generator's CPU (default the last one)
	Log     func(format string, args ...any)
}

// The consumers of the throughput measurement.
const (
	ConsumerBare   = "ringbuf.Reader, no decoding"
	ConsumerPolrun = "polrun events -o json > /dev/null"
	// ConsumerCompact is polrun printing its one-line compact format.
	ConsumerCompact = "polrun events -o compact > /dev/null"
	// ConsumerExport is polrun writing its json to a file it rotates
	// (--export-file, with the rotation's defaults: 10 MiB files, the
	// rotated ones gzipped), in a directory under os.TempDir.
	ConsumerExport  = "polrun events -o json --export-file FILE"
	ConsumerLibrary = "loader.Stream + ev.AppendJSON in process (profiled)"
	// ConsumerMarshal is ConsumerLibrary printing through encoding/json
	// (json.Marshal(ev)), which checks and copies what the event's
	// MarshalJSON returns: what a program using the library that way
	// pays, and what polrun did before it had AppendJSON.
	ConsumerMarshal = "loader.Stream + json.Marshal(ev) in process"
)

// The consumers measured only with ThroughputOptions.PolrunBefore.
const (
	ConsumerBefore        = "before the change: polrun events -o json > /dev/null"
	ConsumerBeforeCompact = "before the change: polrun events -o compact > /dev/null"
)

// Consumers in report order.
var Consumers = []string{ConsumerBare, ConsumerPolrun, ConsumerCompact, ConsumerExport, ConsumerLibrary, ConsumerMarshal, ConsumerBefore, ConsumerBeforeCompact}

// consumers are those measured with o.
func (o *ThroughputOptions) consumers() []string {
	if o.PolrunBefore != "" {
		return Consumers
	}
	return slices.DeleteFunc(slices.Clone(Consumers), func(c string) bool { return c == ConsumerBefore || c == ConsumerBeforeCompact })
}

// Throughput is how many events per second each consumer takes from the
// ring buffer with nothing lost.
type Throughput struct {
	Events int `json:"events"`
	Burst  int `json:"burst"`
	Rounds int `json:"rounds"`
	// Rate is events per second per consumer; Ratio divides a consumer's
	// rate by the bare reader's in the same round.
	Rate  map[string]Summary `json:"rate"`
	Ratio map[string]Summary `json:"ratio"`
	// GeneratorRate is how fast the generator posts events when it does
	// not wait for a reader (the ceiling of every rate here).
	GeneratorRate Summary `json:"generatorRate"`
	// Lost is the drop counter's increase over all measurements (it must
	// be 0: the generator waits for the reader after each burst);
	// PolrunReported is what polrun said about the events it printed.
	Lost           uint64   `json:"lost"`
	PolrunReported []string `json:"polrunReported,omitempty"`
	// LibraryAllocs is the heap allocations per event of the in-process
	// reader (ConsumerLibrary) while measured, per round: the Go
	// runtime's count over the measurement (the generator's thread
	// allocates nothing).
	LibraryAllocs Summary `json:"libraryAllocs"`
}

// MeasureThroughput loads the emitting policy and, for each consumer in
// turn, generates events in bursts from a getppid loop, waiting after each
// burst until the consumer has read everything (the ring buffer's
// consumer position, read through a read-only mapping of its pages, equals
// the producer position), so that nothing is lost and the rate is the
// consumer's.
func MeasureThroughput(emit []byte, o ThroughputOptions) (*Throughput, error) {
	if o.PinRoot == "" {
		o.PinRoot = "/sys/fs/bpf/polc-bench-tp"
	}
	if o.Events == 0 {
		o.Events = 300000
	}
	if o.Burst == 0 {
		o.Burst = 16384
	}
	if o.Rounds == 0 {
		o.Rounds = 5
	}
	if o.CPU == 0 {
		o.CPU = onlineCPUs() - 1
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	if err := os.MkdirAll(o.PinRoot, 0o755); err != nil {
		return nil, fmt.Errorf("throughput: %w", err)
	}
	if err := cleanPinRoot(o.PinRoot); err != nil {
		return nil, err
	}
	b, err := loader.ReadBundle(emit)
	if err != nil {
		return nil, fmt.Errorf("throughput: %w", err)
	}
	lopts := &loader.Options{PinRoot: o.PinRoot}
	if _, err := loader.Load([]*loader.Bundle{b}, lopts); err != nil {
		return nil, fmt.Errorf("throughput: %w", err)
	}
	defer loader.Unload([]string{b.Name()}, lopts)
	events, err := ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(o.PinRoot), bpf.EventsMap), nil)
	if err != nil {
		return nil, fmt.Errorf("throughput: open ring buffer: %w", err)
	}
	defer events.Close()
	pos, err := mapPositions(events)
	if err != nil {
		return nil, err
	}
	defer pos.close()
	drops, err := ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(o.PinRoot), bpf.DropsMap), nil)
	if err != nil {
		return nil, fmt.Errorf("throughput: open drop counter: %w", err)
	}
	defer drops.Close()
	loop, err := newSyscallLoop(o.CPU)
	if err != nil {
		return nil, err
	}
	defer loop.close()

	tp := &Throughput{Events: o.Events, Burst: o.Burst, Rounds: o.Rounds,
		Rate: map[string]Summary{}, Ratio: map[string]Summary{}}
	var prof *os.File
	if o.Profile != "" {
		if prof, err = os.Create(o.Profile); err != nil {
			return nil, fmt.Errorf("throughput: %w", err)
		}
		defer prof.Close()
	}
	dropsBefore := sumPerCPU(drops)
	rates := map[string][]float64{}
	ratios := map[string][]float64{}
	var gen, allocs []float64
	for r := range o.Rounds {
		round := map[string]float64{}
		consumers := o.consumers()
		for i := range consumers {
			c := consumers[(i+r)%len(consumers)]
			var m0 runtime.MemStats
			runtime.ReadMemStats(&m0)
			rate, note, err := measureConsumer(c, loop, pos, events, prof, &o)
			if c == ConsumerLibrary {
				prof = nil // one profile, of the first round
				var m1 runtime.MemStats
				runtime.ReadMemStats(&m1)
				allocs = append(allocs, float64(m1.Mallocs-m0.Mallocs)/float64(o.Events))
			}
			if err != nil {
				return nil, fmt.Errorf("throughput: %s: %w", c, err)
			}
			if note != "" {
				tp.PolrunReported = append(tp.PolrunReported, note)
			}
			round[c] = rate
			rates[c] = append(rates[c], rate)
		}
		for _, c := range consumers {
			ratios[c] = append(ratios[c], round[c]/round[ConsumerBare])
		}
		// The generator alone: the ring buffer is read by a bare reader
		// that it does not wait for.
		g, err := generatorRate(loop, events, &o)
		if err != nil {
			return nil, err
		}
		gen = append(gen, g)
		o.Log("throughput round %d: bare %.0f/s, polrun %.0f/s, polrun compact %.0f/s, polrun export file %.0f/s, library %.0f/s, json.Marshal %.0f/s, before: polrun %.0f/s compact %.0f/s; generator %.0f/s", r+1,
			round[ConsumerBare], round[ConsumerPolrun], round[ConsumerCompact], round[ConsumerExport], round[ConsumerLibrary], round[ConsumerMarshal],
			round[ConsumerBefore], round[ConsumerBeforeCompact], g)
	}
	for _, c := range o.consumers() {
		tp.Rate[c] = Summarize(rates[c])
		tp.Ratio[c] = Summarize(ratios[c])
	}
	tp.GeneratorRate = Summarize(gen)
	tp.LibraryAllocs = Summarize(allocs)
	tp.Lost = sumPerCPU(drops) - dropsBefore
	return tp, nil
}

// measureConsumer starts consumer c, generates o.Events events waiting for
// it after each burst, and returns the rate.
func measureConsumer(c string, loop *syscallLoop, pos *ringPositions, events *ebpf.Map, prof *os.File, o *ThroughputOptions) (rate float64, note string, err error) {
	var stop func() (string, error)
	switch c {
	case ConsumerBare:
		stop, err = startBareReader(events)
	case ConsumerPolrun:
		stop, err = startPolrun(o.Polrun, o.PinRoot, "json", true)
	case ConsumerCompact:
		stop, err = startPolrun(o.Polrun, o.PinRoot, "compact", true)
	case ConsumerExport:
		stop, err = startPolrunExport(o.Polrun, o.PinRoot)
	case ConsumerBefore:
		stop, err = startPolrun(o.PolrunBefore, o.PinRoot, "json", true)
	case ConsumerBeforeCompact:
		stop, err = startPolrun(o.PolrunBefore, o.PinRoot, "compact", true)
	case ConsumerLibrary:
		stop, err = startLibraryReader(o.PinRoot, prof, false)
	case ConsumerMarshal:
		stop, err = startLibraryReader(o.PinRoot, nil, true)
	}
	if err != nil {
		return 0, "", err
	}
	defer func() {
		n, serr := stop()
		note = n
		if err == nil {
			err = serr
		}
	}()
	// Handshake: one event, read back, says the consumer is reading.
	if _, err := loop.run(1); err != nil {
		return 0, "", err
	}
	if err := pos.waitDrained(10 * time.Second); err != nil {
		return 0, "", err
	}
	start := time.Now()
	for left := o.Events; left > 0; left -= o.Burst {
		if _, err := loop.run(min(left, o.Burst)); err != nil {
			return 0, "", err
		}
		if err := pos.waitDrained(30 * time.Second); err != nil {
			return 0, "", err
		}
	}
	return float64(o.Events) / time.Since(start).Seconds(), "", nil
}

// generatorRate is the rate of the getppid loop with the emitting policy
// attached and a bare reader that the loop does not wait for.
func generatorRate(loop *syscallLoop, events *ebpf.Map, o *ThroughputOptions) (float64, error) {
	stop, err := startBareReader(events)
	if err != nil {
		return 0, err
	}
	defer stop()
	s, err := loop.run(o.Burst)
	if err != nil {
		return 0, err
	}
	return float64(o.Burst) / s.elapsed.Seconds(), nil
}

func startBareReader(events *ebpf.Map) (func() (string, error), error) {
	rd, err := ringbuf.NewReader(events)
	if err != nil {
		return nil, fmt.Errorf("ring buffer reader: %w", err)
	}
	var n atomic.Uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// polc's programs wake readers only for batches: like polrun,
		// the loop reads what waits at least every bpf.ReaderPoll.
		var rec ringbuf.Record
		rd.SetDeadline(time.Now().Add(bpf.ReaderPoll))
		for {
			if err := rd.ReadInto(&rec); err != nil {
				if errors.Is(err, ringbuf.ErrClosed) {
					return
				}
				rd.SetDeadline(time.Now().Add(bpf.ReaderPoll))
				continue
			}
			n.Add(1)
		}
	}()
	return func() (string, error) {
		rd.Close()
		wg.Wait()
		return "", nil
	}, nil
}

// startPolrun runs `polrun events -o FORMAT` with its output to /dev/null;
// stopping it fails if polrun reports lost records, unless allowLoss.
func startPolrun(polrun, pinRoot, format string, allowLoss bool, extra ...string) (func() (string, error), error) {
	if polrun == "" {
		return nil, errors.New("no polrun binary given")
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd := exec.Command(polrun, append([]string{"events", "-o", format, "--pin-root", pinRoot}, extra...)...)
	cmd.Stdout, cmd.Stderr = null, &stderr
	if err := cmd.Start(); err != nil {
		null.Close()
		return nil, fmt.Errorf("start polrun: %w", err)
	}
	return func() (string, error) {
		defer null.Close()
		cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		summary := polrunSummary.FindString(stderr.String())
		if err != nil {
			return summary, fmt.Errorf("polrun: %w: %s", err, stderr.String())
		}
		if m := polrunLost.FindStringSubmatch(summary); m != nil && m[1] != "0" && !allowLoss {
			return summary, fmt.Errorf("polrun lost events: %s", summary)
		}
		return summary, nil
	}, nil
}

// startPolrunExport starts polrun writing json to a file in a new
// directory, which stopping it removes once polrun has exited.
func startPolrunExport(polrun, pinRoot string) (func() (string, error), error) {
	dir, err := os.MkdirTemp("", "polbench-export-")
	if err != nil {
		return nil, err
	}
	stop, err := startPolrun(polrun, pinRoot, "json", true, "--export-file", filepath.Join(dir, "events.json"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return func() (string, error) {
		defer os.RemoveAll(dir)
		return stop()
	}, nil
}

var (
	polrunSummary = regexp.MustCompile(`polrun: \d+ events, .*`)
	polrunLost    = regexp.MustCompile(`(\d+) lost to a full ring buffer`)
)

// startLibraryReader reads events as polrun does, through the loader's
// Stream, and prints each as polrun events -o json does (ev.AppendJSON
// into a reused buffer, a buffered writer, the event given back to the
// stream with Release) to /dev/null, under the CPU
// profiler when prof is set; withMarshal, through json.Marshal instead.
func startLibraryReader(pinRoot string, prof *os.File, withMarshal bool) (func() (string, error), error) {
	s, err := loader.OpenStream(&loader.StreamOptions{PinRoot: pinRoot})
	if err != nil {
		return nil, fmt.Errorf("open stream: %w", err)
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		s.Close()
		return nil, err
	}
	if prof != nil {
		if err := pprof.StartCPUProfile(prof); err != nil {
			s.Close()
			null.Close()
			return nil, fmt.Errorf("start CPU profile: %w", err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var printErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		out := bufio.NewWriterSize(null, 64<<10) // as polrun events
		defer out.Flush()
		var line []byte
		for {
			ev, err := s.Next(ctx)
			if err != nil {
				if ctx.Err() == nil {
					printErr = err
				}
				return
			}
			if withMarshal {
				line, err = json.Marshal(ev)
			} else {
				line = ev.AppendJSON(line[:0])
			}
			if err != nil {
				printErr = err
				return
			}
			out.Write(line)
			out.WriteByte('\n')
			s.Release(ev)
		}
	}()
	return func() (string, error) {
		cancel()
		wg.Wait()
		if prof != nil {
			pprof.StopCPUProfile()
		}
		st := s.Stats()
		s.Close()
		null.Close()
		if printErr != nil {
			return "", printErr
		}
		if st.Undecodable > 0 {
			return "", fmt.Errorf("stream: %d undecodable (%s), %d dropped", st.Undecodable, st.LastUndecodable, st.Dropped)
		}
		// Records dropped are counted in Throughput.Lost and reported:
		// the emitting policy posts every process's getppid, so other
		// work on the machine adds records the generator does not wait
		// for.
		return "", nil
	}, nil
}

// ringPositions maps a ring buffer's consumer and producer pages read-only,
// to see how far any reader (another process's too) has read.
type ringPositions struct {
	mem []byte
}

func mapPositions(m *ebpf.Map) (*ringPositions, error) {
	page := os.Getpagesize()
	mem, err := unix.Mmap(m.FD(), 0, 2*page, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map ring buffer positions: %w", err)
	}
	return &ringPositions{mem: mem}, nil
}

func (p *ringPositions) close() { unix.Munmap(p.mem) }

func (p *ringPositions) consumer() uint64 {
	return atomic.LoadUint64((*uint64)(unsafe.Pointer(&p.mem[0])))
}

func (p *ringPositions) producer() uint64 {
	return atomic.LoadUint64((*uint64)(unsafe.Pointer(&p.mem[os.Getpagesize()])))
}

// waitDrained waits until the consumer position reaches the producer's.
func (p *ringPositions) waitDrained(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		prod, cons := p.producer(), p.consumer()
		if cons >= prod {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the reader is stuck: %d bytes unread after %v", prod-cons, timeout)
		}
		time.Sleep(20 * time.Microsecond)
	}
}

// ProfileFocus keeps the samples of the reader's goroutines: the Stream's
// drain (decoding) and the printing loop. The generator's thread and the
// runtime's background work (GC workers) are left out.
const ProfileFocus = `loader\.\(\*Stream\)|startLibraryReader`

// ProfileTop runs `go tool pprof -top` on a CPU profile of the
// in-process reader, by cumulative then by flat time, and returns both
// reports.
func ProfileTop(profile string) (string, error) {
	var b strings.Builder
	for _, view := range []struct{ title, order, focus, nodes string }{
		{"", "-cum", ProfileFocus, "25"},
		{"by flat time:", "-flat", ProfileFocus, "25"},
		{"the decoding goroutine alone (ring buffer read, decode, process cache):", "-cum", `loader\.\(\*Stream\)\.drain`, "8"},
	} {
		out, err := exec.Command("go", "tool", "pprof", "-top", view.order, "-nodecount="+view.nodes, "-focus="+view.focus, profile).Output()
		if err != nil {
			return "", fmt.Errorf("go tool pprof: %w", err)
		}
		if view.title != "" {
			// The header is the same; keep the table only.
			_, table, _ := strings.Cut(string(out), "      flat  flat%")
			out = []byte("\n" + view.title + "\n      flat  flat%" + table)
		}
		b.Write(out)
	}
	return b.String(), nil
}
