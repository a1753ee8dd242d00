//go:build linux

package policytest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
	"golang.org/x/sys/unix"

	"github.com/polc-dev/polc/bpf"
	"github.com/polc-dev/polc/codegen"
	"github.com/polc-dev/polc/internal/kmem"
	"github.com/polc-dev/polc/ir"
)

// Kernel runs bound cases through the programs polc generates for them,
// with BPF_PROG_TEST_RUN, so that a user's tests are also differential
// tests of polc: the program's verdict must be ir.Eval's.
//
// The hook of a case is rebuilt as a raw tracepoint with the same
// arguments, selectors and actions (codegen.Options.TestRun: enforcement
// actions are reported, not carried out), because only raw tracepoint
// programs can be run on a made-up context on every kernel of the matrix.
// The context holds the case's integer arguments and pointers to its
// other arguments, laid out at the running kernel's BTF offsets in kernel
// memory (package kmem). The process facts the programs read from the
// process table (binary, ancestors, namespaces and capabilities at exec)
// are written into the table; those they read from the running task (pid,
// namespace pid, namespace inodes) are this process's, so the values the
// policy compares them with are renamed, in the rebuilt hook only, by
// swapping the case's value with this process's: a bijection, under which
// every In and NotIn test answers as it does for the case. Current
// capabilities are set on the thread that runs the program (capset).
//
// What cannot be made up this way (return probes, fd arguments, resolve)
// is reported per case as not run in the kernel, with the reason; never
// counted as passed.
type Kernel struct {
	arena *kmem.Arena
	self  selfFacts
	// mutate, in tests, changes the rebuilt policy before it is built:
	// the check that a wrong program is caught.
	mutate func(*ir.Policy)
}

// KernelOutcome is what running a case in the kernel found.
type KernelOutcome struct {
	// Skipped is why the case could not run in the kernel ("" when it ran).
	Skipped string `json:"skipped,omitempty"`
	// Posted, Selector and Action are read from the record the program
	// posted (Selector "none" and no Action when it posted none).
	Posted   bool   `json:"posted"`
	Selector string `json:"selector,omitempty"`
	Action   string `json:"action,omitempty"`
	// Mismatch says how the program and ir.Eval disagree ("" when they
	// agree): a bug in polc, which fails the case.
	Mismatch string `json:"mismatch,omitempty"`
}

// selfFacts are what the programs read from the task that runs them.
type selfFacts struct {
	tgid, nsPID uint32
	ns          [ir.NumNamespaces]uint32
}

// NewKernel prepares kernel runs: it needs root (CAP_BPF, CAP_PERFMON),
// the kernel's BTF and raw tracepoint test runs.
func NewKernel() (*Kernel, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("polc test --kernel runs the generated programs and needs root")
	}
	self, err := readSelf()
	if err != nil {
		return nil, err
	}
	a, err := kmem.NewArena(kmem.DefaultSize)
	if err != nil {
		return nil, err
	}
	return &Kernel{arena: a, self: self}, nil
}

// Close frees the kernel memory of the runs.
func (k *Kernel) Close() error { return k.arena.Close() }

// procNS names the /proc/self/ns files by ir.Namespace.
var procNS = [ir.NumNamespaces]string{"uts", "ipc", "mnt", "pid", "pid_for_children", "net", "time", "time_for_children", "cgroup", "user"}

func readSelf() (selfFacts, error) {
	s := selfFacts{tgid: uint32(os.Getpid())}
	for k, name := range procNS {
		var st unix.Stat_t
		if err := unix.Stat("/proc/self/ns/"+name, &st); err == nil {
			s.ns[k] = uint32(st.Ino)
		}
	}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return s, fmt.Errorf("polc test --kernel: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "NSpid:"); ok {
			fields := strings.Fields(rest)
			if n, err := strconv.ParseUint(fields[len(fields)-1], 10, 32); err == nil {
				s.nsPID = uint32(n)
			}
		}
	}
	if s.nsPID == 0 {
		s.nsPID = s.tgid
	}
	return s, nil
}

// fakeTgid is the tgid of the i-th ancestor a case gives no pid for: above
// any pid_max, so that only the run's own process table knows it.
func fakeTgid(i int) uint32 { return 1<<23 + 1 + uint32(i) }

// swap is the renaming of one fact: the case's value and this process's
// trade places.
type swap struct{ a, b uint64 }

func (s swap) of(v uint64) uint64 {
	switch v {
	case s.a:
		return s.b
	case s.b:
		return s.a
	}
	return v
}

