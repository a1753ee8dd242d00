package policytest

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/polc-dev/polc/compiler"
	"github.com/polc-dev/polc/ir"
)

// TestBindEvent: every process fact and value kind of a case lands in the
// ir.Event field Eval reads.
func TestBindEvent(t *testing.T) {
	pol := loadTestPolicy(t, `apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: bind
spec:
  kprobes:
  - call: tcp_connect
    syscall: false
    return: true
    args:
    - {index: 0, type: sock, label: sk}
    - {index: 1, type: string}
    - {index: 2, type: uint32}
    - {index: 3, type: kernel_cap_t}
    returnArg: {index: 0, type: int}
`)
	src := compiler.NewSource("bind_test.yaml", []byte(`apiVersion: polc.dev/v1alpha1
kind: PolicyTest
cases:
- name: everything
  process:
    binary: /usr/bin/curl
    pid: 100
    nsPid: 7
    parentBinary: /usr/bin/bash
    ancestors: [{pid: 90, nsPid: 6, pidNamespace: 5}, {binary: /sbin/init, pid: 1}]
    namespaces: {Pid: 5, User: 11}
    execNamespaces: {Pid: 4}
    capabilities: {Effective: [CAP_SYS_ADMIN, CAP_NET_RAW], Permitted: [CAP_SYS_ADMIN]}
    execCapabilities: {Effective: [CAP_NET_RAW]}
  hostNamespaces: {User: 10}
  args:
    sk: {protocol: IPPROTO_TCP, state: TCP_SYN_SENT, saddr: "10.0.0.2", sport: 40000, daddr: "::1", dport: 443}
    1: "a\x00b"
    2: 0xffffffff
    3: [CAP_CHOWN]
  return: -1
  expect: {selector: all}
`))
	f, diags := Parse(src)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	b, diags := Bind(f.Cases[0], pol)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := &ir.Event{
		Args: []ir.ArgValue{
			{Sock: &ir.Sock{Family: 0, Protocol: 6, State: 2, SAddr: netip.MustParseAddr("10.0.0.2"), SPort: 40000,
				DAddr: netip.MustParseAddr("::1"), DPort: 443}},
			{Bytes: []byte("a\x00b")},
			{Int: 0xffffffff},
			{Int: 1 << 0},
		},
		Return: ir.ArgValue{Int: -1},
		Process: ir.Process{PID: 100, NsPID: 7, Binary: "/usr/bin/curl",
			Ancestors: []ir.Ancestor{{PID: 90, NsPID: 6, PidNS: 5, Binary: "/usr/bin/bash"}, {PID: 1, Binary: "/sbin/init"}}},
	}
	want.Args[0].Sock.Family = 2 // AF_INET, from saddr
	want.Process.NS[ir.NsPid], want.Process.NS[ir.NsUser] = 5, 11
	want.Process.ExecNS[ir.NsPid] = 4
	want.Process.Caps[ir.CapEffective] = 1<<21 | 1<<13
	want.Process.Caps[ir.CapPermitted] = 1 << 21
	want.Process.ExecCaps[ir.CapEffective] = 1 << 13
	want.Host.NS[ir.NsUser] = 10
	if d := cmp.Diff(want, b.Event, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		t.Errorf("event (-want +got):\n%s", d)
	}
	if b.Want.Selector != SelectorAll {
		t.Errorf("selector %q", b.Want.Selector)
	}
}

func loadTestPolicy(t *testing.T, y string) *ir.Policy {
	t.Helper()
	pol, diags := LoadPolicy(compiler.NewSource("bind.yaml", []byte(y)), "", Options{})
	if pol == nil {
		t.Fatalf("policy: %v", diags)
	}
	return pol
}
