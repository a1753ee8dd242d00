// Command vmtest runs the guest test packages (vmtest/packages) in qemu
// guests of each kernel of the matrix and fails unless every test passed in
// every kernel. `make vmtest` runs it; arguments after the flags go to every
// test binary, with go test's short flag names accepted:
//
//	go run ./vmtest/cmd/vmtest -kernels 6.12 -- -run TestKprobe
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/polc-dev/polc/vmtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "vmtest: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		kernels  = flag.String("kernels", seriesNames(defaultSeries()), "comma-separated kernel series to boot (of "+seriesNames(vmtest.Matrix)+")")
		packages = flag.String("packages", "", "file listing the packages whose tests run in the guests (default: vmtest/packages, "+vmtest.SmokePackages+" on smoke series)")
		cache    = flag.String("cache", ".cache/vmtest", "cache directory for kernels, builds and logs")
		// codegen's binary runs about four minutes in a software-emulated
		// guest; the conformance run loads the whole corpus, about 13 s a
		// policy on 7.x (12.5 min) and near 10 min on 6.1 and 6.12 on a
		// loaded host. The limit leaves room for that.
		timeout  = flag.Duration("timeout", 20*time.Minute, "time limit of each test binary in a guest")
		parallel = flag.Bool("parallel", true, "boot the kernels at the same time instead of one after another")
		memory   = flag.Int("mem", 2048, "guest memory in MiB")
		cpus     = flag.Int("smp", 1, "guest CPUs")
		cpuModel = flag.String("cpu", "max", "qemu CPU model of the guests")
		extract  = flag.String("artifacts", "", "directory to unpack the files tests leave in $"+vmtest.ArtifactsEnv+" into, one subdirectory per kernel series")
	)
	flag.Parse()
	matrixStart := time.Now()

	moduleDir, err := moduleRoot()
	if err != nil {
		return err
	}
	cacheDir := *cache
	if !filepath.IsAbs(cacheDir) {
		cacheDir = filepath.Join(moduleDir, cacheDir)
	}
	series, err := selectSeries(*kernels)
	if err != nil {
		return err
	}
	for _, arch := range archesOf(series) {
		if err := vmtest.EnsureQemu(arch, os.Stderr); err != nil {
			return err
		}
	}
	ks, err := fetchKernels(series, cacheDir)
	if err != nil {
		return err
	}

	// Each run has its own directory, so runs in the same tree at the same
	// time do not clobber each other; its build is removed at the end, its
	// logs are kept for the last keepRuns runs.
	runDir, err := newRunDir(filepath.Join(cacheDir, "runs"))
	if err != nil {
		return err
	}
	buildRoot := filepath.Join(runDir, "build")
	defer os.RemoveAll(buildRoot)
	// One guest build per architecture and package list.
	type guest struct {
		initrd   string
		expected []string
	}
	guests := map[string]*guest{}
	guestOf := make([]*guest, len(ks))
	for i, s := range series {
		list := *packages
		if list == "" {
			list = "vmtest/packages"
			if s.Smoke {
				list = vmtest.SmokePackages
			}
		}
		key := s.Arch + "|" + list
		if g := guests[key]; g != nil {
			guestOf[i] = g
			continue
		}
		pkgs, err := vmtest.ReadPackages(filepath.Join(moduleDir, list))
		if err != nil {
			return err
		}
		buildDir := filepath.Join(buildRoot, fmt.Sprint(len(guests)))
		if err := os.MkdirAll(buildDir, 0o755); err != nil {
			return err
		}
		build, err := vmtest.BuildGuest(moduleDir, s.Arch, pkgs, testArgs(flag.Args()), *timeout, buildDir, os.Stderr)
		if err != nil {
			return err
		}
		g := &guest{initrd: filepath.Join(buildDir, "initramfs.gz")}
		if err := build.WriteInitramfs(g.initrd); err != nil {
			return err
		}
		for _, b := range build.Binaries {
			g.expected = append(g.expected, b.Package)
		}
		guests[key], guestOf[i] = g, g
	}
	prepared := time.Since(matrixStart)

	// The whole guest gets a minute and a half to boot on top of every
	// binary's own limit.
	results := make([]*vmtest.Result, len(ks))
	errs := make([]error, len(ks))
	boot := func(i int) {
		k, g := ks[i], guestOf[i]
		bootTimeout := 90*time.Second + time.Duration(len(g.expected))*(*timeout+10*time.Second)
		fmt.Fprintf(os.Stderr, "vmtest: booting %s (%s %s)\n", k.Release, k.Package, k.Version)
		results[i], errs[i] = vmtest.Boot(context.Background(), vmtest.BootConfig{
			Kernel: k, Initrd: g.initrd, Expected: g.expected,
			MemoryMB: *memory, CPUs: *cpus, CPUModel: *cpuModel, Timeout: bootTimeout,
			LogDir: filepath.Join(runDir, k.Series),
			Live:   vmtest.PrefixWriter(os.Stdout, "["+k.Series+"] "),
		})
	}
	var wg sync.WaitGroup
	for i := range ks {
		if *parallel {
			wg.Go(func() { boot(i) })
		} else {
			boot(i)
		}
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	vmtest.WriteSummary(os.Stdout, results, prepared, time.Since(matrixStart))
	fmt.Printf("logs: %s/<kernel>/{console,results}.log\n", runDir)
	if *extract != "" {
		for _, r := range results {
			if r.Artifacts == "" {
				continue
			}
			files, err := vmtest.ExtractArtifacts(r.Artifacts, filepath.Join(*extract, r.Kernel.Series))
			if err != nil {
				return err
			}
			for _, f := range files {
				fmt.Printf("artifact: %s\n", f)
			}
		}
	}
	for _, r := range results {
		if r.Failed() {
			return errors.New("FAIL")
		}
	}
	return nil
}

