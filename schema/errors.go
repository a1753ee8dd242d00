package schema

import (
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// leaves flattens a validation error tree into its most specific causes. Where the
// schema offers alternatives (anyOf, oneOf) and none fits, only the most relevant
// alternative is followed, so users see one explanation instead of the whole tree.
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	var out []*jsonschema.ValidationError
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			if e.Message != "" {
				out = append(out, e)
			}
			return
		}
		switch lastToken(e.KeywordLocation) {
		case "anyOf", "oneOf":
			walk(bestAlternative(e.Causes))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// bestAlternative picks the failed alternative that got furthest into the instance
// (its errors lie deepest), then the one with fewest errors, then the first. The
// schema lists the canonical spelling of an enumeration first, so a misspelt value
// is explained with the canonical names rather than with accepted aliases.
func bestAlternative(causes []*jsonschema.ValidationError) *jsonschema.ValidationError {
	best, bestDepth, bestCount := causes[0], -1, 0
	for _, c := range causes {
		ls := leaves(c)
		depth := 0
		for _, l := range ls {
			depth = max(depth, len(instancePath(l.InstanceLocation)))
		}
		if depth > bestDepth || (depth == bestDepth && len(ls) < bestCount) {
			best, bestDepth, bestCount = c, depth, len(ls)
		}
	}
	return best
}

// translator turns library errors into Errors, reading names and allowed values from
// the raw schema and actual values from the instance.
type translator struct {
	raw  any // the schema document
	doc  any // the instance as validated (nulls in mappings dropped)
	full any // the instance with nulls, to tell "field: (empty)" from a missing field
}

func (t translator) translate(e *jsonschema.ValidationError) []Error {
	path := instancePath(e.InstanceLocation)
	kw := lastToken(e.KeywordLocation)
	node, _ := t.schemaAt(e.AbsoluteKeywordLocation, kw != "")
	value, _ := lookup(t.doc, path)
	switch kw {
	case "additionalProperties":
		return t.unknownFields(path, node)
	case "required":
		return t.missingFields(path, node)
	case "type":
		return []Error{wrongType(path, node["type"], value)}
	case "enum":
		return []Error{badEnum(path, toStrings(node["enum"]), value)}
	case "const":
		return []Error{badEnum(path, []string{fmt.Sprint(node["const"])}, value)}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return []Error{outOfRange(path, kw, node[kw], value)}
	case "maxItems", "minItems":
		return []Error{itemCount(path, kw, node[kw], value)}
	case "pattern", "format":
		return []Error{{Path: path, Code: "bad-format",
			Msg: fmt.Sprintf("%s %s does not have the expected form", fieldName(path), describeValue(value))}}
	}
	return []Error{{Path: path, Code: "invalid", Msg: fmt.Sprintf("%s: %s", fieldName(path), strings.ToLower(e.Message))}}
}

// unknownFields reports every key of the mapping at path that the schema does not list.
func (t translator) unknownFields(path []string, node map[string]any) []Error {
	obj, ok := lookupMap(t.doc, path)
	if !ok {
		return nil
	}
	props, _ := node["properties"].(map[string]any)
	allowed := make([]string, 0, len(props))
	for name := range props {
		allowed = append(allowed, name)
	}
	sort.Strings(allowed)
	var errs []Error
	for key := range obj {
		if _, ok := props[key]; ok {
			continue
		}
		e := Error{
			Path:  appendPath(path, key),
			OnKey: true,
			Code:  "unknown-field",
			Msg:   fmt.Sprintf("unknown field %q %s", key, where(path)),
		}
		switch {
		case key == "namespace" && len(path) == 1 && path[0] == "metadata":
			e.Msg = `metadata.namespace is not allowed for kind TracingPolicy`
			e.Hint = `a namespace is only valid with kind TracingPolicyNamespaced; a TracingPolicy is cluster-wide`
		default:
			if s, ok := nearest(key, allowed); ok {
				e.Hint = fmt.Sprintf("did you mean %q?", s)
			} else if home := t.homeOf(key); home != "" {
				e.Hint = fmt.Sprintf("%q belongs %s", key, home)
			} else if len(allowed) > 0 {
				e.Hint = "valid fields here: " + strings.Join(allowed, ", ")
			}
		}
		errs = append(errs, e)
	}
	return errs
}

// homes names, for the schema definitions users most often confuse, where their
// fields belong, so a field written one level off gets pointed to its place.
var homes = map[string]string{
	"TracingPolicy":          "at the top level",
	"clusterMetadata":        "under metadata",
	"spec":                   "under spec",
	"kprobe":                 "in a kprobes entry",
	"tracepoint":             "in a tracepoints entry",
	"uprobe":                 "in a uprobes entry",
	"lsmhook":                "in an lsmhooks entry",
	"usdt":                   "in a usdts entry",
	"list":                   "in a lists entry",
	"arg":                    "in an args entry",
	"selector":               "in a selectors entry",
	"argFilter":              "in a matchArgs entry",
	"pidFilter":              "in a matchPIDs entry",
	"binaryFilter":           "in a matchBinaries entry",
	"namespaceFilter":        "in a matchNamespaces entry",
	"namespaceChangesFilter": "in a matchNamespaceChanges entry",
	"capabilitiesFilter":     "in a matchCapabilities entry",
	"action":                 "in a matchActions entry",
	"labelSelector":          "under podSelector or containerSelector",
}

// homeOf returns where field belongs when exactly one of the definitions in homes has it.
func (t translator) homeOf(field string) string {
	root, _ := t.raw.(map[string]any)
	defs, _ := root["definitions"].(map[string]any)
	found := ""
	for name, phrase := range homes {
		def, _ := defs[name].(map[string]any)
		props, _ := def["properties"].(map[string]any)
		if _, ok := props[field]; !ok {
			continue
		}
		if found != "" && found != phrase {
			return ""
		}
		found = phrase
	}
	return found
}

// missingFields reports each required field absent from the mapping at path. A field
// written with no value is reported at the field itself.
func (t translator) missingFields(path []string, node map[string]any) []Error {
	obj, ok := lookupMap(t.doc, path)
	if !ok {
		return nil
	}
	fullObj, _ := lookupMap(t.full, path)
	var errs []Error
	for _, name := range toStrings(node["required"]) {
		if _, ok := obj[name]; ok {
			continue
		}
		if _, present := fullObj[name]; present {
			errs = append(errs, Error{Path: appendPath(path, name), Code: "missing-field",
				Msg: fmt.Sprintf("required field %q has no value", name)})
			continue
		}
		errs = append(errs, Error{Path: path, Code: "missing-field",
			Msg: fmt.Sprintf("missing required field %q", name)})
	}
	return errs
}

func wrongType(path []string, types any, value any) Error {
	var want []string
	switch ts := types.(type) {
	case string:
		want = []string{ts}
	case []any:
		want = toStrings(ts)
	}
	words := make([]string, len(want))
	for i, w := range want {
		words[i] = typeWord(w)
	}
	e := Error{Path: path, Code: "wrong-type",
		Msg: fmt.Sprintf("expected %s, got %s", strings.Join(words, " or "), describeValue(value))}
	e.Hint = typeHint(path, want, value)
	return e
}

// typeHint suggests the usual fix for a YAML value of the wrong kind.
func typeHint(path []string, want []string, value any) string {
	if len(path) == 0 {
		return ""
	}
	has := func(t string) bool {
		for _, w := range want {
			if w == t {
				return true
			}
		}
		return false
	}
	switch v := value.(type) {
	case string:
		if has("integer") || has("number") {
			if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				return "remove the quotes: " + strings.TrimSpace(v)
			}
		}
		if has("boolean") && (v == "true" || v == "false") {
			return "remove the quotes: " + v
		}
	case int64, uint64, float64, bool:
		if has("string") {
			return fmt.Sprintf("quote the value: \"%v\"", v)
		}
	case map[string]any:
		if has("array") {
			return fmt.Sprintf("%s is a list: start each entry with \"- \"", fieldName(path))
		}
	case []any:
		if has("object") {
			return fmt.Sprintf("%s is a mapping, not a list: remove the \"- \"", fieldName(path))
		}
	}
	if has("array") && value != nil {
		return fmt.Sprintf("%s is a list: write each item on its own line starting with \"- \"", fieldName(path))
	}
	return ""
}

