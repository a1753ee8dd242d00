package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/loader"
)

// EventHook is a hook the per-event cost is measured on, with the bundles
// of the two policies: one whose selectors reject the benchmark's
// syscalls, one that posts them.
type EventHook struct {
	Name   string // "tracepoint raw_syscalls/sys_enter"
	Raw    bool   // a raw tracepoint (sys_enter) instead of the tracepoint
	Reject []byte
	Emit   []byte
}

// EventCostOptions say how much to measure. Zero values take the defaults.
type EventCostOptions struct {
	PinRoot string // polrun pin root for the policies (default /sys/fs/bpf/polc-bench)
	Rounds  int    // interleaved rounds (default 9)
	Samples int    // samples per variant and round (default 41)
	Calls   int    // syscalls per sample (default 4000)
	CPU     int    // CPU of the syscall loop (default the last one; the reader takes CPU 0)
	// Gap spaces the loop's syscalls out (a spin in user space between
	// two); 0 makes them back to back.
	Gap time.Duration
	// Each is called before each syscall of the loop, when not nil.
	Each func()
	// Settle is a pause after attaching a variant and after detaching
	// it, so that the kernel's deferred work (freeing the programs, maps
	// and probes of the variant before, RCU callbacks) is not measured
	// as the next variant's: on a one-CPU guest it runs on the loop's
	// CPU. 0 for none.
	Settle time.Duration
	Log    func(format string, args ...any)
}

func (o *EventCostOptions) defaults() {
	if o.PinRoot == "" {
		o.PinRoot = "/sys/fs/bpf/polc-bench"
	}
	if o.Rounds == 0 {
		o.Rounds = 9
	}
	// Short samples, many of them: on a busy machine a long sample is
	// seldom free of preemption, while the median of short ones is.
	if o.Samples == 0 {
		o.Samples = 41
	}
	if o.Calls == 0 {
		o.Calls = 4000
	}
	if o.CPU == 0 {
		o.CPU = onlineCPUs() - 1
	}
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
}

// The variants of the per-event cost measurement.
const (
	VariantNone     = "nothing attached"
	VariantEmpty    = "empty program"
	VariantRejected = "policy, event rejected"
	VariantEmitted  = "policy, event emitted"
	VariantRingbuf  = "bare ring buffer output"
	// The same two without waking the reader (BPF_RB_NO_WAKEUP; the reader
	// polls): the generated program with only that flag changed.
	VariantEmittedNoWakeup = "policy, event emitted, no wakeup"
	VariantRingbufNoWakeup = "bare ring buffer output, no wakeup"
	// The emitting policy as before batched wakeups: its programs woke
	// the reader for every record (bpf_ringbuf_output's default flags).
	VariantEmittedEach = "policy, event emitted, waking for each record (before)"
)

// Variants in the order reports show them (then the ladder's rungs).
var Variants = []string{VariantNone, VariantEmpty, VariantRejected, VariantEmitted, VariantRingbuf,
	VariantEmittedNoWakeup, VariantRingbufNoWakeup, VariantEmittedEach}

