package schema

import (
	"encoding/json"
	"strings"
	"sync"
)

// Keys describes the field names of TracingPolicy, for reading keys as
// Tetragon's decoder does: Kubernetes turns the YAML into JSON and
// encoding/json matches a key to a struct field ignoring case, so
// "apiversion" or "BTFType" mean apiVersion and btfType there.
type Keys struct {
	// Canonical maps a lowercased field name to its spelling in the schema.
	Canonical map[string]string
	// FreeForm are the fields whose values are maps of the user's own keys
	// (labels, annotations, matchLabels): their keys are never renamed.
	FreeForm map[string]bool
}

// FieldKeys returns the field names of the embedded schema.
var FieldKeys = sync.OnceValue(func() Keys {
	k := Keys{Canonical: map[string]string{}, FreeForm: map[string]bool{}}
	var doc any
	if err := json.Unmarshal(schemaJSON, &doc); err != nil {
		return k
	}
	var walk func(any)
	walk = func(x any) {
		switch v := x.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name, p := range props {
					k.Canonical[strings.ToLower(name)] = name
					if pm, ok := p.(map[string]any); ok && pm["$ref"] == "#/definitions/stringMap" {
						k.FreeForm[name] = true
					}
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	return k
})
