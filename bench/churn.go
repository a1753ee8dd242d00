package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/loader"
)

// The verdict cache under process churn (polc issue 18, item 4). The
// rejecting policy's cached verdict used to depend on one generation of
// the whole process table, which every exec, fork and exit on the host
// moves: each moved it forces the next event on every CPU through the
// table. Now a verdict depends on the process's own generation (and its
// parent's), and churn elsewhere leaves it valid (codegen/verdicts.go).
// The benchmark measures the rejecting policy built both ways ("before":
// codegen.Options.GlobalVerdictGeneration; "after": as polc builds it)
// while a thread on another CPU forks, execs /bin/true and reaps it in a
// loop, and without that churn, in the same interleaved rounds.
//
// Two measurements. The syscall loop's time per getppid, back to back, as
// the per-event cost table does: there the loop makes a few million
// events a second against a few thousand table changes, so only a small
// share of its events follow a change. And the program's own run time per
// run (the kernel's BPF statistics, over every event on the host) while
// the loop's syscalls are SparseGap apart, a process making tens of
// thousands of syscalls a second: then a larger share of the events follow
// a change elsewhere, and each of those takes the table path before, not
// after. The churn's own processes are new, so their events take the table
// path either way.

// Churn variants: the policy built before and after per-process
// generations, each with and without the churn.
const (
	ChurnBefore = "before (one generation for the table)"
	ChurnAfter  = "after (per-process generations)"
)

// ChurnVariants in the order reports show them.
var ChurnVariants = []string{ChurnBefore, ChurnAfter}

// SparseGap is the time between two syscalls of the sparse loop.
const SparseGap = 20 * time.Microsecond

// ChurnCost is the rejected event's cost with and without churn.
type ChurnCost struct {
	Hook    string `json:"hook"`
	Rounds  int    `json:"rounds"`
	Samples int    `json:"samples"`
	Calls   int    `json:"calls"`
	// ForksPerSec is the churn thread's rate: children forked, exec'd and
	// reaped per second (each moves the table's generation three times).
	ForksPerSec Summary `json:"forksPerSec"`
	// Overhead is ns per getppid over nothing attached with the same
	// churn state in the same round, keyed "NAME" (quiet) and
	// "NAME, churn", for NAME in ChurnVariants.
	Overhead map[string]Summary `json:"overhead"`
	// ChurnToQuiet is, per round, a variant's overhead under churn over
	// its overhead without.
	ChurnToQuiet map[string]Summary `json:"churnToQuiet"`
	// AfterToBefore is, per round, the after variant's overhead under
	// churn over the before variant's.
	AfterToBefore Summary `json:"afterToBefore"`
	// SparseNs is the program's own run time per run (the kernel's BPF
	// statistics: every event on the host, the loop's, the churn's and
	// the machine's other work) while the loop's syscalls are SparseGap
	// apart (SparseCalls a sample), keyed as Overhead.
	SparseNs map[string]Summary `json:"sparseNs"`
	// SparseAfterToBefore is, per round, the after program's run time
	// under churn over the before program's.
	SparseAfterToBefore Summary `json:"sparseAfterToBefore"`
	SparseGapNs         int64   `json:"sparseGapNs"`
	// Changes is the overhead (ns per getppid over nothing attached,
	// which makes the same map updates) when before every getppid the
	// loop moves the generations as a change to another process's entry
	// does (the table's and that process's), keyed by ChurnVariants:
	// every event after a change. ChangesNs is the program's own run time
	// per run then. The ratios are per round, after over before.
	Changes                 map[string]Summary `json:"changes"`
	ChangesNs               map[string]Summary `json:"changesNs"`
	ChangesAfterToBefore    Summary            `json:"changesAfterToBefore"`
	ChangesRunAfterToBefore Summary            `json:"changesRunAfterToBefore"`
	SparseCalls             int                `json:"sparseCalls"`
}

// BuildGlobalVerdicts builds the policy file path (one policy) as before
// per-process generations: its cached verdicts check the table's
// generation.
func BuildGlobalVerdicts(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	built, err := buildPolicies("bench", compiler.NewSource(path, data), codegen.Options{GlobalVerdictGeneration: true})
	if err != nil {
		return nil, err
	}
	if len(built) != 1 || built[0].Bundle == nil {
		return nil, fmt.Errorf("build %s: no bundle", path)
	}
	return built[0].Bundle.Object, nil
}

// churner forks, execs /bin/true and reaps it in a loop on one CPU.
type churner struct {
	stop    atomic.Bool
	done    chan struct{}
	forks   atomic.Uint64
	started time.Time
	err     error
}