// EventCost is the per-event cost on one hook.
type EventCost struct {
	Hook    string `json:"hook"`
	Rounds  int    `json:"rounds"`
	Samples int    `json:"samples"`
	Calls   int    `json:"calls"`
	CPU     int    `json:"cpu"`
	// NsPerCall is the time of one getppid syscall with each variant
	// attached: per round, the median of the samples; summarized over the
	// rounds.
	NsPerCall map[string]Summary `json:"nsPerCall"`
	// Overhead is NsPerCall minus that of "nothing attached" in the same
	// round.
	Overhead map[string]Summary `json:"overhead"`
	// RejectedRatio and EmittedRatio divide the policy's overhead by the
	// empty program's, per round; EmittedToRingbuf divides the emitting
	// policy's overhead by the bare ring buffer program's.
	RejectedRatio Summary `json:"rejectedRatio"`
	// OverEmpty is every variant's overhead over the empty program's, per
	// round (the ladder's rungs included).
	OverEmpty        map[string]Summary `json:"overEmpty"`
	EmittedRatio     Summary            `json:"emittedRatio"`
	EmittedToRingbuf Summary            `json:"emittedToRingbuf"`
	// EmittedToRingbufNoWakeup is the same ratio without wakeups, and
	// EmittedEachToRingbuf with the policy waking the reader for each
	// record, as before batched wakeups.
	EmittedToRingbufNoWakeup Summary `json:"emittedToRingbufNoWakeup"`
	EmittedEachToRingbuf     Summary `json:"emittedEachToRingbuf"`
	// InsnsPerCall are instructions retired per syscall (user and kernel),
	// when the CPU counts them; InsnsNote says why not otherwise.
	InsnsPerCall map[string]Summary `json:"insnsPerCall,omitempty"`
	InsnsNote    string             `json:"insnsNote,omitempty"`
	// ProgramNs is each program's own run time per run, from the kernel's
	// BPF statistics (BPF_ENABLE_STATS), in a separate pass: the variants'
	// programs and the ladder's rungs (keyed "ladder:NAME").
	ProgramNs map[string]Summary `json:"programNs,omitempty"`
	// Emitted counts the records the readers read and the drop counters'
	// increase while the emitting programs ran.
	EmittedRead    uint64 `json:"emittedRead"`
	EmittedDropped uint64 `json:"emittedDropped"`
	// Interference lists other programs found on the syscall tracepoints
	// during the run, which make "nothing attached" pay for the
	// tracepoint too; the rounds during which they were there are
	// discarded (Discarded) and run again.
	Interference []string `json:"interference,omitempty"`
	Discarded    int      `json:"discarded,omitempty"`
}

// MeasureEventCost measures, for each hook, the time of a getppid syscall
// with nothing attached, with an empty program, with the two policies and
// with a bare ring buffer program, in interleaved rounds; then each
// program's own run time.
func MeasureEventCost(hooks []EventHook, opts EventCostOptions) ([]EventCost, error) {
	opts.defaults()
	if getppidNR != 110 {
		return nil, fmt.Errorf("event cost: the benchmark policies name getppid as syscall 110, its number on x86_64 only")
	}
	if err := os.MkdirAll(opts.PinRoot, 0o755); err != nil {
		return nil, fmt.Errorf("event cost: %w", err)
	}
	loop, err := newSyscallLoop(opts.CPU)
	if err != nil {
		return nil, fmt.Errorf("event cost: %w", err)
	}
	defer loop.close()
	var out []EventCost
	for _, h := range hooks {
		ec, err := measureHook(loop, h, &opts)
		if err != nil {
			return nil, fmt.Errorf("event cost on %s: %w", h.Name, err)
		}
		out = append(out, *ec)
	}
	return out, nil
}

// variant is one configuration under measurement: attach puts it in
// place and returns what undoes it.
type variant struct {
	name   string
	attach func() (detach func() error, err error)
	// prog returns the attached program, for the BPF statistics pass.
	prog func() (*ebpf.Program, error)
}

// progVariant attaches a loaded program to sys_enter, with a drainer
// reading its ring buffer when d is not nil.
func progVariant(name string, p *ebpf.Program, raw bool, d *drainer) variant {
	return variant{name: name, attach: func() (func() error, error) {
		if d != nil {
			if err := d.start(); err != nil {
				return nil, err
			}
		}
		l, err := attachSysEnter(p, raw)
		if err != nil {
			if d != nil {
				d.stop()
			}
			return nil, err
		}
		return func() error {
			err := l.Close()
			if d != nil {
				d.stop()
			}
			return err
		}, nil
	}, prog: func() (*ebpf.Program, error) { return p, nil }}
}

