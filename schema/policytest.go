package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// The schema of polc's own test files (kind PolicyTest, package policytest),
// validated and translated like the TracingPolicy schema.

//go:embed policytest.schema.json
var testSchemaJSON []byte

const testSchemaURL = "https://github.com/polc-dev/polc/schema/policytest.schema.json"

var (
	testCompileOnce sync.Once
	testSchema      compiled
)

func loadTest() *compiled {
	testCompileOnce.Do(func() {
		c := &testSchema
		if err := json.Unmarshal(testSchemaJSON, &c.raw); err != nil {
			c.err = fmt.Errorf("schema: parse embedded test schema: %w", err)
			return
		}
		comp := jsonschema.NewCompiler()
		if err := comp.AddResource(testSchemaURL, bytes.NewReader(testSchemaJSON)); err != nil {
			c.err = fmt.Errorf("schema: add embedded test schema: %w", err)
			return
		}
		var err error
		if c.cluster, err = comp.Compile(testSchemaURL); err != nil {
			c.err = fmt.Errorf("schema: compile test schema: %w", err)
		}
	})
	return &testSchema
}

// PolicyTestJSON returns the embedded JSON Schema of polc's test files
// (`polc schema --test`).
func PolicyTestJSON() []byte { return bytes.Clone(testSchemaJSON) }

// ValidatePolicyTest checks one decoded test file document as Validate checks a
// policy, with the same error codes.
func ValidatePolicyTest(doc any) (errs []Error) {
	defer func() {
		if r := recover(); r != nil {
			errs = []Error{{Code: "internal", Msg: fmt.Sprintf("schema validation failed unexpectedly: %v", r)}}
		}
	}()
	c := loadTest()
	if c.err != nil {
		return []Error{{Code: "internal", Msg: c.err.Error()}}
	}
	return validateWith(c, c.cluster, doc)
}
