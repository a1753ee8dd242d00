package conformance

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/polc-dev/polc/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite this kernel's column (TestKernel) or docs/CONFORMANCE.md (TestDoc)")

// corpusDir is where Tetragon's examples are: beside the repository, or
// $POLC_CORPUS (which the vmtest guests get).
func corpusDir() string {
	if d := os.Getenv("POLC_CORPUS"); d != "" {
		return d
	}
	return "../../../shared/corpus/tetragon-examples"
}

// corpus: the corpus is there. CI machines and the guests have it.
var corpus = testenv.Requirement{Name: "the corpus of Tetragon examples", OnCIHost: true, Check: func() error {
	if st, err := os.Stat(corpusDir()); err != nil || !st.IsDir() {
		return fmt.Errorf("no directory %s (set POLC_CORPUS)", corpusDir())
	}
	return nil
}}

// matrixKernel: the running kernel has a column in the document. CI hosts
// run 6.18, the guests the series of vmtest.Matrix.
var matrixKernel = testenv.Requirement{Name: "a kernel of the conformance matrix", OnCIHost: true, Check: func() error {
	series, release, err := ColumnName()
	if err != nil {
		return err
	}
	if !InMatrix(series) {
		return fmt.Errorf("kernel %s (%s) has no column in docs/CONFORMANCE.md", series, release)
	}
	return nil
}}

const docPath = "../../docs/CONFORMANCE.md"

func columnPath(series string) string {
	return filepath.Join("testdata", "kernel-"+series+".txt")
}

