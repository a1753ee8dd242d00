package policytest

import (
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/schema"
)

// File is one parsed test file: the policy it tests and its cases, each
// still as written (Bind turns a case into an ir.Event against the
// lowered policy).
type File struct {
	Source *compiler.Source
	// Policy is the path of the policy file: the file's "policy" field
	// relative to the test file, or the test file's name without _test.
	Policy     string
	PolicyPos  ir.Pos // where policyName (or policy) is written, or the document's start
	PolicyName string // metadata.name to pick, "" for the file's only policy
	Cases      []*Case
}

// Case is one test case as written.
type Case struct {
	Name string
	Pos  ir.Pos // the case's mapping (its "name" line)

	Hook      string
	HookPos   ir.Pos
	HookIndex int // -1 when not given

	process        *rawProcess
	processPos     ir.Pos
	hostNamespaces map[string]uint32
	args           *yaml.Node // mapping: index or label -> value
	ret            *yaml.Node // nil when not given
	expect         rawExpect
	expectPos      ir.Pos
	doc            *compiler.Document
}

type rawFile struct {
	Policy     string      `yaml:"policy"`
	PolicyName string      `yaml:"policyName"`
	Cases      []yaml.Node `yaml:"cases"`
}

type rawCase struct {
	Name           string            `yaml:"name"`
	Hook           yaml.Node         `yaml:"hook"`
	HookIndex      *int              `yaml:"hookIndex"`
	Process        yaml.Node         `yaml:"process"`
	HostNamespaces map[string]uint32 `yaml:"hostNamespaces"`
	Args           yaml.Node         `yaml:"args"`
	Return         yaml.Node         `yaml:"return"`
	Expect         yaml.Node         `yaml:"expect"`
}

type rawProcess struct {
	Binary           *string             `yaml:"binary"`
	PID              *uint32             `yaml:"pid"`
	NsPID            *uint32             `yaml:"nsPid"`
	ParentBinary     *string             `yaml:"parentBinary"`
	Ancestors        []rawAncestor       `yaml:"ancestors"`
	Namespaces       map[string]uint32   `yaml:"namespaces"`
	ExecNamespaces   map[string]uint32   `yaml:"execNamespaces"`
	Capabilities     map[string][]string `yaml:"capabilities"`
	ExecCapabilities map[string][]string `yaml:"execCapabilities"`
}

type rawAncestor struct {
	Binary       string `yaml:"binary"`
	PID          uint32 `yaml:"pid"`
	NsPID        uint32 `yaml:"nsPid"`
	PidNamespace uint32 `yaml:"pidNamespace"`
}

type rawExpect struct {
	Selector      yaml.Node `yaml:"selector"`
	Actions       *[]string `yaml:"actions"`
	ReturnActions *[]string `yaml:"returnActions"`
	Posted        *bool     `yaml:"posted"`
}

// IsTestFile reports whether path is named as a test file: NAME_test.yaml
// or NAME_test.yml.
func IsTestFile(path string) bool {
	base := strings.ToLower(filepath.Base(path))
	return strings.HasSuffix(base, "_test.yaml") || strings.HasSuffix(base, "_test.yml")
}

