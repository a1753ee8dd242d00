package loader

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/polc-dev/polc/bpf"
)

// pickMulti chooses between each kprobe.multi program of m
// (bpf.Manifest.Multi, codegen/kmulti.go) and the single programs it
// stands for, and drops the others from spec. The multi program is kept
// where the kernel has kprobe_multi links, disable does not forbid them,
// none of its hooks is skipped, and every symbol it attaches to can be
// traced (tracefs available_filter_functions, which a kprobe_multi link
// needs; /proc/kallsyms when tracefs does not say): a missing symbol then
// fails or skips its single kprobe as it always does. It returns the names
// of the multi programs kept, and notes saying why one that the kernel
// could attach was not.
func pickMulti(m *bpf.Manifest, spec *ebpf.CollectionSpec, disable bool, skip map[int]bool) (map[string]bool, []string) {
	if len(m.Multi) == 0 {
		return nil, nil
	}
	ok := !disable && checkFeature(bpf.FeatureKprobeMulti) == nil
	var syms map[string]bool
	if ok {
		var wanted []string
		for _, mp := range m.Multi {
			wanted = append(wanted, mp.Symbols...)
		}
		syms = traceableSymbols(wanted)
	}
	used := map[string]bool{}
	var notes []string
	for _, mp := range m.Multi {
		use := ok && spec.Programs[mp.Name] != nil
		for i, id := range mp.Hooks {
			if use && (skip[id] || syms != nil && !syms[mp.Symbols[i]]) {
				use = false
				notes = append(notes, fmt.Sprintf("%s: %s cannot be traced on this kernel: its hooks are attached one link each", mp.Name, mp.Symbols[i]))
			}
		}
		if !use {
			delete(spec.Programs, mp.Name)
			continue
		}
		used[mp.Name] = true
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if used[p.Multi] {
				// pickPrograms drops its variants.
				delete(spec.Programs, p.Name)
			}
		}
	}
	return used, notes
}

// dropMulti drops m's multi programs from spec: for tools that load the
// single programs (PickPrograms).
func dropMulti(m *bpf.Manifest, spec *ebpf.CollectionSpec) {
	for _, mp := range m.Multi {
		delete(spec.Programs, mp.Name)
	}
}

// traceableSymbols says which of wanted a kprobe_multi link can attach
// to: the functions ftrace can trace (tracefs available_filter_functions),
// under any of their names. The file names each address once, and the
// x86 syscall wrappers of a syscall without arguments (__x64_sys_getpid,
// __ia32_sys_getpid) are aliases of the function it names
// (__do_sys_getpid), so a name it lacks is looked up in /proc/kallsyms
// and taken when its address is one of a traceable function. Without
// available_filter_functions (kernel lockdown refuses it), a name in
// kallsyms is taken; nil when neither can be read.
func traceableSymbols(wanted []string) map[string]bool {
	var traceable map[string]bool
	if ensureTracefs() == nil {
		traceable = readNames(tracefsDir+"/available_filter_functions", 0)
	}
	want := map[string]bool{}
	for _, w := range wanted {
		want[w] = true
	}
	// One pass over kallsyms: the addresses of the wanted names, and
	// which addresses are of traceable functions.
	addrOf := map[string]string{}
	traceableAddr := map[string]bool{}
	err := scanFields("/proc/kallsyms", func(fs []string) {
		if len(fs) < 3 || strings.Trim(fs[0], "0") == "" {
			return // no address (kptr_restrict)
		}
		if want[fs[2]] {
			addrOf[fs[2]] = fs[0]
		}
		if traceable[fs[2]] {
			traceableAddr[fs[0]] = true
		}
	})
	if err != nil {
		return traceable
	}
	out := map[string]bool{}
	for w := range want {
		a, ok := addrOf[w]
		switch {
		case traceable == nil:
			out[w] = ok
		default:
			out[w] = traceable[w] || ok && traceableAddr[a]
		}
	}
	return out
}

