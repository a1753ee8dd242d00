package compiler

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Document is one YAML document of a Source, with an index from nodes to
// YAML paths so that any node can be turned into a position and a path.
type Document struct {
	Source *Source
	Number int        // 0-based document number within Source
	Root   *yaml.Node // the top-level node (a mapping for a valid policy)
	ix     *index
}

// Path returns the YAML path of n, a node of this document.
func (d *Document) Path(n *yaml.Node) Path { return d.ix.path[n] }

// KeyOf returns the key node naming value node n, or nil.
func (d *Document) KeyOf(n *yaml.Node) *yaml.Node { return d.ix.key[n] }

// Span returns the start and end positions of n.
func (d *Document) Span(n *yaml.Node) (Pos, Pos) {
	if n == nil {
		return Pos{File: d.Source.Name, Line: d.Root.Line, Col: d.Root.Column}, Pos{}
	}
	start := Pos{File: d.Source.Name, Line: n.Line, Col: n.Column}
	end := nodeEnd(d.Source, n, 0)
	end.File = d.Source.Name
	return start, end
}

var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// ParseDocuments splits src into YAML documents. A syntax error ends the
// file (the YAML parser cannot resume) and is returned as a diagnostic.
func ParseDocuments(src *Source) ([]*Document, []Diagnostic) {
	if src.tooLarge > 0 || len(src.Data) > MaxFileBytes {
		size := "more than 16 MiB"
		if src.tooLarge > MaxFileBytes+1 {
			size = fmt.Sprintf("%d bytes", src.tooLarge)
		}
		return nil, []Diagnostic{budgetDiagnostic("file-too-large", Pos{File: src.Name, Line: 1, Col: 1},
			"split the policies into several files",
			"the file is %s; polc reads files of at most %d bytes (16 MiB) and did not read this one", size, MaxFileBytes)}
	}
	if src.decodeErr != nil {
		return nil, []Diagnostic{{Code: "bad-encoding", Severity: Error, Pos: Pos{File: src.Name, Line: 1, Col: 1},
			Msg: src.decodeErr.Error(), Hint: "save the file as UTF-8"}}
	}
	if isBlank(src.Data) {
		return nil, []Diagnostic{{
			Code: "empty-file", Severity: Error, Pos: Pos{File: src.Name},
			Msg: "file holds no YAML document", Hint: "a policy starts with apiVersion: cilium.io/v1alpha1",
		}}
	}
	dec := yaml.NewDecoder(strings.NewReader(string(src.Data)))
	var docs []*Document
	for i := 0; ; i++ {
		var n yaml.Node
		err := decodeSafely(dec, &n)
		if errors.Is(err, errEOF) {
			return docs, nil
		}
		if err != nil {
			return docs, []Diagnostic{syntaxDiagnostic(src, err)}
		}
		if len(docs) == MaxDocuments {
			at := &n
			if at.Kind == yaml.DocumentNode && len(at.Content) > 0 {
				at = at.Content[0]
			}
			return docs, []Diagnostic{budgetDiagnostic("too-many-documents", Pos{File: src.Name, Line: at.Line, Col: at.Column},
				"split the policies into several files",
				"document %d: a file holds at most %d documents; the rest of the file is not read", i+1, MaxDocuments)}
		}
		root := &n
		if root.Kind == yaml.DocumentNode {
			if len(root.Content) == 0 {
				continue // an empty document between two "---"
			}
			root = root.Content[0]
		}
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			continue
		}
		docs = append(docs, &Document{Source: src, Number: i, Root: root, ix: buildIndex(root)})
	}
}

var errEOF = errors.New("end of stream")

// decodeSafely turns the YAML library's panics on pathological input into
// errors: polc must never crash on what a user feeds it.
func decodeSafely(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	err = dec.Decode(n)
	if err != nil && err.Error() == "EOF" {
		return errEOF
	}
	return err
}

func syntaxDiagnostic(src *Source, err error) Diagnostic {
	d := Diagnostic{Code: "yaml-syntax", Severity: Error, Pos: Pos{File: src.Name, Line: 1, Col: 1}, Msg: err.Error()}
	if m := syntaxLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		d.Pos.Line = line
		d.Msg = "YAML syntax: " + m[2]
	}
	if strings.Contains(d.Msg, "found character that cannot start any token") {
		d.Hint = "YAML indentation must use spaces, not tabs"
	}
	return d
}

