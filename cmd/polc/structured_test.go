package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestWriteStructuredYAML: -o yaml holds what -o json holds, strings that
// look like numbers or booleans staying strings, in block style.
func TestWriteStructuredYAML(t *testing.T) {
	v := map[string]any{"a": "123", "b": "true", "c": 5, "d": []any{"x", "null", 1.5}, "e": map[string]any{"k": ""}, "f": []any{}}
	var y, j bytes.Buffer
	if err := writeStructured(&y, "yaml", v); err != nil {
		t.Fatal(err)
	}
	writeStructured(&j, "json", v)
	var fromY, fromJ any
	if err := yaml.Unmarshal(y.Bytes(), &fromY); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(j.Bytes(), &fromJ)
	a, _ := json.Marshal(fromY)
	b, _ := json.Marshal(fromJ)
	if !bytes.Equal(a, b) {
		t.Errorf("yaml and json differ:\n%s\n%s\n%s", a, b, y.String())
	}
	if bytes.Contains(y.Bytes(), []byte("{")) || bytes.Contains(y.Bytes(), []byte("!!")) {
		t.Errorf("not plain block YAML:\n%s", y.String())
	}
}
