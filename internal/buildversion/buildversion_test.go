package buildversion

import (
	"runtime/debug"
	"testing"
)

func TestResolve(t *testing.T) {
	info := func(v string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/polc-dev/polc", Version: v}}
	}
	for _, c := range []struct {
		linked string
		info   *debug.BuildInfo
		want   string
	}{
		{"1.4.0", info("v1.3.0"), "1.4.0"},
		{"dev", info("v1.3.0"), "v1.3.0"},
		{"", info("v0.2.1-0.20261201120000-abcdef012345"), "v0.2.1-0.20261201120000-abcdef012345"},
		{"dev", info("(devel)"), "dev"},
		{"dev", info(""), "dev"},
		{"dev", nil, "dev"},
	} {
		if got := resolve(c.linked, c.info); got != c.want {
			t.Errorf("resolve(%q, %v) = %q, want %q", c.linked, c.info, got, c.want)
		}
	}
}