// maxListed is how many allowed values a message lists before the hint takes over.
const maxListed = 8

func badEnum(path []string, allowed []string, value any) Error {
	listed := allowed
	more := len(allowed) > maxListed+2
	if more {
		listed = allowed[:maxListed]
	}
	list := strings.Join(listed, ", ")
	if more {
		list += ", ..."
	}
	var shown string
	if s, ok := value.(string); ok {
		shown = quoteShort(s)
	} else {
		shown = describeValue(value)
	}
	e := Error{Path: path, Code: "bad-enum"}
	if len(allowed) == 1 {
		e.Msg = fmt.Sprintf("%s %s is not %q", fieldName(path), shown, allowed[0])
	} else {
		e.Msg = fmt.Sprintf("%s %s is not one of %s", fieldName(path), shown, list)
	}
	if s, ok := value.(string); ok {
		if n, ok := nearest(s, allowed); ok {
			e.Hint = fmt.Sprintf("did you mean %q?", n)
			return e
		}
	}
	if more {
		e.Hint = "allowed values: " + strings.Join(allowed, ", ")
	}
	return e
}

func outOfRange(path []string, kw string, limit any, value any) Error {
	rel := map[string]string{
		"minimum":          "less than the minimum",
		"maximum":          "greater than the maximum",
		"exclusiveMinimum": "not greater than",
		"exclusiveMaximum": "not less than",
	}[kw]
	return Error{Path: path, Code: "out-of-range",
		Msg: fmt.Sprintf("%s %s is %s %s", fieldName(path), numberString(value), rel, numberString(limit))}
}