// values renames a test's values; a range that holds one of the two but
// not the other cannot be renamed.
func (s swap) values(vals []ir.Value) ([]ir.Value, bool) {
	out := slices.Clone(vals)
	for i, v := range out {
		switch v.Kind {
		case ir.ValInt:
			out[i].Int = int64(s.of(uint64(v.Int)))
		case ir.ValRange:
			in := func(x uint64) bool { return int64(x) >= v.Int && int64(x) <= v.Hi }
			if in(s.a) != in(s.b) {
				return nil, false
			}
		}
	}
	return out, true
}

// plan is a case made runnable: the rebuilt policy, the context and the
// process table.
type plan struct {
	pol    *ir.Policy
	ctx    []uint64
	event  *ir.Event // the case's event as the program reads it
	procs  []bpf.Proc
	hostNS [ir.NumNamespaces]uint32
	caps   *[3]uint64 // the thread's capabilities, when the hook tests them
}

// skip is a reason a case cannot run in the kernel.
type skip string

func (s skip) Error() string { return string(s) }

// Run runs one bound case of pol in the kernel and compares the program's
// verdict with ir.Eval's.
func (k *Kernel) Run(pol *ir.Policy, b *Bound) KernelOutcome {
	p, err := k.plan(pol, b)
	if err != nil {
		var s skip
		var u *kmem.Unsupported
		switch {
		case errors.As(err, &s):
			return KernelOutcome{Skipped: string(s)}
		case errors.As(err, &u):
			return KernelOutcome{Skipped: u.Reason}
		}
		return KernelOutcome{Mismatch: err.Error()}
	}
	rec, err := k.exec(p)
	if err != nil {
		var s skip
		if errors.As(err, &s) {
			return KernelOutcome{Skipped: string(s)}
		}
		return KernelOutcome{Mismatch: err.Error()}
	}
	out := KernelOutcome{Selector: SelectorNone}
	if rec != nil {
		out.Posted = true
		out.Selector = strconv.Itoa(int(rec.Selector) - 1)
		if len(b.Hook.Selectors) == 0 {
			out.Selector = SelectorAll
		}
		if rec.Action != 0 {
			out.Action = actionName(rec.Action)
		}
	}
	res, err := ir.Eval(b.Hook, p.event)
	if err != nil {
		out.Mismatch = "ir.Eval: " + err.Error()
		return out
	}
	want := OutcomeOf(res)
	switch {
	case *want.Posted != out.Posted:
		out.Mismatch = fmt.Sprintf("the program posted %v, ir.Eval says posted %v (selector %s)", out.Posted, *want.Posted, want.Selector)
	case out.Posted && want.Selector != out.Selector:
		out.Mismatch = fmt.Sprintf("the program matched selector %s, ir.Eval selector %s", out.Selector, want.Selector)
	case out.Action != "" && !slices.Contains(*want.Actions, out.Action) && !(out.Action == ir.ActPost.String() && len(*want.Actions) == 0):
		// A selector without actions posts: the record says Post.
		out.Mismatch = fmt.Sprintf("the program reported action %s, ir.Eval runs %v", out.Action, *want.Actions)
	}
	return out
}

// actionName is the ir name of an action a record reports.
func actionName(a bpf.Action) string {
	names := map[bpf.Action]ir.ActionKind{
		bpf.ActionPost: ir.ActPost, bpf.ActionSigkill: ir.ActSigkill, bpf.ActionSignal: ir.ActSignal,
		bpf.ActionOverride: ir.ActOverride, bpf.ActionFollowFD: ir.ActFollowFD, bpf.ActionUnfollowFD: ir.ActUnfollowFD,
		bpf.ActionCopyFD: ir.ActCopyFD, bpf.ActionGetURL: ir.ActGetURL, bpf.ActionDNSLookup: ir.ActDNSLookup,
		bpf.ActionTrackSock: ir.ActTrackSock, bpf.ActionUntrackSock: ir.ActUntrackSock,
		bpf.ActionNotifyEnforcer: ir.ActNotifyEnforcer, bpf.ActionSet: ir.ActSet,
	}
	if k, ok := names[a]; ok {
		return k.String()
	}
	return fmt.Sprintf("action %d", a)
}

