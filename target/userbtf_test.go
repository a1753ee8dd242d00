package target

import (
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/internal/testenv"
)

func userSpec(t *testing.T) *btf.Spec {
	t.Helper()
	u8 := &btf.Int{Name: "unsigned char", Size: 1}
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	u64 := &btf.Int{Name: "unsigned long", Size: 8}
	inner := &btf.Struct{Name: "inner", Size: 8, Members: []btf.Member{
		{Name: "pad", Type: u32, Offset: 0},
		{Name: "v32", Type: u32, Offset: 32},
	}}
	anon := &btf.Union{Size: 4, Members: []btf.Member{{Name: "alias", Type: u32}}}
	my := &btf.Struct{Name: "mystruct", Size: 48, Members: []btf.Member{
		{Name: "v64", Type: u64, Offset: 0},
		{Name: "v32", Type: u32, Offset: 64},
		{Type: anon, Offset: 96},
		{Name: "sub", Type: inner, Offset: 128},
		{Name: "next", Type: &btf.Pointer{Target: inner}, Offset: 192},
		{Name: "name", Type: &btf.Array{Index: u32, Type: u8, Nelems: 8}, Offset: 256},
		{Name: "flag", Type: u32, Offset: 320, BitfieldSize: 3},
		{Name: "vp", Type: &btf.Pointer{Target: u32}, Offset: 328},
	}}
	spec, err := btf.LoadSpec(testenv.WriteBTF(t, my))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestUserResolve(t *testing.T) {
	spec := userSpec(t)
	for _, c := range []struct {
		typ, path string
		want      []UserSeg
		err       string
	}{
		{"mystruct", "v64", []UserSeg{{0, 8}}, ""},
		{"mystruct", "v32", []UserSeg{{8, 4}}, ""},
		{"mystruct", "alias", []UserSeg{{12, 4}}, ""},
		{"mystruct", "sub.v32", []UserSeg{{20, 4}}, ""},
		{"mystruct", "sub", []UserSeg{{16, 0}}, ""},
		{"mystruct", "next.v32", []UserSeg{{24, 8}, {4, 4}}, ""},
		{"mystruct", "next", []UserSeg{{24, 8}}, ""},
		{"mystruct", "name", []UserSeg{{32, 0}}, ""},
		{"mystruct", "name[3]", []UserSeg{{35, 1}}, ""},
		{"mystruct", "name[8]", nil, "has 8 elements"},
		{"mystruct", "v32[0]", nil, "is not an array"},
		{"mystruct", "v32.x", nil, "is an integer: there is nothing to follow"},
		{"mystruct", "nope", nil, "struct mystruct has no member nope"},
		{"mystruct", "flag", nil, "bit field"},
		{"mystruct", "vp.x", nil, "which has no members"},
		{"mystruct", "", nil, "btfType without resolve"},
		{"inner", "v32", []UserSeg{{4, 4}}, ""},
		{"missing", "v32", nil, `no type "missing"`},
		{"unsigned int", "v32", nil, "is not a struct or union"},
	} {
		var path []string
		if c.path != "" {
			path = strings.Split(c.path, ".")
		}
		got, err := UserResolve(spec, c.typ, path)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s %s: error %v, want %q", c.typ, c.path, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("%s %s: %v", c.typ, c.path, err)
		case c.err == "" && !equalSegs(got, c.want):
			t.Errorf("%s %s: %v, want %v", c.typ, c.path, got, c.want)
		}
	}
}

func equalSegs(a, b []UserSeg) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
