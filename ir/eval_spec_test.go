package ir_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/polc-dev/polc/arch"
	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
)

// The examples of the specification (shared/spec), each lowered and run
// through Eval with events that must and must not match. Test names say
// where the example is: file, section, and which example of the section.
//
// Where the specification writes placeholders (pid1, fdString1, arg0) the
// tests use concrete values: pid1..pid3 are 101..103. Where its YAML is
// not a valid policy as printed (matchArgs indented less than matchPIDs
// in "Selector Semantics", "followforks" spelled in lower case under
// "PIDs filter"), the tests use the policy the text describes.

// Namespace inodes of the host, and of a container.
const (
	hostPidNS, hostMntNS, hostNetNS, hostUserNS = 4026531836, 4026531841, 4026531840, 4026531837
	ctrPidNS, ctrMntNS, ctrNetNS                = 4026532300, 4026532301, 4026532302
)

var host = ir.Host{NS: func() (ns [ir.NumNamespaces]uint32) {
	ns[ir.NsPid], ns[ir.NsMnt], ns[ir.NsNet], ns[ir.NsUser] = hostPidNS, hostMntNS, hostNetNS, hostUserNS
	return
}()}

// hostProc is a process on the host: in every host namespace, child of
// systemd (PID 1).
func hostProc(pid uint32, bin string) ir.Process {
	p := ir.Process{PID: pid, NsPID: pid, Binary: bin, NS: host.NS, ExecNS: host.NS,
		Ancestors: []ir.Ancestor{{PID: 1, NsPID: 1, Binary: "/usr/lib/systemd/systemd", PidNS: hostPidNS}}}
	return p
}

// Processes of a container whose init is host PID 5000 (PID 1 inside),
// started by containerd-shim (host PID 4990).
var (
	shim = ir.Ancestor{PID: 4990, NsPID: 4990, Binary: "/usr/bin/containerd-shim", PidNS: hostPidNS}
	sysd = ir.Ancestor{PID: 1, NsPID: 1, Binary: "/usr/lib/systemd/systemd", PidNS: hostPidNS}
)

func ctrNS() [ir.NumNamespaces]uint32 {
	ns := host.NS
	ns[ir.NsPid], ns[ir.NsMnt], ns[ir.NsNet] = ctrPidNS, ctrMntNS, ctrNetNS
	return ns
}

// ctrInit is the container's init; ctrChild a process it started;
// kubectlExec a process kubectl exec started in the container: its parent
// is runc, outside the container's PID namespace.
func ctrInit() ir.Process {
	return ir.Process{PID: 5000, NsPID: 1, Binary: "/app/server", NS: ctrNS(), ExecNS: ctrNS(),
		Ancestors: []ir.Ancestor{shim, sysd}}
}

func ctrChild() ir.Process {
	return ir.Process{PID: 5010, NsPID: 7, Binary: "/bin/sh", NS: ctrNS(), ExecNS: ctrNS(),
		Ancestors: []ir.Ancestor{{PID: 5000, NsPID: 1, Binary: "/app/server", PidNS: ctrPidNS}, shim, sysd}}
}

func kubectlExec() ir.Process {
	return ir.Process{PID: 6000, NsPID: 12, Binary: "/bin/bash", NS: ctrNS(), ExecNS: ctrNS(),
		Ancestors: []ir.Ancestor{{PID: 5990, NsPID: 5990, Binary: "/usr/bin/runc", PidNS: hostPidNS}, shim, sysd}}
}

// event builds an event of p with the given argument values (by slot).
func event(p ir.Process, args ...ir.ArgValue) *ir.Event {
	return &ir.Event{Process: p, Host: host, Args: args}
}

func num(n int64) ir.ArgValue  { return ir.ArgValue{Int: n} }
func str(s string) ir.ArgValue { return ir.ArgValue{Bytes: []byte(s)} }
func withRet(ev *ir.Event, r int64) *ir.Event {
	ev.Return = num(r)
	return ev
}

// want is what Eval must decide: the index of the selector that matches
// (-1: none; noSelectors: the hook has none), whether an event is posted,
// and (when not nil) the kinds of the entry actions.
type want struct {
	sel     int
	posted  bool
	actions []ir.ActionKind
}

const noSelectors = -2

var (
	none = want{sel: -1}
	sel0 = want{sel: 0, posted: true}
	sel1 = want{sel: 1, posted: true}
)

type evalCase struct {
	name   string
	ev     *ir.Event
	want   want
	hookID int
}

