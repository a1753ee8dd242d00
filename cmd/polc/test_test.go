package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestTestCommand: polc test's exit status and formats.
func TestTestCommand(t *testing.T) {
	if code, out, errs := runPolc("test", "../../examples"); code != exitOK || !strings.Contains(out, " passed, 0 failed\n") {
		t.Errorf("examples: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runPolc("test", "../../policytest/testdata/errors"); code != exitFound || !strings.Contains(out, "FAIL\t") {
		t.Errorf("errors: exit %d, want %d\n%s", code, exitFound, out)
	}
	if code, _, errs := runPolc("test", "../../no/such/dir"); code != exitUsage || errs == "" {
		t.Errorf("missing path: exit %d, want %d (%s)", code, exitUsage, errs)
	}
	if code, _, errs := runPolc("test", "-o", "toml", "../../examples"); code != exitUsage || !strings.HasPrefix(errs, "polc: error: ") {
		t.Errorf("bad -o: exit %d, want %d: %s", code, exitUsage, errs)
	}
	// -o yaml holds what -o json does.
	_, j, _ := runPolc("test", "-o", "json", "../../examples")
	_, y, _ := runPolc("test", "--output", "yaml", "../../examples")
	var fromJ, fromY any
	json.Unmarshal([]byte(j), &fromJ)
	if err := yaml.Unmarshal([]byte(y), &fromY); err != nil || fromJ == nil || !reflect.DeepEqual(jsonRoundTrip(fromY), fromJ) {
		t.Errorf("-o yaml differs from -o json (%v):\n%s", err, y)
	}
	if code, _, _ := runPolc("test", "--run", "(", "../../examples"); code != exitUsage {
		t.Errorf("bad --run: exit %d, want %d", code, exitUsage)
	}
	// --run: only the selected cases run.
	code, out, _ := runPolc("test", "-v", "--run", "passwd-readers/shadow", "../../examples")
	if code != exitOK || !strings.Contains(out, "1 passed, 0 failed") {
		t.Errorf("--run: exit %d\n%s", code, out)
	}
	// JSON, JUnit and SARIF parse.
	_, out, _ = runPolc("test", "-o", "json", "../../policytest/testdata/errors")
	var doc struct {
		Suites []struct{ File string }
		Failed int
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Suites) == 0 || doc.Failed == 0 {
		t.Errorf("json: %v %+v\n%s", err, doc, out)
	}
	_, out, _ = runPolc("test", "-o", "junit", "../../examples")
	var ju struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal([]byte(out), &ju); err != nil || ju.Tests == 0 || ju.Failures != 0 {
		t.Errorf("junit: %v %+v\n%s", err, ju, out)
	}
	code, out, _ = runPolc("test", "-o", "sarif", "../../policytest/testdata/errors")
	if code != exitFound || !strings.Contains(out, `"ruleId": "test-unknown-arg"`) {
		t.Errorf("sarif: exit %d\n%s", code, out)
	}
	// --generate writes NAME_test.yaml beside the policy, which passes,
	// and never overwrites it.
	dir := t.TempDir()
	data, err := os.ReadFile("../../examples/block-dns-elsewhere.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pol := filepath.Join(dir, "dns.yaml")
	if err := os.WriteFile(pol, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runPolc("test", "--generate", pol); code != exitOK {
		t.Fatalf("--generate: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runPolc("test", "--coverage", dir); code != exitOK || !strings.Contains(out, "coverage: 100.0% of selectors") {
		t.Errorf("generated tests: exit %d\n%s", code, out)
	}
	if code, _, errs := runPolc("test", "--generate", pol); code != exitUsage || !strings.Contains(errs, "not overwritten") {
		t.Errorf("--generate over an existing file: exit %d (%s)", code, errs)
	}
	// polc schema --test prints the test file schema.
	if _, out, _ := runPolc("schema", "--test"); !strings.Contains(out, `"PolicyTest"`) {
		t.Errorf("schema --test:\n%.200s", out)
	}
}

// jsonRoundTrip gives v the types encoding/json decodes to.
func jsonRoundTrip(v any) any {
	data, _ := json.Marshal(v)
	var out any
	json.Unmarshal(data, &out)
	return out
}
