package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

func TestJSON(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(JSON(), &doc); err != nil {
		t.Fatalf("embedded schema is not JSON: %v", err)
	}
	if doc["$schema"] != "http://json-schema.org/draft-07/schema#" {
		t.Errorf("$schema = %v", doc["$schema"])
	}
	b := JSON()
	b[0] = 'X'
	if !bytes.Equal(JSON(), schemaJSON) || schemaJSON[0] == 'X' {
		t.Error("JSON must return a copy")
	}
	if c := load(); c.err != nil {
		t.Fatal(c.err)
	}
}

// TestCaseInsensitivePatterns: where Tetragon ignores letter case, the schema pairs the
// canonical enumeration with a pattern. The pattern must accept exactly the canonical
// values in any case.
func TestCaseInsensitivePatterns(t *testing.T) {
	var raw any
	if err := json.Unmarshal(schemaJSON, &raw); err != nil {
		t.Fatal(err)
	}
	found := 0
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if alts, ok := x["anyOf"].([]any); ok && len(alts) >= 2 {
				canon, _ := alts[0].(map[string]any)
				pat := ""
				for _, a := range alts[1:] {
					if m, ok := a.(map[string]any); ok {
						if p, ok := m["pattern"].(string); ok {
							pat = p
						}
					}
				}
				if canon != nil && pat != "" {
					found++
					checkPattern(t, toStrings(canon["enum"]), pat)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(raw)
	if found < 4 {
		t.Errorf("found %d case-insensitive enumerations, want at least 4 (returnArgAction, namespaces, capability sets, list types; selector actions are case-sensitive in the CRD)", found)
	}
}

func checkPattern(t *testing.T, values []string, pattern string) {
	t.Helper()
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("pattern %q: %v", pattern, err)
	}
	for _, v := range values {
		for _, form := range []string{v, strings.ToLower(v), strings.ToUpper(v)} {
			if !re.MatchString(form) {
				t.Errorf("pattern for %v rejects %q", values, form)
			}
		}
		for _, wrong := range []string{v + "x", v[1:], " " + v} {
			if re.MatchString(wrong) {
				t.Errorf("pattern for %v accepts %q", values, wrong)
			}
		}
	}
	// Nothing else: every match must be one of the values, ignoring case.
	alternatives := strings.Split(strings.TrimSuffix(strings.TrimPrefix(pattern, "^("), ")$"), "|")
	if len(alternatives) != len(values) {
		t.Errorf("pattern has %d alternatives for %d values %v", len(alternatives), len(values), values)
	}
}

// TestRootSchemaAgrees: editors use the root document, which chooses the definition by
// kind with if/then/else; it must judge documents as Validate does.
func TestRootSchemaAgrees(t *testing.T) {
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, bytes.NewReader(schemaJSON)); err != nil {
		t.Fatal(err)
	}
	root, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, f := range corpusFilesIfPresent() {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(src))
	}
	docs = append(docs,
		"apiVersion: cilium.io/v1alpha1\nkind: TracingPolicyNamespaced\nmetadata: {name: x, namespace: y}\nspec: {}\n",
		"apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata: {name: x, namespace: y}\nspec: {}\n",
		"apiVersion: cilium.io/v1alpha1\nkind: Other\nmetadata: {name: x}\n",
		policy("  kprobes:\n  - call: x\n    selectors: [{matchArgs: [{index: 0, operator: Equall}]}]\n"),
		policy("  kprobes:\n  - call: x\n    args: [{index: 0, type: int}]\n"),
	)
	for _, src := range docs {
		ds, err := decodeDocs([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			ours := len(Validate(d)) == 0
			theirs := root.Validate(dropNulls(normalize(d))) == nil
			if ours != theirs {
				t.Errorf("Validate says valid=%v, root schema says valid=%v for:\n%s", ours, theirs, src)
			}
		}
	}
}

func corpusFilesIfPresent() []string {
	if _, err := os.Stat(corpusDir); err != nil {
		return nil
	}
	var files []string
	for _, pat := range []string{"/*.yaml", "/*.yml"} {
		m, _ := filepath.Glob(corpusDir + pat)
		files = append(files, m...)
	}
	return files
}
