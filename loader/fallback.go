package loader

import (
	"fmt"

	"github.com/cilium/ebpf"

	"github.com/polc-dev/polc/bpf"
)

// pickPrograms keeps, of each program of m that has a Fallback (a variant
// without bpf_loop, codegen/noloop.go), the one this kernel runs: the
// program itself where the bpf_loop probe succeeds, else its fallback,
// loaded under the program's name so that pins, links and names are the
// same either way. The other is dropped from spec, as are the fallbacks of
// programs already dropped (skipped hooks). It returns whether the
// fallbacks were picked.
//
// PickPrograms is the same for tools that load a bundle's programs
// themselves (bench measures what polrun would load).
func PickPrograms(m *bpf.Manifest, spec *ebpf.CollectionSpec) (bool, error) {
	return pickPrograms(m, spec)
}

func pickPrograms(m *bpf.Manifest, spec *ebpf.CollectionSpec) (bool, error) {
	useFallbacks := false
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if p.Fallback != "" && checkFeature(bpf.FeatureBpfLoop) != nil {
				useFallbacks = true
			}
		}
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if p.Fallback == "" {
				continue
			}
			fb, main := spec.Programs[p.Fallback], spec.Programs[p.Name]
			delete(spec.Programs, p.Fallback)
			if !useFallbacks || main == nil {
				continue
			}
			if fb == nil {
				return false, fmt.Errorf("%w: hook %s: the fallback %s of program %s is not in the object", ErrBadBundle, hookLabel(h), p.Fallback, p.Name)
			}
			fb = fb.Copy()
			fb.Name, fb.SectionName, fb.AttachTo = main.Name, main.SectionName, main.AttachTo
			spec.Programs[p.Name] = fb
		}
	}
	return useFallbacks, nil
}