func measureHook(loop *syscallLoop, h EventHook, o *EventCostOptions) (*EventCost, error) {
	if err := cleanPinRoot(o.PinRoot); err != nil {
		return nil, err
	}
	progs, err := newHookPrograms(h)
	if err != nil {
		return nil, err
	}
	defer progs.close()
	ec := &EventCost{Hook: h.Name, Rounds: o.Rounds, Samples: o.Samples, Calls: o.Calls, CPU: o.CPU,
		NsPerCall: map[string]Summary{}, Overhead: map[string]Summary{}}
	baseDrain := &drainer{ring: baseRing(o.PinRoot), drops: baseDrops(o.PinRoot)}
	ringDrain := &drainer{ring: progs.ring.Clone}
	quietDrain := &drainer{ring: progs.quietRing.Clone}
	quietBaseDrain := &drainer{ring: baseRing(o.PinRoot), drops: baseDrops(o.PinRoot)}
	eachBaseDrain := &drainer{ring: baseRing(o.PinRoot), drops: baseDrops(o.PinRoot)}
	variants := []variant{
		{name: VariantNone, attach: func() (func() error, error) { return func() error { return nil }, nil }},
		progVariant(VariantEmpty, progs.empty, h.Raw, nil),
		{name: VariantRejected, attach: policyAttach(progs.reject, o.PinRoot, nil), prog: policyProgram(progs.reject, o.PinRoot)},
		{name: VariantEmitted, attach: policyAttach(progs.emit, o.PinRoot, baseDrain), prog: policyProgram(progs.emit, o.PinRoot)},
		progVariant(VariantRingbuf, progs.ringProg, h.Raw, ringDrain),
		{name: VariantEmittedNoWakeup, attach: policyAttach(progs.emitQuiet, o.PinRoot, quietBaseDrain),
			prog: policyProgram(progs.emitQuiet, o.PinRoot)},
		progVariant(VariantRingbufNoWakeup, progs.quietProg, h.Raw, quietDrain),
		{name: VariantEmittedEach, attach: policyAttach(progs.emitEach, o.PinRoot, eachBaseDrain),
			prog: policyProgram(progs.emitEach, o.PinRoot)},
	}
	for i, step := range Ladder {
		variants = append(variants, progVariant(LadderKey(step.Name), progs.ladder[i], h.Raw, nil))
	}
	emitDrain := &drainer{ring: progs.emitRing.Clone}
	for i, step := range EmitLadder {
		variants = append(variants, progVariant(EmitLadderKey(step.Name), progs.emitLadder[i], h.Raw, emitDrain))
	}

	perRound := map[string][]float64{}
	insns := map[string][]float64{}
	for r, attempt := 0, 0; r < o.Rounds; attempt++ {
		if attempt >= 3*o.Rounds {
			return nil, fmt.Errorf("%w (%v): %d rounds discarded", ErrBusy, ec.Interference, ec.Discarded)
		}
		ns, ins, others, err := measureRound(loop, variants, r, o)
		if err != nil {
			return nil, err
		}
		if len(others) > 0 {
			for _, who := range others {
				ec.Interference = appendUnique(ec.Interference, who)
			}
			ec.Discarded++
			o.Log("%s: round discarded, other programs on the syscall tracepoints: %v", h.Name, others)
			time.Sleep(2 * time.Second)
			continue
		}
		r++
		over := func(v string) float64 { return ns[v] - ns[VariantNone] }
		for _, v := range variants {
			perRound[v.name] = append(perRound[v.name], ns[v.name])
			insns[v.name] = append(insns[v.name], ins[v.name])
			if v.name != VariantNone {
				perRound["over:"+v.name] = append(perRound["over:"+v.name], over(v.name))
				perRound["ratio:"+v.name] = append(perRound["ratio:"+v.name], over(v.name)/over(VariantEmpty))
			}
		}
		perRound["ratio:ringbuf"] = append(perRound["ratio:ringbuf"], over(VariantEmitted)/over(VariantRingbuf))
		perRound["ratio:quiet"] = append(perRound["ratio:quiet"], over(VariantEmittedNoWakeup)/over(VariantRingbufNoWakeup))
		perRound["ratio:each"] = append(perRound["ratio:each"], over(VariantEmittedEach)/over(VariantRingbuf))
		o.Log("%s round %d: none %.1f, empty %.1f, rejected %.1f, emitted %.1f, ring buffer %.1f ns/syscall", h.Name, r,
			ns[VariantNone], ns[VariantEmpty], ns[VariantRejected], ns[VariantEmitted], ns[VariantRingbuf])
	}
	ec.OverEmpty = map[string]Summary{}
	for _, v := range variants {
		ec.NsPerCall[v.name] = Summarize(perRound[v.name])
		if v.name != VariantNone {
			ec.Overhead[v.name] = Summarize(perRound["over:"+v.name])
			ec.OverEmpty[v.name] = Summarize(perRound["ratio:"+v.name])
		}
	}
	ec.RejectedRatio = ec.OverEmpty[VariantRejected]
	ec.EmittedRatio = ec.OverEmpty[VariantEmitted]
	ec.EmittedToRingbuf = Summarize(perRound["ratio:ringbuf"])
	ec.EmittedToRingbufNoWakeup = Summarize(perRound["ratio:quiet"])
	ec.EmittedEachToRingbuf = Summarize(perRound["ratio:each"])
	if loop.Counting {
		ec.InsnsPerCall = map[string]Summary{}
		for _, v := range variants {
			ec.InsnsPerCall[v.name] = Summarize(insns[v.name])
		}
	} else {
		ec.InsnsNote = fmt.Sprintf("no instruction counts: %v", loop.CountErr)
	}
	for _, d := range []*drainer{baseDrain, ringDrain, quietDrain, quietBaseDrain, eachBaseDrain, emitDrain} {
		ec.EmittedRead += d.total.Load()
		ec.EmittedDropped += d.dropped.Load()
	}

	// The programs' own run time, with the kernel's statistics on: they
	// cost two clock reads per run, so this pass is kept apart.
	progNs, err := measureProgramTime(loop, variants[1:], o)
	if err != nil {
		return nil, err
	}
	ec.ProgramNs = progNs
	return ec, nil
}

