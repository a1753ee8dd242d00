package action

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/ir"
)

// TestActionTable: every kind of action ir knows has a row with both its
// parts: the code a record reports (with a strength in bpf) unless the
// record never reports it, and its render function.
func TestActionTable(t *testing.T) {
	unreported := map[ir.ActionKind]bool{ir.ActNoPost: true, ir.ActCleanupEnforcer: true}
	n := 0
	for k := ir.ActionKind(1); !strings.HasPrefix(k.String(), "action("); k++ {
		n++
		row, ok := actionTable[k]
		switch {
		case !ok:
			t.Errorf("%s: no row in actionTable", k)
			continue
		case row.render == nil:
			t.Errorf("%s: no render function", k)
		case unreported[k] && row.code != 0:
			t.Errorf("%s: a record never reports it, but its code is %s", k, row.code)
		case !unreported[k] && row.code.Strength() == 0:
			t.Errorf("%s: code %d has no strength in bpf", k, row.code)
		}
	}
	if n != len(actionTable) {
		t.Errorf("%d action kinds, %d rows", n, len(actionTable))
	}
}
