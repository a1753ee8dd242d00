package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/polc-dev/polc/compiler"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// policy is a small source with a tab (line 11) and non-ASCII text,
// including wide characters (line 4).
const policy = "apiVersion: cilium.io/v1alpha1\n" +
	"kind: TracingPolicy\n" +
	"metadata:\n" +
	"  name: \"策略-café\" # ñandú\n" +
	"spec:\n" +
	"  kprobes:\n" +
	"  - call: \"sys_openat\"\n" +
	"    selectors:\n" +
	"    - matchArgs:\n" +
	"      - index: 1\n" +
	"        operator:\t\"Equals\"\n" +
	"        values: [\"/etc/passwd\"]\n"

// fixture builds the Result every format is tested on. Its diagnostics
// are deliberately out of order.
func fixture() *compiler.Result {
	bad := compiler.NewSource("policies/bad.yaml", []byte(policy))
	stdin := compiler.NewSource(compiler.StdinName, []byte("kind: ConfigMap\n"))
	at := func(line, col int) compiler.Pos { return compiler.Pos{File: bad.Name, Line: line, Col: col} }
	return &compiler.Result{
		Sources: []*compiler.Source{bad, stdin},
		Diagnostics: []compiler.Diagnostic{
			{
				// A warning without an end.
				Code: "values-unchecked", Severity: compiler.Warning, Pos: at(12, 17),
				Path: "spec.kprobes[0].selectors[0].matchArgs[0].values",
				Msg:  "values are compared as prefixes",
			},
			{
				// An error with a hint on the line with a tab.
				Code: "bad-operator", Severity: compiler.Error, Pos: at(11, 19), End: at(11, 27),
				Path: "spec.kprobes[0].selectors[0].matchArgs[0].operator",
				Msg:  `unknown operator "Equals"`, Hint: `did you mean "Equal"?`,
			},
			{
				// A note about a whole file.
				Code: "not-a-policy", Severity: compiler.Note, Pos: compiler.Pos{File: stdin.Name},
				Msg: "a ConfigMap, not a policy: skipped",
			},
			{
				// Wide and accented characters under the caret.
				Code: "bad-name", Severity: compiler.Error, Pos: at(4, 9), End: at(4, 18),
				Path: "metadata.name", Msg: "metadata.name must be a lowercase RFC 1123 name",
				Hint: "use letters a-z, digits and '-'",
			},
			{
				// A span over several lines gets a single caret.
				Code: "selector-never-matches", Severity: compiler.Warning, Pos: at(9, 7), End: at(12, 33),
				Path: "spec.kprobes[0].selectors[0]", Msg: "this selector can never match",
			},
		},
	}
}

var fixtureRules = []Rule{
	{Code: "bad-name", Summary: "metadata.name is not a valid Kubernetes name"},
	{Code: "bad-operator", Summary: "an operator that does not exist"},
	{Code: "not-a-policy", Summary: "a Kubernetes object of another kind, skipped"},
}

func write(t *testing.T, f Format, res *compiler.Result, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, res, opts); err != nil {
		t.Fatalf("Write(%s): %v", f, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		opts   Options
	}{
		{"text", Text, Options{}},
		{"text-color", Text, Options{Color: true}},
		{"json", JSON, Options{}},
		{"sarif", SARIF, Options{ToolVersion: "0.1.0-test", Rules: fixtureRules}},
		{"github", GitHub, Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := write(t, c.format, fixture(), c.opts)
			file := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s output differs from %s (-want +got):\n%s", c.format, file, diff)
			}
		})
	}
}

