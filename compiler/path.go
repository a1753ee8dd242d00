package compiler

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Path is a YAML path in the notation users see in diagnostics:
// spec.kprobes[0].selectors[1].matchArgs[0].operator
type Path string

// Key appends a mapping key.
func (p Path) Key(k string) Path {
	if p == "" {
		return Path(k)
	}
	return p + "." + Path(k)
}

// Index appends a sequence index.
func (p Path) Index(i int) Path { return p + Path("["+strconv.Itoa(i)+"]") }

// Within reports whether p is q or lies below q.
func (p Path) Within(q Path) bool {
	if q == "" || p == q {
		return true
	}
	return strings.HasPrefix(string(p), string(q)) &&
		(p[len(q)] == '.' || p[len(q)] == '[')
}

// index maps every node of a document to its path, and value nodes to the
// key node that names them, so that a diagnostic can point either at a key
// (an unknown field) or at its value (a bad operator).
type index struct {
	path map[*yaml.Node]Path
	key  map[*yaml.Node]*yaml.Node
}

func buildIndex(root *yaml.Node) *index {
	ix := &index{path: map[*yaml.Node]Path{}, key: map[*yaml.Node]*yaml.Node{}}
	var walk func(n *yaml.Node, p Path, depth int)
	walk = func(n *yaml.Node, p Path, depth int) {
		if n == nil || depth > maxDepth {
			return
		}
		if _, seen := ix.path[n]; seen {
			return // an anchor reached again through an alias
		}
		ix.path[n] = p
		switch n.Kind {
		case yaml.AliasNode:
			walk(n.Alias, p, depth+1)
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				ix.key[v] = k
				cp := p.Key(k.Value)
				if _, seen := ix.path[k]; !seen {
					ix.path[k] = cp
				}
				walk(v, cp, depth+1)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, p.Index(i), depth+1)
			}
		}
	}
	walk(root, "", 0)
	return ix
}

// maxDepth bounds recursion over hostile input (deeply nested flow
// sequences); no real policy is nested more than a dozen levels.
const maxDepth = 200

// resolve follows an alias to its anchor.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxDepth; i++ {
		n = n.Alias
	}
	return n
}

// child returns the value node for key in mapping n and its key node.
// The last occurrence wins, as in yaml.v3 decoding.
func child(n *yaml.Node, key string) (val, k *yaml.Node) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			k, val = n.Content[i], n.Content[i+1]
		}
	}
	return resolve(val), k
}

// item returns element i of sequence n, or nil.
func item(n *yaml.Node, i int) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
		return nil
	}
	return resolve(n.Content[i])
}
