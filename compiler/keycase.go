package compiler

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/schema"
)

// canonicalKeys rewrites, in place, the keys of doc that name a field of
// TracingPolicy in another case ("apiversion", "BTFType") to the field's
// spelling. Tetragon reads policies through encoding/json, which matches
// keys to fields ignoring case, so such a policy means there what it says;
// polc reads it the same way instead of refusing an unknown field. Each
// rewrite is returned as a key-case warning naming the canonical spelling
// (shown by lint). Keys of the user's own maps (labels, annotations,
// matchLabels) are left alone, and so is a key whose canonical spelling is
// already a sibling: that is two keys, and the schema says so.
func canonicalKeys(doc *Document) []Diagnostic {
	keys := schema.FieldKeys()
	var diags []Diagnostic
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if canon, ok := keys.Canonical[strings.ToLower(k.Value)]; ok && canon != k.Value && !hasKey(n, canon) {
					start, end := doc.Span(k)
					diags = append(diags, Diagnostic{Code: "key-case", Severity: Warning, Pos: start, End: end,
						Msg:  fmt.Sprintf("%q is read as %q, as Tetragon reads it (its decoder ignores the case of keys)", k.Value, canon),
						Hint: fmt.Sprintf("write %q", canon)})
					k.Value = canon
				}
				if keys.FreeForm[k.Value] {
					continue
				}
				walk(v)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		}
	}
	walk(doc.Root)
	return diags
}

// hasKey reports whether mapping m has the key k, exactly.
func hasKey(m *yaml.Node, k string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return true
		}
	}
	return false
}