// lowerSpec lowers a policy for x86_64, failing on any error.
func lowerSpec(t *testing.T, src string) *ir.Policy {
	t.Helper()
	res := compiler.Check([]*compiler.Source{compiler.NewSource("spec.yaml", []byte(src))}, compiler.Options{})
	if res.Errors() > 0 || len(res.Policies) != 1 {
		t.Fatalf("example does not check: %v", res.Diagnostics)
	}
	p, diags := compiler.Lower(res.Policies[0], compiler.LowerOptions{Arch: arch.X86_64, Verify: true})
	if p == nil {
		t.Fatalf("example does not lower: %v", diags)
	}
	return p
}

// kprobe wraps hook YAML (a kprobes entry, indented two spaces as under
// "kprobes:") into a policy.
func kprobe(hooks string) string {
	return "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: spec-example\nspec:\n  kprobes:\n" + hooks
}

func runCases(t *testing.T, p *ir.Policy, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		h := p.Hooks[c.hookID]
		res, err := ir.Eval(h, c.ev)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := want{sel: -1, posted: res.Posted}
		switch {
		case res.Matched && res.Selector == nil:
			got.sel = noSelectors
		case res.Selector != nil:
			got.sel = res.Selector.Index
		}
		if !res.Matched && res.Selector != nil {
			t.Errorf("%s: not matched, yet selector %d", c.name, res.Selector.Index)
		}
		var kinds []ir.ActionKind
		for _, a := range res.Actions {
			kinds = append(kinds, a.Kind)
		}
		if got.sel != c.want.sel || got.posted != c.want.posted || c.want.actions != nil && !slices.Equal(kinds, c.want.actions) {
			t.Errorf("%s: got selector %d posted %v actions %v; want selector %d posted %v actions %v",
				c.name, got.sel, got.posted, kinds, c.want.sel, c.want.posted, c.want.actions)
		}
	}
}

// fdInstall is the fd_install hook of the specification with the given
// selectors (YAML indented as under "selectors:" of a kprobe).
func fdInstall(selectors string) string {
	return kprobe(`  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "file"
    selectors:
` + selectors)
}