func TestDeterministicAndPure(t *testing.T) {
	res := fixture()
	before := append([]compiler.Diagnostic(nil), res.Diagnostics...)
	for _, f := range Formats {
		a := write(t, f, res, Options{Rules: fixtureRules})
		b := write(t, f, res, Options{Rules: fixtureRules})
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two writes of the same result differ", f)
		}
	}
	if diff := cmp.Diff(before, res.Diagnostics); diff != "" {
		t.Errorf("Write changed the result's diagnostics:\n%s", diff)
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"text", "json", "sarif", "github", "SARIF", " json "} {
		f, err := ParseFormat(s)
		if err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
		if want := Format(strings.ToLower(strings.TrimSpace(s))); f != want {
			t.Errorf("ParseFormat(%q) = %q, want %q", s, f, want)
		}
	}
	for _, s := range []string{"", "yaml", "checkstyle"} {
		if _, err := ParseFormat(s); err == nil {
			t.Errorf("ParseFormat(%q) succeeded", s)
		}
	}
	if err := Write(&bytes.Buffer{}, "xml", fixture(), Options{}); err == nil {
		t.Error("Write with an unknown format succeeded")
	}
}

func TestTextSnippets(t *testing.T) {
	src := compiler.NewSource("p.yaml", []byte("a:\tb: c\n\nkey: 値値\n"))
	pos := func(line, col int) compiler.Pos { return compiler.Pos{File: "p.yaml", Line: line, Col: col} }
	cases := []struct {
		name string
		d    compiler.Diagnostic
		want string
	}{
		{"after tab", compiler.Diagnostic{Pos: pos(1, 4), End: pos(1, 5)},
			"1 | a:  b: c\n  |     ^\n"},
		{"on the tab", compiler.Diagnostic{Pos: pos(1, 3), End: pos(1, 5)},
			"1 | a:  b: c\n  |   ^~~\n"},
		{"end past the line", compiler.Diagnostic{Pos: pos(1, 7), End: pos(1, 40)},
			"1 | a:  b: c\n  |        ^\n"},
		{"start past the line", compiler.Diagnostic{Pos: pos(1, 20)},
			"1 | a:  b: c\n  |         ^\n"},
		{"empty line", compiler.Diagnostic{Pos: pos(2, 1)},
			"2 | \n  | ^\n"},
		{"wide characters", compiler.Diagnostic{Pos: pos(3, 6), End: pos(3, 8)},
			"3 | key: 値値\n  |      ^~~~\n"},
		{"end on another line", compiler.Diagnostic{Pos: pos(1, 4), End: pos(3, 2)},
			"1 | a:  b: c\n  |     ^\n"},
		{"no column", compiler.Diagnostic{Pos: pos(3, 0)},
			"3 | key: 値値\n"},
		{"past the file", compiler.Diagnostic{Pos: pos(9, 1)},
			""},
		{"whole file", compiler.Diagnostic{Pos: compiler.Pos{File: "p.yaml"}},
			""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.d.Code, c.d.Msg = "x", "m"
			var b bytes.Buffer
			textDiagnostic(&b, c.d, src, false)
			header, rest, _ := strings.Cut(b.String(), "\n")
			if want := c.d.Pos.String() + ": error[x]: m"; header != want {
				t.Errorf("header %q, want %q", header, want)
			}
			rest = strings.TrimSuffix(rest, "\n") // the blank line between diagnostics
			if rest != c.want {
				t.Errorf("snippet:\n%s\nwant:\n%s", rest, c.want)
			}
		})
	}
}

func TestTextSanitizes(t *testing.T) {
	src := compiler.NewSource("p.yaml", []byte("a: \"\x1b[2J\u202e\"\n"))
	res := &compiler.Result{Sources: []*compiler.Source{src}, Diagnostics: []compiler.Diagnostic{{
		Code: "x", Pos: compiler.Pos{File: "p.yaml", Line: 1, Col: 4}, Msg: "bad \x1b]0;title\x07 value",
	}}}
	out := string(write(t, Text, res, Options{}))
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("control characters reach the terminal:\n%q", out)
	}
}