// nodeEnd computes the end position (exclusive) of n from the source text:
// yaml.v3 only records where nodes start.
func nodeEnd(src *Source, n *yaml.Node, depth int) Pos {
	if n == nil || depth > maxDepth {
		return Pos{}
	}
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		if len(n.Content) == 0 {
			return Pos{Line: n.Line, Col: n.Column + 2} // "[]" or "{}"
		}
		end := nodeEnd(src, n.Content[len(n.Content)-1], depth+1)
		if n.Style&yaml.FlowStyle != 0 {
			end.Col++ // the closing bracket
		}
		return end
	case yaml.AliasNode:
		return Pos{Line: n.Line, Col: n.Column + 1 + len([]rune(n.Value))}
	}
	line := []rune(src.Line(n.Line))
	start := n.Column - 1
	if start < 0 || start > len(line) {
		return Pos{Line: n.Line, Col: n.Column}
	}
	end := len(line)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\\' {
				i++
			} else if line[i] == '"' {
				end = i + 1
				break
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				end = i + 1
				break
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// Block scalars run over several lines; the header line is enough
		// to underline.
	default:
		if !strings.Contains(n.Value, "\n") && start+len([]rune(n.Value)) <= len(line) {
			end = start + len([]rune(n.Value))
		}
	}
	return Pos{Line: n.Line, Col: end + 1}
}

// JSON is the document as the JSON Schema validator takes it, with the
// diagnostics of converting it (duplicate keys, bad aliases). Other YAML
// formats of polc (package policytest) validate their documents with it.
func (d *Document) JSON() (any, []Diagnostic) { return d.toJSON() }

// toJSON converts a YAML node tree into the generic value the JSON Schema
// validator takes: map[string]any, []any, string, int64, float64, bool, nil.
// Duplicate keys, which YAML forbids but yaml.v3 accepts, are reported. An
// alias that contains itself, or aliases that expand past maxExpansion
// nodes (a "billion laughs" document), are reported instead of followed.
func (d *Document) toJSON() (any, []Diagnostic) {
	var diags []Diagnostic
	budget := maxExpansion
	active := map[*yaml.Node]bool{} // anchors being converted: a cycle if met again
	report := func(n *yaml.Node, code, msg, hint string) {
		start, end := d.Span(n)
		diags = append(diags, Diagnostic{Code: code, Severity: Error, Pos: start, End: end,
			Path: string(d.Path(n)), Msg: msg, Hint: hint})
	}
	// Only nodes reached through an alias count against the budget: a large
	// policy written out in full is no attack, and polc has no size limits.
	var conv func(n *yaml.Node, depth int, viaAlias bool) any
	conv = func(n *yaml.Node, depth int, viaAlias bool) any {
		if n != nil && n.Kind == yaml.AliasNode {
			viaAlias = true
			target := resolve(n)
			if active[target] {
				report(n, "bad-alias", fmt.Sprintf("alias *%s refers to a node that contains it", n.Value), "YAML aliases cannot be recursive")
				return nil
			}
			active[target] = true
			defer delete(active, target)
			n = target
		}
		if viaAlias {
			budget--
		}
		if n == nil || depth > maxDepth || budget < 0 {
			if budget == -1 {
				report(n, "bad-alias", fmt.Sprintf("the document expands to more than %d nodes through aliases", maxExpansion), "")
			}
			return nil
		}
		switch n.Kind {
		case yaml.MappingNode:
			m := make(map[string]any, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Tag == "!!merge" {
					if mv, ok := conv(v, depth+1, viaAlias).(map[string]any); ok {
						for mk, mvv := range mv {
							if _, set := m[mk]; !set {
								m[mk] = mvv
							}
						}
					}
					continue
				}
				if _, dup := m[k.Value]; dup {
					report(k, "duplicate-key", fmt.Sprintf("key %q is given twice in the same mapping", k.Value),
						"YAML forbids duplicate keys; the last one would silently win")
				}
				m[k.Value] = conv(v, depth+1, viaAlias)
			}
			return m
		case yaml.SequenceNode:
			s := make([]any, 0, len(n.Content))
			for _, c := range n.Content {
				s = append(s, conv(c, depth+1, viaAlias))
			}
			return s
		case yaml.ScalarNode:
			return scalarValue(n)
		}
		return nil
	}
	return conv(d.Root, 0, false), diags
}

// maxExpansion bounds the nodes a document may reach through aliases; real
// policies use aliases sparingly, if at all.
const maxExpansion = 100000

func scalarValue(n *yaml.Node) any {
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
		var u uint64
		if n.Decode(&u) == nil {
			if u <= math.MaxInt64 {
				return int64(u)
			}
			return float64(u)
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	}
	return n.Value
}