// LadderKey is the variant name of a ladder rung.
func LadderKey(step string) string { return "ladder:" + step }

// hookPrograms are the programs and bundles measured on one hook.
type hookPrograms struct {
	empty, ringProg, quietProg *ebpf.Program
	ring, quietRing            *ebpf.Map
	ladder                     []*ebpf.Program
	maps                       ladderMaps
	// The emitted ladder's rungs, their ring and posted counter.
	emitLadder              []*ebpf.Program
	emitRing, emitCounters  *ebpf.Map
	reject, emit, emitQuiet *loader.Bundle
	// emitEach is emit waking the reader for every record, as polc's
	// programs did before they batched wakeups.
	emitEach *loader.Bundle
}

func newHookPrograms(h EventHook) (_ *hookPrograms, err error) {
	hp := &hookPrograms{}
	defer func() {
		if err != nil {
			hp.close()
		}
	}()
	if hp.reject, err = loader.ReadBundle(h.Reject); err != nil {
		return nil, fmt.Errorf("reject bundle: %w", err)
	}
	if hp.emit, err = loader.ReadBundle(h.Emit); err != nil {
		return nil, fmt.Errorf("emit bundle: %w", err)
	}
	typ := ebpf.TracePoint
	if h.Raw {
		typ = ebpf.RawTracepoint
	}
	if hp.empty, err = loadBenchProgram("bench_empty", typ, asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}); err != nil {
		return nil, err
	}
	// The bare ring buffer program posts to a ring of its own, as large
	// as the base's.
	if hp.ring, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_ring", Type: ebpf.RingBuf, MaxEntries: bpf.EventsRingBytes}); err != nil {
		return nil, fmt.Errorf("create ring buffer: %w", err)
	}
	if hp.ringProg, err = ringbufProgram(typ, hp.ring, 0); err != nil {
		return nil, err
	}
	if hp.quietRing, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_ring_q", Type: ebpf.RingBuf, MaxEntries: bpf.EventsRingBytes}); err != nil {
		return nil, fmt.Errorf("create ring buffer: %w", err)
	}
	if hp.quietProg, err = ringbufProgram(typ, hp.quietRing, rbNoWakeup); err != nil {
		return nil, err
	}
	if hp.emitQuiet, err = withWakeupFlags(hp.emit, rbNoWakeup); err != nil {
		return nil, err
	}
	if hp.emitEach, err = withWakeupFlags(hp.emit, 0); err != nil {
		return nil, err
	}
	if hp.maps, err = newLadderMaps(hp.reject); err != nil {
		return nil, err
	}
	for i := range Ladder {
		p, err := ladderProgram(i, typ, hp.maps)
		if err != nil {
			return nil, err
		}
		hp.ladder = append(hp.ladder, p)
	}
	if hp.emitRing, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_ring_e", Type: ebpf.RingBuf, MaxEntries: bpf.EventsRingBytes}); err != nil {
		return nil, fmt.Errorf("create ring buffer: %w", err)
	}
	if hp.emitCounters, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_counters", Type: ebpf.PerCPUArray, KeySize: 4,
		ValueSize: 8, MaxEntries: 1}); err != nil {
		return nil, fmt.Errorf("create counters: %w", err)
	}
	for i := range EmitLadder {
		p, err := emitLadderProgram(i, typ, hp.maps, hp.emitRing, hp.emitCounters)
		if err != nil {
			return nil, err
		}
		hp.emitLadder = append(hp.emitLadder, p)
	}
	return hp, nil
}

