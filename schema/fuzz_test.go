package schema

import (
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

var knownCodes = map[string]bool{
	"unknown-field": true, "missing-field": true, "wrong-type": true, "bad-enum": true,
	"out-of-range": true, "too-many": true, "too-few": true, "bad-format": true, "invalid": true,
}

// FuzzValidate feeds arbitrary YAML to Validate, both in the documented shape and as
// yaml.v3 decodes it into any. Validate must not panic, and what it returns must keep
// its promises: known codes, one-line lower-case messages, sorted paths that exist in
// the document.
func FuzzValidate(f *testing.F) {
	for _, file := range corpusFilesIfPresent() {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		policy("  kprobes:\n  - call: x\n    selectors:\n    - matchPIDs: [{operator: NotIn, followforks: true, values: [\"1\"]}]\n"),
		policy("  kprobes:\n  - call:\n    args: [{index: .nan, type: 5}, {index: .inf}, {index: 1e300}]\n"),
		"apiVersion: [1]\nkind: {a: b}\nmetadata: ~\nspec: []\n",
		"? [a, b]\n: c\n1: 2\n",
		"a: &x [*x]\n",
		"a: !!binary aGVsbG8=\nb: 2001-12-14t21:59:43.10-05:00\n",
		"",
		"---\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		docs, _ := decodeDocs(src)
		for _, d := range docs {
			checkErrors(t, d, Validate(d))
		}
		dec := yaml.NewDecoder(strings.NewReader(string(src)))
		for range 8 {
			var v any
			if dec.Decode(&v) != nil {
				break
			}
			checkErrors(t, normalize(v), Validate(v))
		}
	})
}

func checkErrors(t *testing.T, doc any, errs []Error) {
	t.Helper()
	for i, e := range errs {
		if !knownCodes[e.Code] {
			t.Fatalf("error %d has code %q: %s", i, e.Code, e)
		}
		if e.Msg == "" || strings.ContainsAny(e.Msg, "\n\r") || strings.ContainsAny(e.Hint, "\n\r") {
			t.Fatalf("error %d is not one line: %q / %q", i, e.Msg, e.Hint)
		}
		if r, _ := utf8.DecodeRuneInString(e.Msg); unicode.IsUpper(r) {
			t.Fatalf("error %d message starts upper case: %q", i, e.Msg)
		}
		if _, ok := lookup(doc, e.Path); !ok {
			t.Fatalf("error %d points at %q, which is not in the document", i, e.Path)
		}
		if i > 0 && comparePaths(errs[i-1].Path, e.Path) > 0 {
			t.Fatalf("errors not sorted: %q before %q", errs[i-1].Path, e.Path)
		}
	}
}
