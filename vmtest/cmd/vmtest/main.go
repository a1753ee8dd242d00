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
		kernels  = flag.String("kernels", seriesNames(vmtest.Matrix), "comma-separated kernel series to boot")
		packages = flag.String("packages", "vmtest/packages", "file listing the packages whose tests run in the guests")
		cache    = flag.String("cache", ".cache/vmtest", "cache directory for kernels, builds and logs")
		// codegen's binary runs about four minutes in a software-emulated
		// guest; the limit leaves room for a loaded host.
		timeout  = flag.Duration("timeout", 10*time.Minute, "time limit of each test binary in a guest")
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
	pkgs, err := vmtest.ReadPackages(filepath.Join(moduleDir, *packages))
	if err != nil {
		return err
	}

	if err := vmtest.EnsureQemu(os.Stderr); err != nil {
		return err
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
	buildDir := filepath.Join(runDir, "build")
	if err := os.Mkdir(buildDir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(buildDir)
	build, err := vmtest.BuildGuest(moduleDir, pkgs, testArgs(flag.Args()), *timeout, buildDir, os.Stderr)
	if err != nil {
		return err
	}
	initrd := filepath.Join(buildDir, "initramfs.gz")
	if err := build.WriteInitramfs(initrd); err != nil {
		return err
	}
	prepared := time.Since(matrixStart)
	var expected []string
	for _, b := range build.Binaries {
		expected = append(expected, b.Package)
	}

	// The whole guest gets a minute and a half to boot on top of every
	// binary's own limit.
	bootTimeout := 90*time.Second + time.Duration(len(expected))*(*timeout+10*time.Second)
	results := make([]*vmtest.Result, len(ks))
	errs := make([]error, len(ks))
	boot := func(i int) {
		k := ks[i]
		fmt.Fprintf(os.Stderr, "vmtest: booting %s (%s %s)\n", k.Release, k.Package, k.Version)
		results[i], errs[i] = vmtest.Boot(context.Background(), vmtest.BootConfig{
			Kernel: k, Initrd: initrd, Expected: expected,
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
// With nothing cached yet apt's lists are refreshed first, so a fresh
// machine starts from the newest kernels; when apt cannot deliver, the
// newest cached kernel of the series is used instead.
func fetchKernels(series []vmtest.Series, cacheDir string) ([]vmtest.Kernel, error) {
	if err := os.MkdirAll(filepath.Join(cacheDir, "kernels"), 0o755); err != nil {
		return nil, err
	}
	cached := 0
	for _, s := range series {
		cached += len(vmtest.CachedKernels(s, cacheDir))
	}
	if cached == 0 {
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

func fetchKernel(s vmtest.Series, cacheDir string) (vmtest.Kernel, error) {
	pkg, err := vmtest.Newest(s, os.Stderr)
	if err == nil {
		var k vmtest.Kernel
		if k, err = vmtest.Fetch(s, pkg, cacheDir, os.Stderr); err == nil {
			return k, nil
		}
	}
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
