package compiler

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

const budgetPolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "budget"
spec:
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "int64"
    selectors:
`

// selectorsPolicy has n selectors of one value each.
func selectorsPolicy(n int) string {
	var b strings.Builder
	b.WriteString(budgetPolicy)
	for i := range n {
		fmt.Fprintf(&b, "    - matchArgs:\n      - index: 0\n        operator: \"Equal\"\n        values: [\"%d\"]\n", i)
	}
	return b.String()
}

// valuesPolicy has one selector with a filter of n values.
func valuesPolicy(n int) string {
	var b strings.Builder
	b.WriteString(budgetPolicy)
	b.WriteString("    - matchArgs:\n      - index: 0\n        operator: \"Equal\"\n        values:\n")
	for i := range n {
		fmt.Fprintf(&b, "        - \"%d\"\n", i)
	}
	return b.String()
}

func checkText(t *testing.T, name, text string) *Result {
	t.Helper()
	return Check([]*Source{NewSource(name, []byte(text))}, Options{})
}

// wantOnly fails unless the result holds exactly one error, of code, at
// line:col, whose message holds msg.
func wantOnly(t *testing.T, res *Result, code string, line, col int, msg string) {
	t.Helper()
	if len(res.Diagnostics) != 1 {
		t.Fatalf("want one %s diagnostic, got %v", code, res.Diagnostics)
	}
	d := res.Diagnostics[0]
	if d.Code != code || d.Severity != Error || d.Pos.Line != line || d.Pos.Col != col || !strings.Contains(d.Msg, msg) || d.Hint == "" {
		t.Errorf("got %s:%d:%d %s %q (hint %q), want %s at %d:%d with %q", d.Pos.File, d.Pos.Line, d.Pos.Col, d.Code, d.Msg, d.Hint, code, line, col, msg)
	}
}

// Selectors per hook and values per filter are bounded, at the list's key,
// before the schema and the semantic checks run; the limit itself passes.
func TestListBudgets(t *testing.T) {
	if res := checkText(t, "s.yaml", selectorsPolicy(MaxSelectorsPerHook)); res.Errors() != 0 {
		t.Errorf("%d selectors: %v", MaxSelectorsPerHook, res.Diagnostics)
	}
	wantOnly(t, checkText(t, "s.yaml", selectorsPolicy(MaxSelectorsPerHook+1)), "too-many-items", 12, 5, "256 selectors; polc compiles at most 255")
	if res := checkText(t, "v.yaml", valuesPolicy(MaxValuesPerFilter)); res.Errors() != 0 {
		t.Errorf("%d values: %v", MaxValuesPerFilter, res.Diagnostics)
	}
	wantOnly(t, checkText(t, "v.yaml", valuesPolicy(MaxValuesPerFilter+1)), "too-many-items", 16, 9, "65537 values; polc compiles at most 65536")
}

// A file over MaxFileBytes is refused without being read (nor parsed),
// and so is stdin past that many bytes.
func TestFileBudget(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: its size says enough.
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	srcs, err := ReadSources([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if srcs[0].Data != nil {
		t.Errorf("read %d bytes of a file over the budget", len(srcs[0].Data))
	}
	wantOnly(t, Check(srcs, Options{}), "file-too-large", 1, 1, "the file is 52428800 bytes; polc reads files of at most 16777216")

	stdin := strings.NewReader("# " + strings.Repeat("x", MaxFileBytes))
	srcs, err = ReadSources([]string{"-"}, stdin)
	if err != nil {
		t.Fatal(err)
	}
	if stdin.Len() == 0 {
		t.Error("read all of stdin")
	}
	wantOnly(t, Check(srcs, Options{}), "file-too-large", 1, 1, "the file is more than 16 MiB")

	// At the budget, a file is read and checked.
	exact := budgetPolicy[:len(budgetPolicy)-len("    selectors:\n")]
	exact += "# " + strings.Repeat("x", MaxFileBytes-len(exact)-3) + "\n"
	if res := checkText(t, "exact.yaml", exact); res.Errors() != 0 || len(exact) != MaxFileBytes {
		t.Errorf("%d bytes: %v", len(exact), res.Diagnostics)
	}
}

// The documents after the MaxDocuments-th are not parsed: an error at the
// first of them says so.
func TestDocumentsBudget(t *testing.T) {
	doc := "apiVersion: v1\nkind: ConfigMap\n"
	text := strings.Repeat(doc+"---\n", MaxDocuments) + doc
	res := Check([]*Source{NewSource("many.yaml", []byte(text))}, Options{})
	var codes []string
	for _, d := range res.Diagnostics {
		if d.Code != "not-a-policy" && d.Code != "too-many-diagnostics" {
			codes = append(codes, d.Code)
			if d.Pos.Line != 3*MaxDocuments+1 || !strings.Contains(d.Msg, "document 10001: a file holds at most 10000 documents") {
				t.Errorf("%s:%d: %s", d.Code, d.Pos.Line, d.Msg)
			}
		}
	}
	if !slices.Equal(codes, []string{"too-many-documents"}) {
		t.Errorf("codes %v", codes)
	}
	if res := Check([]*Source{NewSource("many.yaml", []byte(strings.Repeat(doc+"---\n", MaxDocuments-1)+doc))}, Options{}); res.Errors() != 0 {
		t.Errorf("%d documents: %v", MaxDocuments, res.Diagnostics[:1])
	}
}

func utf16Bytes(s string, order binary.AppendByteOrder, bom bool) []byte {
	var b []byte
	if bom {
		b = order.AppendUint16(b, 0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

func utf32Bytes(s string, order binary.AppendByteOrder) []byte {
	b := order.AppendUint32(nil, 0xFEFF)
	for _, r := range s {
		b = order.AppendUint32(b, uint32(r))
	}
	return b
}

// A file in UTF-16 or UTF-32 with a byte order mark (or UTF-8 with one) is
// checked as its UTF-8 text is: the same diagnostics, with the same source
// lines, and the policy's text in UTF-8. One whose bytes do not fit the
// encoding its byte order mark names is refused, saying so.
func TestEncodings(t *testing.T) {
	text := strings.Replace(selectorsPolicy(2), `"1"`, `"one é ☃ 𝄞"`, 1) // an error on line 20
	want := checkText(t, "p.yaml", text).Diagnostics
	if len(want) != 1 || want[0].Code != "bad-value" {
		t.Fatalf("UTF-8: %v", want)
	}
	le, be := binary.LittleEndian, binary.BigEndian
	for name, data := range map[string][]byte{
		"UTF-8":    append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"UTF-16LE": utf16Bytes(text, le, true),
		"UTF-16BE": utf16Bytes(text, be, true),
		"UTF-32LE": utf32Bytes(text, le),
		"UTF-32BE": utf32Bytes(text, be),
	} {
		src := NewSource("p.yaml", data)
		res := Check([]*Source{src}, Options{})
		if fmt.Sprint(res.Diagnostics) != fmt.Sprint(want) {
			t.Errorf("%s: %v, want %v", name, res.Diagnostics, want)
		}
		if src.Encoding != name || !bytes.Equal(src.Data, []byte(text)) || src.Line(20) != `        values: ["one é ☃ 𝄞"]` {
			t.Errorf("%s: decoded as %q, line 20 %q", name, src.Encoding, src.Line(20))
		}
	}
	for name, data := range map[string][]byte{
		"an odd number":           utf16Bytes(text, le, true)[:101],
		"an unpaired surrogate":   le.AppendUint16(utf16Bytes("a: b\n", le, true), 0xD800),
		"not a Unicode character": le.AppendUint32(utf32Bytes("a: b\n", le), 0x110000),
	} {
		res := Check([]*Source{NewSource("p.yaml", data)}, Options{})
		wantOnly(t, res, "bad-encoding", 1, 1, name)
	}
}

// With PoliciesOnly (pre-commit over every YAML file) a file too large to
// read is a warning, not skipped silently and not an error.
func TestFileBudgetPoliciesOnly(t *testing.T) {
	src := &Source{Name: "big.yaml", tooLarge: 50 << 20}
	res := Check([]*Source{src}, Options{PoliciesOnly: true})
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "file-too-large" || res.Diagnostics[0].Severity != Warning || res.Skipped != 0 {
		t.Errorf("%v, %d skipped", res.Diagnostics, res.Skipped)
	}
}