// Parse reads a test file: YAML, then the test file schema, then the
// cases. Every diagnostic has the file, line and column it is about; any
// error diagnostic means the file is not usable (File is nil).
func Parse(src *compiler.Source) (*File, []compiler.Diagnostic) {
	docs, diags := compiler.ParseDocuments(src)
	if len(diags) > 0 {
		return nil, diags
	}
	if len(docs) != 1 {
		return nil, []compiler.Diagnostic{{Code: "test-file", Severity: compiler.Error, Pos: ir.Pos{File: src.Name, Line: 1, Col: 1},
			Msg:  fmt.Sprintf("a test file holds one YAML document, this one %d", len(docs)),
			Hint: "write one test file per policy (NAME_test.yaml beside NAME.yaml)"}}
	}
	doc := docs[0]
	js, diags := doc.JSON()
	for _, e := range schema.ValidatePolicyTest(js) {
		diags = append(diags, compiler.SchemaDiagnostic(doc, e))
	}
	if len(diags) > 0 {
		return nil, compiler.SortDiagnostics(diags)
	}
	var rf rawFile
	if err := doc.Root.Decode(&rf); err != nil {
		return nil, []compiler.Diagnostic{decodeError(doc, doc.Root, err)}
	}
	f := &File{Source: src, PolicyName: rf.PolicyName, PolicyPos: pos(doc, doc.Root)}
	if rf.Policy != "" {
		f.Policy = filepath.Join(filepath.Dir(src.Name), filepath.FromSlash(rf.Policy))
	} else {
		f.Policy = DefaultPolicyPath(src.Name)
	}
	for _, key := range []string{"policy", "policyName"} {
		if n := childNode(doc.Root, key); n != nil {
			f.PolicyPos = pos(doc, n)
		}
	}
	for i := range rf.Cases {
		n := &rf.Cases[i]
		var rc rawCase
		if err := n.Decode(&rc); err != nil {
			diags = append(diags, decodeError(doc, n, err))
			continue
		}
		c := &Case{Name: rc.Name, Pos: pos(doc, n), HookIndex: -1, hostNamespaces: rc.HostNamespaces, doc: doc}
		if rc.HookIndex != nil {
			c.HookIndex = *rc.HookIndex
		}
		if rc.Hook.Kind != 0 {
			c.Hook, c.HookPos = rc.Hook.Value, pos(doc, &rc.Hook)
		}
		if rc.Process.Kind != 0 {
			c.process = &rawProcess{}
			c.processPos = pos(doc, &rc.Process)
			if err := rc.Process.Decode(c.process); err != nil {
				diags = append(diags, decodeError(doc, &rc.Process, err))
				continue
			}
		}
		if rc.Args.Kind != 0 {
			c.args = deref(&rc.Args)
		}
		if rc.Return.Kind != 0 {
			c.ret = deref(&rc.Return)
		}
		c.expectPos = pos(doc, &rc.Expect)
		if err := rc.Expect.Decode(&c.expect); err != nil {
			diags = append(diags, decodeError(doc, &rc.Expect, err))
			continue
		}
		f.Cases = append(f.Cases, c)
	}
	for i, c := range f.Cases {
		for _, d := range f.Cases[:i] {
			if d.Name == c.Name {
				diags = append(diags, compiler.Diagnostic{Code: "test-file", Severity: compiler.Error, Pos: c.Pos,
					Msg:  fmt.Sprintf("case %q is named twice (first at line %d)", c.Name, d.Pos.Line),
					Hint: "case names identify results and --run patterns: make them unique"})
				break
			}
		}
	}
	if compiler.Count(diags, compiler.Error) > 0 {
		return nil, compiler.SortDiagnostics(diags)
	}
	return f, diags
}

// DefaultPolicyPath is the policy a test file tests when it does not say:
// dir/NAME_test.yaml tests dir/NAME.yaml (or NAME.yml, if that exists
// instead; Run checks).
func DefaultPolicyPath(testPath string) string {
	dir, base := filepath.Split(testPath)
	ext := filepath.Ext(base)
	name := strings.TrimSuffix(strings.TrimSuffix(base, ext), "_test")
	return filepath.Join(dir, name+ext)
}

func pos(doc *compiler.Document, n *yaml.Node) ir.Pos {
	p, _ := doc.Span(n)
	return p
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func childNode(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func decodeError(doc *compiler.Document, n *yaml.Node, err error) compiler.Diagnostic {
	return compiler.Diagnostic{Code: "decode", Severity: compiler.Error, Pos: pos(doc, n), Msg: err.Error(),
		Hint: "the schema admitted this: please report it as a polc bug"}
}