func (hp *hookPrograms) close() {
	for _, p := range append(append([]*ebpf.Program{hp.empty, hp.ringProg, hp.quietProg}, hp.ladder...), hp.emitLadder...) {
		if p != nil {
			p.Close()
		}
	}
	for _, m := range []*ebpf.Map{hp.ring, hp.quietRing, hp.emitRing, hp.emitCounters} {
		if m != nil {
			m.Close()
		}
	}
	hp.maps.close()
}

// measureRound measures every variant once, starting at variant r (so
// that no variant always follows the same one). It returns the other
// programs found on the syscall tracepoints before or after the round.
func measureRound(loop *syscallLoop, variants []variant, r int, o *EventCostOptions) (ns, insns map[string]float64, others []string, err error) {
	before := syscallHookLinks()
	ns, insns = map[string]float64{}, map[string]float64{}
	for i := range variants {
		v := variants[(i+r)%len(variants)]
		med, ins, err := measureVariant(loop, v, o)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", v.name, err)
		}
		ns[v.name], insns[v.name] = med, ins
	}
	return ns, insns, notAmbient(before, syscallHookLinks()), nil
}

// ErrBusy: other programs came and went on the syscall tracepoints in
// most rounds (other work on the machine), so that too many rounds were
// discarded to measure.
var ErrBusy = errors.New("other programs kept the syscall tracepoints busy")

// ambientLinks are the programs that were on the syscall tracepoints when
// the run started (NoteAmbientLinks): left there by work the benchmark
// cannot stop. Attached throughout a round, such a program adds the same
// cost to every variant, "nothing attached" included, and overheads are
// differences within a round; so rounds are discarded only for programs
// that come or go during the run.
var ambientLinks = map[string]bool{}

// NoteAmbientLinks takes the programs on the syscall tracepoints now as
// ambient, and returns them (for the report).
func NoteAmbientLinks() []string {
	l := syscallHookLinks()
	for _, who := range l {
		ambientLinks[who] = true
	}
	return l
}

// notAmbient is what makes a round unusable, given the programs on the
// syscall tracepoints before and after it: those that are not ambient,
// and ambient ones that went away during it. An ambient program gone
// before the round is ambient no longer.
func notAmbient(before, after []string) (others []string) {
	for _, who := range append(before, after...) {
		if !ambientLinks[who] {
			others = appendUnique(others, who)
		}
	}
	for who := range ambientLinks {
		inBefore, inAfter := slices.Contains(before, who), slices.Contains(after, who)
		switch {
		case inBefore != inAfter:
			others = appendUnique(others, who+", detached during the round")
		case !inBefore:
			delete(ambientLinks, who)
		}
	}
	return others
}

// measureVariant attaches v, warms up, and returns the median time per
// syscall of o.Samples samples and the median instructions per syscall.
func measureVariant(loop *syscallLoop, v variant, o *EventCostOptions) (nsPerCall, insnsPerCall float64, err error) {
	detach, err := v.attach()
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if derr := detach(); err == nil && derr != nil {
			err = derr
		}
		time.Sleep(o.Settle)
	}()
	time.Sleep(o.Settle)
	if _, err := loop.runWith(o.Calls/5, o.Gap, o.Each); err != nil {
		return 0, 0, err
	}
	var times, counts []float64
	for range o.Samples {
		s, err := loop.runWith(o.Calls, o.Gap, o.Each)
		if err != nil {
			return 0, 0, err
		}
		times = append(times, float64(s.elapsed.Nanoseconds())/float64(o.Calls))
		counts = append(counts, float64(s.insns)/float64(o.Calls))
	}
	return median(times), median(counts), nil
}

