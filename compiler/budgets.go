package compiler

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/bpf"
)

// Budgets: how much input polc takes. Each is checked at validate, as early
// as it can be (the file size before the file is read, the number of
// documents before the next one is parsed), and reported as a diagnostic
// with a position and a hint, so that polc build never spends minutes and
// gigabytes on input it would refuse anyway, and polrun never gets a bundle
// it cannot run. Where the bundle format or the kernel sets the limit, the
// budget is that limit (bpf); the others bound time and memory: polc's
// memory is about 60 times a file's size while it checks it.
const (
	// MaxFileBytes is the largest policy file (or stdin) polc reads:
	// 16 MiB, ten times Kubernetes' largest object (etcd's 1.5 MiB).
	MaxFileBytes = 16 << 20
	// MaxDocuments is the most YAML documents one file may hold.
	MaxDocuments = 10000
	// MaxSelectorsPerHook is the most selectors one hook may have: an
	// event records the matched selector's index + 1 in one byte
	// (bpf.Header.Selector).
	MaxSelectorsPerHook = bpf.MaxSelectorsPerHook
	// MaxValuesPerFilter is the most values one filter (matchArgs,
	// matchBinaries, matchPIDs, ...) or list may have. Large sets become
	// hash maps, whose entries the bundle's manifest carries; 10^5 values
	// take seconds and 100 MB to build.
	MaxValuesPerFilter = 1 << 16
)

// byteOrderMarks are the encodings of U+FEFF that name the encoding of the
// text after them, longest first (UTF-32LE's begins as UTF-16LE's does).
var byteOrderMarks = []struct {
	bom    []byte
	name   string
	decode func([]byte) ([]byte, error)
}{
	{[]byte{0x00, 0x00, 0xFE, 0xFF}, "UTF-32BE", func(b []byte) ([]byte, error) { return decodeUTF32(b, binary.BigEndian) }},
	{[]byte{0xFF, 0xFE, 0x00, 0x00}, "UTF-32LE", func(b []byte) ([]byte, error) { return decodeUTF32(b, binary.LittleEndian) }},
	{[]byte{0xEF, 0xBB, 0xBF}, "UTF-8", func(b []byte) ([]byte, error) { return b, nil }},
	{[]byte{0xFE, 0xFF}, "UTF-16BE", func(b []byte) ([]byte, error) { return decodeUTF16(b, binary.BigEndian) }},
	{[]byte{0xFF, 0xFE}, "UTF-16LE", func(b []byte) ([]byte, error) { return decodeUTF16(b, binary.LittleEndian) }},
}

// decodeText turns a file that starts with a byte order mark into UTF-8
// without it, as YAML 1.2 allows a stream to be in UTF-8, UTF-16 or UTF-32
// with a BOM. Every stage then sees the same text: the parser, source
// lines in diagnostics, and the lines polc build puts next to the code it
// generates. Text without a BOM is returned as it is.
func decodeText(data []byte) (text []byte, encoding string, err error) {
	for _, m := range byteOrderMarks {
		if bytes.HasPrefix(data, m.bom) {
			text, err := m.decode(data[len(m.bom):])
			if err != nil {
				return nil, m.name, fmt.Errorf("the file starts with a %s byte order mark but is not %s: %w", m.name, m.name, err)
			}
			return text, m.name, nil
		}
	}
	return data, "", nil
}

func decodeUTF16(b []byte, order binary.ByteOrder) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("%d bytes, an odd number", len(b))
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	for i := 0; i < len(units); i++ {
		switch u := units[i]; {
		case utf16.IsSurrogate(rune(u)) && u < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
			i++ // a valid pair
		case utf16.IsSurrogate(rune(u)):
			return nil, fmt.Errorf("an unpaired surrogate at byte %d", 2*i+2)
		}
	}
	return []byte(string(utf16.Decode(units))), nil
}

func decodeUTF32(b []byte, order binary.ByteOrder) ([]byte, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("%d bytes, not a multiple of 4", len(b))
	}
	out := make([]byte, 0, len(b)/4)
	for i := 0; i < len(b); i += 4 {
		r := rune(order.Uint32(b[i:]))
		if !utf8.ValidRune(r) {
			return nil, fmt.Errorf("0x%X at byte %d is not a Unicode character", uint32(r), i+4)
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// budgetDiagnostic reports a budget exceeded at pos.
func budgetDiagnostic(code string, pos Pos, hint, format string, args ...any) Diagnostic {
	return Diagnostic{Code: code, Severity: Error, Pos: pos, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

// listBudgets are the lists whose length is bounded, by their key.
var listBudgets = map[string]struct {
	max  int
	what string
	hint string
}{
	"selectors": {MaxSelectorsPerHook, "selectors", "an event records its selector's number in one byte: split the hook's selectors over several policies, or merge selectors whose actions are the same"},
	"values":    {MaxValuesPerFilter, "values", "split the values over several filters or lists"},
}

// checkBudgets reports every list of the document longer than its budget
// (listBudgets). It runs before the schema and the semantic checks, which
// are skipped when it finds any: a document that cannot be built is not
// worth their time.
func checkBudgets(doc *Document) []Diagnostic {
	var diags []Diagnostic
	for v, k := range doc.ix.key {
		b, ok := listBudgets[k.Value]
		if !ok {
			continue
		}
		seq := resolve(v)
		if seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) <= b.max {
			continue
		}
		start, end := doc.Span(k)
		diags = append(diags, Diagnostic{Code: "too-many-items", Severity: Error, Pos: start, End: end,
			Path: string(doc.Path(v)), Hint: b.hint,
			Msg: fmt.Sprintf("%d %s; polc compiles at most %d", len(seq.Content), b.what, b.max)})
	}
	return SortDiagnostics(diags)
}
