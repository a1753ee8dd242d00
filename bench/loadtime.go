package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/loader"
)

// LoadTimes are the times from bundle to attached.
type LoadTimes struct {
	Rounds int `json:"rounds"`
	// BaselineMs is loading a two-instruction program with cilium/ebpf and
	// attaching it to a tracepoint, just before each policy's load.
	BaselineMs Summary    `json:"baselineMs"`
	Policies   []LoadTime `json:"policies"`
}

// LoadTime is one policy's load time on the host.
type LoadTime struct {
	Set      string `json:"set"`
	File     string `json:"file"`
	Policy   string `json:"policy"`
	Programs int    `json:"programs"`
	// Ms is loader.Load's wall time (read the spec, check features and
	// tracepoint formats, load with CO-RE, fill maps, attach, pin), the
	// base being loaded already; Ratio divides it by the baseline taken
	// just before.
	Ms    Summary `json:"ms"`
	Ratio Summary `json:"ratio"`
	// Skipped says why the policy does not load here (kprobes and other
	// hooks this kernel lacks).
	Skipped string `json:"skipped,omitempty"`
}

// anchorPolicy keeps the base loaded while policies are loaded and
// unloaded, so that load times do not include creating it. It hooks a
// tracepoint that no measurement triggers often.
const anchorPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "bench-anchor"
spec:
  tracepoints:
  - subsystem: "sched"
    event: "sched_process_free"
`

// MeasureLoadTimes loads and unloads each bundle with polrun's loader,
// rounds times, under pinRoot, interleaved with the baseline.
func MeasureLoadTimes(built []Built, pinRoot string, rounds int) (*LoadTimes, error) {
	if err := os.MkdirAll(pinRoot, 0o755); err != nil {
		return nil, fmt.Errorf("load times: %w", err)
	}
	if err := cleanPinRoot(pinRoot); err != nil {
		return nil, err
	}
	opts := &loader.Options{PinRoot: pinRoot}
	anchor, err := anchorBundle()
	if err != nil {
		return nil, err
	}
	if _, err := loader.Load([]*loader.Bundle{anchor}, opts); err != nil {
		return nil, fmt.Errorf("load times: anchor: %w", err)
	}
	defer loader.Unload([]string{anchor.Name()}, opts)

	lt := &LoadTimes{Rounds: rounds}
	type entry struct {
		b      *loader.Bundle
		ms, rt []float64
	}
	var entries []*entry
	for _, b := range built {
		if b.Bundle == nil {
			continue
		}
		rec := LoadTime{Set: b.Set, File: filepath.Base(b.File), Policy: b.Policy, Programs: len(b.Bundle.Programs)}
		lb, err := loader.ReadBundle(b.Bundle.Object)
		if err != nil {
			// A bundle polrun cannot take (a hook kind it does not
			// attach yet).
			rec.Skipped = shortError(err)
			lt.Policies = append(lt.Policies, rec)
			continue
		}
		// One trial load decides whether the policy loads here at all.
		if _, err := loader.Load([]*loader.Bundle{lb}, opts); err != nil {
			rec.Skipped = strings.ReplaceAll(shortError(err), b.File+":", "")
			lt.Policies = append(lt.Policies, rec)
			continue
		}
		if err := loader.Unload([]string{lb.Name()}, opts); err != nil {
			return nil, fmt.Errorf("load times: unload %s: %w", lb.Name(), err)
		}
		lt.Policies = append(lt.Policies, rec)
		entries = append(entries, &entry{b: lb})
	}
	// Each policy's load is paired with a baseline load taken just before
	// it, so that a slow moment of the machine (other work taking the
	// kernel's tracing locks) weighs on both.
	var base []float64
	for range rounds {
		for _, e := range entries {
			b, err := baselineLoad()
			if err != nil {
				return nil, err
			}
			base = append(base, ms(b))
			start := time.Now()
			if _, err := loader.Load([]*loader.Bundle{e.b}, opts); err != nil {
				return nil, fmt.Errorf("load times: %s: %w", e.b.Name(), err)
			}
			d := time.Since(start)
			ids := policyProgramIDs(pinRoot, e.b.Name())
			if err := loader.Unload([]string{e.b.Name()}, opts); err != nil {
				return nil, fmt.Errorf("load times: unload %s: %w", e.b.Name(), err)
			}
			// The kernel detaches and frees the programs after the unload
			// returns (a pinned link's release is deferred, and detaching
			// from a tracepoint waits for RCU grace periods while holding
			// the tracing locks): wait for that, so that it does not land
			// in the next load's time.
			waitFreed(ids)
			e.ms = append(e.ms, ms(d))
			e.rt = append(e.rt, ms(d)/ms(b))
		}
	}
	lt.BaselineMs = Summarize(base)
	i := 0
	for k := range lt.Policies {
		if lt.Policies[k].Skipped != "" {
			continue
		}
		lt.Policies[k].Ms = Summarize(entries[i].ms)
		lt.Policies[k].Ratio = Summarize(entries[i].rt)
		i++
	}
	return lt, nil
}

// policyProgramIDs lists the programs of a loaded policy, from its pinned
// links.
func policyProgramIDs(pinRoot, name string) []ebpf.ProgramID {
	dir := filepath.Join(bpf.PolicyPinDir(pinRoot, name), bpf.LinksDir)
	ents, _ := os.ReadDir(dir)
	var ids []ebpf.ProgramID
	for _, e := range ents {
		l, err := link.LoadPinnedLink(filepath.Join(dir, e.Name()), nil)
		if err != nil {
			continue
		}
		if info, err := l.Info(); err == nil {
			ids = append(ids, info.Program)
		}
		l.Close()
	}
	return ids
}

// waitFreed waits (at most 5 s) until the kernel has freed the programs.
func waitFreed(ids []ebpf.ProgramID) {
	deadline := time.Now().Add(5 * time.Second)
	for _, id := range ids {
		for time.Now().Before(deadline) {
			p, err := ebpf.NewProgramFromID(id)
			if err != nil {
				break
			}
			p.Close()
			time.Sleep(2 * time.Millisecond)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// baselineLoad loads and attaches the smallest program there is.
func baselineLoad() (time.Duration, error) {
	start := time.Now()
	p, err := ebpf.NewProgram(&ebpf.ProgramSpec{Name: "bench_base", Type: ebpf.TracePoint, License: "GPL",
		Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}})
	if err != nil {
		return 0, fmt.Errorf("baseline load: %w", err)
	}
	defer p.Close()
	l, err := link.Tracepoint("sched", "sched_process_free", p, nil)
	if err != nil {
		return 0, fmt.Errorf("baseline attach: %w", err)
	}
	d := time.Since(start)
	l.Close() // synchronous: it returns once detached
	return d, nil
}

func anchorBundle() (*loader.Bundle, error) {
	src := compiler.NewSource("bench-anchor.yaml", []byte(anchorPolicy))
	built, err := buildSource(src)
	if err != nil {
		return nil, err
	}
	return loader.ReadBundle(built.Object)
}

// shortError is an error's text up to its first line break.
func shortError(err error) string {
	var fe *loader.FeatureError
	if errors.As(err, &fe) {
		return fe.Error()
	}
	s := err.Error()
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
