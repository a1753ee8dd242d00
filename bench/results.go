package bench

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Machine describes where results were taken.
type Machine struct {
	Kernel string `json:"kernel"` // the series of uname -r (KernelSeries)
	CPUs   int    `json:"cpus"`
	Model  string `json:"model,omitempty"`
	// Virtual names the hypervisor, if any.
	Virtual string `json:"virtual,omitempty"`
	Go      string `json:"go"`
	Date    string `json:"date"`
	Commit  string `json:"commit,omitempty"`
}

// HostResults are everything `polbench host` measures.
type HostResults struct {
	Machine   Machine     `json:"machine"`
	EventCost []EventCost `json:"eventCost"`
	Churn     *ChurnCost  `json:"churn,omitempty"`
	// NotMeasured says, by section, why a section could not be measured in
	// this run (ErrBusy: other work attaching programs to the syscall
	// tracepoints).
	NotMeasured map[string]string `json:"notMeasured,omitempty"`
	// AmbientLinks are the programs on the syscall tracepoints when the
	// run started, attached throughout (bench.NoteAmbientLinks).
	AmbientLinks []string `json:"ambientLinks,omitempty"`
	// ManyPolicies is the per-event cost of 1, 10 and 50 policies on one
	// hook.
	ManyPolicies *ManyPolicies     `json:"manyPolicies,omitempty"`
	Programs     []BundleFigures   `json:"programs"`
	Refused      []Refusal         `json:"refused"`
	LoadTimes    *LoadTimes        `json:"loadTimes"`
	GoBench      []GoBench         `json:"goBench"`
	Throughput   *Throughput       `json:"throughput"`
	LossCurve    *LossCurve        `json:"lossCurve,omitempty"`
	BaseMemory   *BaseMemory       `json:"baseMemory,omitempty"`
	ProfileTop   string            `json:"profileTop,omitempty"`
	Extra        map[string]string `json:"extra,omitempty"`
}

// Busy records that section could not be measured because other work
// kept the syscall tracepoints busy (err wraps ErrBusy), and returns nil;
// any other error is returned as it is.
func (h *HostResults) Busy(section string, err error) error {
	if !errors.Is(err, ErrBusy) {
		return err
	}
	if h.NotMeasured == nil {
		h.NotMeasured = map[string]string{}
	}
	h.NotMeasured[section] = err.Error()
	return nil
}

// GuestResults are what `make bench-vm` brings back from one guest kernel.
type GuestResults struct {
	Machine  Machine         `json:"machine"`
	Programs []BundleFigures `json:"programs"`
	// ManyPolicies is the per-event cost of 1, 10 and 50 policies on one
	// kprobe (KprobePolicy); nil in results from before it was measured.
	ManyPolicies *ManyPolicies `json:"manyPolicies,omitempty"`
}

// Refusal is a policy polc does not compile yet.
type Refusal struct {
	Set    string `json:"set"`
	File   string `json:"file"`
	Policy string `json:"policy"`
	Reason string `json:"reason"`
}

// GoBench is one Go benchmark's ns/op over its runs (-count), and its
// other figures by unit (allocs/op, B/op, cpu-ns/op, ...).
type GoBench struct {
	Name    string             `json:"name"`
	Package string             `json:"package"`
	NsPerOp Summary            `json:"nsPerOp"`
	Metrics map[string]Summary `json:"metrics,omitempty"`
}

// ThisMachine describes the running machine; commit is the repository's
// HEAD when root is a git work tree.
func ThisMachine(root string) Machine {
	m := Machine{CPUs: onlineCPUs(), Go: runtime.Version(), Date: time.Now().UTC().Format("2006-01-02")}
	var uts unix.Utsname
	if unix.Uname(&uts) == nil {
		m.Kernel = KernelSeries(unix.ByteSliceToString(uts.Release[:]))
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" && m.Model == "" {
				m.Model = strings.TrimSpace(v)
			}
			if strings.HasPrefix(line, "flags") && strings.Contains(line, " hypervisor") {
				m.Virtual = "virtual machine"
			}
		}
		f.Close()
	}
	if out, err := exec.Command("systemd-detect-virt").Output(); err == nil && m.Virtual != "" {
		if v := strings.TrimSpace(string(out)); v != "" && v != "none" {
			m.Virtual = v
		}
	}
	if out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
	}
	return m
}

// goBenchLine matches a result line of `go test -bench`:
// "BenchmarkX-2   10   123456 ns/op ...".
var goBenchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op(.*)`)

// goBenchMetric matches one more figure of such a line: "0 allocs/op".
var goBenchMetric = regexp.MustCompile(`([0-9.]+) (\S+)`)

// ParseGoBench reads `go test -bench -count N` output of one or more
// packages and summarizes each benchmark's ns/op.
func ParseGoBench(r io.Reader) ([]GoBench, error) {
	runs := map[string][]float64{}
	metrics := map[string]map[string][]float64{}
	pkgOf := map[string]string{}
	var order []string
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		m := goBenchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			return nil, fmt.Errorf("go bench line %q: %w", line, err)
		}
		key := pkg + "." + m[1]
		if _, ok := runs[key]; !ok {
			order = append(order, key)
			pkgOf[key] = pkg
		}
		runs[key] = append(runs[key], ns)
		for _, mm := range goBenchMetric.FindAllStringSubmatch(m[3], -1) {
			v, err := strconv.ParseFloat(mm[1], 64)
			if err != nil {
				continue
			}
			if metrics[key] == nil {
				metrics[key] = map[string][]float64{}
			}
			metrics[key][mm[2]] = append(metrics[key][mm[2]], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var out []GoBench
	for _, key := range order {
		g := GoBench{Name: strings.TrimPrefix(key, pkgOf[key]+"."), Package: pkgOf[key], NsPerOp: Summarize(runs[key])}
		for unit, vs := range metrics[key] {
			if g.Metrics == nil {
				g.Metrics = map[string]Summary{}
			}
			g.Metrics[unit] = Summarize(vs)
		}
		out = append(out, g)
	}
	return out, nil
}

// WriteJSON writes v indented to path.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadJSON reads path into v.
func ReadJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// KernelSeries is the MAJOR.MINOR of a kernel release ("6.18" of
// "6.18.9-build7"): what the figures depend on. The rest of a host's
// release is its build string, which differs from machine to machine and
// must not end up in docs/BENCHMARKS.md.
func KernelSeries(release string) string {
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return release
	}
	minor := parts[1]
	if i := strings.IndexFunc(minor, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minor = minor[:i]
	}
	return parts[0] + "." + minor
}