// measureProgramTime reads the kernel's run time and run count of each
// variant's program over o.Samples loops, with BPF statistics on.
func measureProgramTime(loop *syscallLoop, variants []variant, o *EventCostOptions) (map[string]Summary, error) {
	stats, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME))
	if err != nil {
		return nil, fmt.Errorf("enable BPF statistics: %w", err)
	}
	defer stats.Close()
	out := map[string]Summary{}
	for _, v := range variants {
		detach, err := v.attach()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.name, err)
		}
		per, err := programRunTime(loop, v, o)
		if derr := detach(); err == nil {
			err = derr
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.name, err)
		}
		out[v.name] = Summarize(per)
	}
	return out, nil
}

// programRunTime returns the attached variant's program's run time per
// run in each of o.Samples loops.
func programRunTime(loop *syscallLoop, v variant, o *EventCostOptions) ([]float64, error) {
	prog, err := v.prog()
	if err != nil {
		return nil, err
	}
	if _, err := loop.run(o.Calls / 5); err != nil {
		return nil, err
	}
	var per []float64
	for range o.Samples {
		before, err := prog.Stats()
		if err != nil {
			return nil, fmt.Errorf("program statistics: %w", err)
		}
		if _, err := loop.run(o.Calls); err != nil {
			return nil, err
		}
		after, err := prog.Stats()
		if err != nil {
			return nil, fmt.Errorf("program statistics: %w", err)
		}
		if n := after.RunCount - before.RunCount; n > 0 {
			per = append(per, float64(after.Runtime-before.Runtime)/float64(n))
		}
	}
	return per, nil
}

func attachSysEnter(p *ebpf.Program, raw bool) (link.Link, error) {
	if raw {
		return link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: p})
	}
	return link.Tracepoint("raw_syscalls", "sys_enter", p, nil)
}

// policyAttach loads a bundle with polrun's loader (attached, pinned under
// pinRoot) and, with a drainer, reads its events as they come.
func policyAttach(b *loader.Bundle, pinRoot string, d *drainer) func() (func() error, error) {
	return func() (func() error, error) {
		opts := &loader.Options{PinRoot: pinRoot}
		if _, err := loader.Load([]*loader.Bundle{b}, opts); err != nil {
			return nil, err
		}
		unload := func() error { return loader.Unload([]string{b.Name()}, opts) }
		if d == nil {
			return unload, nil
		}
		if err := d.start(); err != nil {
			unload()
			return nil, err
		}
		return func() error {
			d.stop()
			return unload()
		}, nil
	}
}

// policyProgram returns the loaded policy's (only) program, from its
// pinned link.
func policyProgram(b *loader.Bundle, pinRoot string) func() (*ebpf.Program, error) {
	return func() (*ebpf.Program, error) {
		h := b.Manifest.Hooks[0]
		path := filepath.Join(bpf.PolicyPinDir(pinRoot, b.Name()), bpf.LinksDir, bpf.PinName(h.Programs[0].Name))
		l, err := link.LoadPinnedLink(path, nil)
		if err != nil {
			return nil, fmt.Errorf("pinned link: %w", err)
		}
		defer l.Close()
		info, err := l.Info()
		if err != nil {
			return nil, fmt.Errorf("link info: %w", err)
		}
		return ebpf.NewProgramFromID(info.Program)
	}
}

// cleanPinRoot unloads whatever an interrupted earlier run left under the
// benchmark's pin root.
func cleanPinRoot(root string) error {
	st, err := loader.List(&loader.Options{PinRoot: root})
	if err != nil {
		return nil // nothing loaded there
	}
	var names []string
	for _, p := range st.Policies {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return nil
	}
	if err := loader.Unload(names, &loader.Options{PinRoot: root}); err != nil {
		return fmt.Errorf("unload leftovers under %s: %w", root, err)
	}
	return nil
}