// plan rebuilds the case's hook as a raw tracepoint and lays out its event.
func (k *Kernel) plan(pol *ir.Policy, b *Bound) (*plan, error) {
	h := b.Hook
	if h.Kind == ir.HookUSDT {
		return nil, skip("USDT probes read their arguments from the probe's operands: not run in the kernel yet")
	}
	for _, s := range h.Selectors {
		if len(s.ReturnTests) > 0 || len(s.ReturnActions) > 0 {
			return nil, skip("matchReturnArgs and matchReturnActions run in return probes, which --kernel does not run yet")
		}
	}
	ev := &ir.Event{Args: slices.Clone(b.Event.Args), Return: b.Event.Return, Process: b.Event.Process, Host: b.Event.Host}
	p := &plan{event: ev, ctx: make([]uint64, max(len(h.Args), 1))}
	if len(h.Args) > 12 {
		return nil, skip("a raw tracepoint takes at most 12 arguments")
	}
	rh := &ir.Hook{ID: 0, Kind: ir.HookRawTracepoint, Target: "polc/test", Call: "polc/test", Message: h.Message, Tags: h.Tags, Pos: h.Pos}
	for _, a := range h.Args {
		switch {
		case a.ReturnCopy:
			return nil, skip(fmt.Sprintf("argument %d is read at return (returnCopy)", a.Slot))
		case len(a.Resolve) > 0 || a.BTFType != "":
			return nil, skip(fmt.Sprintf("argument %d follows resolve or btfType through kernel structs --kernel does not lay out yet", a.Slot))
		case a.Type == ir.TypeFd:
			return nil, skip(fmt.Sprintf("argument %d is an fd, read through the FollowFD table", a.Slot))
		case a.SizeRaw != 0:
			return nil, skip(fmt.Sprintf("argument %d takes its length from raw argument %d, which the case's event does not hold", a.Slot, a.SizeRaw-1))
		}
		ra := *a
		ra.Index = a.Slot // the slot is the context's position
		rh.Args = append(rh.Args, &ra)
	}

	k.arena.Reset()
	lay := &kmem.Layout{A: k.arena}
	for _, a := range h.Args {
		size := int64(-1)
		if a.SizeSlot >= 0 {
			st := h.Args[a.SizeSlot].Type
			size = ir.FitInt(st, ev.Args[a.SizeSlot].Int)
		}
		if a.Type == ir.TypeSyscall64 && ev.Args[a.Slot].Int&(1<<31) != 0 {
			// The program sets bit 31 from the calling task's ABI.
			return nil, skip(fmt.Sprintf("argument %d: the compat ABI bit (1<<31) of a syscall64 comes from the calling task, a 64-bit one here", a.Slot))
		}
		ptr, model, err := lay.Arg(a.Type, ev.Args[a.Slot], size)
		if err != nil {
			var u *kmem.Unsupported
			if errors.As(err, &u) {
				return nil, skip(fmt.Sprintf("argument %d: %s", a.Slot, u.Reason))
			}
			return nil, err
		}
		p.ctx[a.Slot], ev.Args[a.Slot] = ptr, model
	}
	if err := k.arena.Flush(); err != nil {
		return nil, err
	}

	// The renamings of the facts read from the running task.
	proc := ev.Process
	pids := swap{uint64(proc.PID), uint64(k.self.tgid)}
	nsPIDs := swap{uint64(proc.NsPID), uint64(k.self.nsPID)}
	var nss [ir.NumNamespaces]swap
	nsUsed := map[ir.Namespace]bool{}
	for n := range nss {
		nss[n] = swap{uint64(proc.NS[n]), uint64(k.self.ns[n])}
	}
	maps := map[*ir.Map]*ir.Map{}
	var tested [3]bool // capability sets the hook tests (by ir.CapSet)
	rename := func(t *ir.Test, s swap) error {
		var ok bool
		if t.Values, ok = s.values(t.Values); !ok {
			return skip(fmt.Sprintf("a range of %s values holds %d but not %d, which the run renames into each other", t.Kind, s.a, s.b))
		}
		if t.Map != nil {
			m := *t.Map
			if m.Values, ok = s.values(m.Values); !ok {
				return skip(fmt.Sprintf("a range of %s values holds %d but not %d, which the run renames into each other", t.Kind, s.a, s.b))
			}
			maps[t.Map] = &m
			t.Map = &m
		}
		return nil
	}
	for _, s := range h.Selectors {
		rs := *s
		rs.Tests = nil
		for _, t := range s.Tests {
			rt := *t
			var err error
			switch t.Kind {
			case ir.TestPID:
				switch {
				case t.NamespacePID && t.FollowForks:
					err = skip("matchPIDs with isNamespacePID and followForks reads ancestors' namespace pids from their tasks")
				case t.NamespacePID:
					err = rename(&rt, nsPIDs)
				default:
					if t.FollowForks && slices.ContainsFunc(proc.Ancestors, func(a ir.Ancestor) bool { return a.PID == 0 }) {
						err = skip("matchPIDs with followForks needs the pid of every ancestor the case gives")
					}
					if err == nil {
						err = rename(&rt, pids)
					}
				}
			case ir.TestNamespace:
				nsUsed[t.Namespace] = true
				err = rename(&rt, nss[t.Namespace])
			case ir.TestNSChange:
				for n := ir.Namespace(0); n < ir.NumNamespaces; n++ {
					nsUsed[n] = true
				}
			case ir.TestCaps, ir.TestCapChange:
				tested[t.CapSet] = true
				p.caps = new([3]uint64)
				if t.NamespaceCap {
					nsUsed[ir.NsUser] = true
				}
			case ir.TestReturn:
				err = skip("matchReturnArgs runs in return probes")
			}
			if err != nil {
				return nil, err
			}
			rs.Tests = append(rs.Tests, &rt)
		}
		rh.Selectors = append(rh.Selectors, &rs)
	}
	if p.caps != nil {
		*p.caps = procCaps(threadCaps(proc.Caps, tested))
	}
	for n := range nsUsed {
		if proc.NS[n] == 0 {
			return nil, skip(fmt.Sprintf("the policy tests the %s namespace and the case gives no inode for it", n))
		}
	}

	// The process table: this process, then its ancestors.
	tgidOf := func(i int) uint32 {
		if a := proc.Ancestors[i]; a.PID != 0 {
			return uint32(pids.of(uint64(a.PID)))
		}
		return fakeTgid(i)
	}
	if proc.Binary != "" || len(proc.Ancestors) > 0 || proc.ExecNS != [ir.NumNamespaces]uint32{} || proc.ExecCaps != [3]uint64{} {
		e := bpf.Proc{Tgid: k.self.tgid, Caps: procCaps(proc.ExecCaps)}
		for n, ino := range proc.ExecNS {
			if ino != 0 {
				e.Ns[n] = uint32(nss[n].of(uint64(ino)))
			}
		}
		if len(proc.Ancestors) > 0 {
			e.Ppid = tgidOf(0)
		}
		if err := putBinary(&e, proc.Binary); err != nil {
			return nil, err
		}
		p.procs = append(p.procs, e)
	}
	for i, a := range proc.Ancestors {
		e := bpf.Proc{Tgid: tgidOf(i)}
		if i+1 < len(proc.Ancestors) {
			e.Ppid = tgidOf(i + 1)
		}
		if err := putBinary(&e, a.Binary); err != nil {
			return nil, err
		}
		p.procs = append(p.procs, e)
	}
	for n, ino := range ev.Host.NS {
		if ino != 0 {
			p.hostNS[n] = uint32(nss[n].of(uint64(ino)))
		}
	}

	// No enforcers: NotifyEnforcer is an enforcement action, which a test
	// run reports and does not carry out.
	rp := &ir.Policy{Name: pol.Name, Namespace: pol.Namespace, Arch: runtimeArch(), Hooks: []*ir.Hook{rh},
		Mode: pol.Mode, Pos: pol.Pos}
	for _, m := range pol.Maps {
		if r, ok := maps[m]; ok {
			m = r
		}
		rp.Maps = append(rp.Maps, m)
	}
	p.pol = rp
	return p, nil
}