func TestEvalSpecTracingPolicy(t *testing.T) {
	cat := hostProc(300, "/usr/bin/cat")
	for _, tc := range []struct {
		name   string
		policy string
		cases  []evalCase
	}{
		{"tracing-policy.md/Getting_started", fdInstall(`    - matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/etc/passwd"
        - "/etc/shadow"
`), []evalCase{
			{name: "passwd", ev: event(cat, num(3), str("/etc/passwd")), want: sel0},
			{name: "shadow", ev: event(cat, num(3), str("/etc/shadow")), want: sel0},
			{name: "a prefix of it", ev: event(cat, num(3), str("/etc/pass")), want: none},
			{name: "longer", ev: event(cat, num(3), str("/etc/passwd-")), want: none},
			{name: "other file", ev: event(cat, num(3), str("/etc/hosts")), want: none},
		}},
		{"tracing-policy.md/Arguments_filter/Prefix", fdInstall(`    - matchArgs:
      - index: 1
        operator: "Prefix"
        values:
        - "/etc"
`), []evalCase{
			{name: "under /etc", ev: event(cat, num(3), str("/etc/hosts")), want: sel0},
			{name: "/etc itself", ev: event(cat, num(3), str("/etc")), want: sel0},
			{name: "/etcetera", ev: event(cat, num(3), str("/etcetera")), want: sel0}, // a byte prefix, not a directory
			{name: "/var/etc", ev: event(cat, num(3), str("/var/etc/x")), want: none},
		}},
		{"tracing-policy.md/Arguments_filter/fd_and_prefix", fdInstall(`    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "3"
      - index: 1
        operator: "Prefix"
        values:
        - "/etc"
`), []evalCase{
			{name: "fd 3 under /etc", ev: event(cat, num(3), str("/etc/hosts")), want: sel0},
			{name: "fd 4 under /etc", ev: event(cat, num(4), str("/etc/hosts")), want: none},
			{name: "fd 3 elsewhere", ev: event(cat, num(3), str("/tmp/x")), want: none},
		}},
		{"tracing-policy.md/Return_args_filter", kprobe(`  - call: "sys_openat"
    syscall: true
    return: true
    args:
    - index: 1
      type: "string"
    returnArg:
      index: 0
      type: "int"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values: ["/etc/shadow"]
      matchReturnArgs:
      - operator: "NotEqual"
        values:
        - 0
`), []evalCase{
			{name: "failed open of /etc/shadow", ev: withRet(event(cat, str("/etc/shadow")), -1), want: sel0},
			{name: "successful open returns 0", ev: withRet(event(cat, str("/etc/shadow")), 0), want: want{sel: 0, posted: false}},
			{name: "other file", ev: withRet(event(cat, str("/etc/hosts")), -1), want: none},
		}},
		{"tracing-policy.md/PIDs_filter", fdInstall(`    - matchPIDs:
      - operator: "In"
        followForks: true
        values: [101, 102, 103]
`), []evalCase{
			{name: "pid2", ev: event(hostProc(102, "/bin/x"), num(3), str("/a")), want: sel0},
			{name: "child of pid3", ev: event(ir.Process{PID: 400, Ancestors: []ir.Ancestor{{PID: 103}, {PID: 1}}}, num(3), str("/a")), want: sel0},
			{name: "unrelated", ev: event(hostProc(104, "/bin/x"), num(3), str("/a")), want: none},
		}},
		{"tracing-policy.md/PIDs_filter/kubectl_exec", fdInstall(`    - matchPIDs:
      - operator: NotIn
        followForks: false
        isNamespacePID: true
        values:
        - 1
`), []evalCase{
			// Without followForks only the process itself counts: every
			// process but the container's init passes.
			{name: "container init", ev: event(ctrInit(), num(3), str("/a")), want: none},
			{name: "child of init", ev: event(ctrChild(), num(3), str("/a")), want: sel0},
			{name: "kubectl exec", ev: event(kubectlExec(), num(3), str("/a")), want: sel0},
		}},
		{"tracing-policy.md/Binaries_filter", fdInstall(`    - matchBinaries:
      - operator: "In"
        values:
        - "/usr/bin/cat"
        - "/usr/bin/tail"
`), []evalCase{
			{name: "cat", ev: event(cat, num(3), str("/a")), want: sel0},
			{name: "tail", ev: event(hostProc(301, "/usr/bin/tail"), num(3), str("/a")), want: sel0},
			{name: "child of cat", ev: event(ir.Process{PID: 9, Binary: "/bin/sh", Ancestors: []ir.Ancestor{{PID: 300, Binary: "/usr/bin/cat"}}}, num(3), str("/a")), want: none},
			{name: "catalog", ev: event(hostProc(302, "/usr/bin/catalog"), num(3), str("/a")), want: none},
		}},
		{"tracing-policy.md/Binaries_filter/sshd_writes", kprobe(`  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
    # match to /sbin/sshd
    - matchBinaries:
      - operator: "In"
        values:
        - "/usr/sbin/sshd"
    # match to stdin/stdout/stderr
      matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "1"
        - "2"
        - "3"
`), []evalCase{
			{name: "sshd writes fd 1", ev: event(hostProc(22, "/usr/sbin/sshd"), num(1), str("hi"), num(2)), want: sel0},
			{name: "sshd writes fd 5", ev: event(hostProc(22, "/usr/sbin/sshd"), num(5), str("hi"), num(2)), want: none},
			{name: "cat writes fd 1", ev: event(cat, num(1), str("hi"), num(2)), want: none},
		}},
		{"tracing-policy.md/Namespaces_filter", fdInstall(`    - matchNamespaces:
      - namespace: Pid
        operator: In
        values:
        - "4026531836"
        - "4026531835"
`), []evalCase{
			{name: "host pid ns", ev: event(cat, num(3), str("/a")), want: sel0},
			{name: "container", ev: event(ctrChild(), num(3), str("/a")), want: none},
		}},
		{"tracing-policy.md/Namespaces_filter/Pid_and_Mnt", fdInstall(`    - matchNamespaces:
      - namespace: Pid
        operator: In
        values:
        - "4026531836"
        - "4026531835"
      - namespace: Mnt
        operator: In
        values:
        - "4026531833"
        - "4026531834"
`), []evalCase{
			{name: "host pid, other mnt", ev: event(cat, num(3), str("/a")), want: none},
			{name: "both", ev: func() *ir.Event {
				p := cat
				p.NS[ir.NsMnt] = 4026531834
				return event(p, num(3), str("/a"))
			}(), want: sel0},
		}},
		{"tracing-policy.md/Namespaces_filter/example_ns_1", kprobe(`    - call: "fd_install"
      syscall: false
      args:
        - index: 0
          type: int
        - index: 1
          type: "file"
      selectors:
        - matchBinaries:
          - operator: "In"
            values:
            - "/bin/cat"
          matchArgs:
          - index: 1
            operator: "Equal"
            values:
            - "/etc/shadow"
          matchNamespaces:
          - namespace: Mnt
            operator: In
            values:
            - "host_ns"
        - matchBinaries:
          - operator: "In"
            values:
            - "/bin/cat"
          matchArgs:
          - index: 1
            operator: "Equal"
            values:
            - "/etc/shadow"
          matchNamespaces:
          - namespace: Net
            operator: In
            values:
            - "host_ns"
`), nsCases(0, 1)},
		{"tracing-policy.md/Namespaces_filter/example_ns_2", kprobe(`    - call: "fd_install"
      syscall: false
      args:
        - index: 0
          type: int
        - index: 1
          type: "file"
      selectors:
        - matchBinaries:
          - operator: "In"
            values:
            - "/bin/cat"
          matchArgs:
          - index: 1
            operator: "Equal"
            values:
            - "/etc/shadow"
          matchNamespaces:
          - namespace: Mnt
            operator: In
            values:
            - "host_ns"
          - namespace: Net
            operator: In
            values:
            - "host_ns"
`), nsCases(-1, -1)},
		{"tracing-policy.md/Capabilities_filter", fdInstall(`    - matchCapabilities:
      - type: Effective
        operator: In
        values:
        - "CAP_CHOWN"
        - "CAP_NET_RAW"
`), []evalCase{
			{name: "CAP_NET_RAW", ev: event(withCaps(cat, 1<<13), num(3), str("/a")), want: sel0},
			{name: "CAP_CHOWN and more", ev: event(withCaps(cat, 1<<0|1<<21), num(3), str("/a")), want: sel0},
			{name: "CAP_SYS_ADMIN only", ev: event(withCaps(cat, 1<<21), num(3), str("/a")), want: none},
			{name: "permitted, not effective", ev: func() *ir.Event {
				p := cat
				p.Caps[ir.CapPermitted] = 1 << 13
				return event(p, num(3), str("/a"))
			}(), want: none},
		}},
		{"tracing-policy.md/Namespace_changes_filter", fdInstall(`    - matchNamespaceChanges:
      - operator: In
        values:
        - "Mnt"
`), []evalCase{
			{name: "unshare -m after exec", ev: func() *ir.Event {
				p := cat
				p.NS[ir.NsMnt] = 4026532999
				return event(p, num(3), str("/a"))
			}(), want: sel0},
			{name: "net changed, mnt not", ev: func() *ir.Event {
				p := cat
				p.NS[ir.NsNet] = 4026532999
				return event(p, num(3), str("/a"))
			}(), want: none},
			{name: "no change", ev: event(cat, num(3), str("/a")), want: none},
		}},
		{"tracing-policy.md/Capability_changes_filter", fdInstall(`    - matchCapabilityChanges:
      - type: Effective
        operator: In
        isNamespaceCapability: false
        values:
        - "CAP_SETUID"
`), []evalCase{
			{name: "gained CAP_SETUID", ev: event(withCaps(cat, 1<<7), num(3), str("/a")), want: sel0},
			{name: "lost CAP_SETUID", ev: func() *ir.Event {
				p := cat
				p.ExecCaps[ir.CapEffective] = 1 << 7
				return event(p, num(3), str("/a"))
			}(), want: sel0},
			{name: "gained CAP_KILL only", ev: event(withCaps(cat, 1<<5), num(3), str("/a")), want: none},
			{name: "unchanged CAP_SETUID", ev: func() *ir.Event {
				p := withCaps(cat, 1<<7)
				p.ExecCaps = p.Caps
				return event(p, num(3), str("/a"))
			}(), want: none},
		}},
		{"tracing-policy.md/Sigkill_action", kprobe(`  - call: "sys_write"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values:
        - 0
        - 1
      matchArgs:
      - index: 0
        operator: "Prefix"
        values:
        - "/etc/passwd"
      matchActions:
      - action: Sigkill
`), []evalCase{
			{name: "kubectl exec writes /etc/passwd", ev: event(kubectlExec(), str("/etc/passwd"), str("x"), num(1)),
				want: want{sel: 0, posted: true, actions: []ir.ActionKind{ir.ActSigkill, ir.ActPost}}},
			{name: "child of container init writes it", ev: event(ctrChild(), str("/etc/passwd"), str("x"), num(1)), want: none},
			{name: "container init writes it", ev: event(ctrInit(), str("/etc/passwd"), str("x"), num(1)), want: none},
			{name: "host process writes it", ev: event(cat, str("/etc/passwd"), str("x"), num(1)), want: none},
			{name: "kubectl exec writes elsewhere", ev: event(kubectlExec(), str("/tmp/x"), str("x"), num(1)), want: none},
		}},
		{"tracing-policy.md/Override_action", kprobe(`  - call: "sys_symlinkat"
    syscall: true
    args:
    - index: 0
      type: "string"
    - index: 1
      type: "int"
    - index: 2
      type: "string"
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "/etc/passwd\0"
      matchActions:
      - action: Override
        argError: -1
`), []evalCase{
			{name: "target /etc/passwd", ev: event(cat, str("/etc/passwd"), num(-100), str("/tmp/l")),
				want: want{sel: 0, posted: true, actions: []ir.ActionKind{ir.ActOverride, ir.ActPost}}},
			{name: "other target", ev: event(cat, str("/etc/hosts"), num(-100), str("/tmp/l")), want: none},
		}},
		{"tracing-policy.md/FollowFD_action", fdInstall(`    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values: [0, 1]
      matchArgs:
      - index: 1
        operator: "Prefix"
        values: ["/etc/"]
      matchActions:
      - action: FollowFD
        argFd: 0
        argName: 1
`), []evalCase{
			// The example's "# [...]" filters are filled in as the
			// Sigkill example has them.
			{name: "kubectl exec opens /etc/passwd", ev: event(kubectlExec(), num(3), str("/etc/passwd")),
				want: want{sel: 0, posted: true, actions: []ir.ActionKind{ir.ActFollowFD, ir.ActPost}}},
			{name: "kubectl exec opens /tmp/x", ev: event(kubectlExec(), num(3), str("/tmp/x")), want: none},
		}},
		{"tracing-policy.md/CopyFD_action", kprobe(`  - call: "sys_dup2"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "int"
    selectors:
    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values: [0, 1]
      matchActions:
      - action: CopyFD
        argFd: 0
        argName: 1
  - call: "sys_dup3"
    syscall: true
    args:
    - index: 0
      type: "fd"
    - index: 1
      type: "int"
    - index: 2
      type: "int"
    selectors:
    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values: [0, 1]
      matchActions:
      - action: CopyFD
        argFd: 0
        argName: 1
`), []evalCase{
			{name: "dup2 by kubectl exec", ev: event(kubectlExec(), str("/etc/passwd"), num(5)),
				want: want{sel: 0, posted: true, actions: []ir.ActionKind{ir.ActCopyFD, ir.ActPost}}},
			{hookID: 1, name: "dup3 by kubectl exec", ev: event(kubectlExec(), str("/etc/passwd"), num(5), num(0)),
				want: want{sel: 0, posted: true, actions: []ir.ActionKind{ir.ActCopyFD, ir.ActPost}}},
			{hookID: 1, name: "dup3 by init's child", ev: event(ctrChild(), str("/etc/passwd"), num(5), num(0)), want: none},
		}},
		{"tracing-policy.md/UnfollowFD_action", kprobe(`  - call: "sys_close"
    syscall: true
    args:
    - index: 0
      type: "int"
    selectors:
    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values:
        - 0
        - 1
      matchActions:
      - action: UnfollowFD
        argFd: 0
`), []evalCase{
			{name: "kubectl exec closes", ev: event(kubectlExec(), num(4)), want: want{sel: 0, posted: true, actions: []ir.ActionKind{ir.ActUnfollowFD, ir.ActPost}}},
			{name: "init's child closes", ev: event(ctrChild(), num(4)), want: none},
		}},
		{"tracing-policy.md/GetUrl_and_DnsLookup_actions", fdInstall(`    - matchActions:
      - action: GetUrl
        argUrl: http://ebpf.io
      - action: DnsLookup
        argFqdn: ebpf.io
`), []evalCase{
			{name: "any call", ev: event(cat, num(3), str("/a")), want: want{sel: 0, posted: true,
				actions: []ir.ActionKind{ir.ActGetURL, ir.ActDNSLookup, ir.ActPost}}},
		}},
		{"tracing-policy.md/Post_action", fdInstall(`    - matchActions:
      - action: Post
`), []evalCase{
			{name: "posts", ev: event(cat, num(3), str("/a")), want: want{sel: 0, posted: true, actions: []ir.ActionKind{ir.ActPost}}},
		}},
		{"tracing-policy.md/No_selectors", kprobe(`  - call: "fd_install"
    syscall: false
`), []evalCase{
			{name: "every call", ev: event(cat), want: want{sel: noSelectors, posted: true}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runCases(t, lowerSpec(t, tc.policy), tc.cases)
		})
	}
}

func withCaps(p ir.Process, eff uint64) ir.Process {
	p.Caps[ir.CapEffective] = eff
	return p
}

// nsCases are the events of the example_ns_* policies: cat opening
// /etc/shadow with host Mnt and/or Net namespaces. mntOnly and netOnly are
// the selectors expected to match when only that namespace is the host's
// (-1: none).
func nsCases(mntOnly, netOnly int) []evalCase {
	proc := func(hostMnt, hostNet bool) ir.Process {
		p := hostProc(300, "/bin/cat")
		if !hostMnt {
			p.NS[ir.NsMnt] = ctrMntNS
		}
		if !hostNet {
			p.NS[ir.NsNet] = ctrNetNS
		}
		return p
	}
	sel := func(i int) want {
		if i < 0 {
			return none
		}
		return want{sel: i, posted: true}
	}
	return []evalCase{
		{name: "host mnt and net", ev: event(proc(true, true), num(3), str("/etc/shadow")), want: sel0},
		{name: "host mnt only", ev: event(proc(true, false), num(3), str("/etc/shadow")), want: sel(mntOnly)},
		{name: "host net only", ev: event(proc(false, true), num(3), str("/etc/shadow")), want: sel(netOnly)},
		{name: "neither", ev: event(proc(false, false), num(3), str("/etc/shadow")), want: none},
		{name: "other file", ev: event(proc(true, true), num(3), str("/etc/passwd")), want: none},
		{name: "other binary", ev: event(hostProc(301, "/bin/less"), num(3), str("/etc/shadow")), want: none},
	}
}

// selSemantics is the hook of the "Selector Semantics" examples: an
// argument 0 of the example's type, a buffer and an integer, so that arg0,
// arg2 and string compares all have something to read. The examples name
// sys_read, whose argument 0 is an unsigned int fd, which validate warns
// against reading as a string or file (arg-type-mismatch): the hook is a
// kernel function whose argument 0 is unchecked without a target.
func selSemantics(arg0Type, selectors string) string {
	return kprobe(fmt.Sprintf(`  - call: "vfs_read"
    syscall: false
    args:
    - index: 0
      type: %q
    - index: 1
      type: "char_buf"
      sizeArgIndex: 3
    - index: 2
      type: "size_t"
    selectors:
%s`, arg0Type, selectors))
}

func TestEvalSpecSelectorSemantics(t *testing.T) {
	// PIDs 101..103 stand for pid1..pid3.
	p := func(pid uint32, ancestors ...uint32) ir.Process {
		pr := hostProc(pid, "/bin/x")
		pr.Ancestors = nil
		for _, a := range ancestors {
			pr.Ancestors = append(pr.Ancestors, ir.Ancestor{PID: a, NsPID: a, PidNS: hostPidNS})
		}
		return pr
	}
	for _, tc := range []struct {
		name   string
		policy string
		cases  []evalCase
	}{
		{"tracing-policy.md/Selector_Semantics/pids_and_args", selSemantics("string", `    - matchPIDs:
      - operator: In
        followForks: true
        values: [101, 102, 103]
      matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - fdString1
`), []evalCase{
			{name: "pid1 and fdString1", ev: event(p(101), str("fdString1"), str(""), num(0)), want: sel0},
			{name: "pid1, other string", ev: event(p(101), str("fdString2"), str(""), num(0)), want: none},
			{name: "fdString1, other pid", ev: event(p(104, 1), str("fdString1"), str(""), num(0)), want: none},
			{name: "fork of pid3", ev: event(p(900, 103, 1), str("fdString1"), str(""), num(0)), want: sel0},
		}},
		{"tracing-policy.md/Selector_Semantics/Multiple_values/NotIn", selSemantics("file", `    - matchPIDs:
      - operator: NotIn
        followForks: true
        values:
        - 0
        - 1
      matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "/etc/passwd"
`), []evalCase{
			// Host PIDs: every process descends from 1, so only one
			// outside that tree (a kernel thread's child of kthreadd,
			// whose parent is 0 — also listed) would pass: none here.
			{name: "child of init", ev: event(p(500, 1), str("/etc/passwd"), str(""), num(0)), want: none},
			{name: "orphan tree without 0 and 1", ev: event(p(500, 400), str("/etc/passwd"), str(""), num(0)), want: sel0},
			{name: "init itself", ev: event(p(1, 0), str("/etc/passwd"), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Multiple_values/Equal", selSemantics("file", `    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values:
        - 0
        - 1
      matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "/etc/passwd"
        - "/etc/shadow"
`), []evalCase{
			{name: "kubectl exec reads shadow", ev: event(kubectlExec(), str("/etc/shadow"), str(""), num(0)), want: sel0},
			{name: "kubectl exec reads passwd", ev: event(kubectlExec(), str("/etc/passwd"), str(""), num(0)), want: sel0},
			{name: "kubectl exec reads hosts", ev: event(kubectlExec(), str("/etc/hosts"), str(""), num(0)), want: none},
			{name: "init's child reads shadow", ev: event(ctrChild(), str("/etc/shadow"), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Multiple_operators/matchPIDs", selSemantics("int", `    - matchPIDs:
      - operator: In
        followForks: true
        values:
        - 101
      - operator: NotIn
        followForks: true
        values:
        - 102
`), []evalCase{
			{name: "pid1", ev: event(p(101, 1), num(0), str(""), num(0)), want: sel0},
			{name: "fork of pid1", ev: event(p(300, 101, 1), num(0), str(""), num(0)), want: sel0},
			{name: "fork of pid1 under pid2", ev: event(p(300, 101, 102, 1), num(0), str(""), num(0)), want: none},
			{name: "fork of pid2 under pid1", ev: event(p(300, 102, 101, 1), num(0), str(""), num(0)), want: none},
			{name: "unrelated", ev: event(p(300, 1), num(0), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Multiple_operators/matchArgs", selSemantics("int", `    - matchPIDs:
      - operator: In
        followForks: true
        values: [101, 102, 103]
      matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - 1
      - index: 2
        operator: "lt"
        values:
        - 500
`), []evalCase{
			{name: "arg0=1 arg2=499", ev: event(p(102), num(1), str(""), num(499)), want: sel0},
			{name: "arg0=1 arg2=500", ev: event(p(102), num(1), str(""), num(500)), want: none},
			{name: "arg0=2 arg2=0", ev: event(p(102), num(2), str(""), num(0)), want: none},
			{name: "arg2 is size_t: -1 is huge", ev: event(p(102), num(1), str(""), num(-1)), want: none},
			{name: "other pid", ev: event(p(104), num(1), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Operator_types/Equal", selSemantics("string", `    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - "arg0"
        - "arg1"
        - "arg2"
`), []evalCase{
			{name: "arg1", ev: event(p(5), str("arg1"), str(""), num(0)), want: sel0},
			{name: "arg2", ev: event(p(5), str("arg2"), str(""), num(0)), want: sel0},
			{name: "arg3", ev: event(p(5), str("arg3"), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Operator_types/NotEqual", selSemantics("string", `    - matchArgs:
      - index: 0
        operator: "NotEqual"
        values:
        - "arg0"
        - "arg1"
`), []evalCase{
			{name: "arg0", ev: event(p(5), str("arg0"), str(""), num(0)), want: none},
			{name: "arg1", ev: event(p(5), str("arg1"), str(""), num(0)), want: none},
			{name: "arg2", ev: event(p(5), str("arg2"), str(""), num(0)), want: sel0},
		}},
		{"tracing-policy.md/Selector_Semantics/Operator_types/In", selSemantics("int", `    - matchPIDs:
      - operator: In
        followForks: true
        isNamespacePID: true
        values:
        - 0
        - 1
`), []evalCase{
			{name: "container init", ev: event(ctrInit(), num(0), str(""), num(0)), want: sel0},
			{name: "child of container init", ev: event(ctrChild(), num(0), str(""), num(0)), want: sel0},
			{name: "kubectl exec", ev: event(kubectlExec(), num(0), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Operator_types/NotIn", selSemantics("int", `    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values:
        - 0
        - 1
`), []evalCase{
			{name: "container init", ev: event(ctrInit(), num(0), str(""), num(0)), want: none},
			{name: "child of container init", ev: event(ctrChild(), num(0), str(""), num(0)), want: none},
			{name: "kubectl exec", ev: event(kubectlExec(), num(0), str(""), num(0)), want: sel0},
			{name: "host process", ev: event(hostProc(800, "/bin/x"), num(0), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Operator_types/matchBinaries", selSemantics("int", `    - matchBinaries:
      - operator: "In"
        values:
        - "binary0"
        - "binary1"
        - "binary2"
`), []evalCase{
			{name: "binary1", ev: event(hostProc(5, "binary1"), num(0), str(""), num(0)), want: sel0},
			{name: "binary3", ev: event(hostProc(5, "binary3"), num(0), str(""), num(0)), want: none},
		}},
		{"tracing-policy.md/Selector_Semantics/Multiple_selectors", selSemantics("int", `    - matchPIDs:
      - operator: In
        followForks: true
        values: [101, 102, 103]
      matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - 1
      - index: 2
        operator: "lt"
        values:
        -  500
    - matchPIDs:
      - operator: In
        followForks: true
        values: [101, 102, 103]
      matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - 2
`), []evalCase{
			{name: "arg0=1 arg2<500: first", ev: event(p(101), num(1), str(""), num(10)), want: sel0},
			{name: "arg0=2 arg2=10000: second", ev: event(p(101), num(2), str(""), num(10000)), want: sel1},
			{name: "arg0=1 arg2=10000: neither", ev: event(p(101), num(1), str(""), num(10000)), want: none},
			{name: "arg0=2 other pid: neither", ev: event(p(104), num(2), str(""), num(0)), want: none},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runCases(t, lowerSpec(t, tc.policy), tc.cases)
		})
	}
}

func TestEvalSpecHookPoints(t *testing.T) {
	withArgs := func(src string) string {
		return "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: spec-example\n" + src
	}
	kill := hostProc(70, "/usr/bin/kill")
	t.Run("hook-points-and-selectors.md/Lists/shared_pid_filter", func(t *testing.T) {
		p := lowerSpec(t, withArgs(`spec:
  lists:
  - name: "dups"
    type: "syscalls"
    values:
    - "sys_dup"
    - "sys_dup2"
    - "sys_dup3"
  kprobes:
  - call: "list:dups"
    selectors:
    - matchPIDs:
      - operator: In
        followForks: true
        isNamespacePID: false
        values:
        - 12345
`))
		if len(p.Hooks) != 3 {
			t.Fatalf("%d hooks, want one per list entry", len(p.Hooks))
		}
		for i := range p.Hooks {
			runCases(t, p, []evalCase{
				{hookID: i, name: p.Hooks[i].Target + " pid 12345", ev: event(hostProc(12345, "/bin/x")), want: sel0},
				{hookID: i, name: p.Hooks[i].Target + " its fork", ev: event(ir.Process{PID: 20000, Ancestors: []ir.Ancestor{{PID: 12345}}}), want: sel0},
				{hookID: i, name: p.Hooks[i].Target + " other", ev: event(hostProc(12346, "/bin/x")), want: none},
			})
		}
	})
	t.Run("hook-points-and-selectors.md/Lists/argument_filter", func(t *testing.T) {
		p := lowerSpec(t, withArgs(`spec:
  lists:
  - name: "dups"
    type: "syscalls"
    values:
    - "sys_dup"
    - "sys_dup2"
    - "sys_dup3"
  kprobes:
  - call: "list:dups"
    args:
    - index: 0
      type: int
    selectors:
    - matchArgs:
      - index: 0
        operator: "Equal"
        values:
        - 9999
`))
		for i := range p.Hooks {
			runCases(t, p, []evalCase{
				{hookID: i, name: "fd 9999", ev: event(kill, num(9999)), want: sel0},
				{hookID: i, name: "fd 3", ev: event(kill, num(3)), want: none},
			})
		}
	})
	t.Run("hook-points-and-selectors.md/Lists/generated_syscalls", func(t *testing.T) {
		p := lowerSpec(t, withArgs(`spec:
  lists:
  - name: "all-syscalls"
    type: "generated_syscalls"
  kprobes:
  - call: "list:all-syscalls"
    selectors:
    - matchBinaries:
      - operator: "In"
        values:
        - "/usr/bin/kill"
`))
		if n := len(arch.Syscalls(arch.X86_64)); len(p.Hooks) != n || n < 300 {
			t.Fatalf("%d hooks for %d syscalls", len(p.Hooks), n)
		}
		for i := range p.Hooks {
			runCases(t, p, []evalCase{
				{hookID: i, name: "kill", ev: event(kill), want: sel0},
				{hookID: i, name: "bash", ev: event(hostProc(71, "/usr/bin/bash")), want: none},
			})
		}
	})
	t.Run("hook-points-and-selectors.md/Lists/InMap_syscall64", func(t *testing.T) {
		p := lowerSpec(t, withArgs(`spec:
  lists:
  - name: "dups"
    type: "syscalls"
    values:
    - "sys_dup"
    - "__ia32_sys_dup"
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    args:
    - index: 4
      type: "syscall64"
    selectors:
    - matchArgs:
      - index: 0
        operator: "InMap"
        values:
        - "list:dups"
`))
		x64dup := int64(arch.EncodeSyscall64(arch.ABIX64, 32))
		i386dup := int64(arch.EncodeSyscall64(arch.ABII386, 41))
		runCases(t, p, []evalCase{
			{name: "64-bit dup", ev: event(kill, num(x64dup)), want: sel0},
			{name: "32-bit dup", ev: event(kill, num(i386dup)), want: sel0},
			{name: "64-bit dup2", ev: event(kill, num(33)), want: none},
			{name: "32-bit 32 (not dup in i386)", ev: event(kill, num(int64(arch.EncodeSyscall64(arch.ABII386, 32)))), want: none},
		})
	})
	t.Run("hook-points-and-selectors.md/Return_values/TrackSock", func(t *testing.T) {
		p := lowerSpec(t, kprobe(`  - call: "sk_alloc"
    syscall: false
    return: true
    args:
    - index: 1
      type: int
      label: "family"
    returnArg:
      index: 0
      type: sock
    returnArgAction: TrackSock
`))
		if h := p.Hooks[0]; h.RetAction != ir.ActTrackSock || h.Ret == nil || h.Ret.Type != ir.TypeSock {
			t.Fatalf("hook does not track the returned sock: %v", h)
		}
		runCases(t, p, []evalCase{{name: "every call", ev: event(kill, num(2)), want: want{sel: noSelectors, posted: true}}})
	})
}
