package policytest

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/polc-dev/polc/compiler"
)

var errorComment = regexp.MustCompile(`# ERROR ("(?:[^"\\]|\\.)*")`)

// TestErrors: every test file under testdata/errors marks the lines its
// diagnostics must point at with # ERROR "substring"; each diagnostic must
// be expected and each expectation met.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*_test.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			rep, err := Run([]string{f}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s := rep.Suites[0]
			if s.OK() {
				t.Errorf("suite passed; it should not")
			}
			src := s.Sources[0]
			want := map[int][]string{}
			for i := 1; i <= src.NumLines(); i++ {
				for _, m := range errorComment.FindAllStringSubmatch(src.Line(i), -1) {
					text, err := strconv.Unquote(m[1])
					if err != nil {
						t.Fatalf("line %d: %v", i, err)
					}
					want[i] = append(want[i], text)
				}
			}
			for _, d := range s.Diagnostics {
				if d.Pos.File != f {
					t.Errorf("diagnostic in another file: %s", d)
					continue
				}
				i := slicesIndex(want[d.Pos.Line], d.Msg+" "+d.Hint)
				if i < 0 {
					t.Errorf("unexpected: %s", d)
					continue
				}
				want[d.Pos.Line] = append(want[d.Pos.Line][:i], want[d.Pos.Line][i+1:]...)
			}
			for line, ws := range want {
				for _, w := range ws {
					t.Errorf("%s:%d: no diagnostic containing %q", f, line, w)
				}
			}
			if len(s.Results) != 0 {
				t.Errorf("%d cases ran; every case has an error", len(s.Results))
			}
			if rep.Failed() == 0 && !strings.Contains(f, "unknown-policy") {
				t.Errorf("cases that cannot run must count as failed")
			}
		})
	}
}

func slicesIndex(subs []string, msg string) int {
	for i, s := range subs {
		if strings.Contains(msg, s) {
			return i
		}
	}
	return -1
}

// TestWrongExpectation: a deliberately wrong expectation fails, names the
// case's line and shows the difference.
func TestWrongExpectation(t *testing.T) {
	dir := examplesDir(t)
	src := compiler.NewSource(filepath.Join(dir, "passwd-readers_test.yaml"), []byte(`apiVersion: polc.dev/v1alpha1
kind: PolicyTest
cases:
- name: right
  args: {1: /etc/passwd}
  expect: {selector: 0}
- name: wrong
  args: {1: /etc/passwd}
  expect: {selector: none, posted: false}
`))
	s, err := RunSource(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Diagnostics) != 0 || len(s.Results) != 2 {
		t.Fatalf("diagnostics %v, %d results", s.Diagnostics, len(s.Results))
	}
	if !s.Results[0].Passed || s.Results[1].Passed {
		t.Fatalf("passed: %v %v, want true false", s.Results[0].Passed, s.Results[1].Passed)
	}
	var out bytes.Buffer
	if err := Write(&out, Text, &Report{Suites: []*Suite{s}}, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"--- FAIL: passwd-readers/wrong (" + dir + "/passwd-readers_test.yaml:7:3)",
		"selector 0, want none; posted true, want false",
		"FAIL\tpasswd-readers\t" + dir + "/passwd-readers_test.yaml",
		"1 passed, 1 failed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, re := range []string{`\n    - \s*Selector:\s+"none",\n`, `\n    \+ \s*Selector:\s+"0",\n`} {
		if !regexp.MustCompile(re).MatchString(out.String()) {
			t.Errorf("output lacks the diff line %s:\n%s", re, out.String())
		}
	}
}

// TestExamplesAndCorpus: the test files of examples/ and of the corpus
// policies in testdata/corpus pass and match every selector.
func TestExamplesAndCorpus(t *testing.T) {
	files, err := FindTests([]string{examplesDir(t), corpusTestsDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 13 {
		t.Fatalf("%d test files, want the 3 examples' and at least 10 corpus policies'", len(files))
	}
	rep, err := Run(files, Options{Coverage: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Suites {
		for _, d := range s.Diagnostics {
			t.Errorf("%s", d)
		}
		for _, r := range s.Results {
			if !r.Passed {
				t.Errorf("%s (%s): %s%s", r.Name, r.Case.Pos, r.Err, r.Diff)
			}
		}
		if c := s.Coverage; c == nil || c.Covered != c.Selectors {
			t.Errorf("%s: selectors not covered: %+v", s.File, c)
		}
	}
}

// BenchmarkExamples is polc test on examples/: find, parse, check, lower,
// bind and evaluate every case.
func BenchmarkExamples(b *testing.B) {
	dir := examplesDir(b)
	for b.Loop() {
		files, err := FindTests([]string{dir})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Run(files, Options{Coverage: true})
		if err != nil || !rep.OK() {
			b.Fatalf("%v %v", err, rep)
		}
	}
}

// TestCoverageMisses: a selector no case matches and values no case
// exercises are listed with their positions in the policy.
func TestCoverageMisses(t *testing.T) {
	dir := examplesDir(t)
	src := compiler.NewSource(filepath.Join(dir, "block-dns-elsewhere_test.yaml"), []byte(`apiVersion: polc.dev/v1alpha1
kind: PolicyTest
cases:
- name: DNS over UDP to a public resolver
  args: {2: {protocol: IPPROTO_UDP, daddr: 1.1.1.1, dport: 53}}
  expect: {selector: 0, actions: [Sigkill, Post]}
- name: the local resolver
  args: {2: {protocol: IPPROTO_UDP, daddr: 127.0.0.53, dport: 53}}
  expect: {selector: none}
`))
	s, err := RunSource(src, Options{Coverage: true})
	if err != nil {
		t.Fatal(err)
	}
	if !s.OK() {
		t.Fatalf("suite failed: %v %+v", s.Diagnostics, s.Results)
	}
	c := s.Coverage
	if c.Selectors != 1 || c.Covered != 1 || c.Values != 5 || c.ValuesHit != 3 {
		t.Errorf("coverage %+v, want 1/1 selectors and 3/5 values", c)
	}
	var missed []string
	for _, m := range c.Missed {
		missed = append(missed, m.String())
	}
	want := []string{
		dir + `/block-dns-elsewhere.yaml:16:9: hook ip_output selector 0: argument 2 Protocol 6: no case exercises it`,
		dir + `/block-dns-elsewhere.yaml:22:9: hook ip_output selector 0: argument 2 NotDAddr ::1/128: no case exercises it`,
	}
	if strings.Join(missed, "\n") != strings.Join(want, "\n") {
		t.Errorf("missed:\n%s\nwant:\n%s", strings.Join(missed, "\n"), strings.Join(want, "\n"))
	}
	// Without the matching case, the selector itself is missed.
	s2, err := RunSource(src, Options{Coverage: true, Run: regexp.MustCompile("local")})
	if err != nil {
		t.Fatal(err)
	}
	if c := s2.Coverage; c.Covered != 0 || c.Missed[0].Value != "" || !strings.Contains(c.Missed[0].String(), "no case matches it") {
		t.Errorf("coverage with one case: %+v", c)
	}
}
