package compiler

import (
	"strings"
	"testing"
)

// TestCelExprColumns: an error in a CelExpr points at its column in the
// file, inside the value, whether the value is plain or quoted; a value
// with escapes, whose columns differ from the expression's, names the
// column in the message.
func TestCelExprColumns(t *testing.T) {
	const head = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "cel"
spec:
  kprobes:
  - call: "sys_lseek"
    syscall: true
    args:
    - index: 0
      type: "int"
    selectors:
    - matchArgs:
      - args: [0]
        operator: CelExpr
`
	cases := []struct {
		value    string
		line     int
		col, end int
		msg      string
	}{
		{`        values: ["arg0 == 10"]`, 16, 24, 26, "CelExpr: == compares"},
		{`        values: [arg0 < int32(1) && arg0 * 2]`, 16, 42, 43, "CelExpr: * is not"},
		{`        values: ['arg0 == int32(1) || bad']`, 16, 39, 42, "undeclared name bad"},
		{`        values: ["arg0 ==\t10"]`, 16, 18, 0, "(at column 6 of the expression)"},
	}
	for _, c := range cases {
		src := head + c.value + "\n"
		res := Check([]*Source{NewSource("cel.yaml", []byte(src))}, Options{})
		var found bool
		for _, d := range res.Diagnostics {
			if d.Severity != Error {
				continue
			}
			found = true
			if d.Pos.Line != c.line || d.Pos.Col != c.col || c.end != 0 && d.End.Col != c.end || !strings.Contains(d.Msg, c.msg) {
				t.Errorf("%s:\n got %d:%d-%d: %s\nwant %d:%d-%d: %s", c.value, d.Pos.Line, d.Pos.Col, d.End.Col, d.Msg, c.line, c.col, c.end, c.msg)
			}
		}
		if !found {
			t.Errorf("%s: no error", c.value)
		}
	}
}