// keepRuns is how many runs' logs stay in the cache.
const keepRuns = 10

// newRunDir makes a directory for this run, named by its start time so that
// names sort by age, and prunes the oldest beyond keepRuns.
func newRunDir(runs string) (string, error) {
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(runs, time.Now().Format("20060102-150405-"))
	if err != nil {
		return "", err
	}
	old, _ := filepath.Glob(filepath.Join(runs, "*"))
	sort.Strings(old)
	for len(old) > keepRuns {
		if old[0] != dir {
			os.RemoveAll(old[0])
		}
		old = old[1:]
	}
	return dir, nil
}

// fetchKernels resolves and downloads the newest kernel of each series.
// With nothing cached yet the machine's apt lists are refreshed first, so
// a fresh machine starts from the newest kernels (series read through a
// private APT configuration refresh their own lists).
func fetchKernels(series []vmtest.Series, cacheDir string) ([]vmtest.Kernel, error) {
	if err := os.MkdirAll(filepath.Join(cacheDir, "kernels"), 0o755); err != nil {
		return nil, err
	}
	machine, cached := 0, 0
	for _, s := range series {
		if len(s.Suites) == 0 {
			machine++
			cached += len(vmtest.CachedKernels(s, cacheDir))
		}
	}
	if machine > 0 && cached == 0 {
		if err := vmtest.AptUpdate(os.Stderr); err != nil {
			return nil, err
		}
	}
	var ks []vmtest.Kernel
	for _, s := range series {
		k, err := fetchKernel(s, cacheDir)
		if err != nil {
			return nil, err
		}
		ks = append(ks, k)
	}
	return ks, nil
}

// fetchKernel takes the newest kernel of s that actually downloads: a
// suite's lists can name an image the archive no longer (or not yet)
// serves. When apt cannot deliver any, the newest cached kernel of the
// series is used instead.
func fetchKernel(s vmtest.Series, cacheDir string) (vmtest.Kernel, error) {
	var errs []error
	apt, err := vmtest.ForSeries(s, cacheDir, os.Stderr)
	var pkgs []vmtest.DebPackage
	if err == nil {
		pkgs, err = apt.Candidates(s, os.Stderr)
	}
	if err != nil {
		errs = append(errs, err)
	}
	for _, pkg := range pkgs {
		if vmtest.RecentlyUnavailable(pkg, cacheDir) {
			continue
		}
		k, err := apt.Fetch(s, pkg, cacheDir, os.Stderr)
		if err == nil {
			return k, nil
		}
		fmt.Fprintf(os.Stderr, "vmtest: kernel %s: %s %s does not download; trying an older one\n", s.Name, pkg.Name, pkg.Version)
		vmtest.MarkUnavailable(pkg, cacheDir)
		errs = append(errs, err)
	}
	err = errors.Join(errs...)
	cached := vmtest.CachedKernels(s, cacheDir)
	if len(cached) == 0 {
		return vmtest.Kernel{}, fmt.Errorf("kernel %s: %w", s.Name, err)
	}
	k := cached[len(cached)-1]
	fmt.Fprintf(os.Stderr, "vmtest: kernel %s: %v; using cached %s %s\n", s.Name, err, k.Package, k.Version)
	return k, nil
}

// testFlags are go test's names for test binary flags that users type
// without the "test." prefix.
var testFlags = map[string]bool{
	"run": true, "skip": true, "count": true, "v": true, "short": true, "failfast": true,
	"list": true, "parallel": true, "cpu": true, "timeout": true, "shuffle": true,
	"bench": true, "benchtime": true, "benchmem": true,
}

// testArgs rewrites "-run X" to "-test.run X", as go test does.
func testArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		name := strings.TrimLeft(a, "-")
		base, _, _ := strings.Cut(name, "=")
		if strings.HasPrefix(a, "-") && testFlags[base] {
			a = "-test." + name
		}
		out[i] = a
	}
	return out
}

func selectSeries(list string) ([]vmtest.Series, error) {
	var out []vmtest.Series
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, s := range vmtest.Matrix {
			if s.Name == name {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown kernel series %q (have %s)", name, seriesNames(vmtest.Matrix))
		}
	}
	return out, nil
}

// defaultSeries is what runs without -kernels: the matrix less its opt-in
// series.
func defaultSeries() []vmtest.Series {
	var out []vmtest.Series
	for _, s := range vmtest.Matrix {
		if !s.OptIn {
			out = append(out, s)
		}
	}
	return out
}

// archesOf lists the architectures of series, each once.
func archesOf(series []vmtest.Series) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range series {
		if !seen[s.Arch] {
			seen[s.Arch] = true
			out = append(out, s.Arch)
		}
	}
	return out
}

func seriesNames(ss []vmtest.Series) string {
	var names []string
	for _, s := range ss {
		names = append(names, s.Name)
	}
	return strings.Join(names, ",")
}

// moduleRoot is the directory of the go.mod the go tool uses here.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}
