package loader

import (
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// picked says which variants pickPrograms kept.
type picked struct {
	// noLoop: the fallbacks without bpf_loop (Program.Fallback).
	noLoop bool
	// noCookie: the USDT variants without bpf_get_attach_cookie
	// (Program.NoCookie), which stage loads once per place of their probe
	// (usdtSites).
	noCookie bool
}

// pickPrograms keeps, of each program of m that has variants, the one this
// kernel runs, loaded under the program's name so that pins, links and
// names are the same either way: the program itself where the probes
// succeed; its Fallback (codegen/noloop.go) where bpf_loop is missing; its
// NoCookie variant (codegen/nocookie.go) where bpf_get_attach_cookie is,
// or that variant's own fallback (NoCookieFallback) where both are. The
// others are dropped from spec, as are the variants of programs already
// dropped (skipped hooks). noCookie, in tests, picks the NoCookie variants
// on any kernel.
//
// PickPrograms is the same for tools that load a bundle's programs
// themselves (bench measures what polrun would load), and drops the
// kprobe.multi programs (pickMulti) to keep the single ones; it returns
// whether the fallbacks without bpf_loop were picked.
func PickPrograms(m *bpf.Manifest, spec *ebpf.CollectionSpec) (bool, error) {
	dropMulti(m, spec) // the single programs, on every kernel
	p, err := pickPrograms(m, spec, false)
	return p.noLoop, err
}

func pickPrograms(m *bpf.Manifest, spec *ebpf.CollectionSpec, noCookie bool) (picked, error) {
	var out picked
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if (p.Fallback != "" || p.NoCookieFallback != "") && checkFeature(bpf.FeatureBpfLoop) != nil {
				out.noLoop = true
			}
			if p.NoCookie != "" && (noCookie || checkFeature(bpf.FeatureAttachCookie) != nil) {
				out.noCookie = true
			}
		}
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			variant := ""
			switch {
			case out.noCookie && out.noLoop && p.NoCookieFallback != "":
				variant = p.NoCookieFallback
			case out.noCookie && p.NoCookie != "":
				variant = p.NoCookie
			case out.noLoop && p.Fallback != "":
				variant = p.Fallback
			}
			main := spec.Programs[p.Name]
			var v *ebpf.ProgramSpec
			if variant != "" {
				v = spec.Programs[variant]
			}
			for _, n := range []string{p.Fallback, p.NoCookie, p.NoCookieFallback} {
				if n != "" {
					delete(spec.Programs, n)
				}
			}
			if variant == "" || main == nil {
				continue
			}
			if v == nil {
				return picked{}, fmt.Errorf("%w: hook %s: the variant %s of program %s is not in the object", ErrBadBundle, hookLabel(h), variant, p.Name)
			}
			v = v.Copy()
			v.Name, v.SectionName, v.AttachTo = main.Name, main.SectionName, main.AttachTo
			spec.Programs[p.Name] = v
		}
	}
	return out, nil
}
