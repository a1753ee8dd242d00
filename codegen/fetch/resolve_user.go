package fetch

import (
	"github.com/cilium/ebpf/btf"

	"github.com/polc-dev/polc/ir"
	"github.com/polc-dev/polc/target"
)

// A uprobe's argument with btfType and resolve points to user memory laid
// out as a type of the probed binary, which Tetragon reads from the uprobe's
// btfPath (a BTF file of the binary) rather than from the kernel. polc reads
// that file at build time: the binary's layout is fixed, so the offsets of
// the members are constants (target.UserResolve; no CO-RE relocation, which
// only the kernel's types could satisfy), and each pointer on the path is
// followed with bpf_probe_read_user (loadResolved).

// planUserResolve plans argument a of uprobe h from h's btfPath.
func (g *Plan) planUserResolve(h *ir.Hook, a *ir.Arg, fail func(string, ...any) bool) bool {
	if h.BTFPath == "" {
		return fail("a uprobe's types come from the binary's BTF: give the uprobe's btfPath")
	}
	if a.BTFType == "" {
		return fail("give btfType, the type in %s the argument points to", h.BTFPath)
	}
	spec, err := btf.LoadSpec(h.BTFPath)
	if err != nil {
		return fail("reading btfPath (polc reads the binary's BTF at build time): %v", err)
	}
	us, err := target.UserResolve(spec, a.BTFType, a.Resolve)
	if err != nil {
		return fail("%s: %v", h.BTFPath, err)
	}
	segs := make([]resolveSeg, len(us))
	for i, s := range us {
		segs[i] = resolveSeg{user: true, off: s.Off, load: s.Load}
	}
	if g.resolved == nil {
		g.resolved = map[*ir.Arg][]resolveSeg{}
	}
	g.resolved[a] = segs
	return true
}
