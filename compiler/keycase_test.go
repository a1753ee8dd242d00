package compiler

import (
	"bytes"
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

const keyCasePolicy = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "kc"
  labels:
    App: x
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values: ["/etc/passwd"]
`

// TestKeyCase: keys in another case than the field's are read as the
// field, as Tetragon's decoder reads them: the policy lowers to the same IR
// as its canonical spelling; lint names each one; the user's own map keys
// (labels) are not touched; a key beside its canonical spelling is not
// renamed (two keys: the schema refuses the other).
func TestKeyCase(t *testing.T) {
	lower := func(src string) (string, []Diagnostic) {
		t.Helper()
		res := Check([]*Source{NewSource("kc.yaml", []byte(src))}, Options{Lint: true})
		if res.Errors() > 0 || len(res.Policies) != 1 {
			t.Fatalf("check: %v", res.Diagnostics)
		}
		p, diags := Lower(res.Policies[0], LowerOptions{})
		if p == nil {
			t.Fatalf("lower: %v", diags)
		}
		var b bytes.Buffer
		ir.Fprint(&b, p)
		return b.String(), res.Diagnostics
	}
	want, _ := lower(keyCasePolicy)
	odd := strings.NewReplacer("apiVersion:", "apiversion:", "kind: Tracing", "KIND: Tracing", "matchArgs:", "MatchArgs:",
		"  values:", "  Values:", "syscall: false", "SysCall: false").Replace(keyCasePolicy)
	got, diags := lower(odd)
	if got != want {
		t.Errorf("IR with keys in other cases:\n%s\nwant:\n%s", got, want)
	}
	var renamed []string
	for _, d := range diags {
		if d.Code == "key-case" {
			renamed = append(renamed, strings.SplitN(d.Msg, " ", 2)[0])
		}
	}
	if strings.Join(renamed, " ") != `"apiversion" "KIND" "SysCall" "MatchArgs" "Values"` {
		t.Errorf("key-case warnings for %v", renamed)
	}
	res := Check([]*Source{NewSource("kc.yaml", []byte(strings.Replace(odd, "App: x", "Name: x", 1)))}, Options{Lint: true})
	md, _ := child(res.Policies[0].Doc.Root, "metadata")
	labels, _ := child(md, "labels")
	if labels == nil || labels.Content[0].Value != "Name" {
		t.Errorf("a label's key was renamed: %v", labels)
	}

	both := strings.Replace(keyCasePolicy, "kind: TracingPolicy\n", "kind: TracingPolicy\nKind: TracingPolicy\n", 1)
	res = Check([]*Source{NewSource("kc.yaml", []byte(both))}, Options{Lint: true})
	if res.Errors() == 0 {
		t.Errorf("kind and Kind both given: no error")
	}
}
