package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

const maxNodes = 100000

// decodeDocs decodes every YAML document in src into the shape Validate documents:
// map[string]any, []any, string, int64, float64, bool, nil.
func decodeDocs(src []byte) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var docs []any
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, err
		}
		budget := maxNodes
		v, err := nodeToAny(&n, nil, &budget)
		if err != nil {
			return docs, err
		}
		docs = append(docs, v)
	}
}

// nodeToAny converts a node tree; open holds the aliased nodes being expanded, so that
// an alias to its own ancestor (a: &x [*x]) is an error instead of endless recursion.
// budget bounds the values produced, as aliases can multiply a small document.
func nodeToAny(n *yaml.Node, open map[*yaml.Node]bool, budget *int) (any, error) {
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("document expands to more than %d values", maxNodes)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return nodeToAny(n.Content[0], open, budget)
	case yaml.AliasNode:
		if open[n.Alias] {
			return nil, fmt.Errorf("line %d: alias refers to a value that contains it", n.Line)
		}
		inner := map[*yaml.Node]bool{n.Alias: true}
		for k := range open {
			inner[k] = true
		}
		return nodeToAny(n.Alias, inner, budget)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := nodeToAny(n.Content[i+1], open, budget)
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeToAny(c, open, budget)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, err
		}
		switch x := v.(type) {
		case int:
			return int64(x), nil
		case uint64, int64, float64, bool, string, nil:
			return x, nil
		default:
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("unexpected YAML node kind %v", n.Kind)
}

// yamlBlocks returns the fenced ```yaml blocks of a Markdown file.
func yamlBlocks(md string) []string {
	var blocks []string
	var cur []string
	in := false
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && strings.HasPrefix(trimmed, "```yaml"):
			in, cur = true, nil
		case in && strings.HasPrefix(trimmed, "```"):
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}