// startChurn starts a churner on cpu; its children inherit the CPU.
func startChurn(cpu int) (*churner, error) {
	c := &churner{done: make(chan struct{})}
	ready := make(chan error)
	go func() {
		defer close(c.done)
		unpin, err := pinThread(cpu)
		ready <- err
		if err != nil {
			return
		}
		defer unpin()
		for !c.stop.Load() {
			pid, err := syscall.ForkExec("/bin/true", []string{"true"}, &syscall.ProcAttr{})
			if err != nil {
				c.err = fmt.Errorf("churn: %w", err)
				return
			}
			var ws syscall.WaitStatus
			if _, err := syscall.Wait4(pid, &ws, 0, nil); err != nil {
				c.err = fmt.Errorf("churn: wait: %w", err)
				return
			}
			c.forks.Add(1)
		}
	}()
	if err := <-ready; err != nil {
		return nil, err
	}
	c.started = time.Now()
	return c, nil
}

// finish stops the churner and returns its rate.
func (c *churner) finish() (perSec float64, err error) {
	c.stop.Store(true)
	<-c.done
	return float64(c.forks.Load()) / time.Since(c.started).Seconds(), c.err
}

// churnRates collects the churners' rates.
type churnRates struct {
	mu    sync.Mutex
	rates []float64
}

// withChurn runs the churner on cpu while v is attached.
func (cr *churnRates) withChurn(v variant, cpu int) variant {
	return variant{name: v.name + ", churn", prog: v.prog, attach: func() (func() error, error) {
		c, err := startChurn(cpu)
		if err != nil {
			return nil, err
		}
		detach, err := v.attach()
		if err != nil {
			c.finish()
			return nil, err
		}
		return func() error {
			err := detach()
			rate, cerr := c.finish()
			cr.mu.Lock()
			cr.rates = append(cr.rates, rate)
			cr.mu.Unlock()
			if err != nil {
				return err
			}
			return cerr
		}, nil
	}}
}

// MeasureChurn measures h's rejecting policy as built now (h.Reject) and
// before per-process generations (before), with and without churn on
// another CPU than the loop's.
func MeasureChurn(h EventHook, before []byte, opts EventCostOptions) (*ChurnCost, error) {
	opts.defaults()
	churnCPU := 0
	if opts.CPU == churnCPU {
		return nil, fmt.Errorf("churn: the loop runs on CPU 0, where the churn would run: needs two CPUs")
	}
	if err := os.MkdirAll(opts.PinRoot, 0o755); err != nil {
		return nil, fmt.Errorf("churn: %w", err)
	}
	if err := cleanPinRoot(opts.PinRoot); err != nil {
		return nil, err
	}
	after, err := loader.ReadBundle(h.Reject)
	if err != nil {
		return nil, fmt.Errorf("churn: after bundle: %w", err)
	}
	bef, err := loader.ReadBundle(before)
	if err != nil {
		return nil, fmt.Errorf("churn: before bundle: %w", err)
	}
	loop, err := newSyscallLoop(opts.CPU)
	if err != nil {
		return nil, fmt.Errorf("churn: %w", err)
	}
	defer loop.close()
	hp, err := newHookPrograms(h)
	if err != nil {
		return nil, err
	}
	defer hp.close()

	cr := &churnRates{}
	none := variant{name: VariantNone, attach: func() (func() error, error) { return func() error { return nil }, nil }}
	policies := []variant{
		{name: ChurnBefore, attach: policyAttach(bef, opts.PinRoot, nil), prog: policyProgram(bef, opts.PinRoot)},
		{name: ChurnAfter, attach: policyAttach(after, opts.PinRoot, nil), prog: policyProgram(after, opts.PinRoot)},
	}
	variants := []variant{none, cr.withChurn(none, churnCPU)}
	for _, v := range policies {
		variants = append(variants, v, cr.withChurn(v, churnCPU))
	}

	cc := &ChurnCost{Hook: h.Name, Rounds: opts.Rounds, Samples: opts.Samples, Calls: opts.Calls,
		Overhead: map[string]Summary{}, ChurnToQuiet: map[string]Summary{}, SparseNs: map[string]Summary{},
		SparseGapNs: SparseGap.Nanoseconds(), SparseCalls: sparseCalls}
	dense, err := churnRounds(loop, variants, &opts)
	if err != nil {
		return nil, err
	}
	for name, s := range dense {
		if name == "ratio" {
			cc.AfterToBefore = Summarize(s)
		} else if r, ok := strings.CutPrefix(name, "ratio:"); ok {
			cc.ChurnToQuiet[r] = Summarize(s)
		} else {
			cc.Overhead[name] = Summarize(s)
		}
	}
	so := opts
	so.Gap = SparseGap
	sparse, err := sparseRunTimes(loop, variants[2:], &so, ChurnAfter+", churn", ChurnBefore+", churn")
	if err != nil {
		return nil, err
	}
	for name, s := range sparse {
		if name == "ratio" {
			cc.SparseAfterToBefore = Summarize(s)
		} else {
			cc.SparseNs[name] = Summarize(s)
		}
	}

	// Every event after a change to another process's entry.
	bp, err := newBumper()
	if err != nil {
		return nil, err
	}
	defer bp.close()
	co := opts
	co.Each = bp.each
	changed := []variant{bp.with(none, opts.PinRoot)}
	for _, v := range policies {
		changed = append(changed, bp.with(v, opts.PinRoot))
	}
	cc.Changes, cc.ChangesNs = map[string]Summary{}, map[string]Summary{}
	perRound := map[string][]float64{}
	for r, attempt := 0, 0; r < opts.Rounds; attempt++ {
		if attempt >= 3*opts.Rounds {
			return nil, fmt.Errorf("churn: %w", ErrBusy)
		}
		ns, _, others, err := measureRound(loop, changed, r, &co)
		if err != nil {
			return nil, fmt.Errorf("churn: %w", err)
		}
		if len(others) > 0 {
			time.Sleep(2 * time.Second)
			continue
		}
		r++
		for _, v := range ChurnVariants {
			perRound[v] = append(perRound[v], ns[v+", changes"]-ns[VariantNone+", changes"])
		}
		perRound["ratio"] = append(perRound["ratio"], (ns[ChurnAfter+", changes"]-ns[VariantNone+", changes"])/
			(ns[ChurnBefore+", changes"]-ns[VariantNone+", changes"]))
		opts.Log("churn round %d, every event after a change: %v ns per syscall", r, ns)
	}
	for _, v := range ChurnVariants {
		cc.Changes[v] = Summarize(perRound[v])
	}
	cc.ChangesAfterToBefore = Summarize(perRound["ratio"])
	runs, err := sparseRunTimes(loop, changed[1:], &co, ChurnAfter+", changes", ChurnBefore+", changes")
	if err != nil {
		return nil, err
	}
	for name, s := range runs {
		if name == "ratio" {
			cc.ChangesRunAfterToBefore = Summarize(s)
		} else {
			cc.ChangesNs[strings.TrimSuffix(name, ", changes")] = Summarize(s)
		}
	}
	cc.ForksPerSec = Summarize(cr.rates)
	return cc, nil
}