func compileCorpus(t *testing.T) []*Policy {
	t.Helper()
	testenv.Require(t, corpus)
	pols, err := Compile(corpusDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(pols) < 70 {
		t.Fatalf("%d policies in %s, expected the 71 Tetragon examples at least", len(pols), corpusDir())
	}
	return pols
}

// TestKernel loads and attaches every policy that builds on the running
// kernel, unloads it, checks nothing stayed, and compares the outcomes with
// this kernel's column in testdata (-update rewrites it). In the vmtest
// guests the column also goes back to the host as an artifact, which is
// how make conformance collects the guests' columns.
func TestKernel(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.Tracefs, testenv.KernelBTF, matrixKernel)
	pols := compileCorpus(t)
	series, release, err := ColumnName()
	if err != nil {
		t.Fatal(err)
	}
	// TestKernel loads under a pin root of its own, away from polrun's.
	pinRoot := testenv.PinDir(t, "polc-conformance", true)
	got := Column{}
	figs := map[string]*Figures{}
	start := time.Now()
	loaded := 0
	for _, p := range pols {
		t.Run(strings.ReplaceAll(p.Key(), "/", ":"), func(t *testing.T) {
			began := time.Now()
			fig := &Figures{}
			o, err := LoadAttachMeasured(p, pinRoot, fig)
			if err != nil {
				t.Fatal(err)
			}
			got[p.Key()] = o
			figs[p.Key()] = fig
			if o.Status != NotRun {
				loaded++
				t.Logf("%s (%v)", o, time.Since(began).Round(time.Millisecond))
			}
		})
	}
	t.Logf("%d policies through the loader on %s in %v", loaded, release, time.Since(start).Round(time.Millisecond))
	if len(got) != len(pols) {
		t.Fatalf("%d of %d policies have an outcome", len(got), len(pols))
	}

	var buf bytes.Buffer
	if err := WriteColumn(&buf, series, got); err != nil {
		t.Fatal(err)
	}
	verified := verifiedReport(series, release, figs)
	t.Logf("verifier figures on %s:\n%s", release, verifiedSummary(figs))
	if dir := os.Getenv("VMTEST_ARTIFACTS"); dir != "" && testenv.InVM() {
		if err := os.WriteFile(filepath.Join(dir, "kernel-"+series+".txt"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "verified-"+series+".txt"), verified, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := columnPath(series)
	if *update {
		// In a guest the artifact is the update: make conformance copies it.
		if !testenv.InVM() {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want, err := readColumnFile(path)
	if err != nil {
		t.Fatalf("%v (run make conformance)", err)
	}
	if diff := DiffColumns(want, got); len(diff) > 0 {
		t.Errorf("%s is not what Linux %s does now (run make conformance to regenerate it and docs/CONFORMANCE.md):\n%s",
			path, release, strings.Join(diff, "\n"))
	}
}

// verifiedReport is the verifier's figures of every loaded policy on this
// kernel, a line each (policy, programs, the largest program and its
// verified instructions, the sum), then the base's programs. It is an
// artifact for the notes, not a golden file: the figures change with the
// kernel's release.
func verifiedReport(series, release string, figs map[string]*Figures) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Verified instructions of each corpus policy on Linux %s (%s), by TestKernel.\n", series, release)
	fmt.Fprintf(&b, "# policy\tprograms\tlargest program\tits verified insns\tsum\n")
	var base []ProgramFigure
	for _, k := range slices.Sorted(maps.Keys(figs)) {
		f := figs[k]
		if len(f.Base) > 0 {
			base = f.Base
		}
		if len(f.Programs) == 0 {
			continue
		}
		l, total := f.Largest()
		fmt.Fprintf(&b, "%s\t%d\t%s\t%d\t%d\n", k, len(f.Programs), l.Name, l.Verified, total)
	}
	for _, p := range base {
		fmt.Fprintf(&b, "(base)\t1\t%s\t%d\t%d\n", p.Name, p.Verified, p.Verified)
	}
	return b.Bytes()
}

// verifiedSummary is the largest program over the corpus and the spec's
// fd_install example's, for the test log.
func verifiedSummary(figs map[string]*Figures) string {
	var largest ProgramFigure
	var largestKey string
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(figs)) {
		l, total := figs[k].Largest()
		if l.Verified > largest.Verified {
			largest, largestKey = l, k
		}
		if strings.HasPrefix(k, "fd_install") && l.Verified > 0 {
			lines = append(lines, fmt.Sprintf("  %s: largest %s %d, sum %d", k, l.Name, l.Verified, total))
		}
	}
	lines = append(lines, fmt.Sprintf("  largest in the corpus: %s %s %d", largestKey, largest.Name, largest.Verified))
	return strings.Join(lines, "\n")
}

func readColumnFile(path string) (Column, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := ReadColumn(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// TestDoc: docs/CONFORMANCE.md is what validate and build do now with the
// corpus, and what the kernel columns in testdata say (-update rewrites
// it). It needs no kernel; the guests, which lack docs/, leave it to the
// host.
func TestDoc(t *testing.T) {
	if testenv.InVM() {
		t.Log("docs/ is not in the vmtest guest: the document is checked on the host")
		return
	}
	pols := compileCorpus(t)
	columns := map[string]Column{}
	for _, k := range Matrix {
		c, err := readColumnFile(columnPath(k.Series))
		if errors.Is(err, os.ErrNotExist) {
			continue // shown as "?": not run on that kernel yet
		}
		if err != nil {
			t.Fatal(err)
		}
		columns[k.Series] = c
	}
	var buf bytes.Buffer
	if err := WriteDoc(&buf, pols, columns); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(docPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(docPath)
	if err != nil || !bytes.Equal(have, buf.Bytes()) {
		t.Errorf("%s is not current (run make conformance, or go test ./internal/conformance -run TestDoc -update when only validate or build changed): %v",
			docPath, firstDifference(string(have), buf.String()))
	}
	// A column made before the build stage changed is stale: each kernel
	// must have tried exactly the policies that build now.
	for _, k := range Matrix {
		c := columns[k.Series]
		if c == nil {
			t.Errorf("no column for Linux %s in %s (run make conformance)", k.Series, columnPath(k.Series))
			continue
		}
		// The arm64 columns build for arm64 in the guest: a policy this
		// x86_64 build refuses is there an outcome of its own, never
		// "not run".
		otherArch := strings.HasSuffix(k.Series, "-arm64")
		for _, p := range pols {
			o, ok := c[p.Key()]
			if !ok || (!otherArch && (o.Status == NotRun) != (p.Bundle == nil && !p.NeedsTarget)) || (otherArch && o.Status == NotRun) {
				t.Errorf("%s: %s is %q on Linux %s, but build is %q now (run make conformance)",
					columnPath(k.Series), p.Key(), o, k.Series, p.Build)
			}
		}
	}
}

// firstDifference describes the first line where two texts differ.
func firstDifference(have, want string) string {
	hl, wl := strings.Split(have, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(hl) || i < len(wl); i++ {
		var h, w string
		if i < len(hl) {
			h = hl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if h != w {
			return fmt.Sprintf("line %d is\n\t%s\nwant\n\t%s", i+1, h, w)
		}
	}
	return "same lines"
}
