package compiler

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/schema"
)

// TestOperatorTable: every matchArgs operator the schema spells is a row
// of ir's operator table or refused (unsupportedArgOps), and every row is
// spelled by the schema, so that the checks, the schema and
// docs/CONFORMANCE.md read the same table.
func TestOperatorTable(t *testing.T) {
	var doc struct {
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	if err := json.Unmarshal(schema.JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	spelled := schemaEnum(doc.Definitions, "argOperator")
	if len(spelled) == 0 {
		t.Fatal("the schema spells no matchArgs operators")
	}
	for _, s := range spelled {
		op, ok := ir.ParseOp(s)
		_, refused := unsupportedArgOps[s]
		switch {
		case ok && refused:
			t.Errorf("%s: a row of ir's table and refused as unsupported", s)
		case !ok && !refused:
			t.Errorf("%s: spelled by the schema, neither a row of ir's table nor refused", s)
		case ok && !op.IsArgOp() && op != ir.OpIn && op != ir.OpNotIn:
			t.Errorf("%s: not a matchArgs operator", s)
		}
	}
	for o := ir.OpEqual; int(o) < ir.NumOps; o++ {
		if o.IsArgOp() && !slices.Contains(spelled, o.String()) {
			t.Errorf("%s: a matchArgs operator the schema does not spell", o)
		}
	}
}
