package loader

import (
	"errors"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"

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

// TestUSDTSites: without BPF cookies, a USDT program is copied once per
// place, each copy with its place's key instead of the marker; a variant
// with no marker, or two, is a bad bundle.
func TestUSDTSites(t *testing.T) {
	prog := func(markers int) *ebpf.ProgramSpec {
		insns := asm.Instructions{asm.Mov.Imm(asm.R6, 1)}
		for range markers {
			insns = append(insns, asm.LoadImm(asm.R0, int64(bpf.USDTSiteMarker), asm.DWord))
		}
		return &ebpf.ProgramSpec{Name: "h3_p", Type: ebpf.Kprobe, Instructions: append(insns, asm.Return())}
	}
	h := bpf.Hook{ID: 3}
	p := bpf.Program{Name: "h3_p", NoCookie: "h3_p_nocookie", Attach: "usdt"}
	spec := &ebpf.CollectionSpec{Programs: map[string]*ebpf.ProgramSpec{"h3_p": prog(1)}}
	if err := usdtSites(spec, h, p, 3); err != nil {
		t.Fatal(err)
	}
	if len(spec.Programs) != 3 {
		t.Fatalf("programs %v, want one per place", spec.Programs)
	}
	for i := range 3 {
		c := spec.Programs[usdtSiteName("h3_p", i)]
		if c == nil || c.Instructions[1].Constant != int64(bpf.USDTCookie(3, i)) {
			t.Errorf("place %d: %v", i, c)
		}
	}
	for _, n := range []int{0, 2} {
		spec := &ebpf.CollectionSpec{Programs: map[string]*ebpf.ProgramSpec{"h3_p": prog(n)}}
		if err := usdtSites(spec, h, p, 2); !errors.Is(err, ErrBadBundle) {
			t.Errorf("%d markers: %v, want a bad bundle", n, err)
		}
	}
}
