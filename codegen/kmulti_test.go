package codegen

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/polc-dev/polc/bpf"
)

// kmultiYAML: a list of three syscalls with a return probe, two kprobes
// on functions with the same arguments and selectors, one that differs,
// two with a rate limit (keyed by their hook), and a list with a symbol
// twice, of the same code as the two.
const kmultiYAML = `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: kmulti
spec:
%s  lists:
  - name: ids
    type: syscalls
    values: ["sys_getppid", "sys_getpid", "sys_gettid"]
  - name: dups
    values: ["vfs_fsync", "vfs_fsync"]
  kprobes:
  - call: "list:ids"
    syscall: true
    return: true
    returnArg: {index: 0, type: int}
    selectors:
    - matchBinaries:
      - {operator: In, values: ["/bin/true"]}
  - call: "vfs_read"
    args: [{index: 0, type: file}]
  - call: "vfs_write"
    args: [{index: 0, type: file}]
  - call: "vfs_readv"
    args: [{index: 0, type: file}, {index: 2, type: int}]
  - call: "vfs_open"
    args: [{index: 0, type: int}]
    selectors:
    - matchActions: [{action: Post, rateLimit: "1m"}]
  - call: "vfs_statx"
    args: [{index: 0, type: int}]
    selectors:
    - matchActions: [{action: Post, rateLimit: "1m"}]
  - call: "list:dups"
    args: [{index: 0, type: file}]
`

// TestKprobeMultiGroups: hooks whose programs differ only in their ID
// share a kprobe.multi program (and a kretprobe.multi one for return
// probes), named in the manifest with their symbols and cookies; the
// others keep their single programs only; disable-kprobe-multi leaves
// every hook single.
func TestKprobeMultiGroups(t *testing.T) {
	b := buildSource(t, "kmulti.yaml", fmt.Sprintf(kmultiYAML, ""))
	m := b.Manifest
	type group struct {
		attach  string
		symbols []string
		cookies []uint64
	}
	var got []group
	for _, mp := range m.Multi {
		got = append(got, group{mp.Attach, mp.Symbols, mp.Cookies})
		for i, id := range mp.Hooks {
			if mp.Cookies[i] != uint64(id) || m.Hooks[id].Target != mp.Symbols[i] {
				t.Errorf("%s: hooks %v, symbols %v, cookies %v: the cookie is the hook's ID", mp.Name, mp.Hooks, mp.Symbols, mp.Cookies)
			}
		}
	}
	ids := []string{"__x64_sys_getppid", "__x64_sys_getpid", "__x64_sys_gettid"}
	want := []group{
		{bpf.AttachKprobeMulti, ids, []uint64{0, 1, 2}},
		{bpf.AttachKretprobeMulti, ids, []uint64{0, 1, 2}},
		// The list's second vfs_fsync (hook 9) keeps its single program:
		// a kprobe_multi link takes each symbol once.
		{bpf.AttachKprobeMulti, []string{"vfs_read", "vfs_write", "vfs_fsync"}, []uint64{3, 4, 8}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("multi programs\n got %+v\nwant %+v", got, want)
	}
	for _, h := range m.Hooks {
		for _, p := range h.Programs {
			grouped := h.ID <= 4 || h.ID == 8
			if (p.Multi != "") != grouped {
				t.Errorf("hook %d %s: program %s names multi program %q", h.ID, h.Target, p.Name, p.Multi)
			}
		}
	}
	// The multi programs take the hook from the cookie and have no
	// variants: kprobe_multi kernels have bpf_loop and cookies.
	for _, p := range b.Programs {
		if !isMultiProgram(m, p.Name) {
			continue
		}
		cookie := false
		for _, ins := range p.Insns {
			cookie = cookie || isCookieCall(ins)
		}
		if strings.HasPrefix(p.Section, "kprobe.multi/") && !cookie {
			t.Errorf("%s does not call bpf_get_attach_cookie", p.Name)
		}
	}
	for _, p := range b.NoCookie {
		if strings.Contains(p.Name, "multi") {
			t.Errorf("a variant without cookie of %s", p.Name)
		}
	}

	off := buildSource(t, "kmulti.yaml", fmt.Sprintf(kmultiYAML, "  options:\n  - name: disable-kprobe-multi\n    value: \"true\"\n"))
	if len(off.Manifest.Multi) != 0 {
		t.Errorf("disable-kprobe-multi: %d multi programs", len(off.Manifest.Multi))
	}
	// The single programs are the same either way.
	if got, want := len(off.Programs), len(b.Programs)-len(m.Multi); got != want {
		t.Errorf("disable-kprobe-multi: %d programs, want %d", got, want)
	}
}