func TestSummaryLine(t *testing.T) {
	src := compiler.NewSource("a.yaml", []byte("x: 1\n"))
	cases := []struct {
		sevs []compiler.Severity
		want string
	}{
		{nil, "no problems in 1 file"},
		{[]compiler.Severity{compiler.Error}, "1 error, 0 warnings in 1 file"},
		{[]compiler.Severity{compiler.Warning, compiler.Warning, compiler.Error, compiler.Error},
			"2 errors, 2 warnings in 1 file"},
		{[]compiler.Severity{compiler.Note}, "0 errors, 0 warnings, 1 note in 1 file"},
	}
	for _, c := range cases {
		res := &compiler.Result{Sources: []*compiler.Source{src}}
		for i, s := range c.sevs {
			res.Diagnostics = append(res.Diagnostics, compiler.Diagnostic{
				Code: "x", Severity: s, Pos: compiler.Pos{File: "a.yaml", Line: 1, Col: i + 1}, Msg: "m"})
		}
		out := strings.TrimSuffix(string(write(t, Text, res, Options{})), "\n")
		if last := out[strings.LastIndex(out, "\n")+1:]; last != c.want {
			t.Errorf("summary %q, want %q", last, c.want)
		}
	}
	// Without sources, the files diagnosed are counted.
	res := &compiler.Result{Diagnostics: []compiler.Diagnostic{
		{Code: "x", Pos: compiler.Pos{File: "a.yaml"}, Msg: "m"},
		{Code: "x", Pos: compiler.Pos{File: "b.yaml"}, Msg: "m"},
	}}
	if out := string(write(t, Text, res, Options{})); !strings.HasSuffix(out, "\n2 errors, 0 warnings in 2 files\n") {
		t.Errorf("summary without sources:\n%s", out)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	res := fixture()
	out := write(t, JSON, res, Options{})
	var got jsonReport
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatal("more than one JSON document")
	}
	// The decoded diagnostics are the fixture's, sorted, field by field.
	want := compiler.SortDiagnostics(fixture().Diagnostics)
	if len(got.Diagnostics) != len(want) {
		t.Fatalf("%d diagnostics, want %d", len(got.Diagnostics), len(want))
	}
	for i, g := range got.Diagnostics {
		d := want[i]
		back := compiler.Diagnostic{
			Code: g.Code, Severity: severityNamed(t, g.Severity), Path: g.Path, Msg: g.Message, Hint: g.Hint,
			Pos: compiler.Pos{File: g.File, Line: g.Line, Col: g.Column},
		}
		if g.EndLine != 0 {
			back.End = compiler.Pos{File: g.File, Line: g.EndLine, Col: g.EndColumn}
		}
		if diff := cmp.Diff(d, back); diff != "" {
			t.Errorf("diagnostic %d does not survive JSON (-want +got):\n%s", i, diff)
		}
	}
	if want := (jsonSummary{Errors: 2, Warnings: 2, Notes: 1, Files: 2}); got.Summary != want {
		t.Errorf("summary %+v, want %+v", got.Summary, want)
	}
	// Encoding what was decoded gives the same bytes: no field is lost.
	var again bytes.Buffer
	if err := encodeJSON(&again, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, again.Bytes()) {
		t.Errorf("re-encoded JSON differs:\n%s\nvs\n%s", out, again.Bytes())
	}
	// Empty hints and paths are left out.
	if bytes.Contains(out, []byte(`"hint": ""`)) || bytes.Contains(out, []byte(`"path": ""`)) {
		t.Error("empty hint or path written")
	}
}

