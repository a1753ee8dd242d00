package codegen

import (
	"slices"
	"strings"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/features"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/internal/testenv"
)

// haveAttachCookie: the running kernel has bpf_get_attach_cookie (5.15+).
func haveAttachCookie() bool {
	return features.HaveProgramHelper(ebpf.Kprobe, asm.FnGetAttachCookie) == nil
}

// usdtWalksYAML: a USDT probe whose selector walks the ancestors
// (bpf_loop), so that its program has all four variants.
const usdtWalksYAML = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: usdt-walks
spec:
  usdts:
  - path: "/usr/sbin/nginx"
    provider: "nginx"
    name: "request_start"
    args:
    - {index: 0, type: int32}
    selectors:
    - matchBinaries:
      - operator: In
        followChildren: true
        values: ["/usr/sbin/nginx"]
`

// TestNoCookie: a USDT program has a variant without
// bpf_get_attach_cookie, whose place key is the one marker constant the
// loader replaces, named in the manifest; with bpf_loop walks, each has
// its fallback without bpf_loop. Every variant the running kernel can
// have passes its verifier, loaded as the loader loads them (loadSpecIn).
func TestNoCookie(t *testing.T) {
	src := compiler.NewSource("usdt-walks.yaml", []byte(usdtWalksYAML))
	res := compiler.Check([]*compiler.Source{src}, compiler.Options{Arch: arch.X86_64})
	if res.Errors() > 0 {
		t.Fatal(res.Diagnostics)
	}
	pol, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.X86_64})
	if pol == nil {
		t.Fatal(diags)
	}
	b, err := Build(pol, Options{Arch: arch.X86_64})
	if err != nil {
		t.Fatal(err)
	}
	p := b.Manifest.Hooks[0].Programs[0]
	if p.Attach != "usdt" || p.NoCookie != p.Name+noCookieSuffix || p.Fallback != p.Name+noLoopSuffix ||
		p.NoCookieFallback != p.Name+noCookieSuffix+noLoopSuffix {
		t.Fatalf("program %+v", p)
	}
	if len(b.NoCookie) != 1 || b.NoCookie[0].Name != p.NoCookie || b.NoCookie[0].Section != b.Programs[0].Section+"/nocookie" {
		t.Fatalf("variants without cookies %+v", b.NoCookie)
	}
	if slices.Contains(b.Manifest.Features, bpf.FeatureAttachCookie) {
		t.Errorf("features %v", b.Manifest.Features)
	}
	// code counts, in a program, calls of bpf_get_attach_cookie, markers
	// and calls of bpf_loop.
	code := func(insns asm.Instructions) (cookies, markers, loops int) {
		for _, ins := range insns {
			switch {
			case isCookieCall(ins):
				cookies++
			case ins.OpCode == asm.LoadImmOp(asm.DWord) && uint64(ins.Constant) == bpf.USDTSiteMarker:
				markers++
			case isLoopCall(ins):
				loops++
			}
		}
		return
	}
	if c, m, l := code(b.Programs[0].Insns); c != 1 || m != 0 || l == 0 {
		t.Errorf("the program has %d cookie calls, %d markers, %d bpf_loop calls", c, m, l)
	}
	if c, m, l := code(b.NoCookie[0].Insns); c != 0 || m != 1 || l == 0 {
		t.Errorf("the variant without cookies has %d cookie calls, %d markers, %d bpf_loop calls", c, m, l)
	}
	var nclFound bool
	for _, fp := range b.Fallbacks.Programs {
		if fp.Name == p.NoCookieFallback {
			nclFound = true
			if c, m, l := code(fp.Insns); c != 0 || m != 1 || l != 0 {
				t.Errorf("the variant without cookies nor bpf_loop has %d cookie calls, %d markers, %d bpf_loop calls", c, m, l)
			}
		}
	}
	if !nclFound {
		t.Errorf("no program %s among the fallbacks", p.NoCookieFallback)
	}
	if asm := b.Asm(AsmOptions{NoFallbacks: true}); strings.Contains(asm, noCookieSuffix) {
		t.Errorf("the dump without fallbacks shows the variants without cookies")
	}
	if asm := b.Asm(AsmOptions{}); !strings.Contains(asm, "program "+p.NoCookie+" ") || !strings.Contains(asm, "program "+p.NoCookieFallback+" ") {
		t.Errorf("the dump does not show the variants without cookies")
	}

	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf, testenv.Uprobes)
	spec, _ := loadableSpec(t, b)
	l := loadSpecIn(t, b, spec, pinDir(t))
	for name := range spec.Programs {
		if l.coll.Programs[name] == nil {
			t.Errorf("program %s not loaded", name)
		}
	}
	t.Logf("loaded %d variants (bpf_loop: %v, attach cookie: %v)", len(l.coll.Programs), haveBpfLoop(), haveAttachCookie())
}
