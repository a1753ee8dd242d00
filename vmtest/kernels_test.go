package vmtest

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseStanzas(t *testing.T) {
	out := "Package: linux-image-6.1.0-56-amd64\nVersion: 6.1.192-2\nDepends: kmod\n\n" +
		"Package: linux-image-6.1.0-56-amd64-unsigned\nSource: linux\nVersion: 6.1.192-2\n"
	want := []DebPackage{
		{"linux-image-6.1.0-56-amd64", "6.1.192-2"},
		{"linux-image-6.1.0-56-amd64-unsigned", "6.1.192-2"},
	}
	if diff := cmp.Diff(want, parseStanzas([]byte(out))); diff != "" {
		t.Errorf("stanzas (-want +got):\n%s", diff)
	}
}

func TestMatrixPatterns(t *testing.T) {
	for _, tc := range []struct {
		series string
		name   string
		match  bool
	}{
		{"6.1", "linux-image-6.1.0-56-amd64", true},
		{"6.1", "linux-image-6.1.0-56-amd64-unsigned", true},
		{"6.1", "linux-image-6.1.0-56-amd64-dbg", false},
		{"6.1", "linux-image-6.1.0-56-cloud-amd64", false},
		{"6.12", "linux-image-6.12.117+deb12-amd64", true},
		{"6.12", "linux-image-6.12.117+deb12-amd64-unsigned", true},
		{"6.12", "linux-image-6.12.117+deb12-rt-amd64", false},
		{"6.12", "linux-image-6.12-amd64-dbg", false},
	} {
		var pattern string
		for _, s := range Matrix {
			if s.Name == tc.series {
				pattern = s.Packages
			}
		}
		if got := regexp.MustCompile(pattern).MatchString(tc.name); got != tc.match {
			t.Errorf("series %s matches %s: %v, want %v", tc.series, tc.name, got, tc.match)
		}
	}
}

func TestVersionGreater(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"6.1.192-2", "6.1.170-1", true},
		{"6.12.117-1~deb12u1", "6.12.117-1", false},
		{"6.12.117-1", "6.12.117-1~deb12u1", true},
		{"6.1.99-1", "6.1.100-1", false},
	} {
		got, err := versionGreater(tc.a, tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("versionGreater(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}