func TestJSONEmpty(t *testing.T) {
	src := compiler.NewSource("ok.yaml", []byte("x: 1\n"))
	out := write(t, JSON, &compiler.Result{Sources: []*compiler.Source{src}}, Options{})
	want := "{\n  \"diagnostics\": [],\n  \"summary\": {\n    \"errors\": 0,\n    \"warnings\": 0,\n    \"notes\": 0,\n    \"files\": 1\n  }\n}\n"
	if string(out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}

func severityNamed(t *testing.T, s string) compiler.Severity {
	t.Helper()
	for _, sev := range []compiler.Severity{compiler.Error, compiler.Warning, compiler.Note} {
		if sev.String() == s {
			return sev
		}
	}
	t.Fatalf("unknown severity %q", s)
	return 0
}

// sarifSchema compiles the official SARIF 2.1.0 schema in testdata.
func sarifValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	const file = "testdata/sarif-schema-2.1.0.json"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	const url = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
		t.Fatalf("add %s: %v", file, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile %s: %v", file, err)
	}
	return s
}

func TestSARIFSchema(t *testing.T) {
	schema := sarifValidator(t)
	ok := compiler.NewSource("ok.yaml", []byte("x: 1\n"))
	odd := compiler.NewSource("/abs/dir with space/a:b,c.yaml", []byte("x: 1\n"))
	results := map[string]*compiler.Result{
		"fixture": fixture(),
		"empty":   {Sources: []*compiler.Source{ok}},
		"odd names": {Sources: []*compiler.Source{odd}, Diagnostics: []compiler.Diagnostic{
			{Code: "x", Pos: compiler.Pos{File: odd.Name, Line: 1, Col: 1}, End: compiler.Pos{File: odd.Name, Line: 1, Col: 2}, Msg: "m"},
			{Code: "y", Pos: compiler.Pos{File: "rel/a:b.yaml", Line: 1}, Msg: ""},
		}},
	}
	for name, res := range results {
		for _, rules := range [][]Rule{nil, fixtureRules} {
			out := write(t, SARIF, res, Options{ToolVersion: "1.2.3", Rules: rules})
			var doc any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("%s (rules %v): SARIF output fails the schema: %#v\n%s", name, rules != nil, err, out)
			}
			checkCodeScanning(t, name, out)
		}
	}
}