// sparseCalls is the sparse loop's syscalls per sample: 4 ms at SparseGap.
const sparseCalls = 200

// sparseRunTimes measures each policy variant's program's run time per
// run (BPF statistics) over o.Samples loops of sparseCalls syscalls
// (o.Gap apart, o.Each before each), in o.Rounds interleaved rounds: per
// round, the median of the samples; "ratio" holds variant after's over
// variant before's.
func sparseRunTimes(loop *syscallLoop, variants []variant, o *EventCostOptions, after, before string) (map[string][]float64, error) {
	stats, err := ebpf.EnableStats(uint32(unix.BPF_STATS_RUN_TIME))
	if err != nil {
		return nil, fmt.Errorf("enable BPF statistics: %w", err)
	}
	defer stats.Close()
	out := map[string][]float64{}
	for r := range o.Rounds {
		round := map[string]float64{}
		for i := range variants {
			v := variants[(i+r)%len(variants)]
			per, err := sparseRunTime(loop, v, o)
			if err != nil {
				return nil, fmt.Errorf("churn: sparse %s: %w", v.name, err)
			}
			round[v.name] = median(per)
			out[v.name] = append(out[v.name], round[v.name])
		}
		out["ratio"] = append(out["ratio"], round[after]/round[before])
		o.Log("churn round %d, program run time (gap %v): %v ns per run", r+1, o.Gap, round)
	}
	return out, nil
}