// drainer reads a ring buffer on its own thread, pinned to CPU 0 (the
// syscall loop runs on another), counting records, while an emitting
// program is measured. ring opens the ring buffer anew at each start (the
// base's is created with the policy); drops, when set, opens the drop
// counter whose increase is recorded.
type drainer struct {
	ring  func() (*ebpf.Map, error)
	drops func() (*ebpf.Map, error)

	rd       *ringbuf.Reader
	dropsMap *ebpf.Map
	before   uint64
	wg       sync.WaitGroup
	total    atomic.Uint64
	dropped  atomic.Uint64
}

func baseRing(pinRoot string) func() (*ebpf.Map, error) {
	return func() (*ebpf.Map, error) {
		return ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(pinRoot), bpf.EventsMap), nil)
	}
}

func baseDrops(pinRoot string) func() (*ebpf.Map, error) {
	return func() (*ebpf.Map, error) {
		return ebpf.LoadPinnedMap(filepath.Join(bpf.BasePinDir(pinRoot), bpf.DropsMap), nil)
	}
}

// pollInterval is how often a drainer looks for records it was not woken
// up for.
const pollInterval = 5 * time.Millisecond

func (d *drainer) start() error {
	events, err := d.ring()
	if err != nil {
		return fmt.Errorf("open ring buffer: %w", err)
	}
	defer events.Close()
	d.rd, err = ringbuf.NewReader(events)
	if err != nil {
		return fmt.Errorf("ring buffer reader: %w", err)
	}
	if d.drops != nil {
		d.dropsMap, err = d.drops()
		if err != nil {
			d.rd.Close()
			return fmt.Errorf("open drop counter: %w", err)
		}
		d.before = sumPerCPU(d.dropsMap)
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if undo, err := pinThread(0); err == nil {
			defer undo()
		}
		// Without wakeups (BPF_RB_NO_WAKEUP) records are found only when
		// a deadline passes: poll every pollInterval.
		var rec ringbuf.Record
		d.rd.SetDeadline(time.Now().Add(pollInterval))
		for {
			if err := d.rd.ReadInto(&rec); err != nil {
				if errors.Is(err, ringbuf.ErrClosed) {
					return
				}
				d.rd.SetDeadline(time.Now().Add(pollInterval))
				continue
			}
			d.total.Add(1)
		}
	}()
	return nil
}

func (d *drainer) stop() {
	d.rd.Close()
	d.wg.Wait()
	if d.dropsMap != nil {
		d.dropped.Add(sumPerCPU(d.dropsMap) - d.before)
		d.dropsMap.Close()
		d.dropsMap = nil
	}
}

// sumPerCPU sums a per-CPU array's uint64 values at key 0.
func sumPerCPU(m *ebpf.Map) uint64 {
	var vals []uint64
	if err := m.Lookup(uint32(0), &vals); err != nil {
		return 0
	}
	var n uint64
	for _, v := range vals {
		n += v
	}
	return n
}

// syscallHookLinks names the BPF links attached to the syscall tracepoints
// (raw_syscalls, syscalls/*, raw sys_enter/sys_exit) that are not ours.
func syscallHookLinks() []string {
	var out []string
	it := new(link.Iterator)
	defer it.Close()
	for it.Next() {
		info, err := it.Link.Info()
		if err != nil {
			continue
		}
		var what string
		if rt := info.RawTracepoint(); rt != nil && (rt.Name == "sys_enter" || rt.Name == "sys_exit") {
			what = "raw_tracepoint " + rt.Name
		}
		if pe := info.PerfEvent(); pe != nil {
			if tp := pe.Tracepoint(); tp != nil && (hasPrefix(tp.Tracepoint, "sys_") || hasPrefix(tp.Tracepoint, "raw_syscalls")) {
				what = "tracepoint " + tp.Tracepoint
			}
		}
		if what != "" {
			out = append(out, fmt.Sprintf("%s (program %d)", what, info.Program))
		}
	}
	return out
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
