package codegen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/cilium/ebpf/ringbuf"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/internal/testenv"
	"github.com/polc-dev/polc/ir"
)

var nsFiles = [ir.NumNamespaces]string{"uts", "ipc", "mnt", "pid", "pid_for_children", "net", "time", "time_for_children", "cgroup", "user"}

// procStatus returns the fields of /proc/PID/status.
func procStatus(t *testing.T, pid int) map[string]string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

func nsInode(t *testing.T, pid int, kind string) uint32 {
	t.Helper()
	fi, err := os.Stat(fmt.Sprintf("/proc/%d/ns/%s", pid, kind))
	if err != nil {
		t.Fatal(err)
	}
	return uint32(fi.Sys().(*syscall.Stat_t).Ino)
}

// thisProcess describes the test process as ir.Eval sees it, from /proc.
// The process table is not loaded: binaries are unknown (""), and so are
// the namespaces and capabilities at exec, which therefore never changed.
func thisProcess(t *testing.T) (ir.Process, ir.Host) {
	pid := os.Getpid()
	st := procStatus(t, pid)
	nspids := strings.Fields(st["NSpid"])
	nspid, _ := strconv.Atoi(nspids[len(nspids)-1])
	p := ir.Process{PID: uint32(pid), NsPID: uint32(nspid)}
	for k := range ir.NumNamespaces {
		p.NS[k] = nsInode(t, pid, nsFiles[k])
	}
	for set, key := range map[ir.CapSet]string{ir.CapEffective: "CapEff", ir.CapInheritable: "CapInh", ir.CapPermitted: "CapPrm"} {
		v, err := strconv.ParseUint(st[key], 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		p.Caps[set] = v
	}
	p.ExecCaps = p.Caps
	for ppid, _ := strconv.Atoi(st["PPid"]); ppid > 0; {
		ast := procStatus(t, ppid)
		ns := strings.Fields(ast["NSpid"])
		anspid, _ := strconv.Atoi(ns[len(ns)-1])
		// /proc/PID/ns of some processes cannot be read (pid 1 of a
		// sandbox): then the depth of NSpid tells the pid namespace.
		pidns := uint32(0)
		if fi, err := os.Stat(fmt.Sprintf("/proc/%d/ns/pid", ppid)); err == nil {
			pidns = uint32(fi.Sys().(*syscall.Stat_t).Ino)
		} else if len(ns) == len(nspids) {
			pidns = p.NS[ir.NsPid]
		}
		p.Ancestors = append(p.Ancestors, ir.Ancestor{PID: uint32(ppid), NsPID: uint32(anspid), PidNS: pidns})
		ppid, _ = strconv.Atoi(ast["PPid"])
	}
	return p, ir.Host{NS: p.NS}
}

// randProcessTest makes a random process filter about p.
func randProcessTest(r *rand.Rand, p ir.Process) *ir.Test {
	pick := func(xs ...int64) int64 { return xs[r.IntN(len(xs))] }
	inOut := []ir.Op{ir.OpIn, ir.OpNotIn}[r.IntN(2)]
	switch r.IntN(6) {
	case 0, 1:
		t := &ir.Test{Kind: ir.TestPID, Op: inOut, FollowForks: r.IntN(2) == 0, NamespacePID: r.IntN(3) == 0}
		cands := []int64{int64(p.PID), int64(p.NsPID), 1, 0, int64(r.IntN(100000))}
		for _, a := range p.Ancestors {
			cands = append(cands, int64(a.PID), int64(a.NsPID))
		}
		for i := 0; i < 1+r.IntN(3); i++ {
			t.Values = append(t.Values, ir.Value{Kind: ir.ValInt, Int: pick(cands...)})
		}
		if r.IntN(4) == 0 {
			for i := 0; i < 9; i++ {
				t.Values = append(t.Values, ir.Value{Kind: ir.ValInt, Int: int64(200000 + r.IntN(100000))})
			}
		}
		t.Values = ir.SortValues(t.Values, false)
		if len(t.Values) > 8 {
			t.Map = &ir.Map{Kind: ir.MapIntSet, KeySize: 8, MaxEntries: len(t.Values), Values: t.Values}
			t.Values = nil
		}
		return t
	case 2:
		k := ir.Namespace(r.IntN(int(ir.NumNamespaces)))
		t := &ir.Test{Kind: ir.TestNamespace, Op: inOut, Namespace: k, HostNS: r.IntN(3) == 0}
		for i := 0; i < r.IntN(3); i++ {
			t.Values = append(t.Values, ir.Value{Kind: ir.ValInt, Int: pick(int64(p.NS[k]), int64(p.NS[(k+1)%ir.NumNamespaces]), 4026531000)})
		}
		if len(t.Values) == 0 && !t.HostNS {
			t.HostNS = true
		}
		t.Values = ir.SortValues(t.Values, false)
		return t
	case 3:
		set := ir.CapSet(r.IntN(3))
		t := &ir.Test{Kind: ir.TestCaps, Op: inOut, CapSet: set, NamespaceCap: r.IntN(4) == 0}
		for t.Mask == 0 {
			t.Mask = 1 << r.IntN(41)
			if r.IntN(2) == 0 {
				t.Mask |= 1 << r.IntN(41)
			}
		}
		return t
	case 4:
		ops := []ir.Op{ir.OpIn, ir.OpNotIn, ir.OpPrefix, ir.OpNotPrefix, ir.OpPostfix, ir.OpNotPostfix}
		t := &ir.Test{Kind: ir.TestBinary, Op: ops[r.IntN(len(ops))], FollowChildren: r.IntN(2) == 0}
		for i := 0; i < 1+r.IntN(2); i++ {
			t.Values = append(t.Values, ir.Value{Kind: ir.ValString, Str: []string{"", "/usr/bin/sh", "/"}[r.IntN(3)]})
		}
		t.Values = ir.SortValues(t.Values, false)
		return t
	}
	if r.IntN(2) == 0 {
		return &ir.Test{Kind: ir.TestNSChange, Op: inOut, Mask: uint64(1+r.IntN(1<<10-1)) & (1<<ir.NumNamespaces - 1)}
	}
	return &ir.Test{Kind: ir.TestCapChange, Op: inOut, CapSet: ir.CapSet(r.IntN(3)), Mask: 1 << r.IntN(41)}
}

// TestEvalProcess compares process filters (matchPIDs with and without
// followForks and isNamespacePID, matchNamespaces with host_ns,
// matchCapabilities, matchBinaries, the *Changes filters) run by
// BPF_PROG_TEST_RUN in this process with ir.Eval on what /proc says of it.
func TestEvalProcess(t *testing.T) {
	testenv.Require(t, testenv.Root, testenv.BPFFS, testenv.KernelBTF, testenv.RingBuf)
	proc, host := thisProcess(t)
	r := rand.New(rand.NewPCG(5, 6))
	pin := pinDir(t)
	for round := 0; round < 40; round++ {
		h := &ir.Hook{Kind: ir.HookRawTracepoint, Target: "sys_enter", Call: "sys_enter",
			Args: []*ir.Arg{{Slot: 0, Index: 0, Type: ir.TypeInt64, SizeSlot: ir.NoSize}}}
		var maps []*ir.Map
		for i := 0; i < 1+r.IntN(3); i++ {
			s := &ir.Selector{Index: i}
			for j := 0; j < 1+r.IntN(3); j++ {
				test := randProcessTest(r, proc)
				if test.Map != nil {
					test.Map.Name = fmt.Sprintf("pids_%d", len(maps))
					maps = append(maps, test.Map)
				}
				s.Tests = append(s.Tests, test)
			}
			h.Selectors = append(h.Selectors, s)
		}
		pol := &ir.Policy{Name: "eval-proc", Arch: "x86_64", Hooks: []*ir.Hook{h}, Maps: maps}
		b, err := Build(pol, Options{})
		if err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, pol.String())
		}
		spec, _ := loadableSpec(t, b)
		l := loadSpecIn(t, b, spec, pin)
		rd, err := ringbuf.NewReader(l.coll.Maps[bpf.EventsMap])
		if err != nil {
			t.Fatal(err)
		}
		want, err := ir.Eval(h, &ir.Event{Args: []ir.ArgValue{{Int: 1}}, Process: proc, Host: host})
		if err != nil {
			t.Fatal(err)
		}
		// The program, and its fallback without bpf_loop when it has one
		// (walks: noloop.go).
		for _, name := range programAndFallback(b.Manifest.Hooks[0].Programs[0]) {
			rec, err := runRawTP(t, l.coll.Programs[name], rd, b, []uint64{1})
			if err != nil {
				t.Fatal(err)
			}
			got, wantSel := -1, -1
			if rec != nil {
				got = int(rec.Selector) - 1
			}
			if want.Posted {
				wantSel = want.Selector.Index
			}
			if got != wantSel {
				t.Fatalf("round %d: %s chose selector %d, Eval %d\nprocess %+v\n%s\n%s", round, name, got, wantSel, proc, pol.String(), disasm(b))
			}
		}
		rd.Close()
	}
}
