package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed tracingpolicy.schema.json
var schemaJSON []byte

// schemaURL names the embedded document for the validator. Nothing is fetched from it.
const schemaURL = "https://github.com/polc-dev/polc/schema/tracingpolicy.schema.json"

// Error is one schema violation, located in the instance.
type Error struct {
	Path  []string // instance location as tokens from the document root: {"spec","kprobes","0","selectors","1","matchArgs","0","operator"}
	OnKey bool     // the error concerns the mapping key at Path (e.g. an unknown field) rather than its value
	Code  string   // stable kebab-case code, see the package documentation
	Msg   string   // one line, lower case, says what is wrong with the actual value
	Hint  string   // optional: a did-you-mean suggestion or the allowed values
}

func (e Error) String() string {
	s := fmt.Sprintf("%s: %s [%s]", pathString(e.Path), e.Msg, e.Code)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// compiled is the embedded schema, compiled once.
type compiled struct {
	cluster    *jsonschema.Schema // kind TracingPolicy (and any unknown kind)
	namespaced *jsonschema.Schema // kind TracingPolicyNamespaced
	raw        any                // the schema document itself, to read allowed names and values
	err        error
}

var (
	compileOnce sync.Once
	theSchema   compiled
)

func load() *compiled {
	compileOnce.Do(func() { theSchema = compileSchema() })
	return &theSchema
}

func compileSchema() compiled {
	var c compiled
	if err := json.Unmarshal(schemaJSON, &c.raw); err != nil {
		c.err = fmt.Errorf("schema: parse embedded schema: %w", err)
		return c
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource(schemaURL, bytes.NewReader(schemaJSON)); err != nil {
		c.err = fmt.Errorf("schema: add embedded schema: %w", err)
		return c
	}
	// The root document (what editors use) must compile too, not only the parts we validate with.
	if _, err := comp.Compile(schemaURL); err != nil {
		c.err = fmt.Errorf("schema: compile: %w", err)
		return c
	}
	var err error
	if c.cluster, err = comp.Compile(schemaURL + "#/definitions/TracingPolicy"); err != nil {
		c.err = fmt.Errorf("schema: compile TracingPolicy: %w", err)
		return c
	}
	if c.namespaced, err = comp.Compile(schemaURL + "#/definitions/TracingPolicyNamespaced"); err != nil {
		c.err = fmt.Errorf("schema: compile TracingPolicyNamespaced: %w", err)
	}
	return c
}

// JSON returns the embedded schema document (for `polc schema` and editors' yaml-language-server).
func JSON() []byte {
	return bytes.Clone(schemaJSON)
}

// Validate checks one decoded YAML document (as produced by converting a yaml.v3 node tree to
// map[string]any / []any / string / int64 / float64 / bool / nil; integers arrive as int64)
// against the schema chosen by its kind. It never panics. Errors are leaf errors (the most
// specific cause, not the whole oneOf tree), deduplicated, sorted by Path.
func Validate(doc any) (errs []Error) {
	defer func() {
		if r := recover(); r != nil {
			errs = []Error{{Code: "internal", Msg: fmt.Sprintf("schema validation failed unexpectedly: %v", r)}}
		}
	}()
	c := load()
	if c.err != nil {
		return []Error{{Code: "internal", Msg: c.err.Error()}}
	}
	sch := c.cluster
	if namespacedKind(dropNulls(normalize(doc))) {
		sch = c.namespaced
	}
	return validateWith(c, sch, doc)
}

// validateWith validates doc with sch, a schema compiled from c, and
// translates the errors.
func validateWith(c *compiled, sch *jsonschema.Schema, doc any) []Error {
	full := normalize(doc)
	// Tetragon decodes an empty value like an absent field, so nulls in mappings are not
	// type errors; they are dropped before validation and only matter for required fields.
	stripped := dropNulls(full)
	err := sch.Validate(stripped)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []Error{{Code: "internal", Msg: fmt.Sprintf("schema validation failed: %v", err)}}
	}
	t := translator{raw: c.raw, doc: stripped, full: full}
	var errs []Error
	for _, leaf := range leaves(ve) {
		errs = append(errs, t.translate(leaf)...)
	}
	return tidy(errs)
}

// namespacedKind tells whether doc is, or was most likely meant to be, a
// TracingPolicyNamespaced: a misspelt kind should not also make its namespace an error.
func namespacedKind(doc any) bool {
	m, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	kind, _ := m["kind"].(string)
	if kind == "TracingPolicyNamespaced" {
		return true
	}
	guess, ok := nearest(kind, []string{"TracingPolicy", "TracingPolicyNamespaced"})
	return ok && guess == "TracingPolicyNamespaced"
}
