package codegen

import (
	"fmt"

	"github.com/cilium/ebpf/asm"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen/object"
)

// Kernels before 5.15 have no bpf_get_attach_cookie, with which a USDT
// program finds the spec of the place that fired (fetch/usdt.go). For them
// every program calling it gets a variant: the same code with the call
// turned into a load of the constant bpf.USDTSiteMarker. polrun replaces
// that constant by the place's key and loads one copy per place of the
// probe (loader/usdt.go), so each copy knows its place without a cookie,
// wherever the binary or library is mapped. The manifest names the
// variant (bpf.Program.NoCookie); polrun loads one or the other after
// probing for the helper. AddFallbacks, run after, gives the variant its
// own fallback without bpf_loop where the program needs one.

// noCookieSuffix names the variant of a program without
// bpf_get_attach_cookie.
const noCookieSuffix = "_nocookie"

func isCookieCall(ins asm.Instruction) bool {
	return ins.IsBuiltinCall() && ins.Constant == int64(asm.FnGetAttachCookie)
}

// AddNoCookie adds to obj the variant of every program calling
// bpf_get_attach_cookie once, names them in m's hooks and returns them
// (for dumps). A program calling it more than once, or a function calling
// it, is an error: the loader patches exactly one instruction.
func AddNoCookie(obj *object.Object, m *bpf.Manifest) ([]*object.Program, error) {
	for _, f := range obj.Funcs {
		for _, ins := range f.Insns {
			if isCookieCall(ins) {
				return nil, fmt.Errorf("function %s calls bpf_get_attach_cookie: only programs may", f.Name)
			}
		}
	}
	var out []*object.Program
	variant := map[string]string{}
	for _, p := range obj.Programs {
		if isMultiProgram(m, p.Name) {
			continue // kprobe_multi (5.18+) implies the cookie (kmulti.go)
		}
		calls := 0
		insns := make(asm.Instructions, len(p.Insns))
		for i, ins := range p.Insns {
			if isCookieCall(ins) {
				calls++
				n := asm.LoadImm(asm.R0, int64(bpf.USDTSiteMarker), asm.DWord)
				n.Metadata = ins.Metadata
				ins = n
			}
			insns[i] = ins
		}
		switch calls {
		case 0:
			continue
		case 1:
		default:
			return nil, fmt.Errorf("program %s calls bpf_get_attach_cookie %d times, not once", p.Name, calls)
		}
		c := *p
		// A section of its own; the loader gives the variant its
		// program's section and name.
		c.Name, c.Section, c.Insns = p.Name+noCookieSuffix, p.Section+"/nocookie", insns
		out = append(out, &c)
		variant[p.Name] = c.Name
	}
	obj.Programs = append(obj.Programs, out...)
	for i := range m.Hooks {
		for j, p := range m.Hooks[i].Programs {
			m.Hooks[i].Programs[j].NoCookie = variant[p.Name]
		}
	}
	return out, nil
}
