package vmtest

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Result is what one kernel's boot produced.
type Result struct {
	Kernel Kernel
	// Boot is the guest's uptime when /init started; 0 if it never did.
	Boot time.Duration
	// InitAt is when the host heard from /init, from starting qemu: Boot
	// plus qemu's start and the kernel's decompression.
	InitAt time.Duration
	// Wall is the time from starting qemu to its exit.
	Wall time.Duration
	// Release is what uname -r said in the guest.
	Release  string
	Packages []*PackageResult
	// Problems are failures outside any test: panic, timeout, lost markers.
	Problems []string
	// Console is the tail of the kernel console, kept when there are problems.
	Console []string
	// Logs is the directory holding console.log and results.log.
	Logs string
	// Artifacts is the tar archive of the files the tests left in
	// ArtifactsDir, checked against the guest's checksum; "" if none.
	Artifacts string

	artifactsSize int
	artifactsSum  string

	done bool
	cur  *PackageResult
}

// PackageResult is one test binary's run.
type PackageResult struct {
	Package string
	// Status is "exit:<code>", StatusTimeout or StatusNoStart; "" if the
	// binary never ended.
	Status  string
	Elapsed time.Duration
	Tests   []*TestResult

	current string // test the following output belongs to
	logs    map[string][]string
	output  []string
}

// TestResult is one test's (or subtest's) outcome.
type TestResult struct {
	Name    string
	Outcome string // PASS, FAIL or SKIP
	Log     []string
}

// Failed reports whether anything in the run went wrong.
func (r *Result) Failed() bool {
	if len(r.Problems) > 0 {
		return true
	}
	for _, p := range r.Packages {
		if p.Failed() {
			return true
		}
	}
	return false
}

// Failed reports whether the binary or any of its tests failed.
func (p *PackageResult) Failed() bool {
	if p.Status != "exit:0" {
		return true
	}
	for _, t := range p.Tests {
		if t.Outcome == "FAIL" {
			return true
		}
	}
	return false
}

// Count returns how many tests had the outcome.
func (p *PackageResult) Count(outcome string) int {
	n := 0
	for _, t := range p.Tests {
		if t.Outcome == outcome {
			n++
		}
	}
	return n
}

var (
	// "=== RUN   TestX/sub", "=== CONT  TestX", "=== NAME  TestX"
	testStartRE = regexp.MustCompile(`^=== (?:RUN|CONT|NAME|PAUSE)\s+(\S+)`)
	// "--- PASS: TestX (0.01s)", indented for subtests
	testEndRE = regexp.MustCompile(`^\s*--- (PASS|FAIL|SKIP): (\S+) \(`)
)

// Feed consumes one line of the results port.
func (r *Result) Feed(line string) {
	line = strings.TrimRight(line, "\r")
	m, ok := ParseMarker(line)
	if !ok {
		if r.cur != nil {
			r.cur.feed(line)
		}
		return
	}
	switch m.Kind {
	case MarkBoot:
		r.Release = m.Fields["release"]
		if s, err := strconv.ParseFloat(m.Fields["uptime"], 64); err == nil {
			r.Boot = time.Duration(s * float64(time.Second))
		}
	case MarkStart:
		r.cur = &PackageResult{Package: m.Fields["package"], logs: map[string][]string{}}
		r.Packages = append(r.Packages, r.cur)
	case MarkEnd:
		if r.cur == nil || r.cur.Package != m.Fields["package"] {
			r.Problems = append(r.Problems, "end marker without start: "+line)
			return
		}
		r.cur.Status = m.Fields["status"]
		if s, err := strconv.ParseFloat(m.Fields["elapsed"], 64); err == nil {
			r.cur.Elapsed = time.Duration(s * float64(time.Second))
		}
		r.cur = nil
	case MarkError:
		r.Problems = append(r.Problems, "guest /init: "+m.Fields["msg"])
	case MarkArtifacts:
		r.artifactsSize, _ = strconv.Atoi(m.Fields["bytes"])
		r.artifactsSum = m.Fields["sha256"]
	case MarkDone:
		r.done = true
	}
}

// feed files a line of -test.v output under the test it belongs to.
func (p *PackageResult) feed(line string) {
	p.output = append(p.output, line)
	if m := testStartRE.FindStringSubmatch(line); m != nil {
		p.current = m[1]
		return
	}
	if m := testEndRE.FindStringSubmatch(line); m != nil {
		name := m[2]
		p.Tests = append(p.Tests, &TestResult{Name: name, Outcome: m[1], Log: p.logs[name]})
		delete(p.logs, name)
		p.current = ""
		return
	}
	// -test.v streams a test's log between its "=== RUN" (or "=== NAME")
	// line and its result line.
	if p.current != "" {
		p.logs[p.current] = append(p.logs[p.current], line)
	}
}

// statusNoEnd is the status of a binary whose end marker never came.
const statusNoEnd = "no end"

// Finish checks, once qemu has exited, that every expected binary ran to
// its end and the guest reached the done marker.
func (r *Result) Finish(expected []string) {
	ran := map[string]bool{}
	for _, p := range r.Packages {
		ran[p.Package] = true
		if p.Status == "" {
			p.Status = statusNoEnd
			r.Problems = append(r.Problems, fmt.Sprintf("%s never finished (guest stopped while it ran)", p.Package))
		}
	}
	for _, pkg := range expected {
		if !ran[pkg] {
			r.Problems = append(r.Problems, fmt.Sprintf("%s never started", pkg))
		}
	}
	if r.Boot == 0 {
		r.Problems = append(r.Problems, "/init never started")
	}
	if !r.done {
		r.Problems = append(r.Problems, "no done marker: the guest did not finish")
	}
}

// Output returns the lines a binary printed, for failures outside any test.
func (p *PackageResult) Output() []string { return p.output }

// ExtractArtifacts unpacks the artifacts archive of a run into dir and
// returns the paths it wrote. Only regular files with relative paths that
// stay inside dir are accepted.
func ExtractArtifacts(archive, dir string) ([]string, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, fmt.Errorf("extract artifacts: %w", err)
	}
	defer f.Close()
	var written []string
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return written, nil
		}
		if err != nil {
			return written, fmt.Errorf("extract artifacts: %w", err)
		}
		name := filepath.FromSlash(hdr.Name)
		if hdr.Typeflag != tar.TypeReg || !filepath.IsLocal(name) {
			return written, fmt.Errorf("extract artifacts: refusing entry %q", hdr.Name)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return written, fmt.Errorf("extract artifacts: %w", err)
		}
		out, err := os.Create(dst)
		if err != nil {
			return written, fmt.Errorf("extract artifacts: %w", err)
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, fmt.Errorf("extract artifacts: %s: %w", dst, err)
		}
		written = append(written, dst)
	}
}
