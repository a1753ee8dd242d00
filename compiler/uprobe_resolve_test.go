package compiler

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/internal/testenv"
)

// TestUprobeResolveBTFPath: validate reads a uprobe's btfPath when it is
// there and refuses a resolve path its types do not have, as build does;
// when the file is not there, a note says polrun checks it at load.
func TestUprobeResolveBTFPath(t *testing.T) {
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	my := &btf.Struct{Name: "mystruct", Size: 8, Members: []btf.Member{
		{Name: "a", Type: u32}, {Name: "v32", Type: u32, Offset: 32}}}
	file := testenv.WriteBTF(t, my)
	policy := func(btfPath, resolve string) []byte {
		return []byte(fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "u"
spec:
  uprobes:
  - path: "/bin/true"
    btfPath: %q
    symbols: ["main"]
    args:
    - index: 0
      type: "uint32"
      btfType: "mystruct"
      resolve: %q
`, btfPath, resolve))
	}
	for _, c := range []struct {
		btfPath, resolve, code string
		sev                    Severity
	}{
		{file, "v32", "", 0},
		{file, "v33", "bad-resolve", Error},
		{file + ".missing", "v32", "needs-btf-file", Note}, // polrun reads it at load
	} {
		res := Check([]*Source{NewSource("u.yaml", policy(c.btfPath, c.resolve))}, Options{})
		var got []string
		for _, d := range res.Diagnostics {
			if d.Severity != Note || d.Code == "needs-btf-file" {
				got = append(got, d.Code)
			}
		}
		if c.code == "" {
			if len(got) != 0 {
				t.Errorf("%s: %v, want none", c.resolve, res.Diagnostics)
			}
			continue
		}
		if len(got) != 1 || got[0] != c.code || res.Diagnostics[0].Severity != c.sev {
			t.Errorf("%s %s: %v, want one %s", filepath.Base(c.btfPath), c.resolve, res.Diagnostics, c.code)
		} else if c.code == "bad-resolve" && !strings.Contains(res.Diagnostics[0].Msg, "struct mystruct has no member v33") {
			t.Errorf("message %q", res.Diagnostics[0].Msg)
		}
	}
}
