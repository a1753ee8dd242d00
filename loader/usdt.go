package loader

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/usdt"
)

// attachUSDT attaches program p of USDT hook h at every place of its probe
// in the binary (bpf/usdt.go): it reads the binary's notes, checks that
// each place has the arguments the policy reads (and, where a Set action
// writes one, that it is in memory), stores each place's argument spec in
// specs under the place's cookie, and attaches a uprobe there with that
// cookie and the probe's semaphore as reference counter.
func attachUSDT(h bpf.Hook, p bpf.Program, prog *ebpf.Program, specs *ebpf.Map, a arch.Arch) ([]namedLink, error) {
	if specs == nil {
		return nil, fmt.Errorf("%w: USDT hook %d without the %s map", ErrBadBundle, h.ID, bpf.USDTMap)
	}
	provider, name, ok := strings.Cut(h.Symbol, ":")
	if !ok {
		return nil, fmt.Errorf("%w: USDT hook %d: probe %q is not PROVIDER:NAME", ErrBadBundle, h.ID, h.Symbol)
	}
	probes, err := usdt.ReadFile(h.Target, a)
	if err != nil {
		return nil, err
	}
	var places []usdt.Probe
	for _, pr := range probes {
		if pr.Provider == provider && pr.Name == name {
			places = append(places, pr)
		}
	}
	if len(places) == 0 {
		return nil, fmt.Errorf("%s has no USDT probe %s:%s", h.Target, provider, name)
	}
	for _, pr := range places {
		if err := checkUSDTPlace(h, &pr); err != nil {
			return nil, err
		}
	}
	ex, err := link.OpenExecutable(h.Target)
	if err != nil {
		return nil, err
	}
	var links []namedLink
	fail := func(err error) ([]namedLink, error) {
		for _, l := range links {
			l.link.Close()
		}
		return nil, err
	}
	for i, pr := range places {
		spec, err := pr.Spec()
		if err != nil {
			return fail(err)
		}
		value, _ := spec.MarshalBinary()
		cookie := bpf.USDTCookie(h.ID, i)
		if err := specs.Update(cookie, value, ebpf.UpdateAny); err != nil {
			return fail(fmt.Errorf("store the argument spec of %s: %w", &pr, err))
		}
		l, err := ex.Uprobe("", prog, &link.UprobeOptions{Address: pr.Location, RefCtrOffset: pr.Semaphore, Cookie: cookie})
		if err != nil {
			return fail(fmt.Errorf("attach at %s: %w", &pr, err))
		}
		n := p.Name
		if i > 0 {
			n = fmt.Sprintf("%s_%d", p.Name, i)
		}
		links = append(links, namedLink{n, l})
	}
	return links, nil
}

// checkUSDTPlace refuses a place of the probe that lacks an argument the
// hook reads, or where one a Set action writes is not a 4-byte value in
// memory.
func checkUSDTPlace(h bpf.Hook, pr *usdt.Probe) error {
	if pr.Err != nil {
		return pr.Err
	}
	for _, a := range h.Args {
		if a.Index >= len(pr.Args) {
			return fmt.Errorf("USDT probe %s has %d arguments (%q): the policy reads argument %d", pr, len(pr.Args), pr.ArgText, a.Index)
		}
	}
	for _, i := range h.SetArgs {
		if i >= len(pr.Args) {
			return fmt.Errorf("USDT probe %s has %d arguments: a Set action writes argument %d", pr, len(pr.Args), i)
		}
		if arg := pr.Args[i]; !arg.InMemory() {
			return fmt.Errorf("USDT probe %s: a Set action writes argument %d, which is %q, not in memory: only arguments in memory can be written (as in Tetragon)", pr, i, arg.Text)
		} else if arg.Size != 4 {
			return fmt.Errorf("USDT probe %s: a Set action writes argument %d, which is %q, a %d-byte value: Set writes only 4-byte arguments (as in Tetragon)", pr, i, arg.Text, arg.Size)
		}
	}
	return nil
}
