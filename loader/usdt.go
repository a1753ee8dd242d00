package loader

import (
	"fmt"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/usdt"
)

// usdtPlaces reads the places of USDT hook h's probe from its binary (the
// binary's notes, bpf/usdt.go) and checks that each place has the
// arguments the policy reads (and, where a Set action writes one, that it
// is in memory).
func usdtPlaces(h bpf.Hook, a arch.Arch) ([]usdt.Probe, error) {
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
	if len(places) > bpf.USDTMaxLocations {
		return nil, fmt.Errorf("%s has %d places of USDT probe %s:%s, more than the %d a bundle attaches to", h.Target, len(places), provider, name, bpf.USDTMaxLocations)
	}
	for _, pr := range places {
		if err := checkUSDTPlace(h, &pr); err != nil {
			return nil, err
		}
	}
	return places, nil
}

// usdtSiteName names place i's copy of program prog (the name of its
// link too): the program's own name for the first place.
func usdtSiteName(prog string, i int) string {
	if i == 0 {
		return prog
	}
	return fmt.Sprintf("%s_%d", prog, i)
}

// usdtSites replaces, in spec, program p of USDT hook h, a variant
// without bpf_get_attach_cookie (bpf.Program.NoCookie), by one copy per
// place, named usdtSiteName, whose bpf.USDTSiteMarker constant is the
// place's key, bpf.USDTCookie(h.ID, i).
func usdtSites(spec *ebpf.CollectionSpec, h bpf.Hook, p bpf.Program, places int) error {
	ps := spec.Programs[p.Name]
	if ps == nil {
		return fmt.Errorf("%w: USDT hook %d: no program %s", ErrBadBundle, h.ID, p.Name)
	}
	at := -1
	for i, ins := range ps.Instructions {
		if ins.OpCode == asm.LoadImmOp(asm.DWord) && ins.Src == asm.R0 && uint64(ins.Constant) == bpf.USDTSiteMarker {
			if at >= 0 {
				return fmt.Errorf("%w: USDT hook %d: program %s has more than one place key to set", ErrBadBundle, h.ID, p.NoCookie)
			}
			at = i
		}
	}
	if at < 0 {
		return fmt.Errorf("%w: USDT hook %d: program %s has no place key to set", ErrBadBundle, h.ID, p.NoCookie)
	}
	for i := range places {
		name := usdtSiteName(p.Name, i)
		if i > 0 && spec.Programs[name] != nil {
			return fmt.Errorf("%w: USDT hook %d: the copy %s of program %s for place %d is named like another program", ErrBadBundle, h.ID, name, p.Name, i)
		}
		c := ps.Copy()
		c.Name = name
		c.Instructions[at].Constant = int64(bpf.USDTCookie(h.ID, i))
		spec.Programs[name] = c
	}
	return nil
}

// attachUSDT attaches program p of USDT hook h at each of the places of
// its probe: it stores each place's argument spec in specs under the
// place's key, bpf.USDTCookie(h.ID, i), and attaches a uprobe there with
// the probe's semaphore as reference counter and the key as the BPF
// cookie; or, with perPlace (a kernel without BPF cookies), without
// cookie, attaching each place's own copy of the program (usdtSites),
// which carries its key.
func attachUSDT(h bpf.Hook, p bpf.Program, coll *ebpf.Collection, places []usdt.Probe, perPlace bool) ([]namedLink, error) {
	specs := coll.Maps[bpf.USDTMap]
	if specs == nil {
		return nil, fmt.Errorf("%w: USDT hook %d without the %s map", ErrBadBundle, h.ID, bpf.USDTMap)
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
		key := bpf.USDTCookie(h.ID, i)
		if err := specs.Update(key, value, ebpf.UpdateAny); err != nil {
			return fail(fmt.Errorf("store the argument spec of %s: %w", &pr, err))
		}
		n := usdtSiteName(p.Name, i)
		prog, opts := coll.Programs[p.Name], &link.UprobeOptions{Address: pr.Location, RefCtrOffset: pr.Semaphore, Cookie: key}
		if perPlace {
			prog, opts.Cookie = coll.Programs[n], 0
		}
		if prog == nil {
			return fail(fmt.Errorf("%w: USDT hook %d: no program %s", ErrBadBundle, h.ID, n))
		}
		l, err := ex.Uprobe("", prog, opts)
		if err != nil {
			return fail(fmt.Errorf("attach at %s: %w", &pr, err))
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