// sparseRunTime attaches v and returns its program's run time per run in
// each of o.Samples sparse loops.
func sparseRunTime(loop *syscallLoop, v variant, o *EventCostOptions) (per []float64, err error) {
	detach, err := v.attach()
	if err != nil {
		return nil, err
	}
	defer func() {
		if derr := detach(); err == nil && derr != nil {
			err = derr
		}
	}()
	prog, err := v.prog()
	if err != nil {
		return nil, err
	}
	defer prog.Close()
	if _, err := loop.runWith(sparseCalls/5, o.Gap, o.Each); err != nil {
		return nil, err
	}
	for range o.Samples {
		before, err := prog.Stats()
		if err != nil {
			return nil, fmt.Errorf("program statistics: %w", err)
		}
		if _, err := loop.runWith(sparseCalls, o.Gap, o.Each); err != nil {
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

// churnRounds measures the variants (nothing attached and the two
// policies, each without and with churn) in o.Rounds interleaved rounds
// and returns, per round, each policy variant's overhead over nothing
// attached in the same churn state (keyed by variant name), "ratio:NAME"
// its overhead under churn over its overhead without, and "ratio" the
// after policy's overhead under churn over the before policy's.
func churnRounds(loop *syscallLoop, variants []variant, o *EventCostOptions) (map[string][]float64, error) {
	perRound := map[string][]float64{}
	for r, attempt := 0, 0; r < o.Rounds; attempt++ {
		if attempt >= 3*o.Rounds {
			return nil, fmt.Errorf("churn: %w", ErrBusy)
		}
		ns, _, others, err := measureRound(loop, variants, r, o)
		if err != nil {
			return nil, fmt.Errorf("churn: %w", err)
		}
		if len(others) > 0 {
			o.Log("churn: round discarded, other programs on the syscall tracepoints: %v", others)
			time.Sleep(2 * time.Second)
			continue
		}
		r++
		over := map[string]float64{}
		for _, v := range ChurnVariants {
			over[v] = ns[v] - ns[VariantNone]
			over[v+", churn"] = ns[v+", churn"] - ns[VariantNone+", churn"]
			perRound[v] = append(perRound[v], over[v])
			perRound[v+", churn"] = append(perRound[v+", churn"], over[v+", churn"])
			perRound["ratio:"+v] = append(perRound["ratio:"+v], over[v+", churn"]/over[v])
		}
		perRound["ratio"] = append(perRound["ratio"], over[ChurnAfter+", churn"]/over[ChurnBefore+", churn"])
		o.Log("churn round %d (gap %v): before %.1f, %.1f churn; after %.1f, %.1f churn ns overhead", r, o.Gap,
			over[ChurnBefore], over[ChurnBefore+", churn"], over[ChurnAfter], over[ChurnAfter+", churn"])
	}
	return perRound, nil
}

// bumper moves generations as the base does after a change to another
// process's entry: the table's and that process's bucket. While a policy
// is loaded it moves the base's; otherwise maps of its own of the same
// kind, so that nothing attached makes the same syscalls.
type bumper struct {
	ownGen, ownGens *ebpf.Map
	gen, gens       *ebpf.Map // the ones each moves
	key             uint32
	next            uint64
}

func newBumper() (*bumper, error) {
	b := &bumper{key: uint32(os.Getpid()+1) % bpf.ProcGenBuckets, next: 1 << 40}
	var err error
	if b.ownGen, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_gen", Type: ebpf.Array, KeySize: 4, ValueSize: 8, MaxEntries: 1}); err != nil {
		return nil, fmt.Errorf("churn: %w", err)
	}
	if b.ownGens, err = ebpf.NewMap(&ebpf.MapSpec{Name: "bench_gens", Type: ebpf.Array, KeySize: 4, ValueSize: 8,
		MaxEntries: bpf.ProcGenBuckets}); err != nil {
		b.ownGen.Close()
		return nil, fmt.Errorf("churn: %w", err)
	}
	return b, nil
}

func (b *bumper) close() {
	b.ownGen.Close()
	b.ownGens.Close()
}

// each moves the generations; the loop's thread calls it.
func (b *bumper) each() {
	b.next++
	b.gen.Put(uint32(0), b.next)
	b.gens.Put(b.key, b.next)
}

// with attaches v, then points the bumper at the base's generations if a
// base is loaded under pinRoot, else at its own.
func (b *bumper) with(v variant, pinRoot string) variant {
	return variant{name: v.name + ", changes", prog: v.prog, attach: func() (func() error, error) {
		detach, err := v.attach()
		if err != nil {
			return nil, err
		}
		b.gen, b.gens = b.ownGen, b.ownGens
		var opened []*ebpf.Map
		dir := bpf.BasePinDir(pinRoot)
		if _, err := os.Stat(dir); err == nil {
			for _, m := range []struct {
				name string
				to   **ebpf.Map
			}{{bpf.ProcsGenMap, &b.gen}, {bpf.ProcGensMap, &b.gens}} {
				pm, err := ebpf.LoadPinnedMap(filepath.Join(dir, m.name), nil)
				if err != nil {
					for _, o := range opened {
						o.Close()
					}
					detach()
					return nil, fmt.Errorf("churn: %w", err)
				}
				opened = append(opened, pm)
				*m.to = pm
			}
		}
		return func() error {
			for _, o := range opened {
				o.Close()
			}
			b.gen, b.gens = nil, nil
			return detach()
		}, nil
	}}
}