// threadCaps are capability sets a thread may have (effective and
// inheritable within permitted) that agree with c on the sets tested: a
// set no test reads is widened or emptied to make them so.
func threadCaps(c [3]uint64, tested [3]bool) [3]uint64 {
	if !tested[ir.CapPermitted] {
		c[ir.CapPermitted] |= c[ir.CapEffective] | c[ir.CapInheritable]
	}
	if !tested[ir.CapInheritable] {
		c[ir.CapInheritable] &= c[ir.CapPermitted]
	}
	return c
}

// procCaps reorders capability sets from ir's order (by ir.CapSet) to the
// process table's (bpf.CapPermitted...).
func procCaps(c [3]uint64) [3]uint64 {
	var out [3]uint64
	out[bpf.CapPermitted] = c[ir.CapPermitted]
	out[bpf.CapEffective] = c[ir.CapEffective]
	out[bpf.CapInheritable] = c[ir.CapInheritable]
	return out
}

func putBinary(e *bpf.Proc, bin string) error {
	if len(bin) >= len(e.Binary) {
		return skip(fmt.Sprintf("a binary path of %d bytes: the process table keeps %d", len(bin), len(e.Binary)-1))
	}
	copy(e.Binary[:], bin)
	e.BinaryLen = uint32(len(bin))
	return nil
}

// runtimeArch is the ir architecture of the running kernel.
func runtimeArch() string {
	if runtime.GOARCH == "arm64" {
		return "arm64"
	}
	return "x86_64"
}

