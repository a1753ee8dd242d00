package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

// schemaOf names the schema (in testdata/k8s-schemas.json) of each
// apiVersion and kind the manifests may hold.
var schemaOf = map[[2]string]string{
	{"apps/v1", "DaemonSet"}: "io.k8s.api.apps.v1.DaemonSet",
	{"v1", "Namespace"}:      "io.k8s.api.core.v1.Namespace",
	{"v1", "ServiceAccount"}: "io.k8s.api.core.v1.ServiceAccount",
	{"v1", "ConfigMap"}:      "io.k8s.api.core.v1.ConfigMap",
}

// strict makes every object schema that lists its properties refuse
// others, as kubeconform -strict does: a misspelt or misplaced field is
// an error, where the API server would drop it (or refuse it, with
// field validation).
func strict(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["properties"]; ok {
			if _, set := x["additionalProperties"]; !set {
				x["additionalProperties"] = false
			}
		}
		for _, c := range x {
			strict(c)
		}
	case []any:
		for _, c := range x {
			strict(c)
		}
	}
}

// k8sSchemas compiles the Kubernetes schemas of testdata (see
// internal/genk8sschemas for their source) in strict mode.
func k8sSchemas(t *testing.T) map[[2]string]*jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "k8s-schemas.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	strict(doc)
	strictJSON, _ := json.Marshal(doc)
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource("k8s.json", bytes.NewReader(strictJSON)); err != nil {
		t.Fatal(err)
	}
	out := map[[2]string]*jsonschema.Schema{}
	for gvk, name := range schemaOf {
		s, err := c.Compile("k8s.json#/components/schemas/" + name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[gvk] = s
	}
	return out
}

// documents reads the YAML documents of a manifest file as JSON values.
func documents(t *testing.T, name string) []any {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []any
	for {
		var v any
		if err := dec.Decode(&v); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Through JSON, for the validator's number types.
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		jv, err := decodeJSON(js)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, jv)
	}
}

// decodeJSON decodes with json.Number, as the validator wants numbers.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// TestManifestsSchema validates every manifest against the Kubernetes
// schemas of its kind, strictly (kubeconform -strict).
func TestManifestsSchema(t *testing.T) {
	schemas := k8sSchemas(t)
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		for i, d := range documents(t, f) {
			obj, _ := d.(map[string]any)
			api, _ := obj["apiVersion"].(string)
			kind, _ := obj["kind"].(string)
			s, ok := schemas[[2]string{api, kind}]
			if !ok {
				t.Errorf("%s: document %d: no schema for %s %s", f, i+1, api, kind)
				continue
			}
			if err := s.Validate(d); err != nil {
				t.Errorf("%s: document %d (%s): %v", f, i+1, kind, err)
			}
		}
	}
}

// The validation fails on what the API server would refuse or drop.
func TestManifestsSchemaRefuses(t *testing.T) {
	schemas := k8sSchemas(t)
	ds := schemas[[2]string{"apps/v1", "DaemonSet"}]
	for name, doc := range map[string]string{
		"misplaced field": `{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"x"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"a","image":"i","privileged":true}]}}}}`,
		"wrong type":      `{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"x"},"spec":{"selector":{},"template":{"spec":{"hostPID":"yes","containers":[{"name":"a"}]}}}}`,
		"missing field":   `{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"x"},"spec":{"template":{"spec":{"containers":[{"name":"a"}]}}}}`,
	} {
		v, err := decodeJSON([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if err := ds.Validate(v); err == nil {
			t.Errorf("%s: valid", name)
		}
	}
}
