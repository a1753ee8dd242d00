package loader

import (
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/usdt"
)

// TestCheckUSDTPlaceSet: a Set action writes only a 4-byte argument in
// memory, as Tetragon's does.
func TestCheckUSDTPlaceSet(t *testing.T) {
	pr := &usdt.Probe{Provider: "app", Name: "p", ArgText: "-4@-4(%rbp) -8@-16(%rbp) -1@-17(%rbp) -4@%eax", Args: []usdt.Arg{
		{Text: "-4@-4(%rbp)", Size: 4, Signed: true, Kind: bpf.USDTArgRegDeref},
		{Text: "-8@-16(%rbp)", Size: 8, Signed: true, Kind: bpf.USDTArgRegDeref},
		{Text: "-1@-17(%rbp)", Size: 1, Signed: true, Kind: bpf.USDTArgRegDeref},
		{Text: "-4@%eax", Size: 4, Signed: true, Kind: bpf.USDTArgReg},
	}}
	for _, tc := range []struct {
		arg  int
		want string // "" for no error
	}{{0, ""}, {1, "8-byte"}, {2, "1-byte"}, {3, "not in memory"}, {4, "has 4 arguments"}} {
		err := checkUSDTPlace(bpf.Hook{SetArgs: []int{tc.arg}}, pr)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Set on argument %d: %v", tc.arg, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("Set on argument %d: %v, want an error with %q", tc.arg, err, tc.want)
		}
	}
}