// Sizes of the shared maps in a run: one record at a time, a few
// processes. They are not shared with a base, so they need not match its.
const (
	runRingBytes = 1 << 20
	runProcs     = 64
)

// exec builds, loads and runs a plan; the record posted, or nil.
func (k *Kernel) exec(p *plan) (*bpf.Header, error) {
	if k.mutate != nil {
		k.mutate(p.pol)
	}
	b, err := codegen.Build(p.pol, codegen.Options{TestRun: true})
	if err != nil {
		return nil, fmt.Errorf("build the hook as a raw tracepoint: %w", err)
	}
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(b.Object))
	if err != nil {
		return nil, err
	}
	for name, m := range spec.Maps {
		m.Pinning = ebpf.PinNone // the run's own maps, not the host's
		switch name {
		case bpf.EventsMap:
			m.MaxEntries = runRingBytes
		case bpf.ProcsMap:
			m.MaxEntries = runProcs
		}
	}
	for name, v := range spec.Variables {
		var err error
		switch {
		case name == bpf.VarPolicyID:
			err = v.Set(uint32(1))
		case strings.HasPrefix(name, bpf.VarHostNSPrefix):
			kind := strings.TrimPrefix(name, bpf.VarHostNSPrefix)
			for n := ir.Namespace(0); n < ir.NumNamespaces; n++ {
				if strings.ToLower(n.String()) == kind {
					err = v.Set(p.hostNS[n])
				}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		return nil, fmt.Errorf("load the hook as a raw tracepoint: %w", err)
	}
	defer coll.Close()
	for _, init := range b.Manifest.Maps {
		for _, e := range init.Entries {
			if err := coll.Maps[init.Map].Put(e.Key, e.Value); err != nil {
				return nil, fmt.Errorf("fill map %s: %w", init.Map, err)
			}
		}
	}
	// The files SameFile tests name, with the identities tests give them.
	for _, f := range b.Manifest.FileIDs {
		for _, path := range f.Paths {
			id := TestFileID(path)
			if err := coll.Maps[f.Map].Put(bpf.FileIDKey(id.Ino, id.Dev), []byte{1}); err != nil {
				return nil, fmt.Errorf("fill map %s: %w", f.Map, err)
			}
		}
	}
	if procs := coll.Maps[bpf.ProcsMap]; procs != nil {
		for _, e := range p.procs {
			if err := procs.Put(e.Tgid, &e); err != nil {
				return nil, fmt.Errorf("process table: %w", err)
			}
		}
	}
	prog := coll.Programs[b.Manifest.Hooks[0].Programs[0].Name]
	rd, err := ringbuf.NewReader(coll.Maps[bpf.EventsMap])
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if err := runAs(prog, p.ctx, p.caps); err != nil {
		return nil, err
	}
	rd.SetDeadline(time.Now())
	raw, err := rd.Read()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var h bpf.Header
	if len(raw.RawSample) < bpf.HeaderSize {
		return nil, fmt.Errorf("a record of %d bytes", len(raw.RawSample))
	}
	if err := binary.Read(bytes.NewReader(raw.RawSample[:bpf.HeaderSize]), binary.LittleEndian, &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// runAs runs prog on ctx; with caps, on a thread whose capabilities are
// set to them first (and which is then thrown away).
func runAs(prog *ebpf.Program, ctx []uint64, caps *[3]uint64) error {
	if caps == nil {
		_, err := prog.Run(&ebpf.RunOptions{Context: ctx})
		return err
	}
	done := make(chan error)
	go func() {
		// Never unlocked: the thread with the case's capabilities ends
		// with the goroutine instead of running other Go code.
		runtime.LockOSThread()
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var data [2]unix.CapUserData
		split := func(v uint64) (lo, hi uint32) { return uint32(v), uint32(v >> 32) }
		data[0].Permitted, data[1].Permitted = split(caps[bpf.CapPermitted])
		data[0].Effective, data[1].Effective = split(caps[bpf.CapEffective])
		data[0].Inheritable, data[1].Inheritable = split(caps[bpf.CapInheritable])
		if err := unix.Capset(&hdr, &data[0]); err != nil {
			done <- skip(fmt.Sprintf("the kernel refuses these capabilities for a thread (%v): effective and inheritable must be within permitted", err))
			return
		}
		_, err := prog.Run(&ebpf.RunOptions{Context: ctx})
		if errors.Is(err, unix.EPERM) {
			err = skip("this kernel runs BPF programs only for threads with CAP_BPF or CAP_SYS_ADMIN (before 6.5), which the case's capabilities drop")
		}
		done <- err
	}()
	return <-done
}
