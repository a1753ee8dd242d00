package compiler

import (
	"strings"
	"testing"
)

// TestConformanceTable: every path fieldStatus names is a field of the
// schema (a renamed field cannot leave a stale status), and the table
// lists the features the checks refuse as refused.
func TestConformanceTable(t *testing.T) {
	entries, err := Conformance()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]ConformanceEntry{}
	for _, e := range entries {
		byName[e.What+" "+e.Name] = e
	}
	for path := range fieldStatus {
		found := false
		for _, k := range hookKinds {
			if _, ok := byName["field "+strings.Replace(path, "spec.*[]", "spec."+k+"[]", 1)]; ok {
				found = true
			}
		}
		if !found {
			t.Errorf("fieldStatus names %s, which is not a field of the schema", path)
		}
	}
	for _, want := range []string{"field spec.kprobes[].call", "field spec.kprobes[].selectors[].matchArgs[].args",
		"field spec.uprobes[].symbols", "matchArgs operator Equal", "argument type int"} {
		if e, ok := byName[want]; !ok || e.Status != StatusImplemented {
			t.Errorf("%s: %+v", want, e)
		}
	}
	for op := range unsupportedArgOps {
		if e := byName["matchArgs operator "+op]; e.Status != StatusRefused {
			t.Errorf("operator %s: %+v, want refused", op, e)
		}
	}
	for ty := range unsupportedArgTypes {
		if e := byName["argument type "+ty]; e.Status != StatusRefused {
			t.Errorf("type %s: %+v, want refused", ty, e)
		}
	}
}