func itemCount(path []string, kw string, limit any, value any) Error {
	n := 0
	if l, ok := value.([]any); ok {
		n = len(l)
	}
	if kw == "maxItems" {
		return Error{Path: path, Code: "too-many",
			Msg: fmt.Sprintf("%s has %d items, more than the maximum %s", fieldName(path), n, numberString(limit))}
	}
	return Error{Path: path, Code: "too-few",
		Msg: fmt.Sprintf("%s has %d items, fewer than the minimum %s", fieldName(path), n, numberString(limit))}
}

// tidy drops errors made redundant by a type error on the same value, removes
// duplicates and sorts by path.
func tidy(errs []Error) []Error {
	typeErr := map[string]bool{}
	for _, e := range errs {
		if e.Code == "wrong-type" {
			typeErr[strings.Join(e.Path, "\x00")] = true
		}
	}
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		key := strings.Join(e.Path, "\x00")
		if e.Code != "wrong-type" && !e.OnKey && typeErr[key] {
			continue
		}
		id := fmt.Sprintf("%s\x01%t\x01%s\x01%s\x01%s", key, e.OnKey, e.Code, e.Msg, e.Hint)
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := comparePaths(out[i].Path, out[j].Path); c != 0 {
			return c < 0
		}
		if out[i].OnKey != out[j].OnKey {
			return out[i].OnKey
		}
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].Msg < out[j].Msg
	})
	return out
}

// comparePaths orders paths token by token, list indexes numerically, a prefix first.
func comparePaths(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		ai, aerr := strconv.Atoi(a[i])
		bi, berr := strconv.Atoi(b[i])
		if aerr == nil && berr == nil && ai != bi {
			if ai < bi {
				return -1
			}
			return 1
		}
		return strings.Compare(a[i], b[i])
	}
	return len(a) - len(b)
}

// schemaAt returns the schema object holding the keyword at an absolute keyword
// location ("URL#/definitions/kprobe/required"). With parent false the location is the
// schema object itself.
func (t translator) schemaAt(loc string, parent bool) (map[string]any, bool) {
	_, frag, _ := strings.Cut(loc, "#")
	toks := pointerTokens(frag)
	if parent && len(toks) > 0 {
		toks = toks[:len(toks)-1]
	}
	cur := t.raw
	for _, tok := range toks {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	m, ok := cur.(map[string]any)
	return m, ok
}

// instancePath splits the validator's instance location ("/spec/kprobes/0") into tokens.
// The validator escapes each token as a JSON pointer token and then URL-path-escapes it.
func instancePath(loc string) []string {
	if loc == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(loc, "/"), "/")
	for i, tok := range toks {
		if u, err := url.PathUnescape(tok); err == nil {
			tok = u
		}
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
	}
	return toks
}

func pointerTokens(ptr string) []string {
	return instancePath(ptr)
}

func lastToken(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

func lookup(doc any, path []string) (any, bool) {
	cur := doc
	for _, tok := range path {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

func lookupMap(doc any, path []string) (map[string]any, bool) {
	v, ok := lookup(doc, path)
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	return m, ok
}

func appendPath(path []string, tok string) []string {
	out := make([]string, len(path), len(path)+1)
	copy(out, path)
	return append(out, tok)
}

// fieldName names the value at path for messages: "operator", "values[2]", "the document".
func fieldName(path []string) string {
	if len(path) == 0 {
		return "the document"
	}
	last := path[len(path)-1]
	if _, err := strconv.Atoi(last); err == nil && len(path) >= 2 {
		return fmt.Sprintf("%s[%s]", path[len(path)-2], last)
	}
	return last
}

// where names the mapping at path for "unknown field ... in X" messages.
func where(path []string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(path[i]); err != nil {
			return "in " + path[i]
		}
	}
	return "at the top level"
}

// pathString renders a path the way the diagnostics do: spec.kprobes[0].call.
func pathString(path []string) string {
	var b strings.Builder
	for _, tok := range path {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	if b.Len() == 0 {
		return "(document)"
	}
	return b.String()
}

func typeWord(t string) string {
	switch t {
	case "array":
		return "a list"
	case "object":
		return "a mapping"
	}
	return t
}

func describeValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string " + quoteShort(x)
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case int64, uint64:
		return fmt.Sprintf("integer %d", x)
	case float64:
		return "number " + strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%v", v)
}

func numberString(v any) string {
	switch x := v.(type) {
	case float64:
		// Schema limits are decoded from JSON as float64; print them without exponent.
		if r, ok := new(big.Rat).SetString(strconv.FormatFloat(x, 'g', -1, 64)); ok && r.IsInt() {
			return r.Num().String()
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

func quoteShort(s string) string {
	const limit = 60
	r := []rune(s)
	if len(r) > limit {
		return strconv.Quote(string(r[:limit])) + "..."
	}
	return strconv.Quote(s)
}

func toStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
