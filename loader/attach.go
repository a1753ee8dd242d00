package loader

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
)

// attachProgram attaches one program of hook h as its manifest entry says.
func attachProgram(h bpf.Hook, p bpf.Program, prog *ebpf.Program) (link.Link, error) {
	switch p.Attach {
	case "kprobe":
		return link.Kprobe(h.Target, prog, nil)
	case "kretprobe":
		return link.Kretprobe(h.Target, prog, nil)
	case "tracepoint":
		group, name, ok := strings.Cut(h.Target, "/")
		if !ok {
			return nil, fmt.Errorf("tracepoint %q is not SUBSYS/EVENT", h.Target)
		}
		return link.Tracepoint(group, name, prog, nil)
	case "raw_tracepoint":
		// The kernel names raw tracepoints by event alone.
		name := p.Target
		if name == "" {
			_, name = splitTracepoint(h.Target)
		}
		return link.AttachRawTracepoint(link.RawTracepointOptions{Name: name, Program: prog})
	case "uprobe", "uretprobe":
		if h.Symbol == "" && h.Offset == 0 && h.Addr == 0 {
			return nil, fmt.Errorf("uprobe on %s has no symbol, offset or address", h.Target)
		}
		ex, err := link.OpenExecutable(h.Target)
		if err != nil {
			return nil, err
		}
		// Offset is from the symbol, or without one the file offset;
		// an address (addrs) is mapped to its file offset (uprobejump.go).
		opts := &link.UprobeOptions{Offset: h.Offset, RefCtrOffset: h.RefCtrOffset}
		switch {
		case h.Symbol == "" && h.Addr != 0:
			off, err := addrFileOffset(h.Target, h.Addr)
			if err != nil {
				return nil, err
			}
			opts = &link.UprobeOptions{Address: off, RefCtrOffset: h.RefCtrOffset}
		case h.Symbol == "":
			opts = &link.UprobeOptions{Address: h.Offset, RefCtrOffset: h.RefCtrOffset}
		}
		if p.Attach == "uretprobe" {
			return ex.Uretprobe(h.Symbol, prog, opts)
		}
		return ex.Uprobe(h.Symbol, prog, opts)
	case "lsm":
		return link.AttachLSM(link.LSMOptions{Program: prog})
	case "fmod_ret":
		return link.AttachTracing(link.TracingOptions{Program: prog, AttachType: ebpf.AttachModifyReturn})
	case "fentry":
		return link.AttachTracing(link.TracingOptions{Program: prog, AttachType: ebpf.AttachTraceFEntry})
	case "fexit":
		return link.AttachTracing(link.TracingOptions{Program: prog, AttachType: ebpf.AttachTraceFExit})
	}
	return nil, fmt.Errorf("cannot attach %q programs", p.Attach)
}

// missingTarget reports whether err says the hook's target does not exist
// on this kernel or host (a kernel symbol, a binary, a symbol in it), which
// ignoreMissing hooks tolerate.
func missingTarget(err error) bool {
	return errors.Is(err, os.ErrNotExist) || errors.Is(err, link.ErrNoSymbol)
}

// btfFuncExists reports whether the kernel's BTF has a function named fn:
// the target of lsm (bpf_lsm_fn), fmod_ret, fentry and fexit programs.
func btfFuncExists(fn string) bool {
	spec, err := kernelSpec()
	if err != nil {
		return false
	}
	var f *btf.Func
	return spec.TypeByName(fn, &f) == nil
}

// hookLabel is how errors and listings name a hook.
func hookLabel(h bpf.Hook) string {
	if h.Symbol != "" {
		return h.Kind + " " + h.Target + ":" + h.Symbol
	}
	return h.Kind + " " + h.Target
}
