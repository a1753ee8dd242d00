package loader

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
)

// writeBinaryBTF writes a BTF file as a probed binary's would be:
//
//	struct inner    { u32 pad; u32 v32; };                 // 8 bytes
//	struct mystruct { u64 v64; struct inner sub;           // 0, 8
//	                  struct inner *next; };               // 16
func writeBinaryBTF(t *testing.T) string {
	t.Helper()
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	u64 := &btf.Int{Name: "unsigned long", Size: 8}
	inner := &btf.Struct{Name: "inner", Size: 8, Members: []btf.Member{
		{Name: "pad", Type: u32, Offset: 0}, {Name: "v32", Type: u32, Offset: 32}}}
	my := &btf.Struct{Name: "mystruct", Size: 24, Members: []btf.Member{
		{Name: "v64", Type: u64, Offset: 0},
		{Name: "sub", Type: inner, Offset: 64},
		{Name: "next", Type: &btf.Pointer{Target: inner}, Offset: 128}}}
	return testenv.WriteBTF(t, my)
}

func userResolvePolicy(t *testing.T, btfPath string, resolves ...string) *Bundle {
	t.Helper()
	var args strings.Builder
	for _, r := range resolves {
		fmt.Fprintf(&args, "    - index: 0\n      type: \"uint64\"\n      btfType: \"mystruct\"\n      resolve: %q\n", r)
	}
	return compilePolicy(t, "uresolve.yaml", fmt.Sprintf(`apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "uresolve"
spec:
  uprobes:
  - path: "/bin/true"
    btfPath: %q
    symbols: ["main"]
    args:
%s`, btfPath, args.String()))
}

// TestSetUserResolves: polrun fills each step of a member path from the
// btfPath it finds on the host: a member's offset and size, an embedded
// struct's offset merged into its member's, a pointer followed (8 bytes)
// before the member behind it; steps past the walk add and load nothing.
func TestSetUserResolves(t *testing.T) {
	file := writeBinaryBTF(t)
	b := userResolvePolicy(t, file, "v64", "sub.v32", "next.v32")
	h := b.Manifest.Hooks[0]
	if h.BTFPath != file || len(h.UserResolves) != 3 {
		t.Fatalf("manifest hook: btfPath %q, %d user resolves; want %q, 3", h.BTFPath, len(h.UserResolves), file)
	}
	if err := SetUserResolves(b.Spec, b.Manifest, nil); err != nil {
		t.Fatal(err)
	}
	type step struct{ off, load uint32 }
	want := map[string][]step{
		"v64":      {{0, 8}},
		"sub.v32":  {{12, 4}, {0, 0}},
		"next.v32": {{16, 8}, {4, 4}},
	}
	for _, r := range h.UserResolves {
		var got []step
		for i := range r.Resolve {
			var s step
			for field, dst := range map[string]*uint32{"off": &s.off, "load": &s.load} {
				if err := b.Spec.Variables[bpf.UserResolveVar(h.ID, r.Slot, i, field)].Get(dst); err != nil {
					t.Fatal(err)
				}
			}
			got = append(got, s)
		}
		path := strings.Join(r.Resolve, ".")
		if fmt.Sprint(got) != fmt.Sprint(want[path]) {
			t.Errorf("%s: steps %v, want %v", path, got, want[path])
		}
	}
}

// TestUserResolvesRefused: a btfPath missing on the host, or one whose
// types lack the member path (the host's binary is another version than
// the one the policy was checked against), fails the load naming the
// policy, the argument's path and the file, and nothing is left behind.
func TestUserResolvesRefused(t *testing.T) {
	for _, c := range []struct {
		name, resolve, want string
		host                func(t *testing.T, file string) string // the btfPath on the host
	}{
		{"missing file", "v64", "reading the binary's BTF", func(t *testing.T, file string) string {
			os.Remove(file)
			return file
		}},
		{"no such member", "next.v32", "struct inner has no member v32", func(t *testing.T, file string) string {
			u32 := &btf.Int{Name: "unsigned int", Size: 4}
			inner := &btf.Struct{Name: "inner", Size: 4, Members: []btf.Member{{Name: "pad", Type: u32}}}
			my := &btf.Struct{Name: "mystruct", Size: 8, Members: []btf.Member{{Name: "next", Type: &btf.Pointer{Target: inner}}}}
			raw, err := os.ReadFile(testenv.WriteBTF(t, my))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			return file
		}},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			o := testOptions(t)
			file := writeBinaryBTF(t)
			b := userResolvePolicy(t, file, c.resolve) // checked against file
			c.host(t, file)
			_, err := Load([]*Bundle{b}, o)
			var pe *ProgramError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), file) ||
				!strings.Contains(err.Error(), "uresolve") || !strings.Contains(err.Error(), c.resolve) {
				t.Fatalf("Load: %v; want a ProgramError naming the policy, %q, %s and %q", err, c.resolve, file, c.want)
			}
			if left := pinsUnder(t, o.PinRoot); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}