// checkCodeScanning checks what GitHub code scanning asks beyond the
// schema: a start line on every result, rule indexes that point at the
// right rule, relative artifact URIs for relative paths, a message.
func checkCodeScanning(t *testing.T, name string, out []byte) {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%s: %d runs", name, len(log.Runs))
	}
	run := log.Runs[0]
	for i, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("%s: result %d: ruleIndex %d does not name rule %q", name, i, r.RuleIndex, r.RuleID)
		}
		if r.Message.Text == "" {
			t.Errorf("%s: result %d has no message", name, i)
		}
		for _, l := range r.Locations {
			if l.PhysicalLocation.Region.StartLine < 1 {
				t.Errorf("%s: result %d: startLine %d", name, i, l.PhysicalLocation.Region.StartLine)
			}
			u := l.PhysicalLocation.ArtifactLocation.URI
			if strings.HasPrefix(u, "/") || strings.Contains(u, `\`) || strings.Contains(u, "<") {
				t.Errorf("%s: result %d: artifact uri %q", name, i, u)
			}
		}
	}
}

// TestSARIFSchemaRejects proves the validator is not vacuous: the
// schema refuses what GitHub would refuse.
func TestSARIFSchemaRejects(t *testing.T) {
	schema := sarifValidator(t)
	out := write(t, SARIF, fixture(), Options{})
	for name, breakIt := range map[string]func(string) string{
		"level":     func(s string) string { return strings.Replace(s, `"level": "error"`, `"level": "fatal"`, 1) },
		"startLine": func(s string) string { return strings.Replace(s, `"startLine": 4`, `"startLine": 0`, 1) },
		"version":   func(s string) string { return strings.Replace(s, `"version": "2.1.0"`, `"version": "2.0.0"`, 1) },
		"extra":     func(s string) string { return strings.Replace(s, `"ruleId"`, `"rule_id": "x", "ruleId"`, 1) },
	} {
		broken := breakIt(string(out))
		if broken == string(out) {
			t.Fatalf("%s: the fixture no longer has what the test breaks", name)
		}
		var doc any
		if err := json.Unmarshal([]byte(broken), &doc); err != nil {
			t.Fatal(err)
		}
		if schema.Validate(doc) == nil {
			t.Errorf("%s: the schema accepts a broken log", name)
		}
	}
}

func TestSARIFContent(t *testing.T) {
	out := write(t, SARIF, fixture(), Options{Rules: fixtureRules})
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	// Known rules first in the given order, then the others sorted.
	wantIDs := []string{"bad-name", "bad-operator", "not-a-policy", "selector-never-matches", "values-unchecked"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if got := run.Tool.Driver.Rules[1].ShortDescription.Text; got != "an operator that does not exist" {
		t.Errorf("bad-operator description %q", got)
	}
	if got := run.Tool.Driver.Rules[4].ShortDescription.Text; got != "values-unchecked" {
		t.Errorf("unknown rule description %q, want the code", got)
	}
	byRule := map[string]sarifResult{}
	for _, r := range run.Results {
		byRule[r.RuleID] = r
	}
	op := byRule["bad-operator"]
	if want := `unknown operator "Equals" — hint: did you mean "Equal"?`; op.Message.Text != want {
		t.Errorf("message %q, want %q", op.Message.Text, want)
	}
	if want := (sarifRegion{StartLine: 11, StartColumn: 19, EndLine: 11, EndColumn: 27}); op.Locations[0].PhysicalLocation.Region != want {
		t.Errorf("region %+v, want %+v", op.Locations[0].PhysicalLocation.Region, want)
	}
	if op.Properties == nil || op.Properties.YAMLPath != "spec.kprobes[0].selectors[0].matchArgs[0].operator" {
		t.Errorf("properties %+v", op.Properties)
	}
	note := byRule["not-a-policy"]
	if note.Level != "note" || note.Locations[0].PhysicalLocation.ArtifactLocation.URI != "stdin" ||
		note.Locations[0].PhysicalLocation.Region != (sarifRegion{StartLine: 1}) {
		t.Errorf("whole-file note on stdin: %+v", note)
	}
	if note.Properties != nil {
		t.Errorf("properties without a path: %+v", note.Properties)
	}
}

func TestURI(t *testing.T) {
	for in, want := range map[string]string{
		"policies/bad.yaml":   "policies/bad.yaml",
		"./policies/bad.yaml": "policies/bad.yaml",
		"a b/c%d#e?.yaml":     "a%20b/c%25d%23e%3F.yaml",
		"a:b.yaml":            "./a:b.yaml",
		"/abs/p.yaml":         "file:///abs/p.yaml",
		compiler.StdinName:    "stdin",
	} {
		if got := uri(in); got != want {
			t.Errorf("uri(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	file := "dir,x/a:b%.yaml"
	res := &compiler.Result{Diagnostics: []compiler.Diagnostic{{
		Code: "weird", Severity: compiler.Warning,
		Pos: compiler.Pos{File: file, Line: 3, Col: 5}, End: compiler.Pos{File: file, Line: 3, Col: 9},
		Msg:  "100% sure: a, b\nsecond line\r\nthird",
		Hint: "use: x, y",
	}}}
	got := string(write(t, GitHub, res, Options{}))
	want := "::warning file=dir%2Cx/a%3Ab%25.yaml,line=3,col=5,endColumn=8,title=polc weird::" +
		"100%25 sure: a, b%0Asecond line%0D%0Athird (hint: use: x, y)\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if strings.Count(got, "\n") != 1 {
		t.Error("one diagnostic takes more than one line")
	}
}

func TestGitHubLocations(t *testing.T) {
	pos := func(line, col int) compiler.Pos { return compiler.Pos{File: "p.yaml", Line: line, Col: col} }
	cases := []struct {
		d    compiler.Diagnostic
		want string
	}{
		{compiler.Diagnostic{Pos: pos(2, 3), End: pos(2, 4)}, "::error file=p.yaml,line=2,col=3,title=polc x::m\n"},
		{compiler.Diagnostic{Pos: pos(2, 3)}, "::error file=p.yaml,line=2,col=3,title=polc x::m\n"},
		{compiler.Diagnostic{Pos: pos(2, 3), End: pos(5, 1)}, "::error file=p.yaml,line=2,endLine=5,title=polc x::m\n"},
		{compiler.Diagnostic{Pos: pos(2, 0)}, "::error file=p.yaml,line=2,title=polc x::m\n"},
		{compiler.Diagnostic{Pos: compiler.Pos{File: "p.yaml"}}, "::error file=p.yaml,title=polc x::m\n"},
		{compiler.Diagnostic{Severity: compiler.Note, Pos: compiler.Pos{File: compiler.StdinName, Line: 1, Col: 1}}, "::notice title=polc x::m\n"},
	}
	for _, c := range cases {
		c.d.Code, c.d.Msg = "x", "m"
		got := string(write(t, GitHub, &compiler.Result{Diagnostics: []compiler.Diagnostic{c.d}}, Options{}))
		if got != c.want {
			t.Errorf("%v: got %q, want %q", c.d, got, c.want)
		}
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteErrors(t *testing.T) {
	for _, f := range Formats {
		if err := Write(failingWriter{}, f, fixture(), Options{}); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: Write returned %v, want the writer's error", f, err)
		}
	}
}

// TestRealDiagnostics writes what the compiler reports on the repository's
// bad policies in every format: SARIF must pass the schema and GitHub's
// rules, JSON must decode, text must show a snippet for every located
// diagnostic, github must write one line per diagnostic.
func TestRealDiagnostics(t *testing.T) {
	srcs, err := compiler.ReadSources([]string{"../../testdata/validate"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := compiler.Check(srcs, compiler.Options{Lint: true, Compat: compiler.CompatTetragon})
	if len(res.Diagnostics) < 20 {
		t.Fatalf("only %d diagnostics on testdata/validate", len(res.Diagnostics))
	}
	schema := sarifValidator(t)
	out := write(t, SARIF, res, Options{ToolVersion: "test", Rules: compilerRules()})
	var doc any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("SARIF fails the schema: %#v", err)
	}
	checkCodeScanning(t, "testdata/validate", out)

	var j jsonReport
	if err := json.Unmarshal(write(t, JSON, res, Options{}), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Diagnostics) != len(compiler.SortDiagnostics(slices.Clone(res.Diagnostics))) {
		t.Errorf("json has %d diagnostics", len(j.Diagnostics))
	}

	gh := write(t, GitHub, res, Options{})
	if n := bytes.Count(gh, []byte("\n")); n != len(j.Diagnostics) {
		t.Errorf("github: %d lines for %d diagnostics", n, len(j.Diagnostics))
	}

	text := string(write(t, Text, res, Options{}))
	for _, d := range j.Diagnostics {
		if d.Line == 0 || d.Column == 0 {
			continue
		}
		header := fmt.Sprintf("%s:%d:%d: %s[%s]: ", d.File, d.Line, d.Column, d.Severity, d.Code)
		i := strings.Index(text, header)
		if i < 0 {
			t.Errorf("text lacks %q", header)
			continue
		}
		lines := strings.SplitN(text[i:], "\n", 4)
		if !strings.HasPrefix(lines[1], strconv.Itoa(d.Line)+" | ") || !strings.Contains(lines[2], "^") {
			t.Errorf("no snippet under %q:\n%s\n%s", header, lines[1], lines[2])
		}
	}
}

func compilerRules() []Rule {
	var rs []Rule
	for _, c := range compiler.Codes() {
		rs = append(rs, Rule{Code: c.Code, Summary: c.Summary})
	}
	return rs
}
