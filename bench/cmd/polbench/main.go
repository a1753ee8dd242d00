// Command polbench runs polc's benchmarks and writes docs/BENCHMARKS.md
// (see bench/README.md; `make bench` and `make bench-vm` run it).
//
//	polbench host -o FILE [-polrun BIN] [-gobench FILE] [-profile FILE] [-quick] [-only SECTIONS]
//	    measure on this machine (root): per-event cost, programs and maps,
//	    load times, throughput; add the Go benchmarks' output
//	polbench bundles -o DIR
//	    build every benchmark input into DIR (with index.json), and 1 to 50
//	    copies and policy sets of the kprobe policy into DIR/many-kprobe
//	    (many.json), for the vmtest guests
//	polbench doc -host FILE [-gobench FILE] [-guests DIR] [-profile FILE] -o FILE
//	    write the report from the host's results and the guests' (DIR/*.json)
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/polc-dev/polc/bench"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "host":
		err = runHost(os.Args[2:])
	case "bundles":
		err = runBundles(os.Args[2:])
	case "doc":
		err = runDoc(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "polbench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: polbench host|bundles|doc [flags] (see go doc ./bench/cmd/polbench)")
	os.Exit(2)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "polbench: "+format+"\n", args...)
}

func runHost(args []string) error {
	fs := flag.NewFlagSet("host", flag.ExitOnError)
	out := fs.String("o", "", "write the results (JSON) here")
	root := fs.String("root", ".", "the repository's root")
	polrun := fs.String("polrun", "", "the polrun binary for the throughput measurement")
	polrunBefore := fs.String("polrun-before", "", "a polrun binary built before a change, measured beside -polrun in the same rounds")
	gobench := fs.String("gobench", "", "output of go test -bench to include")
	profile := fs.String("profile", "", "write the CPU profile of the decode-and-print path here")
	quick := fs.Bool("quick", false, "fewer rounds (to try the benchmarks, not to report)")
	only := fs.String("only", "", "measure only these sections, comma-separated (cost, churn, policies, programs, load, memory, losscurve, throughput), to try a change; the report needs them all")
	fs.Parse(args)
	want := func(section string) bool {
		return *only == "" || slices.Contains(strings.Split(*only, ","), section)
	}
	if *out == "" {
		return fmt.Errorf("-o is required")
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("the kernel measurements need root")
	}
	rounds, tpRounds, loadRounds := 9, 5, 9
	if *quick {
		rounds, tpRounds, loadRounds = 3, 2, 3
	}
	res := bench.HostResults{Machine: bench.ThisMachine(*root)}
	if res.AmbientLinks = bench.NoteAmbientLinks(); len(res.AmbientLinks) > 0 {
		logf("programs already on the syscall tracepoints, taken as part of the machine: %v", res.AmbientLinks)
	}
	started := time.Now()

	logf("building the inputs")
	built, refused, err := bench.BuildAll(*root, bench.CorpusDir(*root))
	if err != nil {
		return err
	}
	res.Refused = refused

	if want("programs") {
		logf("programs and maps of %d bundles", len(built))
		if res.Programs, err = bench.MeasureBuilt(built); err != nil {
			return err
		}
	}

	bundle := func(name string) ([]byte, error) {
		for _, b := range built {
			if b.Set == "bench" && filepath.Base(b.File) == name {
				return b.Bundle.Object, nil
			}
		}
		return nil, fmt.Errorf("no bundle of bench/policies/%s", name)
	}
	var hooks []bench.EventHook
	for _, h := range []struct {
		name, reject, emit string
		raw                bool
	}{
		{"tracepoint raw_syscalls/sys_enter", "syscall-reject.yaml", "syscall-emit.yaml", false},
		{"raw_tracepoint sys_enter", "rawtp-reject.yaml", "rawtp-emit.yaml", true},
	} {
		rej, err := bundle(h.reject)
		if err != nil {
			return err
		}
		emit, err := bundle(h.emit)
		if err != nil {
			return err
		}
		hooks = append(hooks, bench.EventHook{Name: h.name, Raw: h.raw, Reject: rej, Emit: emit})
	}
	if want("cost") {
		logf("per-event cost")
		if res.EventCost, err = bench.MeasureEventCost(hooks, bench.EventCostOptions{Rounds: rounds, Log: logf}); err != nil {
			if err = res.Busy("per-event cost", err); err != nil {
				return err
			}
		}
	}

	if want("churn") {
		// The rejecting policy on the tracepoint, built now and as before
		// per-process generations, under process churn.
		logf("rejected events under process churn")
		before, err := bench.BuildGlobalVerdicts(filepath.Join(*root, "bench", "policies", "syscall-reject.yaml"))
		if err != nil {
			return err
		}
		cc, err := bench.MeasureChurn(hooks[0], before, bench.EventCostOptions{Rounds: rounds, Log: logf})
		if err != nil {
			if err = res.Busy("rejected events under process churn", err); err != nil {
				return err
			}
		}
		res.Churn = cc
	}

	if want("policies") {
		logf("many policies on one hook")
		copies, err := bench.BuildPolicyCopies(filepath.Join(*root, "bench", "policies", "syscall-reject.yaml"), bench.PolicyCounts[len(bench.PolicyCounts)-1])
		if err != nil {
			return err
		}
		sets, err := bench.BuildPolicySets(filepath.Join(*root, "bench", "policies", "syscall-reject.yaml"), bench.PolicyCounts)
		if err != nil {
			return err
		}
		before, err := bench.BuildPolicySetBefore(filepath.Join(*root, "bench", "policies", "syscall-reject.yaml"), bench.PolicyCounts[len(bench.PolicyCounts)-1])
		if err != nil {
			return err
		}
		if res.ManyPolicies, err = bench.MeasureManyPolicies(hooks[0].Name, copies, sets, before,
			bench.EventCostOptions{Rounds: rounds, PinRoot: "/sys/fs/bpf/polc-bench-many", Log: logf}); err != nil {
			if err = res.Busy("many policies on one hook", err); err != nil {
				return err
			}
		}
	}

	if want("load") {
		logf("load times")
		if res.LoadTimes, err = bench.MeasureLoadTimes(built, "/sys/fs/bpf/polc-bench-load", loadRounds); err != nil {
			return err
		}
	}

	emit, err := bundle("syscall-emit.yaml")
	if err != nil {
		return err
	}
	if want("memory") {
		logf("the base's kernel memory")
		if res.BaseMemory, err = bench.MeasureBaseMemory(emit, "/sys/fs/bpf/polc-bench-mem"); err != nil {
			return err
		}
	}
	if want("losscurve") {
		logf("ring buffer loss curve")
		if res.LossCurve, err = bench.MeasureLossCurve(emit, bench.LossCurveOptions{Polrun: *polrun, Log: logf}); err != nil {
			return err
		}
	}
	if !want("throughput") {
		logf("done in %v", time.Since(started).Round(time.Second))
		return bench.WriteJSON(*out, res)
	}
	logf("throughput")
	if res.Throughput, err = bench.MeasureThroughput(emit, bench.ThroughputOptions{Polrun: *polrun, PolrunBefore: *polrunBefore, Rounds: tpRounds,
		Profile: *profile, Log: logf}); err != nil {
		return err
	}
	if *profile != "" {
		if res.ProfileTop, err = bench.ProfileTop(*profile); err != nil {
			return err
		}
	}

	if *gobench != "" {
		f, err := os.Open(*gobench)
		if err != nil {
			return err
		}
		res.GoBench, err = bench.ParseGoBench(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	logf("done in %v", time.Since(started).Round(time.Second))
	return bench.WriteJSON(*out, res)
}

func runBundles(args []string) error {
	fs := flag.NewFlagSet("bundles", flag.ExitOnError)
	out := fs.String("o", "", "directory to write the bundles and index.json to")
	root := fs.String("root", ".", "the repository's root")
	fs.Parse(args)
	if *out == "" {
		return fmt.Errorf("-o is required")
	}
	built, refused, err := bench.BuildAll(*root, bench.CorpusDir(*root))
	if err != nil {
		return err
	}
	if err := bench.WriteBundles(*out, bench.ThisMachine(*root).Commit, built, refused); err != nil {
		return err
	}
	return bench.WriteManyPolicies(filepath.Join(*out, bench.ManyDir), filepath.Join(*root, "bench", "policies", bench.KprobePolicy))
}

func runDoc(args []string) error {
	fs := flag.NewFlagSet("doc", flag.ExitOnError)
	hostFile := fs.String("host", "", "the host's results (polbench host -o)")
	guests := fs.String("guests", "", "directory of the guests' results (*.json, from make bench-vm)")
	profile := fs.String("profile", "", "the CPU profile polbench host wrote, to report on again")
	gobench := fs.String("gobench", "", "output of go test -bench to read again (instead of the host results')")
	out := fs.String("o", "", "the report to write")
	fs.Parse(args)
	if *hostFile == "" || *out == "" {
		return fmt.Errorf("-host and -o are required")
	}
	var host bench.HostResults
	if err := bench.ReadJSON(*hostFile, &host); err != nil {
		return err
	}
	if *profile != "" {
		top, err := bench.ProfileTop(*profile)
		if err != nil {
			return err
		}
		host.ProfileTop = top
	}
	if *gobench != "" {
		f, err := os.Open(*gobench)
		if err != nil {
			return err
		}
		host.GoBench, err = bench.ParseGoBench(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	var guestResults []bench.GuestResults
	if *guests != "" {
		files, _ := filepath.Glob(filepath.Join(*guests, "*.json"))
		sort.Strings(files)
		for _, f := range files {
			var g bench.GuestResults
			if err := bench.ReadJSON(f, &g); err != nil {
				return err
			}
			guestResults = append(guestResults, g)
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := bench.WriteReport(f, &host, guestResults); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