// readNames reads the field-th field of each line of file, nil when it
// cannot be read or holds none.
func readNames(file string, field int) map[string]bool {
	names := map[string]bool{}
	err := scanFields(file, func(fs []string) {
		if len(fs) > field {
			names[fs[field]] = true
		}
	})
	if err != nil || len(names) == 0 {
		return nil
	}
	return names
}

// scanFields calls fn with the fields of each line of file.
func scanFields(file string, fn func([]string)) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fn(strings.Fields(sc.Text()))
	}
	return sc.Err()
}

// attachMulti attaches a kprobe.multi program to its symbols, each with
// its hook's ID as cookie.
func attachMulti(mp bpf.MultiProgram, prog *ebpf.Program) (link.Link, error) {
	if len(mp.Symbols) != len(mp.Cookies) || len(mp.Symbols) != len(mp.Hooks) {
		return nil, fmt.Errorf("%w: multi program %s has %d symbols, %d cookies and %d hooks", ErrBadBundle, mp.Name, len(mp.Symbols), len(mp.Cookies), len(mp.Hooks))
	}
	opts := link.KprobeMultiOptions{Symbols: mp.Symbols, Cookies: mp.Cookies}
	switch mp.Attach {
	case bpf.AttachKprobeMulti:
		return link.KprobeMulti(prog, opts)
	case bpf.AttachKretprobeMulti:
		return link.KretprobeMulti(prog, opts)
	}
	return nil, fmt.Errorf("%w: cannot attach %q programs", ErrBadBundle, mp.Attach)
}

// multiLabel is how errors name a multi program's attachment.
func multiLabel(mp bpf.MultiProgram) string {
	return mp.Attach + " " + strings.Join(mp.Symbols, ",")
}

// checkMulti checks the multi programs of a bundle: in the object, of
// kprobe type, with one symbol and cookie per hook, serving kprobe hooks
// whose programs name them. It adds their names to named.
func checkMulti(m *bpf.Manifest, spec *ebpf.CollectionSpec, named map[string]bool) error {
	serves := map[string]map[int]bool{}
	for _, mp := range m.Multi {
		if ps := spec.Programs[mp.Name]; ps == nil || ps.Type != ebpf.Kprobe || !validPinName(mp.Name) || named[mp.Name] {
			return fmt.Errorf("%w: multi program %s is not a kprobe program of the object, or is named twice", ErrBadBundle, mp.Name)
		}
		if mp.Attach != bpf.AttachKprobeMulti && mp.Attach != bpf.AttachKretprobeMulti {
			return fmt.Errorf("%w: multi program %s: polrun cannot attach %q programs", ErrBadBundle, mp.Name, mp.Attach)
		}
		if len(mp.Hooks) == 0 || len(mp.Symbols) != len(mp.Hooks) || len(mp.Cookies) != len(mp.Hooks) {
			return fmt.Errorf("%w: multi program %s has %d hooks, %d symbols and %d cookies", ErrBadBundle, mp.Name, len(mp.Hooks), len(mp.Symbols), len(mp.Cookies))
		}
		named[mp.Name] = true
		serves[mp.Name] = map[int]bool{}
		for i, id := range mp.Hooks {
			if id < 0 || id >= len(m.Hooks) || m.Hooks[id].Kind != "kprobe" || m.Hooks[id].Target != mp.Symbols[i] || mp.Cookies[i] != uint64(id) {
				return fmt.Errorf("%w: multi program %s: hook %d is not a kprobe on %s with that cookie", ErrBadBundle, mp.Name, id, mp.Symbols[i])
			}
			serves[mp.Name][id] = true
		}
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			if p.Multi != "" && !serves[p.Multi][h.ID] {
				return fmt.Errorf("%w: hook %d (%s %s): program %s names multi program %s, which does not serve the hook", ErrBadBundle, h.ID, h.Kind, h.Target, p.Name, p.Multi)
			}
		}
	}
	return nil
}
